// BenchmarksPanel: layout, the run's life cycle, exports and the comparison import.
#include "bench/benchmarks_panel.h"

#include <QCheckBox>
#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <QtCharts/QChartView>

#include <algorithm>

#include "bench/bench_charts.h"
#include "bench/bench_results_model.h"
#include "bench/bench_run_io.h"
#include "bench/bench_runner.h"

namespace framescope::ui {

namespace {

QChartView* newChartView(const QString& title) {
    auto* chart = new QChart();
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setAnimationOptions(QChart::NoAnimation);
    auto* view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(480, 360);
    return view;
}

bool writeFile(const QString& path, const QByteArray& bytes, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size()) {
        if (error) *error = QString("Cannot write %1: %2.").arg(path, file.errorString());
        return false;
    }
    return true;
}

}  // namespace

BenchmarksPanel::BenchmarksPanel(QWidget* parent)
    : QWidget(parent),
      runner_(new BenchRunner(this)),
      model_(new BenchResultsModel(this)),
      proxy_(new QSortFilterProxyModel(this)) {
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(Qt::UserRole);
    throughputView_ = newChartView("Throughput against payload size");
    allocationsView_ = newChartView("Heap allocations per operation");
    auto* charts = new QTabWidget();
    charts->addTab(throughputView_, "Throughput");
    charts->addTab(allocationsView_, "Allocations");
    table_ = new QTableView();
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(-1, Qt::AscendingOrder);
    table_->verticalHeader()->setVisible(false);
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setSectionResizeMode(BenchResultsModel::Name, QHeaderView::Interactive);
    table_->horizontalHeader()->setSectionResizeMode(BenchResultsModel::Baseline, QHeaderView::Interactive);
    table_->setTextElideMode(Qt::ElideMiddle);  // "mask/copy-…/64 KiB": both ends of a row name matter
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setAlternatingRowColors(true);
    auto* right = new QWidget();
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    comparisonLabel_ = new QLabel();
    comparisonLabel_->setWordWrap(true);
    clearButton_ = new QPushButton("Clear comparison");
    auto* comparisonRow = new QHBoxLayout();
    comparisonRow->addWidget(comparisonLabel_, 1);
    comparisonRow->addWidget(clearButton_);
    rightLayout->addLayout(comparisonRow);
    rightLayout->addWidget(table_);
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(charts);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter_ = splitter;
    connect(splitter, &QSplitter::splitterMoved, this, [this] { userSizedSplitter_ = true; });
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(buildControls());
    layout->addWidget(splitter, 1);
    connect(runner_, &BenchRunner::progress, this, &BenchmarksPanel::onProgress);
    connect(runner_, &BenchRunner::finished, this, &BenchmarksPanel::onFinished);
    connect(runner_, &BenchRunner::busyChanged, this, [this](bool) { setRunningUi(runner_->isRunning()); });
    connect(clearButton_, &QPushButton::clicked, this, &BenchmarksPanel::clearComparison);
    auto fitLater = [this] { QTimer::singleShot(0, this, &BenchmarksPanel::fitColumns); };
    connect(proxy_, &QAbstractItemModel::modelReset, this, fitLater);
    connect(proxy_, &QAbstractItemModel::layoutChanged, this, fitLater);
    connect(proxy_, &QAbstractItemModel::rowsInserted, this, fitLater);
    connect(proxy_, &QAbstractItemModel::dataChanged, this, fitLater);
    connect(proxy_, &QAbstractItemModel::headerDataChanged, this, fitLater);
    table_->viewport()->installEventFilter(this);
    clearComparison();
}

bool BenchmarksPanel::eventFilter(QObject* watched, QEvent* event) {
    if (watched == table_->viewport() && event->type() == QEvent::Resize)
        QTimer::singleShot(0, this, &BenchmarksPanel::fitColumns);
    return QWidget::eventFilter(watched, event);
}

