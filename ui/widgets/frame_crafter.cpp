#include "widgets/frame_crafter.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRandomGenerator>
#include <QRegularExpressionValidator>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "widgets/header_diagram_widget.h"
#include "widgets/hex_view.h"
#include "widgets/icons.h"

namespace framescope::ui {

namespace {

MaskKey randomKey() {
    const quint32 value = QRandomGenerator::system()->generate();
    return {static_cast<uint8_t>(value >> 24), static_cast<uint8_t>(value >> 16),
            static_cast<uint8_t>(value >> 8), static_cast<uint8_t>(value)};
}

QString keyHex(const MaskKey& key) {
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(key.data()), 4).toHex(' '));
}

QList<ByteRange> previewRanges(const FramePlan& plan) {
    QList<ByteRange> ranges;
    for (const PlanFrameExtent& extent : planExtents(plan)) {
        for (ByteRange range : frameByteRanges(extent.header, extent.payloadSize)) {
            range.start += extent.offset;
            ranges.append(range);
        }
    }
    return ranges;
}

}  // namespace

FrameCrafter::FrameCrafter(QWidget* parent)
    : QWidget(parent),
      previewKey_(randomKey()),
      templates_(JsonStore::defaultPath(QStringLiteral("crafter-templates.json"))) {
    refreshTimer_ = new QTimer(this);
    refreshTimer_->setSingleShot(true);
    refreshTimer_->setInterval(40);
    connect(refreshTimer_, &QTimer::timeout, this, &FrameCrafter::refresh);

    // One form without group boxes, the preview in tabs, and Send on the bottom row beside the templates:
    // everything fits in the tools pane of a 1366x768 window, Send always in view.
    auto* form = new QWidget;
    auto* formLayout = new QFormLayout(form);
    formLayout->setContentsMargins(0, 0, 0, 0);
    formLayout->setVerticalSpacing(3);
    addHeaderRows(formLayout);
    addKeyAndLengthRows(formLayout);
    addFragmentRows(formLayout);
    addPayloadRows(formLayout);

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(form);
    splitter->addWidget(buildPreviewPane());
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);
    layout->addWidget(splitter, 1);
    layout->addWidget(buildTemplateBar());

    connectChanges();
    reloadTemplateNames();
    CrafterState initial;
    initial.maskKey = previewKey_;
    setState(initial);
}

QWidget* FrameCrafter::buildTemplateBar() {
    templateName_ = new QComboBox;
    templateName_->setEditable(true);
    templateName_->setInsertPolicy(QComboBox::NoInsert);
    templateName_->setMinimumContentsLength(10);
    templateName_->setToolTip(tr("Template: every field saved under a name."));
    templateName_->lineEdit()->setPlaceholderText(tr("template name"));
    auto* load = new QPushButton(icon(QStringLiteral("open")), tr("Load"));
    auto* save = new QPushButton(icon(QStringLiteral("save")), tr("Save"));
    auto* remove = new QPushButton(tr("Delete"));
    load->setToolTip(tr("Load the named template into every field."));
    save->setToolTip(tr("Save every field under this name (%1).").arg(templates_.path()));
    connect(load, &QPushButton::clicked, this, [this] { loadTemplate(templateName_->currentText()); });
    connect(save, &QPushButton::clicked, this, [this] { saveTemplate(templateName_->currentText()); });
    connect(remove, &QPushButton::clicked, this, [this] { removeTemplate(templateName_->currentText()); });
    sendButton_ = new QPushButton(icon(QStringLiteral("send")), tr("Send Frames"));
    sendButton_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    sendButton_->setToolTip(tr("Send the frames exactly as previewed (Ctrl+Return)."));
    connect(sendButton_, &QPushButton::clicked, this, &FrameCrafter::send);
    auto* bar = new QWidget;
    auto* layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(templateName_, 1);
    layout->addWidget(load);
    layout->addWidget(save);
    layout->addWidget(remove);
    layout->addStretch(1);
    layout->addWidget(sendButton_);
    return bar;
}

