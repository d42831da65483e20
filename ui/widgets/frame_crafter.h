// Builds any frame bit by bit, broken ones included: every header field, the masking key (random per send
// or fixed), a declared length that may lie, a forced length encoding, the payload as text, hex, Base64 or
// a file, split into fragments with pings between them. Shows a live hex preview of the exact bytes
// (frame_plan.h, core's encodeRawFrame) and every RFC rule the frames break; sending is still allowed.
// The widget never sends: sendRequested() hands the plan to the app.
#pragma once

#include <QWidget>

#include "widgets/frame_plan.h"
#include "widgets/json_store.h"

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTabWidget;
class QTimer;

namespace framescope::ui {

class HeaderDiagramWidget;
class HexView;

class FrameCrafter : public QWidget {
    Q_OBJECT

public:
    explicit FrameCrafter(QWidget* parent = nullptr);

    CrafterState state() const;
    void setState(const CrafterState& state);

    // Whose frames these are: a client must mask, a server must not (RFC 6455 §5.1). Default: Client.
    void setRole(SenderRole role);
    SenderRole role() const { return role_; }
    // permessage-deflate was negotiated, so RSV1 on a message's first frame is allowed (RFC 7692 §6).
    void setRsv1Negotiated(bool negotiated);

    // The current plan, the preview's bytes and the broken rules (recomputed on every change).
    FramePlan plan() const { return plan_; }
    QByteArray previewBytes() const { return preview_; }
    QList<CraftWarning> warnings() const { return warnings_; }
    QString planError() const { return planError_; }  // why the plan cannot be built, or empty
    HexView* previewView() const { return previewView_; }
    HeaderDiagramWidget* diagram() const { return diagram_; }  // the header of the frame chosen in the list
    QPushButton* sendButton() const { return sendButton_; }

    // Templates: named states in a JSON file (default: JsonStore::defaultPath("crafter-templates.json")).
    void setTemplateFile(const QString& path);
    QString templateFile() const { return templates_.path(); }
    QStringList templateNames() const { return templates_.names(); }
    bool saveTemplate(const QString& name);
    bool loadTemplate(const QString& name);
    bool removeTemplate(const QString& name);

public slots:
    // Emits sendRequested() with the plan, fresh random masking keys where asked, and picks a new preview
    // key.
    void send();
    // Recomputes the plan, preview and warnings now (changes are otherwise batched for a few ms).
    void refresh();

signals:
    void sendRequested(const framescope::ui::FramePlan& frames);
    void stateChanged();

private:
    void addHeaderRows(QFormLayout* layout);
    void addKeyAndLengthRows(QFormLayout* layout);
    void addPayloadRows(QFormLayout* layout);
    void addFragmentRows(QFormLayout* layout);
    QWidget* buildTemplateBar();
    QWidget* buildPreviewPane();
    void connectChanges();
    void scheduleRefresh();
    void updateEnabledStates();
    void showWarnings();
    void showFrameList();
    void showFrame(int index);
    void chooseFile();
    void newPreviewKey();
    void reloadTemplateNames();

    SenderRole role_ = SenderRole::Client;
    bool rsv1Negotiated_ = false;
    MaskKey previewKey_{};
    FramePlan plan_;
    QByteArray preview_;
    QList<CraftWarning> warnings_;
    QString planError_;
    JsonStore templates_;
    QTimer* refreshTimer_ = nullptr;

    QCheckBox* fin_ = nullptr;
    QCheckBox* rsv_[3] = {};
    QComboBox* opcode_ = nullptr;
    QCheckBox* mask_ = nullptr;
    QRadioButton* randomKey_ = nullptr;
    QRadioButton* fixedKey_ = nullptr;
    QLineEdit* keyEdit_ = nullptr;
    QPushButton* diceButton_ = nullptr;
    QCheckBox* overrideLength_ = nullptr;
    QLineEdit* declaredLength_ = nullptr;
    QComboBox* lengthMode_ = nullptr;
    QComboBox* payloadFormat_ = nullptr;
    QPlainTextEdit* payload_ = nullptr;
    QPushButton* fileButton_ = nullptr;
    QLineEdit* filePath_ = nullptr;
    QLabel* payloadStatus_ = nullptr;
    QSpinBox* fragments_ = nullptr;
    QComboBox* splitMode_ = nullptr;
    QLineEdit* sizes_ = nullptr;
    QCheckBox* pingBetween_ = nullptr;
    QLineEdit* pingPayload_ = nullptr;
    QComboBox* templateName_ = nullptr;
    QLabel* previewSummary_ = nullptr;
    QComboBox* frameList_ = nullptr;
    HeaderDiagramWidget* diagram_ = nullptr;
    HexView* previewView_ = nullptr;
    QListWidget* warningList_ = nullptr;
    QTabWidget* previewTabs_ = nullptr;  // bytes, header drawing, broken rules
    QPushButton* sendButton_ = nullptr;
};

}  // namespace framescope::ui
