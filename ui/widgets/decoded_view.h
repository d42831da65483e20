// The inspector's Decoded tab: a message read in its application protocol (Socket.IO, STOMP, MQTT, ...)
// as a tree of fields with the one-line summary and the request/response keys on top, and the message's
// bytes below, where selecting a field highlights the bytes it came from.
#pragma once

#include <QByteArray>
#include <QWidget>

#include <optional>

#include "framescope/decoders/decoded.h"

class QLabel;
class QStackedWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace framescope::ui {

class HexView;

class DecodedView : public QWidget {
    Q_OBJECT

public:
    explicit DecodedView(QWidget* parent = nullptr);

    // `bytes`: the message the spans refer to. nullopt shows why there is nothing to decode.
    void setDecoded(const std::optional<decoders::Decoded>& decoded, const QByteArray& bytes);
    // The request/response partner: its log number (-1: none), whether it is the response, the time between.
    void setPair(qint64 index, bool isResponse, qint64 latencyUs);
    void clear() {
        setDecoded(std::nullopt, {});
        setPair(-1, false, 0);
    }
    QString pairText() const;  // "answered by #12 after 3.20 ms", "answers #7 (3.20 ms)", or empty

    QTreeWidget* tree() const { return tree_; }
    HexView* hexView() const { return hex_; }
    QString headline() const;  // protocol, summary and pairing keys as shown above the tree
    bool treeShown() const;

signals:
    // The partner's link was clicked.
    void pairActivated(qint64 index);
    // A field was selected in the tree: its bytes in the message (length 0: none, or the selection cleared).
    void fieldSelected(qint64 offset, qint64 length);

private:
    void onCurrentItemChanged(QTreeWidgetItem* item);

    QStackedWidget* stack_ = nullptr;
    QLabel* message_ = nullptr;
    QLabel* headline_ = nullptr;
    QLabel* pair_ = nullptr;
    QString headlinePlain_;
    QTreeWidget* tree_ = nullptr;
    HexView* hex_ = nullptr;
};

}  // namespace framescope::ui