void FrameCrafter::addHeaderRows(QFormLayout* layout) {
    fin_ = new QCheckBox(tr("FIN"));
    fin_->setToolTip(tr("FIN of the last fragment; earlier fragments always have FIN 0."));
    auto* bits = new QHBoxLayout;
    bits->addWidget(fin_);
    for (int i = 0; i < 3; ++i) {
        rsv_[i] = new QCheckBox(tr("RSV%1").arg(i + 1));
        rsv_[i]->setToolTip(tr("Set on the first fragment only. Must be 0 unless an extension defines it."));
        bits->addWidget(rsv_[i]);
    }
    mask_ = new QCheckBox(tr("MASK"));
    mask_->setToolTip(tr("Mask the payload (clients must, servers must not: RFC 6455 §5.1)."));
    bits->addWidget(mask_);
    bits->addStretch();
    opcode_ = new QComboBox;
    for (uint8_t op = 0; op < 16; ++op)
        opcode_->addItem(opcodeLabel(op), op);
    opcode_->setToolTip(tr("Opcode of the first fragment; later fragments are continuations (0x0)."));
    layout->addRow(tr("Header bits:"), bits);
    layout->addRow(tr("Opcode:"), opcode_);
}

void FrameCrafter::addKeyAndLengthRows(QFormLayout* layout) {
    randomKey_ = new QRadioButton(tr("Random"));
    randomKey_->setToolTip(
        tr("A fresh key for every frame, chosen when you send (RFC 6455 §5.3). The preview "
           "uses a sample key."));
    fixedKey_ = new QRadioButton(tr("Fixed:"));
    auto* keyGroup = new QButtonGroup(this);
    keyGroup->addButton(randomKey_);
    keyGroup->addButton(fixedKey_);
    keyEdit_ = new QLineEdit;
    keyEdit_->setPlaceholderText(tr("4 bytes in hex, e.g. 37 fa 21 3d"));
    keyEdit_->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("^\\s*([0-9a-fA-F]{2}\\s*){0,4}$")), keyEdit_));
    diceButton_ = new QPushButton(icon(QStringLiteral("dice")), QString());
    diceButton_->setToolTip(tr("New random key"));
    connect(diceButton_, &QPushButton::clicked, this, &FrameCrafter::newPreviewKey);
    auto* keyRow = new QHBoxLayout;
    keyRow->addWidget(randomKey_);
    keyRow->addWidget(fixedKey_);
    keyRow->addWidget(keyEdit_, 1);
    keyRow->addWidget(diceButton_);

    overrideLength_ = new QCheckBox(tr("Declare:"));
    overrideLength_->setToolTip(
        tr("Declare a payload length other than the real one (a lie the peer must "
           "cope with)."));
    declaredLength_ = new QLineEdit;
    declaredLength_->setValidator(new QRegularExpressionValidator(
        QRegularExpression(QStringLiteral("^[0-9]{0,20}$")), declaredLength_));
    declaredLength_->setPlaceholderText(tr("0 - 18446744073709551615"));
    lengthMode_ = new QComboBox;
    lengthMode_->addItems({tr("minimal encoding"), tr("7-bit"), tr("16-bit (126)"), tr("64-bit (127)")});
    lengthMode_->setToolTip(
        tr("Force the payload length encoding; anything but the minimal one breaks RFC 6455 "
           "§5.2."));
    auto* lengthRow = new QHBoxLayout;
    lengthRow->addWidget(overrideLength_);
    lengthRow->addWidget(declaredLength_, 1);
    lengthRow->addWidget(lengthMode_);

    layout->addRow(tr("Masking key:"), keyRow);
    layout->addRow(tr("Length:"), lengthRow);
}

void FrameCrafter::addPayloadRows(QFormLayout* layout) {
    payloadFormat_ = new QComboBox;
    payloadFormat_->addItems({tr("Text (UTF-8)"), tr("Hex"), tr("Base64"), tr("File")});
    payload_ = new QPlainTextEdit;
    payload_->setPlaceholderText(tr("Payload"));
    payload_->setTabChangesFocus(true);
    payload_->setMinimumHeight(48);
    payload_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    filePath_ = new QLineEdit;
    filePath_->setPlaceholderText(tr("file to send as the payload"));
    fileButton_ = new QPushButton(icon(QStringLiteral("open")), tr("Choose…"));
    connect(fileButton_, &QPushButton::clicked, this, &FrameCrafter::chooseFile);
    payloadStatus_ = new QLabel;
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(filePath_, 1);
    fileRow->addWidget(fileButton_);
    auto* top = new QHBoxLayout;
    top->addWidget(payloadFormat_);
    top->addWidget(payloadStatus_, 1);
    layout->addRow(tr("Payload:"), top);
    layout->addRow(payload_);
    layout->addRow(fileRow);
}

