#include "capture/capture_model.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QMetaType>

#include <algorithm>
#include <cstdint>

namespace framescope::app {

namespace {

constexpr size_t kScanSlice = 1024;  // rows filtered between two looks at the clock
constexpr size_t kMaxRows = CaptureStore::kMaxBlocks * CaptureStore::kBlockSize;
static_assert(kMaxRows <= static_cast<size_t>(INT32_MAX), "model rows are ints");

// app/ links no QtGui, yet a view needs a QColor for ForegroundRole: convert the name through the meta-type
// system when QtGui is loaded (it registers QColor and the conversion), else hand out the name.
QVariant colorVariant(const QString& name) {
    if (QMetaType::isRegistered(QMetaType::QColor)) {
        const QMetaType colorType(QMetaType::QColor);
        QVariant color(colorType);
        if (QMetaType::convert(QMetaType::fromType<QString>(), &name, colorType, color.data())) return color;
    }
    return name;
}

int alignmentOf(int column) {
    switch (column) {
        case CaptureModel::NumberColumn:
        case CaptureModel::TimeColumn:
        case CaptureModel::ConnectionColumn:
        case CaptureModel::LengthColumn:
            return (Qt::AlignRight | Qt::AlignVCenter).toInt();
        case CaptureModel::DirectionColumn:
        case CaptureModel::FinColumn:
        case CaptureModel::RsvColumn:
        case CaptureModel::MaskColumn:
            return (Qt::AlignHCenter | Qt::AlignVCenter).toInt();
        default:
            return (Qt::AlignLeft | Qt::AlignVCenter).toInt();
    }
}

// A proxy's data frames read as the message's way across the proxy: "app → up" (arrived from the app),
// "up → app" (from the upstream); what the proxy sent says "relay → up" (a relayed copy, hidden unless
// both legs show) or "proxy → up" (edited, crafted or injected). Control frames and notes keep ← and →.
QString directionText(const CaptureRecord& r) {
    const bool data =
        r.opcode == opcode::kText || r.opcode == opcode::kBinary || r.opcode == opcode::kContinuation;
    if (r.leg == Leg::None || r.isNote() || !data) return formatDirection(r.direction);
    const bool fromApp = r.leg == Leg::Client;
    if (r.direction == Direction::Incoming)
        return fromApp ? QStringLiteral("app → up") : QStringLiteral("up → app");
    const QString to = fromApp ? QStringLiteral("app") : QStringLiteral("up");
    return (r.relayed() ? QStringLiteral("relay → ") : QStringLiteral("proxy → ")) + to;
}

QString bit(bool value) {
    return value ? QStringLiteral("1") : QStringLiteral("0");
}

}  // namespace

CaptureModel::CaptureModel(CaptureStore& store, QObject* parent)
    : QAbstractTableModel(parent),
      store_(store),
      decoded_(store),
      generation_(store.generation()),
      violationColor_(colorVariant(QLatin1String(kViolationColor))) {
    timer_.setTimerType(Qt::PreciseTimer);
    timer_.setInterval(kDefaultPollIntervalMs);
    connect(&timer_, &QTimer::timeout, this, &CaptureModel::poll);
    timer_.start();
}

CaptureModel::~CaptureModel() = default;

int CaptureModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(visibleCount());
}

int CaptureModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

size_t CaptureModel::visibleCount() const noexcept {
    return filtered_ ? index_.size() : scanned_;
}

size_t CaptureModel::storeRow(int row) const noexcept {
    return filtered_ ? index_[static_cast<size_t>(row)] : static_cast<size_t>(row);
}

int CaptureModel::rowOfStoreRow(size_t storeRow) const noexcept {
    if (!filtered_) return storeRow < scanned_ ? static_cast<int>(storeRow) : -1;
    const auto it = std::lower_bound(index_.begin(), index_.end(), storeRow);
    if (it == index_.end() || *it != storeRow) return -1;
    return static_cast<int>(it - index_.begin());
}

QVariant CaptureModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const size_t row = storeRow(index.row());
    if (row >= store_.size()) return {};  // the store was cleared behind the model's back
    switch (role) {
        case Qt::DisplayRole:
            return displayText(row, index.column());
        case Qt::ToolTipRole:
            return formatDetails(store_, row);
        case Qt::ForegroundRole:
            return store_.record(row).violation != nullptr ? violationColor_ : QVariant();
        case Qt::TextAlignmentRole:
            return alignmentOf(index.column());
        case StoreRowRole:
            return QVariant::fromValue<qulonglong>(row);
        default:
            return {};
    }
}

