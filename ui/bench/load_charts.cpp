// LoadCharts: series, moving axes, hover tooltips and the end-of-run histogram.
#include "bench/load_charts.h"

#include "bench/bench_charts.h"

#include <QBrush>
#include <QCursor>
#include <QPen>
#include <QToolTip>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>
#include <map>

namespace framescope::ui {

namespace {

constexpr const char* kPercentileNames[4] = {"p50", "p90", "p99", "max"};

QChartView* newView(const QString& title) {
    auto* chart = new QChart();
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto* view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(420, 260);
    return view;
}

QLineSeries* newLine(QChart* chart, const QString& name, QAbstractAxis* x, QAbstractAxis* y,
                     const QString& unit) {
    auto* series = new QLineSeries();
    series->setName(name);
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
    QObject::connect(series, &QXYSeries::hovered, series, [series, unit](const QPointF& p, bool state) {
        if (!state) return QToolTip::hideText();
        QToolTip::showText(QCursor::pos(), QString("%1 at %2 s: %3 %4")
                                               .arg(series->name())
                                               .arg(p.x(), 0, 'f', 1)
                                               .arg(p.y(), 0, 'g', 4)
                                               .arg(unit));
    });
    return series;
}

// "100–200 µs", "500 µs–1 ms": the unit once when both ends share it.
QString rangeText(uint64_t lowNs, uint64_t highNs) {
    auto split = [](uint64_t ns) -> std::pair<QString, QString> {
        if (ns >= 1'000'000'000) return {QString::number(double(ns) / 1e9, 'g', 3), "s"};
        if (ns >= 1'000'000) return {QString::number(double(ns) / 1e6, 'g', 3), "ms"};
        if (ns >= 1'000) return {QString::number(double(ns) / 1e3, 'g', 3), "µs"};
        return {QString::number(ns), "ns"};
    };
    const auto [low, lowUnit] = split(lowNs);
    const auto [high, highUnit] = split(highNs);
    if (lowUnit == highUnit) return QString("%1–%2 %3").arg(low, high, highUnit);
    return QString("%1 %2–%3 %4").arg(low, lowUnit, high, highUnit);
}

double niceCeiling(double value) {
    if (value <= 0) return 1;
    const double magnitude = std::pow(10, std::floor(std::log10(value)));
    for (const double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (step * magnitude >= value) return step * magnitude;
    }
    return 10 * magnitude;
}

}  // namespace

LoadCharts::LoadCharts(QObject* parent)
    : QObject(parent),
      throughputView_(newView("Throughput")),
      latencyView_(newView("Round-trip latency")),
      histogramView_(newView("Round-trip latency histogram (whole run)")) {
    buildThroughput();
    buildLatency();
    histogramView_->chart()->legend()->hide();
    reset(10);
}

void LoadCharts::buildThroughput() {
    QChart* chart = throughputView_->chart();
    throughputTime_ = new QValueAxis();
    throughputTime_->setTitleText("time (s)");
    throughputTime_->setLabelFormat("%.0f");
    messagesAxis_ = new QValueAxis();
    messagesAxis_->setTitleText("messages/s");
    messagesAxis_->setLabelFormat("%.0f");
    megabytesAxis_ = new QValueAxis();
    megabytesAxis_->setTitleText("MB/s");
    megabytesAxis_->setLabelFormat("%.1f");
    chart->addAxis(throughputTime_, Qt::AlignBottom);
    chart->addAxis(messagesAxis_, Qt::AlignLeft);
    chart->addAxis(megabytesAxis_, Qt::AlignRight);
    messages_ = newLine(chart, "messages/s (echoes received)", throughputTime_, messagesAxis_, "msgs/s");
    megabytes_ = newLine(chart, "MB/s (payload received)", throughputTime_, megabytesAxis_, "MB/s");
    // Solid, like every live series: dashed lines are a saved run's.
    QPen pen(QColor(0xd0, 0x70, 0x20));
    pen.setWidthF(2);
    megabytes_->setPen(pen);
    messagesAxis_->setLinePenColor(messages_->color());
    megabytesAxis_->setLinePenColor(pen.color());
}

void LoadCharts::buildLatency() {
    QChart* chart = latencyView_->chart();
    latencyTime_ = new QValueAxis();
    latencyTime_->setTitleText("time (s)");
    latencyTime_->setLabelFormat("%.0f");
    latencyAxis_ = new QLogValueAxis();
    latencyAxis_->setBase(10);
    latencyAxis_->setLabelFormat("%g");
    latencyAxis_->setTitleText("round trip (ms, log scale)");
    latencyAxis_->setMinorTickCount(8);
    chart->addAxis(latencyTime_, Qt::AlignBottom);
    chart->addAxis(latencyAxis_, Qt::AlignLeft);
    for (int i = 0; i < 4; ++i) {
        percentiles_[i] = newLine(chart, kPercentileNames[i], latencyTime_, latencyAxis_, "ms");
        percentiles_[i]->setPointsVisible(true);
    }
}

void LoadCharts::reset(double durationSec) {
    durationSec_ = durationSec;
    maxMessages_ = 0;
    maxMegabytes_ = 0;
    messages_->clear();
    megabytes_->clear();
    for (QLineSeries* series : percentiles_)
        series->clear();
    fitThroughputAxes();
    fitLatencyAxis();
    moveTimeAxes(0);
    liveHistogram_.reset();  // a saved run's bars stay, as its lines do
    drawHistogram();
}

void LoadCharts::moveTimeAxes(double timeSec) {
    const double span = std::min(std::max(durationSec_, 1.0), kWindowSec);
    const double end = std::max(timeSec, span);
    for (QValueAxis* axis : {throughputTime_, latencyTime_}) {
        axis->setRange(end - span, end);
        axis->setTickCount(std::min(11, static_cast<int>(span) + 1));
    }
}

void LoadCharts::addSample(const app::LoadSample& sample) {
    const double t = sample.timeSec;
    messages_->append(t, sample.messagesPerSec);
    megabytes_->append(t, sample.mbPerSec);
    maxMessages_ = std::max(maxMessages_, sample.messagesPerSec);
    maxMegabytes_ = std::max(maxMegabytes_, sample.mbPerSec);
    fitThroughputAxes();
    const double values[4] = {sample.p50Us, sample.p90Us, sample.p99Us, sample.maxUs};
    for (int i = 0; i < 4; ++i) {
        if (values[i] > 0) percentiles_[i]->append(t, values[i] / 1000.0);
    }
    // Points that scrolled out of a long run's window are dropped.
    for (QLineSeries* series :
         {messages_, megabytes_, percentiles_[0], percentiles_[1], percentiles_[2], percentiles_[3]}) {
        int old = 0;
        while (old < series->count() && series->at(old).x() < t - 2 * kWindowSec)
            ++old;
        if (old > 0) series->removePoints(0, old);
    }
    moveTimeAxes(t);
    fitLatencyAxis();
}

void LoadCharts::fitThroughputAxes() {
    const double messages = std::max(maxMessages_, savedMaxMessages_);
    const double megabytes = std::max(maxMegabytes_, savedMaxMegabytes_);
    messagesAxis_->setRange(0, messages > 0 ? niceCeiling(messages * 1.1) : 1000);
    megabytesAxis_->setRange(0, megabytes > 0 ? niceCeiling(megabytes * 1.1) : 1);
    messagesAxis_->applyNiceNumbers();
    megabytesAxis_->applyNiceNumbers();
}

void LoadCharts::fitLatencyAxis() {
    double low = 1e18, high = 0;
    QList<QLineSeries*> lines(std::begin(percentiles_), std::end(percentiles_));
    if (!saved_.isEmpty()) lines += saved_.mid(2);
    for (QLineSeries* series : lines) {
        for (const QPointF& p : series->points()) {
            low = std::min(low, p.y());
            high = std::max(high, p.y());
        }
    }
    if (high <= 0) return latencyAxis_->setRange(0.01, 10);
    const double lo = std::pow(10, std::floor(std::log10(low)));
    const double hi = std::pow(10, std::ceil(std::log10(high)));
    // Just beyond the decades, so that the ticks at both ends get their labels.
    latencyAxis_->setRange(lo * 0.999, (hi > lo ? hi : lo * 10) * 1.001);
}

QLineSeries* LoadCharts::addSavedLine(QLineSeries* live, const QString& name) {
    QChart* chart = live->chart();
    const QList<QAbstractAxis*> axes = live->attachedAxes();
    auto* series = newLine(chart, savedSeriesName(live->name(), name), axes.value(0), axes.value(1),
                           live == messages_    ? "msgs/s"
                           : live == megabytes_ ? "MB/s"
                                                : "ms");
    QPen pen = live->pen();
    pen.setColor(live->color());
    pen.setStyle(Qt::DashLine);
    series->setPen(pen);
    series->setPointsVisible(live->pointsVisible());
    saved_ << series;
    return series;
}

void LoadCharts::showSaved(const QList<app::LoadSample>& samples, const QString& name) {
    clearSaved();
    for (QLineSeries* live :
         {messages_, megabytes_, percentiles_[0], percentiles_[1], percentiles_[2], percentiles_[3]})
        addSavedLine(live, name);
    double end = 0;
    for (const app::LoadSample& s : samples) {
        saved_[0]->append(s.timeSec, s.messagesPerSec);
        saved_[1]->append(s.timeSec, s.mbPerSec);
        const double values[4] = {s.p50Us, s.p90Us, s.p99Us, s.maxUs};
        for (int i = 0; i < 4; ++i) {
            if (values[i] > 0) saved_[2 + i]->append(s.timeSec, values[i] / 1000.0);
        }
        savedMaxMessages_ = std::max(savedMaxMessages_, s.messagesPerSec);
        savedMaxMegabytes_ = std::max(savedMaxMegabytes_, s.mbPerSec);
        end = std::max(end, s.timeSec);
    }
    fitThroughputAxes();
    fitLatencyAxis();
    if (messages_->count() == 0) {  // nothing live yet: the time axes show the saved run
        durationSec_ = std::max(durationSec_, end);
        moveTimeAxes(end);
    }
}

void LoadCharts::clearSaved() {
    for (QLineSeries* series : std::as_const(saved_)) {
        series->chart()->removeSeries(series);
        delete series;
    }
    saved_.clear();
    savedHistogram_.reset();
    drawHistogram();
    savedMaxMessages_ = 0;
    savedMaxMegabytes_ = 0;
    fitThroughputAxes();
    fitLatencyAxis();
}

void LoadCharts::showHistogram(const app::LatencyHistogram& histogram) {
    liveHistogram_ = histogram;
    drawHistogram();
}

void LoadCharts::showSavedHistogram(const app::LatencyHistogram& histogram, const QString& name) {
    savedHistogram_ = histogram;
    savedName_ = name;
    drawHistogram();
}

QStringList LoadCharts::histogramSetNames() const {
    QStringList names;
    for (const QAbstractSeries* series : histogramView_->chart()->series()) {
        if (const auto* bars = qobject_cast<const QBarSeries*>(series)) {
            for (const QBarSet* set : bars->barSets())
                names << set->label();
        }
    }
    return names;
}

namespace {

// Both runs' decade bins on one category axis: a bin either run has, in order.
struct HistogramRow {
    uint64_t highNs = 0;
    double live = 0;
    double saved = 0;
};

QBarSet* newHistogramSet(const QString& label, const QColor& color, Qt::BrushStyle style, double total,
                         const QStringList& categories) {
    auto* set = new QBarSet(label);
    set->setLabelColor(QColor(0x30, 0x30, 0x30));
    set->setBrush(QBrush(color, style));
    set->setPen(QPen(color.darker(120)));
    QObject::connect(set, &QBarSet::hovered, set, [set, categories, total](bool state, int i) {
        if (!state || i < 0 || i >= categories.size()) return QToolTip::hideText();
        QToolTip::showText(QCursor::pos(), QString("%1, %2: %3 round trips (%4 %)")
                                               .arg(set->label(), categories[i])
                                               .arg(set->at(i), 0, 'f', 0)
                                               .arg(100.0 * set->at(i) / std::max(1.0, total), 0, 'f', 1));
    });
    return set;
}

void attachHistogramAxes(QChart* chart, QBarSeries* series, const QStringList& categories, double maxCount) {
    auto* x = new QBarCategoryAxis();
    x->append(categories);
    x->setTitleText("round trip");
    x->setLabelsAngle(categories.size() > 6 ? -40 : 0);
    auto* y = new QValueAxis();
    y->setTitleText("round trips");
    y->setLabelFormat("%.0f");
    y->setRange(0, niceCeiling(std::max(1.0, maxCount * 1.15)));
    y->applyNiceNumbers();
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
}

}  // namespace

// The current run's bars solid; a saved run's beside them in the same colour, hatched (as its lines are
// dashed), so that a shift of the distribution shows at a glance.
void LoadCharts::drawHistogram() {
    // A fresh chart each time: axes removed from a chart and replaced in the same turn of the event loop
    // stayed drawn beside the new ones (Qt 6.4), two sets of labels on a redrawn comparison.
    QChart* old = histogramView_->chart();
    auto* chart = new QChart();
    chart->setTitle(old->title());
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->legend()->hide();
    histogramView_->setChart(chart);
    delete old;
    if (!liveHistogram_ && !savedHistogram_) return;
    std::map<uint64_t, HistogramRow> rows;  // by the bin's low end
    if (liveHistogram_) {
        for (const app::LatencyHistogram::Bin& bin : liveHistogram_->decadeBins())
            rows[bin.lowNs] = {bin.highNs, static_cast<double>(bin.count), 0};
    }
    if (savedHistogram_) {
        for (const app::LatencyHistogram::Bin& bin : savedHistogram_->decadeBins()) {
            HistogramRow& row = rows[bin.lowNs];
            row.highNs = std::max(row.highNs, bin.highNs);
            row.saved = static_cast<double>(bin.count);
        }
    }
    QStringList categories;
    double maxCount = 0;
    for (const auto& [lowNs, row] : rows) {
        categories << rangeText(lowNs, row.highNs);
        maxCount = std::max({maxCount, row.live, row.saved});
    }
    const QColor color(0x20, 0x6f, 0xb8);
    auto* series = new QBarSeries();
    if (liveHistogram_) {
        QBarSet* set = newHistogramSet("this run", color, Qt::SolidPattern,
                                       static_cast<double>(liveHistogram_->count()), categories);
        for (const auto& entry : rows)
            *set << entry.second.live;
        series->append(set);
    }
    if (savedHistogram_) {
        QBarSet* set = newHistogramSet(QString("saved: %1").arg(savedName_), color, Qt::BDiagPattern,
                                       static_cast<double>(savedHistogram_->count()), categories);
        for (const auto& entry : rows)
            *set << entry.second.saved;
        series->append(set);
    }
    series->setBarWidth(0.9);
    series->setLabelsVisible(true);
    series->setLabelsFormat("@value");
    series->setLabelsPrecision(12);  // whole counts, never 1.2e+06
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    chart->addSeries(series);
    chart->legend()->setVisible(series->count() > 1);
    attachHistogramAxes(chart, series, categories, maxCount);
}

}  // namespace framescope::ui
