// BenchResultsModel: cell text, sort values, ratio colours and tooltips.
#include "bench/bench_results_model.h"

#include <QBrush>
#include <QColor>

#include <limits>

#include "bench/bench_run_io.h"

namespace framescope::ui {

namespace {

constexpr double kMissing = -std::numeric_limits<double>::infinity();

QString figure(double value, int decimals = 1) {
    if (value >= 1e6) return QString::number(value, 'f', 0);
    if (value >= 100) return QString::number(value, 'f', decimals > 0 ? 1 : 0);
    return QString::number(value, 'g', 3);
}

QString ratio(double value) {
    return QString::number(value, 'f', 2) + "×";
}

// What the cell itself says about a ratio that decides nothing: "!" faster than its physical limit (a
// measuring error), "~" unstable (the rounds spread too far). The tooltip says it in words.
QString flagOf(const bench::Comparison& c) {
    if (c.beatsLimit) return QStringLiteral(" !");
    return c.unstable ? QStringLiteral(" ~") : QString();
}

}  // namespace

BenchResultsModel::BenchResultsModel(QObject* parent) : QAbstractTableModel(parent) {}

void BenchResultsModel::setResults(std::vector<bench::BenchResult> results) {
    beginResetModel();
    results_ = std::move(results);
    endResetModel();
}

void BenchResultsModel::setComparison(std::vector<bench::BenchResult> saved, const QString& name) {
    beginResetModel();
    saved_ = std::move(saved);
    savedName_ = name;
    endResetModel();
}

int BenchResultsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(results_.size());
}

int BenchResultsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

double BenchResultsModel::savedNs(const bench::BenchResult& r) const {
    const bench::BenchResult* old = findRow(saved_, r.fullName);
    return old ? old->figures.nsPerOp : kMissing;
}

double BenchResultsModel::savedRatio(const bench::BenchResult& r) const {
    const double old = savedNs(r);
    return old > 0 && r.figures.nsPerOp > 0 ? old / r.figures.nsPerOp : kMissing;
}

QVariant BenchResultsModel::sortValue(const bench::BenchResult& r, int column) const {
    const bench::Figures& f = r.figures;
    switch (column) {
        case Name:
            return QString::fromStdString(r.fullName);
        case Size:
            return static_cast<qulonglong>(r.size);
        case NsPerOp:
            return f.nsPerOp;
        case MbPerSec:
            return f.mbPerSec > 0 ? f.mbPerSec : kMissing;
        case AllocsPerOp:
            return f.allocsPerOp >= 0 ? f.allocsPerOp : kMissing;
        case BytesPerOp:
            return f.bytesPerOp >= 0 ? f.bytesPerOp : kMissing;
        case Baseline:
            return QString::fromStdString(r.baseline.name);
        case BaselineRatio:
            return r.baseline.available ? r.baseline.ratio : kMissing;
        case PeerRatio:
            return !r.contract.oursOnly && r.bestPeer.available ? r.bestPeer.ratio : kMissing;
        case SavedNsPerOp:
            return savedNs(r);
        case SavedRatio:
            return savedRatio(r);
    }
    return {};
}

// The comparison's name, its per-round spread and whether it was stable, or why it is missing.
static QString comparisonTip(const bench::Comparison& c) {
    if (c.name.empty()) return {};
    if (!c.available) return QString::fromStdString(c.name + ": " + c.note);
    QString tip = QString("%1: %2× (rounds %3–%4)")
                      .arg(QString::fromStdString(c.name))
                      .arg(c.ratio, 0, 'f', 2)
                      .arg(c.ratioMin, 0, 'f', 2)
                      .arg(c.ratioMax, 0, 'f', 2);
    if (c.unstable) tip += "\nUnstable: the rounds spread too far to judge a target.";
    if (c.beatsLimit) tip += "\nFaster than its physical limit: a measuring error.";
    return tip;
}

