// BenchmarksPanel, offscreen: a quick filtered run fills the charts and the table; Cancel returns within a
// second; CSV, JSON and PNG exports parse back; an imported run shows as ratios, and its series dashed
// beside the current ones in both charts until Clear comparison.
#include <QAbstractItemModelTester>
#include <QDir>
#include <QImage>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QtCharts/QAbstractBarSeries>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>

#include <QElapsedTimer>
#include <QFile>

#include "bench/bench_results_model.h"
#include "bench/bench_run_io.h"
#include "bench/benchmarks_panel.h"

using framescope::ui::BenchmarksPanel;
using framescope::ui::BenchResultsModel;

namespace {

QLineSeries* seriesNamed(QChart* chart, const QString& name) {
    for (QAbstractSeries* series : chart->series()) {
        if (series->name() == name) return qobject_cast<QLineSeries*>(series);
    }
    return nullptr;
}

QPushButton* button(QWidget* panel, const QString& text) {
    for (QPushButton* candidate : panel->findChildren<QPushButton*>()) {
        if (candidate->text() == text) return candidate;
    }
    return nullptr;
}

}  // namespace

class TestBenchmarksPanel : public QObject {
    Q_OBJECT

private:
    BenchmarksPanel panel_;  // the quick run's results are shared by the export tests

    // The saved run's allocation bars: one per category, its mask rows' 1 allocation, no frame rows.
    void savedAllocationBarsAreTheFiles() {
        auto* bars = qobject_cast<QAbstractBarSeries*>(panel_.allocationsView()->chart()->series().first());
        QCOMPARE(bars->barSets().size(), 3);
        QBarSet* ours = bars->barSets()[0];
        QBarSet* savedBars = bars->barSets()[1];
        QCOMPARE(savedBars->label(), QString("FrameScope (saved: older.json)"));
        QCOMPARE(savedBars->count(), ours->count());
        QStringList categories;
        for (QAbstractAxis* axis : panel_.allocationsView()->chart()->axes(Qt::Vertical))
            categories = qobject_cast<QBarCategoryAxis*>(axis)->categories();
        for (int i = 0; i < ours->count(); ++i)  // the saved run has no frame rows: no bar there
            QCOMPARE(savedBars->at(i), categories[i].startsWith("mask") ? 1.0 : 0.0);
    }

    // With FRAMESCOPE_SCREENSHOT_DIR set, both charts saved there.
    void saveScreenshots() {
        const QByteArray screenshots = qgetenv("FRAMESCOPE_SCREENSHOT_DIR");
        if (!screenshots.isEmpty()) {
            panel_.resize(1600, 900);
            panel_.show();
            QVERIFY(panel_.throughputView()->grab().save(
                QDir(QString::fromLocal8Bit(screenshots)).filePath("bench-compare.png")));
            panel_.findChild<QTabWidget*>()->setCurrentWidget(panel_.allocationsView());
            QVERIFY(panel_.allocationsView()->grab().save(
                QDir(QString::fromLocal8Bit(screenshots)).filePath("bench-compare-allocations.png")));
        }
    }

private slots:
    // A ratio that decides nothing says so in its cell, not only in the tooltip: "~" unstable, "!" faster
    // than its physical limit (a measuring error), both greyed; a sound ratio has no mark.
    void unsoundRatiosAreMarkedInTheirCells() {
        framescope::bench::BenchResult sound;
        sound.suite = "mask";
        sound.caseName = "in-place";
        sound.baseline = {.name = "ideal XOR", .available = true, .ratio = 0.95};
        sound.bestPeer = {.name = "websocketpp", .available = true, .ratio = 3.0};
        framescope::bench::BenchResult unstable = sound;
        unstable.baseline.unstable = true;
        framescope::bench::BenchResult tooFast = sound;
        tooFast.baseline.ratio = 1.7;
        tooFast.baseline.beatsLimit = true;
        BenchResultsModel model;
        model.setResults({sound, unstable, tooFast});
        const auto cell = [&](int row) { return model.index(row, BenchResultsModel::BaselineRatio); };
        QCOMPARE(cell(0).data().toString(), QString("0.95×"));
        QCOMPARE(cell(1).data().toString(), QString("0.95× ~"));
        QCOMPARE(cell(2).data().toString(), QString("1.70× !"));
        QVERIFY(cell(0).data(Qt::ForegroundRole).value<QBrush>().color() != QColor(Qt::gray));
        QCOMPARE(cell(1).data(Qt::ForegroundRole).value<QBrush>().color(), QColor(Qt::gray));
        QVERIFY(cell(2).data(Qt::ToolTipRole).toString().contains("measuring error"));
        QCOMPARE(model.index(1, BenchResultsModel::PeerRatio).data().toString(), QString("3.00×"));
    }

