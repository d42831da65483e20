// LoadRunner against the built-in EchoServer: figures consistent with the server's counters, rate mode,
// the latency histogram, the k6 export and `framescope-cli load --json`.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <random>

#include "load/echo_peers.h"
#include "load/k6_export.h"
#include "load/latency_histogram.h"
#include "load/load_json.h"
#include "load/load_runner.h"
#include "load/server_process.h"
#include "net/echo_server.h"

using namespace framescope::app;

class TestLoadRunner : public QObject {
    Q_OBJECT

private:
    static LoadOptions shortRun(const QUrl& url) {
        LoadOptions options;
        options.connection.url = url;
        options.connections = 4;
        options.inFlight = 4;
        options.messageSize = 512;
        options.durationSec = 2;
        options.threads = 2;
        options.sampleIntervalMs = 250;
        return options;
    }

    static LoadSummary run(LoadRunner& runner, const LoadOptions& options) {
        QSignalSpy finished(&runner, &LoadRunner::finished);
        QString error;
        if (!runner.start(options, &error)) qFatal("start failed: %s", qPrintable(error));
        if (!finished.wait(15000)) qFatal("the load run did not finish");
        return runner.summary();
    }

private slots:
    void inFlightRunMatchesServerCounters() {
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        LoadRunner runner;
        const LoadOptions options = shortRun(server.url());
        const LoadSummary summary = run(runner, options);
        const uint64_t echoed = server.counters().messagesEchoed.load();
        QCOMPARE(summary.errors, 0u);
        QCOMPARE(summary.closes, 0u);
        QCOMPARE(summary.connectionsOpened, 4);
        QVERIFY2(summary.received > 100, qPrintable(QString::number(summary.received)));
        // Every echo we counted was counted by the server; at most the messages in flight at the stop differ.
        QVERIFY(summary.received <= echoed);
        QVERIFY(echoed <= summary.sent);
        QVERIFY(summary.sent - summary.received <= uint64_t(options.connections * options.inFlight));
        QCOMPARE(summary.bytesReceived, summary.received * uint64_t(options.messageSize));
        QCOMPARE(summary.histogram.count(), summary.received);
        QVERIFY(summary.p50Us > 0);
        QVERIFY(summary.p50Us <= summary.p90Us && summary.p90Us <= summary.p99Us &&
                summary.p99Us <= summary.maxUs);
        QVERIFY(summary.messagesPerSec > 0);
        QVERIFY(runner.samples().size() >= 5);
        uint64_t sampled = 0;
        for (const LoadSample& sample : runner.samples())
            sampled += static_cast<uint64_t>(std::llround(sample.messagesPerSec * sample.intervalSec));
        QVERIFY(sampled <= summary.received + 10 && sampled + 10 >= summary.received * 9 / 10);
    }

    void rateModeSendsAboutTheRate() {
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        LoadRunner runner;
        LoadOptions options = shortRun(server.url());
        options.rate = 2000;
        options.connections = 3;
        const LoadSummary summary = run(runner, options);
        QCOMPARE(summary.errors, 0u);
        // 2 s at 2000 msgs/s: generous bounds, this is no timing test.
        QVERIFY2(summary.sent > 2000 && summary.sent < 6000, qPrintable(QString::number(summary.sent)));
        QVERIFY(summary.received <= summary.sent);
    }

    void refusedConnectionsAreErrors() {
        LoadRunner runner;
        LoadOptions options = shortRun(QUrl("ws://127.0.0.1:1/"));
        options.durationSec = 0.5;
        const LoadSummary summary = run(runner, options);
        QCOMPARE(summary.connectionsOpened, 0);
        QCOMPARE(summary.errors, 4u);
        QVERIFY(!summary.errorSentences.isEmpty());
    }

    void invalidOptionsAreRefused() {
        LoadRunner runner;
        LoadOptions options;
        options.connection.url = QUrl("http://example.com/");
        QString error;
        QVERIFY(!runner.start(options, &error));
        QVERIFY(error.contains("Invalid URL"));
        options.connection.url = QUrl("ws://127.0.0.1:9/");
        options.connections = 0;
        QVERIFY(!runner.start(options, &error));
        QVERIFY(!runner.isRunning());
    }

    void histogramPercentiles() {
        LatencyHistogram histogram;
        std::mt19937_64 random(7);
        std::vector<uint64_t> values;
        for (int i = 0; i < 100000; ++i) {
            const auto value =
                static_cast<uint64_t>(std::exp(std::uniform_real_distribution<>(6, 18)(random)));
            values.push_back(value);
            histogram.record(value);
        }
        std::sort(values.begin(), values.end());
        for (const double fraction : {0.5, 0.9, 0.99, 0.999}) {
            const double exact = double(values[size_t(fraction * double(values.size())) - 1]);
            const double got = double(histogram.percentileNs(fraction));
            QVERIFY2(std::abs(got - exact) <= exact * 0.04,
                     qPrintable(QString("%1: %2 vs %3").arg(fraction).arg(got).arg(exact)));
        }
        QCOMPARE(histogram.maxNs(), values.back());
        uint64_t binned = 0;
        for (const LatencyHistogram::Bin& bin : histogram.decadeBins())
            binned += bin.count;
        QCOMPARE(binned, histogram.count());
        for (int bucket = 1; bucket < LatencyHistogram::kBucketCount - 1; ++bucket)
            QCOMPARE(LatencyHistogram::bucketOf(LatencyHistogram::bucketLow(bucket)), bucket);
    }

