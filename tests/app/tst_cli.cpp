// framescope-cli as scripts use it: serve prints its URL first, connect --json prints both directions as
// JSON Lines, send-frame shows the peer's reaction, and failures print one line on stderr.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTest>

#include <memory>

namespace {

constexpr int kWait = 30000;

QList<QJsonObject> jsonLines(const QByteArray& output) {
    QList<QJsonObject> objects;
    for (const QByteArray& line : output.split('\n')) {
        if (line.isEmpty()) continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError) qWarning("not JSON: %s", line.constData());
        objects << doc.object();
    }
    return objects;
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runCli(const QStringList& args, const QByteArray& input = {}) {
    QProcess process;
    process.start(FRAMESCOPE_CLI, args);
    process.waitForStarted(kWait);
    process.write(input);
    process.closeWriteChannel();
    Run run;
    if (!process.waitForFinished(kWait)) {
        process.kill();
        process.waitForFinished();
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT

    std::unique_ptr<QProcess> server_;
    QString url_;

private slots:
    void initTestCase() {
        server_ = std::make_unique<QProcess>();
        server_->start(FRAMESCOPE_CLI, {"serve", "--port", "0"});
        QVERIFY(server_->waitForStarted(kWait));
        QTRY_VERIFY_WITH_TIMEOUT(server_->canReadLine(), kWait);
        const QByteArray first = server_->readLine().trimmed();
        QVERIFY2(first.startsWith("listening on ws://127.0.0.1:"), first.constData());
        QVERIFY(first.endsWith("/"));
        url_ = QString::fromUtf8(first.mid(int(strlen("listening on "))));
    }

    void cleanupTestCase() {
        server_->kill();
        server_->waitForFinished();
    }

    void connectPrintsMessages() {
        const Run run = runCli({"connect", url_}, "hello\nwörld\n");
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.out, QByteArray("hello\nwörld\n"));
        QVERIFY(run.err.isEmpty());
    }

    void connectJsonHasBothDirectionsAndEveryField() {
        const Run run =
            runCli({"connect", url_, "--json", "--deflate", "-H", "X-Hello: there"}, "one\ntwo\n");
        QCOMPARE(run.exitCode, 0);
        const QList<QJsonObject> frames = jsonLines(run.out);
        QCOMPARE(frames.size(), 6);  // two messages and a close, each way
        const QStringList fields = {"type",
                                    "dir",
                                    "conn",
                                    "time_us",
                                    "fin",
                                    "rsv1",
                                    "rsv2",
                                    "rsv3",
                                    "opcode",
                                    "opcode_name",
                                    "mask",
                                    "key",
                                    "length",
                                    "length_encoding",
                                    "header_size",
                                    "header_hex",
                                    "payload",
                                    "payload_encoding",
                                    "payload_size",
                                    "message_index",
                                    "ends_message",
                                    "compressed",
                                    "wire_size",
                                    "inflated",
                                    "inflated_encoding",
                                    "close_code",
                                    "close_reason",
                                    "violation",
                                    "crafted"};
        int in = 0;
        int out = 0;
        for (const QJsonObject& frame : frames) {
            for (const QString& field : fields)
                QVERIFY2(frame.contains(field), qPrintable(field));
            QCOMPARE(frame.size(), fields.size());
            (frame["dir"].toString() == "in" ? in : out) += 1;
            if (frame["opcode"].toInt() == 1) {
                QVERIFY(frame["compressed"].toBool());
                QVERIFY(frame["rsv1"].toBool());
                QCOMPARE(frame["inflated_encoding"].toString(), QString("text"));
                QCOMPARE(frame["mask"].toBool(), frame["dir"].toString() == "out");
                QCOMPARE(frame["length_encoding"].toInt(), 7);
            }
        }
        QCOMPARE(in, 3);
        QCOMPARE(out, 3);
        QCOMPARE(frames[0]["inflated"].toString(), QString("one"));
        QCOMPARE(frames.last()["close_code"].toInt(), 1000);
        QCOMPARE(frames.last()["opcode_name"].toString(), QString("close"));
    }

    void connectNotes() {
        const Run run = runCli({"connect", url_, "--json", "--notes"}, "");
        QCOMPARE(run.exitCode, 0);
        bool request = false;
        for (const QJsonObject& line : jsonLines(run.out)) {
            if (line["type"] == "note" && line["kind"] == "handshake_request")
                request = line["text"].toString().startsWith("GET / HTTP/1.1");
        }
        QVERIFY(request);
    }

    void sendFrameReservedOpcodeGets1002() {
        const Run run = runCli({"send-frame", url_, "--opcode", "3", "--payload", "x", "--json"});
        QCOMPARE(run.exitCode, 0);
        const QList<QJsonObject> lines = jsonLines(run.out);
        QVERIFY(lines.size() >= 3);
        QCOMPARE(lines[0]["crafted"].toBool(), true);
        QCOMPARE(lines[0]["opcode"].toInt(), 3);
        QCOMPARE(lines[0]["opcode_name"].toString(), QString("reserved-data"));
        bool serverClose = false;
        for (const QJsonObject& line : lines) {
            if (line["dir"] == "in" && line["opcode"].toInt() == 8) {
                serverClose = line["close_code"].toInt() == 1002 &&
                              line["close_reason"].toString().contains("reserved opcode");
            }
        }
        QVERIFY(serverClose);
        QCOMPARE(lines.last()["type"].toString(), QString("result"));
        QCOMPARE(lines.last()["close_code"].toInt(), 1002);
    }

    void sendFrameEveryField() {
        const Run run =
            runCli({"send-frame", url_, "--fin", "1", "--opcode", "2", "--key", "01020304", "--encoding",
                    "64", "--payload-hex", "00ff", "--repeat", "2", "--then-close"});
        QCOMPARE(run.exitCode, 0);
        const QList<QJsonObject> lines = jsonLines(run.out);
        QVERIFY(lines.size() >= 2);
        QCOMPARE(lines[0]["key"].toString(), QString("01020304"));
        QCOMPARE(lines[0]["length_encoding"].toInt(), 64);
        QCOMPARE(lines[0]["header_size"].toInt(), 14);
        QCOMPARE(lines[0]["payload"].toString(), QString("AP8="));
        QCOMPARE(lines[0]["payload_encoding"].toString(), QString("base64"));
        // A non-minimal length is a protocol error for our server.
        QCOMPARE(lines.last()["close_code"].toInt(), 1002);
    }

    void refusedConnectionIsOneLineOnStderr() {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        const Run run = runCli({"connect", QString("ws://127.0.0.1:%1/").arg(port)});
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.startsWith("Connection refused"));
        QCOMPARE(run.err.count('\n'), 1);
        const Run sendFrame = runCli({"send-frame", QString("ws://127.0.0.1:%1/").arg(port)});
        QCOMPARE(sendFrame.exitCode, 1);
    }

