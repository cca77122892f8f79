// Fuzz target: the escapers for hostile bytes. Whatever the input, the terminal form holds no
// control byte, no C1 control and no invisible or direction-changing code point, and is valid
// UTF-8; the JSON form always makes JSON a strict parser accepts, and append_json_string writes it
// byte for byte; the HTML form holds no markup.
#include "loader/escape.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

// Decodes valid UTF-8 or aborts; calls `check` with each code point.
template <class Check> void each_code_point(const std::string &text, Check check)
{
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        if (length == 0 || i + length > text.size())
            std::abort();
        std::uint32_t cp = length == 1 ? c : c & (0xff >> (length + 1));
        for (std::size_t k = 1; k < length; k++) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xc0) != 0x80)
                std::abort();
            cp = (cp << 6) | (next & 0x3f);
        }
        check(cp);
        i += length;
    }
}

bool dangerous(std::uint32_t cp)
{
    return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x200b && cp <= 0x200f) ||
           (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x061c || cp == 0xfeff;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char *>(data), size);
    each_code_point(probectl::escape_for_terminal(bytes), [](std::uint32_t cp) {
        if (dangerous(cp))
            std::abort();
    });
    const std::string json = nlohmann::json(probectl::to_valid_utf8(bytes)).dump(-1, ' ', true);
    if (!nlohmann::json::accept(json))
        std::abort();
    std::string appended;  // attach --json's own writer: the same bytes as the library's
    probectl::append_json_string(appended, bytes);
    if (appended != json)
        std::abort();
    for (const char c : probectl::escape_for_html(bytes))
        if (c == '<' || c == '>' || c == '"' || c == '\'')
            std::abort();
    return 0;
}
