// `probectl completion bash`: the script it writes, sourced into bash and asked what completes a
// command line, as bash asks it at a <TAB> (COMP_WORDS, COMP_CWORD, then _probectl).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "tests/support/process.h"

using namespace probectl::test;

namespace {

const std::string &script_path()
{
    static const std::string path = [] {
        const Finished written = run({probectl_binary(), "completion", "bash"});
        REQUIRE(written.exit_code == 0);
        const std::string file = "/tmp/probectl-completion-test-" + std::to_string(getpid()) + ".bash";
        std::ofstream(file) << written.out;
        return file;
    }();
    return path;
}

// What bash would offer for words, the last of which is being typed.
std::vector<std::string> offered(const std::vector<std::string> &words)
{
    std::string driver = "source " + script_path() + "; COMP_WORDS=(";
    for (const auto &word : words)
        driver += "'" + word + "' ";
    driver += "); COMP_CWORD=" + std::to_string(words.size() - 1) +
              "; _probectl; printf '%s\\n' \"${COMPREPLY[@]}\" | sort";
    const Finished completed = run({"/bin/bash", "--norc", "-c", driver});
    INFO("stderr: " << completed.err);
    REQUIRE(completed.exit_code == 0);
    std::vector<std::string> out;
    std::istringstream lines(completed.out);
    for (std::string line; std::getline(lines, line);)
        if (!line.empty())
            out.push_back(line);
    return out;
}

using Words = std::vector<std::string>;

}  // namespace

TEST_CASE("completion: commands, then each command's options", "[cli]")
{
    CHECK(offered({"probectl", "att"}) == Words{"attach"});
    CHECK(offered({"probectl", "co"}) == Words{"compare", "completion"});
    CHECK(offered({"probectl", "help", "li"}) == Words{"list"});
    CHECK(offered({"probectl", "attach", "--ty"}) == Words{"--type"});
    CHECK(offered({"probectl", "bench", "--q"}) == Words{"--quick"});
    // probectl's own options after a command (CLI11's fallthrough takes them there)
    CHECK(offered({"probectl", "list", "--ver"}) == Words{"--verbose", "--version"});
}

TEST_CASE("completion: an option's value by its type", "[cli]")
{
    CHECK(offered({"probectl", "attach", "-t", "kp"}) == Words{"kprobe", "kprobe.multi"});
    // bash splits --type=tp at '=': three words
    CHECK(offered({"probectl", "attach", "--type", "=", "tp"}) == Words{"tp_btf"});
    CHECK(offered({"probectl", "attach", "--type", "=", "tp", "exec"}) == Words{"execve", "execveat"});
    // a comma-separated list completes its last element
    CHECK(offered({"probectl", "compare", "--types", "kprobe,fe"}) == Words{"kprobe,fentry", "kprobe,fexit"});
    CHECK(offered({"probectl", "bench", "--tier", "startup,mi"}) == Words{"startup,micro"});
    // events: the declared ones and every syscall
    CHECK(offered({"probectl", "compare", "--event", "process-"}) == Words{"process-exit", "process-fork"});
    CHECK(offered({"probectl", "compare", "--event", "unlinka"}) == Words{"unlinkat"});
    // a number completes to nothing rather than to a file name
    CHECK(offered({"probectl", "attach", "-t", "kprobe", "do_execve", "--count", ""}).empty());
    // a directory
    CHECK(offered({"probectl", "attach", "-t", "tp", "execve", "--cgroup", "/pro"}) == Words{"/proc"});
}

TEST_CASE("completion: positionals, and the command after --", "[cli]")
{
    CHECK(offered({"probectl", "attach", "-t", "tp", "execv"}) == Words{"execve", "execveat"});
    CHECK(offered({"probectl", "explain", "tcp-"}) == Words{"tcp-connect"});
    CHECK(offered({"probectl", "lab", "s"}) == Words{"show", "starter"});
    CHECK(offered({"probectl", "lab", "check", "1"}) ==
          Words{"1", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19"});
    CHECK(offered({"probectl", "lab", "1"}) ==
          Words{"1", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19"});  // probectl lab 1
    CHECK(offered({"probectl", "completion", ""}) == Words{"bash"});
    // bash splits BINARY:SYMBOL and N:TYPE at ':', and --arg takes one value
    CHECK(offered({"probectl", "attach", "--arg", "0", ":", "str", "-t", "uprobe", "libc", ":", "malloc",
                   "--j"}) == Words{"--json"});
    CHECK(offered({"probectl", "attach", "--arg", "0", ":", "str", "-t", "kp"}) ==
          Words{"kprobe", "kprobe.multi"});
    CHECK(offered({"probectl", "attach", "-t", "uprobe", "libc", ":", "mal"}).empty());
    // a redirection's file
    CHECK(offered({"probectl", "lab", "starter", "14", ">", "/pro"}) == Words{"/proc"});
    CHECK(offered({"probectl", "lab", "starter", "14", ">", "/proc", "--js"}) == Words{"--json"});
    const Words commands = offered({"probectl", "attach", "-t", "tp", "execve", "--", "bas"});
    CHECK(std::ranges::find(commands, "bash") != commands.end());
    // a command no name matches: nothing, not file names
    CHECK(offered({"probectl", "attach", "-t", "tp", "execve", "--", "probectl-no-such-command"}).empty());
    CHECK(offered({"probectl", "attach", "-t", "tp", "execve", "--", "ls", "/pro"}) == Words{"/proc"});
}

TEST_CASE("completion of another shell exits 2 with the one it writes", "[cli]")
{
    const Finished refused = run({probectl_binary(), "completion", "zsh"});
    CHECK(refused.exit_code == 2);
    CHECK(refused.out.empty());
    CHECK(refused.err == "probectl: error: completion: no script for the shell 'zsh'. Hint: bash is the shell "
                         "probectl writes one for: probectl completion bash\n");
}
