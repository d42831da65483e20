// TcpTunnel: a byte pump with backpressure. Each socket's read buffer is bounded, and a side's bytes are
// moved only while the other side has less than kHighWater waiting to be sent, so memory follows what
// the slower peer accepts rather than what the faster one sends (TCP slows the sender). See tcp_tunnel.h.
#include "net/tcp_tunnel.h"

#include <QTimer>

#include "net/session_driver.h"

namespace framescope::app {

namespace {

constexpr qint64 kReadBuffer = 256 << 10;
constexpr qint64 kHighWater = 1 << 20;
constexpr qint64 kChunk = 64 << 10;
constexpr int kDrainTimeoutMs = 10000;

}  // namespace

TcpTunnel::TcpTunnel(QTcpSocket* app, QTcpSocket* server, uint32_t connectionId, const QString& target,
                     CaptureSink* sink, QObject* parent)
    : QObject(parent), app_(app), server_(server), connectionId_(connectionId), target_(target), sink_(sink) {
    for (QTcpSocket* socket : {app_, server_}) {
        socket->setParent(this);
        socket->setReadBufferSize(kReadBuffer);
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        connect(socket, &QAbstractSocket::disconnected, this, [this, socket] { onDisconnected(socket); });
    }
    connect(app_, &QIODevice::readyRead, this, [this] { pump(app_, server_, fromApp_, false); });
    connect(server_, &QIODevice::readyRead, this, [this] { pump(server_, app_, fromServer_, false); });
    // Room on one side: read more from the other.
    connect(server_, &QIODevice::bytesWritten, this, [this] { pump(app_, server_, fromApp_, false); });
    connect(app_, &QIODevice::bytesWritten, this, [this] { pump(server_, app_, fromServer_, false); });
    // Bytes the app sent right behind its CONNECT (a TLS ClientHello) are already buffered.
    QTimer::singleShot(0, this, [this] {
        pump(app_, server_, fromApp_, false);
        pump(server_, app_, fromServer_, false);
    });
}

void TcpTunnel::pump(QTcpSocket* from, QTcpSocket* to, uint64_t& counted, bool drain) {
    while (from->bytesAvailable() > 0 && (drain || to->bytesToWrite() < kHighWater)) {
        const QByteArray chunk = from->read(kChunk);
        if (chunk.isEmpty()) break;
        counted += static_cast<uint64_t>(chunk.size());
        if (to->state() == QAbstractSocket::ConnectedState) to->write(chunk);
    }
}

// One side closed: what it sent last is passed on, then the other side is closed once its writes are out.
void TcpTunnel::onDisconnected(QTcpSocket* gone) {
    QTcpSocket* other = gone == app_ ? server_ : app_;
    (gone == app_ ? appGone_ : serverGone_) = true;
    pump(gone, other, gone == app_ ? fromApp_ : fromServer_, true);
    if (other->state() != QAbstractSocket::UnconnectedState) {
        other->disconnectFromHost();
        QTimer::singleShot(kDrainTimeoutMs, other, [other] { other->abort(); });
    } else {
        (other == app_ ? appGone_ : serverGone_) = true;
    }
    if (!appGone_ || !serverGone_ || finished_) return;
    finished_ = true;
    const QString sentence =
        QString(
            "Opaque tunnel to %1 closed: %2 bytes from the app, %3 bytes from the server, passed through "
            "unread (TLS interception is off).")
            .arg(target_)
            .arg(fromApp_)
            .arg(fromServer_);
    const QByteArray utf8 = sentence.toUtf8();
    LegSink client(sink_, Leg::Client);  // like the router's notes about this tunnel: the app's side
    addCaptureNote(sink_ ? &client : nullptr, connectionId_, NoteKind::Status, Direction::Incoming,
                   std::string_view(utf8.constData(), static_cast<size_t>(utf8.size())));
    emit finished(sentence);
}

}  // namespace framescope::app
