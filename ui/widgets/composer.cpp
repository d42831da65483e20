#include "widgets/composer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include "framescope/close_code.h"
#include "widgets/frame_plan.h"
#include "widgets/icons.h"
#include "widgets/json_tree.h"

namespace framescope::ui {

namespace {

const char* const kModeNames[] = {"text", "json", "hex", "base64", "file"};

QString modeLabel(Composer::Mode mode) {
    switch (mode) {
        case Composer::Mode::Text:
            return QObject::tr("Text");
        case Composer::Mode::Json:
            return QObject::tr("JSON");
        case Composer::Mode::Hex:
            return QObject::tr("Binary (hex)");
        case Composer::Mode::Base64:
            return QObject::tr("Binary (Base64)");
        case Composer::Mode::File:
            return QObject::tr("Binary (file)");
    }
    return {};
}

bool isTextMode(Composer::Mode mode) {
    return mode == Composer::Mode::Text || mode == Composer::Mode::Json;
}

QString oneLine(const QString& text) {
    QString line = text.simplified();
    return line.size() > 80 ? line.left(79) + QChar(u'…') : line;
}

}  // namespace

Composer::Composer(QWidget* parent)
    : QWidget(parent), saved_(JsonStore::defaultPath(QStringLiteral("composer-messages.json"))) {
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(buildEditor(), 1);
    leftLayout->addWidget(buildControlFrames());
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(left);
    splitter->addWidget(buildSidePanel());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(splitter);
    auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(shortcut, &QShortcut::activated, this, &Composer::send);
    auto* enter = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Enter), this);
    enter->setContext(Qt::WidgetWithChildrenShortcut);
    connect(enter, &QShortcut::activated, this, &Composer::send);
    reloadSaved();
    validate();
    validateClose();
}

QWidget* Composer::buildEditor() {
    mode_ = new QComboBox;
    for (Mode mode : {Mode::Text, Mode::Json, Mode::Hex, Mode::Base64, Mode::File})
        mode_->addItem(modeLabel(mode));
    pretty_ = new QPushButton(icon(QStringLiteral("format")), tr("Pretty-print"));
    pretty_->setToolTip(tr("Reformat the JSON with indentation."));
    connect(pretty_, &QPushButton::clicked, this, &Composer::prettyPrint);
    status_ = new QLabel;
    editor_ = new QPlainTextEdit;
    editor_->setPlaceholderText(tr("Message to send (Ctrl+Return sends)"));
    filePath_ = new QLineEdit;
    filePath_->setPlaceholderText(tr("file to send as one binary message"));
    fileButton_ = new QPushButton(icon(QStringLiteral("open")), tr("Choose…"));
    connect(fileButton_, &QPushButton::clicked, this, &Composer::chooseFile);
    repeat_ = new QCheckBox(tr("Repeat every"));
    interval_ = new QSpinBox;
    interval_->setRange(1, 3600000);
    interval_->setValue(1000);
    interval_->setSuffix(tr(" ms"));
    sendButton_ = new QPushButton(icon(QStringLiteral("send")), tr("Send"));
    sendButton_->setToolTip(tr("Send the message (Ctrl+Return)"));
    sendButton_->setDefault(true);
    connect(sendButton_, &QPushButton::clicked, this, [this] { repeating_ ? stopRepeating() : send(); });
    connect(repeat_, &QCheckBox::toggled, this, [this](bool on) {
        if (!on && repeating_) stopRepeating();
    });
    connect(mode_, &QComboBox::currentIndexChanged, this, &Composer::validate);
    connect(editor_, &QPlainTextEdit::textChanged, this, &Composer::validate);
    connect(filePath_, &QLineEdit::textChanged, this, &Composer::validate);

    auto* top = new QHBoxLayout;
    top->addWidget(mode_);
    top->addWidget(pretty_);
    top->addWidget(status_, 1);
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(filePath_, 1);
    fileRow->addWidget(fileButton_);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(repeat_);
    bottom->addWidget(interval_);
    bottom->addStretch();
    bottom->addWidget(sendButton_);
    auto* group = new QGroupBox(tr("Message"));
    auto* layout = new QVBoxLayout(group);
    layout->addLayout(top);
    layout->addWidget(editor_, 1);
    layout->addLayout(fileRow);
    layout->addLayout(bottom);
    return group;
}

