// LoadRunPanel, offscreen, against an in-process EchoServer: a short run draws the live charts and the
// histogram; Stop ends a run early; the k6 and Artillery exports carry the form's parameters; an Artillery
// report is drawn with the same charts and compared with the last local run; a finished run saved as JSON
// (the JSON Lines of framescope-cli load --json) and loaded back draws its series dashed beside the next
// run's, its summary beside it and its latency histogram's bars beside the run's; a file that is not a load
// run is refused with one sentence and changes nothing. With FRAMESCOPE_SCREENSHOT_DIR set, the panel
// comparing two runs is saved there as load-compare.png.
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QtCharts/QAbstractBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>

#include "bench/load_run_panel.h"
#include "load/load_json.h"
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

    static QLineSeries* seriesNamed(QChart* chart, const QString& name) {
        for (QAbstractSeries* series : chart->series()) {
            if (series->name() == name) return qobject_cast<QLineSeries*>(series);
        }
        return nullptr;
    }

    // Every series' name and point count, to tell that nothing changed.
    static QStringList chartState(LoadRunPanel& panel) {
        QStringList state;
        for (QChart* chart : {panel.throughputView()->chart(), panel.latencyView()->chart()}) {
            for (QAbstractSeries* series : chart->series())
                state
                    << QString("%1=%2").arg(series->name()).arg(qobject_cast<QLineSeries*>(series)->count());
        }
        return state;
    }

    static LoadSummary runOnce(LoadRunPanel& panel) {
        QSignalSpy finished(&panel, &LoadRunPanel::runFinished);
        panel.start();
        if (!finished.wait(15000)) return {};
        return finished.first().first().value<LoadSummary>();
    }

    // "low-high:count" of each bin that holds round trips (an empty bin at either end, where the largest
    // value's bucket starts in the bin before, is not kept by the file).
    static QStringList nonEmptyBins(const framescope::app::LatencyHistogram& histogram) {
        QStringList bins;
        for (const auto& bin : histogram.decadeBins()) {
            if (bin.count > 0) bins << QString("%1-%2:%3").arg(bin.lowNs).arg(bin.highNs).arg(bin.count);
        }
        return bins;
    }

    // With FRAMESCOPE_SCREENSHOT_DIR set, `widget` shown and saved there as `name`.
    static void saveScreenshot(QWidget& widget, const QString& name) {
        const QByteArray screenshots = qgetenv("FRAMESCOPE_SCREENSHOT_DIR");
        if (screenshots.isEmpty()) return;
        widget.show();
        QVERIFY(widget.grab().save(QDir(QString::fromLocal8Bit(screenshots)).filePath(name)));
    }

    // Not a load run: one sentence, nothing changes.
    static void refusesWhatIsNotALoadRun(LoadRunPanel& panel, const QTemporaryDir& dir) {
        const QStringList before = chartState(panel);
        const QString table = panel.comparisonText();
        for (const QByteArray& bad : {QByteArray("not json"), QByteArray(R"({"results": []})"),
                                      QByteArray(R"({"type":"sample","time_s":1})")}) {
            QFile wrong(dir.filePath("wrong.json"));
            QVERIFY(wrong.open(QIODevice::WriteOnly | QIODevice::Truncate));
            wrong.write(bad);
            wrong.close();
            QString error;
            QVERIFY(!panel.compareWithSaved(wrong.fileName(), &error));
            QVERIFY2(error.startsWith("wrong.json: Not a load run"), qPrintable(error));
            QCOMPARE(chartState(panel), before);
            QCOMPARE(panel.comparisonText(), table);
        }
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

    void savesARunAndComparesTheNextWithIt() {
        EchoServer server(EchoServerOptions{});
        QVERIFY(server.start());
        LoadRunPanel panel;
        panel.setDefaultTarget(server.url());
        setShortRun(panel, 2.5);  // samples at 1, 2 and 2.5 s: lines to draw
        QTemporaryDir dir;
        const QString path = dir.filePath("first.json");
        QString error;
        QVERIFY(!panel.saveRun(path, &error));
        QVERIFY(error.startsWith("No finished run"));
        const LoadSummary first = runOnce(panel);
        QVERIFY(first.received > 0);
        QVERIFY2(panel.saveRun(path, &error), qPrintable(error));

        // The file holds the run's samples (the points the charts drew) and its summary and histogram.
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        framescope::app::LoadRunRecord saved;
        QVERIFY2(framescope::app::parseLoadRunJsonLines(file.readAll(), saved, error), qPrintable(error));
        QLineSeries* messages = seriesNamed(panel.throughputView()->chart(), "messages/s (echoes received)");
        QCOMPARE(saved.samples.size(), messages->count());
        QCOMPARE(saved.samples.last().messagesPerSec, messages->points().last().y());
        QCOMPARE(saved.summary.received, first.received);
        QCOMPARE(saved.summary.p99Us, first.p99Us);
        QCOMPARE(nonEmptyBins(saved.summary.histogram), nonEmptyBins(first.histogram));

        // The next run, compared with the saved one: dashed series beside the live ones, two columns.
        QVERIFY2(panel.compareWithSaved(path, &error), qPrintable(error));
        const LoadSummary second = runOnce(panel);
        QVERIFY(second.received > 0);
        QChart* throughput = panel.throughputView()->chart();
        QCOMPARE(throughput->series().size(), 4);
        QLineSeries* old = seriesNamed(throughput, "messages/s (echoes received) (saved: first.json)");
        QVERIFY(old);
        QCOMPARE(old->count(), saved.samples.size());
        QCOMPARE(old->pen().style(), Qt::DashLine);
        QCOMPARE(old->color(), messages->color());
        QVERIFY(seriesNamed(throughput, "MB/s (payload received) (saved: first.json)"));
        QChart* latency = panel.latencyView()->chart();
        QCOMPARE(latency->series().size(), 8);
        QCOMPARE(seriesNamed(latency, "p99 (saved: first.json)")->count(), saved.samples.size());
        // The saved run's histogram beside this run's: one bar set each, every round trip counted once.
        auto barSets = [&panel] {
            QList<QBarSet*> sets;
            for (QAbstractSeries* series : panel.histogramView()->chart()->series()) {
                if (auto* bars = qobject_cast<QAbstractBarSeries*>(series)) sets += bars->barSets();
            }
            return sets;
        };
        auto total = [](const QBarSet* set) {
            double sum = 0;
            for (int i = 0; i < set->count(); ++i)
                sum += set->at(i);
            return sum;
        };
        QList<QBarSet*> sets = barSets();
        QCOMPARE(sets.size(), 2);
        QCOMPARE(sets[0]->label(), QString("this run"));
        QCOMPARE(sets[1]->label(), QString("saved: first.json"));
        QCOMPARE(sets[0]->count(), sets[1]->count());  // on the same bins
        QCOMPARE(total(sets[0]), double(second.histogram.count()));
        QCOMPARE(total(sets[1]), double(saved.summary.histogram.count()));
        QVERIFY(panel.histogramView()->chart()->legend()->isVisible());
        const QString table = panel.comparisonText();
        QVERIFY2(table.contains("local run") && table.contains("saved: first.json"), qPrintable(table));
        QVERIFY(table.contains(QString::number(first.received)) &&
                table.contains(QString::number(second.received)));

        panel.resize(1600, 900);
        panel.findChild<QTabWidget*>()->setCurrentWidget(panel.liveCharts());
        saveScreenshot(panel, "load-compare.png");
        refusesWhatIsNotALoadRun(panel, dir);
        if (QTest::currentTestFailed()) return;

        panel.clearComparison();
        QCOMPARE(throughput->series().size(), 2);
        QCOMPARE(latency->series().size(), 4);
        QVERIFY(panel.comparisonText().isEmpty());
        sets = barSets();
        QCOMPARE(sets.size(), 1);
        QCOMPARE(total(sets[0]), double(second.histogram.count()));
    }
};

QTEST_MAIN(TestLoadPanel)
#include "tst_load_panel.moc"
