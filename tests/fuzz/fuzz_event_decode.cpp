// Fuzz target: the ring-buffer record decoder. Any bytes either fail to decode or give an event
// that converts to JSON which a strict parser reads back, and whose NDJSON line (attach --json) is
// the JSON library's, byte for byte.
#include "compare/recording.h"
#include "loader/event_decode.h"
#include "loader/event_format.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    auto event = probectl::decode_event(std::span(reinterpret_cast<const std::byte *>(data), size));
    if (!event)
        return 0;
    const std::string text = probectl::compare::to_json(*event).dump(-1, ' ', true);
    if (!nlohmann::json::accept(text))
        std::abort();
    // attach --json's line, written directly, is the library's byte for byte.
    std::string line;
    probectl::append_event_json(line, *event, "kprobe", "bprm_execve", 12345);
    if (line != probectl::json_line(probectl::event_to_json(*event, "kprobe", "bprm_execve", 12345)))
        std::abort();
    return 0;
}
