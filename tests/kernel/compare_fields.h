// Reading probectl compare --json in the kernel tests: the values the hooks reported for a field.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace probectl::test {

// The value each hook reported for a field of one occurrence (an exec, a call); a hook that did not
// fill the field is absent.
inline std::map<std::string, std::string> field_values(const nlohmann::json &occurrence, const std::string &field)
{
    std::map<std::string, std::string> out;
    for (const auto &f : occurrence["fields"])
        if (f["field"] == field)
            for (const auto &v : f["values"])
                out[v["hook"].get<std::string>()] = v["value"].get<std::string>();
    return out;
}

}  // namespace probectl::test
