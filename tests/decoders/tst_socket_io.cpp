// Engine.IO v4 / Socket.IO v5: generated packets round-trip through encode and the stateful decoder
// (attachments in later frames), known conversations read as users expect, malformed input is one error.
#include <QTest>

#include "framescope/decoders/socket_io.h"
#include "generators.h"

using namespace framescope::decoders;
using namespace framescope::decoders::testing;

namespace {

// A data value holding binaries anywhere (socket.io-client sends Buffers/ArrayBuffers this way).
Value withBinaries(Gen& gen, int depth) {
    Value v = gen.value(depth, false);
    if (gen.chance(60)) {
        v = Value::array({v, Value::fromBinary(gen.bytes(30))});
        if (gen.chance(50)) v.items.push_back(Value::array({Value::fromBinary(gen.bytes(5))}));
    }
    return v;
}

socketio::Packet generate(Gen& gen) {
    socketio::Packet p;
    p.type = socketio::PacketType(gen.below(7));
    if (gen.chance(40)) p.nsp = "/" + gen.word(8);
    const bool binary =
        p.type == socketio::PacketType::BinaryEvent || p.type == socketio::PacketType::BinaryAck;
    const bool event = p.type == socketio::PacketType::Event || p.type == socketio::PacketType::BinaryEvent;
    const bool ack = p.type == socketio::PacketType::Ack || p.type == socketio::PacketType::BinaryAck;
    if (ack || (event && gen.chance(50))) p.ackId = gen.below(100000);
    if (event) {
        Value args = Value::array({Value::fromString(gen.text(10, "\"\\"))});
        for (uint32_t i = gen.below(4); i > 0; --i)
            args.items.push_back(binary ? withBinaries(gen, 2) : gen.value(3));
        p.data = args;
    } else if (ack) {
        p.data = Value::array({binary ? withBinaries(gen, 2) : gen.value(3)});
    } else if (p.type == socketio::PacketType::Connect && gen.chance(50)) {
        p.data = gen.object(2);
    } else if (p.type == socketio::PacketType::ConnectError) {
        Value error = Value::map();
        error.set("message", Value::fromString(gen.text(20)));
        p.data = error;
    }
    return p;
}

}  // namespace

