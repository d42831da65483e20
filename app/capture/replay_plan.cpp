// Messages are rebuilt from the store's frames: the inflated bytes of a compressed message's last frame, or
// the payloads of its frames joined. The client's direction is that of the handshake request note, else
// that of masked frames (RFC 6455 §5.1: clients mask).
#include "capture/replay_plan.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace framescope::app {

namespace {

QByteArray bytesOf(std::span<const uint8_t> bytes) {
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()));
}

std::optional<Direction> clientDirection(const CaptureStore& store, uint32_t id) {
    for (size_t row = 0; row < store.size(); ++row) {
        const CaptureRecord& r = store.record(row);
        if (r.connectionId != id) continue;
        if (r.kind == RecordKind::HandshakeRequest) return r.direction;
        if (r.kind == RecordKind::Frame && r.masked()) return r.direction;
    }
    return std::nullopt;
}

std::optional<uint32_t> firstConnection(const CaptureStore& store) {
    for (size_t row = 0; row < store.size(); ++row) {
        const CaptureRecord& r = store.record(row);
        if (r.kind == RecordKind::Frame && r.endsMessage()) return r.connectionId;
    }
    return std::nullopt;
}

QString preview(const ReplayMessage& m) {
    const QByteArray shown = m.text ? m.payload.left(40) : m.payload.left(20).toHex(' ');
    return QString("%1 of %2 bytes \"%3%4\"")
        .arg(m.text ? "text" : "binary")
        .arg(m.payload.size())
        .arg(QString::fromUtf8(shown))
        .arg(m.payload.size() > 40 ? "…" : "");
}

}  // namespace

ReplayPlan replayPlanOf(const CaptureStore& store, std::optional<uint32_t> connection) {
    ReplayPlan plan;
    const std::optional<uint32_t> id = connection ? connection : firstConnection(store);
    if (!id) {
        plan.error = "The capture has no data message to replay.";
        return plan;
    }
    plan.connectionId = *id;
    const Direction client = clientDirection(store, *id).value_or(Direction::Outgoing);
    QByteArray partial[2];
    for (size_t row = 0; row < store.size(); ++row) {
        const CaptureRecord& r = store.record(row);
        if (r.isNote() || r.connectionId != *id || isControlOpcode(r.opcode)) continue;
        const int side = r.direction == client ? 0 : 1;
        partial[side] += bytesOf(store.payload(row));
        if (r.rsv1()) plan.deflate = true;
        if (!r.endsMessage()) continue;
        ReplayMessage m;
        m.timeUs = r.timestampUs;
        m.text = r.messageOpcode == opcode::kText;
        m.payload = r.compressed() ? bytesOf(store.inflated(row)) : partial[side];
        partial[side].clear();
        (side == 0 ? plan.send : plan.expect).append(m);
    }
    if (plan.send.isEmpty()) {
        plan.error = QString("Connection %1 has no message from its client to replay.").arg(*id);
    }
    return plan;
}

ReplayComparison compareReplies(const QList<ReplayMessage>& expected, const QList<ReplayMessage>& received) {
    ReplayComparison c;
    c.expected = expected.size();
    c.received = received.size();
    for (qsizetype i = 0; i < std::max(expected.size(), received.size()); ++i) {
        if (i < expected.size() && i < received.size() && expected[i].text == received[i].text &&
            expected[i].payload == received[i].payload) {
            ++c.matched;
            continue;
        }
        if (c.firstDifference >= 0) continue;
        c.firstDifference = i;
        if (i >= received.size()) {
            c.difference = QString("reply %1 never came (expected %2)").arg(i + 1).arg(preview(expected[i]));
        } else if (i >= expected.size()) {
            c.difference =
                QString("reply %1 was not in the capture (got %2)").arg(i + 1).arg(preview(received[i]));
        } else {
            c.difference = QString("reply %1: expected %2, got %3")
                               .arg(i + 1)
                               .arg(preview(expected[i]), preview(received[i]));
        }
    }
    return c;
}

QString replaySummary(const ReplayPlan& plan, const ReplayComparison& c) {
    QString text = QString("connection %1: sent %2 messages; %3 of %4 replies match (%5 received)")
                       .arg(plan.connectionId)
                       .arg(plan.send.size())
                       .arg(c.matched)
                       .arg(c.expected)
                       .arg(c.received);
    if (!c.ok()) text += "; first difference at " + c.difference;
    return text + ".";
}

QByteArray replaySummaryJson(const ReplayPlan& plan, const ReplayComparison& c) {
    QJsonObject o;
    o["connection"] = static_cast<qint64>(plan.connectionId);
    o["sent"] = plan.send.size();
    o["expected"] = c.expected;
    o["received"] = c.received;
    o["matched"] = c.matched;
    o["ok"] = c.ok();
    o["first_difference"] = c.ok() ? QJsonValue() : QJsonValue(c.firstDifference);
    o["difference"] = c.ok() ? QJsonValue() : QJsonValue(c.difference);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

}  // namespace framescope::app
