// Incremental UTF-8 validation (RFC 3629) for text messages and close reasons: code points may be split
// across feed() calls; overlongs, surrogates and values above U+10FFFF are rejected at the first byte that
// proves them invalid; noncharacters are accepted. ASCII runs take a word-at-a-time fast path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace framescope {

class Utf8Validator {
public:
    enum class Result : uint8_t {
        Complete,    // everything so far is valid and ends on a code point boundary
        Incomplete,  // valid so far, but the last code point is not finished yet
        Invalid,     // invalid; invalidOffset() tells where. Sticky until reset().
    };

    Result feed(std::span<const uint8_t> bytes) noexcept;
    Result result() const noexcept;
    // Offset, counted from the first byte ever fed since reset(), of the first byte that made the
    // stream invalid. Meaningful only after Invalid.
    uint64_t invalidOffset() const noexcept { return invalidOffset_; }
    void reset() noexcept;

private:
    uint64_t consumed_ = 0;
    uint64_t invalidOffset_ = 0;
    uint8_t state_ = 0;  // decoder state: 0 = at a boundary; implementation-defined otherwise
    bool invalid_ = false;
};

// One-shot check of a complete string.
bool isValidUtf8(std::span<const uint8_t> bytes) noexcept;

}  // namespace framescope
