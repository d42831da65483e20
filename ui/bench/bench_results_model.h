// The benchmark numbers as a table: one row per result, with our speed ratio to the row's baseline, to
// the fastest peer that does the same work (none on "ours only" rows) and to a saved run. Qt::UserRole holds
// the raw number of every cell for sorting (a QSortFilterProxyModel with sortRole UserRole); missing figures
// sort last.
#pragma once

#include <QAbstractTableModel>
#include <QString>

#include <vector>

#include "framescope/bench/result.h"

namespace framescope::ui {

class BenchResultsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Name,
        Size,
        NsPerOp,
        MbPerSec,
        AllocsPerOp,
        BytesPerOp,
        Baseline,
        BaselineRatio,
        PeerRatio,
        SavedNsPerOp,
        SavedRatio,
        ColumnCount
    };

    explicit BenchResultsModel(QObject* parent = nullptr);

    void setResults(std::vector<bench::BenchResult> results);
    const std::vector<bench::BenchResult>& results() const noexcept { return results_; }
    // A saved run to compare with (its name is shown in the header tooltip); empty clears it.
    void setComparison(std::vector<bench::BenchResult> saved, const QString& name);
    const std::vector<bench::BenchResult>& comparison() const noexcept { return saved_; }
    const QString& comparisonName() const noexcept { return savedName_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QVariant display(const bench::BenchResult& r, int column) const;
    QVariant sortValue(const bench::BenchResult& r, int column) const;
    double savedRatio(const bench::BenchResult& r) const;
    double savedNs(const bench::BenchResult& r) const;

    std::vector<bench::BenchResult> results_;
    std::vector<bench::BenchResult> saved_;
    QString savedName_;
};

}  // namespace framescope::ui
