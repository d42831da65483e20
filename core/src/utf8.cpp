// Incremental UTF-8 validation, RFC 3629 §4 (the UTF8-octets grammar), as RFC 6455 §5.6 and §8.1 require
// for text messages and close reasons.
//
// Theory of operation. Each byte falls into one of twelve classes (ASCII, three ranges of continuation
// bytes, the lead bytes with their special cases, and bytes that never occur). A deterministic automaton
// over those classes tracks how many continuation bytes are still owed and, right after the lead bytes
// E0, ED, F0 and F4, which narrower range the next one must fall in. That narrowing is what rejects
// overlongs, surrogates and values above U+10FFFF at the first byte that proves them, as the
// RFC 3629 §4 grammar does. States are stored premultiplied by the class count so that a step is a single
// table lookup. At a code point boundary, ASCII is skipped a word at a time.
#include "framescope/utf8.h"

#include <array>
#include <cstring>

namespace framescope {
namespace {

enum ByteClass : uint8_t {
    kAscii,   // 00..7F
    kCont80,  // 80..8F
    kCont90,  // 90..9F
    kContA0,  // A0..BF
    kLead2,   // C2..DF
    kLeadE0,  // E0: next in A0..BF (RFC 3629 §4: no overlong three-byte forms)
    kLead3,   // E1..EC, EE, EF
    kLeadED,  // ED: next in 80..9F (RFC 3629 §3: no surrogates D800..DFFF)
    kLeadF0,  // F0: next in 90..BF (no overlong four-byte forms)
    kLead4,   // F1..F3
    kLeadF4,  // F4: next in 80..8F (RFC 3629 §3: nothing above U+10FFFF)
    kNever,   // C0, C1 (always overlong), F5..FF (RFC 3629 §1: never appear)
    kClassCount
};

enum State : uint8_t {
    kBoundary,  // between code points
    kNeed1,     // one continuation byte owed
    kNeed2,
    kNeed3,
    kAfterE0,
    kAfterED,
    kAfterF0,
    kAfterF4,
    kReject,
    kStateCount
};

constexpr unsigned kClasses = kClassCount;
constexpr unsigned kStates = kStateCount;

constexpr ByteClass classify(unsigned b) {
    if (b < 0x80) return kAscii;
    if (b < 0x90) return kCont80;
    if (b < 0xA0) return kCont90;
    if (b < 0xC0) return kContA0;
    if (b < 0xC2) return kNever;
    if (b < 0xE0) return kLead2;
    if (b == 0xE0) return kLeadE0;
    if (b == 0xED) return kLeadED;
    if (b < 0xF0) return kLead3;
    if (b == 0xF0) return kLeadF0;
    if (b < 0xF4) return kLead4;
    if (b == 0xF4) return kLeadF4;
    return kNever;
}

constexpr State leadTransition(ByteClass c) {
    switch (c) {
        case kAscii:
            return kBoundary;
        case kLead2:
            return kNeed1;
        case kLeadE0:
            return kAfterE0;
        case kLead3:
            return kNeed2;
        case kLeadED:
            return kAfterED;
        case kLeadF0:
            return kAfterF0;
        case kLead4:
            return kNeed3;
        case kLeadF4:
            return kAfterF4;
        default:
            return kReject;  // a stray continuation byte or a byte that never appears
    }
}

constexpr State transition(State s, ByteClass c) {
    const bool cont = c == kCont80 || c == kCont90 || c == kContA0;
    switch (s) {
        case kBoundary:
            return leadTransition(c);
        case kNeed1:
            return cont ? kBoundary : kReject;
        case kNeed2:
            return cont ? kNeed1 : kReject;
        case kNeed3:
            return cont ? kNeed2 : kReject;
        case kAfterE0:
            return c == kContA0 ? kNeed1 : kReject;
        case kAfterED:
            return c == kCont80 || c == kCont90 ? kNeed1 : kReject;
        case kAfterF0:
            return c == kCont90 || c == kContA0 ? kNeed2 : kReject;
        case kAfterF4:
            return c == kCont80 ? kNeed2 : kReject;
        default:
            return kReject;
    }
}

constexpr auto kByteClasses = [] {
    std::array<uint8_t, 256> table{};
    for (unsigned b = 0; b < 256; ++b)
        table[b] = classify(b);
    return table;
}();

// Indexed by premultiplied state + class; holds premultiplied states.
constexpr auto kTransitions = [] {
    std::array<uint8_t, kStates * kClasses> table{};
    for (unsigned s = 0; s < kStates; ++s) {
        for (unsigned c = 0; c < kClasses; ++c) {
            const State next = transition(static_cast<State>(s), static_cast<ByteClass>(c));
            table[s * kClasses + c] = static_cast<uint8_t>(next * kClasses);
        }
    }
    return table;
}();

constexpr uint8_t kRejectIndex = kReject * kClasses;
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

uint64_t loadWord(const uint8_t* p) noexcept {
    uint64_t w = 0;
    std::memcpy(&w, p, sizeof w);
    return w;
}

// Returns the index of the first non-ASCII byte in [i, n), or n.
size_t skipAscii(const uint8_t* p, size_t i, size_t n) noexcept {
    for (; n - i >= 32; i += 32) {
        const uint64_t any =
            loadWord(p + i) | loadWord(p + i + 8) | loadWord(p + i + 16) | loadWord(p + i + 24);
        if (any & kHighBits) break;
    }
    for (; n - i >= 8; i += 8) {
        if (loadWord(p + i) & kHighBits) break;
    }
    while (i < n && p[i] < 0x80)
        ++i;
    return i;
}

}  // namespace

Utf8Validator::Result Utf8Validator::feed(std::span<const uint8_t> bytes) noexcept {
    if (invalid_) return Result::Invalid;
    const uint8_t* const p = bytes.data();
    const size_t n = bytes.size();
    uint8_t state = state_;
    for (size_t i = 0; i < n; ++i) {
        if (state == kBoundary) {
            i = skipAscii(p, i, n);
            if (i == n) break;
        }
        state = kTransitions[state + kByteClasses[p[i]]];
        if (state == kRejectIndex) {
            invalid_ = true;
            invalidOffset_ = consumed_ + i;
            consumed_ += n;
            return Result::Invalid;
        }
    }
    state_ = state;
    consumed_ += n;
    return result();
}

Utf8Validator::Result Utf8Validator::result() const noexcept {
    if (invalid_) return Result::Invalid;
    return state_ == kBoundary ? Result::Complete : Result::Incomplete;
}

void Utf8Validator::reset() noexcept {
    *this = Utf8Validator{};
}

bool isValidUtf8(std::span<const uint8_t> bytes) noexcept {
    Utf8Validator validator;
    return validator.feed(bytes) == Utf8Validator::Result::Complete;
}

}  // namespace framescope
