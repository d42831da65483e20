// importArtilleryReport: the report's `intermediate` periods become samples, its `aggregate` the summary.
// Times in the report are epoch milliseconds; a period is Artillery's reporting window (10 s by default),
// clipped to the run's first and last metric so that rates of a short run are not spread over 10 s.
#include "load/artillery_import.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace framescope::app {

namespace {

constexpr const char* kRoundTripUs = "framescope.round_trip_us";
constexpr const char* kServerClosed = "errors.the server closed the connection";

double millis(const QJsonValue& value) {
    return value.isString() ? value.toString().toDouble() : value.toDouble();
}

double counter(const QJsonObject& period, const QString& name) {
    return period.value("counters").toObject().value(name).toDouble();
}

uint64_t count(double value) {
    return static_cast<uint64_t>(std::llround(std::max(0.0, value)));
}

// The round-trip metric's summary in µs: FrameScope's own, else any engine's response_time (ms).
QString latencyMetric(const QJsonObject& summaries) {
    if (summaries.contains(kRoundTripUs)) return kRoundTripUs;
    for (auto it = summaries.begin(); it != summaries.end(); ++it) {
        if (it.key().endsWith(".response_time")) return it.key();
    }
    return {};
}

struct Percentiles {
    double minUs = 0, p50Us = 0, p75Us = 0, p90Us = 0, p95Us = 0, p99Us = 0, p999Us = 0, maxUs = 0,
           meanUs = 0;
    uint64_t count = 0;
};

Percentiles percentiles(const QJsonObject& period, const QString& metric) {
    const QJsonObject s = period.value("summaries").toObject().value(metric).toObject();
    const double scale = metric == kRoundTripUs ? 1.0 : 1000.0;
    auto at = [&](const char* key) { return s.value(key).toDouble() * scale; };
    return {at("min"), at("p50"),  at("p75"), at("p90"),  at("p95"),
            at("p99"), at("p999"), at("max"), at("mean"), count(s.value("count").toDouble())};
}

// Errors are Artillery's errors.* counters; the processor's "server closed" error counts as a close.
void tallyErrors(const QJsonObject& period, uint64_t& errors, uint64_t& closes, QList<QString>* sentences) {
    const QJsonObject counters = period.value("counters").toObject();
    for (auto it = counters.begin(); it != counters.end(); ++it) {
        if (!it.key().startsWith("errors.")) continue;
        const uint64_t n = count(it.value().toDouble());
        if (it.key() == kServerClosed) {
            closes += n;
            continue;
        }
        errors += n;
        if (sentences && sentences->size() < 8)
            sentences->push_back(QString("Artillery: %1 (%2 times).").arg(it.key().mid(7)).arg(n));
    }
}

// The histogram of the chart, rebuilt from the percentiles: each slice of the ranks at its upper value.
LatencyHistogram rebuiltHistogram(const Percentiles& p) {
    LatencyHistogram h;
    if (p.count == 0) return h;
    const std::pair<double, double> points[] = {{0.5, p.p50Us},  {0.75, p.p75Us}, {0.9, p.p90Us},
                                                {0.95, p.p95Us}, {0.99, p.p99Us}, {0.999, p.p999Us},
                                                {1.0, p.maxUs}};
    auto ns = [](double us) { return static_cast<uint64_t>(std::llround(std::max(0.0, us) * 1e3)); };
    h.record(ns(p.minUs));
    uint64_t done = 1;
    for (const auto& [fraction, us] : points) {
        const uint64_t upTo = std::max(done, count(fraction * static_cast<double>(p.count)));
        h.record(ns(us), upTo - done);
        done = upTo;
    }
    return h;
}

struct RunSpan {
    double firstMs = 0;
    double lastMs = 0;
    double periodMs = 10000;
};

LoadSample sampleOf(const QJsonObject& period, const RunSpan& span, const QString& metric,
                    LoadSample& totals) {
    const double startMs = std::max(millis(period.value("period")), span.firstMs);
    const double endMs = std::min(millis(period.value("period")) + span.periodMs, span.lastMs);
    LoadSample s;
    s.timeSec = (endMs - span.firstMs) / 1e3;
    s.intervalSec = std::max(1e-3, (endMs - startMs) / 1e3);
    const double received = counter(period, "websocket.messages_received");
    s.messagesPerSec = received / s.intervalSec;
    s.sentPerSec = counter(period, "websocket.messages_sent") / s.intervalSec;
    s.mbPerSec = counter(period, "framescope.bytes_received") / s.intervalSec / 1e6;
    const Percentiles p = percentiles(period, metric);
    s.p50Us = p.p50Us;
    s.p90Us = p.p90Us;
    s.p99Us = p.p99Us;
    s.maxUs = p.maxUs;
    totals.messages += count(received);
    tallyErrors(period, totals.errors, totals.closes, nullptr);
    totals.connectionsOpen +=
        static_cast<int>(counter(period, "vusers.created") - counter(period, "vusers.completed") -
                         counter(period, "vusers.failed"));
    s.messages = totals.messages;
    s.errors = totals.errors;
    s.closes = totals.closes;
    s.connectionsOpen = totals.connectionsOpen;
    return s;
}

QList<LoadSample> samplesOf(const QJsonArray& intermediate, const RunSpan& span, const QString& metric) {
    QList<QJsonObject> periods;
    for (const QJsonValue& value : intermediate)
        periods << value.toObject();
    std::sort(periods.begin(), periods.end(), [](const QJsonObject& a, const QJsonObject& b) {
        return millis(a.value("period")) < millis(b.value("period"));
    });
    QList<LoadSample> samples;
    LoadSample totals;
    for (const QJsonObject& period : periods)
        samples << sampleOf(period, span, metric, totals);
    return samples;
}

LoadSummary summaryOf(const QJsonObject& aggregate, const RunSpan& span, const QString& metric) {
    LoadSummary s;
    s.elapsedSec = std::max(1e-3, (span.lastMs - span.firstMs) / 1e3);
    s.sent = count(counter(aggregate, "websocket.messages_sent"));
    s.received = count(counter(aggregate, "websocket.messages_received"));
    s.bytesReceived = count(counter(aggregate, "framescope.bytes_received"));
    tallyErrors(aggregate, s.errors, s.closes, &s.errorSentences);
    // A virtual user that failed never opened its connection, unless the failure was the server's close.
    s.connectionsOpened =
        static_cast<int>(counter(aggregate, "vusers.created") - counter(aggregate, "vusers.failed") +
                         static_cast<double>(s.closes));
    s.messagesPerSec = static_cast<double>(s.received) / s.elapsedSec;
    s.mbPerSec = static_cast<double>(s.bytesReceived) / s.elapsedSec / 1e6;
    const Percentiles p = percentiles(aggregate, metric);
    s.p50Us = p.p50Us;
    s.p90Us = p.p90Us;
    s.p99Us = p.p99Us;
    s.maxUs = p.maxUs;
    s.meanUs = p.meanUs;
    s.histogram = rebuiltHistogram(p);
    return s;
}

}  // namespace

