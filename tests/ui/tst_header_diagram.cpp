// The RFC 6455 §5.2 header drawing: which fields appear for 2-, 4-, 6-, 8-, 10- and 14-byte headers, their
// bit positions, values and rectangles (32 bits per row), and the tooltips.
#include <QTest>

#include "widgets/header_diagram_widget.h"

using namespace framescope;
using namespace framescope::ui;

Q_DECLARE_METATYPE(framescope::FrameHeader)

namespace {

FrameHeader makeHeader(uint64_t length, LengthEncoding encoding, bool masked) {
    FrameHeader header;
    header.opcode = opcode::kBinary;
    header.payloadLength = length;
    header.lengthEncoding = encoding;
    header.masked = masked;
    header.maskKey = {0x37, 0xfa, 0x21, 0x3d};
    header.headerSize = static_cast<uint8_t>(frameHeaderSize(encoding, masked));
    return header;
}

const DiagramField* find(const HeaderDiagramWidget& diagram, FieldKind kind) {
    for (const DiagramField& field : diagram.fields()) {
        if (field.kind == kind) return &field;
    }
    return nullptr;
}

}  // namespace

class TstHeaderDiagram : public QObject {
    Q_OBJECT

private slots:
    void layout_data() {
        QTest::addColumn<FrameHeader>("header");
        QTest::addColumn<int>("headerBytes");
        QTest::addColumn<int>("fieldCount");
        QTest::addColumn<int>("rows");
        QTest::addColumn<QString>("lengthValue");
        QTest::addColumn<QString>("extendedValue");
        QTest::newRow("2 bytes") << makeHeader(5, LengthEncoding::Bits7, false) << 2 << 7 << 1 << "5"
                                 << "";
        QTest::newRow("4 bytes") << makeHeader(300, LengthEncoding::Bits16, false) << 4 << 8 << 1
                                 << "126 → 16-bit"
                                 << "300 bytes";
        QTest::newRow("6 bytes") << makeHeader(125, LengthEncoding::Bits7, true) << 6 << 8 << 2 << "125"
                                 << "";
        QTest::newRow("8 bytes") << makeHeader(65535, LengthEncoding::Bits16, true) << 8 << 9 << 2
                                 << "126 → 16-bit"
                                 << "65535 bytes";
        QTest::newRow("10 bytes") << makeHeader(70000, LengthEncoding::Bits64, false) << 10 << 8 << 3
                                  << "127 → 64-bit"
                                  << "70000 bytes";
        QTest::newRow("14 bytes") << makeHeader(9007199254740993ull, LengthEncoding::Bits64, true) << 14 << 9
                                  << 4 << "127 → 64-bit"
                                  << "9007199254740993 bytes";
    }

    void layout() {
        QFETCH(FrameHeader, header);
        QFETCH(int, headerBytes);
        QFETCH(int, fieldCount);
        QFETCH(int, rows);
        QFETCH(QString, lengthValue);
        QFETCH(QString, extendedValue);
        HeaderDiagramWidget diagram;
        diagram.resize(diagram.sizeHint().width(), 400);  // room for 32-bit rows
        diagram.setHeader(header);
        QCOMPARE(diagram.bitsPerRow(), 32);
        QCOMPARE(diagram.fields().size(), fieldCount);
        QCOMPARE(diagram.rowCount(), rows);
        QVERIFY(diagram.sizeHint().height() >= rows * diagram.rowHeight());

        // Every field covers its bits exactly once, in wire order, with no gaps: 8 * headerBytes bits.
        int nextBit = 0;
        for (const DiagramField& field : diagram.fields()) {
            QCOMPARE(field.bitOffset, nextBit);
            nextBit += field.bitWidth;
            int covered = 0;
            for (const QRect& rect : field.rects) {
                QCOMPARE(rect.width() % diagram.cellWidth(), 0);
                QCOMPARE(rect.height(), diagram.rowHeight());
                covered += rect.width() / diagram.cellWidth();
            }
            QCOMPARE(covered, field.bitWidth);
            if (field.bitWidth <= 64) QCOMPARE(field.bits.size(), field.bitWidth);
            QVERIFY(!field.toolTip.isEmpty());
            QVERIFY(field.toolTip.contains("RFC"));
            // The first rectangle starts where the bit offset says.
            const QPoint origin = diagram.gridOrigin();
            QCOMPARE(field.rects[0].left(), origin.x() + (field.bitOffset % 32) * diagram.cellWidth());
            QCOMPARE(field.rects[0].top(), origin.y() + (field.bitOffset / 32) * diagram.rowHeight());
            QCOMPARE(diagram.fieldAt(field.rects.last().center()), &field);
        }
        QCOMPARE(nextBit, headerBytes * 8);

        const DiagramField* opcodeField = find(diagram, FieldKind::Opcode);
        QVERIFY(opcodeField);
        QCOMPARE(opcodeField->value, QString("0x2 binary"));
        QCOMPARE(opcodeField->bits, QString("0010"));
        QCOMPARE(opcodeField->rects[0].width(), 4 * diagram.cellWidth());
        QCOMPARE(find(diagram, FieldKind::PayloadLength)->value, lengthValue);
        const DiagramField* extended = find(diagram, FieldKind::ExtendedLength);
        QCOMPARE(extended != nullptr, !extendedValue.isEmpty());
        if (extended) QCOMPARE(extended->value, extendedValue);
        const DiagramField* key = find(diagram, FieldKind::MaskingKey);
        QCOMPARE(key != nullptr, header.masked);
        if (key) {
            QCOMPARE(key->value, QString("37 fa 21 3d"));
            QCOMPARE(key->bits, QString("00110111111110100010000100111101"));
        }
    }

