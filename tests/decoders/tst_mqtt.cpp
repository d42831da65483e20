// MQTT 3.1.1 and 5.0: every packet type generated for both levels round-trips through encode and parse, and
// through the per-connection decoder with packets split across and packed into messages at random points;
// summaries and packet-id pairing; malformed packets are one error.
#include <QTest>

#include "framescope/decoders/mqtt.h"
#include "generators.h"

using namespace framescope::decoders;
using namespace framescope::decoders::testing;
using mqtt::Packet;
using mqtt::Type;

namespace {

constexpr uint8_t kPropertyIds[] = {1,  2,  3,  8,  9,  11, 17, 18, 19, 21, 22, 23, 24, 25,
                                    26, 28, 31, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42};

std::vector<mqtt::Property> properties(Gen& gen, uint8_t level) {
    std::vector<mqtt::Property> out;
    if (level != 5) return out;
    for (uint32_t i = gen.below(4); i > 0; --i) {
        mqtt::Property p;
        p.id = kPropertyIds[gen.below(std::size(kPropertyIds))];
        switch (p.id) {
            case 1:
            case 23:
            case 25:
            case 36:
            case 37:
            case 40:
            case 41:
            case 42:
                p.number = gen.below(256);
                break;
            case 19:
            case 33:
            case 34:
            case 35:
                p.number = gen.below(65536);
                break;
            case 2:
            case 17:
            case 24:
            case 39:
                p.number = gen.below(UINT32_MAX);
                break;
            case 11:
                p.number = 1 + gen.below(268435455);
                break;
            case 9:
            case 22:
                p.text = gen.bytes(20);
                break;
            case 38:
                p.text = gen.text(8), p.value = gen.text(8);
                break;
            default:
                p.text = gen.text(12);
                break;
        }
        out.push_back(std::move(p));
    }
    return out;
}

void generateConnect(Gen& gen, uint8_t level, Packet& p) {
    p.protocolLevel = level;
    p.connectFlags = uint8_t(gen.below(2) << 1);
    if (gen.chance(40)) p.connectFlags |= uint8_t(0x04 | (gen.below(3) << 3) | (gen.below(2) << 5));
    if (gen.chance(50)) p.connectFlags |= 0x80;
    if (gen.chance(50)) p.connectFlags |= 0x40;
    p.keepAlive = uint16_t(gen.below(65536));
    p.clientId = gen.text(10);
    p.properties = properties(gen, level);
    if (p.connectFlags & 0x04) {
        p.willProperties = properties(gen, level);
        p.willTopic = gen.text(10);
        p.willPayload = gen.bytes(20);
    }
    if (p.connectFlags & 0x80) p.username = gen.text(8);
    if (p.connectFlags & 0x40) p.password = gen.bytes(8);
}

Packet generate(Gen& gen, uint8_t level) {
    Packet p;
    p.type = Type(1 + gen.below(level == 5 ? 15 : 14));
    const bool v5 = level == 5;
    switch (p.type) {
        case Type::Connect:
            generateConnect(gen, level, p);
            break;
        case Type::Connack:
            p.ackFlags = uint8_t(gen.below(2));
            p.reasonCode = uint8_t(gen.chance(50) ? 0 : gen.below(256));
            p.properties = properties(gen, level);
            break;
        case Type::Publish:
            p.flags = uint8_t(gen.below(3) << 1 | gen.below(2) | gen.below(2) << 3);
            p.topic = gen.text(20);
            if (p.qos() > 0) p.packetId = uint16_t(1 + gen.below(65535));
            p.properties = properties(gen, level);
            p.payload = gen.bytes(60);
            break;
        case Type::Subscribe:
        case Type::Unsubscribe:
            p.flags = 2;
            p.packetId = uint16_t(1 + gen.below(65535));
            p.properties = properties(gen, level);
            for (uint32_t i = 1 + gen.below(3); i > 0; --i)
                p.subscriptions.push_back(
                    {gen.text(12), uint8_t(p.type == Type::Unsubscribe ? 0 : gen.below(v5 ? 64 : 3))});
            break;
        case Type::Suback:
        case Type::Unsuback:
            p.packetId = uint16_t(1 + gen.below(65535));
            p.properties = properties(gen, level);
            if (v5 || p.type == Type::Suback)
                for (uint32_t i = 1 + gen.below(3); i > 0; --i)
                    p.reasonCodes.push_back(uint8_t(gen.below(256)));
            break;
        case Type::Pingreq:
        case Type::Pingresp:
            break;
        default:  // PUBACK..PUBCOMP, DISCONNECT, AUTH
            if (p.type == Type::Pubrel) p.flags = 2;
            if (p.type <= Type::Pubcomp) p.packetId = uint16_t(1 + gen.below(65535));
            if (v5) {
                p.reasonCode = uint8_t(gen.chance(50) ? 0 : gen.below(256));
                p.properties = properties(gen, level);
            }
            break;
    }
    return p;
}

std::vector<Packet> feed(mqtt::Decoder& decoder, const std::string& stream, Gen& gen, Sender sender) {
    std::vector<Packet> out;
    for (size_t pos = 0; pos < stream.size();) {
        const size_t n = std::min<size_t>(stream.size() - pos, gen.chance(30) ? 1 : 1 + gen.below(200));
        const std::string chunk = stream.substr(pos, n);
        const Decoded d = decoder.decode({sender, true, asBytes(chunk)});
        if (d.error) qWarning("%s", d.summary.c_str());
        if (d.error) return {};
        if (!spansInside(d.root, chunk.size())) return {};
        out.insert(out.end(), decoder.lastPackets().begin(), decoder.lastPackets().end());
        pos += n;
    }
    return out;
}

}  // namespace