QVariant BenchResultsModel::display(const bench::BenchResult& r, int column) const {
    const QVariant value = sortValue(r, column);
    if (column == PeerRatio && r.contract.oursOnly) return QString("ours only");
    if (value.typeId() == QMetaType::Double && value.toDouble() == kMissing) return QString("–");
    switch (column) {
        case Name:  // suite/case: the Size column shows the label, the tooltip the whole name
            return QString::fromStdString(r.suite + "/" + r.caseName);
        case Baseline:
            return value;
        case Size:
            return QString::fromStdString(r.label);
        case BaselineRatio:
            return ratio(value.toDouble()) + flagOf(r.baseline);
        case PeerRatio:
            return ratio(value.toDouble()) + flagOf(r.bestPeer);
        case SavedRatio:
            return ratio(value.toDouble());
        case AllocsPerOp:
        case BytesPerOp:
            return QString::number(value.toDouble(), 'g', 3);
        default:
            return figure(value.toDouble());
    }
}

QVariant BenchResultsModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const bench::BenchResult& r = results_[static_cast<size_t>(index.row())];
    const int column = index.column();
    switch (role) {
        case Qt::DisplayRole:
            return display(r, column);
        case Qt::UserRole:
            return sortValue(r, column);
        case Qt::TextAlignmentRole:
            return column == Name || column == Baseline ? int(Qt::AlignLeft | Qt::AlignVCenter)
                                                        : int(Qt::AlignRight | Qt::AlignVCenter);
        case Qt::ForegroundRole: {
            if (column != BaselineRatio && column != PeerRatio && column != SavedRatio) return {};
            const double value = sortValue(r, column).toDouble();
            if (value == kMissing) return {};
            const bench::Comparison* shown = column == BaselineRatio ? &r.baseline
                                             : column == PeerRatio   ? &r.bestPeer
                                                                     : nullptr;
            if (shown != nullptr && (shown->unstable || shown->beatsLimit)) return QBrush(Qt::gray);
            return QBrush(value >= 1.0 ? QColor(0x1b, 0x7f, 0x3b) : QColor(0xb3, 0x26, 0x1e));
        }
        case Qt::ToolTipRole:
            if (column == Name) return QString::fromStdString(r.fullName);  // whole when the column elides it
            if (column == Baseline && !r.baseline.name.empty())
                return QString::fromStdString(r.baseline.name);
            if (column == PeerRatio && !r.contract.oursOnly) return comparisonTip(r.bestPeer);
            if (column == BaselineRatio) return comparisonTip(r.baseline);
            return {};
        default:
            return {};
    }
}

QVariant BenchResultsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return QAbstractTableModel::headerData(section, orientation, role);
    // Short, so that every column fits beside the charts at 1366 px; the tooltips say what each one is.
    static const char* const kHeaders[ColumnCount] = {"Row",  "Size",   "ns/op",  "MB/s",  "allocs", "B/op",
                                                      "Base", "× base", "× peer", "saved", "× saved"};
    static const char* const kTips[ColumnCount] = {
        "suite/case/size",
        "Payload bytes per operation",
        "Median nanoseconds per operation",
        "Payload megabytes (10^6 bytes) per second",
        "allocs/op: allocations per operation (malloc-family calls of the thread or server doing the work)",
        "Heap bytes asked for per operation",
        "Baseline: the baseline measured in the same run (memcpy, plain TCP echo, SHA-1)",
        "× baseline: our speed relative to the baseline, its ns/op ÷ ours (> 1: we are faster)",
        "× best peer: our speed relative to the fastest peer doing the same work (> 1: we are faster)",
        "saved ns/op: ns/op of the same row in the saved run",
        "Our speed relative to the saved run (> 1: faster now)"};
    if (section < 0 || section >= ColumnCount) return {};
    if (role == Qt::DisplayRole) return QString::fromUtf8(kHeaders[section]);
    if (role == Qt::ToolTipRole) {
        QString tip = QString::fromUtf8(kTips[section]);
        if ((section == SavedNsPerOp || section == SavedRatio) && !savedName_.isEmpty())
            tip += " (" + savedName_ + ")";
        return tip;
    }
    return {};
}

}  // namespace framescope::ui
