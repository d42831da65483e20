#include "widgets/payload_text.h"

#include "framescope/utf8.h"

namespace framescope::ui {

QByteArray utf8Prefix(const QByteArray& payload, qsizetype limit) {
    qsizetype cut = qMin(payload.size(), limit);
    // Back to the start of the character at the cut (a continuation byte, 10xxxxxx, never starts one).
    for (int back = 0;
         back < 3 && cut > 0 && cut < payload.size() && (static_cast<uint8_t>(payload[cut]) & 0xC0) == 0x80;
         ++back)
        --cut;
    return QByteArray::fromRawData(payload.constData(), cut);
}

QString breakLongLines(const QString& text, qsizetype maxChars, bool* broken) {
    if (broken) *broken = false;
    QString out;
    out.reserve(text.size() + text.size() / maxChars + 1);
    qsizetype column = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == QLatin1Char('\n')) {
            column = 0;
        } else if (column >= maxChars && !c.isLowSurrogate()) {
            out += QLatin1Char('\n');
            column = 0;
            if (broken) *broken = true;
        }
        out += c;
        if (c != QLatin1Char('\n')) ++column;
    }
    return out;
}

PayloadText payloadText(const QByteArray& payload, qsizetype limit) {
    PayloadText result;
    const QByteArray shown = utf8Prefix(payload, limit);
    result.shownBytes = shown.size();
    result.validUtf8 =
        isValidUtf8({reinterpret_cast<const uint8_t*>(shown.constData()), static_cast<size_t>(shown.size())});
    result.text = breakLongLines(QString::fromUtf8(shown), kDisplayLineChars, &result.linesBroken);
    return result;
}

QString base64Text(const QByteArray& payload, qsizetype limit) {
    const QByteArray encoded =
        QByteArray::fromRawData(payload.constData(), qMin(payload.size(), limit)).toBase64();
    QString out;
    out.reserve(encoded.size() + encoded.size() / 76 + 1);
    for (qsizetype i = 0; i < encoded.size(); i += 76) {
        if (i > 0) out += QLatin1Char('\n');
        out += QLatin1String(encoded.constData() + i, qMin<qsizetype>(76, encoded.size() - i));
    }
    return out;
}

}  // namespace framescope::ui
