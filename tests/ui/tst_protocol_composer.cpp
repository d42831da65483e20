// The "Compose as…" tool: a form per application protocol, the bytes it will send shown as they change,
// one sentence (and no Send) when the form cannot be encoded, and Send / Edit in crafter emitting the bytes.
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include "window/protocol_composer.h"

using namespace framescope;
using namespace framescope::ui;

namespace {

QPushButton* button(ProtocolComposer& composer, const QString& text) {
    for (QPushButton* b : composer.findChildren<QPushButton*>())
        if (b->text() == text) return b;
    return nullptr;
}

}  // namespace

class TestProtocolComposer : public QObject {
    Q_OBJECT

private slots:
    void socketIoEmitSendsText() {
        ProtocolComposer composer;
        app::MessageForm form;
        form.event = "chat";
        form.args = R"(["hi"])";
        composer.setForm(form);
        QVERIFY(composer.error().isEmpty());
        QVERIFY(composer.preview().startsWith("text message, 15 bytes"));
        QVERIFY(composer.preview().contains("34 32 5b 22 63 68 61 74 22"));  // 42["chat"
        QSignalSpy text(&composer, &ProtocolComposer::sendText);
        QTest::mouseClick(button(composer, "Send"), Qt::LeftButton);
        QCOMPARE(text.size(), 1);
        QCOMPARE(text.at(0).at(0).toString(), QString(R"(42["chat","hi"])"));
    }

    void mqttPublishSendsBinaryAndReachesTheCrafter() {
        ProtocolComposer composer;
        app::MessageForm form;
        form.kind = app::MessageForm::Kind::MqttPublish;
        form.topic = "sensors/1";
        form.qos = 1;
        form.packetId = 17;
        form.payload = "21.5";
        composer.setForm(form);
        QCOMPARE(composer.form().topic, std::string("sensors/1"));
        QCOMPARE(composer.form().packetId, uint16_t(17));
        QVERIFY(composer.preview().startsWith("binary message, 19 bytes"));
        QSignalSpy binary(&composer, &ProtocolComposer::sendBinary);
        composer.send();
        QCOMPARE(binary.size(), 1);
        QCOMPARE(binary.at(0).at(0).toByteArray().toHex(' '),
                 QByteArray("32 11 00 09 73 65 6e 73 6f 72 73 2f 31 00 11 32 31 2e 35"));
        QSignalSpy crafter(&composer, &ProtocolComposer::crafterRequested);
        QTest::mouseClick(button(composer, "Edit in crafter"), Qt::LeftButton);
        QCOMPARE(crafter.size(), 1);
        QVERIFY(crafter.at(0).at(0).toBool());
    }

    void badFormIsOneSentenceAndNoSend() {
        ProtocolComposer composer;
        app::MessageForm form;
        form.kind = app::MessageForm::Kind::GraphqlSubscribe;
        form.query = "subscription { x }";
        form.variables = "[1]";
        composer.setForm(form);
        QCOMPARE(composer.error(), QString("The variables must be a JSON object."));
        QVERIFY(!button(composer, "Send")->isEnabled());
        QVERIFY(composer.preview().isEmpty());
    }
};

QTEST_MAIN(TestProtocolComposer)
#include "tst_protocol_composer.moc"
