// The hex view: highlight ranges follow the header sizes, selection and hex copy, and large data (only the
// visible lines are painted, so a multi-megabyte frame scrolls and grabs quickly).
#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QTest>

#include "widgets/frame_data.h"
#include "widgets/hex_view.h"

using namespace framescope;
using namespace framescope::ui;

Q_DECLARE_METATYPE(framescope::LengthEncoding)

class TstHexView : public QObject {
    Q_OBJECT

private slots:
    void rangesFollowHeaderSize_data() {
        QTest::addColumn<LengthEncoding>("encoding");
        QTest::addColumn<bool>("masked");
        QTest::addColumn<int>("headerSize");
        QTest::newRow("2") << LengthEncoding::Bits7 << false << 2;
        QTest::newRow("4") << LengthEncoding::Bits16 << false << 4;
        QTest::newRow("6") << LengthEncoding::Bits7 << true << 6;
        QTest::newRow("8") << LengthEncoding::Bits16 << true << 8;
        QTest::newRow("10") << LengthEncoding::Bits64 << false << 10;
        QTest::newRow("14") << LengthEncoding::Bits64 << true << 14;
    }

    void rangesFollowHeaderSize() {
        QFETCH(LengthEncoding, encoding);
        QFETCH(bool, masked);
        QFETCH(int, headerSize);
        FrameHeader header;
        header.lengthEncoding = encoding;
        header.masked = masked;
        const QList<ByteRange> ranges = frameByteRanges(header, 100);
        QCOMPARE(ranges.first(), (ByteRange{0, 1, FieldKind::Opcode}));
        QCOMPARE(ranges[1], (ByteRange{1, 1, FieldKind::PayloadLength}));
        qint64 next = 0;
        for (const ByteRange& range : ranges) {
            QCOMPARE(range.start, next);
            next += range.length;
        }
        QCOMPARE(ranges.last(), (ByteRange{headerSize, 100, FieldKind::Payload}));
        const int extended =
            encoding == LengthEncoding::Bits7 ? 0 : (encoding == LengthEncoding::Bits16 ? 2 : 8);
        bool sawExtended = false;
        bool sawKey = false;
        for (const ByteRange& range : ranges) {
            if (range.kind == FieldKind::ExtendedLength) {
                QCOMPARE(range, (ByteRange{2, extended, FieldKind::ExtendedLength}));
                sawExtended = true;
            }
            if (range.kind == FieldKind::MaskingKey) {
                QCOMPARE(range, (ByteRange{2 + extended, 4, FieldKind::MaskingKey}));
                sawKey = true;
            }
        }
        QCOMPARE(sawExtended, extended > 0);
        QCOMPARE(sawKey, masked);

        HexView view;
        view.setData(QByteArray(headerSize + 100, 'x'), ranges);
        QCOMPARE(view.rangeAt(0)->kind, FieldKind::Opcode);
        QCOMPARE(view.rangeAt(headerSize - 1)->kind,
                 masked ? FieldKind::MaskingKey
                        : (extended ? FieldKind::ExtendedLength : FieldKind::PayloadLength));
        QCOMPARE(view.rangeAt(headerSize)->kind, FieldKind::Payload);
        QVERIFY(view.rangeAt(headerSize + 100) == nullptr);
    }

    void noPayloadRangeForEmptyPayload() {
        FrameHeader header;
        QCOMPARE(frameByteRanges(header, 0).size(), 2);
    }

    void selectionCopiesHex() {
        HexView view;
        view.setData(QByteArray::fromHex("818537fa213d7f9f4d5158"));
        view.setSelection(2, 4);
        QCOMPARE(view.selectedBytes(), QByteArray::fromHex("37fa213d"));
        QCOMPARE(view.selectedHex(), QString("37 fa 21 3d"));
        view.copy();
        QCOMPARE(QApplication::clipboard()->text(), QString("37 fa 21 3d"));
        view.setSelection(9, 100);  // clamped to the data
        QCOMPARE(view.selectionLength(), 2);
        view.clearSelection();
        QCOMPARE(view.selectedHex(), QString("81 85 37 fa 21 3d 7f 9f 4d 51 58"));  // all when none selected
    }

    void mouseSelection() {
        HexView view;
        view.resize(700, 300);
        view.setData(QByteArray(64, 'a'));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const qint64 first = view.offsetAt(QPoint(120, 5));
        QVERIFY(first >= 0);
        QTest::mousePress(view.viewport(), Qt::LeftButton, {}, QPoint(120, 5));
        QTest::mouseMove(view.viewport(), QPoint(120, 25));
        QTest::mouseRelease(view.viewport(), Qt::LeftButton, {}, QPoint(120, 25));
        QCOMPARE(view.selectionStart(), first);
        QCOMPARE(view.selectionLength(), view.bytesPerLine() + 1);
    }

    void largeDataPaintsOnlyVisibleLines() {
        HexView view;
        view.resize(700, 400);
        QByteArray big(32 << 20, '\x5a');
        view.setData(big, {{0, 2, FieldKind::Opcode}, {2, big.size() - 2, FieldKind::Payload}});
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(view.lineCount(), (32 << 20) / 16);
        QElapsedTimer timer;
        timer.start();
        view.verticalScrollBar()->setValue(view.verticalScrollBar()->maximum());
        QVERIFY(!view.grab().isNull());
        view.scrollToOffset(big.size() / 2);
        QVERIFY(!view.grab().isNull());
        QVERIFY2(timer.elapsed() < 2000, "painting a 32 MiB view must not walk the whole buffer");
        QVERIFY(view.verticalScrollBar()->value() > 0);
    }
};

QTEST_MAIN(TstHexView)
#include "tst_hex_view.moc"