class TestMqtt : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data() {
        QTest::addColumn<int>("level");
        QTest::newRow("3.1.1") << 4;
        QTest::newRow("5.0") << 5;
    }
    void roundTrip() {
        QFETCH(int, level);
        Gen gen(uint32_t(30 + level));
        for (int i = 0; i < 5000; ++i) {
            const Packet packet = generate(gen, uint8_t(level));
            const std::string bytes = mqtt::encode(packet, uint8_t(level));
            Packet back;
            Node tree;
            const auto o = mqtt::parse(asBytes(bytes), uint8_t(level), back, &tree);
            QVERIFY2(o.result == mqtt::ParseResult::Done, o.error.c_str());
            QCOMPARE(o.consumed, bytes.size());
            QVERIFY2(back == packet, mqtt::typeName(packet.type));
            QVERIFY(spansInside(tree, bytes.size()));
            // Cut anywhere before the end, it needs more; with a trailing byte it is done at the same place.
            Packet partial;
            const size_t cut = gen.below(uint32_t(bytes.size()));
            QCOMPARE(int(mqtt::parse(asBytes(bytes.substr(0, cut)), uint8_t(level), partial).result),
                     int(mqtt::ParseResult::NeedMore));
            QCOMPARE(mqtt::parse(asBytes(bytes + "\xc0"), uint8_t(level), partial).consumed, bytes.size());
        }
    }
    void splitAndPacked_data() { roundTrip_data(); }
    void splitAndPacked() {
        QFETCH(int, level);
        Gen gen(uint32_t(40 + level));
        for (int round = 0; round < 200; ++round) {
            mqtt::Decoder decoder;
            Packet connect;
            connect.type = Type::Connect;
            generateConnect(gen, uint8_t(level), connect);
            std::vector<Packet> sent{connect};
            std::string stream = mqtt::encode(connect, uint8_t(level));
            for (uint32_t i = 1 + gen.below(12); i > 0; --i) {
                Packet p = generate(gen, uint8_t(level));
                if (p.type == Type::Connect) continue;
                stream += mqtt::encode(p, uint8_t(level));
                sent.push_back(std::move(p));
            }
            QVERIFY(feed(decoder, stream, gen, Sender::Client) == sent);
            QCOMPARE(int(decoder.level()), level);
        }
    }
    void summaries() {
        mqtt::Decoder decoder;
        Packet publish;
        publish.type = Type::Publish;
        publish.flags = 2;
        publish.topic = "sensors/1";
        publish.packetId = 17;
        publish.payload = "21.5C";
        const std::string bytes = mqtt::encode(publish, 4);
        const Decoded d = decoder.decode(binaryMessage(bytes));
        QCOMPARE(QString::fromStdString(d.summary), QString("PUBLISH sensors/1 qos1 #17 (5 bytes)"));
        QCOMPARE(d.pairs.at(0).key, std::string("packet:17"));
        QCOMPARE(int(d.pairs.at(0).role), int(PairKey::Role::Request));
        QCOMPARE(d.fields.at(0).value, std::string("sensors/1"));
        const Decoded ack = decoder.decode(binaryMessage(std::string("\x40\x02\x00\x11", 4), Sender::Server));
        QCOMPARE(QString::fromStdString(ack.summary), QString("PUBACK #17"));
        QCOMPARE(ack.pairs.at(0), (PairKey{PairKey::Role::Response, "packet:17"}));
        // Two packets in one message, the second cut short.
        const Decoded two = decoder.decode(binaryMessage(std::string("\xc0\x00\xd0\x00\x30", 5)));
        QCOMPARE(QString::fromStdString(two.summary),
                 QString("PINGREQ; PINGRESP; partial PUBLISH (1 byte so far)"));
        QVERIFY(two.pending);
    }
    void malformed_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("level");
        QTest::addColumn<QString>("message");
        QTest::newRow("type 0") << QByteArray("\x00\x00", 2) << 4 << "reserved packet type 0";
        QTest::newRow("auth in 3.1.1") << QByteArray("\xf0\x00", 2) << 4 << "reserved packet type 15";
        QTest::newRow("qos 3") << QByteArray("\x36\x03\x00\x01\x61", 5) << 4 << "invalid fixed header flags";
        QTest::newRow("subscribe flags")
            << QByteArray("\x80\x02\x00\x01", 4) << 4 << "invalid fixed header flags";
        QTest::newRow("length") << QByteArray("\x30\xff\xff\xff\xff\x01", 6) << 4 << "longer than four bytes";
        QTest::newRow("string") << QByteArray("\x30\x03\x00\x05\x61", 5) << 4 << "runs past the end";
        QTest::newRow("extra") << QByteArray("\xc0\x01\x00", 3) << 4 << "unexpected bytes";
        QTest::newRow("no topics") << QByteArray("\x82\x02\x00\x01", 4) << 4 << "no topic filter";
        QTest::newRow("property") << QByteArray("\xe0\x03\x00\x01\x07", 5) << 5
                                  << "unknown property identifier 7";
        QTest::newRow("property length")
            << QByteArray("\xe0\x03\x00\x05\x01", 5) << 5 << "properties run past";
        QTest::newRow("level") << QByteArray("\x10\x07\x00\x04MQTT\x09", 9) << 4
                               << "unsupported protocol level 9";
        QTest::newRow("empty") << QByteArray() << 4 << "empty message";
    }
    void malformed() {
        QFETCH(QByteArray, bytes);
        QFETCH(int, level);
        QFETCH(QString, message);
        mqtt::Decoder decoder;
        if (level == 5) {
            Packet connect;
            connect.type = Type::Connect;
            connect.protocolLevel = 5;
            QVERIFY(!decoder.decode(binaryMessage(mqtt::encode(connect, 5))).error);
        }
        const Decoded d = decoder.decode(binaryMessage(std::string_view(bytes.data(), size_t(bytes.size()))));
        checkOneError(d);
        QVERIFY2(QString::fromStdString(d.root.value).contains(message), d.root.value.c_str());
        // The decoder recovers: the next well-formed packet decodes.
        QVERIFY(!decoder.decode(binaryMessage(std::string("\xc0\x00", 2))).error);
    }
};

QTEST_MAIN(TestMqtt)
#include "tst_mqtt.moc"
