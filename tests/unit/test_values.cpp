// Generic capture's argument lists, from the kernel's own descriptions recorded from kernels
// (tracepoint format files) and from a BTF sample; and how the values an event carries are shown.
#include <catch2/catch.hpp>

#include <bpf/btf.h>
#include <fmt/format.h>

#include <cstddef>
#include <span>

#include <string>

#include "loader/btf_query.h"
#include "loader/text.h"
#include "loader/value_source.h"
#include "loader/value_spec.h"
#include "tests/support/process.h"

using namespace probectl;

namespace {

std::string recorded_format(const std::string &kernel, const std::string &tracepoint)
{
    const auto colon = tracepoint.find(':');
    const std::string path = probectl::test::test_data_dir() + "/" + kernel + "/formats/" +
                             tracepoint.substr(0, colon) + "/" + tracepoint.substr(colon + 1);
    std::string text = read_text_file(path);
    INFO(path);
    REQUIRE_FALSE(text.empty());
    return text;
}

ValueList from_format(const std::string &kernel, const std::string &tracepoint)
{
    auto values = values_from_format(recorded_format(kernel, tracepoint), tracepoint);
    INFO("error: " << (values ? "" : values.error().one_line()));
    REQUIRE(values);
    return *values;
}

const ValueField &field(const ValueList &values, const std::string &name)
{
    const auto found = std::ranges::find(values.fields, name, &ValueField::name);
    INFO(name << " among " << values.summary());
    REQUIRE(found != values.fields.end());
    return *found;
}

RawValue raw(std::uint64_t bits, std::string text = {})
{
    RawValue value;
    value.bits = bits;
    value.text = std::move(text);
    value.read = true;
    return value;
}

}  // namespace

TEST_CASE("a syscall's format: user strings, ints in 8-byte slots, no common fields", "[values]")
{
    const ValueList openat = from_format("kernel-6.18", "syscalls:sys_enter_openat");
    CHECK(openat.summary() == "dfd (int), filename (ustr), flags (int), mode (uint)");
    CHECK(openat.unread.empty());
    const ValueField &dfd = field(openat, "dfd");
    CHECK(dfd.where == 16);  // offset in the record
    CHECK(dfd.size == 8);
    CHECK(dfd.width == 4);
    CHECK(value_text(dfd, raw(0xffffff9c)) == "-100");  // AT_FDCWD, whatever the upper half holds
    CHECK(value_text(dfd, raw(0xffffffffffffff9c)) == "-100");
    CHECK(field(openat, "mode").width == 2);  // umode_t

    const ValueList execve = from_format("kernel-6.18", "syscalls:sys_enter_execve");
    CHECK(field(execve, "filename").type == ValueType::user_string);
    CHECK(field(execve, "argv").type == ValueType::pointer);  // const char *const *: not a string
}

TEST_CASE("the ksyscall view of a syscall's format: by argument number, in registers", "[values]")
{
    // 7.x: the record's own copy of the path is not one of the syscall's registers
    auto copied = syscall_values_from_format(recorded_format("kernel-7.2", "syscalls:sys_enter_openat"), "openat");
    REQUIRE(copied);
    CHECK(copied->summary() == "dfd (int), filename (ustr), flags (int), mode (uint)");
    auto openat =
        syscall_values_from_format(recorded_format("kernel-6.18", "syscalls:sys_enter_openat"), "openat");
    REQUIRE(openat);
    REQUIRE(openat->fields.size() == 4);
    CHECK(openat->fields[1].name == "filename");
    CHECK(openat->fields[1].where == 1);
    CHECK(openat->fields[1].size == 8);
    CHECK(openat->source == "the format file of syscalls:sys_enter_openat");
}

TEST_CASE("tracepoint formats: char arrays, __data_loc strings, signed fields", "[values]")
{
    const ValueList sched_switch = from_format("kernel-6.18", "sched:sched_switch");
    CHECK(sched_switch.summary() == "prev_comm (chars), prev_pid (int), prev_prio (int), prev_state (int), "
                                    "next_comm (chars), next_pid (int), next_prio (int)");
    CHECK(field(sched_switch, "prev_comm").size == 16);
    CHECK(field(sched_switch, "next_pid").where == 56);

    const ValueList exec = from_format("kernel-6.18", "sched:sched_process_exec");
    CHECK(field(exec, "filename").type == ValueType::data_loc);
    CHECK(field(exec, "filename").c_type == "__data_loc char[]");

    const ValueList signal = from_format("kernel-6.18", "signal:signal_generate");
    CHECK(field(signal, "sig").type == ValueType::signed_int);
    CHECK(field(signal, "comm").type == ValueType::chars);
}

