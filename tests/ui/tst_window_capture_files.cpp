// File → Save / Open in the window: a live conversation saved as a session file opens in a new window as
// the same rows; the selected rows alone save and open; the pcapng export opens (imported through the
// pcap reader) with the same frames, and so do a tcpdump recording and a Wireshark (dumpcap) recording. With
// FRAMESCOPE_SCREENSHOT_DIR set, the window showing the imported Wireshark recording is saved there as
// window-imported-wireshark.png.
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <array>
#include <vector>

#include "capture/capture_export.h"
#include "widgets/frame_inspector.h"
#include "window/frame_log_view.h"
#include "window/main_window.h"
#include "window/session_controller.h"
#include "window_test_util.h"

using namespace framescope;
using namespace framescope::ui;

namespace {

QStringList frameJson(const app::CaptureStore& store) {
    QStringList out;
    for (size_t row = 0; row < store.size(); ++row) {
        if (!store.record(row).isNote()) out << QString::fromUtf8(app::rowToJson(store, row));
    }
    return out;
}

// A recording by Wireshark's dumpcap (`dumpcap -i lo`, pcapng with nanosecond timestamps) of the Node
// ws server and the Python websockets client, permessage-deflate: its 14 frames open in the window and
// the 1 MiB text (1,046 bytes on the wire) shows inflated in the inspector, its first 64 KiB.
void openWiresharkRecording(MainWindow& window) {
    QString error;
    QString warning;
    const QString recording = QFINDTESTDATA("../data/capture_seeds/dumpcap_lo_deflate.pcapng");
    QVERIFY2(window.openCapture(recording, &error, &warning) > 0, qPrintable(error));
    QVERIFY2(warning.isEmpty(), qPrintable(warning));
    const app::CaptureStore& store = window.controller()->store();
    QCOMPARE(test::countRows(store,
                             [](const app::CaptureStore& s, size_t row) { return !s.record(row).isNote(); }),
             size_t{14});
    QVERIFY(test::findRow(store, test::frameWith(opcode::kText, app::Direction::Incoming, "hello")));
    const auto big = test::findRow(
        store, test::frameWith(opcode::kText, app::Direction::Outgoing, QByteArray(1 << 20, 'x')));
    QVERIFY(big);
    window.resize(1366, 768);
    window.controller()->model()->fetchPublished();
    window.logView()->selectStoreRow(*big);
    QVERIFY(window.inspector()->textNoteText().contains("Showing the first"));
    const QByteArray screenshots = qgetenv("FRAMESCOPE_SCREENSHOT_DIR");
    if (!screenshots.isEmpty()) {
        QTest::qWait(200);
        QVERIFY(window.grab().save(QString::fromUtf8(screenshots) + "/window-imported-wireshark.png"));
    }
}

}  // namespace