QWidget* Composer::buildControlFrames() {
    pingPayload_ = new QLineEdit;
    pingPayload_->setPlaceholderText(tr("ping payload (≤ 125 bytes)"));
    auto* pingButton = new QPushButton(icon(QStringLiteral("ping")), tr("Ping"));
    pingButton->setToolTip(
        tr("Send a ping; the peer answers with a pong carrying the same payload (RFC 6455 §5.5.2)."));
    connect(pingButton, &QPushButton::clicked, this, &Composer::sendPing);
    closeCode_ = new QComboBox;
    closeCode_->setEditable(true);
    closeCode_->setMinimumContentsLength(14);
    for (int code : {1000, 1001, 1002, 1003, 1005, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014})
        closeCode_->addItem(QStringLiteral("%1 %2").arg(code).arg(
            QString::fromUtf8(closeCodeName(static_cast<uint16_t>(code)))));
    closeCode_->setToolTip(tr("A known code or any number; 1005 sends a close frame without a body."));
    closeReason_ = new QLineEdit;
    closeReason_->setPlaceholderText(tr("reason (up to 123 bytes of UTF-8)"));
    closeButton_ = new QPushButton(icon(QStringLiteral("close")), tr("Close"));
    closeButton_->setToolTip(tr("Start the closing handshake (RFC 6455 §5.5.1)."));
    connect(closeButton_, &QPushButton::clicked, this, &Composer::sendClose);
    closeStatus_ = new QLabel;
    closeStatus_->setWordWrap(true);
    connect(closeCode_, &QComboBox::currentTextChanged, this, &Composer::validateClose);
    connect(closeReason_, &QLineEdit::textChanged, this, &Composer::validateClose);

    // One compact row (the tools pane is short on a 1366x768 screen): ping, then close.
    auto* row = new QHBoxLayout;
    row->addWidget(pingPayload_, 2);
    row->addWidget(pingButton);
    row->addSpacing(12);
    row->addWidget(closeCode_);
    row->addWidget(closeReason_, 3);
    row->addWidget(closeButton_);
    auto* group = new QWidget;
    auto* layout = new QVBoxLayout(group);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(row);
    layout->addWidget(closeStatus_);
    return group;
}

QWidget* Composer::buildSidePanel() {
    historyList_ = new QListWidget;
    historyList_->setToolTip(tr("Double-click to put a sent message back in the editor."));
    connect(historyList_, &QListWidget::itemDoubleClicked, this,
            [this](QListWidgetItem* item) { restoreHistory(historyList_->row(item)); });
    savedList_ = new QListWidget;
    savedList_->setToolTip(tr("Double-click to load a saved message."));
    connect(savedList_, &QListWidget::itemDoubleClicked, this,
            [this](QListWidgetItem* item) { loadSavedMessage(item->text()); });
    saveName_ = new QLineEdit;
    saveName_->setPlaceholderText(tr("name"));
    auto* save = new QPushButton(icon(QStringLiteral("save")), tr("Save"));
    save->setToolTip(tr("Save the editor's message under this name."));
    connect(save, &QPushButton::clicked, this, [this] { saveMessage(saveName_->text()); });
    auto* remove = new QPushButton(tr("Delete"));
    connect(remove, &QPushButton::clicked, this, [this] {
        if (QListWidgetItem* item = savedList_->currentItem()) {
            saved_.remove(item->text());
            reloadSaved();
        }
    });
    auto* savedPage = new QWidget;
    auto* savedLayout = new QVBoxLayout(savedPage);
    auto* saveRow = new QHBoxLayout;
    saveRow->addWidget(saveName_, 1);
    saveRow->addWidget(save);
    saveRow->addWidget(remove);
    savedLayout->addWidget(savedList_, 1);
    savedLayout->addLayout(saveRow);
    auto* tabs = new QTabWidget;
    tabs->addTab(historyList_, tr("History"));
    tabs->addTab(savedPage, tr("Saved"));
    return tabs;
}

