// Helpers shared by the app/ suites: a thread-safe recording CaptureSink, certificates made with the
// openssl CLI, and a scripted QTcpServer that does the handshake and then misbehaves on purpose.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QString>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <mutex>
#include <vector>

#include "capture/capture_sink.h"
#include "framescope/frame.h"
#include "framescope/handshake.h"

// A ThreadSanitizer build (FRAMESCOPE_SANITIZE=thread) looks for races: everything runs 5-15x slower and
// its allocator keeps freed memory, so suites there move less data and skip their RSS figures.
#if defined(__SANITIZE_THREAD__)
#define FRAMESCOPE_UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FRAMESCOPE_UNDER_TSAN 1
#endif
#endif

namespace framescope::test {

#ifdef FRAMESCOPE_UNDER_TSAN
constexpr bool kUnderThreadSanitizer = true;
#else
constexpr bool kUnderThreadSanitizer = false;
#endif

struct RecordedFrame {
    app::Direction direction;
    uint32_t connectionId;
    FrameHeader header;
    QByteArray payload;
    QByteArray inflated;
    uint64_t messageIndex;
    bool endsMessage;
    bool compressed;
    uint64_t wireSize;
    uint16_t closeCode;
    QString violation;
    bool crafted;
    app::Leg leg;
    MaskKey maskKey;
};

struct RecordedNote {
    app::Direction direction;
    uint32_t connectionId;
    app::NoteKind kind;
    QString text;
    app::Leg leg;
};

class RecordingSink : public app::CaptureSink {
public:
    // Taking the lock orders the workers' last writes before the destruction for ThreadSanitizer, which
    // cannot see the QThread::wait() that already does.
    ~RecordingSink() override { std::lock_guard lock(mutex_); }
    void addFrame(const app::CapturedFrame& f) override {
        RecordedFrame r{
            f.direction,
            f.connectionId,
            f.header,
            QByteArray(reinterpret_cast<const char*>(f.payload.data()), qsizetype(f.payload.size())),
            QByteArray(reinterpret_cast<const char*>(f.inflated.data()), qsizetype(f.inflated.size())),
            f.messageIndex,
            f.endsMessage,
            f.compressed,
            f.messageWireSize,
            f.closeCode,
            f.violation ? QString::fromUtf8(f.violation) : QString(),
            f.crafted,
            f.leg,
            f.header.maskKey};
        std::lock_guard lock(mutex_);
        frames_.push_back(std::move(r));
    }
    void addNote(const app::CapturedNote& n) override {
        RecordedNote r{n.direction, n.connectionId, n.kind,
                       QString::fromUtf8(n.text.data(), qsizetype(n.text.size())), n.leg};
        std::lock_guard lock(mutex_);
        notes_.push_back(std::move(r));
    }
    std::vector<RecordedFrame> frames() const {
        std::lock_guard lock(mutex_);
        return frames_;
    }
    std::vector<RecordedNote> notes() const {
        std::lock_guard lock(mutex_);
        return notes_;
    }
    int countFrames(const std::function<bool(const RecordedFrame&)>& match) const {
        int n = 0;
        for (const RecordedFrame& f : frames())
            n += match(f) ? 1 : 0;
        return n;
    }
    bool hasNote(const QString& part) const {
        for (const RecordedNote& n : notes())
            if (n.text.contains(part)) return true;
        return false;
    }
    bool hasNote(app::NoteKind kind, const QString& part) const {
        for (const RecordedNote& n : notes())
            if (n.kind == kind && n.text.contains(part)) return true;
        return false;
    }

private:
    mutable std::mutex mutex_;
    std::vector<RecordedFrame> frames_;
    std::vector<RecordedNote> notes_;
};

// Runs the openssl CLI in `dir`; fails the test with its output when it fails.
inline bool runOpenssl(const QString& dir, const QStringList& args) {
    QProcess p;
    p.setWorkingDirectory(dir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start("openssl", args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        qWarning("openssl %s failed: %s", qPrintable(args.join(' ')), p.readAll().constData());
        return false;
    }
    return true;
}

// A test PKI made with the openssl CLI: a CA, a server certificate for localhost/127.0.0.1 and a client
// certificate signed by it, and a self-signed server certificate nobody trusts.
struct TestPki {
    QTemporaryDir dir;
    QString path(const QString& name) const { return dir.filePath(name); }

    bool create() {
        const QString config = R"([req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[v3_server]
basicConstraints = CA:FALSE
subjectAltName = DNS:localhost, IP:127.0.0.1
extendedKeyUsage = serverAuth
[v3_client]
basicConstraints = CA:FALSE
extendedKeyUsage = clientAuth
)";
        QFile file(path("openssl.cnf"));
        if (!file.open(QIODevice::WriteOnly)) return false;
        file.write(config.toUtf8());
        file.close();
        const QString d = dir.path();
        const QStringList ec = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};
        const QStringList common = QStringList{"-config", "openssl.cnf"} + ec;
        return runOpenssl(
                   d, QStringList{"req", "-x509", "-extensions", "v3_ca", "-keyout", "ca.key", "-out",
                                  "ca.pem", "-days", "2", "-subj", "/CN=FrameScope Test CA/O=FrameScope"} +
                          common) &&
               signedCert("server", "/CN=localhost/O=FrameScope", "v3_server", common) &&
               signedCert("client", "/CN=FrameScope Test Client/O=FrameScope", "v3_client", common) &&
               runOpenssl(
                   d, QStringList{"req", "-x509", "-extensions", "v3_server", "-keyout", "bad.key", "-out",
                                  "bad.pem", "-days", "2", "-subj", "/CN=Untrusted Test Server/O=Nobody"} +
                          common);
    }

private:
    bool signedCert(const QString& name, const QString& subject, const QString& extensions,
                    const QStringList& common) {
        const QString d = dir.path();
        return runOpenssl(d, QStringList{"req", "-new", "-keyout", name + ".key", "-out", name + ".csr",
                                         "-subj", subject} +
                                 common) &&
               runOpenssl(d, {"x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                              "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile",
                              "openssl.cnf", "-extensions", extensions});
    }
};

