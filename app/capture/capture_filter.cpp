#include "capture/capture_filter.h"

#include <QByteArrayView>

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

QString utf8(std::span<const uint8_t> bytes) {
    return QString::fromUtf8(reinterpret_cast<const char*>(bytes.data()),
                             static_cast<qsizetype>(bytes.size()));
}

}  // namespace

bool CaptureFilter::isActive() const noexcept {
    return direction != DirectionFilter::Both || opcodes != kAllOpcodes || hideControl || hideNotes ||
           connectionId.has_value() || !search.isEmpty();
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
    }
}

bool CaptureFilterMatcher::matchesHeader(const CaptureRecord& record) const noexcept {
    if (filter_.direction == DirectionFilter::Incoming && record.direction != Direction::Incoming)
        return false;
    if (filter_.direction == DirectionFilter::Outgoing && record.direction != Direction::Outgoing)
        return false;
    if (filter_.connectionId && record.connectionId != *filter_.connectionId) return false;
    if (record.isNote()) return !filter_.hideNotes;
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
    }
    return false;
}

bool CaptureFilterMatcher::matches(const CaptureStore& store, size_t row) const {
    const CaptureRecord& record = store.record(row);
    if (!matchesHeader(record)) return false;
    if (filter_.search.isEmpty()) return true;
    if (record.isNote()) {
        const std::string_view text = store.noteText(row);
        return matchesBytes({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
    }
    // Deflate data means nothing to a search: compressed messages are searched once inflated.
    if (record.has(record_flag::kInCompressedMessage)) return matchesBytes(store.inflated(row));
    return matchesBytes(store.payload(row));
}

}  // namespace framescope::app