void Composer::setMode(Mode mode) {
    mode_->setCurrentIndex(static_cast<int>(mode));
}

Composer::Mode Composer::mode() const {
    return static_cast<Mode>(mode_->currentIndex());
}

void Composer::setMessageText(const QString& text) {
    editor_->setPlainText(text);
}

QString Composer::messageText() const {
    return editor_->toPlainText();
}

void Composer::setFilePath(const QString& path) {
    filePath_->setText(path);
}

bool Composer::payload(QByteArray& bytes, QString* problem) const {
    CrafterState state;
    state.payloadText = editor_->toPlainText();
    state.payloadFile = filePath_->text();
    switch (mode()) {
        case Mode::Text:
            bytes = state.payloadText.toUtf8();
            return true;
        case Mode::Json: {
            bytes = state.payloadText.toUtf8();
            QJsonParseError error{};
            QJsonDocument::fromJson(bytes, &error);
            if (error.error == QJsonParseError::NoError) return true;
            if (problem)
                *problem = tr("Invalid JSON: %1 at offset %2.").arg(error.errorString()).arg(error.offset);
            return false;
        }
        case Mode::Hex:
            state.payloadFormat = PayloadFormat::Hex;
            break;
        case Mode::Base64:
            state.payloadFormat = PayloadFormat::Base64;
            break;
        case Mode::File:
            state.payloadFormat = PayloadFormat::File;
            if (state.payloadFile.isEmpty()) {
                if (problem) *problem = tr("Choose a file.");
                return false;
            }
            break;
    }
    QString error;
    bytes = decodePayload(state, &error);
    if (problem) *problem = error;
    return error.isEmpty();
}

void Composer::validate() {
    const Mode current = mode();
    pretty_->setVisible(current == Mode::Json);
    editor_->setFont(current == Mode::Text ? font() : QFontDatabase::systemFont(QFontDatabase::FixedFont));
    const bool file = current == Mode::File;
    editor_->setVisible(!file);
    filePath_->setVisible(file);
    fileButton_->setVisible(file);
    QByteArray bytes;
    problem_.clear();
    const bool ok = payload(bytes, &problem_);
    if (ok && !file) {
        status_->setText(tr("%L1 bytes").arg(bytes.size()));
    } else {
        status_->setText(problem_);
    }
    status_->setStyleSheet(ok ? QString() : QStringLiteral("color: #d03030"));
    sendButton_->setEnabled(ok || repeating_);
}

bool Composer::prettyPrint() {
    QJsonParseError error{};
    QJsonDocument::fromJson(editor_->toPlainText().toUtf8(), &error);
    if (error.error != QJsonParseError::NoError) return false;
    editor_->setPlainText(reindentJson(editor_->toPlainText()));
    return true;
}

void Composer::send() {
    QByteArray bytes;
    if (repeating_ || !payload(bytes, nullptr)) return;
    const Mode current = mode();
    addHistory({current, current == Mode::File ? filePath_->text() : editor_->toPlainText()});
    if (repeat_->isChecked()) {
        repeating_ = true;
        sendButton_->setText(tr("Stop"));
        sendButton_->setIcon(icon(QStringLiteral("repeat")));
        emit startRepeat(isTextMode(current), bytes, interval_->value());
    } else if (isTextMode(current)) {
        emit sendText(editor_->toPlainText());
    } else {
        emit sendBinary(bytes);
    }
}

void Composer::stopRepeating() {
    if (!repeating_) return;
    repeating_ = false;
    sendButton_->setText(tr("Send"));
    sendButton_->setIcon(icon(QStringLiteral("send")));
    emit stopRepeat();
    validate();
}

void Composer::setRepeatInterval(int ms) {
    interval_->setValue(ms);
}

void Composer::setRepeatEnabled(bool enabled) {
    repeat_->setChecked(enabled);
}