// The saved run's two columns only while one is imported: otherwise they hold dashes and take room from the
// charts at 1366 px.
void BenchmarksPanel::showSavedColumns(bool shown) {
    table_->setColumnHidden(BenchResultsModel::SavedNsPerOp, !shown);
    table_->setColumnHidden(BenchResultsModel::SavedRatio, !shown);
    QTimer::singleShot(0, this, &BenchmarksPanel::fitColumns);
}

// Until the user moves the splitter, the table takes the width its columns want from the charts, as long as
// the charts keep kChartsMinWidth; it never gives width back (the splitter's stretch shares the rest).
void BenchmarksPanel::widenTableTo(int columnsWidth) {
    constexpr int kChartsMinWidth = 520;
    if (userSizedSplitter_) return;
    QList<int> sizes = splitter_->sizes();
    if (sizes.size() != 2) return;
    // The pane around the viewport: the table's frame, its vertical scroll bar (counted also when it is not
    // shown yet), the layout's margins.
    const int chrome =
        sizes[1] - table_->viewport()->width() +
        (table_->verticalScrollBar()->isVisible() ? 0 : table_->verticalScrollBar()->sizeHint().width());
    const int total = sizes[0] + sizes[1];
    const int target = std::min(columnsWidth + chrome, total - kChartsMinWidth);
    if (target <= sizes[1]) return;
    splitter_->setSizes({total - target, target});
}

// Every column in sight, also at 1366 px: the figures' columns as wide as their contents, and the row and
// baseline names share what is left (the row names first), never more than they need; a name cut short
// is whole in its tooltip. Only when even the shortest names do not fit does the table scroll.
void BenchmarksPanel::fitColumns() {
    constexpr int kNameMin = 120;
    constexpr int kBaselineMin = 70;
    QHeaderView* header = table_->horizontalHeader();
    int figures = 0;
    for (int column = 0; column < header->count(); ++column) {
        if (column != BenchResultsModel::Name && column != BenchResultsModel::Baseline &&
            !header->isSectionHidden(column))
            figures += header->sectionSize(column);
    }
    auto wanted = [&](int column) {
        int width = header->sectionSizeHint(column);
        const int rows = std::min(proxy_->rowCount(), 2000);  // a run has a few hundred rows at most
        for (int row = 0; row < rows; ++row)
            width = std::max(width, table_->sizeHintForIndex(proxy_->index(row, column)).width());
        return width + 8;  // the hint leaves the cell's margins too tight: a name that fits was elided
    };
    const int nameWanted = wanted(BenchResultsModel::Name);
    const int baselineWanted = wanted(BenchResultsModel::Baseline);
    widenTableTo(figures + nameWanted + baselineWanted);
    const int room = table_->viewport()->width() - figures;
    int name = nameWanted;
    int baseline = baselineWanted;
    if (name + baseline > room) {
        // The row names first (they tell the rows apart); the baseline's name, in its tooltip too, gives way.
        name = std::min(nameWanted, std::max(kNameMin, room - kBaselineMin));
        baseline = std::min(baselineWanted, std::max(kBaselineMin, room - name));
    }
    header->resizeSection(BenchResultsModel::Name, name);
    header->resizeSection(BenchResultsModel::Baseline, baseline);
}

BenchmarksPanel::~BenchmarksPanel() = default;

