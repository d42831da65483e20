// The echo server's reads of plain TCP clients (unbuffered sockets: Qt reports neither the end of the
// stream nor a reset there, the server does), driven by raw loopback sockets: a peer that closes, resets
// or half-closes, during the handshake or after it; many messages in one write, with and without the end
// right behind them; and a flood that never reads its echoes. No timing is asserted (deadlines only
// bound the waits).
#include <QSignalSpy>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "framescope/close_code.h"
#include "net/echo_server.h"
#include "test_support.h"

using namespace framescope;
using namespace framescope::app;
using framescope::test::rawConnect;
using framescope::test::sendAll;

namespace {

constexpr int kWait = 60000;

enum class PeerEnd { Close, Reset, HalfClose };

// Reads until the server closes (or the deadline); returns what arrived.
QByteArray readUntilClosed(int fd) {
    QByteArray all;
    QElapsedTimer clock;
    clock.start();
    char buffer[65536];
    while (clock.elapsed() < kWait) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) continue;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        all.append(buffer, n);
    }
    return all;
}

bool readExactly(int fd, QByteArray& into, qsizetype size) {
    into.resize(size);
    qsizetype at = 0;
    while (at < size) {
        const ssize_t n = ::recv(fd, into.data() + at, size_t(size - at), 0);
        if (n <= 0) return false;
        at += n;
    }
    return true;
}

bool rawHandshake(int fd) {
    const QByteArray request =
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    if (!sendAll(fd, request)) return false;
    QByteArray head;
    char c = 0;
    while (!head.endsWith("\r\n\r\n") && ::recv(fd, &c, 1, 0) == 1)
        head.append(c);
    return head.startsWith("HTTP/1.1 101");
}

// The length field of a frame's header (RFC 6455 §5.2, minimal), after the first byte; `maskBit` 0x80 or 0.
QByteArray lengthField(qsizetype size, uint8_t maskBit) {
    QByteArray field;
    if (size < 126) {
        field.append(char(maskBit | size));
    } else if (size <= 0xFFFF) {
        field.append(char(maskBit | 126));
        field.append(char(size >> 8));
        field.append(char(size & 0xff));
    } else {
        field.append(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            field.append(char((quint64(size) >> shift) & 0xff));
    }
    return field;
}

// A masked client frame with the key `key` (a zero key sends the payload as is).
QByteArray clientFrame(uint8_t firstByte, const QByteArray& payload,
                       const QByteArray& key = QByteArray(4, '\0')) {
    QByteArray masked = payload;
    for (qsizetype i = 0; i < masked.size(); ++i)
        masked[i] = char(masked[i] ^ key[i % 4]);
    return char(firstByte) + lengthField(payload.size(), 0x80) + key + masked;
}

// The server's unmasked frame carrying `payload`.
QByteArray serverFrame(uint8_t firstByte, const QByteArray& payload) {
    return char(firstByte) + lengthField(payload.size(), 0) + payload;
}

void endPeer(int fd, PeerEnd how) {
    if (how == PeerEnd::Reset) {
        const linger abortive{1, 0};  // close() sends RST
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
    }
    if (how == PeerEnd::HalfClose) {
        ::shutdown(fd, SHUT_WR);
        readUntilClosed(fd);  // the server closes its side in turn
    }
    ::close(fd);
}

// Message i's payload of `size` bytes: i in its first two bytes, a letter for i in the rest.
QByteArray numberedPayload(int i, qsizetype size) {
    QByteArray payload(size, char('a' + i % 26));
    payload[0] = char(i & 0xff);
    payload[1] = char(i >> 8);
    return payload;
}

// `count` binary messages of `size` bytes, numbered in their first bytes, as one block of frames.
QByteArray numberedMessages(int count, qsizetype size) {
    QByteArray all;
    for (int i = 0; i < count; ++i)
        all += clientFrame(0x82, numberedPayload(i, size));
    return all;
}

// Sends `sent` while reading, a little at a time, until `size` bytes came back (or the deadline).
QByteArray sendWhileReadingSlowly(int fd, const QByteArray& sent, qsizetype size) {
    QByteArray echoes;
    qsizetype offset = 0;
    QElapsedTimer clock;
    clock.start();
    char buffer[2048];
    while (echoes.size() < size && clock.elapsed() < kWait) {
        const bool sending = offset < sent.size();
        pollfd p{fd, short(POLLIN | (sending ? POLLOUT : 0)), 0};
        if (::poll(&p, 1, 200) <= 0) continue;
        if (sending && (p.revents & POLLOUT) != 0) {
            const size_t piece = size_t(std::min<qsizetype>(65536, sent.size() - offset));
            const ssize_t n = ::send(fd, sent.constData() + offset, piece, MSG_NOSIGNAL | MSG_DONTWAIT);
            offset += std::max<ssize_t>(n, 0);
        }
        if ((p.revents & POLLIN) == 0) continue;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n == 0) break;
        if (n > 0) echoes.append(buffer, n);
    }
    return echoes;
}

