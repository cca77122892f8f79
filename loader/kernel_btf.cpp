#include "loader/kernel_btf.h"

#include "loader/elf_sections.h"

#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <linux/bpf.h>
#include <spdlog/spdlog.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace probectl {
namespace {

// libbpf's essential name of a type: its name up to a flavor's "___" (task_struct___old).
std::string_view essential_name(std::string_view name)
{
    return name.substr(0, name.find("___"));
}

// The kinds a CO-RE relocation's root type has, which candidates are looked up by name for.
bool is_named_root(const btf_type *type)
{
    switch (btf_kind(type)) {
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION:
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
    case BTF_KIND_TYPEDEF:
    case BTF_KIND_FWD: return type->name_off != 0;
    default: return false;
    }
}

// The kernel's named root types by essential name, made once, for every cut.
using NameIndex = std::unordered_map<std::string_view, std::vector<std::uint32_t>>;

NameIndex index_names(const btf &kernel)
{
    NameIndex index;
    const std::uint32_t count = btf__type_cnt(&kernel);
    for (std::uint32_t id = 1; id < count; id++)
        if (const btf_type *type = btf__type_by_id(&kernel, id); is_named_root(type))
            index[essential_name(btf__name_by_offset(&kernel, type->name_off))].push_back(id);
    return index;
}

// Calls fn on each type id a type holds (libbpf's accessors hand them out writable): what it points
// to, is made of, or contains.
template <class Fn> void for_each_type_id(btf_type *type, Fn &&fn)
{
    switch (btf_kind(type)) {
    case BTF_KIND_PTR:
    case BTF_KIND_TYPEDEF:
    case BTF_KIND_VOLATILE:
    case BTF_KIND_CONST:
    case BTF_KIND_RESTRICT:
    case BTF_KIND_TYPE_TAG:
    case BTF_KIND_FUNC:
    case BTF_KIND_VAR:
    case BTF_KIND_DECL_TAG: fn(type->type); break;
    case BTF_KIND_ARRAY:
        fn(btf_array(type)->type);
        fn(btf_array(type)->index_type);
        break;
    case BTF_KIND_STRUCT:
    case BTF_KIND_UNION:
        for (int i = 0; i < btf_vlen(type); i++)
            fn(btf_members(type)[i].type);
        break;
    case BTF_KIND_FUNC_PROTO:
        fn(type->type);
        for (int i = 0; i < btf_vlen(type); i++)
            fn(btf_params(type)[i].type);
        break;
    case BTF_KIND_DATASEC:
        for (int i = 0; i < btf_vlen(type); i++)
            fn(btf_var_secinfos(type)[i].type);
        break;
    default:  // int, enum, enum64, fwd, float: nothing inside
        break;
    }
}

// libbpf's types, which its public API hands out as const; only the cut's own are written.
btf_type *writable(const btf_type *type)
{
    return const_cast<btf_type *>(type);
}

// Every type the named ones contain, pointers' targets excepted: kept[id] set for each.
void close_over(const btf &kernel, std::vector<std::uint32_t> todo, std::vector<char> &kept)
{
    for (std::uint32_t id : todo)
        kept[id] = 1;
    while (!todo.empty()) {
        btf_type *type = writable(btf__type_by_id(&kernel, todo.back()));  // read, not written
        todo.pop_back();
        if (btf_is_ptr(type))  // becomes void *
            continue;
        for_each_type_id(type, [&](const std::uint32_t &id) {
            if (id != 0 && !kept[id]) {
                kept[id] = 1;
                todo.push_back(id);
            }
        });
    }
}

// A type copied into the cut still names the kernel's ids: renumbered here, pointers made void.
void renumber(btf_type *type, const std::vector<std::uint32_t> &to)
{
    const bool pointer = btf_is_ptr(type);
    for_each_type_id(type, [&](std::uint32_t &id) { id = pointer ? 0 : to[id]; });
}

btf *cut(const btf &kernel, const NameIndex &index, const btf &object)
{
    std::vector<std::uint32_t> roots;
    const std::uint32_t object_count = btf__type_cnt(&object);
    for (std::uint32_t id = 1; id < object_count; id++) {
        const btf_type *type = btf__type_by_id(&object, id);
        if (!is_named_root(type))
            continue;
        auto found = index.find(essential_name(btf__name_by_offset(&object, type->name_off)));
        if (found != index.end())
            roots.insert(roots.end(), found->second.begin(), found->second.end());
    }
    const std::uint32_t count = btf__type_cnt(&kernel);
    std::vector<char> kept(count, 0);
    close_over(kernel, std::move(roots), kept);
    std::vector<std::uint32_t> to(count, 0);  // the kernel's id -> the cut's
    std::uint32_t next = 1;
    for (std::uint32_t id = 1; id < count; id++)
        if (kept[id])
            to[id] = next++;
    std::unique_ptr<btf, decltype(&btf__free)> out(btf__new_empty(), btf__free);
    if (!out)
        return nullptr;
    for (std::uint32_t id = 1; id < count; id++) {
        if (!kept[id])
            continue;
        const int added = btf__add_type(out.get(), &kernel, btf__type_by_id(&kernel, id));
        if (added < 0 || static_cast<std::uint32_t>(added) != to[id])
            return nullptr;
        renumber(writable(btf__type_by_id(out.get(), static_cast<std::uint32_t>(added))), to);
    }
    return out.release();
}

// .BTF.ext's header (the kernel's Documentation/bpf/btf.rst); offsets count from its end.
struct BtfExtHeader {
    std::uint16_t magic;
    std::uint8_t version;
    std::uint8_t flags;
    std::uint32_t hdr_len;
    std::uint32_t func_info_off;
    std::uint32_t func_info_len;
    std::uint32_t line_info_off;
    std::uint32_t line_info_len;
    std::uint32_t core_relo_off;  // the rest: absent from the headers of objects without CO-RE
    std::uint32_t core_relo_len;
};

template <class T> std::optional<T> read_at(std::string_view data, std::size_t at)
{
    T value{};
    if (at > data.size() || data.size() - at < sizeof(T))
        return std::nullopt;
    std::memcpy(&value, data.data() + at, sizeof(T));
    return value;
}

}  // namespace

