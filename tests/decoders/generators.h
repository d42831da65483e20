// Seeded random values for the decoders' round-trip tests: decode(encode(x)) == x over many x.
#pragma once

#include <QTest>

#include <cmath>
#include <random>
#include <string>

#include "framescope/decoders/decoded.h"
#include "framescope/decoders/decoder.h"

namespace framescope::decoders::testing {

class Gen {
public:
    explicit Gen(uint32_t seed) : rng_(seed) {}

    uint32_t below(uint32_t n) { return n ? uint32_t(rng_() % n) : 0; }
    bool chance(uint32_t percent) { return below(100) < percent; }

    // Text drawn from ASCII, the characters protocols escape, and multi-byte UTF-8.
    std::string text(size_t maxLength, std::string_view extra = "") {
        static const char* pieces[] = {"a", "b", "z", "Q", "0", "9", " ", "_", "/", "é", "€", "😀", "-", "."};
        std::string s;
        const size_t n = below(uint32_t(maxLength + 1));
        for (size_t i = 0; i < n; ++i) {
            if (!extra.empty() && chance(15))
                s += extra[below(uint32_t(extra.size()))];
            else
                s += pieces[below(std::size(pieces))];
        }
        return s;
    }
    std::string word(size_t maxLength) {
        static const char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
        std::string s(1 + below(uint32_t(maxLength)), 'a');
        for (char& c : s)
            c = letters[below(sizeof letters - 1)];
        return s;
    }
    std::string bytes(size_t maxLength) {
        std::string s(below(uint32_t(maxLength + 1)), '\0');
        for (char& c : s)
            c = char(below(256));
        return s;
    }

    Value scalar(bool msgpack) {
        switch (below(msgpack ? 8 : 6)) {
            case 0:
                return Value::null();
            case 1:
                return Value::fromBool(chance(50));
            case 2: {
                const int shift = int(below(63));
                return Value::fromInt(int64_t(rng_() >> below(32)) * (chance(50) ? 1 : -1) << (shift % 31));
            }
            case 3:
                return Value::fromFloat(std::ldexp(double(int64_t(rng_()) - INT32_MAX), int(below(80)) - 40));
            case 4:
            case 5:
                return Value::fromString(text(12, "\"\\\n\t\x01"));
            case 6:
                return Value::fromBinary(bytes(20));
            default:
                return Value::fromUInt(uint64_t(INT64_MAX) + 1 + rng_());
        }
    }
    Value value(int depth, bool msgpack = false) {
        const uint32_t pick = below(depth > 0 ? 10 : 6);
        if (pick < 6) return scalar(msgpack);
        Value v = pick < 8 ? Value::array() : Value::map();
        const size_t n = below(5);
        for (size_t i = 0; i < n; ++i) {
            if (v.isMap())
                v.set(text(6, "\""), value(depth - 1, msgpack));
            else
                v.items.push_back(value(depth - 1, msgpack));
        }
        return v;
    }
    // A JSON object with string keys (for payloads).
    Value object(int depth) {
        Value v = Value::map();
        const size_t n = below(4);
        for (size_t i = 0; i < n; ++i)
            v.set(word(6), value(depth));
        return v;
    }

private:
    std::mt19937 rng_;
};

inline Message textMessage(std::string_view bytes, Sender sender = Sender::Client) {
    return {sender, false, asBytes(bytes)};
}
inline Message binaryMessage(std::string_view bytes, Sender sender = Sender::Client) {
    return {sender, true, asBytes(bytes)};
}

// Every span of a decoded tree lies inside the message.
inline bool spansInside(const Node& node, size_t size) {
    if (size_t(node.span.offset) + node.span.length > size) return false;
    for (const Node& child : node.children)
        if (!spansInside(child, size)) return false;
    return true;
}

// A malformed message yields exactly one Error node with a sentence.
inline void checkOneError(const Decoded& d) {
    QVERIFY(d.error);
    QCOMPARE(int(d.root.kind), int(Node::Kind::Error));
    QVERIFY(d.root.children.empty());
    QVERIFY(!d.root.value.empty());
}

}  // namespace framescope::decoders::testing