// Checks that `echoes` holds the echoes of numberedMessages(count, size), in order.
bool echoesInOrder(const QByteArray& echoes, int count, qsizetype size) {
    const qsizetype header = size < 126 ? 2 : size <= 0xFFFF ? 4 : 10;
    if (echoes.size() < count * (header + size)) return false;
    for (int i = 0; i < count; ++i) {
        const char* payload = echoes.constData() + i * (header + size) + header;
        if (uint8_t(payload[0]) != (i & 0xff) || uint8_t(payload[1]) != (i >> 8)) return false;
        if (payload[size - 1] != char('a' + i % 26)) return false;
    }
    return true;
}

}  // namespace

class TstEchoServer : public QObject {
    Q_OBJECT

private slots:
    void peerEndAfterAMessageIsReported_data() {
        QTest::addColumn<int>("how");
        QTest::newRow("close") << int(PeerEnd::Close);
        QTest::newRow("reset") << int(PeerEnd::Reset);
        QTest::newRow("half close") << int(PeerEnd::HalfClose);
    }

    // The client echoes one message, then goes away without a close frame: the server notices, says so
    // (1006) and counts the client gone.
    void peerEndAfterAMessageIsReported() {
        QFETCH(int, how);
        EchoServer server(EchoServerOptions{});
        QSignalSpy gone(&server, &EchoServer::clientDisconnected);
        QVERIFY(server.start());
        const int fd = rawConnect(server.port());
        QVERIFY(fd >= 0 && rawHandshake(fd));
        QVERIFY(sendAll(fd, clientFrame(0x81, "hello")));
        QByteArray echo;
        QVERIFY(readExactly(fd, echo, 7));
        QCOMPARE(echo.mid(2), QByteArray("hello"));
        QTRY_COMPARE_WITH_TIMEOUT(server.counters().clientsConnected.load(), uint64_t(1), kWait);
        endPeer(fd, PeerEnd(how));
        QTRY_COMPARE_WITH_TIMEOUT(gone.size(), 1, kWait);
        QVERIFY2(gone[0][1].toString().contains("1006"), qPrintable(gone[0][1].toString()));
        QCOMPARE(server.counters().clientsConnected.load(), uint64_t(0));
    }

    void peerEndDuringTheHandshakeIsReported_data() { peerEndAfterAMessageIsReported_data(); }

    void peerEndDuringTheHandshakeIsReported() {
        QFETCH(int, how);
        EchoServer server(EchoServerOptions{});
        QSignalSpy gone(&server, &EchoServer::clientDisconnected);
        QVERIFY(server.start());
        const int fd = rawConnect(server.port());
        QVERIFY(fd >= 0 && sendAll(fd, "GET / HTTP/1.1\r\nHost: x\r\n"));
        endPeer(fd, PeerEnd(how));
        QTRY_COMPARE_WITH_TIMEOUT(gone.size(), 1, kWait);
        QVERIFY2(gone[0][1].toString().contains("during the handshake"), qPrintable(gone[0][1].toString()));
    }

    // A close frame with the end of the stream right behind it: the close reply is still on the wire.
    void closeFrameThenHalfClose() {
        EchoServer server(EchoServerOptions{});
        QSignalSpy gone(&server, &EchoServer::clientDisconnected);
        QVERIFY(server.start());
        const int fd = rawConnect(server.port());
        QVERIFY(fd >= 0 && rawHandshake(fd));
        QVERIFY(sendAll(fd, clientFrame(0x88, QByteArray("\x03\xe8", 2) + "bye")));
        ::shutdown(fd, SHUT_WR);
        const QByteArray answer = readUntilClosed(fd);
        ::close(fd);
        QVERIFY(answer.size() >= 4);
        QCOMPARE(uint8_t(answer[0]), uint8_t(0x88));
        QCOMPARE((uint8_t(answer[2]) << 8) | uint8_t(answer[3]), int(close_code::kNormal));
        QTRY_COMPARE_WITH_TIMEOUT(gone.size(), 1, kWait);
        QVERIFY2(gone[0][1].toString().contains("completed"), qPrintable(gone[0][1].toString()));
    }

    void manyMessagesInOneWrite_data() {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("size");
        QTest::addColumn<bool>("halfClose");
        // More than one read chunk (16 KiB, doubling): several reads in one wakeup.
        QTest::newRow("400 x 1 KiB") << 400 << 1024 << false;
        QTest::newRow("2000 x 64 B") << 2000 << 64 << false;
        QTest::newRow("60 x 16 KiB") << 60 << 16384 << false;
        QTest::newRow("40 x 70000 B (64-bit lengths)") << 40 << 70000 << false;
        // The end of the stream right behind them: every echo is written before the socket closes.
        QTest::newRow("400 x 1 KiB, then the end") << 400 << 1024 << true;
        QTest::newRow("16 x 1016 B (16 KiB of frames), then the end") << 16 << 1016 << true;
    }

