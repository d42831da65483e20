// Connection: the controller that owns the worker's thread and forwards commands as queued calls.
#include "net/connection.h"

#include <QMetaObject>

#include "net/connection_worker.h"

namespace framescope::app {

Connection::Connection(ConnectionOptions options, CaptureSink* sink, uint32_t connectionId, QObject* parent)
    : QObject(parent), options_(options), connectionId_(connectionId) {
    worker_ = new ConnectionWorker(std::move(options), sink, connectionId);
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(worker_, &ConnectionWorker::stateChanged, this,
            [this](ConnectionState state, const QString& sentence) {
                state_ = state;
                sentence_ = sentence;
                emit stateChanged(state, sentence);
            });
    connect(worker_, &ConnectionWorker::timingUpdated, this, [this](const ConnectionTiming& timing) {
        timing_ = timing;
        emit timingUpdated(timing);
    });
    connect(worker_, &ConnectionWorker::opened, this, &Connection::opened);
    connect(worker_, &ConnectionWorker::messageReceived, this, &Connection::messageReceived);
    connect(worker_, &ConnectionWorker::closeReceived, this, &Connection::closeReceived);
    connect(worker_, &ConnectionWorker::commandFailed, this, &Connection::commandFailed);
    thread_.setObjectName(QString("connection-%1").arg(connectionId));
    thread_.start();
}

Connection::~Connection() {
    thread_.quit();
    thread_.wait();
}

template <typename F>
void Connection::post(F&& call) {
    QMetaObject::invokeMethod(worker_, std::forward<F>(call), Qt::QueuedConnection);
}

void Connection::open() {
    post([w = worker_] { w->open(); });
}

void Connection::sendText(const QString& text) {
    post([w = worker_, text] { w->sendText(text); });
}

void Connection::sendBinary(const QByteArray& data) {
    post([w = worker_, data] { w->sendBinary(data); });
}

void Connection::sendPing(const QByteArray& payload) {
    post([w = worker_, payload] { w->sendPing(payload); });
}

void Connection::sendPong(const QByteArray& payload) {
    post([w = worker_, payload] { w->sendPong(payload); });
}

void Connection::sendClose(quint16 code, const QString& reason) {
    post([w = worker_, code, reason] { w->sendClose(code, reason); });
}

void Connection::sendRaw(const RawFrame& frame) {
    post([w = worker_, frame] { w->sendRaw(frame); });
}

void Connection::sendFragmented(const FragmentedMessage& message) {
    post([w = worker_, message] { w->sendFragmented(message); });
}

void Connection::disconnectFromPeer() {
    post([w = worker_] { w->disconnectFromPeer(); });
}

}  // namespace framescope::app
