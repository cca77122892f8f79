#include <catch2/catch.hpp>

#include "attach/target.h"

using namespace probectl;

TEST_CASE("execve and do_execve are the logical exec event", "[target]")
{
    auto execve = parse_target("execve");
    REQUIRE(execve);
    CHECK(execve->kind == Target::Kind::exec_event);
    CHECK_FALSE(execve->named_do_execve);
    auto do_execve = parse_target("do_execve");
    REQUIRE(do_execve);
    CHECK(do_execve->kind == Target::Kind::exec_event);
    CHECK(do_execve->named_do_execve);
}

TEST_CASE("a bare name is a function, syscall or raw tracepoint", "[target]")
{
    auto target = parse_target("do_execveat_common.isra.0");
    REQUIRE(target);
    CHECK(target->kind == Target::Kind::name);
    CHECK(target->right == "do_execveat_common.isra.0");
}

TEST_CASE("LEFT:RIGHT splits at the last colon", "[target]")
{
    auto tracepoint = parse_target("syscalls:sys_enter_execve");
    REQUIRE(tracepoint);
    CHECK(tracepoint->kind == Target::Kind::qualified);
    CHECK(tracepoint->left == "syscalls");
    CHECK(tracepoint->right == "sys_enter_execve");

    auto uprobe = parse_target("/opt/a:b/bin/tool:main");
    REQUIRE(uprobe);
    CHECK(uprobe->left == "/opt/a:b/bin/tool");
    CHECK(uprobe->right == "main");
}

TEST_CASE("malformed targets are usage errors that show the accepted forms", "[target]")
{
    for (const char *bad : {"", "sched:", ":execve", "1abc", "bprm execve", "libc:exec ve", "a\x1b[31m"}) {
        auto target = parse_target(bad);
        INFO("target: " << bad);
        REQUIRE_FALSE(target);
        CHECK(target.error().kind == ErrorKind::usage);
        CHECK(target.error().hint.find("CATEGORY:TRACEPOINT") != std::string::npos);
    }
}
