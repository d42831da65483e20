// Everything about one captured frame: a summary (direction, time, opcode, sizes, close code, violation),
// the header drawn as in RFC 6455 §5.2, the frame's bytes on the wire (masked or unmasked) with the header
// fields highlighted, the payload as text, JSON tree, hex and Base64, the message read in its application
// protocol (Decoded tab), the other frames of its message, and for a proxy's data frame the same message on
// the proxy's other leg (Other leg tab).
#pragma once

#include <QWidget>

#include "widgets/frame_data.h"
#include "widgets/frame_fields.h"

class QCheckBox;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QPlainTextEdit;
class QPushButton;
class QScrollArea;
class QStackedWidget;
class QTabWidget;
class QTreeWidget;

namespace framescope::ui {

class DecodedView;
class HeaderDiagramWidget;
class HexView;
class OtherLegView;

class FrameInspector : public QWidget {
    Q_OBJECT

public:
    // The Text and Base64 tabs first show this many payload bytes, with a "Show more" button that doubles
    // it up to kTextPreviewLimit; the JSON tab parses at most kTextPreviewLimit bytes; the hex views show
    // all. "Save payload…" writes the whole captured payload to a file.
    static constexpr qsizetype kTextShownLimit = 64 << 10;
    static constexpr qsizetype kTextPreviewLimit = 4 << 20;
    enum PayloadTab { TextTab, JsonTab, HexTab, Base64Tab, DecodedTab, OtherLegTab };

    explicit FrameInspector(QWidget* parent = nullptr);

    void setFrame(const FrameData& frame);
    void clear();  // back to the empty state
    bool hasFrame() const { return hasFrame_; }
    const FrameData& frame() const { return frame_; }

    // The wire view shows the payload masked, as sent, when true (the default) and the frame is masked.
    void setShowMasked(bool masked);
    bool showsMasked() const;

    HeaderDiagramWidget* diagram() const { return diagram_; }
    HexView* wireView() const { return wireView_; }
    HexView* payloadHexView() const { return payloadHex_; }
    QTabWidget* payloadTabs() const { return tabs_; }
    QTreeWidget* jsonTree() const { return jsonTree_; }
    DecodedView* decodedView() const { return decoded_; }
    OtherLegView* otherLegView() const { return otherLeg_; }
    bool jsonTreeShown() const;    // false when the JSON tab shows its "not JSON" message instead
    QString jsonMessage() const;   // the message shown when the payload is not JSON
    QString summaryText() const;   // the summary as plain text
    QString payloadText() const;   // the Text tab's contents
    QString textNoteText() const;  // the line above it: inflated, not UTF-8, "Showing the first N of M"
    qsizetype shownTextBytes() const { return shownLimit_; }
    QPushButton* showMoreButton() const { return showMore_; }
    // Shows twice as many bytes in the Text and Base64 tabs (at most kTextPreviewLimit).
    void showMoreText();
    // Writes the whole payload (inflated, for a compressed message) to `path`; false with *error set.
    bool savePayload(const QString& path, QString* error = nullptr) const;
    // Selects, in the wire view, the bytes of a decoded field (`offset` and `length` in the decoded
    // message); false when they are not in this frame as sent (an earlier fragment, or deflate data).
    bool highlightDecodedField(qint64 offset, qint64 length);

signals:
    // A frame of the same message was clicked in the list (`index` is its SiblingFrame::index), or the
    // decoded message's request/response partner (its log number).
    void siblingActivated(qint64 index);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    QWidget* buildContent();
    void updateDiagramHeight();
    QWidget* buildWirePane();
    QWidget* buildPayloadTabs();
    void showWireBytes();
    void showSummary();
    void showSiblings();
    void showPayload();
    void showOtherLeg();
    void showText();
    void onSavePayload();
    void showJson(const QByteArray& payload);
    void selectField(FieldKind kind);
    void onSiblingClicked(QListWidgetItem* item);

    FrameData frame_;
    bool hasFrame_ = false;
    bool autoHex_ = false;  // the Hex tab was selected because the payload is not text
    QStackedWidget* stack_ = nullptr;
    QLabel* summary_ = nullptr;
    QLabel* violation_ = nullptr;
    QListWidget* siblings_ = nullptr;
    HeaderDiagramWidget* diagram_ = nullptr;
    QScrollArea* diagramScroll_ = nullptr;
    QCheckBox* maskedToggle_ = nullptr;
    QLabel* wireNote_ = nullptr;
    HexView* wireView_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    QWidget* textBar_ = nullptr;
    QLabel* textNote_ = nullptr;
    QPushButton* showMore_ = nullptr;
    QPushButton* savePayload_ = nullptr;
    qsizetype shownLimit_ = kTextShownLimit;
    QPlainTextEdit* text_ = nullptr;
    QStackedWidget* jsonStack_ = nullptr;
    QTreeWidget* jsonTree_ = nullptr;
    QLabel* jsonMessage_ = nullptr;
    HexView* payloadHex_ = nullptr;
    QLabel* base64Note_ = nullptr;
    QPlainTextEdit* base64_ = nullptr;
    DecodedView* decoded_ = nullptr;
    OtherLegView* otherLeg_ = nullptr;
};

}  // namespace framescope::ui