std::optional<bool> btf_ext_relocates_fields_only(std::string_view ext)
{
    auto header = read_at<BtfExtHeader>(ext, 0);
    if (!header) {  // a header too short to have CO-RE relocations, if it is one at all
        auto magic = read_at<std::uint16_t>(ext, 0);
        return magic && *magic == 0xeb9f ? std::optional(true) : std::nullopt;
    }
    if (header->magic != 0xeb9f)
        return std::nullopt;
    if (header->hdr_len < sizeof(BtfExtHeader) || header->core_relo_len == 0)
        return true;
    std::size_t at = std::size_t{header->hdr_len} + header->core_relo_off;
    const std::size_t end = at + header->core_relo_len;
    const auto record_size = read_at<std::uint32_t>(ext, at);
    if (end > ext.size() || !record_size || *record_size < sizeof(bpf_core_relo))
        return std::nullopt;
    at += sizeof(std::uint32_t);
    while (at < end) {  // per program section: its name, a count, the records
        const auto count = read_at<std::uint32_t>(ext, at + sizeof(std::uint32_t));
        if (!count)
            return std::nullopt;
        at += 2 * sizeof(std::uint32_t);
        for (std::uint32_t i = 0; i < *count; i++, at += *record_size) {
            const auto relocation = read_at<bpf_core_relo>(ext, at);
            if (!relocation || at + *record_size > end)
                return std::nullopt;
            switch (relocation->kind) {
            case BPF_CORE_FIELD_BYTE_OFFSET:
            case BPF_CORE_FIELD_BYTE_SIZE:
            case BPF_CORE_FIELD_EXISTS:
            case BPF_CORE_FIELD_SIGNED:
            case BPF_CORE_FIELD_LSHIFT_U64:
            case BPF_CORE_FIELD_RSHIFT_U64:
            case BPF_CORE_ENUMVAL_EXISTS:
            case BPF_CORE_ENUMVAL_VALUE: break;
            default: return false;
            }
        }
    }
    return true;
}

