#include "capture/replay_runner.h"

#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>

#include "framescope/close_code.h"
#include "net/connection.h"

namespace framescope::app {

ReplayRunner::ReplayRunner(ReplayPlan plan, ConnectionOptions connection, ReplayOptions options,
                           QObject* parent)
    : QObject(parent), plan_(std::move(plan)), options_(options) {
    if (plan_.deflate && !connection.deflate) connection.deflate = DeflateOffer{};
    connection.notifyMessages = true;
    connection_ = std::make_unique<Connection>(connection, nullptr, 1);
    connect(connection_.get(), &Connection::messageReceived, this,
            [this](bool text, const QByteArray& payload) {
                received_.append({0, text, payload});
                if (complete()) compare();
            });
    connect(connection_.get(), &Connection::stateChanged, this,
            [this](ConnectionState state, const QString& sentence) {
                if (state == ConnectionState::Open) scheduleSends();
                const bool over = state == ConnectionState::Closed || state == ConnectionState::Failed;
                if (over && compared_ && !done_) {
                    done_ = true;
                    emit finished(comparison_.ok(), replaySummary(plan_, comparison_));
                } else if (state == ConnectionState::Failed && !compared_) {
                    done_ = true;
                    emit failed(sentence);
                }
            });
}

ReplayRunner::~ReplayRunner() = default;

void ReplayRunner::start() {
    connection_->open();
}

bool ReplayRunner::complete() const {
    return sent_ == plan_.send.size() && received_.size() >= plan_.expect.size();
}

void ReplayRunner::sendOne(const ReplayMessage& m) {
    if (compared_) return;
    m.text ? connection_->sendText(QString::fromUtf8(m.payload)) : connection_->sendBinary(m.payload);
    ++sent_;
    if (complete()) compare();
}

// One message at a time, each timed from the start, so that the order never depends on timer ordering.
void ReplayRunner::scheduleSends() {
    clock_.start();
    sendDue();
}

void ReplayRunner::sendDue() {
    const int64_t start = plan_.send.isEmpty() ? 0 : plan_.send.first().timeUs;
    while (sent_ < plan_.send.size() && !compared_) {
        const ReplayMessage& m = plan_.send[sent_];
        const double dueMs =
            options_.speed <= 0 ? 0.0 : static_cast<double>(m.timeUs - start) / 1000.0 / options_.speed;
        const double waitMs = dueMs - static_cast<double>(clock_.nsecsElapsed()) / 1e6;
        if (waitMs >= 1.0) {
            QTimer::singleShot(static_cast<int>(std::min(waitMs, 1e9)), this, [this] { sendDue(); });
            return;
        }
        sendOne(m);
    }
    if (sent_ == plan_.send.size()) QTimer::singleShot(options_.waitMs, this, [this] { compare(); });
}

void ReplayRunner::compare() {
    if (compared_) return;
    compared_ = true;
    comparison_ = compareReplies(plan_.expect, received_);
    connection_->sendClose(close_code::kNormal);
    QTimer::singleShot(2000, this, [this] {
        if (done_) return;
        done_ = true;
        emit finished(comparison_.ok(), replaySummary(plan_, comparison_));
    });
}

}  // namespace framescope::app
