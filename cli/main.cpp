// probectl: compare eBPF hook types on the same kernel event.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>

#include "attach/registry.h"
#include "cli/commands.h"
#include "cli/completion.h"
#include "cli/exit_codes.h"
#include "cli/help_formatter.h"
#include "cli/usage.h"
#include "loader/core_btf.h"
#include "loader/kernel_facts.h"
#include "loader/libbpf_log.h"

namespace {

// tracefs is needed by tracepoints and tells which functions are traceable: mount it once, quietly
// unless that changed something.
void prepare_tracefs()
{
    const bool was_mounted = probectl::tracefs_mount().has_value();
    if (auto mounted = probectl::ensure_tracefs(); !mounted)
        spdlog::debug("{}", mounted.error().message);
    else if (!was_mounted)
        spdlog::info("mounted tracefs at {} (it was not mounted)", *mounted);
}

}  // namespace

int main(int argc, char **argv)
{
    namespace value_type = probectl::value_type;
    CLI::App app{"probectl: the same kernel event through every eBPF hook type, side by side", "probectl"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "probectl " PROBECTL_VERSION);
    app.formatter(std::make_shared<probectl::HelpFormatter>());
    app.footer("Examples:\n"
               "  probectl list                       which hook types work here, and why not\n"
               "  probectl attach -t tp_btf execve    stream what one hook type sees\n"
               "  probectl compare --event openat     one event through every hook type at once\n"
               "  probectl help COMMAND               a command's options and examples\n"
               "docs/cli.md has every command; docs/labs/ the labs.");
    int verbosity = 0;
    app.add_flag("-v,--verbose", verbosity, "show libbpf's log (-vv: its debug log too)");
    std::string core_btf;
    app.add_option("--btf", core_btf,
                   "relocate CO-RE against this BTF file instead of the kernel's (a kernel without BTF; "
                   "docs/labs/12-no-btf.md)")
        ->type_name(value_type::file);
    app.fallthrough();

    probectl::ListOptions list_options;
    auto *list = app.add_subcommand("list", "hook types, and whether this kernel supports each (and why not)");
    list->add_flag("--json", list_options.json, "one JSON array, an object per hook type");
    list->footer("Example: probectl list --json | jq '.[] | select(.supported) | .hook'");

    probectl::DoctorOptions doctor_options;
    auto *doctor = app.add_subcommand("doctor", "kernel release, BTF, config, lockdown, mounts, capabilities, "
                                                "and every hook type tried here, with the evidence");
    doctor->add_flag("--json", doctor_options.json, "one JSON object");
    doctor->footer("Example: probectl doctor --json | jq .hooks");

    probectl::ExplainOptions explain_options;
    auto *explain = app.add_subcommand("explain", "which hook types can reach a target here, and why the others "
                                                  "cannot (each tried for real)");
    explain
        ->add_option("target", explain_options.target,
                     "execve, do_execve, a kernel function, CATEGORY:TRACEPOINT or BINARY:SYMBOL")
        ->type_name(value_type::target)
        ->required();
    explain->add_flag("--json", explain_options.json, "one JSON object");
    explain->footer("Examples:\n  probectl explain do_execve\n  probectl explain openat\n"
                    "  probectl explain sched:sched_process_exec\n  probectl explain 'vfs_rea*'");

    probectl::BtfOptions btf_options;
    probectl::TargetsOptions targets_options;
    auto *targets =
        app.add_subcommand("targets", "attach points matching a glob (kernel functions, syscalls, "
                                      "tracepoints, LSM hooks, BINARY:*), each with the hook types that "
                                      "can use it here");
    targets->add_option("pattern", targets_options.pattern,
                        "a glob: 'vfs_*', 'sched:*', '*openat*', '/usr/bin/bash:*' (default: everything)");
    targets->add_flag("-v,--verbose", targets_options.verbose,
                      "also each one's arguments, as attach decodes them (probectl -v targets too)");
    targets->add_flag("--json", targets_options.json, "one JSON document");
    targets->footer("Examples:\n  probectl targets 'vfs_*'\n  probectl targets -v '*openat*'\n"
                    "  probectl targets 'libc:exec*'");

    auto *btf = app.add_subcommand("btf", "a kernel struct, union, enum, typedef or function, as C, from BTF");
    btf->add_option("name", btf_options.name, "type or function name, without 'struct '")->required();
    btf->add_flag("--offsets", btf_options.offsets, "also each member's offset and size, and the holes");
    btf->add_option("--file", btf_options.file, "read BTF from this file instead of the running kernel")
        ->type_name(value_type::file);
    btf->add_flag("--json", btf_options.json, "one JSON object");
    btf->footer("Examples:\n  probectl btf linux_binprm --offsets\n  probectl btf bprm_execve\n"
                "  probectl btf --file prog.bpf.o pctl_event");

    probectl::AttachOptions attach_options;
    auto *attach = app.add_subcommand("attach", "attach one hook type and stream the events it sees");
    attach->add_option("--type,-t", attach_options.type, "hook type or alias (probectl list)")
        ->type_name(value_type::hook)
        ->required();
    attach
        ->add_option("target", attach_options.target,
                     "execve, do_execve, a kernel function, CATEGORY:TRACEPOINT or BINARY:SYMBOL")
        ->type_name(value_type::target)
        ->required();
    attach->add_option("--pid,-p", attach_options.pid, "only this process (tgid)");
    attach->add_option("--uid,-u", attach_options.uid, "only this user id");
    attach->add_option("--comm,-c", attach_options.comm, "only this command name (as the hook sees it)");
    attach->add_option("--count,-n", attach_options.count, "stop after N events");
    attach->add_option("--duration,-d", attach_options.duration_s, "stop after S seconds");
    attach->add_flag("--json", attach_options.json, "NDJSON: one JSON object per event");
    attach->add_flag("--strict", attach_options.strict, "refuse to substitute a function for an inlined one");
    attach
        ->add_option("--arg", attach_options.args,
                     "read argument N as TYPE: int, uint, ptr, str, ustr, kstr (e.g. --arg 0:str); repeatable")
        ->allow_extra_args(false);  // one value an --arg: the target after it stays the target
    attach->add_flag(
        "-x,--failed", attach_options.failed_only,
        "only failed calls: a negative return value (a hook that sees it: kretprobe, fexit, uretprobe)");
    attach->add_flag("-q,--quote", attach_options.quote, "each argument in double quotes");
    attach->add_flag("-T,--time", attach_options.wall_clock,
                     "the time of day (HH:MM:SS.mmm), not seconds since start");
    attach->add_option("--max-args", attach_options.max_args, "show at most N arguments of each exec");
    attach
        ->add_option("--cgroup", attach_options.cgroup,
                     "only tasks in this cgroup v2 directory (e.g. /sys/fs/cgroup/system.slice/ssh.service)")
        ->type_name(value_type::dir);
    attach->add_option("command", attach_options.command,
                       "after --: run this command, and see only it and its descendants");
    attach->footer(fmt::format("Hook types: {} (probectl list says which work here)\n"
                               "Examples:\n"
                               "  probectl attach -t tracepoint execve --count 5\n"
                               "  probectl attach -t kprobe vfs_read --comm bash --json\n"
                               "  probectl attach -t uprobe libc:malloc --pid 1234 --duration 10\n"
                               "  probectl attach -t tp_btf sched_switch\n"
                               "  probectl attach -t fexit execve -x -T -- make -j2",
                               probectl::Registry::instance().names()));

    probectl::CompareOptions compare_options;
    auto *compare = app.add_subcommand("compare", "every hook type on the same event at once, correlated and "
                                                  "diffed: coverage, fields, order and timing, cost");
    compare
        ->add_option(
            "--event", compare_options.event,
            "execve (default), a syscall, or a declared event (docs/events.md); openat, unlinkat, "
            "connect, tcp-connect, process-exit and process-fork have built-in scenarios, the others take -- CMD")
        ->type_name(value_type::event);
    compare->add_option("--types", compare_options.types, "comma-separated hook types (default: all)")
        ->type_name(value_type::hooks);
    compare->add_option("--scenarios", compare_options.scenarios,
                        "built-in scenarios by number or name, comma-separated (default: all)");
    compare->add_flag("--json", compare_options.json, "the full result as one JSON object (docs/compare.md)");
    compare->add_option("--markdown", compare_options.markdown_file, "also write the report as Markdown to FILE")
        ->type_name(value_type::file);
    compare->add_option("--html", compare_options.html_file, "also write the report as one HTML page to FILE")
        ->type_name(value_type::file);
    compare->add_option("--record", compare_options.record_file, "also save the raw events to FILE")
        ->type_name(value_type::file);
    compare->add_option("--replay", compare_options.replay_file, "report a saved recording instead of running")
        ->type_name(value_type::file);
    compare->add_option("command", compare_options.command, "after --: a command to run as the workload");
    compare->footer("Examples:\n  probectl compare\n  probectl compare --event openat --types tracepoint,uprobe\n"
                    "  probectl compare --event process-fork --html fork.html\n"
                    "  probectl compare --event unlinkat -- rm -rf /tmp/junk");

    probectl::ReportOptions report_options;
    auto *report = app.add_subcommand("report", "recordings of compare (and bench results) from several kernels, "
                                                "side by side: which hooks see each occurrence on which kernel");
    report
        ->add_option("recordings", report_options.files,
                     "files written by probectl compare --record, bench --json or doctor --json, on any "
                     "machines and kernels")
        ->type_name(value_type::file)
        ->required();
    report->add_flag("--json", report_options.json, "the merged report as one JSON object (docs/recording.md)");
    report->add_flag("--all", report_options.all, "every row, not only those that differ between kernels");
    report->add_option("--markdown", report_options.markdown_file, "also write the report as Markdown to FILE")
        ->type_name(value_type::file);
    report->add_option("--html", report_options.html_file, "also write the report as one HTML page to FILE")
        ->type_name(value_type::file);
    report->footer("Examples:\n  probectl compare --record 6.1.json      # on each machine\n"
                   "  probectl bench --quick --json > bench-6.1.json\n"
                   "  probectl doctor --json > doctor-6.1.json\n"
                   "  probectl report 5.10.json 6.1.json 6.12.json\n"
                   "  probectl report *.json --html kernels.html");

    probectl::BenchOptions bench_options;
    auto *bench = app.add_subcommand("bench", "what each hook type costs, side by side: per event (micro), per "
                                              "exec, start-up, and probectl's own userspace (pipeline)");
    bench
        ->add_option("--tier", bench_options.tiers,
                     "micro, exec, startup, pipeline; comma-separated (default: all)")
        ->type_name(value_type::tiers);
    bench->add_option("--types", bench_options.types, "comma-separated hook types (default: all)")
        ->type_name(value_type::hooks);
    bench->add_option("--samples", bench_options.samples,
                      "samples per hook (micro, exec), rounds (startup, pipeline)");
    bench->add_flag("--quick", bench_options.quick, "short samples: checks every tier runs; figures are rough");
    bench->add_flag("--json", bench_options.json, "every sample and the machine as one JSON object");
    bench->add_option("--html", bench_options.html_file, "also write one HTML page with bar charts to FILE")
        ->type_name(value_type::file);
    bench->footer("Examples:\n  probectl bench --quick\n  probectl bench --tier micro --types kprobe,fentry");

    probectl::LabOptions lab_options;
    auto *lab = app.add_subcommand("lab", "teaching labs that check themselves: list, show N, run N, check N "
                                          "(docs/labs/)");
    lab->add_option(
           "action", lab_options.action,
           "list, show, run, check, starter (an exercise's starter file), or a lab number (run it, then check it)")
        ->type_name(value_type::action)
        ->required();
    lab->add_option("number", lab_options.number, "the lab's number (probectl lab list)")
        ->type_name(value_type::lab);
    lab->add_flag("--json", lab_options.json, "list and check: one JSON object");
    lab->add_option("--solution", lab_options.solution,
                    "check: compile, load and run FILE, your answer to the lab's coding exercise")
        ->type_name(value_type::file);
    lab->footer("Examples:\n  probectl lab list\n  probectl lab 1\n  probectl lab starter 14 > mine.bpf.c\n"
                "  probectl lab check 14 --solution mine.bpf.c");

    std::string shell;
    auto *completion = app.add_subcommand("completion", "a shell completion script for probectl's commands, "
                                                        "options, hook types and events");
    completion->add_option("shell", shell, "bash")->type_name(value_type::shell)->required();
    completion->footer("Examples:\n  source <(probectl completion bash)\n"
                       "  probectl completion bash > /etc/bash_completion.d/probectl");

    const std::vector<std::string> args = probectl::with_help_spelled_out({argv + 1, argv + argc});
    try {
        std::vector<std::string> reversed(args.rbegin(), args.rend());  // as CLI11 takes a vector
        app.parse(reversed);
    } catch (const CLI::CallForHelp &e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp &e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion &e) {
        return app.exit(e);
    } catch (const CLI::ParseError &e) {
        return probectl::report_error(probectl::usage_error(app, args, e));
    }

    if (*completion)
        return probectl::run_completion(app, shell);

    // For targets, -v before the subcommand is its own -v too (the arguments); -vv adds libbpf's log.
    if (*targets && verbosity > 0) {
        targets_options.verbose = true;
        verbosity--;
    }
    probectl::route_libbpf_log(verbosity);
    if (!core_btf.empty())
        if (auto used = probectl::use_core_btf(core_btf); !used)
            return probectl::report_error(used.error());
    prepare_tracefs();
    if (*list)
        return probectl::run_list(list_options);
    if (*doctor)
        return probectl::run_doctor(doctor_options);
    if (*btf)
        return probectl::run_btf(btf_options);
    if (*targets)
        return probectl::run_targets(targets_options);
    if (*explain)
        return probectl::run_explain(explain_options);
    if (*compare)
        return probectl::run_compare(compare_options);
    if (*report)
        return probectl::run_report(report_options);
    if (*bench)
        return probectl::run_bench(bench_options);
    if (*lab)
        return probectl::run_lab(lab_options);
    return probectl::run_attach(attach_options);
}
