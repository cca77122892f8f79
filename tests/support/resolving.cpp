#include "tests/support/resolving.h"

#include <catch2/catch.hpp>

#include "attach/registry.h"
#include "attach/target.h"
#include "tests/support/process.h"

namespace probectl::test {

KernelSymbols recorded_kernel(const std::string &kernel)
{
    return load_recorded_symbols(test_data_dir() + "/" + kernel);
}

Expected<ResolvedTarget> resolve_on(std::string_view hook, std::string_view text, const KernelSymbols &symbols,
                                    bool strict)
{
    auto target = parse_target(text);
    REQUIRE(target);
    const auto *strategy = Registry::instance().find(hook);
    REQUIRE(strategy);
    return resolve_target(strategy->info(), *target, symbols, ResolveOptions{strict});
}

}  // namespace probectl::test