    void quickRunFillsChartsAndTable() {
        QAbstractItemModelTester tester(panel_.resultsModel());
        panel_.setQuick(true);
        panel_.setFilter("^(mask/in-place|frame/read-masked)/");
        QSignalSpy finished(&panel_, &BenchmarksPanel::runFinished);
        panel_.start();
        QVERIFY(panel_.isRunning());
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().toBool(), false);
        QCOMPARE(panel_.lastRun().results.size(), size_t(12));  // 8 mask sizes, 4 frame sizes

        // The run happened in a child process (framescope-cli bench), which preloaded the malloc counter.
        QVERIFY(panel_.lastRun().allocCounting);
        QChart* throughput = panel_.throughputView()->chart();
        QCOMPARE(throughput->series().size(), 4);  // mask, frame read, memcpy and ideal XOR baselines
        QCOMPARE(seriesNamed(throughput, "mask")->count(), 8);
        QCOMPARE(seriesNamed(throughput, "frame read")->count(), 4);
        QLineSeries* memcpy = seriesNamed(throughput, "memcpy");
        QVERIFY(memcpy);
        QCOMPARE(memcpy->count(), 4);  // the frame reads' baseline
        QCOMPARE(memcpy->pen().style(), Qt::DashLine);
        QLineSeries* ideal = seriesNamed(throughput, "ideal XOR (limit)");
        QVERIFY(ideal);
        QCOMPARE(ideal->count(), 8);  // the in-place masking's limit

        QChart* allocations = panel_.allocationsView()->chart();
        QCOMPARE(allocations->series().size(), 1);
        auto* bars = qobject_cast<QAbstractBarSeries*>(allocations->series().first());
        QCOMPARE(bars->barSets().size(), 2);
        QCOMPARE(bars->barSets().first()->count(), 2);  // frame read and mask nearest 1 KiB

