// The capture as a table: one row per visible store row, cell text built on demand in data(). New rows are
// announced once per timer tick in a single insert; a filter keeps an index of visible store rows. A new
// filter over more than kSyncFilterRows rows is built on a worker thread (FilterRunner) while the model
// shows its matches as they come, once per tick; rows published after it started are filtered here once it
// is done. Each tick also decodes new messages for a few milliseconds (DecodedCache): the Summary column
// and Decoded searches read the result (a Decoded search over many rows proceeds tick by tick here).
#pragma once

#include <QAbstractTableModel>
#include <QTimer>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "capture/capture_filter.h"
#include "capture/capture_format.h"
#include "capture/capture_store.h"
#include "capture/filter_runner.h"
#include "decode/decoded_cache.h"

namespace framescope::app {

class CaptureModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column : int {
        NumberColumn,
        TimeColumn,
        ConnectionColumn,  // the connection id, "#3"
        DirectionColumn,
        OpcodeColumn,
        FinColumn,
        RsvColumn,
        MaskColumn,
        LengthColumn,
        SummaryColumn,  // the decoded message's one-line summary, on its last frame
        PreviewColumn,
        ColumnCount
    };
    enum Role : int {
        StoreRowRole = Qt::UserRole + 1,  // qulonglong: the row's index in the CaptureStore
    };
    static constexpr int kDefaultPollIntervalMs = 16;
    static constexpr int kTickBudgetMs = 8;    // filtering work per tick; the rest waits for the next tick
    static constexpr int kDecodeBudgetMs = 4;  // decoding work per tick
    static constexpr int kPreviewChars = 100;
    static constexpr size_t kSyncFilterRows = 8192;  // more rows than this are filtered on the worker
    static constexpr const char* kViolationColor = "#d32f2f";

    // The store must outlive the model. The model polls it from the thread the model lives on.
    explicit CaptureModel(CaptureStore& store, QObject* parent = nullptr);
    ~CaptureModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    CaptureStore& store() const noexcept { return store_; }
    size_t storeRow(int row) const noexcept;
    int rowOfStoreRow(size_t storeRow) const noexcept;  // -1 when hidden or not announced yet

    TimeFormat timeFormat() const noexcept { return timeFormat_; }
    void setTimeFormat(TimeFormat format);

    const CaptureFilter& filter() const noexcept { return matcher_.filter(); }
    // Rebuilds the index of visible rows over everything published so far (a model reset): at once for a
    // few rows, else on the worker (isFiltering() until done; filterProgress() reports the percentage).
    void setFilter(const CaptureFilter& filter);
    QString filterError() const { return matcher_.errorString(); }
    bool isFiltering() const noexcept { return job_.has_value(); }
    int filterPercent() const noexcept;  // of the running filter, or -1

    // The connection ids of the captured rows, ascending (connectionIdsChanged() when one appears).
    std::vector<uint32_t> connectionIds() const { return store_.connectionIds(); }

    // Decoded messages by store row (rows not decoded yet or dropped from the cache are not there).
    const DecodedCache& decodedCache() const noexcept { return decoded_; }
    // The decoder of one connection: automatic, off, or a protocol. The Summary column and a Decoded
    // search follow; emits decoderChoiceChanged().
    void setDecoderChoice(uint32_t connection, DecoderChoice choice);
    DecoderChoice decoderChoice(uint32_t connection) const { return decoded_.choice(connection); }

    // Announces every row published so far, now, in one insert (ticks do the same within kTickBudgetMs).
    void fetchPublished();
    // Empties the store and the model.
    void clear();
    void setPollInterval(int milliseconds);

signals:
    void decoderChoiceChanged(uint32_t connection);
    void filterProgress(int percent);  // while a filter runs on the worker; -1 when it is done
    void connectionIdsChanged();

private:
    void poll();
    void decode(size_t end, bool bounded);
    void announceDecoded(size_t fromStoreRow, size_t toStoreRow);
    void fetch(bool bounded);
    void resetIfStoreCleared();
    void rebuildIndex(size_t published);  // inside a model reset
    bool needsIndex() const noexcept;
    void startIndexing();
    void collectJob();
    void checkConnectionIds();
    void reportCatchUp(size_t published);
    size_t scan(size_t end, bool bounded);
    size_t visibleCount() const noexcept;
    QVariant displayText(size_t row, int column) const;

    CaptureStore& store_;
    QTimer timer_;
    CaptureFilterMatcher matcher_;
    DecodedCache decoded_;
    bool filtered_ = false;
    std::vector<uint32_t> index_;    // visible store rows, ascending, when filtered_
    std::vector<uint32_t> pending_;  // matches found this tick, not announced yet
    size_t scanned_ = 0;             // store rows already tested (and, unfiltered, announced)
    uint64_t generation_ = 0;        // the store's generation the rows belong to
    struct RunningFilter {
        size_t end = 0;  // store rows [0, end) are the worker's; rows after it are scanned here once done
        size_t scanned = 0;
    };
    std::optional<RunningFilter> job_;
    FilterRunner runner_;
    size_t knownConnectionIds_ = 0;
    bool catchingUp_ = false;  // a Decoded search, many rows behind
    TimeFormat timeFormat_ = TimeFormat::Relative;
    QVariant violationColor_;  // a QColor when QtGui is loaded, else the colour's name
};

}  // namespace framescope::app