void Composer::sendPing() {
    emit pingRequested(pingPayload_->text().toUtf8());
}

int Composer::closeCode() const {
    static const QRegularExpression number(QStringLiteral("^\\s*(\\d{1,5})"));
    const QRegularExpressionMatch match = number.match(closeCode_->currentText());
    if (!match.hasMatch()) return -1;
    const int code = match.captured(1).toInt();
    return code <= 0xFFFF ? code : -1;
}

void Composer::validateClose() {
    const int code = closeCode();
    QString problem;
    if (code < 0) {
        problem = tr("Enter a close code (a number from 0 to 65535).");
    } else if (code != close_code::kNoStatus && !isValidWireCloseCode(static_cast<uint16_t>(code))) {
        problem = tr("%1 (%2) may not be sent (RFC 6455 §7.4); use the frame crafter to send it anyway.")
                      .arg(code)
                      .arg(QString::fromUtf8(closeCodeName(static_cast<uint16_t>(code))));
    } else if (closeReason_->text().toUtf8().size() > 123) {
        problem = tr("The reason is longer than 123 bytes (RFC 6455 §5.5.1).");
    } else if (code == close_code::kNoStatus && !closeReason_->text().isEmpty()) {
        problem = tr("A close frame without a code cannot carry a reason (RFC 6455 §5.5.1).");
    }
    closeStatus_->setText(problem);
    closeStatus_->setVisible(!problem.isEmpty());
    closeButton_->setEnabled(problem.isEmpty());
}

void Composer::sendClose() {
    if (!closeButton_->isEnabled()) return;
    emit closeRequested(static_cast<quint16>(closeCode()), closeReason_->text());
}

void Composer::addHistory(const Entry& entry) {
    history_.prepend(entry);
    while (history_.size() > historyLimit_)
        history_.removeLast();
    historyList_->clear();
    for (const Entry& e : history_)
        historyList_->addItem(QStringLiteral("[%1] %2").arg(modeLabel(e.mode), oneLine(e.content)));
}

QStringList Composer::history() const {
    QStringList contents;
    for (const Entry& entry : history_)
        contents << entry.content;
    return contents;
}

void Composer::setHistoryLimit(int limit) {
    historyLimit_ = qMax(1, limit);
    while (history_.size() > historyLimit_)
        history_.removeLast();
}

void Composer::restoreHistory(int row) {
    if (row >= 0 && row < history_.size()) applyEntry(history_[row]);
}

void Composer::applyEntry(const Entry& entry) {
    setMode(entry.mode);
    if (entry.mode == Mode::File) {
        filePath_->setText(entry.content);
    } else {
        editor_->setPlainText(entry.content);
    }
}

void Composer::setSavedMessagesFile(const QString& path) {
    saved_.setPath(path);
    reloadSaved();
}

bool Composer::saveMessage(const QString& name) {
    if (name.trimmed().isEmpty()) return false;
    const Mode current = mode();
    const QJsonObject value{
        {QStringLiteral("mode"), QLatin1String(kModeNames[static_cast<int>(current)])},
        {QStringLiteral("content"), current == Mode::File ? filePath_->text() : editor_->toPlainText()},
    };
    const bool ok = saved_.insert(name.trimmed(), value);
    reloadSaved();
    return ok;
}

bool Composer::loadSavedMessage(const QString& name) {
    if (!saved_.contains(name)) return false;
    const QJsonObject value = saved_.value(name);
    Entry entry;
    const QString modeName = value.value(QStringLiteral("mode")).toString();
    for (int i = 0; i < 5; ++i) {
        if (modeName == QLatin1String(kModeNames[i])) entry.mode = static_cast<Mode>(i);
    }
    entry.content = value.value(QStringLiteral("content")).toString();
    applyEntry(entry);
    return true;
}

void Composer::reloadSaved() {
    savedList_->clear();
    savedList_->addItems(saved_.names());
}

void Composer::chooseFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("File to Send"), filePath_->text());
    if (!path.isEmpty()) filePath_->setText(path);
}

}  // namespace framescope::ui
