// STOMP 1.2: generated frames round-trip (escaped headers, content-length bodies with NUL, several frames per
// message, heart-beats), summaries and receipts pair, malformed frames are one error.
#include <QTest>

#include "framescope/decoders/stomp.h"
#include "generators.h"

using namespace framescope::decoders;
using namespace framescope::decoders::testing;

namespace {

const char* kCommands[] = {"CONNECT",     "STOMP",      "CONNECTED", "SEND",    "SUBSCRIBE",
                           "UNSUBSCRIBE", "ACK",        "NACK",      "BEGIN",   "COMMIT",
                           "ABORT",       "DISCONNECT", "MESSAGE",   "RECEIPT", "ERROR"};

stomp::Frame generate(Gen& gen) {
    stomp::Frame f;
    f.command = kCommands[gen.below(std::size(kCommands))];
    const bool raw = f.command == "CONNECT" || f.command == "CONNECTED";
    for (uint32_t i = gen.below(5); i > 0; --i) {
        // Headers in CONNECT/CONNECTED are not escaped, so they cannot hold ':' or EOLs there.
        if (raw)
            f.headers.emplace_back(gen.word(8), gen.word(10));
        else
            f.headers.emplace_back(gen.word(6) + gen.text(3, ":\\\r\n"), gen.text(12, ":\\\r\n"));
    }
    if (gen.chance(50)) {
        std::string body = gen.chance(50) ? gen.bytes(40) : gen.text(40);
        if (body.find('\0') != std::string::npos || gen.chance(30))
            f.headers.emplace_back("content-length", std::to_string(body.size()));
        f.body = std::move(body);
    }
    return f;
}

}  // namespace

class TestStomp : public QObject {
    Q_OBJECT
private slots:
    void roundTrip() {
        Gen gen(21);
        stomp::Decoder decoder;
        for (int i = 0; i < 3000; ++i) {
            std::vector<stomp::Frame> frames{generate(gen)};
            if (gen.chance(20)) frames.push_back(generate(gen));
            std::string bytes;
            for (const auto& f : frames)
                bytes += stomp::encode(f) + (gen.chance(30) ? "\r\n" : "");
            const Decoded d = decoder.decode(textMessage(bytes));
            QVERIFY2(!d.error, d.summary.c_str());
            QVERIFY(spansInside(d.root, bytes.size()));
            QVERIFY(decoder.lastFrames() == frames);
        }
    }
    void heartBeats() {
        stomp::Decoder decoder;
        for (const char* beat : {"\n", "\r\n", "\n\n"}) {
            const Decoded d = decoder.decode(textMessage(beat));
            QCOMPARE(QString::fromStdString(d.summary), QString("heart-beat"));
        }
        QCOMPARE(stomp::encode(stomp::Frame{}), std::string("\n"));
    }
    void summaries_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("summary");
        QTest::addColumn<QString>("pair");
        QTest::newRow("subscribe") << "SUBSCRIBE\nid:0\ndestination:/topic/prices\n\n"
                                   << "SUBSCRIBE /topic/prices"
                                   << "";
        QTest::newRow("send receipt") << "SEND\ndestination:/queue/a\nreceipt:r-7\n\nhello"
                                      << "SEND /queue/a (5 bytes) receipt r-7"
                                      << "receipt:r-7";
        QTest::newRow("receipt") << "RECEIPT\nreceipt-id:r-7\n\n"
                                 << "RECEIPT r-7"
                                 << "receipt:r-7";
        QTest::newRow("connect") << "CONNECT\naccept-version:1.2\nhost:example.org\n\n"
                                 << "CONNECT example.org"
                                 << "connect";
        QTest::newRow("connected") << "CONNECTED\nversion:1.2\nheart-beat:0,0\n\n"
                                   << "CONNECTED v1.2"
                                   << "connect";
        QTest::newRow("error") << "ERROR\nmessage:malformed frame\n\n"
                               << "ERROR: malformed frame"
                               << "";
        QTest::newRow("escaped") << "MESSAGE\ndestination:/a\\cb\nsubscription:0\n\n{}"
                                 << "MESSAGE /a:b (2 bytes)"
                                 << "";
    }
    void summaries() {
        QFETCH(QString, text);
        QFETCH(QString, summary);
        QFETCH(QString, pair);
        stomp::Decoder decoder;
        const std::string bytes = text.toStdString() + '\0';
        const Decoded d = decoder.decode(textMessage(bytes));
        QCOMPARE(QString::fromStdString(d.summary), summary);
        QCOMPARE(d.pairs.empty() ? QString() : QString::fromStdString(d.pairs[0].key), pair);
    }
    void malformed_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QByteArray() << "empty message";
        QTest::newRow("no NUL") << QByteArray("SEND\ndestination:/a\n\nbody") << "no NUL terminator";
        QTest::newRow("unknown command") << QByteArray("HELLO\n\n\0", 8) << "unknown STOMP command";
        QTest::newRow("bad escape") << QByteArray("SEND\na:\\t\n\n\0", 12) << "undefined escape";
        QTest::newRow("no colon") << QByteArray("SEND\nabc\n\n\0", 11) << "without ':'";
        QTest::newRow("length") << QByteArray("SEND\ncontent-length:99\n\nab\0", 27) << "past the end";
        QTest::newRow("length nan") << QByteArray("SEND\ncontent-length:x\n\n\0", 24) << "not a number";
        QTest::newRow("headers cut") << QByteArray("SEND\na:b") << "inside its headers";
        QTest::newRow("trailing") << QByteArray("SEND\n\n\0junk", 11) << "frame ends before its command line";
    }
    void malformed() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        stomp::Decoder decoder;
        const Decoded d = decoder.decode(textMessage(std::string_view(bytes.data(), size_t(bytes.size()))));
        checkOneError(d);
        QVERIFY2(QString::fromStdString(d.root.value).contains(message), d.root.value.c_str());
    }
    void everyPrefixIsSafe() {
        Gen gen(22);
        for (int i = 0; i < 300; ++i) {
            const std::string bytes = stomp::encode(generate(gen));
            for (size_t cut = 0; cut < bytes.size(); ++cut) {
                stomp::Decoder decoder;
                const Decoded d = decoder.decode(textMessage(std::string_view(bytes).substr(0, cut)));
                if (d.error) checkOneError(d);
            }
        }
    }
};

QTEST_MAIN(TestStomp)
#include "tst_stomp.moc"
