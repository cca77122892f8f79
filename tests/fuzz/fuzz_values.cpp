// Fuzz target: a generic capture's argument lists from a kernel's own descriptions. The first byte
// picks the description: a tracepoint's format file (the rest as its text, also read as a
// syscall's), or raw BTF (the rest as its bytes: every function and btf_trace_ typedef in it is
// described). Any input either fails with a message, or gives at most PCTL_VALUES fields whose
// reads fit the record or the argument slots, and every field's value shows without a crash.
#include "loader/btf_query.h"
#include "loader/value_source.h"
#include "loader/value_spec.h"
#include "probes/event.h"

#include <bpf/btf.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

namespace {

void check(const probectl::Expected<probectl::ValueList> &values, bool record)
{
    if (!values) {
        if (values.error().message.empty())
            std::abort();
        return;
    }
    if (values->fields.size() > PCTL_VALUES)
        std::abort();
    for (size_t i = 0; i < values->fields.size(); i++) {
        const probectl::ValueField &field = values->fields[i];
        if (field.width > 8 && !probectl::is_string(field.type))
            std::abort();
        if (!record && field.where != i)  // an argument slot, in order
            std::abort();
        probectl::RawValue value;
        value.read = true;
        value.bits = 0xffffffff80000000ull + i;
        value.text = "x\x1b\xff";
        (void)probectl::value_text(field, value);
        (void)probectl::value_json(field, value);
    }
    (void)values->summary();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::string_view rest(reinterpret_cast<const char *>(data + 1), size - 1);
    if (data[0] % 2 == 0) {
        check(probectl::values_from_format(rest, "fuzz:event"), true);
        check(probectl::syscall_values_from_format(rest, "fuzz"), false);
        return 0;
    }
    auto file = probectl::BtfFile::from_bytes(std::as_bytes(std::span(data + 1, size - 1)));
    if (!file)
        return 0;
    struct btf *btf = btf__new(data + 1, static_cast<__u32>(size - 1));
    if (!btf)
        std::abort();  // from_bytes parsed what btf__new refuses
    const __u32 count = btf__type_cnt(btf);
    for (__u32 id = 1; id < count && id < 256; id++) {
        const struct btf_type *type = btf__type_by_id(btf, id);
        const std::string name = btf__name_by_offset(btf, type->name_off);
        if (btf_is_func(type))
            check(file->function_values(name, 12, true), false);
        else if (btf_is_typedef(type) && name.starts_with("btf_trace_"))
            check(file->tracepoint_values(name.substr(10)), false);
    }
    btf__free(btf);
    return 0;
}
