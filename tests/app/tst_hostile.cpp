// Hostile peers against `framescope-cli serve` (and one against `connect`), on real loopback sockets: a
// flood that never reads, twenty 48 MiB messages then idle, slowloris, the connection limit, the memory
// budget, and the close frame on the wire after a protocol error. Each measures the server's RSS (before,
// peak, after) or what the peer saw on the wire; none asserts a timing (deadlines only bound the waits).
#include <QProcess>
#include <QTest>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "framescope/deflate.h"
#include "framescope/frame.h"
#include "framescope/mask.h"
#include "test_support.h"

using namespace framescope;
using framescope::test::rawConnect;
using framescope::test::ScriptedServer;
using framescope::test::sendAll;
using Bytes = std::vector<uint8_t>;

namespace {

constexpr int kWait = 60000;
constexpr qint64 kMiB = 1 << 20;

// These cases are about memory: TSan's allocator holds freed memory (RSS means nothing there) and pushing
// 256 MiB to 2 GiB through instrumented code would take most of CI's hour. They run in every other build.
constexpr const char* kRssCaseSkipped = "an RSS case: it runs in the builds without TSan";

qint64 rssBytes(qint64 pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
    }
    return -1;
}

struct CliServer {
    QProcess process;
    quint16 port = 0;

    bool start(const QStringList& extra) {
        process.start(FRAMESCOPE_CLI, QStringList{"serve"} + extra);
        if (!process.waitForStarted(kWait) || !process.waitForReadyRead(kWait)) return false;
        const QByteArray first = process.readLine().trimmed();
        const qsizetype colon = first.lastIndexOf(':');
        port = quint16(first.mid(colon + 1).chopped(1).toUInt());
        return first.startsWith("listening on ws://127.0.0.1:") && port != 0;
    }
    qint64 rss() const { return rssBytes(process.processId()); }
    ~CliServer() {
        process.kill();
        process.waitForFinished(kWait);
    }
};

bool readExactly(int fd, char* into, size_t size) {
    while (size > 0) {
        const ssize_t n = ::recv(fd, into, size, 0);
        if (n <= 0) return false;
        into += n;
        size -= size_t(n);
    }
    return true;
}

// Reads until the peer closes (or `limit` bytes, or the deadline); returns what arrived.
QByteArray readUntilClosed(int fd, int deadlineMs = kWait, size_t limit = 1 << 20) {
    QByteArray all;
    QElapsedTimer clock;
    clock.start();
    char buffer[4096];
    while (clock.elapsed() < deadlineMs && size_t(all.size()) < limit) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 200) <= 0) continue;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        all.append(buffer, n);
    }
    return all;
}

bool rawHandshake(int fd, bool deflate = false) {
    const QByteArray request =
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
        QByteArray(deflate ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "") + "\r\n";
    if (!sendAll(fd, request.constData(), size_t(request.size()))) return false;
    QByteArray head;
    char c = 0;
    while (!head.endsWith("\r\n\r\n") && ::recv(fd, &c, 1, 0) == 1)
        head.append(c);
    return head.startsWith("HTTP/1.1 101") && (!deflate || head.contains("permessage-deflate"));
}

// Reads one unfragmented server frame (unmasked); returns its first byte and payload.
QByteArray readServerFrame(int fd, uint8_t& firstByte) {
    char head[10];
    if (!readExactly(fd, head, 2)) return {};
    firstByte = uint8_t(head[0]);
    uint64_t length = uint8_t(head[1]) & 0x7f;
    if (length >= 126) {
        const size_t extra = length == 126 ? 2 : 8;
        if (!readExactly(fd, head + 2, extra)) return {};
        length = 0;
        for (size_t i = 0; i < extra; ++i)
            length = length << 8 | uint8_t(head[2 + i]);
    }
    QByteArray payload(qsizetype(length), '\0');
    return readExactly(fd, payload.data(), size_t(length)) ? payload : QByteArray();
}

// A client frame header with a zero masking key (valid, and the payload goes as is).
QByteArray clientHeader(uint8_t firstByte, uint64_t length) {
    QByteArray header;
    header.append(char(firstByte));
    if (length < 126) {
        header.append(char(0x80 | length));
    } else if (length <= 0xffff) {
        header.append(char(0x80 | 126));
        header.append(char(length >> 8));
        header.append(char(length & 0xff));
    } else {
        header.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            header.append(char((length >> shift) & 0xff));
    }
    header.append(QByteArray(4, '\0'));
    return header;
}

