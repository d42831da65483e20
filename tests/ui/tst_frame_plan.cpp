// The crafter's pure model (frame_plan.h): its bytes equal core's encodeRawFrame of the same fields, valid or
// not; every broken RFC rule is reported with its section and a valid plan reports none; templates
// round-trip through JSON.
#include <QTest>

#include "framescope/byte_buffer.h"
#include "widgets/frame_data.h"
#include "widgets/frame_plan.h"

using namespace framescope;
using namespace framescope::ui;

Q_DECLARE_METATYPE(framescope::ui::CrafterState)

namespace {

// One frame as core would be asked for it directly.
struct CoreFrame {
    RawFrameSpec spec;
    QByteArray payload;
};

QByteArray coreEncode(const QList<CoreFrame>& frames) {
    ByteBuffer out;
    for (CoreFrame frame : frames) {
        frame.spec.payload = {reinterpret_cast<const uint8_t*>(frame.payload.constData()),
                              static_cast<size_t>(frame.payload.size())};
        if (encodeRawFrame(frame.spec, out) != RawFrameError::None) return {};
    }
    return QByteArray(reinterpret_cast<const char*>(out.data()), static_cast<qsizetype>(out.size()));
}

RawFrameSpec spec(uint8_t op, bool fin, bool masked = false, MaskKey key = {}) {
    RawFrameSpec s;
    s.opcode = op;
    s.fin = fin;
    s.masked = masked;
    s.maskKey = key;
    return s;
}

CrafterState textState(const QString& text, bool masked = false) {
    CrafterState state;
    state.payloadText = text;
    state.masked = masked;
    state.randomKey = false;
    state.maskKey = {0x37, 0xfa, 0x21, 0x3d};
    return state;
}

QStringList sections(const QList<CraftWarning>& warnings) {
    QStringList list;
    for (const CraftWarning& warning : warnings)
        list << warning.section;
    return list;
}

bool mentions(const QList<CraftWarning>& warnings, const QString& needle) {
    for (const CraftWarning& warning : warnings) {
        if (warning.text.contains(needle, Qt::CaseInsensitive)) return true;
    }
    return false;
}

void addMultiFrameRows() {
    const MaskKey key{0x37, 0xfa, 0x21, 0x3d};
    CrafterState masked = textState("masked payload", true);
    masked.maskKey = {0xde, 0xad, 0xbe, 0xef};
    masked.payloadFormat = PayloadFormat::Hex;
    masked.payloadText = "00 01 02 0x03 ff:fe";
    QTest::newRow("masked binary with fixed key, hex payload")
        << masked
        << coreEncode(
               {{spec(0x1, true, true, {0xde, 0xad, 0xbe, 0xef}), QByteArray::fromHex("00010203fffe")}});

    CrafterState fragmented = textState("abcdefghij", true);
    fragmented.fragments = 3;
    fragmented.pingBetween = true;
    fragmented.pingPayload = "hb";
    QTest::newRow("3 fragments with pings") << fragmented
                                            << coreEncode({{spec(0x1, false, true, key), "abcd"},
                                                           {spec(0x9, true, true, key), "hb"},
                                                           {spec(0x0, false, true, key), "efg"},
                                                           {spec(0x9, true, true, key), "hb"},
                                                           {spec(0x0, true, true, key), "hij"}});

    CrafterState sized = textState("abcdefghij");
    sized.splitMode = SplitMode::Sizes;
    sized.fragmentSizes = "2, 5";
    sized.opcode = opcode::kBinary;
    QTest::newRow("sizes 2,5 + rest")
        << sized
        << coreEncode({{spec(0x2, false), "ab"}, {spec(0x0, false), "cdefg"}, {spec(0x0, true), "hij"}});

    CrafterState big = textState(QString(300, QLatin1Char('z')));
    big.payloadFormat = PayloadFormat::Base64;
    big.payloadText = QString::fromLatin1(QByteArray(300, 'z').toBase64());
    QTest::newRow("base64, 16-bit length") << big << coreEncode({{spec(0x1, true), QByteArray(300, 'z')}});
}

void addLengthAndSequenceRows() {
    CrafterState s;
    s = textState("x");
    s.overrideLength = true;
    s.declaredLength = 10;
    QTest::newRow("length lie") << s << 1 << "declares 10"
                                << "RFC 6455 §5.2";
    s.declaredLength = quint64{1} << 63;
    QTest::newRow("64-bit top bit") << s << 1 << "most significant bit"
                                    << "RFC 6455 §5.2";
    s = textState("x");
    s.lengthMode = LengthMode::Bits16;
    QTest::newRow("non-minimal 16-bit") << s << 1 << "minimal"
                                        << "RFC 6455 §5.2";
    s = textState("");
    s.payloadFormat = PayloadFormat::Hex;
    s.payloadText = "c3 28";
    QTest::newRow("text not UTF-8") << s << 1 << "UTF-8"
                                    << "RFC 6455 §8.1";
    s = textState("x");
    s.opcode = opcode::kContinuation;
    QTest::newRow("continuation without start") << s << 1 << "no message to continue"
                                                << "RFC 6455 §5.4";
    s = textState("x");
    s.fin = false;
    QTest::newRow("unfinished message") << s << 1 << "unfinished"
                                        << "RFC 6455 §5.4";
    s = textState("");
    s.opcode = opcode::kClose;
    s.payloadFormat = PayloadFormat::Hex;
    s.payloadText = "03ed";  // 1005 must never be sent
    QTest::newRow("close code 1005") << s << 1 << "1005"
                                     << "RFC 6455 §7.4";
    s.payloadText = "03";
    QTest::newRow("close body of 1 byte") << s << 1 << "2-byte"
                                          << "RFC 6455 §5.5.1";
    s.payloadText = "03e8ff";
    QTest::newRow("close reason not UTF-8") << s << 1 << "reason"
                                            << "RFC 6455 §5.5.1";
    s = textState("x", true);
    QTest::newRow("fixed key") << s << 0 << "fixed masking key"
                               << "RFC 6455 §5.3";
}

}  // namespace

