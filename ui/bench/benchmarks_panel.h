// The Benchmarks panel: runs the bench/ suites on a worker thread (quick or full, with a filter), shows
// the progress and the case being run, and draws the results as charts beside a sortable table. A run
// can be compared with a saved run (imported JSON: a "saved run" column in the table, its series dashed in
// the charts, until "Clear comparison") and with the reference report; results export as CSV
// and JSON, each chart as PNG. The window hosts it as a tab.
#pragma once

#include <QString>
#include <QWidget>

#include "framescope/bench/suites.h"

class QCheckBox;
class QChartView;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;

namespace framescope::ui {

class BenchResultsModel;
class BenchRunner;

class BenchmarksPanel : public QWidget {
    Q_OBJECT
public:
    explicit BenchmarksPanel(QWidget* parent = nullptr);
    ~BenchmarksPanel() override;

    void setQuick(bool quick);
    void setFilter(const QString& regex);
    void start();
    void cancel();
    bool isRunning() const;

    // The last finished run (partial when cancelled) and its model.
    const bench::SuiteRun& lastRun() const noexcept { return run_; }
    BenchResultsModel* resultsModel() const noexcept { return model_; }
    QTableView* table() const noexcept { return table_; }
    QChartView* throughputView() const noexcept { return throughputView_; }
    QChartView* allocationsView() const noexcept { return allocationsView_; }

    // Shows `run` as if it had just finished (also used by tests and the demo).
    void showRun(const bench::SuiteRun& run);

    // Files: false with one sentence in `error`.
    bool exportCsv(const QString& path, QString* error = nullptr) const;
    bool exportJson(const QString& path, QString* error = nullptr) const;
    // throughput.png and allocations.png in `directory`.
    bool exportChartImages(const QString& directory, QString* error = nullptr) const;
    bool importComparison(const QString& path, QString* error = nullptr);
    void clearComparison();

signals:
    void runFinished(bool cancelled);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void fitColumns();
    void widenTableTo(int columnsWidth);
    void showSavedColumns(bool shown);
    QWidget* buildControls();
    void onProgress(const QString& row, int done, int total);
    void onFinished(const bench::SuiteRun& run);
    void setRunningUi(bool running);
    void askExportCsv();
    void askExportJson();
    void askExportCharts();
    void askImport();
    void report(const QString& sentence);
    void redrawCharts();

    BenchRunner* runner_;
    BenchResultsModel* model_;
    QSortFilterProxyModel* proxy_;
    bench::SuiteRun run_;
    QCheckBox* quick_ = nullptr;
    QLineEdit* filter_ = nullptr;
    QPushButton* startButton_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* caseLabel_ = nullptr;
    QLabel* comparisonLabel_ = nullptr;
    QPushButton* clearButton_ = nullptr;
    QTableView* table_ = nullptr;
    QSplitter* splitter_ = nullptr;  // charts | comparison and table
    bool userSizedSplitter_ = false;
    QChartView* throughputView_ = nullptr;
    QChartView* allocationsView_ = nullptr;
};

}  // namespace framescope::ui