namespace {

// An object's own BTF, from its ELF: opened (not loaded) for it.
std::optional<std::string> make_cut(const btf &kernel, const NameIndex &index, const void *elf, std::size_t size)
{
    if (!relocates_fields_only(elf, size)) {
        spdlog::debug("an object with a CO-RE type relocation: the kernel's whole BTF for it");
        return std::nullopt;
    }
    std::unique_ptr<bpf_object, decltype(&bpf_object__close)> object(bpf_object__open_mem(elf, size, nullptr),
                                                                     bpf_object__close);
    if (!object || !bpf_object__btf(object.get()))
        return std::nullopt;
    std::unique_ptr<btf, decltype(&btf__free)> piece(cut(kernel, index, *bpf_object__btf(object.get())),
                                                     btf__free);
    if (!piece)
        return std::nullopt;
    std::uint32_t bytes = 0;
    const void *raw = btf__raw_data(piece.get(), &bytes);
    if (!raw)
        return std::nullopt;
    const int fd = memfd_create("probectl-kernel-btf-cut", MFD_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    if (write(fd, raw, bytes) != static_cast<ssize_t>(bytes)) {
        close(fd);
        return std::nullopt;
    }
    spdlog::debug("the kernel's BTF cut for an object of {} types: {} types, {} bytes",
                  btf__type_cnt(bpf_object__btf(object.get())) - 1, btf__type_cnt(piece.get()) - 1, bytes);
    return fmt::format("/proc/self/fd/{}", fd);  // open for the life of the process
}

// The kernel's BTF while someone holds it (hold_kernel_btf()), with its names indexed for the cuts.
struct SharedKernelBtf {
    explicit SharedKernelBtf(btf *btf_) : parsed(btf_) {}
    ~SharedKernelBtf() { btf__free(parsed); }
    SharedKernelBtf(const SharedKernelBtf &) = delete;
    SharedKernelBtf &operator=(const SharedKernelBtf &) = delete;
    btf *parsed;
    std::once_flag indexed;
    NameIndex index;
};

std::mutex &shared_mutex()
{
    static std::mutex mutex;
    return mutex;
}

std::weak_ptr<SharedKernelBtf> &shared()
{
    static std::weak_ptr<SharedKernelBtf> live;
    return live;
}

}  // namespace

std::shared_ptr<const btf> hold_kernel_btf()
{
    const std::lock_guard lock(shared_mutex());
    auto held = shared().lock();
    if (!held) {
        btf *parsed = btf__load_vmlinux_btf();
        if (!parsed)
            return nullptr;
        held = std::make_shared<SharedKernelBtf>(parsed);
        shared() = held;
    }
    return {held, held->parsed};
}

bool relocates_fields_only(const void *elf, std::size_t size)
{
    for (const auto &section : elf_section_views(elf, size))
        if (section.name == ".BTF.ext")
            return btf_ext_relocates_fields_only(section.data).value_or(false);
    return true;  // no .BTF.ext: no CO-RE relocation
}

btf *cut_kernel_btf(const btf &kernel, const btf &object)
{
    return cut(kernel, index_names(kernel), object);
}

std::optional<std::string> kernel_btf_cut_for(const void *elf, std::size_t size)
{
    std::shared_ptr<SharedKernelBtf> held;
    {
        const std::lock_guard lock(shared_mutex());
        held = shared().lock();
    }
    if (!held)  // nobody holds it: libbpf parses the kernel's BTF for this object itself
        return std::nullopt;
    std::call_once(held->indexed, [&] { held->index = index_names(*held->parsed); });
    static std::mutex mutex;
    static std::map<const void *, std::optional<std::string>> cuts;  // the same kernel: for the process
    const std::lock_guard lock(mutex);
    auto [it, added] = cuts.try_emplace(elf);
    if (added)
        it->second = make_cut(*held->parsed, held->index, elf, size);
    return it->second;
}

}  // namespace probectl