QWidget* BenchmarksPanel::buildControls() {
    auto* controls = new QWidget();
    auto* grid = new QVBoxLayout(controls);
    grid->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout();
    quick_ = new QCheckBox("Quick");
    quick_->setToolTip("Shorter measurements: seconds in all, noisier figures");
    filter_ = new QLineEdit();
    filter_->setPlaceholderText("filter: a regular expression over suite/case/size, e.g. mask|frame/read");
    startButton_ = new QPushButton("Start");
    cancelButton_ = new QPushButton("Cancel");
    auto* importButton = new QPushButton("Compare with saved run…");
    auto* csvButton = new QPushButton("Export CSV…");
    auto* jsonButton = new QPushButton("Export JSON…");
    auto* pngButton = new QPushButton("Save charts as PNG…");
    row->addWidget(quick_);
    row->addWidget(filter_, 1);
    for (QPushButton* button : {startButton_, cancelButton_, importButton, csvButton, jsonButton, pngButton})
        row->addWidget(button);
    auto* status = new QHBoxLayout();
    progress_ = new QProgressBar();
    progress_->setRange(0, 1);
    progress_->setValue(0);
    caseLabel_ = new QLabel("Ready.");
    caseLabel_->setMinimumWidth(320);
    status->addWidget(progress_, 1);
    status->addWidget(caseLabel_, 1);
    grid->addLayout(row);
    grid->addLayout(status);
    connect(startButton_, &QPushButton::clicked, this, &BenchmarksPanel::start);
    connect(cancelButton_, &QPushButton::clicked, this, &BenchmarksPanel::cancel);
    connect(importButton, &QPushButton::clicked, this, &BenchmarksPanel::askImport);
    connect(csvButton, &QPushButton::clicked, this, &BenchmarksPanel::askExportCsv);
    connect(jsonButton, &QPushButton::clicked, this, &BenchmarksPanel::askExportJson);
    connect(pngButton, &QPushButton::clicked, this, &BenchmarksPanel::askExportCharts);
    setRunningUi(false);
    return controls;
}

void BenchmarksPanel::setQuick(bool quick) {
    quick_->setChecked(quick);
}

void BenchmarksPanel::setFilter(const QString& regex) {
    filter_->setText(regex);
}

bool BenchmarksPanel::isRunning() const {
    return runner_->isRunning();
}

void BenchmarksPanel::start() {
    const QString filter = filter_->text().trimmed();
    try {
        std::regex check(filter.toStdString());
    } catch (const std::regex_error&) {
        return report(QString("The filter '%1' is not a valid regular expression.").arg(filter));
    }
    if (!runner_->start(quick_->isChecked(), filter)) {
        return report("The previous run is still ending; start again in a moment.");
    }
    progress_->setRange(0, 0);
    caseLabel_->setText("Starting…");
    setRunningUi(true);
}

void BenchmarksPanel::cancel() {
    runner_->cancel();
}

void BenchmarksPanel::setRunningUi(bool running) {
    startButton_->setEnabled(!running && !runner_->isBusy());
    cancelButton_->setEnabled(running);
    quick_->setEnabled(!running);
    filter_->setEnabled(!running);
}

void BenchmarksPanel::onProgress(const QString& row, int done, int total) {
    progress_->setRange(0, std::max(1, total));
    progress_->setValue(done);
    caseLabel_->setText(row.isEmpty() ? QString("Finishing…")
                                      : QString("%1 (%2 of %3)").arg(row).arg(done + 1).arg(total));
}

void BenchmarksPanel::onFinished(const bench::SuiteRun& run) {
    setRunningUi(false);
    if (run.cancelled) {
        const QString why = runner_->lastError();
        caseLabel_->setText(!why.isEmpty() ? QString("The run failed: %1").arg(why)
                            : run.results.empty()
                                ? QString("Cancelled.")
                                : QString("Cancelled after %1 rows.").arg(run.results.size()));
        progress_->setRange(0, 1);
        progress_->setValue(0);
        if (run.results.empty()) {
            run_ = run;  // nothing to draw; the charts keep the last complete run
        } else {
            showRun(run);
        }
    } else {
        caseLabel_->setText(QString("Done: %1 rows (masking: %2).")
                                .arg(run.results.size())
                                .arg(QString::fromStdString(run.maskImpl)));
        progress_->setRange(0, 1);
        progress_->setValue(1);
        showRun(run);
    }
    emit runFinished(run.cancelled);
}

