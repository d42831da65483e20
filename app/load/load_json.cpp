// Load samples and summaries to and from the CLI's JSON Lines. Field names are the CLI's (snake_case, with
// their unit); counts are JSON integers.
#include "load/load_json.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>
#include <utility>

namespace framescope::app {

namespace {

template <typename Record>
using DoubleField = std::pair<const char*, double Record::*>;
template <typename Record>
using CountField = std::pair<const char*, uint64_t Record::*>;

const DoubleField<LoadSample> kSampleDoubles[] = {
    {"time_s", &LoadSample::timeSec},
    {"interval_s", &LoadSample::intervalSec},
    {"messages_per_s", &LoadSample::messagesPerSec},
    {"sent_per_s", &LoadSample::sentPerSec},
    {"mb_per_s", &LoadSample::mbPerSec},
    {"p50_us", &LoadSample::p50Us},
    {"p90_us", &LoadSample::p90Us},
    {"p99_us", &LoadSample::p99Us},
    {"max_us", &LoadSample::maxUs},
    {"generator_cpu", &LoadSample::generatorCpu},
};
const CountField<LoadSample> kSampleCounts[] = {
    {"messages", &LoadSample::messages},
    {"errors", &LoadSample::errors},
    {"closes", &LoadSample::closes},
};
const DoubleField<LoadSummary> kSummaryDoubles[] = {
    {"elapsed_s", &LoadSummary::elapsedSec},
    {"messages_per_s", &LoadSummary::messagesPerSec},
    {"mb_per_s", &LoadSummary::mbPerSec},
    {"p50_us", &LoadSummary::p50Us},
    {"p90_us", &LoadSummary::p90Us},
    {"p99_us", &LoadSummary::p99Us},
    {"max_us", &LoadSummary::maxUs},
    {"mean_us", &LoadSummary::meanUs},
    {"generator_cpu", &LoadSummary::generatorCpu},
};
const CountField<LoadSummary> kSummaryCounts[] = {
    {"sent", &LoadSummary::sent},
    {"received", &LoadSummary::received},
    {"bytes_received", &LoadSummary::bytesReceived},
    {"errors", &LoadSummary::errors},
    {"closes", &LoadSummary::closes},
};

template <typename Record, size_t Doubles, size_t Counts>
QJsonObject toJson(const char* type, const Record& record, const DoubleField<Record> (&doubles)[Doubles],
                   const CountField<Record> (&counts)[Counts]) {
    QJsonObject o{{"type", type}};
    for (const auto& [name, member] : doubles)
        o[name] = record.*member;
    for (const auto& [name, member] : counts)
        o[name] = qint64(record.*member);
    return o;
}

// False when a figure is missing or not a number (or a count is negative).
template <typename Record, size_t Doubles, size_t Counts>
bool fromJson(const QJsonObject& o, Record& record, const DoubleField<Record> (&doubles)[Doubles],
              const CountField<Record> (&counts)[Counts]) {
    for (const auto& [name, member] : doubles) {
        if (!o[name].isDouble()) return false;
        record.*member = o[name].toDouble();
    }
    for (const auto& [name, member] : counts) {
        if (!o[name].isDouble() || o[name].toDouble() < 0) return false;
        record.*member = static_cast<uint64_t>(o[name].toInteger());
    }
    return true;
}

// Each bin's count in its middle (a bucket of the low edge itself may start just below it, in the bin
// before): the bins drawn again are the bins saved.
bool summaryFrom(const QJsonObject& o, LoadSummary& s) {
    if (!fromJson(o, s, kSummaryDoubles, kSummaryCounts) || !o["histogram"].isArray()) return false;
    s.connectionsOpened = o["connections_opened"].toInt();
    for (const QJsonValue& sentence : o["error_sentences"].toArray())
        s.errorSentences << sentence.toString();
    for (const QJsonValue& value : o["histogram"].toArray()) {
        const QJsonObject bin = value.toObject();
        const double lowUs = bin["low_us"].toDouble(-1);
        const double highUs = bin["high_us"].toDouble(-1);
        if (lowUs < 0 || highUs < lowUs || bin["count"].toDouble(-1) < 0) return false;
        s.histogram.record(static_cast<uint64_t>(std::llround((lowUs + highUs) / 2 * 1e3)),
                           static_cast<uint64_t>(bin["count"].toInteger()));
    }
    return true;
}

}  // namespace

QJsonObject loadSampleJson(const LoadSample& sample) {
    QJsonObject o = toJson("sample", sample, kSampleDoubles, kSampleCounts);
    o["connections_open"] = sample.connectionsOpen;
    return o;
}

QJsonObject loadSummaryJson(const LoadSummary& s) {
    QJsonObject o = toJson("summary", s, kSummaryDoubles, kSummaryCounts);
    QJsonArray bins;
    for (const auto& bin : s.histogram.decadeBins()) {
        bins.append(QJsonObject{{"low_us", double(bin.lowNs) / 1e3},
                                {"high_us", double(bin.highNs) / 1e3},
                                {"count", qint64(bin.count)}});
    }
    o["connections_opened"] = s.connectionsOpened;
    o["error_sentences"] = QJsonArray::fromStringList(s.errorSentences);
    o["histogram"] = bins;
    return o;
}

QByteArray loadRunJsonLines(const LoadRunRecord& run) {
    QByteArray out;
    for (const LoadSample& sample : run.samples)
        out += QJsonDocument(loadSampleJson(sample)).toJson(QJsonDocument::Compact) + '\n';
    return out + QJsonDocument(loadSummaryJson(run.summary)).toJson(QJsonDocument::Compact) + '\n';
}

bool parseLoadRunJsonLines(const QByteArray& jsonLines, LoadRunRecord& run, QString& error) {
    LoadRunRecord parsed;
    bool summary = false;
    bool ok = true;
    for (const QByteArray& line : jsonLines.split('\n')) {
        if (line.trimmed().isEmpty()) continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        const QString type = o["type"].toString();
        LoadSample sample;
        if (type == "sample" && !summary && fromJson(o, sample, kSampleDoubles, kSampleCounts)) {
            sample.connectionsOpen = o["connections_open"].toInt();
            parsed.samples << sample;
        } else {
            ok = ok && type == "summary" && !summary && summaryFrom(o, parsed.summary);
            summary = true;
        }
    }
    if (!ok || !summary) {
        error =
            "Not a load run: expected the JSON Lines of framescope-cli load --json or of Save run… "
            "(samples, then one summary with its histogram).";
        return false;
    }
    run = std::move(parsed);
    return true;
}

}  // namespace framescope::app
