// Fuzz target: the ring-buffer record decoder. Any bytes either fail to decode or give an event
// that converts to JSON which a strict parser reads back.
#include "compare/recording.h"
#include "loader/event_decode.h"

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
    return 0;
}