class TstWindowCaptureFiles : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(settingsDir_.isValid());
        test::isolateSettings(settingsDir_);
    }

    void saveAndOpen() {
        MainWindow window(test::clientSideOnly());
        window.show();
        window.connectToUrl();
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->isOpen(), 10000);
        window.controller()->sendText("first message");
        window.controller()->sendText(QString(2000, 'w'));
        window.controller()->sendBinary(QByteArray("\x00\xff\x10", 3));
        const app::CaptureStore& store = window.controller()->store();
        QTRY_VERIFY_WITH_TIMEOUT(
            test::findRow(store, test::frameWith(opcode::kBinary, app::Direction::Incoming,
                                                 QByteArray("\x00\xff\x10", 3))),
            10000);
        window.disconnectFromPeer();
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isActive(), 10000);
        const QStringList frames = frameJson(store);

        QTemporaryDir dir;
        QString error;
        const QString fscap = dir.filePath("all.fscap");
        QCOMPARE(window.saveCapture(fscap, MainWindow::SaveScope::All, &error), qint64(store.size()));
        const QString pcapng = dir.filePath("all.pcapng");
        QVERIFY2(window.saveCapture(pcapng, MainWindow::SaveScope::All, &error) > 0, qPrintable(error));

        window.controller()->model()->fetchPublished();
        QTableView* table = window.logView()->table();
        table->selectionModel()->select(table->model()->index(3, 0),
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
        table->selectionModel()->select(table->model()->index(5, 0),
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
        const QString selected = dir.filePath("selected.fscap");
        QCOMPARE(window.saveCapture(selected, MainWindow::SaveScope::Selection, &error), qint64(2));

        MainWindow other(test::clientSideOnly());
        other.show();
        QCOMPARE(other.openCapture(fscap, &error), qint64(store.size()));
        QCOMPARE(frameJson(other.controller()->store()), frames);
        QTRY_COMPARE(other.logView()->model()->rowCount(), int(store.size()));

        QCOMPARE(other.openCapture(selected, &error), qint64(2));
        QCOMPARE(other.controller()->store().size(), size_t{2});

        QString warning;
        QVERIFY2(other.openCapture(pcapng, &error, &warning) > 0, qPrintable(error));
        QVERIFY2(warning.isEmpty(), qPrintable(warning));
        QCOMPARE(frameJson(other.controller()->store()), frames);
        // A tcpdump recording (Python websockets server, Node ws client, permessage-deflate) opens too.
        const QString recording = QFINDTESTDATA("../data/capture_seeds/lo_deflate.pcap");
        QVERIFY2(other.openCapture(recording, &error, &warning) == 16, qPrintable(error));
        QVERIFY2(warning.isEmpty(), qPrintable(warning));
        openWiresharkRecording(other);
        if (QTest::currentTestFailed()) return;

        checkReplay(other, window.controller()->serverUrl(), fscap);
        if (QTest::currentTestFailed()) return;
        QVERIFY(other.openCapture(dir.filePath("missing.fscap"), &error) < 0);
        QVERIFY2(error.startsWith("Cannot open"), qPrintable(error));
    }

    // Past the capture limit the oldest rows spill to the session file named in the options; the log keeps
    // the newest rows and the status bar says what happened.
    void retentionInTheStatusBar() {
        MainWindow window(test::clientSideOnly());
        window.show();
        QTemporaryDir dir;
        app::RetentionOptions options;
        options.limitBytes = 10 << 20;
        options.spillPath = dir.filePath("spill.fscap").toStdString();
        window.setCaptureRetention(options);
        app::CaptureStore& store = window.controller()->store();
        std::vector<uint8_t> payload(1000, 's');
        std::array<uint8_t, kMaxFrameHeaderSize> raw{};
        for (int i = 0; i < 10000; ++i) {
            app::CapturedFrame f;
            f.timestampUs = i;
            f.connectionId = 1;
            f.header.opcode = opcode::kBinary;
            f.header.payloadLength = payload.size();
            f.header.lengthEncoding = minimalLengthEncoding(payload.size());
            f.header.headerSize = 4;
            f.rawHeader = std::span<const uint8_t>(raw.data(), encodeFrameHeader(f.header, raw.data()));
            f.payload = payload;
            f.endsMessage = true;
            f.messageWireSize = payload.size();
            store.addFrame(f);
        }
        window.controller()->model()->fetchPublished();
        window.enforceRetention();
        QCOMPARE(window.captureRetention().spilledRows() + store.size(), uint64_t(10000));
        QVERIFY(window.captureRetention().spilledRows() > 0);
        QCOMPARE(window.logView()->model()->rowCount(), int(store.size()));
        QVERIFY2(window.retentionText().contains("oldest rows spilled to"),
                 qPrintable(window.retentionText()));
        QCOMPARE(store.record(0).timestampUs, int64_t(window.captureRetention().spilledRows()));
        MainWindow other(test::clientSideOnly());
        QString error;
        QCOMPARE(other.openCapture(dir.filePath("spill.fscap"), &error),
                 qint64(window.captureRetention().spilledRows()));
    }

private:
    // Replay to… the built-in server: the echoes match, and the status bar says so.
    static void checkReplay(MainWindow& other, const QUrl& server, const QString& fscap) {
        QString error;
        const QByteArray screenshots = qgetenv("FRAMESCOPE_SCREENSHOT_DIR");
        QVERIFY2(other.openCapture(fscap, &error) > 0, qPrintable(error));
        app::ReplayRunner* runner = other.replayTo(server);
        QVERIFY(runner != nullptr);
        QSignalSpy finished(runner, &app::ReplayRunner::finished);
        QVERIFY(finished.wait(20000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QVERIFY(finished.first().at(1).toString().contains("3 of 3 replies match"));
        QTRY_VERIFY(
            other.filesStatusText().contains("Replay: connection 1: sent 3 messages; 3 of 3 replies match"));
        if (!screenshots.isEmpty()) {
            QTest::qWait(100);
            QVERIFY(other.grab().save(QString::fromUtf8(screenshots) + "/window-replay-summary.png"));
        }
    }

    QTemporaryDir settingsDir_;
};

QTEST_MAIN(TstWindowCaptureFiles)
#include "tst_window_capture_files.moc"
