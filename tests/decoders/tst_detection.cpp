// Choosing a decoder: from the subprotocol, the URL, the first messages; forcing and turning off.
#include <QTest>

#include "framescope/decoders/decoder.h"
#include "framescope/decoders/mqtt.h"
#include "generators.h"

using namespace framescope::decoders;
using namespace framescope::decoders::testing;

Q_DECLARE_METATYPE(framescope::decoders::Protocol)

class TestDetection : public QObject {
    Q_OBJECT
private slots:
    void handshake_data() {
        QTest::addColumn<QString>("subprotocol");
        QTest::addColumn<QString>("url");
        QTest::addColumn<Protocol>("expected");
        QTest::newRow("mqtt") << "mqtt"
                              << "ws://h/mqtt" << Protocol::Mqtt;
        QTest::newRow("stomp") << "v12.stomp"
                               << "ws://h/ws" << Protocol::Stomp;
        QTest::newRow("graphql-ws") << "graphql-transport-ws"
                                    << "ws://h/graphql" << Protocol::GraphqlTransportWs;
        QTest::newRow("apollo") << "graphql-ws"
                                << "ws://h/graphql" << Protocol::SubscriptionsTransportWs;
        QTest::newRow("socket.io") << ""
                                   << "ws://h/socket.io/?EIO=4&transport=websocket" << Protocol::SocketIo;
        QTest::newRow("phoenix") << ""
                                 << "ws://h/socket/websocket?vsn=2.0.0" << Protocol::Phoenix;
        QTest::newRow("nothing") << "chat"
                                 << "ws://h/" << Protocol::None;
    }
    void handshake() {
        QFETCH(QString, subprotocol);
        QFETCH(QString, url);
        QFETCH(Protocol, expected);
        QCOMPARE(detectFromHandshake(subprotocol.toStdString(), url.toStdString()), expected);
    }
    void firstMessage_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("binary");
        QTest::addColumn<Protocol>("expected");
        QTest::newRow("mqtt connect")
            << QByteArray("\x10\x0c\x00\x04MQTT\x04\x02\x00\x3c\x00\x00", 14) << true << Protocol::Mqtt;
        QTest::newRow("stomp") << QByteArray("CONNECT\naccept-version:1.2\n\n\0", 30) << false
                               << Protocol::Stomp;
        QTest::newRow("engine.io open")
            << QByteArray("0{\"sid\":\"x\",\"upgrades\":[]}") << false << Protocol::SocketIo;
        QTest::newRow("signalr json")
            << QByteArray("{\"protocol\":\"json\",\"version\":1}\x1e") << false << Protocol::SignalRJson;
        QTest::newRow("signalr msgpack") << QByteArray("{\"protocol\":\"messagepack\",\"version\":1}\x1e")
                                         << false << Protocol::SignalRMessagePack;
        QTest::newRow("json-rpc") << QByteArray("{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"id\":1}") << false
                                  << Protocol::JsonRpc;
        QTest::newRow("json-rpc batch")
            << QByteArray("[{\"jsonrpc\":\"2.0\",\"method\":\"a\"}]") << false << Protocol::JsonRpc;
        QTest::newRow("graphql") << QByteArray("{\"type\":\"connection_init\"}") << false
                                 << Protocol::GraphqlTransportWs;
        QTest::newRow("apollo") << QByteArray("{\"type\":\"start\",\"id\":\"1\",\"payload\":{}}") << false
                                << Protocol::SubscriptionsTransportWs;
        QTest::newRow("phoenix v2") << QByteArray("[\"1\",\"1\",\"room:lobby\",\"phx_join\",{}]") << false
                                    << Protocol::Phoenix;
        QTest::newRow("phoenix v1")
            << QByteArray("{\"topic\":\"t\",\"event\":\"phx_join\",\"payload\":{},\"ref\":\"1\"}") << false
            << Protocol::Phoenix;
        QTest::newRow("plain text") << QByteArray("hello") << false << Protocol::None;
        QTest::newRow("plain json") << QByteArray("{\"a\":1}") << false << Protocol::None;
    }
    void firstMessage() {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, binary);
        QFETCH(Protocol, expected);
        const Message m{Sender::Client, binary,
                        asBytes(std::string_view(bytes.data(), size_t(bytes.size())))};
        QCOMPARE(detectFromMessage(m), expected);
    }
    void connectionDecoder() {
        // Detected from the second message, then it sticks.
        ConnectionDecoder auto_({}, "ws://h/");
        QCOMPARE(auto_.decode(textMessage("hello")).protocol, Protocol::None);
        const Decoded d = auto_.decode(textMessage("CONNECT\nhost:h\n\n\0"));
        QCOMPARE(d.protocol, Protocol::Stomp);
        QCOMPARE(auto_.protocol(), Protocol::Stomp);
        // Forced off, nothing decodes; forced on, the override wins over the handshake.
        ConnectionDecoder forced("mqtt", "ws://h/");
        QCOMPARE(forced.protocol(), Protocol::Mqtt);
        forced.force(Protocol::None);
        QCOMPARE(forced.decode(binaryMessage(std::string("\xc0\x00", 2))).protocol, Protocol::None);
        forced.force(Protocol::JsonRpc);
        QCOMPARE(forced.decode(textMessage("{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":1}")).summary,
                 std::string("result #1: 1"));
        forced.automatic();
        QCOMPARE(forced.protocol(), Protocol::Mqtt);
        // Gives up after kDetectMessages undecidable messages.
        ConnectionDecoder never;
        for (int i = 0; i < ConnectionDecoder::kDetectMessages; ++i)
            never.decode(textMessage("x"));
        QCOMPARE(never.decode(textMessage("{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":1}")).protocol,
                 Protocol::None);
    }
    void decodedAsJson() {
        ConnectionDecoder decoder("", "");
        const Decoded d =
            decoder.decode(textMessage("{\"jsonrpc\":\"2.0\",\"method\":\"add\",\"params\":[1],\"id\":7}"));
        const auto json = parseJson(toJson(d));
        QVERIFY(json);
        QCOMPARE(json->find("protocol")->bytes, std::string("json-rpc"));
        QCOMPARE(json->find("summary")->bytes, std::string("call add #7 (1 param)"));
        QCOMPARE(json->find("pairs")->items.at(0).find("key")->bytes, std::string("id:7"));
        QCOMPARE(json->find("fields")->items.at(0).find("value")->bytes, std::string("add"));
        const Value* tree = json->find("tree");
        QCOMPARE(tree->find("name")->bytes, std::string("request"));
        QVERIFY(tree->find("children")->items.size() >= 4);
    }
    void splitMqttConnect() {
        // mqtt.js writes CONNECT a few bytes per message: detection joins them, and the decoder gets them
        // all.
        mqtt::Packet connect;
        connect.type = mqtt::Type::Connect;
        connect.protocolLevel = 5;
        connect.clientId = "split";
        const std::string bytes = mqtt::encode(connect, 5);
        ConnectionDecoder decoder;
        QCOMPARE(decoder.decode(binaryMessage(bytes.substr(0, 1))).protocol, Protocol::None);
        QCOMPARE(decoder.decode(binaryMessage(bytes.substr(1, 1))).protocol, Protocol::None);
        const Decoded d = decoder.decode(binaryMessage(bytes.substr(2)));
        QCOMPARE(d.protocol, Protocol::Mqtt);
        QCOMPARE(QString::fromStdString(d.summary), QString("CONNECT split v5"));
        QVERIFY(!d.pending);
    }
    void names() {
        for (uint8_t i = 0; i <= uint8_t(Protocol::Phoenix); ++i) {
            Protocol back = Protocol::None;
            QVERIFY(protocolFromName(protocolName(Protocol(i)), back));
            QCOMPARE(back, Protocol(i));
        }
        Protocol unused;
        QVERIFY(!protocolFromName("wamp", unused));
    }
};

QTEST_MAIN(TestDetection)
#include "tst_detection.moc"
