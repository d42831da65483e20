// A dynamically typed value shared by the JSON and MessagePack codecs the application-protocol decoders
// use: null, bool, integers, floats, strings, binary, arrays, maps (keys of any kind) and MessagePack
// extensions. Parsing records where each value lies in the input (SourceSpan), for highlighting; spans never
// take part in equality, so decode(encode(x)) == x compares content only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace framescope::decoders {

// Where something lies in the message it was decoded from. Always compares equal (content equality only).
struct SourceSpan {
    uint32_t offset = 0;
    uint32_t length = 0;
    friend bool operator==(const SourceSpan&, const SourceSpan&) { return true; }
};

struct Value {
    enum class Kind : uint8_t { Null, Bool, Int, UInt, Float, String, Binary, Array, Map, Ext };

    Kind kind = Kind::Null;
    bool boolean = false;
    int64_t integer = 0;       // Int
    uint64_t uinteger = 0;     // UInt: only values above INT64_MAX (smaller ones are Int)
    double number = 0;         // Float
    int8_t extType = 0;        // Ext
    std::string bytes;         // String (UTF-8), Binary and Ext payloads
    std::vector<Value> items;  // Array elements; Map: key, value, key, value, ...
    SourceSpan span;

    bool operator==(const Value&) const = default;

    static Value null() { return {}; }
    static Value fromBool(bool b);
    static Value fromInt(int64_t i);
    static Value fromUInt(uint64_t u);
    static Value fromFloat(double d);
    static Value fromString(std::string s);
    static Value fromBinary(std::string b);
    static Value array(std::vector<Value> elements = {});
    static Value map();

    bool isNull() const { return kind == Kind::Null; }
    bool isString() const { return kind == Kind::String; }
    bool isArray() const { return kind == Kind::Array; }
    bool isMap() const { return kind == Kind::Map; }
    bool isInteger() const { return kind == Kind::Int || kind == Kind::UInt; }
    bool isNumber() const { return isInteger() || kind == Kind::Float; }
    size_t mapSize() const { return items.size() / 2; }
    // Map look-up by string key; nullptr when absent or when this is not a map.
    const Value* find(std::string_view key) const;
    // Appends (key, value) to a map.
    Value& set(std::string key, Value value);
};

struct ParseError {
    size_t offset = 0;
    std::string message;  // one sentence, without the offset
};

// RFC 8259 JSON. Whole input must be one value (surrounding whitespace allowed). Nesting is limited to
// kMaxDepth levels so hostile input cannot exhaust the stack. Integers that fit 64 bits become Int or UInt,
// every other number a Float.
inline constexpr int kMaxDepth = 128;
std::optional<Value> parseJson(std::string_view text, ParseError* error = nullptr, uint32_t baseOffset = 0);
// Compact JSON (no spaces). Binary and Ext are written as {"$binary": "<hex>"} so output stays JSON.
std::string toJson(const Value& value);
// Indented JSON, two spaces per level, for display.
std::string toPrettyJson(const Value& value);
void appendJsonString(std::string& out, std::string_view text);

// MessagePack (msgpack/spec). readMsgPack reads one value from the front of `bytes`, sets `consumed`.
std::optional<Value> readMsgPack(std::span<const uint8_t> bytes, size_t& consumed,
                                 ParseError* error = nullptr, uint32_t baseOffset = 0);
// Writes the shortest encoding of each value.
void writeMsgPack(std::string& out, const Value& value);

std::span<const uint8_t> asBytes(std::string_view text);
std::string_view asText(std::span<const uint8_t> bytes);

}  // namespace framescope::decoders