TEST_CASE("a format's __rel_loc strings, arrays and long records", "[values]")
{
    // As 6.0+ kernels write a __rel_loc field; with an array of ints and fourteen fields.
    std::string format = "name: sample\nID: 1\nformat:\n"
                         "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\n"
                         "\tfield:__rel_loc char[] name;\toffset:8;\tsize:4;\tsigned:0;\n"
                         "\tfield:__data_loc u32[] ids;\toffset:12;\tsize:4;\tsigned:0;\n"
                         "\tfield:unsigned long caller[4];\toffset:16;\tsize:32;\tsigned:0;\n"
                         "\tfield:unsigned char addr[6];\toffset:48;\tsize:6;\tsigned:0;\n"
                         "\tfield:const void *const attr;\toffset:56;\tsize:8;\tsigned:0;\n";
    for (int i = 0; i < 14; i++)
        format += fmt::format("\tfield:int f{};\toffset:{};\tsize:4;\tsigned:1;\n", i, 64 + 4 * i);
    auto values = values_from_format(format, "test:sample");
    REQUIRE(values);
    CHECK(field(*values, "name").type == ValueType::rel_loc);
    CHECK(field(*values, "attr").type == ValueType::pointer);  // T *const is a pointer too
    REQUIRE(values->fields.size() == 12);
    CHECK(values->fields.back().name == "f9");
    CHECK(values->unread == std::vector<std::string>{
                                "ids (__data_loc u32[]: a dynamic array)", "caller (unsigned long[4]: an array)",
                                "addr (unsigned char[6]: an array)", "f10 (probectl reads the first 12 arguments)",
                                "f11 (probectl reads the first 12 arguments)",
                                "f12 (probectl reads the first 12 arguments)",
                                "f13 (probectl reads the first 12 arguments)"});
}

TEST_CASE("a format that is not one fails with what was wrong", "[values]")
{
    auto empty = values_from_format("name: x\nformat:\n", "test:x");
    REQUIRE_FALSE(empty);
    CHECK(empty.error().message == "test:x's format describes no fields");
    auto broken = values_from_format("format:\n\tfield:int x;\toffset:;\n", "test:y");
    REQUIRE_FALSE(broken);
    CHECK(broken.error().message ==
          "test:y's format has a field line probectl cannot read: 'field:int x;\toffset:;'");
}

TEST_CASE("BTF prototypes: __user tags, untagged strings, a struct by value stops the reading", "[values]")
{
    auto btf = BtfFile::parse(probectl::test::btf_sample_path());
    REQUIRE(btf);
    auto open = btf->function_values("sample_open", 12, true);
    INFO("error: " << (open ? "" : open.error().one_line()));
    REQUIRE(open);
    CHECK(open->summary() == "dfd (int), filename (ustr), name (str), the return value (int)");
    CHECK(open->ret->c_type == "long");
    CHECK(open->ret->width == 8);
    CHECK(open->unread ==
          std::vector<std::string>{"by_value (struct sample_inner: a struct or union passed by value)",
                                   "after (int: after by_value, which is not read)"});

    auto modes = btf->function_values("sample_modes", 12, true);
    REQUIRE(modes);
    CHECK(modes->summary() == "mode (uint), flag (uint), bytes (ptr), the return value (uint)");
    CHECK(field(*modes, "mode").width == 2);
    CHECK(field(*modes, "flag").width == 1);
    CHECK(modes->ret->width == 1);

    auto kprobe = btf->function_values("sample_open", 2, false);
    REQUIRE(kprobe);
    CHECK(kprobe->summary() == "dfd (int), filename (ustr)");
    CHECK(kprobe->unread.front() == "name (const char *: beyond the 2 arguments this hook reads)");

    auto missing = btf->function_values("no_such_function", 6, false);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message == "the kernel's BTF does not describe no_such_function");
}

