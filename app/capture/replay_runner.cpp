#include "capture/replay_runner.h"

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

void ReplayRunner::scheduleSends() {
    const int64_t start = plan_.send.isEmpty() ? 0 : plan_.send.first().timeUs;
    int lastMs = 0;
    for (const ReplayMessage& m : plan_.send) {
        const double ms =
            options_.speed <= 0 ? 0.0 : static_cast<double>(m.timeUs - start) / 1000.0 / options_.speed;
        const int at = static_cast<int>(std::clamp(ms, 0.0, 1e9));
        lastMs = std::max(lastMs, at);
        QTimer::singleShot(at, this, [this, m] { sendOne(m); });
    }
    QTimer::singleShot(lastMs + options_.waitMs, this, [this] { compare(); });
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