// The close code of the first close frame in `bytes` (unmasking it), or 0.
int closeCodeIn(const QByteArray& bytes) {
    std::span<const uint8_t> rest(reinterpret_cast<const uint8_t*>(bytes.constData()), size_t(bytes.size()));
    HeaderParseOptions lenient;
    lenient.tolerateNonMinimalLength = true;
    while (!rest.empty()) {
        FrameHeader header;
        const HeaderParseResult parsed = parseFrameHeader(rest, header, lenient);
        if (parsed.status != ParseStatus::Done || rest.size() < parsed.consumed + header.payloadLength)
            return 0;
        if (header.opcode == opcode::kClose && header.payloadLength >= 2) {
            uint8_t body[2] = {rest[parsed.consumed], rest[parsed.consumed + 1]};
            if (header.masked) applyMask(body, 2, header.maskKey);
            return body[0] << 8 | body[1];
        }
        rest = rest.subspan(parsed.consumed + header.payloadLength);
    }
    return 0;
}

void report(const char* what, qint64 before, qint64 peak, qint64 after) {
    qInfo("%s: server RSS before %.1f MiB, peak %.1f MiB, after %.1f MiB", what, double(before) / kMiB,
          double(peak) / kMiB, double(after) / kMiB);
}

}  // namespace

class TstHostile : public QObject {
    Q_OBJECT

private slots:
    // A client sends 256 MiB of 1 MiB messages and never reads the echoes: TCP must push back.
    void floodThatNeverReads() {
        if (framescope::test::kUnderThreadSanitizer) QSKIP(kRssCaseSkipped);
        CliServer server;
        QVERIFY(server.start({"--port", "0"}));
        const int fd = rawConnect(server.port);
        QVERIFY(fd >= 0 && rawHandshake(fd));
        const qint64 before = server.rss();
        const QByteArray frame = clientHeader(0x82, kMiB) + QByteArray(kMiB, 'f');
        qint64 sent = 0, peak = before;
        int stalls = 0;
        size_t offset = 0;
        while (sent < 256 * kMiB && stalls < 5) {
            pollfd p{fd, POLLOUT, 0};
            if (::poll(&p, 1, 1000) <= 0) {
                ++stalls;  // the server stopped reading: backpressure reached us
            } else {
                const ssize_t n = ::send(fd, frame.constData() + offset, size_t(frame.size()) - offset,
                                         MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n < 0 && errno != EAGAIN) break;
                if (n > 0) {
                    sent += n;
                    offset = (offset + size_t(n)) % size_t(frame.size());
                    stalls = 0;
                }
            }
            peak = std::max(peak, server.rss());
        }
        ::close(fd);
        QTest::qWait(1000);
        const qint64 after = server.rss();
        report("flood that never reads", before, peak, after);
        qInfo("  the client got %.1f MiB out before TCP stopped it", double(sent) / kMiB);
        QVERIFY2(peak - before < 64 * kMiB, qPrintable(QString::number(peak - before)));
    }

    // Twenty clients each send one 48 MiB message, read its echo, then idle: memory goes back.
    void largeMessagesThenIdle() {
        if (framescope::test::kUnderThreadSanitizer) QSKIP(kRssCaseSkipped);
        CliServer server;
        QVERIFY(server.start({"--port", "0"}));
        QTest::qWait(200);
        const qint64 before = server.rss();
        qint64 peak = before;
        const qint64 size = 48 * kMiB;
        const QByteArray message = clientHeader(0x82, uint64_t(size)) + QByteArray(size, 'm');
        QByteArray echo(size + 10, '\0');
        std::vector<int> clients;
        for (int i = 0; i < 20; ++i) {
            const int fd = rawConnect(server.port);
            QVERIFY(fd >= 0 && rawHandshake(fd));
            clients.push_back(fd);
            QVERIFY(sendAll(fd, message.constData(), size_t(message.size())));
            QVERIFY(readExactly(fd, echo.data(), size_t(echo.size())));
            QCOMPARE(echo.back(), 'm');
            peak = std::max(peak, server.rss());
        }
        qint64 after = server.rss();
        QElapsedTimer clock;
        clock.start();
        while (after > before + 10 * kMiB && clock.elapsed() < kWait) {
            QTest::qWait(250);
            after = server.rss();
        }
        report("20 x 48 MiB then idle", before, peak, after);
        for (int fd : clients)
            ::close(fd);
        QVERIFY2(after <= before + 10 * kMiB, qPrintable(QString::number(after - before)));
    }

