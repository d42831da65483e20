// Which capture rows a view shows: direction, opcodes, control frames, notes, connection, a proxy's relayed
// copies, and a text, regex
// or hex search over payloads (inflated ones for compressed messages) and note texts, or a search over the
// fields application-protocol decoders read (event, topic, destination, method, operation, ...).
#pragma once

#include <QByteArray>
#include <QRegularExpression>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "capture/capture_store.h"
#include "framescope/decoders/decoded.h"

namespace framescope::app {

enum class DirectionFilter : uint8_t { Both, Incoming, Outgoing };
enum class SearchMode : uint8_t {
    Text,   // substring, UTF-8
    Regex,  // QRegularExpression over the payload decoded as UTF-8
    Hex,    // byte sequence, e.g. "de ad be ef" or "deadbeef"
    // Decoded fields, every term must match: `name:text` (the field contains text), `name=text` (equals
    // it), or a bare word (the summary contains it). Names are the decoders' field names (event, topic,
    // destination, method, operation, namespace, target, id, client_id) and protocol, type, summary.
    // Values with spaces go in double quotes: event:"price update".
    Decoded,
};

struct CaptureFilter {
    static constexpr uint16_t kAllOpcodes = 0xFFFF;
    static constexpr uint16_t opcodeBit(uint8_t op) noexcept {
        return static_cast<uint16_t>(1u << (op & 0xF));
    }

    DirectionFilter direction = DirectionFilter::Both;
    uint16_t opcodes = kAllOpcodes;  // frames whose opcode's bit is set are shown
    bool hideControl = false;        // ping, pong, close and reserved control opcodes
    bool hideNotes = false;
    std::vector<uint32_t> connections;  // the connection ids shown, ascending; empty: every connection
    QString search;                     // empty: no search
    SearchMode searchMode = SearchMode::Text;
    Qt::CaseSensitivity caseSensitivity = Qt::CaseInsensitive;
    // A proxy's relayed frames (record_flag::kRelayed): the message they carry shows once, as it arrived
    // on the other leg. False shows both legs' frames.
    bool hideRelayed = true;

    // False when every row passes, relayed frames aside (the model then needs no index until a relayed
    // frame is captured).
    bool isActive() const noexcept;
    bool operator==(const CaptureFilter&) const = default;
};

// A filter prepared for matching many rows (regex compiled, hex parsed once).
class CaptureFilterMatcher {
public:
    explicit CaptureFilterMatcher(const CaptureFilter& filter = {});

    const CaptureFilter& filter() const noexcept { return filter_; }
    // Empty when the search is usable; otherwise one sentence (a bad regex or hex string matches nothing).
    const QString& errorString() const noexcept { return error_; }
    // `decoded`: the decoded message `row` ends, or nullptr (a Decoded search then matches nothing).
    bool matches(const CaptureStore& store, size_t row, const decoders::Decoded* decoded = nullptr) const;
    // True when matches() needs the decoded message of rows (a Decoded search).
    bool needsDecoded() const noexcept;

private:
    struct Term {
        std::string name;  // empty: the summary
        QString value;
        bool exact = false;
    };
    void parseDecodedSearch();
    bool matchesDecoded(const decoders::Decoded* decoded) const;
    bool termMatches(const Term& term, const decoders::Decoded& decoded) const;

    bool matchesHeader(const CaptureRecord& record) const noexcept;
    bool matchesBytes(std::span<const uint8_t> bytes) const;

    CaptureFilter filter_;
    QString error_;
    QByteArray needle_;  // Text (case-sensitive) as UTF-8, or Hex as bytes
    QRegularExpression regex_;
    std::vector<Term> terms_;
};

}  // namespace framescope::app