QVariant CaptureModel::displayText(size_t row, int column) const {
    const CaptureRecord& r = store_.record(row);
    switch (column) {
        case NumberColumn:
            return QString::number(row + 1);
        case TimeColumn:
            return formatTime(r.timestampUs, store_.record(0).timestampUs, timeFormat_);
        case ConnectionColumn:  // a proxy's frames say which leg: the app's or the upstream's
            if (r.leg == Leg::Client) return QStringLiteral("#%1 app").arg(r.connectionId);
            if (r.leg == Leg::Upstream) return QStringLiteral("#%1 up").arg(r.connectionId);
            return QStringLiteral("#%1").arg(r.connectionId);
        case DirectionColumn:
            return directionText(r);
        case OpcodeColumn:
            return formatOpcode(r);
        case FinColumn:
            return r.isNote() ? QString() : bit(r.fin());
        case RsvColumn:
            return r.isNote() ? QString() : formatRsv(r);
        case MaskColumn:
            return r.isNote() ? QString() : bit(r.masked());
        case LengthColumn:
            return formatLength(r);
        case SummaryColumn: {
            const DecodedCache::Entry* entry = decoded_.find(row);
            return entry ? QString::fromStdString(entry->decoded.summary) : QString();
        }
        case PreviewColumn:
            return formatPreview(store_, row, kPreviewChars);
        default:
            return {};
    }
}

QVariant CaptureModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
    if (role == Qt::TextAlignmentRole) return alignmentOf(section);
    if (role != Qt::DisplayRole) return {};
    static const char* const kTitles[ColumnCount] = {"#",   "Time", "Conn",   "Dir",     "Opcode", "FIN",
                                                     "RSV", "MASK", "Length", "Summary", "Preview"};
    return QString::fromUtf8(kTitles[section]);
}

void CaptureModel::setTimeFormat(TimeFormat format) {
    if (format == timeFormat_) return;
    timeFormat_ = format;
    if (visibleCount() != 0) {
        emit dataChanged(index(0, TimeColumn), index(static_cast<int>(visibleCount()) - 1, TimeColumn),
                         {Qt::DisplayRole});
    }
}

void CaptureModel::setFilter(const CaptureFilter& filter) {
    beginResetModel();
    if (store_.generation() != generation_ || store_.size() < decoded_.decodedRows()) decoded_.reset();
    matcher_ = CaptureFilterMatcher(filter);
    generation_ = store_.generation();
    rebuildIndex(std::min(store_.size(), kMaxRows));
    endResetModel();
}

// Visible rows over store rows [0, published): at once for a few rows or none to test, on the worker for
// many, tick by tick (fetch) for a Decoded search over many.
void CaptureModel::rebuildIndex(size_t published) {
    const bool wasFiltering = job_.has_value() || catchingUp_;
    catchingUp_ = false;
    runner_.cancel();
    job_.reset();
    index_.clear();
    pending_.clear();
    scanned_ = 0;
    filtered_ = needsIndex();
    if (!filtered_ || !matcher_.errorString().isEmpty()) {
        scanned_ = published;  // everything shown, or nothing can match
    } else if (published <= kSyncFilterRows) {
        if (matcher_.needsDecoded()) decoded_.advance(published);
        scanned_ = scan(published, false);
        index_.swap(pending_);
    } else if (!matcher_.needsDecoded()) {
        runner_.start(store_, matcher_.filter(), published);
        job_ = RunningFilter{published, 0};
    }
    if (job_) {
        emit filterProgress(0);
    } else if (wasFiltering) {
        emit filterProgress(-1);
    }
}

// Hiding relayed frames costs an index only once the store has one (most captures have no proxy).
bool CaptureModel::needsIndex() const noexcept {
    const CaptureFilter& filter = matcher_.filter();
    return filter.isActive() || (filter.hideRelayed && store_.hasRelays());
}

// The first relayed frame arrived while every row was shown: the rows announced so far stay (none of them
// is relayed, hasRelays() was false after they were published) and an index takes over from here.
void CaptureModel::startIndexing() {
    index_.resize(scanned_);
    for (size_t row = 0; row < scanned_; ++row)
        index_[row] = static_cast<uint32_t>(row);
    filtered_ = true;
}

int CaptureModel::filterPercent() const noexcept {
    if (!job_) return -1;
    return job_->end == 0 ? 0 : static_cast<int>(job_->scanned * 100 / job_->end);
}

// Announces what the worker found since the last tick, in one insert.
void CaptureModel::collectJob() {
    FilterRunner::Progress progress = runner_.take();
    if (!progress.rows.empty()) {
        const int first = static_cast<int>(index_.size());
        beginInsertRows({}, first, first + static_cast<int>(progress.rows.size()) - 1);
        index_.insert(index_.end(), progress.rows.begin(), progress.rows.end());
        endInsertRows();
    }
    job_->scanned = progress.scanned;
    if (progress.done) {
        scanned_ = job_->end;
        job_.reset();
        emit filterProgress(-1);
    } else {
        emit filterProgress(filterPercent());
    }
}