void FrameCrafter::addFragmentRows(QFormLayout* layout) {
    fragments_ = new QSpinBox;
    fragments_->setRange(1, 10000);
    fragments_->setToolTip(tr("Split the message into this many frames (RFC 6455 §5.4)."));
    splitMode_ = new QComboBox;
    splitMode_->addItems({tr("equal sizes"), tr("these sizes:")});
    sizes_ = new QLineEdit;
    sizes_->setPlaceholderText(tr("e.g. 3, 5, 2 (the rest is one more fragment)"));
    auto* splitRow = new QHBoxLayout;
    splitRow->addWidget(fragments_);
    splitRow->addWidget(splitMode_);
    splitRow->addWidget(sizes_, 1);
    pingBetween_ = new QCheckBox(tr("Ping between fragments, payload:"));
    pingPayload_ = new QLineEdit;
    auto* pingRow = new QHBoxLayout;
    pingRow->addWidget(pingBetween_);
    pingRow->addWidget(pingPayload_, 1);
    layout->addRow(tr("Fragments:"), splitRow);
    layout->addRow(QString(), pingRow);
}

QWidget* FrameCrafter::buildPreviewPane() {
    // One line, cut at the pane's edge (the tooltip has it whole): a wrapping label's height-for-width
    // made the tools pane's scroll area keep a scroll bar it did not need.
    previewSummary_ = new QLabel;
    previewSummary_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    frameList_ = new QComboBox;
    frameList_->setToolTip(tr("The frame whose header is drawn in the Header tab."));
    frameList_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    frameList_->setMinimumContentsLength(16);
    diagram_ = new HeaderDiagramWidget;
    connect(frameList_, &QComboBox::currentIndexChanged, this, &FrameCrafter::showFrame);
    auto* diagramScroll = new QScrollArea;
    diagramScroll->setWidget(diagram_);
    diagramScroll->setWidgetResizable(true);
    diagramScroll->setFrameShape(QFrame::NoFrame);
    previewView_ = new HexView;
    previewView_->setPlaceholderText(tr("No bytes"));
    previewView_->setMinimumHeight(60);
    warningList_ = new QListWidget;
    warningList_->setWordWrap(true);
    warningList_->setIconSize(QSize(16, 16));
    warningList_->setToolTip(tr("Every RFC rule these frames break. You can still send them."));
    previewTabs_ = new QTabWidget;
    previewTabs_->setDocumentMode(true);
    previewTabs_->addTab(previewView_, tr("Bytes"));
    previewTabs_->addTab(diagramScroll, tr("Header"));
    previewTabs_->addTab(warningList_, tr("Rules broken"));
    previewTabs_->setTabToolTip(0, tr("The bytes on the wire, every frame"));
    previewTabs_->setTabToolTip(1, tr("The chosen frame's header, as drawn in RFC 6455 §5.2"));
    previewTabs_->setTabToolTip(2, tr("Every RFC rule these frames break"));
    auto* top = new QHBoxLayout;
    top->addWidget(previewSummary_, 1);
    top->addWidget(frameList_);
    auto* pane = new QWidget;
    auto* layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addLayout(top);
    layout->addWidget(previewTabs_, 1);
    return pane;
}

void FrameCrafter::connectChanges() {
    for (QCheckBox* box : {fin_, rsv_[0], rsv_[1], rsv_[2], mask_, overrideLength_, pingBetween_})
        connect(box, &QCheckBox::toggled, this, &FrameCrafter::scheduleRefresh);
    for (QRadioButton* radio : {randomKey_, fixedKey_})
        connect(radio, &QRadioButton::toggled, this, &FrameCrafter::scheduleRefresh);
    for (QComboBox* combo : {opcode_, lengthMode_, payloadFormat_, splitMode_})
        connect(combo, &QComboBox::currentIndexChanged, this, &FrameCrafter::scheduleRefresh);
    for (QLineEdit* edit : {keyEdit_, declaredLength_, filePath_, sizes_, pingPayload_})
        connect(edit, &QLineEdit::textChanged, this, &FrameCrafter::scheduleRefresh);
    connect(payload_, &QPlainTextEdit::textChanged, this, &FrameCrafter::scheduleRefresh);
    connect(fragments_, &QSpinBox::valueChanged, this, &FrameCrafter::scheduleRefresh);
}

void FrameCrafter::scheduleRefresh() {
    updateEnabledStates();
    refreshTimer_->start();
}

