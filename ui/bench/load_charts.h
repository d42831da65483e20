// The load run's charts: messages/s and MB/s over time (two value axes), round-trip percentiles p50, p90,
// p99 and max over time (log axis, ms), both on a time axis that moves with the run, and the latency
// histogram of the whole run as bars at the end. A saved run's series can be drawn beside the live ones
// (same colour, dashed, "NAME (saved: FILE)"; its histogram's bars hatched beside the run's); they stay
// across reset() until clearSaved().
#pragma once

#include <QList>
#include <QObject>
#include <QStringList>

#include <optional>

#include "load/load_types.h"

class QChartView;
class QLineSeries;
class QValueAxis;
class QLogValueAxis;

namespace framescope::ui {

class LoadCharts : public QObject {
    Q_OBJECT
public:
    static constexpr double kWindowSec = 60;  // the time axis shows this much of a long run

    explicit LoadCharts(QObject* parent = nullptr);

    QChartView* throughputView() const noexcept { return throughputView_; }
    QChartView* latencyView() const noexcept { return latencyView_; }
    QChartView* histogramView() const noexcept { return histogramView_; }

    void reset(double durationSec);
    void addSample(const app::LoadSample& sample);
    void showHistogram(const app::LatencyHistogram& histogram);
    // A saved run's histogram, drawn beside the current run's (hatched bars, "saved: NAME"), until
    // clearSaved().
    void showSavedHistogram(const app::LatencyHistogram& histogram, const QString& name);
    // The histogram's bar sets: "this run", "saved: NAME" (either may be missing).
    QStringList histogramSetNames() const;
    void showSaved(const QList<app::LoadSample>& samples, const QString& name);
    void clearSaved();

private:
    void buildThroughput();
    void buildLatency();
    void moveTimeAxes(double timeSec);
    void fitThroughputAxes();
    void fitLatencyAxis();
    QLineSeries* addSavedLine(QLineSeries* live, const QString& name);
    void drawHistogram();

    QChartView* throughputView_;
    QChartView* latencyView_;
    QChartView* histogramView_;
    QLineSeries* messages_ = nullptr;
    QLineSeries* megabytes_ = nullptr;
    QLineSeries* percentiles_[4] = {};
    QValueAxis* throughputTime_ = nullptr;
    QValueAxis* messagesAxis_ = nullptr;
    QValueAxis* megabytesAxis_ = nullptr;
    QValueAxis* latencyTime_ = nullptr;
    QLogValueAxis* latencyAxis_ = nullptr;
    double durationSec_ = 10;
    double maxMessages_ = 0;
    double maxMegabytes_ = 0;
    QList<QLineSeries*> saved_;  // messages, MB/s, then the four percentiles
    double savedMaxMessages_ = 0;
    double savedMaxMegabytes_ = 0;
    std::optional<app::LatencyHistogram> liveHistogram_;
    std::optional<app::LatencyHistogram> savedHistogram_;
    QString savedName_;
};

}  // namespace framescope::ui
