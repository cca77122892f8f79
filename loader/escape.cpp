#include "loader/escape.h"

#include <fmt/format.h>

#include <cstdint>
#include <optional>

namespace probectl {
namespace {

struct CodePoint {
    char32_t value;
    size_t length;  // bytes
};

// Decodes one well-formed UTF-8 sequence at the start of text (no overlongs, no surrogates).
std::optional<CodePoint> decode_utf8(std::string_view text)
{
    const auto byte = [&](size_t i) { return static_cast<std::uint8_t>(text[i]); };
    const std::uint8_t lead = byte(0);
    size_t length;
    char32_t value;
    char32_t minimum;
    if (lead < 0x80)
        return CodePoint{lead, 1};
    if ((lead & 0xE0) == 0xC0) {
        length = 2, value = lead & 0x1F, minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3, value = lead & 0x0F, minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4, value = lead & 0x07, minimum = 0x10000;
    } else {
        return std::nullopt;
    }
    if (text.size() < length)
        return std::nullopt;
    for (size_t i = 1; i < length; i++) {
        if ((byte(i) & 0xC0) != 0x80)
            return std::nullopt;
        value = (value << 6) | (byte(i) & 0x3F);
    }
    if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return std::nullopt;
    return CodePoint{value, length};
}

// Code points that control or reorder the terminal's rendering rather than show a glyph.
bool is_invisible_control(char32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) ||      // C1 controls (CSI, OSC, ... as single code points)
           cp == 0x061C ||                    // Arabic letter mark: a bidi mark, like LRM/RLM
           (cp >= 0x200B && cp <= 0x200F) ||  // zero-width characters and LRM/RLM
           cp == 0x2028 || cp == 0x2029 ||    // line and paragraph separators: a line break in some terminals
           (cp >= 0x202A && cp <= 0x202E) ||  // bidi embeddings and overrides
           (cp >= 0x2060 && cp <= 0x2069) ||  // word joiner, invisible operators, bidi isolates
           cp == 0xFEFF;                      // zero-width no-break space (BOM)
}

}  // namespace

std::string escape_for_terminal(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size());
    while (!bytes.empty()) {
        const auto lead = static_cast<std::uint8_t>(bytes.front());
        auto cp = decode_utf8(bytes);
        if (!cp) {
            out += fmt::format("\\x{:02x}", lead);
            bytes.remove_prefix(1);
            continue;
        }
        if (cp->length == 1) {
            switch (lead) {
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            default:
                if (lead < 0x20 || lead == 0x7F)
                    out += fmt::format("\\x{:02x}", lead);
                else
                    out += static_cast<char>(lead);
            }
        } else if (is_invisible_control(cp->value)) {
            out += fmt::format("\\u{{{:04x}}}", static_cast<std::uint32_t>(cp->value));
        } else {
            out.append(bytes.substr(0, cp->length));
        }
        bytes.remove_prefix(cp->length);
    }
    return out;
}

std::string to_valid_utf8(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size());
    while (!bytes.empty()) {
        if (auto cp = decode_utf8(bytes)) {
            out.append(bytes.substr(0, cp->length));
            bytes.remove_prefix(cp->length);
        } else {
            out += fmt::format("\\x{:02x}", static_cast<std::uint8_t>(bytes.front()));
            bytes.remove_prefix(1);
        }
    }
    return out;
}

void append_json_string(std::string &out, std::string_view bytes)
{
    static constexpr char kHex[] = "0123456789abcdef";
    const auto unicode_escape = [&](std::uint32_t unit) {
        const char escape[6] = {'\\',
                                'u',
                                kHex[(unit >> 12) & 0xF],
                                kHex[(unit >> 8) & 0xF],
                                kHex[(unit >> 4) & 0xF],
                                kHex[unit & 0xF]};
        out.append(escape, sizeof escape);
    };
    out += '"';
    while (!bytes.empty()) {
        const auto lead = static_cast<std::uint8_t>(bytes.front());
        if (lead >= 0x20 && lead < 0x7F && lead != '"' && lead != '\\') {  // the common case, a run at once
            std::size_t run = 1;
            while (run < bytes.size()) {
                const auto next = static_cast<std::uint8_t>(bytes[run]);
                if (next < 0x20 || next >= 0x7F || next == '"' || next == '\\')
                    break;
                run++;
            }
            out.append(bytes.substr(0, run));
            bytes.remove_prefix(run);
            continue;
        }
        const auto cp = decode_utf8(bytes);
        if (!cp) {  // to_valid_utf8's \xNN, its backslash escaped
            const char text[5] = {'\\', '\\', 'x', kHex[lead >> 4], kHex[lead & 0xF]};
            out.append(text, sizeof text);
            bytes.remove_prefix(1);
            continue;
        }
        switch (cp->value) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (cp->value <= 0xFFFF) {
                unicode_escape(cp->value);
            } else {
                const std::uint32_t above = cp->value - 0x10000;
                unicode_escape(0xD800 + (above >> 10));
                unicode_escape(0xDC00 + (above & 0x3FF));
            }
        }
        bytes.remove_prefix(cp->length);
    }
    out += '"';
}

std::string escape_for_html(std::string_view bytes)
{
    std::string out;
    for (char c : escape_for_terminal(bytes)) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

}  // namespace probectl