        QCOMPARE(panel_.table()->model()->rowCount(), 12);
        panel_.table()->sortByColumn(BenchResultsModel::MbPerSec, Qt::DescendingOrder);
        double best = 0;
        for (const auto& r : panel_.lastRun().results)
            best = std::max(best, r.figures.mbPerSec);
        const QModelIndex top = panel_.table()->model()->index(0, BenchResultsModel::MbPerSec);
        QCOMPARE(top.data(Qt::UserRole).toDouble(), best);
    }

    void exportsParseBack() {
        QTemporaryDir dir;
        const QString json = dir.filePath("run.json");
        const QString csv = dir.filePath("run.csv");
        QVERIFY(panel_.exportJson(json));
        QVERIFY(panel_.exportCsv(csv));
        QFile jsonFile(json);
        QVERIFY(jsonFile.open(QIODevice::ReadOnly));
        framescope::bench::SuiteRun parsed;
        QString error;
        QVERIFY2(framescope::ui::parseBenchRunJson(jsonFile.readAll(), parsed, error), qPrintable(error));
        const auto& original = panel_.lastRun().results;
        QCOMPARE(parsed.results.size(), original.size());
        for (size_t i = 0; i < original.size(); ++i) {
            QCOMPARE(parsed.results[i].fullName, original[i].fullName);
            QCOMPARE(parsed.results[i].size, original[i].size);
            QVERIFY(std::abs(parsed.results[i].figures.nsPerOp - original[i].figures.nsPerOp) <=
                    original[i].figures.nsPerOp * 1e-5);
            QCOMPARE(parsed.results[i].baseline.name, original[i].baseline.name);
        }
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csvFile.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), int(original.size()) + 1);
        QVERIFY(lines.first().startsWith("name,suite,case,label,size"));
        QCOMPARE(lines[1].count(','), lines.first().count(','));

        QVERIFY(panel_.exportChartImages(dir.path()));
        for (const char* name : {"throughput.png", "allocations.png"}) {
            const QImage image(dir.filePath(name));
            QVERIFY(!image.isNull());
            QVERIFY(image.width() >= 400);
        }

        // The saved run compared with itself: every ratio is 1.
        QVERIFY(panel_.importComparison(json));
        const QAbstractItemModel* model = panel_.resultsModel();
        for (int row = 0; row < model->rowCount(); ++row) {
            const double ratio =
                model->index(row, BenchResultsModel::SavedRatio).data(Qt::UserRole).toDouble();
            QVERIFY(std::abs(ratio - 1.0) < 1e-4);
        }
        QVERIFY(!panel_.importComparison(dir.filePath("run.csv"), &error));
        QVERIFY(error.contains("Not a benchmark run"));
    }

    // A saved run made from the quick run: its mask rows only, twice as fast, one allocation per operation.
    // Its series are the saved file's, not the current run's.
    void savedRunIsDrawnBesideTheCurrent() {
        framescope::bench::SuiteRun saved = panel_.lastRun();
        std::erase_if(saved.results, [](const auto& r) { return r.suite != "mask"; });
        for (auto& r : saved.results) {
            r.figures.mbPerSec *= 2;
            r.figures.allocsPerOp = 1;  // ours are zero: a bar to see
        }
        QTemporaryDir dir;
        QFile file(dir.filePath("older.json"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(framescope::ui::benchRunJson(saved));
        file.close();
        QString error;
        QVERIFY2(panel_.importComparison(file.fileName(), &error), qPrintable(error));

        QChart* throughput = panel_.throughputView()->chart();
        QCOMPARE(throughput->series().size(), 5);  // mask, frame read, the saved mask and two baselines
        QVERIFY(!seriesNamed(throughput, "frame read (saved: older.json)"));
        QLineSeries* mask = seriesNamed(throughput, "mask");
        QLineSeries* old = seriesNamed(throughput, "mask (saved: older.json)");
        QVERIFY(old);
        QCOMPARE(old->count(), mask->count());
        QCOMPARE(old->pen().style(), Qt::DashLine);
        QCOMPARE(old->color(), mask->color());
        for (QAbstractSeries* series : throughput->series()) {  // no other dashed line in the mask's colour
            auto* line = qobject_cast<QLineSeries*>(series);
            if (line != old && line->pen().style() == Qt::DashLine) QVERIFY(line->color() != mask->color());
        }
        for (int i = 0; i < mask->count(); ++i)
            QVERIFY(std::abs(old->at(i).y() - 2 * mask->at(i).y()) <= mask->at(i).y() * 1e-5);

        savedAllocationBarsAreTheFiles();
        if (QTest::currentTestFailed()) return;
        // The table's saved column: the saved mask rows, no figure for the frame rows.
        const QAbstractItemModel* model = panel_.resultsModel();
        for (int row = 0; row < model->rowCount(); ++row) {
            const QString name = model->index(row, BenchResultsModel::Name).data().toString();
            const QString ratio = model->index(row, BenchResultsModel::SavedRatio).data().toString();
            QCOMPARE(ratio != "–", name.startsWith("mask/"));
        }

        saveScreenshots();

        QPushButton* clear = button(&panel_, "Clear comparison");
        QVERIFY(clear && clear->isEnabled());
        clear->click();
        QCOMPARE(throughput->series().size(), 4);
        QCOMPARE(qobject_cast<QAbstractBarSeries*>(panel_.allocationsView()->chart()->series().first())
                     ->barSets()
                     .size(),
                 2);
        QVERIFY(panel_.resultsModel()->comparison().empty());
        QVERIFY(!clear->isEnabled());
    }

    void cancelStopsWithinASecond() {
        BenchmarksPanel panel;
        panel.setQuick(true);
        panel.setFilter("^(?!e2e)");  // every in-memory row; the loopback rows start external peers
        QSignalSpy finished(&panel, &BenchmarksPanel::runFinished);
        panel.start();
        QTest::qWait(200);
        QElapsedTimer clock;
        clock.start();
        panel.cancel();
        QVERIFY(!panel.isRunning());
        QVERIFY(finished.size() >= 1);
        QCOMPARE(finished.first().first().toBool(), true);
        // The child process is killed: the panel can start again at once.
        QTRY_VERIFY_WITH_TIMEOUT(button(&panel, "Start")->isEnabled(), 1000);
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(panel.lastRun().cancelled);
        QVERIFY(panel.lastRun().results.size() < framescope::bench::allRowNames().size());
    }
};

QTEST_MAIN(TestBenchmarksPanel)
#include "tst_benchmarks_panel.moc"
