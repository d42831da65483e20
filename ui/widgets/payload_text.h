// The payload as the inspector's Text and Base64 tabs show it, bounded so that any message lays out in
// bounded time: at most a given number of bytes (cut on a UTF-8 boundary), and lines longer than
// kDisplayLineChars broken into display lines. QPlainTextEdit lays out a whole line (one block) at once,
// so a 1 MiB message on one line used to freeze the window for a minute.
#pragma once

#include <QByteArray>
#include <QString>

namespace framescope::ui {

inline constexpr qsizetype kDisplayLineChars = 1000;

struct PayloadText {
    QString text;              // what the tab shows
    qsizetype shownBytes = 0;  // payload bytes it holds (<= the limit asked for)
    bool validUtf8 = true;     // the shown bytes are valid UTF-8 (else invalid bytes show as U+FFFD)
    bool linesBroken = false;  // a line longer than kDisplayLineChars was broken for display
};

// The first `limit` bytes of `payload`, fewer to end on a UTF-8 character boundary (no copy).
QByteArray utf8Prefix(const QByteArray& payload, qsizetype limit);
// utf8Prefix(payload, limit) as text.
PayloadText payloadText(const QByteArray& payload, qsizetype limit);
// The first `limit` bytes of `payload` in Base64, 76 characters a line (RFC 2045 §6.8).
QString base64Text(const QByteArray& payload, qsizetype limit);
// `text` with every line longer than `maxChars` broken into lines of at most `maxChars` characters (a
// surrogate pair is never split). Sets *broken when it broke one.
QString breakLongLines(const QString& text, qsizetype maxChars, bool* broken = nullptr);

}  // namespace framescope::ui