    void refusedHandshakeIsNonZero() {
        const Run run = runCli({"send-frame", url_, "--opcode", "3", "--wait", "5000"});
        QCOMPARE(run.exitCode, 0);  // send-frame reports; connect fails on a protocol error:
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        connect(&silent, &QTcpServer::newConnection, this, [&] {
            QTcpSocket* socket = silent.nextPendingConnection();
            connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                socket->readAll();
                socket->write("HTTP/1.1 500 Oops\r\nContent-Length: 4\r\n\r\nboom");
                socket->disconnectFromHost();
            });
        });
        QProcess process;
        process.start(FRAMESCOPE_CLI, {"connect", QString("ws://127.0.0.1:%1/").arg(silent.serverPort())});
        QTRY_COMPARE_WITH_TIMEOUT(process.state(), QProcess::NotRunning, kWait);
        QCOMPARE(process.exitCode(), 1);
        const QByteArray err = process.readAllStandardError();
        QVERIFY2(err.startsWith("Handshake refused: The server answered 500 Oops"), err.constData());
        QVERIFY(err.contains("boom"));
    }

    void helpDocumentsEveryCommand() {
        for (const char* command : {"serve", "connect", "send-frame"}) {
            const Run run = runCli({command, "--help"});
            QCOMPARE(run.exitCode, 0);
            QVERIFY(run.out.startsWith("Usage: framescope-cli "));
        }
        QVERIFY(runCli({"connect", "--help"}).out.contains("length_encoding"));
        QVERIFY(runCli({"send-frame", "--help"}).out.contains("--payload-hex"));
        QVERIFY(runCli({"serve", "--help"}).out.contains("--max-message"));
        QCOMPARE(runCli({"connect", "--bogus"}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
