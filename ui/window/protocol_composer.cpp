#include "window/protocol_composer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace framescope::ui {

namespace {

constexpr int kBytesPerLine = 16;

std::string utf8(const QString& text) {
    return text.toStdString();
}

// "0000  53 45 4e 44 0a ...  SEND." lines.
QString hexDump(const std::string& bytes) {
    QStringList lines;
    for (size_t at = 0; at < bytes.size(); at += kBytesPerLine) {
        QString hex;
        QString ascii;
        for (size_t i = at; i < std::min(bytes.size(), at + kBytesPerLine); ++i) {
            const auto byte = static_cast<unsigned char>(bytes[i]);
            hex += QStringLiteral("%1 ").arg(byte, 2, 16, QLatin1Char('0'));
            ascii += byte >= 0x20 && byte < 0x7F ? QChar(byte) : QChar('.');
        }
        lines << QStringLiteral("%1  %2 %3")
                     .arg(at, 4, 16, QLatin1Char('0'))
                     .arg(hex, -kBytesPerLine * 3)
                     .arg(ascii);
    }
    return lines.join(QLatin1Char('\n'));
}

QPlainTextEdit* smallEditor(const QString& placeholder) {
    auto* edit = new QPlainTextEdit;
    edit->setPlaceholderText(placeholder);
    edit->setTabChangesFocus(true);
    edit->setMaximumHeight(edit->fontMetrics().height() * 4 + 12);
    return edit;
}

}  // namespace

