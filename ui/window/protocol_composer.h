// Composes messages in an application protocol's terms: a Socket.IO emit (event and JSON arguments), a STOMP
// SEND (destination, headers, body), an MQTT PUBLISH (topic, QoS, payload) or a GraphQL subscribe, encoded by
// the decoders' own encoders (app/decode/message_builder.h), with the bytes it will send shown below. The
// widget only emits signals; the window sends, or loads the bytes into the crafter to break them on purpose.
#pragma once

#include <QByteArray>
#include <QWidget>

#include "decode/message_builder.h"

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace framescope::ui {

class ProtocolComposer : public QWidget {
    Q_OBJECT

public:
    explicit ProtocolComposer(QWidget* parent = nullptr);

    void setForm(const app::MessageForm& form);
    app::MessageForm form() const;
    const app::BuiltMessage& built() const { return built_; }
    QString preview() const;  // the bytes it will send, as shown
    QString error() const;    // why the form cannot be encoded, or empty

public slots:
    void send();
    void editInCrafter();  // the first message's bytes

signals:
    void sendText(const QString& text);
    void sendBinary(const QByteArray& data);
    void crafterRequested(bool binary, const QByteArray& bytes);

private:
    QWidget* buildSocketIo();
    QWidget* buildStomp();
    QWidget* buildMqtt();
    QWidget* buildGraphql();
    QLineEdit* line(QFormLayout* form, const QString& label, const QString& placeholder = {});
    QPlainTextEdit* text(QFormLayout* form, const QString& label, const QString& placeholder = {});
    void rebuild();

    app::BuiltMessage built_;
    bool loading_ = false;
    QComboBox* kind_ = nullptr;
    QStackedWidget* pages_ = nullptr;
    QLineEdit* nsp_ = nullptr;
    QLineEdit* event_ = nullptr;
    QPlainTextEdit* args_ = nullptr;
    QLineEdit* ackId_ = nullptr;
    QLineEdit* destination_ = nullptr;
    QPlainTextEdit* headers_ = nullptr;
    QPlainTextEdit* body_ = nullptr;
    QLineEdit* topic_ = nullptr;
    QSpinBox* qos_ = nullptr;
    QSpinBox* packetId_ = nullptr;
    QCheckBox* retain_ = nullptr;
    QComboBox* level_ = nullptr;
    QPlainTextEdit* payload_ = nullptr;
    QComboBox* graphqlProtocol_ = nullptr;
    QLineEdit* operationId_ = nullptr;
    QPlainTextEdit* query_ = nullptr;
    QPlainTextEdit* variables_ = nullptr;
    QLineEdit* operationName_ = nullptr;
    QPlainTextEdit* preview_ = nullptr;
    QLabel* error_ = nullptr;
    QPushButton* send_ = nullptr;
    QPushButton* crafter_ = nullptr;
};

}  // namespace framescope::ui
