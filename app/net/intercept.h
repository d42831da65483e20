// Intercept in the reverse proxy: breakpoints (direction, opcode, payload pattern) that hold the messages
// crossing a ProxyPair until the user decides, and the decisions (forward as is, forward edited or as
// crafted raw frames, drop). The held messages live in their pair, on the proxy's thread; the GUI sees
// copies through ProxyServer's signals and decides through its queued calls (proxy_server.h).
//
// While a message waits, the later messages of the same direction queue behind it (order kept) and the
// other direction keeps flowing; pings never wait (each leg's session answers its own). The queued bytes
// are charged to the proxy's MemoryBudget: a message that would take it past the limit, or a direction
// queue past kMaxQueuedPerDirection messages, closes the leg it came from with 1013.
#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QRegularExpression>
#include <QString>

#include <cstdint>
#include <span>

#include "capture/capture_sink.h"
#include "net/connection_types.h"

namespace framescope::app {

// Which messages a breakpoint holds, by the leg they come from.
enum class InterceptDirection : uint8_t { Both, ToUpstream, ToApp };
enum class InterceptOpcodes : uint8_t { Any, Text, Binary };

struct InterceptRules {
    bool enabled = false;
    InterceptDirection direction = InterceptDirection::Both;
    InterceptOpcodes opcodes = InterceptOpcodes::Any;
    bool closes = false;  // close frames too (pings and pongs never: each leg answers its own)
    QString pattern;      // empty: every payload; else a substring of the payload bytes (UTF-8)
    bool regex = false;   // `pattern` is a regular expression, searched in the payload read as UTF-8
};

// A direction queue holds at most this many messages (held and queued behind) before its leg is closed.
constexpr int kMaxQueuedPerDirection = 10000;

// One sentence about what is wrong with the rules (an invalid regular expression), or empty.
QString checkInterceptRules(const InterceptRules& rules);

// The rules compiled once (the regular expression) and matched for every relayed message.
class InterceptMatcher {
public:
    InterceptMatcher() = default;
    explicit InterceptMatcher(const InterceptRules& rules);
    const InterceptRules& rules() const noexcept { return rules_; }
    // `from`: the leg the message came from. `opcode`: text, binary or close.
    bool matches(Leg from, uint8_t opcode, std::span<const uint8_t> payload) const;

private:
    InterceptRules rules_;
    QByteArray needle_;
    QRegularExpression expression_;
};

// A copy of a held message for the GUI.
struct HeldMessage {
    quint64 id = 0;      // unique in the process
    quint32 pairId = 0;  // the pair's client-leg id (the upstream leg's is the next one)
    Leg from = Leg::Client;
    uint8_t opcode = 0;  // opcode::kText, kBinary or kClose
    QByteArray payload;  // a close's reason
    quint16 closeCode = 0;
    quint64 messageIndex = kNoMessage;  // its index on the leg it came from (kNoMessage for a close)
};

// What to send instead of a held message, or what to inject into a leg.
struct InterceptAction {
    enum class Kind : uint8_t {
        Forward,  // the held message as it came
        Message,  // `opcode` + `payload` as one message (compressed when the leg negotiated it)
        Frames,   // `frames` exactly as crafted (broken ones included), through SessionDriver::sendRaw
        Drop,     // nothing
    };
    Kind kind = Kind::Forward;
    uint8_t opcode = 1;
    QByteArray payload;
    QList<RawFrame> frames;
};

const char* interceptDirectionName(Leg from);  // "app → upstream" or "upstream → app"

}  // namespace framescope::app

Q_DECLARE_METATYPE(framescope::app::HeldMessage)
