// Export of the capture: a store row written as JSON is byte for byte what framescope-cli writes for the
// frame or note as captured (net/json_lines.h), for plain, fragmented, compressed, close, crafted and
// violating frames; CSV quotes what needs quoting and names each row's connection (Conn) and a proxy's leg;
// the files parse back.
#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "capture/capture_export.h"
#include "capture/capture_store.h"
#include "capture_test_util.h"
#include "net/json_lines.h"

using namespace framescope;
using namespace framescope::app;
using framescope::app::test::FrameBuilder;

class TstCaptureExport : public QObject {
    Q_OBJECT

private slots:
    void rowJsonEqualsTheCliJson() {
        CaptureStore store;
        QList<QByteArray> expected;
        auto add = [&](FrameBuilder& b) {
            b.frame.timestampUs = 1700000000000000 + expected.size();
            expected << frameToJson(b.frame);
            store.addFrame(b.frame);
        };
        FrameBuilder text(opcode::kText, "hello \"world\"\n", Direction::Outgoing);
        text.frame.messageIndex = 0;
        add(text);
        FrameBuilder first(opcode::kBinary, "\x01\x02\xff", Direction::Incoming);
        first.frame.header.fin = false;
        first.setDeclaredLength(3);
        first.frame.endsMessage = false;
        first.frame.messageIndex = 0;
        add(first);
        FrameBuilder last(opcode::kContinuation, "\x04", Direction::Incoming);
        last.frame.messageIndex = 0;
        last.frame.messageWireSize = 4;
        add(last);
        FrameBuilder compressed(opcode::kText, "\xf2\x48\xcd\xc9\xc9\x07\x00", Direction::Incoming);
        compressed.frame.header.rsv1 = true;
        compressed.setDeclaredLength(7);
        compressed.frame.messageIndex = 1;
        compressed.setInflated("Hello");
        add(compressed);
        const auto body = test::closeBody(1002, "bad opcode");
        FrameBuilder close(opcode::kClose, body);
        close.frame.closeCode = 1002;
        add(close);
        FrameBuilder crafted(0x3, "x", Direction::Outgoing);
        crafted.frame.crafted = true;
        crafted.frame.endsMessage = false;
        crafted.frame.messageWireSize = 0;
        add(crafted);
        FrameBuilder bad(0xB, "?", Direction::Incoming);
        bad.frame.violation = "Opcode 0xB is reserved (RFC 6455 §5.2).";
        add(bad);
        QCOMPARE(store.size(), size_t(expected.size()));
        for (size_t row = 0; row < store.size(); ++row)
            QCOMPARE(rowToJson(store, row), expected[qsizetype(row)]);
    }

    void notesEqualTheCliJson() {
        CaptureStore store;
        CapturedNote note;
        note.timestampUs = 42;
        note.connectionId = 3;
        note.direction = Direction::Outgoing;
        note.kind = NoteKind::HandshakeRequest;
        note.text = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        store.addNote(note);
        QCOMPARE(rowToJson(store, 0), noteToJson(note));
    }

    void jsonLinesParseBack() {
        CaptureStore store;
        FrameBuilder text(opcode::kText, "a,b", Direction::Outgoing);
        store.addFrame(text.frame);
        CapturedNote note;
        note.text = "Open: ok";
        store.addNote(note);
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        QCOMPARE(exportCapture(store, buffer, {}), qint64(2));
        const QList<QByteArray> lines = buffer.data().split('\n');
        QCOMPARE(lines.size(), 3);  // the last line ends with a newline
        QVERIFY(lines[2].isEmpty());
        const QJsonObject frame = QJsonDocument::fromJson(lines[0]).object();
        QCOMPARE(frame.value("type").toString(), QString("frame"));
        QCOMPARE(frame.value("payload").toString(), QString("a,b"));
        QCOMPARE(frame.keys().size(), 29);
        QCOMPARE(QJsonDocument::fromJson(lines[1]).object().value("kind").toString(), QString("status"));
        ExportOptions framesOnly;
        framesOnly.withNotes = false;
        QBuffer frames;
        frames.open(QIODevice::WriteOnly);
        QCOMPARE(exportCapture(store, frames, framesOnly), qint64(1));
    }

    void csvQuotesAndCountsRows() {
        CaptureStore store;
        FrameBuilder text(opcode::kText, "say \"hi\", then go", Direction::Outgoing);
        store.addFrame(text.frame);
        FrameBuilder ping(opcode::kPing, "", Direction::Incoming, 7);
        ping.frame.leg = Leg::Upstream;  // a proxy's frame names its leg
        store.addFrame(ping.frame);
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        ExportOptions options;
        options.format = ExportFormat::Csv;
        QCOMPARE(exportCapture(store, buffer, options), qint64(2));
        const QList<QByteArray> lines = buffer.data().split('\n');
        QCOMPARE(lines[0], QByteArray("#,Time,Conn,Leg,Dir,Opcode,FIN,RSV,MASK,Length,Preview"));
        QVERIFY2(lines[1].startsWith("1,0.000000,1,,→,text,1,---,1,17,"), lines[1].constData());
        QVERIFY(lines[1].endsWith("\"say \"\"hi\"\", then go\""));
        QVERIFY2(lines[2].startsWith("2,0.000000,7,upstream,←,ping,1,---,0,0"), lines[2].constData());
        options.format = ExportFormat::Text;
        QBuffer text2;
        text2.open(QIODevice::WriteOnly);
        exportCapture(store, text2, options);
        QCOMPARE(text2.data().split('\n')[1].split('\t').size(), 11);
        QCOMPARE(text2.data().split('\n')[2].split('\t')[2], QByteArray("7"));
    }

    void fileExportReportsErrors() {
        CaptureStore store;
        QString error;
        QCOMPARE(exportCaptureToFile(store, "/nonexistent-dir/x.jsonl", {}, &error), qint64(-1));
        QVERIFY(error.contains("/nonexistent-dir/x.jsonl"));
        QTemporaryDir dir;
        QCOMPARE(exportCaptureToFile(store, dir.filePath("empty.jsonl"), {}, &error), qint64(0));
    }
};

QTEST_GUILESS_MAIN(TstCaptureExport)
#include "tst_capture_export.moc"
