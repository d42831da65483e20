// framescope-cli connect --json and convert with application-protocol decoding: the last frame of each
// message gets a "decoded" object when a decoder applies (chosen from the first messages, or forced with
// --decoder), the same in a live run and in a saved capture converted to JSON Lines.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

constexpr int kWait = 20000;

struct Run {
    int exitCode = -1;
    QList<QJsonObject> lines;
    QByteArray err;
};

Run runCli(const QStringList& args, const QByteArray& input) {
    QProcess process;
    process.start(FRAMESCOPE_CLI, args);
    process.waitForStarted(kWait);
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(kWait)) {
        process.kill();
        process.waitForFinished();
    }
    Run run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    for (const QByteArray& line : process.readAllStandardOutput().split('\n'))
        if (!line.isEmpty()) run.lines << QJsonDocument::fromJson(line).object();
    run.err = process.readAllStandardError();
    return run;
}

QList<QJsonObject> decodedOf(const QList<QJsonObject>& lines) {
    QList<QJsonObject> out;
    for (const QJsonObject& line : lines)
        if (line.contains("decoded")) out << line["decoded"].toObject();
    return out;
}

QList<QJsonObject> decodedOf(const Run& run) {
    return decodedOf(run.lines);
}

QList<QJsonObject> jsonLinesOf(const QString& path) {
    QFile file(path);
    QList<QJsonObject> lines;
    if (!file.open(QIODevice::ReadOnly)) return lines;
    for (const QByteArray& line : file.readAll().split('\n'))
        if (!line.isEmpty()) lines << QJsonDocument::fromJson(line).object();
    return lines;
}

}  // namespace

class TestCliDecoded : public QObject {
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
        QVERIFY2(first.startsWith("listening on "), first.constData());
        url_ = QString::fromUtf8(first.mid(int(strlen("listening on "))));
    }

    void cleanupTestCase() {
        server_->kill();
        server_->waitForFinished();
    }

    void detectedFromFirstMessage_data() {
        QTest::addColumn<bool>("deflate");
        QTest::newRow("plain") << false;
        QTest::newRow("permessage-deflate") << true;
    }
    void detectedFromFirstMessage() {
        QFETCH(bool, deflate);
        QStringList args{"connect", url_, "--json"};
        if (deflate) args << "--deflate";
        const Run run = runCli(args,
                               "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2],\"id\":7}\n"
                               "{\"jsonrpc\":\"2.0\",\"method\":\"log\"}\n");
        QCOMPARE(run.exitCode, 0);
        const QList<QJsonObject> decoded = decodedOf(run);
        QCOMPARE(decoded.size(), 4);  // two messages each way (the server echoes)
        const QJsonObject first = decoded[0];
        QCOMPARE(first["protocol"].toString(), QString("json-rpc"));
        QCOMPARE(first["type"].toString(), QString("request"));
        QCOMPARE(first["summary"].toString(), QString("call add #7 (2 params)"));
        QCOMPARE(first["error"].toBool(), false);
        QCOMPARE(first["pairs"].toArray()[0].toObject()["key"].toString(), QString("id:7"));
        QCOMPARE(first["fields"].toArray()[0].toObject()["value"].toString(), QString("add"));
        const QJsonObject tree = first["tree"].toObject();
        QVERIFY(!tree["children"].toArray().isEmpty());
        QCOMPARE(decoded[3]["summary"].toString(), QString("notify log"));
        // Only the last frame of a message carries it, and close frames never do.
        for (const QJsonObject& line : run.lines)
            if (line.contains("decoded")) QVERIFY(line["ends_message"].toBool());
    }

    void forcedAndOff() {
        const QByteArray event = "42[\"chat\",{\"id\":7}]\n";
        const Run forced = runCli({"connect", url_, "--json", "--decoder", "socket.io"}, event);
        QCOMPARE(forced.exitCode, 0);
        const QList<QJsonObject> decoded = decodedOf(forced);
        QCOMPARE(decoded.size(), 2);
        QCOMPARE(decoded[0]["summary"].toString(), QString("emit \"chat\" (1 arg)"));
        const Run off = runCli({"connect", url_, "--json", "--decoder", "off"},
                               "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"id\":1}\n");
        QCOMPARE(off.exitCode, 0);
        QVERIFY(decodedOf(off).isEmpty());
        const Run plain = runCli({"connect", url_, "--json"}, "hello\n");
        QVERIFY(decodedOf(plain).isEmpty());
    }

    void malformedIsOneError() {
        const Run run =
            runCli({"connect", url_, "--json", "--decoder", "json-rpc"}, "{\"jsonrpc\":\"2.0\"\n");
        QCOMPARE(run.exitCode, 0);
        const QList<QJsonObject> decoded = decodedOf(run);
        QCOMPARE(decoded.size(), 2);
        QCOMPARE(decoded[0]["error"].toBool(), true);
        QCOMPARE(decoded[0]["tree"].toObject()["name"].toString(), QString("error"));
    }

    void convertAddsDecoded() {
        QTemporaryDir dir;
        const QString fscap = dir.filePath("rpc.fscap");
        const Run live = runCli({"connect", url_, "--json", "--save", fscap},
                                "{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1,2],\"id\":7}\n"
                                "{\"jsonrpc\":\"2.0\",\"method\":\"log\"}\n");
        QCOMPARE(live.exitCode, 0);
        QCOMPARE(decodedOf(live).size(), 4);
        const QString jsonl = dir.filePath("rpc.jsonl");
        const Run convert = runCli({"convert", fscap, jsonl}, {});
        QVERIFY2(convert.exitCode == 0, convert.err.constData());
        QCOMPARE(decodedOf(jsonLinesOf(jsonl)), decodedOf(live));
        // Through pcapng and back, the messages still decode the same.
        const QString pcapng = dir.filePath("rpc.pcapng");
        QCOMPARE(runCli({"convert", fscap, pcapng}, {}).exitCode, 0);
        QCOMPARE(runCli({"convert", pcapng, jsonl}, {}).exitCode, 0);
        QCOMPARE(decodedOf(jsonLinesOf(jsonl)), decodedOf(live));
        const QString off = dir.filePath("off.jsonl");
        QCOMPARE(runCli({"convert", fscap, off, "--decoder", "off"}, {}).exitCode, 0);
        QVERIFY(decodedOf(jsonLinesOf(off)).isEmpty());
        const QString forced = dir.filePath("forced.jsonl");
        QCOMPARE(runCli({"convert", fscap, forced, "--decoder", "stomp"}, {}).exitCode, 0);
        const QList<QJsonObject> asStomp = decodedOf(jsonLinesOf(forced));
        QCOMPARE(asStomp.size(), 4);
        QCOMPARE(asStomp[0]["protocol"].toString(), QString("stomp"));
        const Run unknown = runCli({"convert", fscap, off, "--decoder", "wamp"}, {});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains("unknown decoder wamp"), unknown.err.constData());
    }

    void unknownDecoderIsMisuse() {
        const Run run = runCli({"connect", url_, "--json", "--decoder", "wamp"}, "");
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("unknown decoder wamp"), run.err.constData());
    }
};

QTEST_MAIN(TestCliDecoded)
#include "tst_cli_decoded.moc"
