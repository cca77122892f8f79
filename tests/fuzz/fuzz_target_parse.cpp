// Fuzz target: parsing a TARGET argument (execve, do_execve, a function, CATEGORY:NAME,
// BINARY:SYMBOL). Any text either fails with a usage error that has a hint, or parses into a
// target whose parts are consistent with its kind.
#include "attach/target.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    auto target = probectl::parse_target(text);
    if (!target) {
        if (target.error().kind != probectl::ErrorKind::usage || target.error().message.empty())
            std::abort();
        return 0;
    }
    using Kind = probectl::Target::Kind;
    if (target->kind == Kind::qualified && (target->left.empty() || target->right.empty()))
        std::abort();
    if (target->kind == Kind::name && target->right.empty())
        std::abort();
    return 0;
}
