#include "capture/capture_filter.h"

#include <QByteArrayView>

#include <algorithm>
#include <cctype>

namespace framescope::app {

namespace {

// "de ad be ef", "de:ad:be:ef", "0xDEADBEEF" -> bytes; nullopt on a stray character or an odd digit count.
std::optional<QByteArray> parseHex(const QString& text) {
    QString digits = text;
    if (digits.startsWith(QLatin1String("0x"), Qt::CaseInsensitive)) digits.remove(0, 2);
    QByteArray packed;
    for (QChar c : digits) {
        if (c.isSpace() || c == QLatin1Char(':') || c == QLatin1Char('-')) continue;
        if (!std::isxdigit(static_cast<unsigned char>(c.toLatin1())) || c.unicode() > 0x7F)
            return std::nullopt;
        packed += c.toLatin1();
    }
    if (packed.isEmpty() || packed.size() % 2 != 0) return std::nullopt;
    return QByteArray::fromHex(packed);
}

// The names a Decoded search knows: the decoders' fields (with '_' for a space) and three of every message.
constexpr std::string_view kDecodedNames[] = {"event",     "topic",     "destination", "method",
                                              "operation", "namespace", "target",      "id",
                                              "client_id", "protocol",  "type",        "summary"};

// Splits at spaces outside double quotes; the quotes are removed.
std::vector<QString> searchTokens(const QString& text) {
    std::vector<QString> tokens;
    QString token;
    bool quoted = false;
    bool any = false;
    for (QChar c : text) {
        if (c == QLatin1Char('"')) {
            quoted = !quoted;
            any = true;
        } else if (c.isSpace() && !quoted) {
            if (any) tokens.push_back(token);
            token.clear();
            any = false;
        } else {
            token += c;
            any = true;
        }
    }
    if (any) tokens.push_back(token);
    return tokens;
}

QString text(std::string_view value) {
    return QString::fromUtf8(value.data(), static_cast<qsizetype>(value.size()));
}

QString utf8(std::span<const uint8_t> bytes) {
    return QString::fromUtf8(reinterpret_cast<const char*>(bytes.data()),
                             static_cast<qsizetype>(bytes.size()));
}

}  // namespace

bool CaptureFilter::isActive() const noexcept {
    return direction != DirectionFilter::Both || opcodes != kAllOpcodes || hideControl || hideNotes ||
           !connections.empty() || !search.isEmpty();
}

CaptureFilterMatcher::CaptureFilterMatcher(const CaptureFilter& filter) : filter_(filter) {
    if (filter_.search.isEmpty()) return;
    switch (filter_.searchMode) {
        case SearchMode::Text:
            if (filter_.caseSensitivity == Qt::CaseSensitive) needle_ = filter_.search.toUtf8();
            break;
        case SearchMode::Regex: {
            QRegularExpression::PatternOptions options = QRegularExpression::UseUnicodePropertiesOption;
            if (filter_.caseSensitivity == Qt::CaseInsensitive)
                options |= QRegularExpression::CaseInsensitiveOption;
            regex_ = QRegularExpression(filter_.search, options);
            if (!regex_.isValid()) {
                error_ = QStringLiteral("The regular expression is invalid: %1.").arg(regex_.errorString());
            } else {
                regex_.optimize();
            }
            break;
        }
        case SearchMode::Hex:
            if (std::optional<QByteArray> bytes = parseHex(filter_.search)) {
                needle_ = *bytes;
            } else {
                error_ = QStringLiteral("The hex search must be pairs of hex digits, e.g. \"de ad be ef\".");
            }
            break;
        case SearchMode::Decoded:
            parseDecodedSearch();
            break;
    }
}

void CaptureFilterMatcher::parseDecodedSearch() {
    for (const QString& token : searchTokens(filter_.search)) {
        Term term;
        const qsizetype colon = token.indexOf(QLatin1Char(':'));
        const qsizetype equals = token.indexOf(QLatin1Char('='));
        qsizetype split = colon < 0 ? equals : (equals < 0 ? colon : std::min(colon, equals));
        if (split <= 0) {
            term.value = token;
            terms_.push_back(std::move(term));
            continue;
        }
        term.name = token.left(split).toLower().toStdString();
        term.value = token.mid(split + 1);
        term.exact = token.at(split) == QLatin1Char('=');
        if (std::find(std::begin(kDecodedNames), std::end(kDecodedNames), term.name) ==
            std::end(kDecodedNames)) {
            error_ = QStringLiteral(
                         "\"%1\" is not a decoded field; use event, topic, destination, method, "
                         "operation, namespace, target, id, client_id, protocol, type or summary.")
                         .arg(token.left(split));
            return;
        }
        std::replace(term.name.begin(), term.name.end(), '_', ' ');
        terms_.push_back(std::move(term));
    }
}

bool CaptureFilterMatcher::needsDecoded() const noexcept {
    return filter_.searchMode == SearchMode::Decoded && !filter_.search.isEmpty();
}

bool CaptureFilterMatcher::termMatches(const Term& term, const decoders::Decoded& decoded) const {
    auto test = [&](std::string_view value) {
        const QString candidate = text(value);
        return term.exact ? candidate.compare(term.value, filter_.caseSensitivity) == 0
                          : candidate.contains(term.value, filter_.caseSensitivity);
    };
    if (term.name.empty() || term.name == "summary") return test(decoded.summary);
    if (term.name == "protocol") return test(decoders::protocolName(decoded.protocol));
    if (term.name == "type") return test(decoded.type);
    for (const decoders::Field& field : decoded.fields)
        if (field.name == term.name && test(field.value)) return true;
    return false;
}

bool CaptureFilterMatcher::matchesDecoded(const decoders::Decoded* decoded) const {
    if (!error_.isEmpty() || decoded == nullptr) return false;
    for (const Term& term : terms_)
        if (!termMatches(term, *decoded)) return false;
    return true;
}

bool CaptureFilterMatcher::matchesHeader(const CaptureRecord& record) const noexcept {
    if (filter_.direction == DirectionFilter::Incoming && record.direction != Direction::Incoming)
        return false;
    if (filter_.direction == DirectionFilter::Outgoing && record.direction != Direction::Outgoing)
        return false;
    if (!filter_.connections.empty() &&
        !std::binary_search(filter_.connections.begin(), filter_.connections.end(), record.connectionId))
        return false;
    if (record.isNote()) return !filter_.hideNotes;
    if (filter_.hideRelayed && record.relayed()) return false;
    if (filter_.hideControl && isControlOpcode(record.opcode)) return false;
    return (filter_.opcodes & CaptureFilter::opcodeBit(record.opcode)) != 0;
}

bool CaptureFilterMatcher::matchesBytes(std::span<const uint8_t> bytes) const {
    if (!error_.isEmpty()) return false;
    switch (filter_.searchMode) {
        case SearchMode::Text:
            if (filter_.caseSensitivity == Qt::CaseSensitive) {
                const QByteArrayView hay(bytes.data(), static_cast<qsizetype>(bytes.size()));
                return hay.contains(needle_);
            }
            return utf8(bytes).contains(filter_.search, Qt::CaseInsensitive);
        case SearchMode::Regex:
            return regex_.match(utf8(bytes)).hasMatch();
        case SearchMode::Hex: {
            const QByteArrayView hay(bytes.data(), static_cast<qsizetype>(bytes.size()));
            return hay.contains(needle_);
        }
        case SearchMode::Decoded:
            break;
    }
    return false;
}

bool CaptureFilterMatcher::matches(const CaptureStore& store, size_t row,
                                   const decoders::Decoded* decoded) const {
    const CaptureRecord& record = store.record(row);
    if (!matchesHeader(record)) return false;
    if (filter_.search.isEmpty()) return true;
    if (filter_.searchMode == SearchMode::Decoded) return matchesDecoded(decoded);
    if (record.isNote()) {
        const std::string_view text = store.noteText(row);
        return matchesBytes({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
    }
    // Deflate data means nothing to a search: compressed messages are searched once inflated.
    if (record.has(record_flag::kInCompressedMessage)) return matchesBytes(store.inflated(row));
    return matchesBytes(store.payload(row));
}

}  // namespace framescope::app
