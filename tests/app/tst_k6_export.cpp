// The k6 export checked without k6 (not installable here): tests/interop/k6/run.mjs checks that the
// exported script parses as an ES module and runs it under Node, one worker thread per VU, with small
// stand-ins for the k6 modules it imports (its WebSocket backed by the `ws` package of
// tests/interop/node) against the built-in server. The messages it sends and the echoes it counts must
// match the settings and the server's counters. This checks the script's logic, not k6's runtime.
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "load/k6_export.h"
#include "net/echo_server.h"

using namespace framescope;
using namespace framescope::app;

namespace {

constexpr int kWait = 60000;

QString interop(const char* path) {
    return QString(FRAMESCOPE_INTEROP) + "/" + path;
}

int runTool(const QString& program, const QStringList& args, const QString& dir, QByteArray& out,
            QByteArray& err, int timeoutMs) {
    QProcess process;
    if (!dir.isEmpty()) process.setWorkingDirectory(dir);
    process.start(program, args);
    if (!process.waitForStarted(kWait)) return -1;
    const bool finished = process.waitForFinished(timeoutMs);
    if (!finished) process.kill(), process.waitForFinished();
    out = process.readAllStandardOutput();
    err = process.readAllStandardError();
    return finished && process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

}  // namespace

class TestK6Export : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QByteArray out, err;
        QVERIFY2(runTool("node", {"--version"}, {}, out, err, kWait) == 0,
                 "Node.js is missing (apt-get install nodejs npm, as 'bash .ci/dev.sh test' does).");
        if (!QFileInfo::exists(interop("node/node_modules/ws/package.json"))) {
            const int rc =
                runTool("npm", {"ci", "--no-audit", "--no-fund"}, interop("node"), out, err, 300000);
            QVERIFY2(rc == 0, qPrintable("'npm ci' in tests/interop/node failed: " + QString::fromUtf8(err)));
        }
    }

    void scriptSendsAndCountsAsSet_data() {
        QTest::addColumn<int>("connections");
        QTest::addColumn<int>("inFlight");
        QTest::addColumn<double>("rate");
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("payload");
        QTest::addColumn<double>("rampUp");
        QTest::addColumn<bool>("deflate");
        QTest::addRow("in-flight binary") << 3 << 4 << 0.0 << 200 << int(PayloadKind::Binary) << 0.0 << false;
        QTest::addRow("rate text deflate") << 2 << 1 << 200.0 << 100 << int(PayloadKind::Text) << 0.0 << true;
        QTest::addRow("in-flight random ramp-up")
            << 4 << 2 << 0.0 << 64 << int(PayloadKind::Random) << 1.0 << false;
        QTest::addRow("in-flight repeated deflate")
            << 2 << 8 << 0.0 << 4096 << int(PayloadKind::Repeated) << 0.0 << true;
    }

    void scriptSendsAndCountsAsSet() {
        QFETCH(int, connections);
        QFETCH(int, inFlight);
        QFETCH(double, rate);
        QFETCH(int, size);
        QFETCH(int, payload);
        QFETCH(double, rampUp);
        QFETCH(bool, deflate);
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        LoadOptions options;
        options.connection.url = server.url();
        options.connection.headers = {{"X-Load", "k6"}};
        if (deflate) options.connection.deflate = DeflateOffer{};
        options.connections = connections;
        options.inFlight = inFlight;
        options.rate = rate;
        options.messageSize = size;
        options.payload = static_cast<PayloadKind>(payload);
        options.durationSec = 2;
        options.rampUpSec = rampUp;
        QTemporaryDir dir;
        QFile script(dir.filePath("load.js"));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write(k6Script(options).toUtf8());
        script.close();

        QByteArray out, err;
        QCOMPARE(runTool("node", {interop("k6/run.mjs"), script.fileName()}, {}, out, err, kWait), 0);
        const QJsonObject r = QJsonDocument::fromJson(out).object();
        QVERIFY2(!r.isEmpty(), out.constData());
        const qint64 sent = r["sent"].toInteger();
        const qint64 echoes = r["echoes"].toInteger();
        const auto echoed = qint64(server.counters().messagesEchoed.load());
        qInfo("sent %lld, echoes counted %lld, server echoed %lld, rtt p50 %.1f ms", sent, echoes, echoed,
              r["rtt"].toObject()["p50_ms"].toDouble());
        QVERIFY2(r["errors"].toArray().isEmpty(), out.constData());
        QCOMPARE(r["opened"].toInt(), connections);
        QCOMPARE(r["closed"].toInt(), connections);
        QCOMPARE(r["received"].toInteger(), echoes);  // the script counts every message it receives
        QCOMPARE(r["rtt"].toObject()["count"].toInteger(), echoes);
        QCOMPARE(r["sentBytes"].toInteger(), sent * size);
        const bool text = options.payload == PayloadKind::Text;
        QCOMPARE(r[text ? "sentText" : "sentBinary"].toInteger(), sent);
        QVERIFY(echoes <= echoed && echoed <= sent);
        QCOMPARE(qint64(server.counters().bytesEchoed.load()), echoed * size);
        for (const QJsonValue& extensions : r["extensions"].toArray())
            QCOMPARE(extensions.toString().contains("permessage-deflate"), deflate);
        if (rate > 0) {
            const double expected = rate * (options.durationSec - rampUp);
            QVERIFY2(std::abs(double(sent) - expected) <= 0.1 * expected, qPrintable(QString::number(sent)));
            QVERIFY(sent - echoes <= connections);
        } else {
            QVERIFY2(echoes > 100, qPrintable(QString::number(echoes)));
            QVERIFY(sent - echoes <= qint64(connections) * inFlight);
        }
    }
};

QTEST_MAIN(TestK6Export)
#include "tst_k6_export.moc"