// A Decoded search over many rows catches up here, tick by tick: its progress shows until it has.
void CaptureModel::reportCatchUp(size_t published) {
    const bool behind =
        !job_ && filtered_ && matcher_.needsDecoded() && published > scanned_ + kSyncFilterRows;
    if (behind) {
        emit filterProgress(static_cast<int>(scanned_ * 100 / published));
    } else if (catchingUp_) {
        emit filterProgress(-1);
    }
    catchingUp_ = behind;
}

void CaptureModel::checkConnectionIds() {
    const size_t count = store_.connectionIdCount();
    if (count == knownConnectionIds_) return;
    knownConnectionIds_ = count;
    emit connectionIdsChanged();
}

void CaptureModel::setDecoderChoice(uint32_t connection, DecoderChoice choice) {
    decoded_.setChoice(connection, choice);
    if (matcher_.needsDecoded()) {
        setFilter(matcher_.filter());
    } else if (visibleCount() != 0) {
        emit dataChanged(index(0, SummaryColumn), index(static_cast<int>(visibleCount()) - 1, SummaryColumn),
                         {Qt::DisplayRole});
    }
    emit decoderChoiceChanged(connection);
}

void CaptureModel::decode(size_t end, bool bounded) {
    const size_t before = decoded_.decodedRows();
    const QDeadlineTimer deadline =
        bounded ? QDeadlineTimer(kDecodeBudgetMs) : QDeadlineTimer(QDeadlineTimer::Forever);
    const size_t after = decoded_.advance(end, deadline);
    if (after > before) announceDecoded(before, after);
}

// Summary cells of announced rows in [fromStoreRow, toStoreRow) changed.
void CaptureModel::announceDecoded(size_t fromStoreRow, size_t toStoreRow) {
    size_t first = fromStoreRow;
    size_t last = std::min(toStoreRow, scanned_);
    if (filtered_) {
        first = static_cast<size_t>(std::lower_bound(index_.begin(), index_.end(), fromStoreRow) -
                                    index_.begin());
        last =
            static_cast<size_t>(std::lower_bound(index_.begin(), index_.end(), toStoreRow) - index_.begin());
    }
    if (first >= last) return;
    emit dataChanged(index(static_cast<int>(first), SummaryColumn),
                     index(static_cast<int>(last) - 1, SummaryColumn), {Qt::DisplayRole});
}

void CaptureModel::fetchPublished() {
    fetch(false);
}

void CaptureModel::poll() {
    fetch(true);
}

void CaptureModel::setPollInterval(int milliseconds) {
    timer_.setInterval(milliseconds);
}

void CaptureModel::clear() {
    beginResetModel();
    runner_.cancel();
    store_.clear();
    decoded_.reset();
    generation_ = store_.generation();
    rebuildIndex(0);
    index_.shrink_to_fit();
    endResetModel();
    checkConnectionIds();
}

// After a clear or dropOldest behind the model's back: the index is rebuilt over the renumbered rows.
void CaptureModel::resetIfStoreCleared() {
    if (store_.generation() == generation_ && store_.size() >= scanned_ &&
        store_.size() >= decoded_.decodedRows())
        return;
    beginResetModel();
    decoded_.reset();
    generation_ = store_.generation();
    rebuildIndex(std::min(store_.size(), kMaxRows));
    endResetModel();
    knownConnectionIds_ = SIZE_MAX;  // the ids may have changed without their count changing
}

size_t CaptureModel::scan(size_t end, bool bounded) {
    QElapsedTimer clock;
    clock.start();
    size_t row = scanned_;
    while (row < end) {
        const size_t stop = std::min(end, row + kScanSlice);
        for (; row < stop; ++row) {
            const DecodedCache::Entry* entry = matcher_.needsDecoded() ? decoded_.find(row) : nullptr;
            if (matcher_.matches(store_, row, entry ? &entry->decoded : nullptr))
                pending_.push_back(static_cast<uint32_t>(row));
        }
        if (bounded && clock.elapsed() >= kTickBudgetMs) break;
    }
    return row;
}

void CaptureModel::fetch(bool bounded) {
    resetIfStoreCleared();
    checkConnectionIds();
    const size_t published = std::min(store_.size(), kMaxRows);
    decode(published, bounded);
    if (job_) collectJob();
    reportCatchUp(published);
    if (job_ || published <= scanned_) return;
    if (!filtered_ && needsIndex()) startIndexing();
    if (!filtered_) {
        // One insert for everything published since the last tick: rows [scanned_, published - 1].
        beginInsertRows({}, static_cast<int>(scanned_), static_cast<int>(published - 1));
        scanned_ = published;
        endInsertRows();
        return;
    }
    pending_.clear();
    scanned_ =
        scan(matcher_.needsDecoded() ? std::min(published, decoded_.decodedRows()) : published, bounded);
    if (pending_.empty()) return;
    const int first = static_cast<int>(index_.size());
    beginInsertRows({}, first, first + static_cast<int>(pending_.size()) - 1);
    index_.insert(index_.end(), pending_.begin(), pending_.end());
    endInsertRows();
}

}  // namespace framescope::app