void FrameCrafter::updateEnabledStates() {
    randomKey_->setEnabled(mask_->isChecked());
    fixedKey_->setEnabled(mask_->isChecked());
    keyEdit_->setEnabled(mask_->isChecked() && fixedKey_->isChecked());
    diceButton_->setEnabled(mask_->isChecked());
    declaredLength_->setEnabled(overrideLength_->isChecked());
    const bool file = payloadFormat_->currentIndex() == static_cast<int>(PayloadFormat::File);
    payload_->setVisible(!file);
    filePath_->setVisible(file);
    fileButton_->setVisible(file);
    sizes_->setEnabled(splitMode_->currentIndex() == static_cast<int>(SplitMode::Sizes));
    fragments_->setEnabled(splitMode_->currentIndex() == static_cast<int>(SplitMode::Equal));
    pingPayload_->setEnabled(pingBetween_->isChecked());
}

CrafterState FrameCrafter::state() const {
    CrafterState s;
    s.fin = fin_->isChecked();
    s.rsv1 = rsv_[0]->isChecked();
    s.rsv2 = rsv_[1]->isChecked();
    s.rsv3 = rsv_[2]->isChecked();
    s.opcode = static_cast<uint8_t>(opcode_->currentIndex());
    s.masked = mask_->isChecked();
    s.randomKey = !fixedKey_->isChecked();
    s.maskKey = previewKey_;
    QByteArray key;
    if (s.masked && !s.randomKey && parseHexBytes(keyEdit_->text(), key)) {
        s.maskKey = MaskKey{};
        for (qsizetype i = 0; i < qMin<qsizetype>(4, key.size()); ++i)
            s.maskKey[static_cast<size_t>(i)] = static_cast<uint8_t>(key[i]);
    }
    s.overrideLength = overrideLength_->isChecked();
    s.declaredLength = declaredLength_->text().toULongLong();
    s.lengthMode = static_cast<LengthMode>(lengthMode_->currentIndex());
    s.payloadFormat = static_cast<PayloadFormat>(payloadFormat_->currentIndex());
    s.payloadText = payload_->toPlainText();
    s.payloadFile = filePath_->text();
    s.fragments = fragments_->value();
    s.splitMode = static_cast<SplitMode>(splitMode_->currentIndex());
    s.fragmentSizes = sizes_->text();
    s.pingBetween = pingBetween_->isChecked();
    s.pingPayload = pingPayload_->text();
    return s;
}

void FrameCrafter::setState(const CrafterState& s) {
    fin_->setChecked(s.fin);
    rsv_[0]->setChecked(s.rsv1);
    rsv_[1]->setChecked(s.rsv2);
    rsv_[2]->setChecked(s.rsv3);
    opcode_->setCurrentIndex(s.opcode & 0x0F);
    mask_->setChecked(s.masked);
    (s.randomKey ? randomKey_ : fixedKey_)->setChecked(true);
    previewKey_ = s.maskKey;  // the sample key when random, the key itself when fixed
    keyEdit_->setText(keyHex(s.maskKey));
    overrideLength_->setChecked(s.overrideLength);
    declaredLength_->setText(QString::number(s.declaredLength));
    lengthMode_->setCurrentIndex(static_cast<int>(s.lengthMode));
    payloadFormat_->setCurrentIndex(static_cast<int>(s.payloadFormat));
    payload_->setPlainText(s.payloadText);
    filePath_->setText(s.payloadFile);
    fragments_->setValue(s.fragments);
    splitMode_->setCurrentIndex(static_cast<int>(s.splitMode));
    sizes_->setText(s.fragmentSizes);
    pingBetween_->setChecked(s.pingBetween);
    pingPayload_->setText(s.pingPayload);
    updateEnabledStates();
    refresh();
}

void FrameCrafter::setRole(SenderRole role) {
    role_ = role;
    refresh();
}

void FrameCrafter::setRsv1Negotiated(bool negotiated) {
    rsv1Negotiated_ = negotiated;
    refresh();
}

void FrameCrafter::refresh() {
    refreshTimer_->stop();
    const CrafterState s = state();
    QString error;
    const QByteArray payload = decodePayload(s, &error);
    planError_ = error;
    QString sizeNote;
    fragmentSizes(s, payload.size(), &sizeNote);
    plan_ = error.isEmpty() ? buildFramePlan(s, payload) : FramePlan{};
    preview_ = error.isEmpty() ? encodePlan(plan_, &planError_) : QByteArray();
    PlanContext context{role_, rsv1Negotiated_, s.masked && !s.randomKey};
    warnings_ = checkPlan(plan_, context);
    payloadStatus_->setText(error.isEmpty() ? tr("%L1 bytes").arg(payload.size()) : error);
    payloadStatus_->setStyleSheet(error.isEmpty() ? QString() : QStringLiteral("color: #d03030"));
    previewView_->setData(preview_, planError_.isEmpty() ? previewRanges(plan_) : QList<ByteRange>{});
    QString summary =
        tr("%n frame(s), ", nullptr, static_cast<int>(plan_.size())) + tr("%L1 bytes").arg(preview_.size());
    if (s.masked && s.randomKey) {
        summary += tr("; sample key %1, a fresh one per frame when sent").arg(keyHex(previewKey_));
    }
    if (!sizeNote.isEmpty()) summary += QStringLiteral(". ") + sizeNote;
    previewSummary_->setText(planError_.isEmpty() ? summary : planError_);
    previewSummary_->setToolTip(previewSummary_->text());
    showFrameList();
    showWarnings();
    sendButton_->setEnabled(planError_.isEmpty() && !plan_.isEmpty());
    emit stateChanged();
}