class TstFramePlan : public QObject {
    Q_OBJECT

private slots:
    void bytesEqualCore_data() {
        QTest::addColumn<CrafterState>("state");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("unmasked text") << textState("Hello") << coreEncode({{spec(0x1, true), "Hello"}});
        QTest::newRow("RFC 6455 §5.7 masked Hello")
            << textState("Hello", true) << QByteArray::fromHex("818537fa213d7f9f4d5158");

        CrafterState reserved = textState("x");
        reserved.opcode = 0x3;
        QTest::newRow("reserved opcode 0x3") << reserved << coreEncode({{spec(0x3, true), "x"}});
        reserved.opcode = 0xF;
        QTest::newRow("reserved opcode 0xF") << reserved << coreEncode({{spec(0xF, true), "x"}});

        CrafterState rsv = textState("abc");
        rsv.rsv1 = rsv.rsv2 = rsv.rsv3 = true;
        RawFrameSpec rsvSpec = spec(0x1, true);
        rsvSpec.rsv1 = rsvSpec.rsv2 = rsvSpec.rsv3 = true;
        QTest::newRow("rsv bits") << rsv << coreEncode({{rsvSpec, "abc"}});

        CrafterState lie = textState("short");
        lie.overrideLength = true;
        lie.declaredLength = 1000;
        RawFrameSpec lieSpec = spec(0x1, true);
        lieSpec.overrideLength = true;
        lieSpec.declaredLength = 1000;
        QTest::newRow("lying length") << lie << coreEncode({{lieSpec, "short"}});

        CrafterState huge = lie;
        huge.declaredLength = ~quint64{0};
        RawFrameSpec hugeSpec = lieSpec;
        hugeSpec.declaredLength = ~uint64_t{0};
        QTest::newRow("length 2^64-1") << huge << coreEncode({{hugeSpec, "short"}});

        CrafterState forced = textState("tiny");
        forced.lengthMode = LengthMode::Bits64;
        RawFrameSpec forcedSpec = spec(0x1, true);
        forcedSpec.forceEncoding = true;
        forcedSpec.encoding = LengthEncoding::Bits64;
        QTest::newRow("forced 64-bit") << forced << coreEncode({{forcedSpec, "tiny"}});

        addMultiFrameRows();
    }

