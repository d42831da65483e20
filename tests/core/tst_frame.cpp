// The frame header codec and crafted frames (RFC 6455 §5.2, §5.7) and close code classification (§7.4).
#include <QTest>

#include "framescope/close_code.h"
#include "framescope/frame.h"
#include "test_util.h"

using namespace framescope;
using namespace framescope::test;

Q_DECLARE_METATYPE(framescope::LengthEncoding)

class TstFrame : public QObject {
    Q_OBJECT

private:
    // Parses `wire` fed whole, byte by byte (growing prefix) and with trailing bytes; all must agree.
    static HeaderParseResult parseThreeWays(const Bytes& wire, FrameHeader& header,
                                            const HeaderParseOptions& options = {}) {
        HeaderParseResult whole = parseFrameHeader(wire, header, options);
        for (size_t n = 0; n < wire.size(); ++n) {
            FrameHeader partial;
            const HeaderParseResult prefix = parseFrameHeader(std::span(wire).first(n), partial, options);
            if (n < whole.consumed) {
                if (prefix.status != ParseStatus::NeedMore)
                    QTest::qFail("prefix not NeedMore", __FILE__, __LINE__);
            }
        }
        Bytes trailing = wire;
        trailing.insert(trailing.end(), {0xde, 0xad, 0xbe, 0xef, 0x81, 0x7f});
        FrameHeader withTrailing;
        const HeaderParseResult more = parseFrameHeader(trailing, withTrailing, options);
        if (more.status != whole.status || more.consumed != whole.consumed || more.error != whole.error) {
            QTest::qFail("trailing bytes changed the result", __FILE__, __LINE__);
        }
        return whole;
    }

private slots:
    void rfcExamples_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<bool>("fin");
        QTest::addColumn<int>("opcode");
        QTest::addColumn<bool>("masked");
        QTest::addColumn<qulonglong>("length");
        QTest::addColumn<int>("headerSize");
        QTest::addColumn<LengthEncoding>("encoding");
        // RFC 6455 §5.7 examples.
        QTest::newRow("unmasked Hello")
            << QByteArray("810548656c6c6f") << true << 1 << false << 5ull << 2 << LengthEncoding::Bits7;
        QTest::newRow("masked Hello") << QByteArray("818537fa213d7f9f4d5158") << true << 1 << true << 5ull
                                      << 6 << LengthEncoding::Bits7;
        QTest::newRow("fragment Hel")
            << QByteArray("010348656c") << false << 1 << false << 3ull << 2 << LengthEncoding::Bits7;
        QTest::newRow("fragment lo") << QByteArray("80026c6f") << true << 0 << false << 2ull << 2
                                     << LengthEncoding::Bits7;
        QTest::newRow("ping Hello") << QByteArray("890548656c6c6f") << true << 9 << false << 5ull << 2
                                    << LengthEncoding::Bits7;
        QTest::newRow("masked pong") << QByteArray("8a8537fa213d7f9f4d5158") << true << 10 << true << 5ull
                                     << 6 << LengthEncoding::Bits7;
        QTest::newRow("256 bytes") << QByteArray("827e0100") << true << 2 << false << 256ull << 4
                                   << LengthEncoding::Bits16;
        QTest::newRow("64 KiB") << QByteArray("827f0000000000010000") << true << 2 << false << 65536ull << 10
                                << LengthEncoding::Bits64;
    }

    void rfcExamples() {
        QFETCH(QByteArray, wire);
        QFETCH(bool, fin);
        QFETCH(int, opcode);
        QFETCH(bool, masked);
        QFETCH(qulonglong, length);
        QFETCH(int, headerSize);
        QFETCH(LengthEncoding, encoding);
        const Bytes bytes = fromHex(wire.constData());
        FrameHeader header;
        const HeaderParseResult result = parseThreeWays(bytes, header);
        QCOMPARE(result.status, ParseStatus::Done);
        QCOMPARE(result.consumed, size_t(headerSize));
        QCOMPARE(header.fin, fin);
        QCOMPARE(int(header.opcode), opcode);
        QCOMPARE(header.masked, masked);
        QCOMPARE(header.payloadLength, length);
        QCOMPARE(header.lengthEncoding, encoding);
        QVERIFY(!header.rsv1 && !header.rsv2 && !header.rsv3);
        if (masked) QCOMPARE(toHex(header.maskKey), QString("37 fa 21 3d"));

        // Encoding the decoded header gives the same bytes back.
        uint8_t out[kMaxFrameHeaderSize];
        QCOMPARE(encodeFrameHeader(header, out), size_t(headerSize));
        QCOMPARE(toHex({out, size_t(headerSize)}), toHex(std::span(bytes).first(headerSize)));
    }

    void rfcMaskedHelloAsRawFrame() {
        RawFrameSpec spec;
        spec.opcode = opcode::kText;
        spec.masked = true;
        spec.maskKey = {0x37, 0xfa, 0x21, 0x3d};
        spec.payload = spanOf("Hello");
        ByteBuffer out;
        QCOMPARE(encodeRawFrame(spec, out), RawFrameError::None);
        QCOMPARE(toHex(out.view()), QString("81 85 37 fa 21 3d 7f 9f 4d 51 58"));
    }

    void everyBitOfByteZero() {
        for (int b0 = 0; b0 < 256; ++b0) {
            const Bytes wire{uint8_t(b0), 0x00};
            FrameHeader header;
            QCOMPARE(parseThreeWays(wire, header).status, ParseStatus::Done);
            QCOMPARE(header.fin, (b0 & 0x80) != 0);
            QCOMPARE(header.rsv1, (b0 & 0x40) != 0);
            QCOMPARE(header.rsv2, (b0 & 0x20) != 0);
            QCOMPARE(header.rsv3, (b0 & 0x10) != 0);
            QCOMPARE(int(header.opcode), b0 & 0x0F);
            uint8_t out[kMaxFrameHeaderSize];
            QCOMPARE(encodeFrameHeader(header, out), size_t(2));
            QCOMPARE(int(out[0]), b0);
        }
    }

    void lengthEncodings_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("error");
        QTest::addColumn<bool>("toleratedDone");
        const int done = int(ParseStatus::Done), err = int(ParseStatus::Error);
        const int none = int(HeaderError::None), nonMin = int(HeaderError::NonMinimalLength),
                  top = int(HeaderError::LengthTopBitSet);
        QTest::newRow("125 in 7 bits") << QByteArray("827d") << done << none << true;
        QTest::newRow("126 in 16 bits") << QByteArray("827e007e") << done << none << true;
        QTest::newRow("125 in 16 bits") << QByteArray("827e007d") << err << nonMin << true;
        QTest::newRow("0 in 16 bits") << QByteArray("827e0000") << err << nonMin << true;
        QTest::newRow("65535 in 16 bits") << QByteArray("827effff") << done << none << true;
        QTest::newRow("65535 in 64 bits") << QByteArray("827f000000000000ffff") << err << nonMin << true;
        QTest::newRow("5 in 64 bits") << QByteArray("827f0000000000000005") << err << nonMin << true;
        QTest::newRow("65536 in 64 bits") << QByteArray("827f0000000000010000") << done << none << true;
        QTest::newRow("2^62 in 64 bits") << QByteArray("827f4000000000000000") << done << none << true;
        QTest::newRow("2^63-1") << QByteArray("827f7fffffffffffffff") << done << none << true;
        QTest::newRow("top bit set") << QByteArray("827f8000000000000000") << err << top << false;
        QTest::newRow("all ones") << QByteArray("827fffffffffffffffff") << err << top << false;
        QTest::newRow("masked 16-bit") << QByteArray("82fe0100aabbccdd") << done << none << true;
    }

    void lengthEncodings() {
        QFETCH(QByteArray, wire);
        QFETCH(int, status);
        QFETCH(int, error);
        QFETCH(bool, toleratedDone);
        const Bytes bytes = fromHex(wire.constData());
        FrameHeader header;
        const HeaderParseResult strict = parseThreeWays(bytes, header);
        QCOMPARE(int(strict.status), status);
        QCOMPARE(int(strict.error), error);
        QCOMPARE(strict.consumed, bytes.size());  // the header is always measured, even when refused

        const HeaderParseResult lenient = parseThreeWays(bytes, header, {.tolerateNonMinimalLength = true});
        QCOMPARE(lenient.status == ParseStatus::Done, toleratedDone);
    }

    void headerNeverReadsPastInput() {
        // A 64-bit header cut at every length must ask for more, never read beyond the span.
        const Bytes wire = fromHex("82ff0000000000010000aabbccdd");
        for (size_t n = 0; n < wire.size(); ++n) {
            auto* copy = new uint8_t[n == 0 ? 1 : n];
            std::copy_n(wire.begin(), n, copy);
            FrameHeader header;
            QCOMPARE(parseFrameHeader({copy, n}, header).status, ParseStatus::NeedMore);
            delete[] copy;
        }
    }

    void rawFrames_data() {
        QTest::addColumn<bool>("fin");
        QTest::addColumn<int>("rsv");
        QTest::addColumn<int>("opcode");
        QTest::addColumn<bool>("masked");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<qlonglong>("declared");  // -1: the payload's size
        QTest::addColumn<int>("encoding");        // -1: minimal
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("reserved opcode 3, all rsv")
            << true << 7 << 3 << false << QByteArray("ab") << -1ll << -1 << QByteArray("f301ab");
        QTest::newRow("fin off, opcode 15")
            << false << 0 << 15 << false << QByteArray("") << -1ll << -1 << QByteArray("0f00");
        QTest::newRow("length lies 7")
            << true << 0 << 1 << false << QByteArray("6869") << 100ll << -1 << QByteArray("81646869");
        QTest::newRow("forced 16-bit for 2 bytes")
            << true << 0 << 2 << false << QByteArray("0102") << -1ll << 1 << QByteArray("827e00020102");
        QTest::newRow("forced 64-bit for 0 bytes")
            << true << 0 << 9 << false << QByteArray("") << -1ll << 2 << QByteArray("897f0000000000000000");
        QTest::newRow("binary, forced 64-bit, empty")
            << true << 0 << 2 << false << QByteArray("") << -1ll << 2 << QByteArray("827f0000000000000000");
        QTest::newRow("masked with key, rsv1") << true << 4 << 1 << true << QByteArray("48656c6c6f") << -1ll
                                               << -1 << QByteArray("c18537fa213d7f9f4d5158");
    }

    void rawFrames() {
        QFETCH(bool, fin);
        QFETCH(int, rsv);
        QFETCH(int, opcode);
        QFETCH(bool, masked);
        QFETCH(QByteArray, payload);
        QFETCH(qlonglong, declared);
        QFETCH(int, encoding);
        QFETCH(QByteArray, expected);
        const Bytes payloadBytes = fromHex(payload.constData());
        RawFrameSpec spec;
        spec.fin = fin;
        spec.rsv1 = rsv & 4;
        spec.rsv2 = rsv & 2;
        spec.rsv3 = rsv & 1;
        spec.opcode = uint8_t(opcode);
        spec.masked = masked;
        spec.maskKey = {0x37, 0xfa, 0x21, 0x3d};
        spec.payload = payloadBytes;
        spec.overrideLength = declared >= 0;
        spec.declaredLength = uint64_t(declared);
        spec.forceEncoding = encoding >= 0;
        spec.encoding = LengthEncoding(encoding < 0 ? 0 : encoding);
        ByteBuffer out;
        QCOMPARE(encodeRawFrame(spec, out), RawFrameError::None);
        QCOMPARE(toHex(out.view()), toHex(fromHex(expected.constData())));
        const FrameHeader header = rawFrameHeader(spec);
        QCOMPARE(size_t(header.headerSize) + payloadBytes.size(), out.size());
    }

    void rawFrameErrorsAppendNothing() {
        ByteBuffer out;
        RawFrameSpec spec;
        spec.opcode = 16;
        QCOMPARE(encodeRawFrame(spec, out), RawFrameError::OpcodeOutOfRange);
        spec.opcode = 1;
        spec.forceEncoding = true;
        spec.encoding = LengthEncoding::Bits7;
        spec.overrideLength = true;
        spec.declaredLength = 126;
        QCOMPARE(encodeRawFrame(spec, out), RawFrameError::LengthDoesNotFitEncoding);
        spec.encoding = LengthEncoding::Bits16;
        spec.declaredLength = 65536;
        QCOMPARE(encodeRawFrame(spec, out), RawFrameError::LengthDoesNotFitEncoding);
        QCOMPARE(out.size(), size_t(0));
    }

    void topBitLengthCraftedThenRefused() {
        RawFrameSpec spec;
        spec.opcode = opcode::kBinary;
        spec.overrideLength = true;
        spec.declaredLength = uint64_t(1) << 63;
        ByteBuffer out;
        QCOMPARE(encodeRawFrame(spec, out), RawFrameError::None);
        QCOMPARE(toHex(out.view()), QString("82 7f 80 00 00 00 00 00 00 00"));
        FrameHeader header;
        QCOMPARE(parseFrameHeader(out.view(), header).error, HeaderError::LengthTopBitSet);
    }

    void everyCloseCodeClassified() {
        int counts[7] = {};
        for (uint32_t code = 0; code <= 65535; ++code) {
            const auto value = uint16_t(code);
            const CloseCodeClass kind = classifyCloseCode(value);
            ++counts[int(kind)];
            const bool expectedValid = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
                                       (code >= 3000 && code <= 4999);
            QCOMPARE(isValidWireCloseCode(value), expectedValid);
            QVERIFY(closeCodeName(value) != nullptr);
        }
        QCOMPARE(counts[int(CloseCodeClass::NotUsed)], 1000);
        QCOMPARE(counts[int(CloseCodeClass::Standard)], 12);
        QCOMPARE(counts[int(CloseCodeClass::ReservedLocal)], 4);
        QCOMPARE(counts[int(CloseCodeClass::ReservedProtocol)], 1984);
        QCOMPARE(counts[int(CloseCodeClass::Registered)], 1000);
        QCOMPARE(counts[int(CloseCodeClass::Private)], 1000);
        QCOMPARE(counts[int(CloseCodeClass::OutOfRange)], 60536);
        QCOMPARE(QString(closeCodeName(1002)), QString("Protocol error"));
        QCOMPARE(QString(closeCodeName(4321)), QString("Private use"));
    }

    void headerRules_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<bool>("fromClient");
        QTest::addColumn<bool>("rsv1Allowed");
        QTest::addColumn<QString>("section");  // empty: no rule broken
        QTest::newRow("valid server text") << QByteArray("8100") << false << false << QString();
        QTest::newRow("valid client text") << QByteArray("818000000000") << true << false << QString();
        QTest::newRow("client unmasked") << QByteArray("8100") << true << false << QString("§5.1");
        QTest::newRow("server masked") << QByteArray("818000000000") << false << false << QString("§5.1");
        QTest::newRow("reserved opcode") << QByteArray("8300") << false << false << QString("§5.2");
        QTest::newRow("rsv2") << QByteArray("a100") << false << false << QString("§5.2");
        QTest::newRow("rsv1 without deflate") << QByteArray("c100") << false << false << QString("§5.2");
        QTest::newRow("rsv1 with deflate") << QByteArray("c100") << false << true << QString();
        QTest::newRow("rsv1 on continuation")
            << QByteArray("c000") << false << true << QString("RFC 7692 §6.1");
        QTest::newRow("ping of 126") << QByteArray("897e007e") << false << false << QString("§5.5");
        QTest::newRow("fragmented ping") << QByteArray("0900") << false << false << QString("§5.5");
        QTest::newRow("non-minimal length") << QByteArray("827e0005") << false << false << QString("§5.2");
    }

    void headerRules() {
        QFETCH(QByteArray, wire);
        QFETCH(bool, fromClient);
        QFETCH(bool, rsv1Allowed);
        QFETCH(QString, section);
        FrameHeader header;
        const HeaderParseResult parsed =
            parseFrameHeader(fromHex(wire.constData()), header, {.tolerateNonMinimalLength = true});
        QCOMPARE(parsed.status, ParseStatus::Done);
        const char* violation =
            headerRuleViolation(header, {.fromClient = fromClient, .rsv1Allowed = rsv1Allowed});
        if (section.isEmpty()) {
            QVERIFY2(violation == nullptr, violation);
        } else {
            QVERIFY(violation != nullptr);
            QVERIFY2(QString(violation).contains(section), violation);
        }
    }

    void opcodeNames() {
        QCOMPARE(QString(opcodeName(0x1)), QString("text"));
        QCOMPARE(QString(opcodeName(0x3)), QString("reserved-data"));
        QCOMPARE(QString(opcodeName(0xB)), QString("reserved-control"));
        for (uint8_t op = 0; op < 16; ++op)
            QCOMPARE(isReservedOpcode(op), !(op <= 2 || (op >= 8 && op <= 10)));
    }
};

QTEST_APPLESS_MAIN(TstFrame)
#include "tst_frame.moc"