// A plain QTcpServer on the test's thread. Each client's request is answered by `rawAnswer` when set,
// else by a real 101 (ServerHandshake, no extensions); then `afterHandshake` scripts what follows.
class ScriptedServer : public QObject {
public:
    QByteArray rawAnswer;
    bool answerHandshake = true;
    std::function<void(QTcpSocket*)> afterHandshake;
    QByteArray received;  // what the client sent after the handshake

    bool listen() {
        connect(&server_, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = server_.nextPendingConnection())
                serve(socket);
        });
        return server_.listen(QHostAddress::LocalHost, 0);
    }
    QString url() const { return QString("ws://127.0.0.1:%1/").arg(server_.serverPort()); }

private:
    void serve(QTcpSocket* socket) {
        auto handshake = std::make_shared<ServerHandshake>(ServerHandshakeOptions{});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, handshake] {
            const QByteArray bytes = socket->readAll();
            if (handshake->state() != HandshakeState::InProgress) {
                received += bytes;
                return;
            }
            const HandshakeStep step = handshake->receive(std::string_view(bytes.constData(), bytes.size()));
            if (step.state == HandshakeState::InProgress || !answerHandshake) return;
            if (!rawAnswer.isEmpty()) {
                socket->write(rawAnswer);
                socket->disconnectFromHost();
                return;
            }
            socket->write(QByteArray::fromStdString(handshake->response()));
            if (afterHandshake) afterHandshake(socket);
        });
    }

    QTcpServer server_;
};

// A server frame (unmasked) with the given first byte and payload.
inline QByteArray serverFrame(uint8_t firstByte, const QByteArray& payload) {
    QByteArray frame;
    frame.append(char(firstByte));
    if (payload.size() < 126) {
        frame.append(char(payload.size()));
    } else {
        frame.append(char(126));
        frame.append(char((payload.size() >> 8) & 0xff));
        frame.append(char(payload.size() & 0xff));
    }
    return frame + payload;
}

// Writes `request` to a server on loopback `port` and returns all it answered until it closed (empty when
// it could not connect within `waitMs`).
inline QByteArray rawExchange(quint16 port, const QByteArray& request, int waitMs) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(waitMs)) return {};
    socket.write(request);
    QByteArray answer;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(waitMs))
        answer += socket.readAll();
    return answer + socket.readAll();
}

// A plain TCP connection to 127.0.0.1:port from outside Qt (for byte-exact misbehaviour); -1 on failure.
// `receiveBuffer` (bytes, 0 for the default) is set before connecting, so the window stays that small.
inline int rawConnect(quint16 port, int receiveBuffer = 0) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (receiveBuffer > 0) ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// Writes all of the bytes to a raw socket; false once the peer refuses them.
inline bool sendAll(int fd, const char* data, size_t size) {
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n <= 0) return false;
        data += n;
        size -= size_t(n);
    }
    return true;
}

inline bool sendAll(int fd, const QByteArray& bytes) {
    return sendAll(fd, bytes.constData(), size_t(bytes.size()));
}

}  // namespace framescope::test