    // Narrower than 32 readable cells, the drawing folds into 16-bit rows and every bit stays in view.
    void foldsIntoSixteenBitRowsWhenNarrow() {
        HeaderDiagramWidget diagram;
        QVERIFY(diagram.minimumSizeHint().width() < diagram.sizeHint().width());
        diagram.resize(diagram.minimumSizeHint().width(), 400);
        diagram.setHeader(makeHeader(300, LengthEncoding::Bits16, true));  // 8 bytes
        QCOMPARE(diagram.bitsPerRow(), 16);
        QCOMPARE(diagram.rowCount(), 4);
        int bits = 0;
        for (const DiagramField& field : diagram.fields()) {
            for (const QRect& rect : field.rects)
                QVERIFY2(rect.right() < diagram.width(), qPrintable(field.name));
            bits += field.bitWidth;
        }
        QCOMPARE(bits, 64);
        diagram.resize(diagram.sizeHint().width(), 400);
        diagram.setHeader(makeHeader(300, LengthEncoding::Bits16, true));
        QCOMPARE(diagram.bitsPerRow(), 32);
        QCOMPARE(diagram.rowCount(), 2);
    }

    void sixtyFourBitLengthSpansThreeRows() {
        HeaderDiagramWidget diagram;
        diagram.resize(diagram.sizeHint().width(), 400);
        diagram.setHeader(makeHeader(70000, LengthEncoding::Bits64, true));
        const DiagramField* extended = find(diagram, FieldKind::ExtendedLength);
        QCOMPARE(extended->rects.size(), 3);  // bits 16-31, a whole row, bits 0-15
        QCOMPARE(extended->rects[1].width(), 32 * diagram.cellWidth());
        const DiagramField* key = find(diagram, FieldKind::MaskingKey);
        QCOMPARE(key->rects.size(), 2);  // row 2 bits 16-31, row 3 bits 0-15
        QCOMPARE(key->bitOffset, 80);
    }

    void bitsOfFirstBytes() {
        FrameHeader header = makeHeader(3, LengthEncoding::Bits7, true);
        header.fin = false;
        header.rsv1 = true;
        header.opcode = 0xB;
        HeaderDiagramWidget diagram;
        diagram.setHeader(header);
        QCOMPARE(find(diagram, FieldKind::Fin)->bits, QString("0"));
        QCOMPARE(find(diagram, FieldKind::Rsv1)->bits, QString("1"));
        QCOMPARE(find(diagram, FieldKind::Mask)->bits, QString("1"));
        QCOMPARE(find(diagram, FieldKind::PayloadLength)->bits, QString("0000011"));
        QCOMPARE(find(diagram, FieldKind::Opcode)->value, QString("0xB (reserved)"));
        QVERIFY(find(diagram, FieldKind::Opcode)->suspicious);
        QVERIFY(!find(diagram, FieldKind::Rsv1)->suspicious);
    }

    void nonMinimalEncodingIsFlagged() {
        HeaderDiagramWidget diagram;
        diagram.setHeader(makeHeader(5, LengthEncoding::Bits64, false));
        QVERIFY(find(diagram, FieldKind::ExtendedLength)->suspicious);
        diagram.setHeader(makeHeader(70000, LengthEncoding::Bits64, false));
        QVERIFY(!find(diagram, FieldKind::ExtendedLength)->suspicious);
    }

    void clearedAndRepainted() {
        HeaderDiagramWidget diagram;
        diagram.setHeader(makeHeader(5, LengthEncoding::Bits7, false));
        diagram.show();
        QVERIFY(!diagram.grab().isNull());
        diagram.clear();
        QVERIFY(!diagram.hasHeader());
        QVERIFY(diagram.fields().isEmpty());
        QVERIFY(!diagram.grab().isNull());
    }
};

QTEST_MAIN(TstHeaderDiagram)
#include "tst_header_diagram.moc"
