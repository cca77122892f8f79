#include "loader/kernel_btf.h"

#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/mman.h>
#include <unistd.h>

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

// An object's own BTF, from its ELF: opened (not loaded) for it.
std::optional<std::string> make_cut(const btf &kernel, const NameIndex &index, const void *elf, std::size_t size)
{
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
    const int fd = memfd_create("probectl-kernel-btf-cut", MFD_CLOEXEC);
    if (!raw || fd < 0)
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