TEST_CASE("a parameter's type is written in at most 512 characters, however large BTF makes it", "[values]")
{
    // An anonymous 16 MiB struct of no members: btf_dump pads it with two million "long: 64;"
    // lines. Written whole for each parameter, it took a fuzz input 20 seconds.
    struct btf *built = btf__new_empty();
    REQUIRE(built);
    const int huge = btf__add_struct(built, "", 1U << 24);
    const int returned = btf__add_int(built, "int", 4, BTF_INT_SIGNED);
    const int proto = btf__add_func_proto(built, returned);
    REQUIRE(btf__add_func_param(built, "huge", huge) == 0);
    REQUIRE(btf__add_func(built, "padded", BTF_FUNC_STATIC, proto) > 0);
    __u32 size = 0;
    const void *raw = btf__raw_data(built, &size);
    REQUIRE(raw);
    auto file = BtfFile::from_bytes(std::span(static_cast<const std::byte *>(raw), size));
    btf__free(built);
    REQUIRE(file);

    auto padded = file->function_values("padded", 12, true);
    REQUIRE(padded);
    CHECK(padded->fields.empty());
    REQUIRE(padded->unread.size() == 1);
    const std::string &unread = padded->unread.front();
    CHECK(unread.starts_with("huge (struct {\n\tlong: 64;"));
    CHECK(unread.ends_with(" /* cut at 512 characters */: a struct or union passed by value)"));
    CHECK(unread.size() < 700);
}

TEST_CASE("a raw tracepoint's typedef, named by its __bpf_trace_ or __traceiter_ function", "[values]")
{
    auto btf = BtfFile::parse(probectl::test::btf_sample_path());
    REQUIRE(btf);
    auto event = btf->tracepoint_values("sample_event");
    INFO("error: " << (event ? "" : event.error().one_line()));
    REQUIRE(event);
    CHECK(event->summary() == "sig (int), task (ptr), comm (str)");
    CHECK(event->source == "the BTF typedef btf_trace_sample_event");
    auto iter = btf->tracepoint_values("sample_iter");
    REQUIRE(iter);
    CHECK(iter->summary() == "value (int), count (uint)");
    auto missing = btf->tracepoint_values("sched:sched_switch");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().hint ==
          "a raw tracepoint is named without its category: sched_switch, not sched:sched_switch");
}

TEST_CASE("values as the table shows them: NULL, faults, cut strings, hostile bytes", "[values]")
{
    const ValueField text("name", "const char *", ValueType::string, 8, 0);
    CHECK(value_text(text, raw(0)) == "NULL");
    CHECK(value_text(text, raw(0x7ffd0000, "/etc/passwd")) == "\"/etc/passwd\"");
    RawValue faulted = raw(0x7ffd0000);
    faulted.faulted = true;
    CHECK(value_text(text, faulted) == "<fault at 0x7ffd0000>");
    CHECK(value_json(text, faulted).is_null());
    RawValue cut = raw(0x7ffd0000, "abc");
    cut.truncated = true;
    CHECK(value_text(text, cut) == "\"abc\"...");
    CHECK(value_text(text, raw(0x7ffd0000, "a\x1b[31mred\n")) == "\"a\\x1b[31mred\\n\"");
    CHECK(value_json(text, raw(0x7ffd0000, "bad\xff")) == "bad\\xff");

    const ValueField pointer("file", "struct file *", ValueType::pointer, 8, 0);
    CHECK(value_text(pointer, raw(0)) == "NULL");
    CHECK(value_text(pointer, raw(0xffff888100000000)) == "0xffff888100000000");
    const ValueField count("count", "size_t", ValueType::unsigned_int, 8, 2);
    CHECK(value_json(count, raw(4096)) == 4096);
    RawValue unread;
    CHECK(value_text(count, unread) == "?");
}

TEST_CASE("an override (--arg N:TYPE) changes how an argument is read, and says what was wrong", "[values]")
{
    ValueList values;
    values.fields.emplace_back("arg0", "register", ValueType::unsigned_int, 8, 0);
    values.fields.emplace_back("arg1", "register", ValueType::unsigned_int, 8, 1);
    REQUIRE(apply_value_override(values, "1:str"));
    CHECK(values.fields[1].type == ValueType::string);
    REQUIRE(apply_value_override(values, "0:kstr"));
    CHECK(values.fields[0].type == ValueType::kernel_string);
    REQUIRE(apply_value_override(values, "0:int"));
    CHECK(values.fields[0].type == ValueType::signed_int);

    const auto error = [&](const char *text) {
        auto applied = apply_value_override(values, text);
        REQUIRE_FALSE(applied);
        CHECK(applied.error().kind == ErrorKind::usage);
        return applied.error().message;
    };
    CHECK(error("1") == "--arg '1': no ':' between the argument and its type");
    CHECK(error("x:str") == "--arg 'x:str': this attach point has no argument 'x'");
    CHECK(error("1:string") == "--arg '1:string': 'string' is not a type");
    CHECK(error("2:str") == "--arg '2:str': this attach point has no argument 2");
    auto hinted = apply_value_override(values, "9:int");
    REQUIRE_FALSE(hinted);
    CHECK(hinted.error().hint == "write --arg N:TYPE or NAME:TYPE, N or NAME one of 0 arg0, 1 arg1; TYPE one of "
                                 "int, uint, long, ulong, ptr, str, ustr, kstr");

    REQUIRE(apply_value_override(values, "arg1:ustr"));  // by name
    CHECK(values.fields[1].type == ValueType::user_string);
    REQUIRE(apply_value_override(values, "arg1:long"));
    CHECK(values.fields[1].width == 8);
    REQUIRE(apply_value_override(values, "arg1:int"));
    CHECK(values.fields[1].width == 4);  // a C int in a 64-bit register: its low half
    RawValue minus_one;
    minus_one.bits = 0xffffffff;
    minus_one.read = true;
    CHECK(value_text(values.fields[1], minus_one) == "-1");
}