ProtocolComposer::ProtocolComposer(QWidget* parent) : QWidget(parent) {
    kind_ = new QComboBox;
    kind_->addItem(tr("Socket.IO emit"), int(app::MessageForm::Kind::SocketIoEmit));
    kind_->addItem(tr("STOMP SEND"), int(app::MessageForm::Kind::StompSend));
    kind_->addItem(tr("MQTT PUBLISH"), int(app::MessageForm::Kind::MqttPublish));
    kind_->addItem(tr("GraphQL subscribe"), int(app::MessageForm::Kind::GraphqlSubscribe));
    pages_ = new QStackedWidget;
    pages_->addWidget(buildSocketIo());
    pages_->addWidget(buildStomp());
    pages_->addWidget(buildMqtt());
    pages_->addWidget(buildGraphql());
    preview_ = new QPlainTextEdit;
    preview_->setReadOnly(true);
    preview_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    preview_->setLineWrapMode(QPlainTextEdit::NoWrap);
    preview_->setMinimumHeight(preview_->fontMetrics().height() * 5);
    error_ = new QLabel;
    error_->setStyleSheet(QStringLiteral("color: #d32f2f;"));
    error_->setWordWrap(true);
    send_ = new QPushButton(tr("Send"));
    send_->setToolTip(tr("Send the message(s) shown below"));
    crafter_ = new QPushButton(tr("Edit in crafter"));
    crafter_->setToolTip(tr("Load these bytes into the frame crafter, to send them broken on purpose"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(error_, 1);
    buttons->addWidget(crafter_);
    buttons->addWidget(send_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(kind_);
    layout->addWidget(pages_);
    layout->addWidget(new QLabel(tr("Bytes it will send:")));
    layout->addWidget(preview_, 1);
    layout->addLayout(buttons);
    connect(kind_, &QComboBox::currentIndexChanged, pages_, &QStackedWidget::setCurrentIndex);
    connect(kind_, &QComboBox::currentIndexChanged, this, &ProtocolComposer::rebuild);
    connect(send_, &QPushButton::clicked, this, &ProtocolComposer::send);
    connect(crafter_, &QPushButton::clicked, this, &ProtocolComposer::editInCrafter);
    rebuild();
}

QLineEdit* ProtocolComposer::line(QFormLayout* form, const QString& label, const QString& placeholder) {
    auto* edit = new QLineEdit;
    edit->setPlaceholderText(placeholder);
    form->addRow(label, edit);
    connect(edit, &QLineEdit::textChanged, this, &ProtocolComposer::rebuild);
    return edit;
}

QPlainTextEdit* ProtocolComposer::text(QFormLayout* form, const QString& label, const QString& placeholder) {
    QPlainTextEdit* edit = smallEditor(placeholder);
    form->addRow(label, edit);
    connect(edit, &QPlainTextEdit::textChanged, this, &ProtocolComposer::rebuild);
    return edit;
}

QWidget* ProtocolComposer::buildSocketIo() {
    auto* page = new QWidget;
    auto* form = new QFormLayout(page);
    nsp_ = line(form, tr("Namespace"), QStringLiteral("/"));
    event_ = line(form, tr("Event"), QStringLiteral("chat"));
    args_ = text(form, tr("Arguments (JSON)"), QStringLiteral(R"([{"text": "hello"}, 2])"));
    ackId_ = line(form, tr("Ack id"), tr("none"));
    return page;
}

QWidget* ProtocolComposer::buildStomp() {
    auto* page = new QWidget;
    auto* form = new QFormLayout(page);
    destination_ = line(form, tr("Destination"), QStringLiteral("/topic/prices"));
    headers_ = text(form, tr("Headers"), QStringLiteral("content-type:application/json\nreceipt:r-1"));
    body_ = text(form, tr("Body"), QStringLiteral(R"({"price": 42})"));
    return page;
}

QWidget* ProtocolComposer::buildMqtt() {
    auto* page = new QWidget;
    auto* form = new QFormLayout(page);
    topic_ = line(form, tr("Topic"), QStringLiteral("sensors/1"));
    qos_ = new QSpinBox;
    qos_->setRange(0, 2);
    form->addRow(tr("QoS"), qos_);
    packetId_ = new QSpinBox;
    packetId_->setRange(1, 65535);
    form->addRow(tr("Packet id"), packetId_);
    retain_ = new QCheckBox(tr("Retain"));
    form->addRow(QString(), retain_);
    level_ = new QComboBox;
    level_->addItem(QStringLiteral("3.1.1"), 4);
    level_->addItem(QStringLiteral("5.0"), 5);
    form->addRow(tr("Protocol"), level_);
    payload_ = text(form, tr("Payload"), QStringLiteral("21.5"));
    connect(qos_, &QSpinBox::valueChanged, this, &ProtocolComposer::rebuild);
    connect(packetId_, &QSpinBox::valueChanged, this, &ProtocolComposer::rebuild);
    connect(retain_, &QCheckBox::toggled, this, &ProtocolComposer::rebuild);
    connect(level_, &QComboBox::currentIndexChanged, this, &ProtocolComposer::rebuild);
    return page;
}

QWidget* ProtocolComposer::buildGraphql() {
    auto* page = new QWidget;
    auto* form = new QFormLayout(page);
    graphqlProtocol_ = new QComboBox;
    graphqlProtocol_->addItem(QStringLiteral("graphql-transport-ws"), false);
    graphqlProtocol_->addItem(QStringLiteral("subscriptions-transport-ws"), true);
    form->addRow(tr("Protocol"), graphqlProtocol_);
    operationId_ = line(form, tr("Id"), QStringLiteral("1"));
    query_ = text(form, tr("Query"), QStringLiteral("subscription { prices { symbol price } }"));
    variables_ = text(form, tr("Variables (JSON)"), QStringLiteral(R"({"symbol": "ACME"})"));
    operationName_ = line(form, tr("Operation name"));
    connect(graphqlProtocol_, &QComboBox::currentIndexChanged, this, &ProtocolComposer::rebuild);
    return page;
}

app::MessageForm ProtocolComposer::form() const {
    app::MessageForm f;
    f.kind = static_cast<app::MessageForm::Kind>(kind_->currentData().toInt());
    f.nsp = nsp_->text().isEmpty() ? std::string("/") : utf8(nsp_->text());
    f.event = utf8(event_->text());
    f.args = utf8(args_->toPlainText().trimmed());
    f.ackId = utf8(ackId_->text().trimmed());
    f.destination = utf8(destination_->text());
    f.headers = utf8(headers_->toPlainText());
    f.body = utf8(body_->toPlainText());
    f.topic = utf8(topic_->text());
    f.qos = qos_->value();
    f.packetId = static_cast<uint16_t>(packetId_->value());
    f.retain = retain_->isChecked();
    f.level = level_->currentData().toInt();
    f.payload = utf8(payload_->toPlainText());
    f.legacy = graphqlProtocol_->currentData().toBool();
    f.id = utf8(operationId_->text().trimmed());
    f.query = utf8(query_->toPlainText());
    f.variables = utf8(variables_->toPlainText().trimmed());
    f.operationName = utf8(operationName_->text().trimmed());
    return f;
}

void ProtocolComposer::setForm(const app::MessageForm& f) {
    loading_ = true;
    auto q = [](const std::string& s) { return QString::fromStdString(s); };
    kind_->setCurrentIndex(kind_->findData(int(f.kind)));
    nsp_->setText(q(f.nsp));
    event_->setText(q(f.event));
    args_->setPlainText(q(f.args));
    ackId_->setText(q(f.ackId));
    destination_->setText(q(f.destination));
    headers_->setPlainText(q(f.headers));
    body_->setPlainText(q(f.body));
    topic_->setText(q(f.topic));
    qos_->setValue(f.qos);
    packetId_->setValue(f.packetId);
    retain_->setChecked(f.retain);
    level_->setCurrentIndex(level_->findData(f.level));
    payload_->setPlainText(q(f.payload));
    graphqlProtocol_->setCurrentIndex(graphqlProtocol_->findData(f.legacy));
    operationId_->setText(q(f.id));
    query_->setPlainText(q(f.query));
    variables_->setPlainText(q(f.variables));
    operationName_->setText(q(f.operationName));
    loading_ = false;
    rebuild();
}

void ProtocolComposer::rebuild() {
    if (loading_) return;
    built_ = app::buildMessage(form());
    error_->setText(QString::fromStdString(built_.error));
    send_->setEnabled(built_.error.empty());
    crafter_->setEnabled(built_.error.empty());
    QStringList parts;
    for (const app::BuiltFrame& message : built_.messages) {
        parts << (message.binary ? tr("binary message, %1 bytes") : tr("text message, %1 bytes"))
                     .arg(message.bytes.size());
        parts << hexDump(message.bytes);
    }
    preview_->setPlainText(parts.join(QLatin1Char('\n')));
}

QString ProtocolComposer::preview() const {
    return preview_->toPlainText();
}

QString ProtocolComposer::error() const {
    return error_->text();
}

void ProtocolComposer::send() {
    for (const app::BuiltFrame& message : built_.messages) {
        const QByteArray bytes(message.bytes.data(), static_cast<qsizetype>(message.bytes.size()));
        if (message.binary) {
            emit sendBinary(bytes);
        } else {
            emit sendText(QString::fromUtf8(bytes));
        }
    }
}

void ProtocolComposer::editInCrafter() {
    if (built_.messages.empty()) return;
    const app::BuiltFrame& first = built_.messages.front();
    emit crafterRequested(first.binary,
                          QByteArray(first.bytes.data(), static_cast<qsizetype>(first.bytes.size())));
}

}  // namespace framescope::ui
