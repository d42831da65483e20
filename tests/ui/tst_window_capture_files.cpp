// File → Save / Open in the window: a live conversation saved as a session file opens in a new window as
// the same rows; the selected rows alone save and open; the pcapng export opens (imported through the
// pcap reader) with the same frames. With FRAMESCOPE_SCREENSHOT_DIR set, the window showing the imported
// pcapng is saved there as window-imported-pcapng.png.
#include <QItemSelectionModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "capture/capture_export.h"
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

}  // namespace

class TstWindowCaptureFiles : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(settingsDir_.isValid());
        test::isolateSettings(settingsDir_);
    }

    void saveAndOpen() {
        MainWindow window;
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

        MainWindow other;
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
        const QByteArray screenshots = qgetenv("FRAMESCOPE_SCREENSHOT_DIR");
        if (!screenshots.isEmpty()) {
            other.resize(1280, 760);
            other.logView()->selectStoreRow(4);
            QTest::qWait(200);
            QVERIFY(other.grab().save(QString::fromUtf8(screenshots) + "/window-imported-pcapng.png"));
        }

        QVERIFY(other.openCapture(dir.filePath("missing.fscap"), &error) < 0);
        QVERIFY2(error.startsWith("Cannot open"), qPrintable(error));
    }

private:
    QTemporaryDir settingsDir_;
};

QTEST_MAIN(TstWindowCaptureFiles)
#include "tst_window_capture_files.moc"
