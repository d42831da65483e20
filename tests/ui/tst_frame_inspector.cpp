// The frame inspector: empty state, summary (direction, opcode, close code with its name, violation), the
// wire bytes masked and unmasked, the JSON tab (a tree for JSON, a message otherwise), the hex tab for binary
// payloads, the sibling list's signal, and bounded text: a 1 MiB message on one line shows its first 64 KiB
// in display lines of at most 1,000 characters, says so, shows more on request and saves in full.
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include "framescope/byte_buffer.h"
#include "widgets/frame_inspector.h"
#include "widgets/header_diagram_widget.h"
#include "widgets/hex_view.h"
#include "widgets/json_tree.h"
#include "widgets/payload_text.h"

using namespace framescope;
using namespace framescope::ui;

namespace {

FrameData frameFor(uint8_t op, const QByteArray& payload, bool masked) {
    RawFrameSpec spec;
    spec.opcode = op;
    spec.masked = masked;
    spec.maskKey = {0x37, 0xfa, 0x21, 0x3d};
    spec.payload = {reinterpret_cast<const uint8_t*>(payload.constData()),
                    static_cast<size_t>(payload.size())};
    ByteBuffer out;
    encodeRawFrame(spec, out);
    FrameData frame;
    const QByteArray wire(reinterpret_cast<const char*>(out.data()), static_cast<qsizetype>(out.size()));
    if (!frameDataFromWire(wire, FrameDirection::Incoming, 1700000000000000, frame))
        qFatal("bad sample frame");
    return frame;
}

}  // namespace

class TstFrameInspector : public QObject {
    Q_OBJECT

private slots:
    void emptyState() {
        FrameInspector inspector;
        QVERIFY(!inspector.hasFrame());
        inspector.setFrame(frameFor(opcode::kText, "hi", false));
        QVERIFY(inspector.hasFrame());
        inspector.clear();
        QVERIFY(!inspector.hasFrame());
        QVERIFY(!inspector.diagram()->hasHeader());
    }

    void jsonShowsTree() {
        FrameInspector inspector;
        inspector.setFrame(frameFor(opcode::kText, R"({"a":1,"b":[true,null,"x"],"c":{"d":2.5}})", true));
        QVERIFY(inspector.jsonTreeShown());
        QTreeWidget* tree = inspector.jsonTree();
        QCOMPARE(tree->topLevelItemCount(), 1);
        QTreeWidgetItem* root = tree->topLevelItem(0);
        QCOMPARE(root->childCount(), 3);
        QCOMPARE(root->child(0)->text(0), QString("a"));
        QCOMPARE(root->child(0)->text(1), QString("1"));
        QCOMPARE(root->child(1)->childCount(), 3);
        QCOMPARE(root->child(1)->child(2)->text(1), QString("\"x\""));
        QCOMPARE(root->child(2)->child(0)->text(2), QString("number"));
    }

    void notJsonSaysSo() {
        FrameInspector inspector;
        inspector.setFrame(frameFor(opcode::kText, "plain words", false));
        QVERIFY(!inspector.jsonTreeShown());
        QVERIFY(inspector.jsonMessage().startsWith("Not JSON"));
        QCOMPARE(inspector.payloadText(), QString("plain words"));
        inspector.setFrame(frameFor(opcode::kText, "", false));
        QVERIFY(!inspector.jsonTreeShown());
        QVERIFY(inspector.jsonMessage().contains("empty"));
    }

    void wireBytesMaskedAndUnmasked() {
        FrameInspector inspector;
        inspector.setFrame(frameFor(opcode::kText, "Hello", true));
        QVERIFY(inspector.showsMasked());
        QCOMPARE(inspector.wireView()->data(),
                 QByteArray::fromHex("818537fa213d7f9f4d5158"));  // RFC 6455 §5.7
        inspector.setShowMasked(false);
        QCOMPARE(inspector.wireView()->data(), QByteArray::fromHex("818537fa213d") + "Hello");
        QCOMPARE(inspector.wireView()->ranges().size(), 4);  // byte 0, byte 1, key, payload
        QCOMPARE(inspector.payloadHexView()->data(), QByteArray("Hello"));
    }

    void binaryOpensOnHexTab() {
        FrameInspector inspector;
        inspector.setFrame(frameFor(opcode::kBinary, QByteArray::fromHex("00ff80fe"), false));
        QCOMPARE(inspector.payloadTabs()->currentIndex(), int(FrameInspector::HexTab));
        inspector.setFrame(frameFor(opcode::kText, "text again", false));
        QCOMPARE(inspector.payloadTabs()->currentIndex(), int(FrameInspector::TextTab));
    }

