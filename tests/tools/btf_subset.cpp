// probectl_btf_subset VMLINUX OUT NAME...: a kernel's BTF cut down to the named functions and
// typedefs, with what their prototypes name (structs and unions without their members, enums
// without their values), as raw BTF. The unit tests decode argument lists from such files recorded
// from several kernels (scripts/record-kernel-btf.sh), small enough to keep in the repository.
#include <bpf/btf.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

namespace {

class Subset {
public:
    explicit Subset(const struct btf *source) : source_(source), out_(btf__new_empty(), btf__free)
    {
        if (!out_)
            throw std::runtime_error("btf__new_empty failed");
    }

    // The id in the subset of the source's type id (0, void, stays 0).
    int copy(__u32 id)
    {
        if (id == 0)
            return 0;
        if (auto found = ids_.find(id); found != ids_.end())
            return found->second;
        const struct btf_type *type = btf__type_by_id(source_, id);
        const char *name = btf__name_by_offset(source_, type->name_off);
        int added = -1;
        switch (btf_kind(type)) {
        case BTF_KIND_INT:
            added = btf__add_int(out(), name, static_cast<size_t>(type->size), btf_int_encoding(type));
            break;
        case BTF_KIND_FLOAT: added = btf__add_float(out(), name, type->size); break;
        case BTF_KIND_STRUCT:
            added = btf__add_struct(out(), name, type->size);  // members left out
            break;
        case BTF_KIND_UNION: added = btf__add_union(out(), name, type->size); break;
        case BTF_KIND_ENUM:
        case BTF_KIND_ENUM64:
            added = btf__add_enum(out(), name, type->size);  // values left out
            break;
        case BTF_KIND_FWD:
            added = btf__add_fwd(out(), name, btf_kflag(type) ? BTF_FWD_UNION : BTF_FWD_STRUCT);
            break;
        case BTF_KIND_PTR: added = btf__add_ptr(out(), copy(type->type)); break;
        case BTF_KIND_CONST: added = btf__add_const(out(), copy(type->type)); break;
        case BTF_KIND_VOLATILE: added = btf__add_volatile(out(), copy(type->type)); break;
        case BTF_KIND_RESTRICT: added = btf__add_restrict(out(), copy(type->type)); break;
        case BTF_KIND_TYPE_TAG: added = btf__add_type_tag(out(), name, copy(type->type)); break;
        case BTF_KIND_TYPEDEF: added = btf__add_typedef(out(), name, copy(type->type)); break;
        case BTF_KIND_ARRAY: {
            const struct btf_array *array = btf_array(type);
            const int element = copy(array->type);
            added = btf__add_array(out(), copy(array->index_type), element, array->nelems);
            break;
        }
        case BTF_KIND_FUNC_PROTO: {
            // Every type the prototype names first: its parameters follow it directly.
            const int ret = copy(type->type);
            std::map<unsigned, int> params;
            const struct btf_param *param = btf_params(type);
            for (unsigned i = 0; i < btf_vlen(type); i++)
                params[i] = copy(param[i].type);
            added = btf__add_func_proto(out(), ret);
            for (unsigned i = 0; i < btf_vlen(type) && added > 0; i++)
                if (btf__add_func_param(out(), btf__name_by_offset(source_, param[i].name_off), params[i]) < 0)
                    added = -1;
            break;
        }
        case BTF_KIND_FUNC:
            added =
                btf__add_func(out(), name, static_cast<enum btf_func_linkage>(btf_vlen(type)), copy(type->type));
            break;
        default:
            throw std::runtime_error("a BTF kind the subset does not copy: " + std::to_string(btf_kind(type)));
        }
        if (added <= 0)
            throw std::runtime_error(std::string("copying ") + name + " failed");
        ids_[id] = added;
        return added;
    }

    [[nodiscard]] struct btf *out() const { return out_.get(); }

private:
    const struct btf *source_;
    std::unique_ptr<struct btf, void (*)(struct btf *)> out_;
    std::map<__u32, int> ids_;
};

}  // namespace

int main(int argc, char **argv)
{
    if (argc < 4) {
        std::fputs("usage: probectl_btf_subset VMLINUX OUT NAME...\n", stderr);
        return 2;
    }
    struct btf *source = btf__parse(argv[1], nullptr);
    if (!source) {
        std::fprintf(stderr, "probectl_btf_subset: no BTF in %s: %s\n", argv[1], std::strerror(errno));
        return 1;
    }
    try {
        Subset subset(source);
        for (int i = 3; i < argc; i++) {
            int id = btf__find_by_name_kind(source, argv[i], BTF_KIND_FUNC);
            if (id <= 0)
                id = btf__find_by_name_kind(source, argv[i], BTF_KIND_TYPEDEF);
            if (id <= 0) {
                std::fprintf(stderr, "probectl_btf_subset: %s: no such function or typedef, left out\n", argv[i]);
                continue;
            }
            subset.copy(static_cast<__u32>(id));
        }
        __u32 size = 0;
        const void *raw = btf__raw_data(subset.out(), &size);
        FILE *out = std::fopen(argv[2], "wb");
        if (!raw || !out || std::fwrite(raw, 1, size, out) != size || std::fclose(out) != 0)
            throw std::runtime_error(std::string("cannot write ") + argv[2]);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "probectl_btf_subset: %s\n", e.what());
        btf__free(source);
        return 1;
    }
    btf__free(source);
    return 0;
}