class TestSocketIo : public QObject {
    Q_OBJECT
private slots:
    void roundTrip() {
        Gen gen(11);
        socketio::Decoder decoder;
        for (int i = 0; i < 3000; ++i) {
            const socketio::Packet packet = generate(gen);
            const auto frames = socketio::encode(packet);
            const Sender sender = gen.chance(50) ? Sender::Client : Sender::Server;
            for (size_t f = 0; f < frames.size(); ++f) {
                const Decoded d = decoder.decode({sender, frames[f].binary, asBytes(frames[f].bytes)});
                QVERIFY2(!d.error, d.summary.c_str());
                QCOMPARE(d.pending, f + 1 < frames.size());
                QVERIFY(spansInside(d.root, frames[f].bytes.size()));
            }
            QVERIFY(decoder.lastPacket());
            QVERIFY2(*decoder.lastPacket() == packet, frames[0].bytes.c_str());
        }
    }
    void summaries_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("summary");
        QTest::addColumn<QString>("pair");
        QTest::newRow("emit") << "42[\"chat\",{\"id\":7}]"
                              << "emit \"chat\" (1 arg)"
                              << "";
        QTest::newRow("emit with ack") << "421[\"hi\",1,2]"
                                       << "emit \"hi\" (2 args) ack 1"
                                       << "ack:/:1";
        QTest::newRow("ack") << "431[\"ok\"]"
                             << "ack 1 (1 arg)"
                             << "ack:/:1";
        QTest::newRow("namespace") << "42/admin,[\"x\"]"
                                   << "emit \"x\" (0 args) /admin"
                                   << "";
        QTest::newRow("connect") << "40{\"sid\":\"abc\"}"
                                 << "connect"
                                 << "";
        QTest::newRow("connect nsp") << "40/admin,"
                                     << "connect /admin"
                                     << "";
        QTest::newRow("connect error") << "44{\"message\":\"Not authorized\"}"
                                       << "connect error: {\"message\":\"Not authorized\"}"
                                       << "";
        QTest::newRow("open") << "0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[],\"pingInterval\":25000}"
                              << "open sid lv_VI97HAXpY6yYWAAAC"
                              << "";
        QTest::newRow("ping") << "2"
                              << "ping"
                              << "";
        QTest::newRow("probe") << "3probe"
                               << "pong probe"
                               << "";
        QTest::newRow("binary header") << "451-[\"up\",{\"_placeholder\":true,\"num\":0}]"
                                       << "emit \"up\" (1 arg) (waiting for 1 attachment)"
                                       << "";
    }
    void summaries() {
        QFETCH(QString, text);
        QFETCH(QString, summary);
        QFETCH(QString, pair);
        socketio::Decoder decoder;
        const std::string bytes = text.toStdString();
        const Decoded d = decoder.decode(textMessage(bytes));
        QCOMPARE(QString::fromStdString(d.summary), summary);
        QCOMPARE(d.pairs.empty() ? QString() : QString::fromStdString(d.pairs[0].key), pair);
    }
    void attachmentsPerSender() {
        // Each side's attachments belong to its own pending packet, even when frames interleave.
        socketio::Decoder decoder;
        QVERIFY(decoder.decode(textMessage("451-[\"a\",{\"_placeholder\":true,\"num\":0}]", Sender::Client))
                    .pending);
        QVERIFY(
            decoder.decode(textMessage("461-0[{\"_placeholder\":true,\"num\":0}]", Sender::Server)).pending);
        const Decoded server = decoder.decode(binaryMessage("SRV", Sender::Server));
        QCOMPARE(QString::fromStdString(server.summary), QString("ack 0 (1 arg) +1 attachment"));
        QCOMPARE(decoder.lastPacket()->data->items[0].bytes, std::string("SRV"));
        const Decoded client = decoder.decode(binaryMessage("CLI", Sender::Client));
        QCOMPARE(QString::fromStdString(client.summary), QString("emit \"a\" (1 arg) +1 attachment"));
        QCOMPARE(decoder.lastPacket()->data->items[1].bytes, std::string("CLI"));
        // With nothing pending, a binary frame is a plain Engine.IO binary message.
        QCOMPARE(QString::fromStdString(decoder.decode(binaryMessage("xyz")).summary),
                 QString("binary message (3 bytes)"));
    }
    void malformed_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << ""
                               << "empty Engine.IO packet";
        QTest::newRow("engine type") << "9"
                                     << "unknown Engine.IO packet type";
        QTest::newRow("socket type") << "49[]"
                                     << "unknown Socket.IO packet type";
        QTest::newRow("empty socket") << "4"
                                      << "empty Socket.IO packet";
        QTest::newRow("json") << "42[\"a\""
                              << "packet data";
        QTest::newRow("trailing") << "42[\"a\"]xyz"
                                  << "after the JSON value";
        QTest::newRow("binary count") << "45[\"a\"]"
                                      << "<count>-";
        QTest::newRow("open json") << "0{sid}"
                                   << "open packet";
    }
    void malformed() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        socketio::Decoder decoder;
        const std::string bytes = text.toStdString();
        const Decoded d = decoder.decode(textMessage(bytes));
        checkOneError(d);
        QVERIFY2(QString::fromStdString(d.root.value).contains(message), d.root.value.c_str());
    }
    void missingAttachment() {
        socketio::Decoder decoder;
        decoder.decode(textMessage("451-[\"a\",{\"_placeholder\":true,\"num\":3}]"));
        checkOneError(decoder.decode(binaryMessage("x")));
    }
    void everyPrefixIsSafe() {
        Gen gen(12);
        for (int i = 0; i < 300; ++i) {
            const auto frames = socketio::encode(generate(gen));
            for (size_t cut = 0; cut <= frames[0].bytes.size(); ++cut) {
                socketio::Decoder decoder;
                const std::string prefix = frames[0].bytes.substr(0, cut);
                const Decoded d = decoder.decode(textMessage(prefix));
                if (d.error) checkOneError(d);
                QVERIFY(spansInside(d.root, prefix.size()));
            }
        }
    }
};

QTEST_MAIN(TestSocketIo)
#include "tst_socket_io.moc"
