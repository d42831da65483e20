// LoadRunPanel, offscreen, against an in-process EchoServer: a short run draws the live charts and the
// histogram; Stop ends a run early; the k6 and Artillery exports carry the form's parameters; an Artillery
// report is drawn with the same charts and compared with the last local run.
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtCharts/QAbstractBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>

#include "bench/load_run_panel.h"
#include "load/load_runner.h"
#include "net/echo_server.h"

using framescope::app::EchoServer;
using framescope::app::EchoServerOptions;
using framescope::app::LoadOptions;
using framescope::app::LoadSummary;
using framescope::ui::LoadRunPanel;

class TestLoadPanel : public QObject {
    Q_OBJECT

private:
    static void setShortRun(LoadRunPanel& panel, double seconds) {
        LoadOptions options = panel.options();
        options.connections = 4;
        options.inFlight = 4;
        options.messageSize = 256;
        options.durationSec = seconds;
        options.threads = 2;
        panel.setOptions(options);
    }

private slots:
    void shortRunDrawsChartsAndHistogram() {
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        LoadRunPanel panel;
        panel.setDefaultTarget(server.url());
        QCOMPARE(panel.options().connection.url, server.url());
        setShortRun(panel, 2.2);
        QSignalSpy finished(&panel, &LoadRunPanel::runFinished);
        panel.start();
        QVERIFY(panel.isRunning());
        QVERIFY(finished.wait(15000));
        const auto summary = finished.first().first().value<LoadSummary>();
        QVERIFY(summary.received > 0);
        QCOMPARE(summary.errors, 0u);
        QVERIFY(server.counters().messagesEchoed.load() >= summary.received);

        QChart* throughput = panel.throughputView()->chart();
        QCOMPARE(throughput->series().size(), 2);  // messages/s and MB/s
        for (QAbstractSeries* series : throughput->series())
            QVERIFY(qobject_cast<QLineSeries*>(series)->count() >= 2);
        QChart* latency = panel.latencyView()->chart();
        QCOMPARE(latency->series().size(), 4);  // p50, p90, p99, max
        for (QAbstractSeries* series : latency->series())
            QVERIFY(qobject_cast<QLineSeries*>(series)->count() >= 2);
        QChart* histogram = panel.histogramView()->chart();
        QCOMPARE(histogram->series().size(), 1);
        QBarSet* bins = qobject_cast<QAbstractBarSeries*>(histogram->series().first())->barSets().first();
        double total = 0;
        for (int i = 0; i < bins->count(); ++i)
            total += bins->at(i);
        QCOMPARE(static_cast<uint64_t>(total), summary.received);
    }

    void stopEndsTheRunEarly() {
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        LoadRunPanel panel;
        panel.setDefaultTarget(server.url());
        setShortRun(panel, 60);
        QSignalSpy finished(&panel, &LoadRunPanel::runFinished);
        panel.start();
        QTest::qWait(500);
        panel.stop();
        QVERIFY(finished.wait(3000));
        QVERIFY(!panel.isRunning());
        QVERIFY(finished.first().first().value<LoadSummary>().elapsedSec < 5);
    }

    void exportsK6() {
        LoadRunPanel panel;
        panel.setDefaultTarget(QUrl("ws://127.0.0.1:9001/"));
        setShortRun(panel, 30);
        QTemporaryDir dir;
        const QString path = dir.filePath("load.js");
        QVERIFY(panel.exportK6(path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString script = QString::fromUtf8(file.readAll());
        QVERIFY(script.contains("k6/experimental/websockets"));
        QVERIFY(script.contains("const URL = \"ws://127.0.0.1:9001/\";"));
        QVERIFY(script.contains("const CONNECTIONS = 4;"));
        QVERIFY(script.contains("const IN_FLIGHT = 4;"));
        QVERIFY(script.contains("const DURATION_S = 30;"));
    }

    void exportsArtillery() {
        LoadRunPanel panel;
        panel.setDefaultTarget(QUrl("ws://127.0.0.1:9001/"));
        setShortRun(panel, 30);
        QTemporaryDir dir;
        QStringList warnings;
        QVERIFY(panel.exportArtillery(dir.filePath("load.yml"), &warnings));
        QVERIFY(!warnings.isEmpty());  // the thread count, the sample interval
        QFile file(dir.filePath("load.yml"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString scenario = QString::fromUtf8(file.readAll());
        QVERIFY(scenario.contains("  target: \"ws://127.0.0.1:9001/\"\n"));
        QVERIFY(scenario.contains("    framescopeConnections: 4\n"));
        QVERIFY(scenario.contains("    framescopeDurationS: 30 "));
        QVERIFY(QFile::exists(dir.filePath("load.processor.cjs")));
    }

    void importsAnArtilleryReportBesideALocalRun() {
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        LoadRunPanel panel;
        panel.setDefaultTarget(server.url());
        setShortRun(panel, 1.2);
        QSignalSpy finished(&panel, &LoadRunPanel::runFinished);
        panel.start();
        QVERIFY(finished.wait(15000));
        QVERIFY(panel.comparisonText().isEmpty());

        QTemporaryDir dir;
        QFile report(dir.filePath("report.json"));
        QVERIFY(report.open(QIODevice::WriteOnly));
        report.write(R"({"aggregate":{"period":1000,"firstMetricAt":1000,"lastMetricAt":3000,
          "counters":{"vusers.created":2,"vusers.completed":2,"websocket.messages_sent":1000,
                      "websocket.messages_received":998,"framescope.bytes_received":255488},
          "summaries":{"framescope.round_trip_us":{"min":90,"max":4000,"count":998,"mean":300,
                       "p50":250,"p75":300,"p90":400,"p95":600,"p99":1500,"p999":3000}}},
          "intermediate":[{"period":"0","firstMetricAt":1000,"lastMetricAt":3000,
          "counters":{"vusers.created":2,"vusers.completed":2,"websocket.messages_sent":1000,
                      "websocket.messages_received":998,"framescope.bytes_received":255488},
          "summaries":{"framescope.round_trip_us":{"min":90,"max":4000,"count":998,"mean":300,
                       "p50":250,"p75":300,"p90":400,"p95":600,"p99":1500,"p999":3000}}}]})");
        report.close();
        QSignalSpy imported(&panel, &LoadRunPanel::reportImported);
        QString error;
        QVERIFY2(panel.importArtillery(report.fileName(), &error), qPrintable(error));
        QCOMPARE(imported.size(), 1);
        const auto summary = imported.first().first().value<LoadSummary>();
        QCOMPARE(summary.received, 998u);
        QCOMPARE(summary.messagesPerSec, 499.0);
        QCOMPARE(summary.p50Us, 250.0);
        QBarSet* bins = qobject_cast<QAbstractBarSeries*>(panel.histogramView()->chart()->series().first())
                            ->barSets()
                            .first();
        double total = 0;
        for (int i = 0; i < bins->count(); ++i)
            total += bins->at(i);
        QCOMPARE(total, 998.0);
        for (QAbstractSeries* series : panel.throughputView()->chart()->series())
            QCOMPARE(qobject_cast<QLineSeries*>(series)->count(), 1);
        const QString table = panel.comparisonText();
        QVERIFY(table.contains("local run") && table.contains("Artillery") && table.contains("0.250 ms"));
        QVERIFY(!panel.importArtillery(dir.filePath("missing.json"), &error));
        QVERIFY(error.startsWith("Cannot read"));
    }
};

QTEST_MAIN(TestLoadPanel)
#include "tst_load_panel.moc"