void FrameCrafter::showFrameList() {
    const int previous = qMax(0, frameList_->currentIndex());
    const QSignalBlocker blocker(frameList_);
    frameList_->clear();
    for (qsizetype i = 0; i < plan_.size(); ++i) {
        const RawFramePlanItem& item = plan_[i];
        frameList_->addItem(tr("Frame %1: %2, FIN %3, %4 bytes")
                                .arg(i + 1)
                                .arg(opcodeLabel(item.opcode))
                                .arg(item.fin ? 1 : 0)
                                .arg(item.payload.size()));
    }
    frameList_->setCurrentIndex(qMin(previous, static_cast<int>(plan_.size()) - 1));
    showFrame(frameList_->currentIndex());
}

void FrameCrafter::showFrame(int index) {
    if (index < 0 || index >= plan_.size() || !planError_.isEmpty()) {
        diagram_->clear();
        return;
    }
    diagram_->setHeader(plan_[index].header());
    const QList<PlanFrameExtent> extents = planExtents(plan_);
    previewView_->scrollToOffset(extents[index].offset);
}

void FrameCrafter::showWarnings() {
    warningList_->clear();
    const QIcon warningIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    for (const CraftWarning& warning : warnings_)
        new QListWidgetItem(warningIcon, warning.display(), warningList_);
    if (warnings_.isEmpty()) {
        auto* item = new QListWidgetItem(tr("None: these frames follow RFC 6455."), warningList_);
        item->setForeground(palette().color(QPalette::PlaceholderText));
    }
    const int tab = previewTabs_->indexOf(warningList_);
    previewTabs_->setTabText(
        tab, warnings_.isEmpty() ? tr("Rules broken: none") : tr("Rules broken: %1").arg(warnings_.size()));
    previewTabs_->setTabIcon(tab, warnings_.isEmpty() ? QIcon() : warningIcon);
}

void FrameCrafter::send() {
    refresh();
    if (!planError_.isEmpty() || plan_.isEmpty()) return;
    FramePlan frames = plan_;
    for (RawFramePlanItem& frame : frames) {
        if (frame.randomMaskKey) frame.maskKey = randomKey();
    }
    emit sendRequested(frames);
    if (mask_->isChecked() && randomKey_->isChecked()) newPreviewKey();
}

void FrameCrafter::newPreviewKey() {
    previewKey_ = randomKey();
    if (fixedKey_->isChecked()) keyEdit_->setText(keyHex(previewKey_));
    refresh();
}

void FrameCrafter::chooseFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Payload File"), filePath_->text());
    if (!path.isEmpty()) filePath_->setText(path);
}

void FrameCrafter::setTemplateFile(const QString& path) {
    templates_.setPath(path);
    reloadTemplateNames();
}

bool FrameCrafter::saveTemplate(const QString& name) {
    if (name.trimmed().isEmpty()) return false;
    QString error;
    const bool saved = templates_.insert(name.trimmed(), crafterStateToJson(state()), &error);
    if (!saved && isVisible()) QMessageBox::warning(this, tr("Save Template"), error);
    reloadTemplateNames();
    templateName_->setCurrentText(name.trimmed());
    return saved;
}

bool FrameCrafter::loadTemplate(const QString& name) {
    if (!templates_.contains(name)) return false;
    setState(crafterStateFromJson(templates_.value(name)));
    return true;
}

bool FrameCrafter::removeTemplate(const QString& name) {
    if (!templates_.contains(name)) return false;
    const bool removed = templates_.remove(name);
    reloadTemplateNames();
    return removed;
}

void FrameCrafter::reloadTemplateNames() {
    const QString current = templateName_->currentText();
    const QSignalBlocker blocker(templateName_);
    templateName_->clear();
    templateName_->addItems(templates_.names());
    templateName_->setCurrentText(current);
}

}  // namespace framescope::ui