    void summaryNamesCloseCodeAndViolation() {
        FrameInspector inspector;
        FrameData close = frameFor(opcode::kClose, QByteArray::fromHex("03e9") + "going", false);
        QVERIFY(close.hasCloseCode);
        QCOMPARE(close.closeCode, quint16(1001));
        close.violation = "Opcode 0xB is reserved (RFC 6455 §5.2).";
        inspector.setFrame(close);
        const QString summary = inspector.summaryText();
        QVERIFY2(summary.contains("1001"), qPrintable(summary));
        QVERIFY2(summary.contains("Going away", Qt::CaseInsensitive), qPrintable(summary));
        QVERIFY(summary.contains("going"));
        QVERIFY(summary.contains("received"));
        QVERIFY(summary.contains("RFC 6455 §5.2"));
    }

    void compressedShowsBothSizes() {
        FrameInspector inspector;
        FrameData frame = frameFor(opcode::kText, "compressed-bytes", false);
        frame.compressed = true;
        frame.wireSize = 16;
        frame.inflated = "the inflated message";
        inspector.setFrame(frame);
        QVERIFY(inspector.summaryText().contains("16 bytes on the wire"));
        QVERIFY(inspector.summaryText().contains("20 bytes inflated"));
        QCOMPARE(inspector.payloadText(), QString("the inflated message"));
    }

