// The three-way result of a parse step, shared by the frame header and HTTP head parsers: done (with the
// bytes consumed), need more input, or an error.
#pragma once

#include <cstdint>

namespace framescope {

enum class ParseStatus : uint8_t { Done, NeedMore, Error };

}  // namespace framescope
