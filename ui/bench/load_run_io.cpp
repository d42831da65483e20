// SavedLoadRun to and from JSON: one object per sample and the summary's figures by name, so the file
// stays readable; the histogram is kept as its decade bins (what the chart draws).
#include "bench/load_run_io.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <utility>

namespace framescope::ui {

namespace {

constexpr const char* kFormat = "framescope-load-run";
constexpr int kVersion = 1;

template <typename Record>
using DoubleField = std::pair<const char*, double Record::*>;
template <typename Record>
using CountField = std::pair<const char*, uint64_t Record::*>;

const DoubleField<app::LoadSample> kSampleDoubles[] = {
    {"timeSec", &app::LoadSample::timeSec},
    {"intervalSec", &app::LoadSample::intervalSec},
    {"messagesPerSec", &app::LoadSample::messagesPerSec},
    {"sentPerSec", &app::LoadSample::sentPerSec},
    {"mbPerSec", &app::LoadSample::mbPerSec},
    {"p50Us", &app::LoadSample::p50Us},
    {"p90Us", &app::LoadSample::p90Us},
    {"p99Us", &app::LoadSample::p99Us},
    {"maxUs", &app::LoadSample::maxUs},
    {"generatorCpu", &app::LoadSample::generatorCpu},
};
const CountField<app::LoadSample> kSampleCounts[] = {
    {"messages", &app::LoadSample::messages},
    {"errors", &app::LoadSample::errors},
    {"closes", &app::LoadSample::closes},
};
const DoubleField<app::LoadSummary> kSummaryDoubles[] = {
    {"elapsedSec", &app::LoadSummary::elapsedSec},
    {"messagesPerSec", &app::LoadSummary::messagesPerSec},
    {"mbPerSec", &app::LoadSummary::mbPerSec},
    {"p50Us", &app::LoadSummary::p50Us},
    {"p90Us", &app::LoadSummary::p90Us},
    {"p99Us", &app::LoadSummary::p99Us},
    {"maxUs", &app::LoadSummary::maxUs},
    {"meanUs", &app::LoadSummary::meanUs},
    {"generatorCpu", &app::LoadSummary::generatorCpu},
};
const CountField<app::LoadSummary> kSummaryCounts[] = {
    {"sent", &app::LoadSummary::sent},
    {"received", &app::LoadSummary::received},
    {"bytesReceived", &app::LoadSummary::bytesReceived},
    {"errors", &app::LoadSummary::errors},
    {"closes", &app::LoadSummary::closes},
};

template <typename Record, size_t Doubles, size_t Counts>
QJsonObject toJson(const Record& record, const DoubleField<Record> (&doubles)[Doubles],
                   const CountField<Record> (&counts)[Counts]) {
    QJsonObject o;
    for (const auto& [name, member] : doubles)
        o[name] = record.*member;
    for (const auto& [name, member] : counts)
        o[name] = static_cast<double>(record.*member);
    return o;
}

// False when a field is missing or not a number.
template <typename Record, size_t Doubles, size_t Counts>
bool fromJson(const QJsonObject& o, Record& record, const DoubleField<Record> (&doubles)[Doubles],
              const CountField<Record> (&counts)[Counts]) {
    for (const auto& [name, member] : doubles) {
        if (!o[name].isDouble()) return false;
        record.*member = o[name].toDouble();
    }
    for (const auto& [name, member] : counts) {
        if (!o[name].isDouble() || o[name].toDouble() < 0) return false;
        record.*member = static_cast<uint64_t>(o[name].toDouble());
    }
    return true;
}

QJsonObject summaryJson(const app::LoadSummary& s) {
    QJsonObject o = toJson(s, kSummaryDoubles, kSummaryCounts);
    o["connectionsOpened"] = s.connectionsOpened;
    o["errorSentences"] = QJsonArray::fromStringList(s.errorSentences);
    QJsonArray bins;
    for (const app::LatencyHistogram::Bin& bin : s.histogram.decadeBins())
        bins.append(QJsonArray{double(bin.lowNs), double(bin.highNs), double(bin.count)});
    o["histogramBins"] = bins;
    return o;
}

bool summaryFrom(const QJsonObject& o, app::LoadSummary& s) {
    if (!fromJson(o, s, kSummaryDoubles, kSummaryCounts) || !o["histogramBins"].isArray()) return false;
    s.connectionsOpened = o["connectionsOpened"].toInt();
    for (const QJsonValue& sentence : o["errorSentences"].toArray())
        s.errorSentences << sentence.toString();
    // Each bin's count at its low edge: the bins drawn again are the bins saved.
    for (const QJsonValue& value : o["histogramBins"].toArray()) {
        const QJsonArray bin = value.toArray();
        if (bin.size() != 3 || bin[0].toDouble() < 0 || bin[2].toDouble() < 0) return false;
        s.histogram.record(static_cast<uint64_t>(bin[0].toDouble()),
                           static_cast<uint64_t>(bin[2].toDouble()));
    }
    return true;
}

}  // namespace

QByteArray loadRunJson(const SavedLoadRun& run) {
    QJsonArray samples;
    for (const app::LoadSample& sample : run.samples) {
        QJsonObject o = toJson(sample, kSampleDoubles, kSampleCounts);
        o["connectionsOpen"] = sample.connectionsOpen;
        samples.append(o);
    }
    const QJsonObject root{{"format", kFormat},
                           {"version", kVersion},
                           {"target", run.target},
                           {"summary", summaryJson(run.summary)},
                           {"samples", samples}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

bool parseLoadRunJson(const QByteArray& json, SavedLoadRun& run, QString& error) {
    const QJsonObject root = QJsonDocument::fromJson(json).object();
    if (root["format"].toString() != kFormat) {
        error =
            "Not a FrameScope load run: the file has no \"format\": \"framescope-load-run\" "
            "(save one with the load panel's Save run…).";
        return false;
    }
    SavedLoadRun parsed;
    parsed.target = root["target"].toString();
    bool ok = root["version"].toInt() == kVersion && root["samples"].isArray() &&
              summaryFrom(root["summary"].toObject(), parsed.summary);
    for (const QJsonValue& value : root["samples"].toArray()) {
        app::LoadSample sample;
        ok = ok && fromJson(value.toObject(), sample, kSampleDoubles, kSampleCounts);
        sample.connectionsOpen = value.toObject()["connectionsOpen"].toInt();
        parsed.samples << sample;
    }
    if (!ok) {
        error = QString("Not a FrameScope load run of version %1: a summary or sample figure is missing.")
                    .arg(kVersion);
        return false;
    }
    run = std::move(parsed);
    return true;
}

}  // namespace framescope::ui
