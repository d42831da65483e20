// The decoders' JSON and MessagePack codecs: round trips over generated values, spans, hostile input.
#include <QTest>

#include "framescope/decoders/value.h"
#include "generators.h"

using namespace framescope::decoders;
using framescope::decoders::testing::Gen;

class TestValues : public QObject {
    Q_OBJECT
private slots:
    void jsonRoundTrip() {
        Gen gen(1);
        for (int i = 0; i < 3000; ++i) {
            const Value v = gen.value(4);
            const auto compact = parseJson(toJson(v));
            QVERIFY2(compact && *compact == v, toJson(v).c_str());
            const auto pretty = parseJson(toPrettyJson(v));
            QVERIFY2(pretty && *pretty == v, toPrettyJson(v).c_str());
        }
    }
    void msgPackRoundTrip() {
        Gen gen(2);
        for (int i = 0; i < 3000; ++i) {
            Value v = gen.value(4, true);
            if (gen.chance(10)) v = Value::fromString(std::string(gen.below(70000), 'x'));  // str16/str32
            std::string bytes;
            writeMsgPack(bytes, v);
            size_t consumed = 0;
            const auto back = readMsgPack(asBytes(bytes), consumed);
            QVERIFY2(back && *back == v, toJson(v).c_str());
            QCOMPARE(consumed, bytes.size());
            // Every strict prefix is an error, never a crash or a read past the end.
            for (size_t cut = 0; cut < std::min<size_t>(bytes.size(), 40); ++cut) {
                size_t n = 0;
                ParseError error;
                QVERIFY(!readMsgPack(asBytes(std::string_view(bytes).substr(0, cut)), n, &error));
                QVERIFY(!error.message.empty());
            }
        }
    }
    void msgPackKnownBytes() {
        // From the MessagePack spec: fixmap {"compact":true,"schema":0}.
        const std::string bytes =
            "\x82\xa7"
            "compact"
            "\xc3\xa6"
            "schema"
            "\x00";
        size_t consumed = 0;
        const auto v = readMsgPack(asBytes(std::string_view(bytes.data(), bytes.size() + 1)), consumed);
        QVERIFY(v);
        QCOMPARE(toJson(*v), std::string("{\"compact\":true,\"schema\":0}"));
        std::string out;
        writeMsgPack(out, *v);
        QCOMPARE(out, std::string(bytes.data(), bytes.size() + 1));
    }
    void jsonSpans() {
        const auto v = parseJson(" {\"a\": [1, \"xy\"]} ");
        QVERIFY(v);
        QCOMPARE(v->span.offset, 1u);
        const Value* a = v->find("a");
        QVERIFY(a);
        QCOMPARE(a->span.offset, 7u);
        QCOMPARE(a->span.length, 9u);
        QCOMPARE(a->items[1].span.offset, 11u);
        QCOMPARE(a->items[1].span.length, 4u);
    }
    void jsonEscapes() {
        const auto v = parseJson("\"\\u00e9\\ud83d\\ude00\\n\\\"\\\\\\/\"");
        QVERIFY(v);
        QCOMPARE(v->bytes, std::string("é😀\n\"\\/"));
        QCOMPARE(parseJson("18446744073709551615")->kind, Value::Kind::UInt);
        QCOMPARE(parseJson("-9223372036854775808")->integer, INT64_MIN);
        QCOMPARE(parseJson("1.5e3")->number, 1500.0);
    }
    void jsonMalformed_data() {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << ""
                               << "unexpected end";
        QTest::newRow("trailing") << "{} x"
                                  << "after the JSON value";
        QTest::newRow("unterminated") << "\"abc"
                                      << "unterminated";
        QTest::newRow("bad escape") << "\"\\q\""
                                    << "invalid escape";
        QTest::newRow("missing colon") << "{\"a\" 1}"
                                       << "expected ':'";
        QTest::newRow("missing comma") << "[1 2]"
                                       << "expected ','";
        QTest::newRow("bare word") << "nul"
                                   << "invalid literal";
        QTest::newRow("control") << "\"a\x01\""
                                 << "control character";
        QTest::newRow("number") << "-"
                                << "invalid";
    }
    void jsonMalformed() {
        QFETCH(QString, input);
        QFETCH(QString, message);
        ParseError error;
        QVERIFY(!parseJson(input.toStdString(), &error));
        QVERIFY2(QString::fromStdString(error.message).contains(message), error.message.c_str());
    }
    void hostileNesting() {
        ParseError error;
        QVERIFY(!parseJson(std::string(100000, '['), &error));
        QVERIFY(QString::fromStdString(error.message).contains("nested too deeply"));
        size_t consumed = 0;
        QVERIFY(!readMsgPack(asBytes(std::string(100000, '\x91')), consumed, &error));
        // Maps as keys of maps as keys...: JSON output stays small (found by fuzz_decoders: escaping each
        // level of keys again doubled the text per level).
        const std::string keys = std::string(100, '\x81') + "\x01\x01" + std::string(99, '\x01');
        const auto nested = readMsgPack(asBytes(keys), consumed, &error);
        QVERIFY(nested);
        QVERIFY(toJson(*nested).size() < 100);
        QVERIFY(toPrettyJson(*nested).size() < 100);
        // A declared count far beyond the bytes present is refused before anything is reserved.
        QVERIFY(!readMsgPack(asBytes(std::string("\xdd\xff\xff\xff\xff\x01", 6)), consumed, &error));
        QVERIFY(QString::fromStdString(error.message).contains("past the end"));
    }
};

QTEST_MAIN(TestValues)
#include "tst_values.moc"