    void k6ScriptHasTheParameters() {
        LoadOptions options = shortRun(QUrl("wss://example.com:8443/feed?x=1"));
        options.rate = 500;
        options.rampUpSec = 1.5;
        options.connection.headers = {{"Authorization", "Bearer \"t\""}};
        const QString script = k6Script(options);
        QVERIFY(script.contains("from 'k6/experimental/websockets'"));
        QVERIFY(script.contains("const URL = \"wss://example.com:8443/feed?x=1\";"));
        QVERIFY(script.contains("const CONNECTIONS = 4;"));
        QVERIFY(script.contains("const SIZE = 512;"));
        QVERIFY(script.contains("const RATE = 500;"));
        QVERIFY(script.contains("const RAMP_UP_S = 1.5;"));
        QVERIFY(script.contains("\"Authorization\": \"Bearer \\\"t\\\"\""));
    }

    // --raw-tcp drives a plain TCP echo (both ways it waits: blocking and --epoll): every echo counted,
    // none lost or miscounted.
    void cliLoadRawTcpCountsPlainEchoes() {
        const std::vector<EchoServerSpec> specs = echoServerSpecs();
        const auto tcp = std::find_if(specs.begin(), specs.end(),
                                      [](const EchoServerSpec& spec) { return spec.name == kTcpEchoName; });
        QVERIFY(tcp != specs.end());
        if (!tcp->whyMissing.isEmpty()) QSKIP(qPrintable(tcp->whyMissing));
        for (const QStringList& mode : {QStringList{}, QStringList{"--epoll"}}) {
            QString whyNot;
            const auto server = ServerProcess::start(tcp->program, QStringList{"0"} + mode, {}, whyNot);
            QVERIFY2(server, qPrintable(whyNot));
            QProcess cli;
            cli.start(FRAMESCOPE_CLI, {"load", QString("ws://127.0.0.1:%1").arg(server->port()), "--raw-tcp",
                                       "--size", "100", "--in-flight", "8", "--duration", "0.5", "--json"});
            QVERIFY(cli.waitForFinished(20000));
            QCOMPARE(cli.exitCode(), 0);
            const QJsonObject summary =
                QJsonDocument::fromJson(cli.readAllStandardOutput().trimmed().split('\n').last()).object();
            QCOMPARE(summary["type"].toString(), QString("summary"));
            QVERIFY(summary["received"].toInteger() > 0);
            QCOMPARE(summary["errors"].toInteger(), 0);
            QVERIFY(summary["sent"].toInteger() - summary["received"].toInteger() <= 8);
        }
    }

    void cliLoadJsonParses() {
        QProcess cli;
        cli.start(FRAMESCOPE_CLI, {"load", "builtin", "--duration", "1", "--connections", "2", "--in-flight",
                                   "2", "--interval", "250", "--json"});
        QVERIFY(cli.waitForFinished(20000));
        QCOMPARE(cli.exitCode(), 0);
        const QByteArray output = cli.readAllStandardOutput();
        const QList<QByteArray> lines = output.trimmed().split('\n');
        QVERIFY(lines.size() >= 3);
        QJsonObject summary;
        for (const QByteArray& line : lines) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
            QVERIFY2(doc.isObject(), qPrintable(error.errorString() + ": " + line));
            const QString type = doc.object()["type"].toString();
            QVERIFY(type == "sample" || type == "summary");
            if (type == "summary") summary = doc.object();
        }
        QCOMPARE(QJsonDocument::fromJson(lines.last()).object()["type"].toString(), QString("summary"));
        QVERIFY(summary["received"].toInteger() > 0);
        QVERIFY(summary["server_messages_echoed"].toInteger() >= summary["received"].toInteger());
        QVERIFY(summary["histogram"].toArray().size() > 0);
        QVERIFY(summary["p99_us"].toDouble() >= summary["p50_us"].toDouble());

        // The load panel reads the same lines back (Compare with saved run…), histogram included.
        LoadRunRecord run;
        QString error;
        QVERIFY2(parseLoadRunJsonLines(output, run, error), qPrintable(error));
        QCOMPARE(run.samples.size(), lines.size() - 1);
        QCOMPARE(qint64(run.summary.received), summary["received"].toInteger());
        QCOMPARE(run.summary.p99Us, summary["p99_us"].toDouble());
        QCOMPARE(qint64(run.summary.histogram.count()), summary["received"].toInteger());
    }
};

QTEST_GUILESS_MAIN(TestLoadRunner)
#include "tst_load_runner.moc"
