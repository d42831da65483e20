// Builds the throughput and allocation charts from results; the tooltips on hover.
#include "bench/bench_charts.h"

#include <QCursor>
#include <QPen>
#include <QToolTip>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QHorizontalBarSeries>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>
#include <map>

#include "bench/bench_run_io.h"

namespace framescope::ui {

namespace {

constexpr const char* kMemcpy = "memcpy";
constexpr const char* kPlainTcp = "tcp echo";
constexpr int kEndToEndInFlight = 64;

QString sizeText(double bytes) {
    if (bytes >= 1 << 20) return QString::number(bytes / (1 << 20), 'g', 3) + " MiB";
    if (bytes >= 1024) return QString::number(bytes / 1024, 'g', 3) + " KiB";
    return QString::number(bytes, 'g', 4) + " B";
}

QString rateText(double mbPerSec) {
    return mbPerSec >= 1000 ? QString::number(mbPerSec / 1000, 'f', 2) + " GB/s"
                            : QString::number(mbPerSec, 'f', 1) + " MB/s";
}

void clearChart(QChart* chart) {
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
}

void showTip(const QString& text, bool state) {
    if (state) {
        QToolTip::showText(QCursor::pos(), text);
    } else {
        QToolTip::hideText();
    }
}

QLineSeries* addLine(QChart* chart, const QString& name, const std::map<size_t, double>& points,
                     QAbstractAxis* x, QAbstractAxis* y, const QColor& color) {
    auto* series = new QLineSeries();
    series->setName(name);
    QPen pen(color);
    pen.setWidthF(2);
    series->setPen(pen);
    for (const auto& [size, mbPerSec] : points)
        series->append(static_cast<double>(size), mbPerSec);
    series->setPointsVisible(true);
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
    QObject::connect(series, &QXYSeries::hovered, series, [series](const QPointF& point, bool state) {
        showTip(QString("%1\n%2: %3").arg(series->name(), sizeText(point.x()), rateText(point.y())), state);
    });
    return series;
}

bool matches(const bench::BenchResult& r, const char* suite, const char* caseName, int inFlight) {
    return r.suite == suite && r.caseName == caseName && (r.suite != "e2e" || r.inFlight == inFlight);
}

// Powers of `base` around [low, high], for a log axis whose ticks fall on round values.
std::pair<double, double> logRange(double low, double high, double base) {
    const double lo = std::pow(base, std::floor(std::log(low) / std::log(base) + 1e-9));
    const double hi = std::pow(base, std::ceil(std::log(high) / std::log(base) - 1e-9));
    return {lo, hi > lo ? hi : lo * base};
}

struct AllocationCategory {
    const char* name;
    const char* suite;
    const char* caseName;
};

constexpr AllocationCategory kAllocationCategories[] = {
    {"msg write", "message", "write"},      {"msg read", "message", "read-masked"},
    {"frame read", "frame", "read-masked"}, {"frame write", "frame", "write-masked"},
    {"mask", "mask", "in-place"},           {"UTF-8", "utf8", "ascii"},
    {"deflate", "deflate", "compress"},     {"inflate", "deflate", "inflate"},
    {"end to end", "e2e", "serve"},
};

// The row of a category whose size is nearest 1 KiB (the size the reference report uses most).
const bench::BenchResult* rowNear1KiB(const std::vector<bench::BenchResult>& results,
                                      const AllocationCategory& category) {
    const bench::BenchResult* best = nullptr;
    auto distance = [](const bench::BenchResult& r) {
        return std::abs(std::log2(std::max(1.0, static_cast<double>(r.size))) - 10);
    };
    for (const bench::BenchResult& r : results) {
        if (!matches(r, category.suite, category.caseName, kEndToEndInFlight)) continue;
        if (!best || distance(r) < distance(*best)) best = &r;
    }
    return best;
}

QLogValueAxis* newLogAxis(double base, const QString& title, int minorTicks) {
    auto* axis = new QLogValueAxis();
    axis->setBase(base);
    axis->setLabelFormat("%.0f");
    axis->setTitleText(title);
    axis->setMinorTickCount(minorTicks);
    return axis;
}

// Tooltips of the allocation bars: ours with bytes per op, the reference's, or why there is none.
void connectAllocationTips(QBarSet* set, bool isOurs, const std::vector<const bench::BenchResult*>& rows,
                           const QStringList& categories) {
    QObject::connect(set, &QBarSet::hovered, set, [set, rows, categories, isOurs](bool state, int index) {
        if (index < 0 || index >= static_cast<int>(rows.size())) return;
        const bench::BenchResult& r = *rows[static_cast<size_t>(index)];
        const bench::Figures& f = isOurs ? r.figures : r.reference.figures;
        QString text = QString("%1 — %2\n%3 allocs/op, %4 B/op")
                           .arg(set->label(), categories[index])
                           .arg(f.allocsPerOp, 0, 'g', 3)
                           .arg(f.bytesPerOp, 0, 'g', 4);
        if (!isOurs && !r.reference.available)
            text = set->label() + ": no reference row for " + categories[index];
        if (isOurs && f.allocsPerOp < 0) text = "FrameScope: allocations were not counted";
        showTip(text, state);
    });
}

}  // namespace

const std::vector<ThroughputOperation>& throughputOperations() {
    static const std::vector<ThroughputOperation> operations = {
        {"mask", "mask", "in-place", 0, 0x1f77b4},
        {"frame read", "frame", "read-masked", 0, 0x2ca02c},
        {"frame write", "frame", "write-masked", 0, 0xff7f0e},
        {"UTF-8", "utf8", "ascii", 0, 0x9467bd},
        {"inflate", "deflate", "inflate", 0, 0xd62728},
        {"serve ×64", "e2e", "serve", kEndToEndInFlight, 0x17becf},
    };
    return operations;
}

QString savedSeriesName(const QString& series, const QString& savedName) {
    return QString("%1 (saved: %2)").arg(series, savedName);
}

namespace {

// The axes' extent over every point drawn.
struct Extent {
    double minX = 1e18, maxX = 0, minY = 1e18, maxY = 0;
    void add(size_t size, double mbPerSec) {
        minX = std::min(minX, double(size));
        maxX = std::max(maxX, double(size));
        minY = std::min(minY, mbPerSec);
        maxY = std::max(maxY, mbPerSec);
    }
};

std::map<size_t, double> operationPoints(const std::vector<bench::BenchResult>& results,
                                         const ThroughputOperation& op, Extent& extent) {
    std::map<size_t, double> points;
    for (const bench::BenchResult& r : results) {
        if (!matches(r, op.suite, op.caseName, op.inFlight) || r.size == 0 || r.figures.mbPerSec <= 0)
            continue;
        points[r.size] = r.figures.mbPerSec;
        extent.add(r.size, r.figures.mbPerSec);
    }
    return points;
}

void setDashed(QLineSeries* series, const QColor& color, double width) {
    QPen pen(color);
    pen.setWidthF(width);
    pen.setStyle(Qt::DashLine);
    series->setPen(pen);
}

// The memcpy, ideal XOR and plain TCP baselines measured beside the operations, dashed.
void addBaselines(QChart* chart, const std::vector<bench::BenchResult>& results, QAbstractAxis* x,
                  QAbstractAxis* y, Extent& extent) {
    std::map<size_t, double> memcpy;
    std::map<size_t, double> idealXor;
    std::map<size_t, double> plainTcp;
    for (const ThroughputOperation& op : throughputOperations()) {
        for (const bench::BenchResult& r : results) {
            const bench::Comparison& base = r.baseline;
            if (!matches(r, op.suite, op.caseName, op.inFlight) || r.size == 0 || r.figures.mbPerSec <= 0 ||
                !base.available || base.figures.mbPerSec <= 0)
                continue;
            if (base.name == kMemcpy) memcpy[r.size] = std::max(memcpy[r.size], base.figures.mbPerSec);
            if (base.name.starts_with("ideal XOR")) idealXor[r.size] = base.figures.mbPerSec;
            if (base.name == kPlainTcp) plainTcp[r.size] = base.figures.mbPerSec;
            extent.add(r.size, base.figures.mbPerSec);
        }
    }
    // Not the colour of an operation: a dashed line in an operation's colour is its saved run.
    const QColor baselineColors[] = {QColor(0x44, 0x44, 0x44), QColor(0xbc, 0xbd, 0x22),
                                     QColor(0x99, 0x66, 0x33)};
    int i = 0;
    for (const auto& [name, points] : {std::pair{"memcpy", memcpy}, std::pair{"ideal XOR (limit)", idealXor},
                                       std::pair{"TCP echo", plainTcp}}) {
        const QColor color = baselineColors[i++];
        if (!points.empty()) setDashed(addLine(chart, name, points, x, y, color), color, 1.8);
    }
}

}  // namespace

void fillThroughputChart(QChart* chart, const std::vector<bench::BenchResult>& results,
                         const SavedSeries& saved) {
    clearChart(chart);
    QLogValueAxis* x = newLogAxis(4, "payload size (bytes, log scale)", 1);
    QLogValueAxis* y = newLogAxis(10, "throughput (MB/s, log scale)", 8);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    Extent extent;
    for (const ThroughputOperation& op : throughputOperations()) {
        const QColor color = QColor::fromRgb(op.color);
        const std::map<size_t, double> points = operationPoints(results, op, extent);
        if (!points.empty()) addLine(chart, op.name, points, x, y, color);
        if (!saved.results) continue;
        const std::map<size_t, double> old = operationPoints(*saved.results, op, extent);
        if (!old.empty())
            setDashed(addLine(chart, savedSeriesName(op.name, saved.name), old, x, y, color), color, 2);
    }
    addBaselines(chart, results, x, y, extent);
    if (extent.maxX <= 0) {
        x->setRange(16, 1 << 20);
        y->setRange(1, 100000);
        return;
    }
    const auto [x0, x1] = logRange(extent.minX, extent.maxX, 4);
    const auto [y0, y1] = logRange(extent.minY, extent.maxY, 10);
    x->setRange(x0, x1);
    y->setRange(y0, y1);
    y->setLabelFormat(y0 >= 1 ? "%.0f" : "%g");
}

namespace {

// The saved run's bars: its row of the same name as ours, hatched in our colour with a dashed outline.
QBarSet* newSavedAllocationSet(const SavedSeries& saved, const std::vector<const bench::BenchResult*>& rows,
                               const QStringList& categories, double& maxValue) {
    auto* set = new QBarSet(savedSeriesName("FrameScope", saved.name));
    set->setBrush(QBrush(QColor(0x1f, 0x77, 0xb4), Qt::BDiagPattern));
    QPen pen(QColor(0x1f, 0x77, 0xb4));
    pen.setStyle(Qt::DashLine);
    set->setPen(pen);
    set->setLabelColor(QColor(0x30, 0x30, 0x30));
    std::vector<const bench::BenchResult*> old;
    for (const bench::BenchResult* row : rows) {
        old.push_back(findRow(*saved.results, row->fullName));
        const double value = old.back() ? std::max(0.0, old.back()->figures.allocsPerOp) : 0;
        *set << std::round(value * 100) / 100;
        maxValue = std::max(maxValue, value);
    }
    QObject::connect(set, &QBarSet::hovered, set, [set, old, categories](bool state, int index) {
        if (index < 0 || index >= static_cast<int>(old.size())) return;
        const bench::BenchResult* r = old[static_cast<size_t>(index)];
        showTip(!r ? QString("%1: no row for %2").arg(set->label(), categories[index])
                : r->figures.allocsPerOp < 0 ? QString("%1: allocations were not counted").arg(set->label())
                                             : QString("%1 — %2\n%3 allocs/op, %4 B/op")
                                                   .arg(set->label(), categories[index])
                                                   .arg(r->figures.allocsPerOp, 0, 'g', 3)
                                                   .arg(r->figures.bytesPerOp, 0, 'g', 4),
                state);
    });
    return set;
}

void attachAllocationAxes(QChart* chart, QAbstractBarSeries* series, const QStringList& categories,
                          double maxValue) {
    auto* y = new QBarCategoryAxis();
    y->append(categories);
    auto* x = new QValueAxis();
    x->setTitleText("heap allocations per operation");
    x->setRange(0, std::max(1.0, std::ceil(maxValue * 1.2)));
    x->setLabelFormat("%g");
    x->setTickCount(static_cast<int>(std::max(1.0, std::ceil(maxValue * 1.2))) + 1);
    chart->addAxis(y, Qt::AlignLeft);
    chart->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    series->attachAxis(y);
}

}  // namespace

void fillAllocationChart(QChart* chart, const std::vector<bench::BenchResult>& results, bool allocCounting,
                         const SavedSeries& saved) {
    clearChart(chart);
    auto* ours = new QBarSet("FrameScope");
    auto* reference = new QBarSet("Go seed report (another machine)");
    ours->setColor(QColor(0x1f, 0x77, 0xb4));
    reference->setColor(QColor(0xaa, 0xaa, 0xaa));
    for (QBarSet* set : {ours, reference})
        set->setLabelColor(QColor(0x30, 0x30, 0x30));
    QStringList categories;
    std::vector<const bench::BenchResult*> rows;
    double maxValue = 0;
    // Horizontal bars are laid out from the bottom: walk the categories backwards to list them top down.
    for (auto it = std::rbegin(kAllocationCategories); it != std::rend(kAllocationCategories); ++it) {
        const bench::BenchResult* row = rowNear1KiB(results, *it);
        if (!row) continue;
        rows.push_back(row);
        categories << QString("%1 (%2)").arg(it->name, QString::fromStdString(row->label));
        // Bars show two decimals (an allocation amortised over a calibration is not one per operation);
        // the tooltip has the exact figure.
        const double value = std::round(std::max(0.0, row->figures.allocsPerOp) * 100) / 100;
        const double ref = row->reference.available ? std::max(0.0, row->reference.figures.allocsPerOp) : 0;
        *ours << value;
        *reference << ref;
        maxValue = std::max({maxValue, value, ref});
    }
    auto* series = new QHorizontalBarSeries();
    series->setBarWidth(0.8);
    series->append(ours);
    if (saved.results) series->append(newSavedAllocationSet(saved, rows, categories, maxValue));
    series->append(reference);
    series->setLabelsVisible(true);
    series->setLabelsFormat("@value");
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    chart->addSeries(series);
    attachAllocationAxes(chart, series, categories, maxValue);
    chart->setTitle(allocCounting
                        ? "Heap allocations per operation, rows nearest 1 KiB (no bar: zero)"
                        : "Heap allocations: not counted (the operator new counter is not linked in)");
    connectAllocationTips(ours, true, rows, categories);
    connectAllocationTips(reference, false, rows, categories);
}

}  // namespace framescope::ui