    void bytesEqualCore() {
        QFETCH(CrafterState, state);
        QFETCH(QByteArray, expected);
        QVERIFY(!expected.isEmpty());
        QString error;
        const QByteArray bytes = craftBytes(state, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(bytes.toHex(' '), expected.toHex(' '));
        // The preview's extents walk the same bytes.
        const FramePlan plan = buildFramePlan(state, decodePayload(state));
        const QList<PlanFrameExtent> extents = planExtents(plan);
        const PlanFrameExtent& last = extents.last();
        QCOMPARE(last.offset + last.header.headerSize + last.payloadSize, bytes.size());
    }

    void unencodableLengthIsAnError() {
        CrafterState state = textState(QString(200, QLatin1Char('a')));
        state.lengthMode = LengthMode::Bits7;
        QString error;
        QVERIFY(craftBytes(state, &error).isEmpty());
        QVERIFY(!error.isEmpty());
        const QList<CraftWarning> warnings = checkPlan(buildFramePlan(state, decodePayload(state)), {});
        QVERIFY(mentions(warnings, "cannot be built"));
    }

    void badPayloadEncodings() {
        CrafterState state;
        state.payloadFormat = PayloadFormat::Hex;
        state.payloadText = "abc";
        QString error;
        decodePayload(state, &error);
        QVERIFY(error.contains("hex"));
        state.payloadFormat = PayloadFormat::Base64;
        state.payloadText = "!!!";
        error.clear();
        decodePayload(state, &error);
        QVERIFY(error.contains("Base64"));
    }

    void validPlanHasNoWarnings() {
        CrafterState state = textState("héllo wörld", true);
        state.randomKey = true;
        state.fragments = 4;
        state.pingBetween = true;
        const FramePlan plan = buildFramePlan(state, decodePayload(state));
        const QList<CraftWarning> warnings = checkPlan(plan, {SenderRole::Client, false, false});
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.value(0).display()));
        CrafterState server = textState("{}");
        QVERIFY(checkPlan(buildFramePlan(server, "{}"), {SenderRole::Server, false, false}).isEmpty());
        CrafterState close = textState("");
        close.opcode = opcode::kClose;
        close.payloadFormat = PayloadFormat::Hex;
        close.payloadText = "03e8" + QString::fromLatin1(QByteArray("bye").toHex());
        QVERIFY(checkPlan(buildFramePlan(close, decodePayload(close)), {SenderRole::Server}).isEmpty());
    }

    void eachBrokenRuleIsReported_data() {
        QTest::addColumn<CrafterState>("state");
        QTest::addColumn<int>("role");
        QTest::addColumn<QString>("needle");
        QTest::addColumn<QString>("section");

        CrafterState s = textState("x");
        s.opcode = 0x5;
        QTest::newRow("reserved opcode") << s << 1 << "reserved"
                                         << "RFC 6455 §5.2";
        s = textState("x");
        s.rsv2 = true;
        QTest::newRow("rsv2 without extension") << s << 1 << "RSV2"
                                                << "RFC 6455 §5.2";
        s = textState("x");
        s.rsv1 = true;
        QTest::newRow("rsv1 without extension") << s << 1 << "RSV1"
                                                << "RFC 6455 §5.2";
        s = textState(QString(126, QLatin1Char('p')));
        s.opcode = opcode::kPing;
        QTest::newRow("control frame > 125") << s << 1 << "125"
                                             << "RFC 6455 §5.5";
        s = textState("p");
        s.opcode = opcode::kPing;
        s.fin = false;
        QTest::newRow("fragmented control frame") << s << 1 << "fragmented"
                                                  << "RFC 6455 §5.5";
        s = textState("abcdef");
        s.opcode = opcode::kPong;
        s.fragments = 2;
        QTest::newRow("control frame split in two") << s << 1 << "fragmented"
                                                    << "RFC 6455 §5.5";
        QTest::newRow("client frame unmasked") << textState("x") << 0 << "client must mask"
                                               << "RFC 6455 §5.1";
        QTest::newRow("server frame masked") << textState("x", true) << 1 << "server must not"
                                             << "RFC 6455 §5.1";
        addLengthAndSequenceRows();
    }

    void eachBrokenRuleIsReported() {
        QFETCH(CrafterState, state);
        QFETCH(int, role);
        QFETCH(QString, needle);
        QFETCH(QString, section);
        PlanContext context;
        context.role = role == 0 ? SenderRole::Client : SenderRole::Server;
        context.fixedKey = state.masked && !state.randomKey;
        const QList<CraftWarning> warnings = checkPlan(buildFramePlan(state, decodePayload(state)), context);
        QVERIFY2(mentions(warnings, needle), qPrintable(QStringList(sections(warnings)).join(", ")));
        for (const CraftWarning& warning : warnings) {
            if (warning.text.contains(needle, Qt::CaseInsensitive)) QCOMPARE(warning.section, section);
        }
    }

    void rsv1AllowedWithDeflateOnFirstFrameOnly() {
        CrafterState state = textState("compressed?");
        state.rsv1 = true;
        state.fragments = 2;
        PlanContext context{SenderRole::Server, true, false};
        FramePlan plan = buildFramePlan(state, decodePayload(state));
        QVERIFY(plan[0].rsv1 && !plan[1].rsv1);
        QVERIFY(checkPlan(plan, context).isEmpty());
        plan[1].rsv1 = true;
        const QList<CraftWarning> warnings = checkPlan(plan, context);
        QCOMPARE(warnings.size(), 1);
        QCOMPARE(warnings[0].section, QString("RFC 7692 §6"));
        QCOMPARE(warnings[0].frameIndex, 1);
    }

    void newMessageInsideFragmentedOne() {
        CrafterState state = textState("ab");
        FramePlan plan = buildFramePlan(state, "ab");
        plan[0].fin = false;
        plan.append(plan[0]);
        plan[1].fin = true;
        const QList<CraftWarning> warnings = checkPlan(plan, {SenderRole::Server});
        QVERIFY(mentions(warnings, "before the previous one ended"));
    }

    void templatesRoundTrip() {
        CrafterState state;
        state.fin = false;
        state.rsv1 = state.rsv3 = true;
        state.opcode = 0xB;
        state.masked = true;
        state.randomKey = false;
        state.maskKey = {1, 2, 3, 0xff};
        state.overrideLength = true;
        state.declaredLength = ~quint64{0};
        state.lengthMode = LengthMode::Bits16;
        state.payloadFormat = PayloadFormat::Base64;
        state.payloadText = "aGVsbG8=";
        state.payloadFile = "/tmp/payload.bin";
        state.fragments = 7;
        state.splitMode = SplitMode::Sizes;
        state.fragmentSizes = "1, 2, 3";
        state.pingBetween = true;
        state.pingPayload = "ping!";
        QCOMPARE(crafterStateFromJson(crafterStateToJson(state)), state);
        QCOMPARE(crafterStateFromJson(crafterStateToJson(CrafterState{})), CrafterState{});
    }

    // A captured frame loaded into the crafter (Edit in crafter) sends the very same bytes again.
    void capturedFrameCraftsTheSameBytes_data() {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<int>("format");  // PayloadFormat
        QTest::newRow("RFC 6455 §5.7 masked Hello")
            << QByteArray::fromHex("818537fa213d7f9f4d5158") << int(PayloadFormat::Text);
        QTest::newRow("unmasked binary, 16-bit length")
            << (QByteArray::fromHex("827e012c") + QByteArray(300, '\x5a')) << int(PayloadFormat::Hex);
        QTest::newRow("reserved opcode, rsv2+rsv3, fin 0")
            << QByteArray::fromHex("3302abcd") << int(PayloadFormat::Hex);
        QTest::newRow("forced 64-bit length, masked ping")
            << QByteArray::fromHex("89ff000000000000000201020304696b") << int(PayloadFormat::Hex);
        QTest::newRow("text that is not UTF-8") << QByteArray::fromHex("8102c080") << int(PayloadFormat::Hex);
        QTest::newRow("close 1000 bye") << QByteArray::fromHex("880503e8627965") << int(PayloadFormat::Hex);
    }

    void capturedFrameCraftsTheSameBytes() {
        QFETCH(QByteArray, wire);
        QFETCH(int, format);
        FrameData frame;
        QVERIFY(frameDataFromWire(wire, FrameDirection::Outgoing, 0, frame));
        const CrafterState state = crafterStateFromFrame(frame, true);
        QCOMPARE(int(state.payloadFormat), format);
        QString error;
        QCOMPARE(craftBytes(state, &error).toHex(' '), wire.toHex(' '));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        // Without keepMaskKey a masked frame gets a fresh key at each send (RFC 6455 §5.3).
        if (frame.header.masked) QVERIFY(crafterStateFromFrame(frame).randomKey);
    }

    void capturedLyingLengthIsKept() {
        FrameData frame;
        frame.header.opcode = opcode::kBinary;
        frame.header.payloadLength = 100;  // declared
        frame.payload = QByteArray::fromHex("0102");
        frame.payloadLength = 2;  // what was actually sent
        const CrafterState state = crafterStateFromFrame(frame);
        QVERIFY(state.overrideLength);
        QCOMPARE(state.declaredLength, quint64(100));
        QCOMPARE(craftBytes(state).toHex(' '), QByteArray("82 64 01 02"));
    }

    void opcodeLabels() {
        QCOMPARE(opcodeLabel(0x1), QString("0x1 text"));
        QCOMPARE(opcodeLabel(0x3), QString("0x3 (reserved)"));
        QCOMPARE(opcodeLabel(0xA), QString("0xA pong"));
        QCOMPARE(opcodeLabel(0xF), QString("0xF (reserved)"));
    }
};

QTEST_GUILESS_MAIN(TstFramePlan)
#include "tst_frame_plan.moc"
