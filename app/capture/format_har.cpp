// HAR export walks the rows once, grouping by connection (in order of first appearance); a message is
// written at its last frame with its whole (inflated) bytes. HAR import builds one CapturedFrame per
// message and handshake notes from the entry's request and response.
#include "capture/format_har.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include <map>
#include <vector>

#include "capture/capture_export.h"
#include "framescope/frame.h"
#include "framescope/http_head.h"
#include "framescope/utf8.h"

namespace framescope::app {

namespace {

struct HarConnection {
    std::string request;
    std::string response;
    int64_t startUs = 0;
    Direction client = Direction::Outgoing;
    bool clientKnown = false;
    QJsonArray messages;
    QJsonArray frames;
    QByteArray partial[2];
};

QJsonArray headersOf(const HttpHead& head) {
    QJsonArray out;
    for (const HttpHeader& h : head.headers.all())
        out.append(QJsonObject{{"name", QString::fromStdString(h.name)},
                               {"value", QString::fromStdString(h.value)}});
    return out;
}

HttpHead parseHead(const std::string& text, HttpHeadKind kind) {
    HttpHeadParser parser(kind);
    parser.feed(std::string_view(text));
    return parser.head();
}

QJsonObject entryOf(uint32_t id, HarConnection& c) {
    const HttpHead request = parseHead(c.request, HttpHeadKind::Request);
    const HttpHead response = parseHead(c.response, HttpHeadKind::Response);
    const QString host =
        QString::fromStdString(std::string(request.headers.first("Host").value_or("unknown")));
    const QString url =
        "ws://" + host + QString::fromStdString(request.target.empty() ? "/" : request.target);
    QJsonObject req{{"method", "GET"},
                    {"url", url},
                    {"httpVersion", "HTTP/1.1"},
                    {"cookies", QJsonArray()},
                    {"headers", headersOf(request)},
                    {"queryString", QJsonArray()},
                    {"headersSize", -1},
                    {"bodySize", 0}};
    QJsonObject resp{{"status", response.status ? response.status : 101},
                     {"statusText", QString::fromStdString(response.reason)},
                     {"httpVersion", "HTTP/1.1"},
                     {"cookies", QJsonArray()},
                     {"headers", headersOf(response)},
                     {"content", QJsonObject{{"size", 0}, {"mimeType", "x-unknown"}}},
                     {"redirectURL", ""},
                     {"headersSize", -1},
                     {"bodySize", 0}};
    const QDateTime start = QDateTime::fromMSecsSinceEpoch(c.startUs / 1000, Qt::UTC);
    return QJsonObject{
        {"startedDateTime", start.toString(Qt::ISODateWithMs)},
        {"time", 0},
        {"request", req},
        {"response", resp},
        {"cache", QJsonObject()},
        {"timings", QJsonObject{{"blocked", -1},
                                {"dns", -1},
                                {"connect", -1},
                                {"send", 0},
                                {"wait", 0},
                                {"receive", 0},
                                {"ssl", -1}}},
        {"_resourceType", "websocket"},
        {"_webSocketMessages", c.messages},
        {"_framescope", QJsonObject{{"connection", static_cast<qint64>(id)}, {"frames", c.frames}}}};
}

void addMessage(HarConnection& c, const CaptureStore& store, size_t row) {
    const CaptureRecord& r = store.record(row);
    const int side = r.direction == c.client ? 0 : 1;
    const auto payload = store.payload(row);
    c.partial[side].append(reinterpret_cast<const char*>(payload.data()),
                           static_cast<qsizetype>(payload.size()));
    if (!r.endsMessage()) return;
    QByteArray message = c.partial[side];
    c.partial[side].clear();
    if (r.compressed()) {
        const auto inflated = store.inflated(row);
        message = QByteArray(reinterpret_cast<const char*>(inflated.data()),
                             static_cast<qsizetype>(inflated.size()));
    }
    const bool text = r.messageOpcode == opcode::kText;
    c.messages.append(
        QJsonObject{{"type", side == 0 ? "send" : "receive"},
                    {"time", static_cast<double>(r.timestampUs) / 1e6},
                    {"opcode", text ? 1 : 2},
                    {"data", text ? QString::fromUtf8(message) : QString::fromLatin1(message.toBase64())}});
}

}  // namespace

FormatResult writeHar(const CaptureStore& store, const RowSet& rows, const ChunkWriter& write) {
    std::map<uint32_t, HarConnection> connections;
    std::vector<uint32_t> order;
    const size_t count = rows.count(store);
    for (size_t i = 0; i < count; ++i) {
        // HAR is built whole before its one write: look at a cancellation on the way.
        if (i % 4096 == 0 && rows.cancelled()) return FormatResult::failure("The save was cancelled.");
        const size_t row = rows.at(i);
        const CaptureRecord& r = store.record(row);
        auto [it, added] = connections.try_emplace(r.connectionId);
        HarConnection& c = it->second;
        if (added) {
            order.push_back(r.connectionId);
            c.startUs = r.timestampUs;
        }
        if (r.kind == RecordKind::HandshakeRequest) {
            c.request = std::string(store.noteText(row));
            c.client = r.direction;
            c.clientKnown = true;
        } else if (r.kind == RecordKind::HandshakeResponse) {
            c.response = std::string(store.noteText(row));
        } else if (r.kind == RecordKind::Frame) {
            if (!c.clientKnown && r.masked()) {
                c.client = r.direction;
                c.clientKnown = true;
            }
            c.frames.append(QJsonDocument::fromJson(rowToJson(store, row)).object());
            if (!isControlOpcode(r.opcode)) addMessage(c, store, row);
        }
    }
    QJsonArray entries;
    for (const uint32_t id : order)
        entries.append(entryOf(id, connections[id]));
    const QJsonObject log{{"version", "1.2"},
                          {"creator", QJsonObject{{"name", "FrameScope"}, {"version", "0.1.0"}}},
                          {"pages", QJsonArray()},
                          {"entries", entries}};
    const QByteArray bytes = QJsonDocument(QJsonObject{{"log", log}}).toJson(QJsonDocument::Indented);
    if (!write({reinterpret_cast<const uint8_t*>(bytes.constData()), static_cast<size_t>(bytes.size())}))
        return FormatResult::failure("Cannot write the HAR file.");
    return {true, {}, count};
}

namespace {

std::string headText(const QJsonObject& message, bool request) {
    std::string text;
    if (request) {
        const QUrl url(message["url"].toString());
        QString target = url.path(QUrl::FullyEncoded);
        if (target.isEmpty()) target = "/";
        if (url.hasQuery()) target += "?" + url.query(QUrl::FullyEncoded);
        text = "GET " + target.toStdString() + " HTTP/1.1\r\n";
    } else {
        text = "HTTP/1.1 " + std::to_string(message["status"].toInt()) + " " +
               message["statusText"].toString().toStdString() + "\r\n";
    }
    for (const QJsonValue& h : message["headers"].toArray()) {
        const QJsonObject header = h.toObject();
        text += header["name"].toString().toStdString() + ": " + header["value"].toString().toStdString() +
                "\r\n";
    }
    return text + "\r\n";
}

void addNote(CaptureSink& sink, uint32_t id, int64_t timeUs, NoteKind kind, const std::string& text) {
    CapturedNote note;
    note.timestampUs = timeUs;
    note.connectionId = id;
    note.direction = kind == NoteKind::HandshakeRequest ? Direction::Outgoing : Direction::Incoming;
    note.kind = kind;
    note.text = text;
    sink.addNote(note);
}

// A message's "time" (seconds since the epoch) in microseconds; 0 when it is out of int64's range (found by
// fuzz_har: the cast of 1e300 s was undefined behaviour).
int64_t harTimeUs(double seconds) {
    constexpr double kLimit = 9.2e12;  // seconds: 9.2e18 µs, within int64
    return seconds > -kLimit && seconds < kLimit ? static_cast<int64_t>(seconds * 1e6) : 0;
}

// One HAR message as a single frame, FIN set; a client's frame masked with the key 00 00 00 00.
void addHarMessage(CaptureSink& sink, uint32_t id, const QJsonObject& m, uint64_t& sent, uint64_t& received) {
    const bool send = m["type"].toString() == "send";
    const int op = m["opcode"].toInt(1);
    if (op != opcode::kText && op != opcode::kBinary) return;  // Chrome lists data messages only
    const QString data = m["data"].toString();
    const QByteArray payload = op == opcode::kText ? data.toUtf8() : QByteArray::fromBase64(data.toLatin1());
    CapturedFrame f;
    f.timestampUs = harTimeUs(m["time"].toDouble());
    f.connectionId = id;
    f.direction = send ? Direction::Outgoing : Direction::Incoming;
    f.header.opcode = static_cast<uint8_t>(op);
    f.header.masked = send;
    f.header.payloadLength = static_cast<uint64_t>(payload.size());
    f.header.lengthEncoding = minimalLengthEncoding(f.header.payloadLength);
    f.header.headerSize = static_cast<uint8_t>(frameHeaderSize(f.header.lengthEncoding, send));
    uint8_t raw[kMaxFrameHeaderSize];
    f.rawHeader = std::span<const uint8_t>(raw, encodeFrameHeader(f.header, raw));
    f.payload = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(payload.constData()),
                                         static_cast<size_t>(payload.size()));
    f.messageIndex = send ? sent++ : received++;
    f.endsMessage = true;
    f.messageWireSize = f.payload.size();
    sink.addFrame(f);
}

}  // namespace

