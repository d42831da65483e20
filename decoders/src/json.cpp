// RFC 8259 JSON reader and writer for the decoders.
//
// Theory of operation. A recursive-descent parser over a string_view with an explicit depth budget
// (kMaxDepth) so hostile nesting fails cleanly instead of exhausting the stack. Each parsed value records its
// SourceSpan (offset and length in the message) for highlighting. Strings are unescaped into UTF-8 (RFC 8259
// §7, surrogate pairs joined); numbers keep 64-bit integers exact and become doubles otherwise (§6). The
// writer emits the shortest round-tripping form of doubles (std::to_chars), so parse(toJson(x)) == x.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "framescope/decoders/value.h"

namespace framescope::decoders {

Value Value::fromBool(bool b) {
    Value v;
    v.kind = Kind::Bool;
    v.boolean = b;
    return v;
}
Value Value::fromInt(int64_t i) {
    Value v;
    v.kind = Kind::Int;
    v.integer = i;
    return v;
}
Value Value::fromUInt(uint64_t u) {
    if (u <= uint64_t(INT64_MAX)) return fromInt(int64_t(u));
    Value v;
    v.kind = Kind::UInt;
    v.uinteger = u;
    return v;
}
Value Value::fromFloat(double d) {
    Value v;
    v.kind = Kind::Float;
    v.number = d;
    return v;
}
Value Value::fromString(std::string s) {
    Value v;
    v.kind = Kind::String;
    v.bytes = std::move(s);
    return v;
}
Value Value::fromBinary(std::string b) {
    Value v;
    v.kind = Kind::Binary;
    v.bytes = std::move(b);
    return v;
}
Value Value::array(std::vector<Value> elements) {
    Value v;
    v.kind = Kind::Array;
    v.items = std::move(elements);
    return v;
}
Value Value::map() {
    Value v;
    v.kind = Kind::Map;
    return v;
}

const Value* Value::find(std::string_view key) const {
    if (kind != Kind::Map) return nullptr;
    for (size_t i = 0; i + 1 < items.size(); i += 2) {
        if (items[i].kind == Kind::String && items[i].bytes == key) return &items[i + 1];
    }
    return nullptr;
}

Value& Value::set(std::string key, Value value) {
    items.push_back(fromString(std::move(key)));
    items.push_back(std::move(value));
    return items.back();
}

std::span<const uint8_t> asBytes(std::string_view text) {
    return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}
std::string_view asText(std::span<const uint8_t> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

namespace {

void appendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

class JsonParser {
public:
    JsonParser(std::string_view text, uint32_t base) : text_(text), base_(base) {}

    std::optional<Value> parseDocument(ParseError* error) {
        skipSpace();
        Value v;
        if (parseValue(v, 0)) {
            skipSpace();
            if (pos_ == text_.size()) return v;
            fail("unexpected data after the JSON value");
        }
        if (error) *error = {size_t(base_) + pos_, message_};
        return std::nullopt;
    }

private:
    bool fail(const char* message) {
        if (message_.empty()) message_ = message;
        return false;
    }
    void skipSpace() {
        while (pos_ < text_.size() &&
               (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
            ++pos_;
    }
    bool literal(std::string_view word) {
        if (text_.substr(pos_, word.size()) != word) return fail("invalid literal");
        pos_ += word.size();
        return true;
    }

    bool parseValue(Value& v, int depth) {
        if (depth > kMaxDepth) return fail("JSON nested too deeply");
        if (pos_ >= text_.size()) return fail("unexpected end of JSON");
        const size_t start = pos_;
        bool ok = false;
        switch (text_[pos_]) {
            case '{':
                ok = parseObject(v, depth);
                break;
            case '[':
                ok = parseArray(v, depth);
                break;
            case '"':
                v.kind = Value::Kind::String;
                ok = parseString(v.bytes);
                break;
            case 't':
                v = Value::fromBool(true);
                ok = literal("true");
                break;
            case 'f':
                v = Value::fromBool(false);
                ok = literal("false");
                break;
            case 'n':
                v = Value::null();
                ok = literal("null");
                break;
            default:
                ok = parseNumber(v);
                break;
        }
        v.span = {uint32_t(base_ + start), uint32_t(pos_ - start)};
        return ok;
    }

    bool parseObject(Value& v, int depth) {
        v = Value::map();
        ++pos_;
        skipSpace();
        if (pos_ < text_.size() && text_[pos_] == '}') return ++pos_, true;
        for (;;) {
            skipSpace();
            if (pos_ >= text_.size() || text_[pos_] != '"')
                return fail("expected a string key in a JSON object");
            Value key;
            key.kind = Value::Kind::String;
            const size_t keyStart = pos_;
            if (!parseString(key.bytes)) return false;
            key.span = {uint32_t(base_ + keyStart), uint32_t(pos_ - keyStart)};
            skipSpace();
            if (pos_ >= text_.size() || text_[pos_] != ':') return fail("expected ':' in a JSON object");
            ++pos_;
            skipSpace();
            Value member;
            if (!parseValue(member, depth + 1)) return false;
            v.items.push_back(std::move(key));
            v.items.push_back(std::move(member));
            skipSpace();
            if (pos_ < text_.size() && text_[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (pos_ < text_.size() && text_[pos_] == '}') return ++pos_, true;
            return fail("expected ',' or '}' in a JSON object");
        }
    }

    bool parseArray(Value& v, int depth) {
        v = Value::array();
        ++pos_;
        skipSpace();
        if (pos_ < text_.size() && text_[pos_] == ']') return ++pos_, true;
        for (;;) {
            skipSpace();
            Value element;
            if (!parseValue(element, depth + 1)) return false;
            v.items.push_back(std::move(element));
            skipSpace();
            if (pos_ < text_.size() && text_[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (pos_ < text_.size() && text_[pos_] == ']') return ++pos_, true;
            return fail("expected ',' or ']' in a JSON array");
        }
    }

    bool hex4(uint32_t& out) {
        if (pos_ + 4 > text_.size()) return fail("truncated \\u escape");
        out = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = text_[pos_++];
            out <<= 4;
            if (c >= '0' && c <= '9')
                out |= uint32_t(c - '0');
            else if (c >= 'a' && c <= 'f')
                out |= uint32_t(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                out |= uint32_t(c - 'A' + 10);
            else
                return fail("invalid \\u escape");
        }
        return true;
    }

    bool parseEscape(std::string& out) {
        if (pos_ >= text_.size()) return fail("unterminated JSON string");
        const char c = text_[pos_++];
        switch (c) {
            case '"':
            case '\\':
            case '/':
                out += c;
                return true;
            case 'b':
                out += '\b';
                return true;
            case 'f':
                out += '\f';
                return true;
            case 'n':
                out += '\n';
                return true;
            case 'r':
                out += '\r';
                return true;
            case 't':
                out += '\t';
                return true;
            case 'u':
                break;
            default:
                return fail("invalid escape in a JSON string");
        }
        uint32_t cp = 0;
        if (!hex4(cp)) return false;
        // RFC 8259 §7: characters outside the BMP are escaped as a UTF-16 surrogate pair.
        if (cp >= 0xD800 && cp < 0xDC00 && text_.substr(pos_, 2) == "\\u") {
            const size_t save = pos_;
            pos_ += 2;
            uint32_t low = 0;
            if (!hex4(low)) return false;
            if (low >= 0xDC00 && low < 0xE000)
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            else
                pos_ = save;
        }
        if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;  // a lone surrogate has no UTF-8 form
        appendUtf8(out, cp);
        return true;
    }

    bool parseString(std::string& out) {
        ++pos_;
        for (;;) {
            const size_t run = pos_;
            while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\\' &&
                   uint8_t(text_[pos_]) >= 0x20)
                ++pos_;
            out.append(text_.substr(run, pos_ - run));
            if (pos_ >= text_.size()) return fail("unterminated JSON string");
            const char c = text_[pos_++];
            if (c == '"') return true;
            if (c != '\\') return fail("control character in a JSON string");
            if (!parseEscape(out)) return false;
        }
    }

    bool parseNumber(Value& v) {
        const size_t start = pos_;
        auto digits = [&] {
            const size_t from = pos_;
            while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9')
                ++pos_;
            return pos_ > from;
        };
        if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
        if (!digits()) return fail("invalid JSON value");
        bool integral = true;
        if (pos_ < text_.size() && text_[pos_] == '.') {
            ++pos_;
            integral = false;
            if (!digits()) return fail("invalid number");
        }
        if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
            ++pos_;
            integral = false;
            if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
            if (!digits()) return fail("invalid number");
        }
        const char* first = text_.data() + start;
        const char* last = text_.data() + pos_;
        if (integral) {
            int64_t i = 0;
            if (std::from_chars(first, last, i).ec == std::errc{}) return v = Value::fromInt(i), true;
            uint64_t u = 0;
            if (*first != '-' && std::from_chars(first, last, u).ec == std::errc{})
                return v = Value::fromUInt(u), true;
        }
        double d = 0;
        const auto result = std::from_chars(first, last, d);
        if (result.ec == std::errc::result_out_of_range) d = (*first == '-') ? -HUGE_VAL : HUGE_VAL;
        v = Value::fromFloat(d);
        return true;
    }

    std::string_view text_;
    uint32_t base_;
    size_t pos_ = 0;
    std::string message_;
};

void appendHex(std::string& out, std::string_view bytes) {
    static const char* digits = "0123456789abcdef";
    for (const char c : bytes) {
        out += digits[uint8_t(c) >> 4];
        out += digits[uint8_t(c) & 15];
    }
}

void appendNumber(std::string& out, const Value& v) {
    char buffer[64];
    std::to_chars_result r{};
    if (v.kind == Value::Kind::Int) {
        r = std::to_chars(buffer, buffer + sizeof buffer, v.integer);
    } else if (v.kind == Value::Kind::UInt) {
        r = std::to_chars(buffer, buffer + sizeof buffer, v.uinteger);
    } else {
        if (!std::isfinite(v.number)) return out.append("null"), void();
        r = std::to_chars(buffer, buffer + sizeof buffer, v.number);
        const std::string_view text(buffer, size_t(r.ptr - buffer));
        out.append(text);
        // Keep it a float on the way back: 1.0 prints as "1", which would parse as an integer.
        if (text.find_first_of(".eE") == std::string_view::npos) out.append(".0");
        return;
    }
    out.append(buffer, r.ptr);
}

// A MessagePack map key as a JSON object key. Container keys are not spelled out: each level of keys
// inside keys would escape the one below again, doubling its size (exponential in the nesting).
std::string keyText(const Value& key) {
    switch (key.kind) {
        case Value::Kind::String:
            return key.bytes;
        case Value::Kind::Array:
            return "[array key]";
        case Value::Kind::Map:
            return "{map key}";
        default:
            return toJson(key);
    }
}

void writeJson(std::string& out, const Value& v, int indent, int level) {
    auto newline = [&](int depth) {
        if (indent < 0) return;
        out += '\n';
        out.append(size_t(indent * depth), ' ');
    };
    switch (v.kind) {
        case Value::Kind::Null:
            out += "null";
            break;
        case Value::Kind::Bool:
            out += v.boolean ? "true" : "false";
            break;
        case Value::Kind::Int:
        case Value::Kind::UInt:
        case Value::Kind::Float:
            appendNumber(out, v);
            break;
        case Value::Kind::String:
            appendJsonString(out, v.bytes);
            break;
        case Value::Kind::Binary:
        case Value::Kind::Ext:
            out += v.kind == Value::Kind::Binary ? "{\"$binary\":\"" : "{\"$ext\":\"";
            appendHex(out, v.bytes);
            out += "\"}";
            break;
        case Value::Kind::Array:
            out += '[';
            for (size_t i = 0; i < v.items.size(); ++i) {
                if (i) out += ',';
                newline(level + 1);
                writeJson(out, v.items[i], indent, level + 1);
            }
            if (!v.items.empty()) newline(level);
            out += ']';
            break;
        case Value::Kind::Map:
            out += '{';
            for (size_t i = 0; i + 1 < v.items.size(); i += 2) {
                if (i) out += ',';
                newline(level + 1);
                appendJsonString(out, keyText(v.items[i]));
                out += indent < 0 ? ":" : ": ";
                writeJson(out, v.items[i + 1], indent, level + 1);
            }
            if (!v.items.empty()) newline(level);
            out += '}';
            break;
    }
}

}  // namespace

std::optional<Value> parseJson(std::string_view text, ParseError* error, uint32_t baseOffset) {
    return JsonParser(text, baseOffset).parseDocument(error);
}

void appendJsonString(std::string& out, std::string_view text) {
    out += '"';
    for (const char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (uint8_t(c) < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", unsigned(uint8_t(c)));
                    out += buffer;
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

std::string toJson(const Value& value) {
    std::string out;
    writeJson(out, value, -1, 0);
    return out;
}

std::string toPrettyJson(const Value& value) {
    std::string out;
    writeJson(out, value, 2, 0);
    return out;
}

}  // namespace framescope::decoders
