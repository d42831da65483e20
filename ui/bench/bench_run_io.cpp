// Benchmark runs to and from JSON (the CLI's format, written by bench's own printer) and CSV.
#include "bench/bench_run_io.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <sstream>

#include "framescope/bench/command.h"

namespace framescope::ui {

namespace {

double numberOr(const QJsonValue& value, double fallback) {
    return value.isDouble() ? value.toDouble() : fallback;
}

bench::Figures figuresFrom(const QJsonObject& o) {
    bench::Figures f;
    f.nsPerOp = numberOr(o["nsPerOp"], 0);
    f.nsPerOpMin = numberOr(o["nsPerOpMin"], 0);
    f.nsPerOpMax = numberOr(o["nsPerOpMax"], 0);
    f.mbPerSec = numberOr(o["mbPerSec"], 0);
    f.bytesPerOp = numberOr(o["bytesPerOp"], -1);
    f.allocsPerOp = numberOr(o["allocsPerOp"], -1);
    f.iterations = static_cast<uint64_t>(numberOr(o["iterations"], 0));
    f.runs = static_cast<int>(numberOr(o["runs"], 0));
    f.messagesPerSec = numberOr(o["messagesPerSec"], 0);
    f.rttP50Us = numberOr(o["rttP50Us"], 0);
    f.rttP99Us = numberOr(o["rttP99Us"], 0);
    f.serverCpuUsPerMessage = numberOr(o["serverCpuUsPerMessage"], -1);
    for (const QJsonValue& round : o["roundNs"].toArray())
        f.roundNs.push_back(round.toDouble());
    return f;
}

bench::Comparison comparisonFrom(const QJsonValue& value) {
    bench::Comparison c;
    if (!value.isObject()) return c;
    const QJsonObject o = value.toObject();
    c.name = o["name"].toString().toStdString();
    c.available = o["available"].toBool();
    c.note = o["note"].toString().toStdString();
    c.ratio = numberOr(o["ratio"], 0);
    c.ratioMin = numberOr(o["ratioMin"], 0);
    c.ratioMax = numberOr(o["ratioMax"], 0);
    c.unstable = o["unstable"].toBool();
    c.beatsLimit = o["beatsLimit"].toBool();
    if (o["figures"].isObject()) c.figures = figuresFrom(o["figures"].toObject());
    return c;
}

// The seed report's figure (another machine): what it measured is its "work"; no ratio.
bench::Comparison referenceFrom(const QJsonValue& value) {
    bench::Comparison c = comparisonFrom(value);
    if (!value.isObject()) return c;
    c.available = true;
    c.note = value.toObject()["work"].toString().toStdString();
    return c;
}

bench::RowContract contractFrom(const QJsonObject& o) {
    return {o["input"].toString().toStdString(), o["output"].toString().toStdString(),
            o["checks"].toString().toStdString(), o["oursOnly"].toBool()};
}

bench::BenchResult resultFrom(const QJsonObject& o) {
    bench::BenchResult r;
    r.fullName = o["name"].toString().toStdString();
    r.suite = o["suite"].toString().toStdString();
    r.caseName = o["case"].toString().toStdString();
    r.label = o["label"].toString().toStdString();
    r.size = static_cast<size_t>(numberOr(o["size"], 0));
    r.inFlight = static_cast<int>(numberOr(o["inFlight"], 0));
    r.contract = contractFrom(o["contract"].toObject());
    r.figures = figuresFrom(o["figures"].toObject());
    r.baseline = comparisonFrom(o["baseline"]);
    for (const QJsonValue& other : o["moreBaselines"].toArray())
        r.moreBaselines.push_back(comparisonFrom(other));
    r.reference = referenceFrom(o["reference"]);
    r.bestPeer = comparisonFrom(o["bestPeer"]);
    for (const QJsonValue& peer : o["peers"].toArray())
        r.peers.push_back(comparisonFrom(peer));
    return r;
}

QString csvField(const std::string& text) {
    QString field = QString::fromStdString(text);
    if (field.contains(',') || field.contains('"') || field.contains('\n'))
        field = '"' + field.replace('"', "\"\"") + '"';
    return field;
}

QString csvNumber(double value, bool known = true) {
    return known ? QString::number(value, 'g', 6) : QString();
}

}  // namespace

const bench::BenchResult* findRow(const std::vector<bench::BenchResult>& rows, const std::string& fullName) {
    for (const bench::BenchResult& row : rows) {
        if (row.fullName == fullName) return &row;
    }
    return nullptr;
}

QByteArray benchRunJson(const bench::SuiteRun& run) {
    std::ostringstream out;
    bench::printJson(run, bench::evaluateTargets(run.results), out);
    return QByteArray::fromStdString(out.str());
}

bool parseBenchRunJson(const QByteArray& json, bench::SuiteRun& run, QString& error) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull() || !doc.isObject() || !doc.object()["results"].isArray()) {
        error = parseError.error != QJsonParseError::NoError
                    ? QString("Not a benchmark run: %1 at byte %2.")
                          .arg(parseError.errorString())
                          .arg(parseError.offset)
                    : QString("Not a benchmark run: no \"results\" array.");
        return false;
    }
    const QJsonObject root = doc.object();
    run = bench::SuiteRun{};
    run.maskImpl = root["maskImpl"].toString().toStdString();
    run.allocCounting = root["allocCounting"].toBool();
    run.cancelled = root["cancelled"].toBool();
    for (const QJsonValue& value : root["results"].toArray())
        run.results.push_back(resultFrom(value.toObject()));
    return true;
}

QByteArray benchRunCsv(const std::vector<bench::BenchResult>& results,
                       const std::vector<bench::BenchResult>* saved) {
    QStringList lines;
    lines << "name,suite,case,label,size,in_flight,ns_per_op,mb_per_s,allocs_per_op,bytes_per_op,"
             "baseline,baseline_ratio,baseline_ratio_min,baseline_ratio_max,best_peer,best_peer_ratio,saved_"
             "ns_per_op,"
             "saved_ratio";
    for (const bench::BenchResult& r : results) {
        const bench::Figures& f = r.figures;
        const bench::BenchResult* old = saved ? findRow(*saved, r.fullName) : nullptr;
        QStringList fields{csvField(r.fullName),
                           csvField(r.suite),
                           csvField(r.caseName),
                           csvField(r.label),
                           QString::number(r.size),
                           QString::number(r.inFlight),
                           csvNumber(f.nsPerOp),
                           csvNumber(f.mbPerSec),
                           csvNumber(f.allocsPerOp, f.allocsPerOp >= 0),
                           csvNumber(f.bytesPerOp, f.bytesPerOp >= 0),
                           csvField(r.baseline.name),
                           csvNumber(r.baseline.ratio, r.baseline.available),
                           csvNumber(r.baseline.ratioMin, r.baseline.available),
                           csvNumber(r.baseline.ratioMax, r.baseline.available),
                           csvField(r.contract.oursOnly ? "ours only" : r.bestPeer.name),
                           csvNumber(r.bestPeer.ratio, r.bestPeer.available && !r.contract.oursOnly),
                           csvNumber(old ? old->figures.nsPerOp : 0, old != nullptr),
                           csvNumber(old && f.nsPerOp > 0 ? old->figures.nsPerOp / f.nsPerOp : 0,
                                     old != nullptr && f.nsPerOp > 0)};
        lines << fields.join(',');
    }
    return (lines.join('\n') + '\n').toUtf8();
}

}  // namespace framescope::ui
