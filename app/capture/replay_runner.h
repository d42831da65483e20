// Runs a ReplayPlan against a server: connects (a Connection, the one client), sends the plan's messages
// with their captured spacing divided by `speed` (0: each at once), collects the replies until there are
// as many as captured or `waitMs` after the last send, closes with 1000, and reports the comparison.
// framescope-cli replay and the window's "Replay to…" both use it. Lives on a thread with an event loop.
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>

#include "capture/replay_plan.h"
#include "net/connection_types.h"

namespace framescope::app {

class Connection;

struct ReplayOptions {
    double speed = 1.0;  // 2 = twice as fast; 0 = as fast as possible
    int waitMs = 5000;   // for replies after the last send
};

class ReplayRunner : public QObject {
    Q_OBJECT
public:
    // `connection.deflate` is set when the plan's connection used permessage-deflate and it is not set.
    ReplayRunner(ReplayPlan plan, ConnectionOptions connection, ReplayOptions options,
                 QObject* parent = nullptr);
    ~ReplayRunner() override;

    void start();
    const ReplayPlan& plan() const noexcept { return plan_; }
    const ReplayComparison& comparison() const noexcept { return comparison_; }

signals:
    // After the comparison and the close (or 2 s without the server's close).
    void finished(bool ok, const QString& summary);
    // The connection failed before the comparison: one sentence.
    void failed(const QString& sentence);

private:
    void scheduleSends();
    void sendDue();
    void sendOne(const ReplayMessage& message);
    void compare();
    bool complete() const;

    ReplayPlan plan_;
    ReplayOptions options_;
    std::unique_ptr<Connection> connection_;
    QList<ReplayMessage> received_;
    ReplayComparison comparison_;
    qsizetype sent_ = 0;
    QElapsedTimer clock_;
    bool compared_ = false;
    bool done_ = false;
};

}  // namespace framescope::app