bool importArtilleryReport(const QByteArray& json, ImportedLoadRun& run, QString& error) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    const QJsonObject aggregate = doc.object().value("aggregate").toObject();
    if (doc.isNull() || !aggregate.contains("counters")) {
        error = doc.isNull() ? QString("Not JSON: %1.").arg(parseError.errorString())
                             : QString("Not an Artillery report: it has no aggregate counters.");
        return false;
    }
    const QJsonArray intermediate = doc.object().value("intermediate").toArray();
    RunSpan span{millis(aggregate.value("firstMetricAt")), millis(aggregate.value("lastMetricAt")), 10000};
    if (intermediate.size() > 1) {
        const double a = millis(intermediate[0].toObject().value("period"));
        const double b = millis(intermediate[1].toObject().value("period"));
        if (std::abs(b - a) > 0) span.periodMs = std::abs(b - a);
    }
    run.latencyMetric = latencyMetric(aggregate.value("summaries").toObject());
    run.samples = samplesOf(intermediate, span, run.latencyMetric);
    run.summary = summaryOf(aggregate, span, run.latencyMetric);
    return true;
}

bool importArtilleryReportFile(const QString& path, ImportedLoadRun& run, QString& error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = QString("Cannot read %1: %2.").arg(path, file.errorString());
        return false;
    }
    if (importArtilleryReport(file.readAll(), run, error)) return true;
    error = QString("%1: %2").arg(path, error);
    return false;
}

}  // namespace framescope::app
