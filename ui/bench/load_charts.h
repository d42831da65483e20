// The load run's charts: messages/s and MB/s over time (two value axes), round-trip percentiles p50, p90,
// p99 and max over time (log axis, ms), both on a time axis that moves with the run, and the latency
// histogram of the whole run as bars at the end.
#pragma once

#include <QObject>

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

private:
    void buildThroughput();
    void buildLatency();
    void moveTimeAxes(double timeSec);
    void fitLatencyAxis();

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
};

}  // namespace framescope::ui
