// Replay of a saved capture: the client's messages of one connection (to send again, with their original
// times) and the server's messages (what should come back), and the comparison of what did come back.
// Call on the thread that reads the store.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

#include "capture/capture_store.h"

namespace framescope::app {

struct ReplayMessage {
    int64_t timeUs = 0;  // when it was captured
    bool text = true;
    QByteArray payload;  // the whole message, inflated
};

struct ReplayPlan {
    uint32_t connectionId = 0;
    bool deflate = false;         // the captured connection used permessage-deflate
    QList<ReplayMessage> send;    // the client's messages, in order
    QList<ReplayMessage> expect;  // the server's messages, in order
    QString error;                // set when there is nothing to replay
};

// The plan for `connection` (default: the first connection with a data message from its client).
ReplayPlan replayPlanOf(const CaptureStore& store, std::optional<uint32_t> connection = std::nullopt);

struct ReplayComparison {
    qsizetype expected = 0;
    qsizetype received = 0;
    qsizetype matched = 0;           // equal messages at the same position
    qsizetype firstDifference = -1;  // index of the first reply that differs or is missing/extra
    QString difference;              // one sentence about it
    bool ok() const { return firstDifference < 0; }
};

ReplayComparison compareReplies(const QList<ReplayMessage>& expected, const QList<ReplayMessage>& received);
// "sent 12 messages; 12 of 12 replies match" or "...; first difference at reply 3: ..."
QString replaySummary(const ReplayPlan& plan, const ReplayComparison& comparison);
QByteArray replaySummaryJson(const ReplayPlan& plan, const ReplayComparison& comparison);

}  // namespace framescope::app