    void siblingsEmitIndex() {
        FrameInspector inspector;
        FrameData frame = frameFor(opcode::kContinuation, "b", false);
        frame.siblings = {{10, opcode::kText, false, 1, false}, {11, opcode::kContinuation, true, 1, true}};
        inspector.setFrame(frame);
        auto* list = inspector.findChild<QListWidget*>();
        QVERIFY(list);
        QCOMPARE(list->count(), 2);
        QSignalSpy spy(&inspector, &FrameInspector::siblingActivated);
        emit list->itemClicked(list->item(0));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toLongLong(), 10);
    }

    void clickingADiagramFieldSelectsItsBytes() {
        FrameInspector inspector;
        inspector.setFrame(frameFor(opcode::kText, QByteArray(300, 'a'), true));
        emit inspector.diagram()->fieldClicked(FieldKind::ExtendedLength);
        QCOMPARE(inspector.wireView()->selectionStart(), 2);
        QCOMPARE(inspector.wireView()->selectionLength(), 2);
        emit inspector.diagram()->fieldClicked(FieldKind::MaskingKey);
        QCOMPARE(inspector.wireView()->selectionStart(), 4);
        QCOMPARE(inspector.wireView()->selectionLength(), 4);
    }

    // A 1 MiB text message on one line (it froze the window for over a minute when laid out whole): the
    // inspector, shown and painted, holds a bounded text with the truncation line, and all of it is saved.
    void hugeOneLineTextIsBounded() {
        QByteArray payload;
        while (payload.size() < (1 << 20))
            payload += "lorem ipsum dolor sit amet é ";
        payload.truncate(1 << 20);
        FrameInspector inspector;
        inspector.resize(900, 700);
        inspector.show();
        QVERIFY(QTest::qWaitForWindowExposed(&inspector));
        inspector.setFrame(frameFor(opcode::kText, payload, true));
        inspector.grab();  // lays out and paints the visible text
        QCOMPARE(inspector.payloadTabs()->currentIndex(), int(FrameInspector::TextTab));
        const QString shown = inspector.payloadText();
        QVERIFY(shown.size() <= FrameInspector::kTextShownLimit + FrameInspector::kTextShownLimit / 1000 + 1);
        QVERIFY(shown.size() > FrameInspector::kTextShownLimit / 2);
        for (const QString& line : shown.split(QLatin1Char('\n')))
            QVERIFY(line.size() <= kDisplayLineChars);
        QVERIFY(payload.startsWith(shown.left(kDisplayLineChars).toUtf8()));
        QVERIFY2(inspector.textNoteText().contains(
                     QStringLiteral("Showing the first %L1 bytes of %L2 bytes.").arg(64 << 10).arg(1 << 20)),
                 qPrintable(inspector.textNoteText()));
        QVERIFY(inspector.textNoteText().contains("broken for display"));
        QVERIFY(inspector.showMoreButton()->isVisible());
        const auto* base64 =
            inspector.payloadTabs()->widget(FrameInspector::Base64Tab)->findChild<QPlainTextEdit*>();
        QVERIFY(base64);
        const auto* base64Note =
            inspector.payloadTabs()->widget(FrameInspector::Base64Tab)->findChild<QLabel*>();
        QVERIFY(base64Note && !base64Note->isHidden());
        QVERIFY(base64Note->text().contains(QStringLiteral("Base64 of the first %L1 bytes").arg(64 << 10)));
        QVERIFY(base64->toPlainText().size() < (100 << 10));

        QTest::mouseClick(inspector.showMoreButton(), Qt::LeftButton);
        QCOMPARE(inspector.shownTextBytes(), qsizetype(128 << 10));
        QVERIFY(inspector.payloadText().size() > FrameInspector::kTextShownLimit);
        QVERIFY(inspector.textNoteText().contains(QStringLiteral("%L1 bytes of").arg(128 << 10)));
        while (inspector.showMoreButton()->isVisible())
            inspector.showMoreText();
        QCOMPARE(inspector.shownTextBytes(), qsizetype(1 << 20));
        QVERIFY(!inspector.textNoteText().contains("Showing the first"));
        QCOMPARE(inspector.payloadText().remove(QLatin1Char('\n')), QString::fromUtf8(payload));

        QTemporaryDir dir;
        QString error;
        QVERIFY2(inspector.savePayload(dir.filePath("payload.txt"), &error), qPrintable(error));
        QFile saved(dir.filePath("payload.txt"));
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(saved.readAll(), payload);

        inspector.setFrame(frameFor(opcode::kText, "short again", false));  // the limit starts over
        QCOMPARE(inspector.shownTextBytes(), FrameInspector::kTextShownLimit);
        QVERIFY(inspector.textNoteText().isEmpty());
    }

    // Display lines: at most N characters, never a split surrogate pair, existing line breaks kept; a cut
    // never splits a UTF-8 character.
    void longLinesBreakCheaply() {
        bool broken = false;
        QCOMPARE(breakLongLines("abcdefg\nhi", 3, &broken), QString("abc\ndef\ng\nhi"));
        QVERIFY(broken);
        QCOMPARE(breakLongLines("abc\ndef", 3, &broken), QString("abc\ndef"));
        QVERIFY(!broken);
        const QString emoji = QString::fromUtf8("ab\xF0\x9F\x98\x80");  // a, b, then a surrogate pair
        QCOMPARE(breakLongLines(emoji, 3), QString::fromUtf8("ab\xF0\x9F\x98\x80"));
        const PayloadText cut = payloadText(QByteArray("a\xC3\xA9"), 2);  // "aé" cut inside the é
        QCOMPARE(cut.shownBytes, qsizetype(1));
        QVERIFY(cut.validUtf8);
        QCOMPARE(cut.text, QString("a"));
        QCOMPARE(base64Text(QByteArray(100, 'x'), 100).split('\n').first().size(), 76);
    }

    // A JSON message holding a 1 MiB string: its tree cell shows the first 1,000 characters and the length
    // (a cell is laid out whole on every paint).
    void hugeJsonStringIsBounded() {
        FrameInspector inspector;
        inspector.setFrame(frameFor(opcode::kText, "{\"data\":\"" + QByteArray(1 << 20, 'x') + "\"}", false));
        QVERIFY(inspector.jsonTreeShown());
        const QString cell = inspector.jsonTree()->topLevelItem(0)->child(0)->text(1);
        QVERIFY(cell.size() < kJsonValueChars + 40);
        QVERIFY(cell.startsWith("\"xxx"));
        QVERIFY2(cell.endsWith(QStringLiteral("… (%L1 characters)").arg(1 << 20)),
                 qPrintable(cell.right(40)));
    }

    // A text message longer than the JSON tab's 4 MiB whose 4 MiB cut falls inside a character is still
    // valid text: it stays on the Text tab.
    void textCutInsideACharacterStaysText() {
        const QByteArray payload = QByteArray(FrameInspector::kTextPreviewLimit - 1, 'a') + "\xC3\xA9 end";
        FrameInspector inspector;
        inspector.setFrame(frameFor(opcode::kText, payload, false));
        QCOMPARE(inspector.payloadTabs()->currentIndex(), int(FrameInspector::TextTab));
        QVERIFY(!inspector.textNoteText().contains("UTF-8"));
    }
};

QTEST_MAIN(TstFrameInspector)
#include "tst_frame_inspector.moc"