void BenchmarksPanel::showRun(const bench::SuiteRun& run) {
    run_ = run;
    model_->setResults(run.results);
    redrawCharts();
}

void BenchmarksPanel::redrawCharts() {
    SavedSeries saved;
    if (!model_->comparison().empty()) saved = {&model_->comparison(), model_->comparisonName()};
    fillThroughputChart(throughputView_->chart(), run_.results, saved);
    fillAllocationChart(allocationsView_->chart(), run_.results, run_.allocCounting || run_.results.empty(),
                        saved);
}

bool BenchmarksPanel::exportCsv(const QString& path, QString* error) const {
    const std::vector<bench::BenchResult>* saved =
        model_->comparison().empty() ? nullptr : &model_->comparison();
    return writeFile(path, benchRunCsv(run_.results, saved), error);
}

bool BenchmarksPanel::exportJson(const QString& path, QString* error) const {
    return writeFile(path, benchRunJson(run_), error);
}

bool BenchmarksPanel::exportChartImages(const QString& directory, QString* error) const {
    QDir().mkpath(directory);
    for (const auto& [view, name] :
         {std::pair{throughputView_, "throughput.png"}, std::pair{allocationsView_, "allocations.png"}}) {
        const QString path = QDir(directory).filePath(name);
        if (!view->grab().save(path, "PNG")) {
            if (error) *error = QString("Cannot write %1.").arg(path);
            return false;
        }
    }
    return true;
}

bool BenchmarksPanel::importComparison(const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error) *error = QString("Cannot read %1: %2.").arg(path, file.errorString());
        return false;
    }
    bench::SuiteRun saved;
    QString sentence;
    if (!parseBenchRunJson(file.readAll(), saved, sentence)) {
        if (error) *error = QString("%1: %2").arg(path, sentence);
        return false;
    }
    const QString name = QFileInfo(path).fileName();
    model_->setComparison(std::move(saved.results), name);
    showSavedColumns(true);
    comparisonLabel_->setText(
        QString(
            "Ratios: ours ÷ theirs (> 1: faster; ~ unstable, ! beats its limit). Saved run: %1 (%2 rows).")
            .arg(name)
            .arg(model_->comparison().size()));
    clearButton_->setEnabled(true);
    redrawCharts();
    return true;
}

void BenchmarksPanel::clearComparison() {
    model_->setComparison({}, {});
    showSavedColumns(false);
    comparisonLabel_->setText(
        "Ratios: ours ÷ theirs (> 1: faster; ~ unstable, ! beats its limit). No saved run imported.");
    clearButton_->setEnabled(false);
    redrawCharts();
}

void BenchmarksPanel::report(const QString& sentence) {
    caseLabel_->setText(sentence);
}

void BenchmarksPanel::askExportCsv() {
    const QString path =
        QFileDialog::getSaveFileName(this, "Export results as CSV", "bench.csv", "CSV (*.csv)");
    QString error;
    if (!path.isEmpty()) report(exportCsv(path, &error) ? "Saved " + path : error);
}

void BenchmarksPanel::askExportJson() {
    const QString path =
        QFileDialog::getSaveFileName(this, "Export results as JSON", "bench.json", "JSON (*.json)");
    QString error;
    if (!path.isEmpty()) report(exportJson(path, &error) ? "Saved " + path : error);
}

void BenchmarksPanel::askExportCharts() {
    const QString dir = QFileDialog::getExistingDirectory(this, "Save the charts as PNG into");
    QString error;
    if (!dir.isEmpty())
        report(exportChartImages(dir, &error) ? "Saved throughput.png and allocations.png in " + dir : error);
}

void BenchmarksPanel::askImport() {
    const QString path = QFileDialog::getOpenFileName(this, "Compare with a saved run", {}, "JSON (*.json)");
    QString error;
    if (!path.isEmpty()) report(importComparison(path, &error) ? "Comparing with " + path : error);
}

}  // namespace framescope::ui
