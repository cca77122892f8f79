// Event strings come from the traced processes, so they are hostile: a file name can hold terminal
// escape sequences, bidi overrides or invalid UTF-8. These make them safe to show.
#pragma once

#include <string>
#include <string_view>

namespace probectl {

// For a terminal: printable ASCII and harmless UTF-8 as they are; backslash doubled; \n \t \r;
// other C0 controls, DEL and invalid bytes as \xNN; C1 controls and invisible or direction-changing
// code points (bidi overrides, zero-width) as \u{XXXX}.
std::string escape_for_terminal(std::string_view bytes);

// For JSON: valid UTF-8 kept, each invalid byte replaced by the text \xNN, so the result is valid
// UTF-8 that a JSON library can encode (probectl then writes it with ASCII-only escapes).
std::string to_valid_utf8(std::string_view bytes);

// The JSON string (quotes included) that json_line (loader/event_format.h) writes for
// to_valid_utf8(bytes), appended without building either: ASCII-only, so any code point past 0x7E
// and every control is a \uXXXX escape (a surrogate pair past 0xFFFF), an invalid byte the text \\xNN.
void append_json_string(std::string &out, std::string_view bytes);

// For HTML text and attribute values: escape_for_terminal, then & < > " ' as entities.
std::string escape_for_html(std::string_view bytes);

}  // namespace probectl
