// The table of labs, in order; each lab's experiment lives in its own file.
#include "labs/lab.h"
#include "labs/labs_list.h"

#include <algorithm>

namespace probectl::lab {

const std::vector<Lab> &all_labs()
{
    static const std::vector<Lab> labs = [] {
        std::vector<Lab> all{
            lab_01_support(),     lab_02_context(),     lab_03_sections(),       lab_04_btf(),
            lab_05_core(),        lab_06_skeleton(),    lab_07_exec_path(),      lab_08_return_probes(),
            lab_09_tracepoints(), lab_10_memory(),      lab_11_uprobes(),        lab_12_no_btf(),
            lab_13_ring_buffer(), lab_14_one_syscall(), lab_15_object_anatomy(), lab_16_loader_order(),
            lab_17_core_offset(), lab_18_kfuncs(),      lab_19_bpftool_view(),
        };
        std::ranges::sort(all, {}, &Lab::number);
        return all;
    }();
    return labs;
}

const Lab *find_lab(int number)
{
    for (const auto &lab : all_labs())
        if (lab.number == number)
            return &lab;
    return nullptr;
}

std::string_view outcome_name(Outcome outcome)
{
    switch (outcome) {
    case Outcome::held: return "held";
    case Outcome::failed: return "FAILED";
    case Outcome::skipped: return "skipped";
    default: return "cannot check here";
    }
}

Observation observe(std::string what, bool ok, std::string detail)
{
    return {std::move(what), ok ? Outcome::held : Outcome::failed, std::move(detail)};
}

Observation cannot_check(std::string what, std::string why)
{
    return {std::move(what), Outcome::cannot_check, std::move(why)};
}

Observation skipped(std::string what, std::string why)
{
    return {std::move(what), Outcome::skipped, std::move(why)};
}

std::vector<Observation> none_checkable(const std::vector<std::string> &claims, const std::string &why)
{
    std::vector<Observation> out;
    for (const auto &claim : claims)
        out.push_back(cannot_check(claim, why));
    return out;
}

}  // namespace probectl::lab