TEST_CASE("integers keep their own width: truncated, then sign-extended", "[values]")
{
    CHECK(signed_value(0xffffffff, 4) == -1);
    CHECK(signed_value(0x12345678ffffff80, 1) == -128);
    CHECK(unsigned_value(0x12345678ffffff80, 2) == 0xff80);
    CHECK(signed_value(0x8000000000000000, 8) == INT64_MIN);
}

TEST_CASE("argument lists from the BTF of five kernels: 5.10, 6.1, 6.12, 6.18, 7.2", "[values]")
{
    // tests/data/kernel-*/btf.raw: each kernel's BTF cut down by scripts/record-kernel-btf.sh
    for (const std::string kernel : {"5.10", "6.1", "6.12", "6.18", "7.2"}) {
        INFO("kernel " << kernel);
        auto btf = BtfFile::parse(probectl::test::test_data_dir() + "/kernel-" + kernel + "/btf.raw");
        REQUIRE(btf);
        const auto summary = [&](Expected<ValueList> values) {
            INFO("error: " << (values ? "" : values.error().one_line()));
            REQUIRE(values);
            return values->summary();
        };
        CHECK(summary(btf->function_values("do_sys_openat2", 12, true)) ==
              "dfd (int), filename (str), how (ptr), the return value (int)");
        CHECK(summary(btf->function_values("bpf_lsm_task_setnice", 12, false)) == "p (ptr), nice (int)");
        CHECK(summary(btf->tracepoint_values("signal_generate")) ==
              "sig (int), info (ptr), task (ptr), group (int), result (int)");
        // 5.10's sched_switch had no prev_state; an event of a class is named by its __traceiter_
        CHECK(summary(btf->tracepoint_values("sched_switch")) ==
              (kernel == "5.10" ? "preempt (uint), prev (ptr), next (ptr)"
                                : "preempt (uint), prev (ptr), next (ptr), prev_state (uint)"));
        CHECK(summary(btf->tracepoint_values("sched_wakeup")) == "p (ptr)");
    }
}

TEST_CASE("format files of five kernels: 5.10, 6.1, 6.12, 6.18, 7.2", "[values]")
{
    // tests/data/kernel-*/formats: as each kernel's tracefs had them (scripts/vm/kernel-tests.sh keeps them)
    for (const std::string kernel : {"kernel-5.10", "kernel-6.1", "kernel-6.12", "kernel-6.18", "kernel-7.2"}) {
        INFO(kernel);
        // 7.x copies a syscall's path into the record: __filename_val, a string no fault can stop
        const std::string copied = kernel == "kernel-7.2" ? ", __filename_val (data_loc)" : "";
        CHECK(from_format(kernel, "syscalls:sys_enter_openat").summary() ==
              "dfd (int), filename (ustr), flags (int), mode (uint)" + copied);
        const ValueList execve = from_format(kernel, "syscalls:sys_enter_execve");
        CHECK(execve.summary() == "filename (ustr), argv (ptr), envp (ptr)" + copied);
        CHECK(from_format(kernel, "sched:sched_switch").summary() ==
              "prev_comm (chars), prev_pid (int), prev_prio (int), prev_state (int), next_comm (chars), next_pid "
              "(int), next_prio (int)");
        const ValueList exec = from_format(kernel, "sched:sched_process_exec");
        CHECK(is_string(field(exec, "filename").type));
        CHECK(field(exec, "old_pid").type == ValueType::signed_int);
        const ValueList signal = from_format(kernel, "signal:signal_generate");
        CHECK(field(signal, "sig").type == ValueType::signed_int);
        CHECK(field(signal, "comm").size == 16);
    }
}