bool looksLikeHar(std::span<const uint8_t> file) noexcept {
    size_t i = 0;
    if (file.size() >= 3 && file[0] == 0xEF && file[1] == 0xBB && file[2] == 0xBF) i = 3;  // UTF-8 BOM
    while (i < file.size() && (file[i] == ' ' || file[i] == '\n' || file[i] == '\r' || file[i] == '\t'))
        ++i;
    return i < file.size() && file[i] == '{';
}

FormatResult readHar(std::span<const uint8_t> file, CaptureSink& sink) {
    QJsonParseError parseError;
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray::fromRawData(reinterpret_cast<const char*>(file.data()),
                                                        static_cast<qsizetype>(file.size())),
                                &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return FormatResult::failure("It is not valid JSON (" + parseError.errorString().toStdString() +
                                     " at byte " + std::to_string(parseError.offset) + ").");
    }
    const QJsonValue entries = document.object()["log"].toObject()["entries"];
    if (!entries.isArray()) return FormatResult::failure("It is JSON but not a HAR file (no log.entries).");
    FormatResult result;
    uint32_t ids = 0;
    for (const QJsonValue& value : entries.toArray()) {
        const QJsonObject entry = value.toObject();
        const QJsonArray messages = entry["_webSocketMessages"].toArray();
        if (messages.isEmpty() && entry["_resourceType"].toString() != "websocket") continue;
        const uint32_t id = ++ids;
        const QDateTime started =
            QDateTime::fromString(entry["startedDateTime"].toString(), Qt::ISODateWithMs);
        const int64_t startUs = started.isValid() ? started.toMSecsSinceEpoch() * 1000 : 0;
        addNote(sink, id, startUs, NoteKind::HandshakeRequest, headText(entry["request"].toObject(), true));
        addNote(sink, id, startUs, NoteKind::HandshakeResponse,
                headText(entry["response"].toObject(), false));
        uint64_t sent = 0;
        uint64_t received = 0;
        for (const QJsonValue& m : messages)
            addHarMessage(sink, id, m.toObject(), sent, received);
        result.rows += 2 + messages.size();
    }
    if (ids == 0)
        result.error = "The HAR file has no WebSocket connection (no entry with _webSocketMessages).";
    return result;
}

}  // namespace framescope::app