    // The same with permessage-deflate: 48 MiB that cost the sender ~49 KiB each. "Before" is taken once
    // the 20 clients have each sent a small compressed message, so it includes their zlib state (which
    // lives as long as the connection): what is measured is what the large messages left behind.
    void deflatedLargeMessagesThenIdle() {
        if (framescope::test::kUnderThreadSanitizer) QSKIP(kRssCaseSkipped);
        CliServer server;
        QVERIFY(server.start({"--port", "0"}));
        const auto compressedMessage = [](size_t size) {
            ByteBuffer compressed;
            MessageDeflater(15, true).compress(Bytes(size, 0), compressed);
            return clientHeader(0xc2, compressed.size()) +
                   QByteArray(reinterpret_cast<const char*>(compressed.data()), qsizetype(compressed.size()));
        };
        const QByteArray small = compressedMessage(100);
        const QByteArray large = compressedMessage(size_t(48 * kMiB));
        std::vector<int> clients;
        uint8_t first = 0;
        for (int i = 0; i < 20; ++i) {
            const int fd = rawConnect(server.port);
            QVERIFY(fd >= 0 && rawHandshake(fd, true));
            clients.push_back(fd);
            QVERIFY(sendAll(fd, small.constData(), size_t(small.size())));
            QVERIFY(!readServerFrame(fd, first).isEmpty());
        }
        QTest::qWait(500);
        const qint64 before = server.rss();
        qint64 peak = before;
        for (int fd : clients) {
            QVERIFY(sendAll(fd, large.constData(), size_t(large.size())));
            QVERIFY(!readServerFrame(fd, first).isEmpty());
            QCOMPARE(first, uint8_t(0xc2));  // the echo, compressed again
            peak = std::max(peak, server.rss());
        }
        qint64 after = server.rss();
        QElapsedTimer clock;
        clock.start();
        while (after > before + 10 * kMiB && clock.elapsed() < kWait) {
            QTest::qWait(250);
            after = server.rss();
        }
        report("20 x 48 MiB deflated then idle", before, peak, after);
        qInfo("  each 48 MiB message cost the sender %lld bytes", qlonglong(large.size()));
        for (int fd : clients)
            ::close(fd);
        QVERIFY2(after <= before + 10 * kMiB, qPrintable(QString::number(after - before)));
    }

