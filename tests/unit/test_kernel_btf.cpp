// The kernel's BTF cut for one object (loader/kernel_btf.h), on a hand-made "kernel": the types the
// object names, by essential name, with all they contain at the kernel's offsets; pointers made
// void; nothing else.
#include <catch2/catch.hpp>

#include <bpf/btf.h>
#include <linux/bpf.h>

#include <cstdint>
#include <memory>
#include <string>

#include "loader/kernel_btf.h"
#include "tracepoint.skel.h"

namespace {

using BtfPtr = std::unique_ptr<btf, decltype(&btf__free)>;

// 1 int; 2 struct task_struct { int pid; struct task_struct *parent; struct mm_struct *mm;
// struct inner nested; }; 3, 4 the pointers; 5 struct mm_struct; 6 struct inner; 7 struct unrelated
BtfPtr kernel()
{
    BtfPtr k(btf__new_empty(), btf__free);
    REQUIRE(btf__add_int(k.get(), "int", 4, BTF_INT_SIGNED) == 1);
    REQUIRE(btf__add_struct(k.get(), "task_struct", 32) == 2);
    REQUIRE(btf__add_field(k.get(), "pid", 1, 0, 0) == 0);
    REQUIRE(btf__add_field(k.get(), "parent", 3, 64, 0) == 0);
    REQUIRE(btf__add_field(k.get(), "mm", 4, 128, 0) == 0);
    REQUIRE(btf__add_field(k.get(), "nested", 6, 192, 0) == 0);
    REQUIRE(btf__add_ptr(k.get(), 2) == 3);
    REQUIRE(btf__add_ptr(k.get(), 5) == 4);
    REQUIRE(btf__add_struct(k.get(), "mm_struct", 8) == 5);
    REQUIRE(btf__add_field(k.get(), "arg_start", 1, 0, 0) == 0);
    REQUIRE(btf__add_struct(k.get(), "inner", 4) == 6);
    REQUIRE(btf__add_field(k.get(), "a", 1, 0, 0) == 0);
    REQUIRE(btf__add_struct(k.get(), "unrelated", 4) == 7);
    REQUIRE(btf__add_field(k.get(), "x", 1, 0, 0) == 0);
    return k;
}

// An object reading task_struct's pid through a flavor of its own
BtfPtr object()
{
    BtfPtr o(btf__new_empty(), btf__free);
    REQUIRE(btf__add_int(o.get(), "int", 4, BTF_INT_SIGNED) == 1);
    REQUIRE(btf__add_struct(o.get(), "task_struct___old", 4) == 2);
    REQUIRE(btf__add_field(o.get(), "pid", 1, 0, 0) == 0);
    return o;
}

}  // namespace

TEST_CASE("kernel BTF cut: the named type whole at the kernel's offsets, pointers void, the rest left out",
          "[btf]")
{
    const BtfPtr k = kernel();
    const BtfPtr o = object();
    const BtfPtr cut(probectl::cut_kernel_btf(*k, *o), btf__free);
    REQUIRE(cut);
    CHECK(btf__type_cnt(cut.get()) == 6);  // void + int, task_struct, two pointers, inner

    const int task = btf__find_by_name_kind(cut.get(), "task_struct", BTF_KIND_STRUCT);
    REQUIRE(task > 0);
    const btf_type *type = btf__type_by_id(cut.get(), static_cast<__u32>(task));
    CHECK(type->size == 32);
    REQUIRE(btf_vlen(type) == 4);
    const btf_member *members = btf_members(type);
    CHECK(btf__name_by_offset(cut.get(), members[0].name_off) == std::string("pid"));
    CHECK(btf_is_int(btf__type_by_id(cut.get(), members[0].type)));
    for (int i : {1, 2}) {  // parent, mm: void *
        const btf_type *pointer = btf__type_by_id(cut.get(), members[i].type);
        CHECK(btf_is_ptr(pointer));
        CHECK(pointer->type == 0);
    }
    CHECK(btf_member_bit_offset(type, 1) == 64);
    CHECK(btf_member_bit_offset(type, 3) == 192);
    const btf_type *nested = btf__type_by_id(cut.get(), members[3].type);
    REQUIRE(btf_is_struct(nested));
    CHECK(btf__name_by_offset(cut.get(), nested->name_off) == std::string("inner"));
    CHECK(btf_is_int(btf__type_by_id(cut.get(), btf_members(nested)[0].type)));

    CHECK(btf__find_by_name_kind(cut.get(), "mm_struct", BTF_KIND_STRUCT) < 0);  // only behind a pointer
    CHECK(btf__find_by_name_kind(cut.get(), "unrelated", BTF_KIND_STRUCT) < 0);

    // what libbpf reads through btf_custom_path: the raw bytes parse back
    __u32 size = 0;
    const void *raw = btf__raw_data(cut.get(), &size);
    const BtfPtr reparsed(btf__new(raw, size), btf__free);
    REQUIRE(reparsed);
    CHECK(btf__type_cnt(reparsed.get()) == 6);
}

namespace {

// A .BTF.ext with one program section and these CO-RE relocation kinds.
std::string btf_ext_with(std::initializer_list<bpf_core_relo_kind> kinds)
{
    std::string ext;
    auto put = [&](auto value) { ext.append(reinterpret_cast<const char *>(&value), sizeof(value)); };
    put(std::uint16_t{0xeb9f});
    put(std::uint8_t{1});
    put(std::uint8_t{0});
    put(std::uint32_t{32});  // hdr_len
    for (int i = 0; i < 5; i++)
        put(std::uint32_t{0});  // func, line info; core_relo_off
    put(static_cast<std::uint32_t>(4 + 8 + kinds.size() * sizeof(bpf_core_relo)));  // core_relo_len
    put(static_cast<std::uint32_t>(sizeof(bpf_core_relo)));
    put(std::uint32_t{1});  // the section's name
    put(static_cast<std::uint32_t>(kinds.size()));
    for (const auto kind : kinds)
        put(bpf_core_relo{8, 2, 1, kind});
    return ext;
}

}  // namespace

TEST_CASE("kernel BTF cut: served for field and enum relocations, not for a type relocation or unreadable ones",
          "[btf]")
{
    using probectl::btf_ext_relocates_fields_only;
    CHECK(btf_ext_relocates_fields_only(btf_ext_with({BPF_CORE_FIELD_BYTE_OFFSET, BPF_CORE_ENUMVAL_EXISTS})) ==
          true);
    CHECK(btf_ext_relocates_fields_only(btf_ext_with({})) == true);
    CHECK(btf_ext_relocates_fields_only(btf_ext_with({BPF_CORE_FIELD_EXISTS, BPF_CORE_TYPE_EXISTS})) == false);
    CHECK(btf_ext_relocates_fields_only(btf_ext_with({BPF_CORE_TYPE_ID_TARGET})) == false);
    std::string cut_short = btf_ext_with({BPF_CORE_FIELD_BYTE_OFFSET});
    cut_short.resize(cut_short.size() - 4);
    CHECK_FALSE(btf_ext_relocates_fields_only(cut_short).has_value());
    std::string not_btf_ext = btf_ext_with({});
    not_btf_ext[0] = 0;
    CHECK_FALSE(btf_ext_relocates_fields_only(not_btf_ext).has_value());

    // probectl's tracepoint object, as embedded: BPF_CORE_READ's field reads and an enum value only
    std::size_t size = 0;
    const void *elf = tracepoint_bpf::elf_bytes(&size);
    CHECK(probectl::relocates_fields_only(elf, size));
}
