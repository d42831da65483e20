// Messages built from their application-protocol form: each kind read back by the real decoder gives the
// summary and fields the form asked for; a form that cannot be encoded gives one sentence and no bytes.
#include <QTest>

#include "decode/message_builder.h"
#include "framescope/decoders/decoder.h"

using namespace framescope;
using namespace framescope::app;

namespace {

// Decodes the built messages with a decoder of `protocol` (the last message's reading).
decoders::Decoded readBack(const BuiltMessage& built, decoders::Protocol protocol) {
    decoders::ConnectionDecoder decoder;
    decoder.force(protocol);
    decoders::Decoded last;
    for (const BuiltFrame& message : built.messages)
        last = decoder.decode({decoders::Sender::Client, message.binary, decoders::asBytes(message.bytes)});
    return last;
}

std::string field(const decoders::Decoded& decoded, std::string_view name) {
    for (const decoders::Field& f : decoded.fields)
        if (f.name == name) return f.value;
    return {};
}

}  // namespace

class TestMessageBuilder : public QObject {
    Q_OBJECT

private slots:
    void socketIoEmit() {
        MessageForm form;
        form.event = "chat";
        form.args = R"([{"text":"hi"},2])";
        form.ackId = "3";
        const BuiltMessage built = buildMessage(form);
        QVERIFY(built.error.empty());
        QCOMPARE(built.messages.size(), size_t(1));
        QCOMPARE(built.messages[0].bytes, std::string(R"(423["chat",{"text":"hi"},2])"));
        const decoders::Decoded d = readBack(built, decoders::Protocol::SocketIo);
        QCOMPARE(field(d, "event"), std::string("chat"));
        QVERIFY(!d.error);
        form.args = "42";  // one argument that is not an array
        form.ackId.clear();
        form.nsp = "/admin";
        QCOMPARE(buildMessage(form).messages[0].bytes, std::string(R"(42/admin,["chat",42])"));
    }

    void stompSend() {
        MessageForm form;
        form.kind = MessageForm::Kind::StompSend;
        form.destination = "/topic/prices";
        form.headers = "content-type:application/json\nreceipt:r-1\n";
        form.body = R"({"price":42})";
        const BuiltMessage built = buildMessage(form);
        QVERIFY(built.error.empty());
        QVERIFY(!built.messages[0].binary);
        QCOMPARE(built.messages[0].bytes.back(), '\0');  // STOMP 1.2: frames end with NUL
        const decoders::Decoded d = readBack(built, decoders::Protocol::Stomp);
        QCOMPARE(field(d, "destination"), std::string("/topic/prices"));
        QCOMPARE(d.pairs.size(), size_t(1));
        QCOMPARE(d.pairs[0].key, std::string("receipt:r-1"));
        form.headers = "no colon here";
        QVERIFY(buildMessage(form).messages.empty());
        QVERIFY(!buildMessage(form).error.empty());
    }

    void mqttPublish_data() {
        QTest::addColumn<int>("level");
        QTest::newRow("3.1.1") << 4;
        QTest::newRow("5.0") << 5;
    }
    void mqttPublish() {
        QFETCH(int, level);
        MessageForm form;
        form.kind = MessageForm::Kind::MqttPublish;
        form.topic = "sensors/1";
        form.qos = 1;
        form.packetId = 17;
        form.payload = "21.5";
        form.level = level;
        const BuiltMessage built = buildMessage(form);
        QVERIFY(built.error.empty());
        QVERIFY(built.messages[0].binary);
        const decoders::Decoded d = readBack(built, decoders::Protocol::Mqtt);
        QVERIFY2(!d.error, d.summary.c_str());
        QVERIFY2(d.summary.starts_with("PUBLISH sensors/1 qos1 #17"), d.summary.c_str());
        form.qos = 3;
        QVERIFY(!buildMessage(form).error.empty());
    }

    void graphqlSubscribe_data() {
        QTest::addColumn<bool>("legacy");
        QTest::newRow("graphql-transport-ws") << false;
        QTest::newRow("subscriptions-transport-ws") << true;
    }
    void graphqlSubscribe() {
        QFETCH(bool, legacy);
        MessageForm form;
        form.kind = MessageForm::Kind::GraphqlSubscribe;
        form.legacy = legacy;
        form.id = "7";
        form.query = "subscription OnPrice { prices { price } }";
        form.variables = R"({"symbol":"ACME"})";
        const BuiltMessage built = buildMessage(form);
        QVERIFY(built.error.empty());
        const decoders::Decoded d = readBack(built, legacy ? decoders::Protocol::SubscriptionsTransportWs
                                                           : decoders::Protocol::GraphqlTransportWs);
        QVERIFY2(!d.error, d.summary.c_str());
        QCOMPARE(field(d, "operation"), std::string("subscription OnPrice"));
        QCOMPARE(d.pairs[0].key, std::string("op:7"));
        form.variables = "[1]";
        QCOMPARE(buildMessage(form).error, std::string("The variables must be a JSON object."));
        form.variables = "{";
        QVERIFY(buildMessage(form).error.starts_with("The variables are not JSON"));
    }

    void missingNamesAreOneSentence() {
        MessageForm form;
        QCOMPARE(buildMessage(form).error, std::string("A Socket.IO emit needs an event name."));
        form.event = "x";
        form.ackId = "7a";
        QCOMPARE(buildMessage(form).error, std::string("The ack id must be a whole number."));
    }
};

QTEST_MAIN(TestMessageBuilder)
#include "tst_message_builder.moc"