    // One byte now and then, never a complete request: dropped at the handshake timeout.
    void slowlorisIsDropped() {
        CliServer server;
        QVERIFY(server.start({"--port", "0", "--handshake-timeout", "1000"}));
        const int fd = rawConnect(server.port);
        QVERIFY(fd >= 0);
        QVERIFY(sendAll(fd, "GET / HTTP/1.1\r\nHost: x\r\n", 25));
        bool closed = false;
        QElapsedTimer clock;
        clock.start();
        while (!closed && clock.elapsed() < kWait) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 200) > 0) {
                char c;
                closed = ::recv(fd, &c, 1, 0) <= 0;
            } else {
                closed = ::send(fd, "X", 1, MSG_NOSIGNAL) < 0;
            }
        }
        ::close(fd);
        QVERIFY(closed);
    }

    void connectionLimitAnswers503() {
        CliServer server;
        QVERIFY(server.start({"--port", "0", "--max-connections", "2"}));
        const int first = rawConnect(server.port);
        const int second = rawConnect(server.port);
        QVERIFY(first >= 0 && second >= 0);
        QVERIFY(rawHandshake(first));
        const int third = rawConnect(server.port);
        QVERIFY(third >= 0);
        const QByteArray answer = readUntilClosed(third);
        QVERIFY2(answer.startsWith("HTTP/1.1 503 "), answer.constData());
        for (int fd : {first, second, third})
            ::close(fd);
    }

    // Past the memory budget a connection is closed with 1009 or 1013; the others go on.
    void memoryBudgetClosesOneConnection() {
        CliServer server;
        QVERIFY(server.start({"--port", "0", "--memory-budget", "16777216", "--max-message", "16777216"}));
        const int greedy = rawConnect(server.port);
        QVERIFY(greedy >= 0 && rawHandshake(greedy));
        const qint64 before = server.rss();
        const QByteArray part = clientHeader(0x82, 15 * kMiB) + QByteArray(12 * kMiB, 'g');
        sendAll(greedy, part.constData(), size_t(part.size()));  // may fail once the server closes
        const QByteArray seen = readUntilClosed(greedy);
        const int code = closeCodeIn(seen);
        qInfo(
            "memory budget 16 MiB: a 15 MiB message after 12 MiB was closed with %d; RSS before %.1f MiB, "
            "after %.1f MiB",
            code, double(before) / kMiB, double(server.rss()) / kMiB);
        QVERIFY2(code == 1009 || code == 1013, qPrintable(QString::number(code)));
        ::close(greedy);
        const int polite = rawConnect(server.port);
        QVERIFY(polite >= 0 && rawHandshake(polite));
        const QByteArray hi = clientHeader(0x81, 2) + "hi";
        QVERIFY(sendAll(polite, hi.constData(), size_t(hi.size())));
        char echo[4] = {};
        QVERIFY(readExactly(polite, echo, 4));
        QCOMPARE(QByteArray(echo + 2, 2), QByteArray("hi"));
        ::close(polite);
    }

    // A quiet client is pinged after half the idle timeout and closed with 1001 after all of it.
    void idleClientIsPingedThenClosed() {
        CliServer server;
        QVERIFY(server.start({"--port", "0", "--idle-timeout", "1000"}));
        const int fd = rawConnect(server.port);
        QVERIFY(fd >= 0 && rawHandshake(fd));
        const QByteArray seen = readUntilClosed(fd);
        ::close(fd);
        QVERIFY2(seen.startsWith("\x89\x00"), seen.toHex().constData());  // the ping
        QCOMPARE(closeCodeIn(seen), 1001);
    }

    // A client that keeps talking is never idle: 15 messages 200 ms apart with a 1 s idle timeout (the
    // server reads them without readyRead, see SessionDriver::readReady(), and must still count them).
    void busyClientIsNotIdle() {
        CliServer server;
        QVERIFY(server.start({"--port", "0", "--idle-timeout", "1000"}));
        const int fd = rawConnect(server.port);
        QVERIFY(fd >= 0 && rawHandshake(fd));
        const QByteArray message = clientHeader(0x82, 3) + "abc";
        for (int i = 0; i < 15; ++i) {
            QVERIFY(sendAll(fd, message.constData(), size_t(message.size())));
            uint8_t first = 0;
            const QByteArray echo = readServerFrame(fd, first);
            QVERIFY2(
                first == 0x82 && echo == "abc",
                qPrintable(QString("message %1: %2 %3").arg(i).arg(first, 0, 16).arg(QString(echo.toHex()))));
            QThread::msleep(200);
        }
        ::close(fd);
    }

    void serveRefusesNonsenseLimits_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("max-message 0") << QStringList{"--max-message", "0"};
        QTest::newRow("max-message 1 TB") << QStringList{"--max-message", "1000000000000"};
        QTest::newRow("max-message text") << QStringList{"--max-message", "lots"};
        QTest::newRow("budget 5 bytes") << QStringList{"--memory-budget", "5"};
        QTest::newRow("message above budget")
            << QStringList{"--memory-budget", "16777216", "--max-message", "33554432"};
        QTest::newRow("handshake timeout 0") << QStringList{"--handshake-timeout", "0"};
        QTest::newRow("idle timeout 5 ms") << QStringList{"--idle-timeout", "5"};
        QTest::newRow("no connections") << QStringList{"--max-connections", "0"};
        QTest::newRow("negative connections") << QStringList{"--max-connections", "-3"};
    }

    void serveRefusesNonsenseLimits() {
        QFETCH(QStringList, args);
        QProcess process;
        process.start(FRAMESCOPE_CLI, QStringList{"serve", "--port", "0"} + args);
        QVERIFY(process.waitForFinished(kWait));
        QCOMPARE(process.exitCode(), 2);
        const QByteArray error = process.readAllStandardError().trimmed();
        QVERIFY2(!error.isEmpty() && !error.contains('\n'), error.constData());
        QVERIFY(process.readAllStandardOutput().isEmpty());
    }

    // `connect` fails on a 2^63 length and exits: its close 1002 must be on the wire, every time.
    void closeFrameOnTheWireAfterProtocolError() {
        for (int run = 0; run < 10; ++run) {
            ScriptedServer server;
            server.afterHandshake = [](QTcpSocket* socket) {
                socket->write(QByteArray::fromHex("827f8000000000000000"));
            };
            QVERIFY(server.listen());
            QProcess client;
            client.start(FRAMESCOPE_CLI, {"connect", server.url()});
            QVERIFY(client.waitForStarted(kWait));
            QTRY_COMPARE_WITH_TIMEOUT(client.state(), QProcess::NotRunning, kWait);
            QCOMPARE(client.exitCode(), 1);
            QTRY_COMPARE_WITH_TIMEOUT(closeCodeIn(server.received), 1002, 5000);
        }
    }
};

QTEST_MAIN(TstHostile)
#include "tst_hostile.moc"