    void manyMessagesInOneWrite() {
        QFETCH(int, count);
        QFETCH(int, size);
        QFETCH(bool, halfClose);
        EchoServer server(EchoServerOptions{});
        QSignalSpy gone(&server, &EchoServer::clientDisconnected);
        QVERIFY(server.start());
        const int fd = rawConnect(server.port());
        QVERIFY(fd >= 0 && rawHandshake(fd));
        QVERIFY(sendAll(fd, numberedMessages(count, size)));
        QByteArray echoes;
        const qsizetype expected = count * ((size < 126 ? 2 : size <= 0xFFFF ? 4 : 10) + size);
        if (halfClose) {
            ::shutdown(fd, SHUT_WR);
            echoes = readUntilClosed(fd);
            QTRY_COMPARE_WITH_TIMEOUT(gone.size(), 1, kWait);
        } else {
            QVERIFY(readExactly(fd, echoes, expected));
        }
        ::close(fd);
        QCOMPARE(echoes.size(), expected);
        QVERIFY(echoesInOrder(echoes, count, size));
        QCOMPARE(server.counters().messagesEchoed.load(), uint64_t(count));
    }

    // Whole messages echoed in bulk, with a ping, text and a message in fragments between them, all in one
    // write: the replies come back in the order of what caused them, byte for byte.
    void mixedMessagesInOneWriteKeepTheirOrder() {
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        const int fd = rawConnect(server.port());
        QVERIFY(fd >= 0 && rawHandshake(fd));
        const QByteArray key("\x37\xfa\x21\x3d", 4);
        const QByteArray big(70000, 'b');
        const QByteArray sent = clientFrame(0x82, QByteArray(1000, 'x'), key) + clientFrame(0x89, "p", key) +
                                clientFrame(0x82, "second", key) + clientFrame(0x81, "h\xc3\xa9llo", key) +
                                clientFrame(0x02, "frag", key) + clientFrame(0x80, "ment", key) +
                                clientFrame(0x82, big, key) + clientFrame(0x81, "last", key);
        const QByteArray expected = serverFrame(0x82, QByteArray(1000, 'x')) + serverFrame(0x8A, "p") +
                                    serverFrame(0x82, "second") + serverFrame(0x81, "h\xc3\xa9llo") +
                                    serverFrame(0x82, "fragment") + serverFrame(0x82, big) +
                                    serverFrame(0x81, "last");
        QVERIFY(sendAll(fd, sent));
        QByteArray echoes;
        QVERIFY(readExactly(fd, echoes, expected.size()));
        ::close(fd);
        QCOMPARE(echoes.toHex(' ').left(200), expected.toHex(' ').left(200));
        QVERIFY(echoes == expected);
    }

    // A client that reads slowly through a small window while it sends: the kernel takes only part of many
    // of the server's writes, and Qt's buffer the rest. With 70000 B messages each read ends inside a
    // frame, so such a write is the reply to the frame the read completed, then the echoes written in
    // place (one sendmsg). Every byte comes back, in order.
    void slowReaderGetsEveryByteInOrder() {
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        const int fd = rawConnect(server.port(), 8192);
        QVERIFY(fd >= 0 && rawHandshake(fd));
        const int count = 120;
        const qsizetype size = 70000;
        QByteArray expected;
        for (int i = 0; i < count; ++i)
            expected += serverFrame(0x82, numberedPayload(i, size));
        const QByteArray echoes = sendWhileReadingSlowly(fd, numberedMessages(count, size), expected.size());
        ::close(fd);
        QCOMPARE(echoes.size(), expected.size());
        QVERIFY(echoes == expected);
        QCOMPARE(server.counters().messagesEchoed.load(), uint64_t(count));
    }

    // A client that sends 60 KiB messages and never reads: TCP stops it long before it has sent 256 MiB,
    // and the server has echoed only what the buffers between them hold.
    void floodThatNeverReadsIsHeldBack() {
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        const int fd = rawConnect(server.port());
        QVERIFY(fd >= 0 && rawHandshake(fd));
        const QByteArray frame = clientFrame(0x82, QByteArray(60000, 'f'));
        qint64 sent = 0;
        qsizetype offset = 0;
        bool stalled = false;
        while (sent < 256 * qint64(1 << 20) && !stalled) {
            pollfd p{fd, POLLOUT, 0};
            stalled = ::poll(&p, 1, 2000) <= 0;  // the server stopped reading: backpressure reached us
            if (stalled) break;
            const ssize_t n = ::send(fd, frame.constData() + offset, size_t(frame.size() - offset),
                                     MSG_NOSIGNAL | MSG_DONTWAIT);
            QVERIFY(n > 0 || errno == EAGAIN);
            if (n > 0) {
                sent += n;
                offset = (offset + n) % frame.size();
            }
        }
        const uint64_t echoed = server.counters().messagesEchoed.load();
        qInfo("the client got %.1f MiB out; the server echoed %llu messages (%.1f MiB)",
              double(sent) / (1 << 20), qulonglong(echoed), double(echoed) * 60000 / (1 << 20));
        QVERIFY(stalled);
        QVERIFY(echoed * uint64_t(frame.size()) < uint64_t(sent));  // some were held back
        ::close(fd);
    }
};

QTEST_MAIN(TstEchoServer)
#include "tst_echo_server.moc"
