// Exporting the conversation from the window: JSON Lines with framescope-cli's fields for every frame and
// note (both directions, masking keys of the client's frames), and the log as CSV; both parse back. JSON
// Lines carry each message's "decoded" object as the window reads it (the decoder chosen per connection).
// Export selection writes exactly the selected rows, on a worker, with progress and Cancel while it runs.
#include <QFile>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "capture/capture_model.h"
#include "widgets/composer.h"
#include "window/frame_log_view.h"
#include "window/main_window.h"
#include "window/session_controller.h"
#include "window_test_util.h"

using namespace framescope;
using namespace framescope::ui;

class TstWindowExport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(settingsDir_.isValid());
        test::isolateSettings(settingsDir_);
    }

    void jsonLinesFollowTheWindowsDecoders() {
        MainWindow window(test::clientSideOnly());
        window.show();
        window.connectToUrl();
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->isOpen(), 10000);
        const QByteArray call = R"({"jsonrpc":"2.0","method":"add","params":[1,2],"id":7})";
        window.controller()->sendText(QString::fromUtf8(call));
        const app::CaptureStore& store = window.controller()->store();
        QTRY_VERIFY_WITH_TIMEOUT(
            test::findRow(store, test::frameWith(opcode::kText, app::Direction::Incoming, call)), 10000);
        const uint32_t connection = store.record(store.size() - 1).connectionId;
        QTemporaryDir dir;
        auto summaries = [&](const QString& name) {
            QString error;
            const QString path = dir.filePath(name);
            if (!window.exportCapture(path, app::ExportFormat::JsonLines, &error)) qWarning() << error;
            QFile file(path);
            QStringList out;
            if (!file.open(QIODevice::ReadOnly)) return out;
            while (!file.atEnd()) {
                const QJsonObject object = QJsonDocument::fromJson(file.readLine()).object();
                if (object.contains("decoded")) out << object["decoded"].toObject()["summary"].toString();
            }
            return out;
        };
        QCOMPARE(summaries("auto.jsonl"), (QStringList{"call add #7 (2 params)", "call add #7 (2 params)"}));
        window.chooseDecoder(connection, decoders::Protocol::None);
        QCOMPARE(summaries("off.jsonl"), QStringList());
        window.disconnectFromPeer();
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isActive(), 10000);
    }

    void conversationExportsAndParsesBack() {
        MainWindow window(test::clientSideOnly());
        window.show();
        window.connectToUrl();
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->isOpen(), 10000);
        window.controller()->sendText("first, with a comma");
        window.controller()->sendBinary(QByteArray("\x00\xff\x10", 3));
        window.controller()->sendPing("are you there?");
        const app::CaptureStore& store = window.controller()->store();
        QTRY_VERIFY_WITH_TIMEOUT(
            test::findRow(store, test::frameWith(opcode::kPong, app::Direction::Incoming, "are you there?")),
            10000);
        window.disconnectFromPeer();
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isActive(), 10000);
        const size_t rows = store.size();

        QTemporaryDir dir;
        QString error;
        const QString jsonl = dir.filePath("capture.jsonl");
        QVERIFY2(window.exportCapture(jsonl, app::ExportFormat::JsonLines, &error), qPrintable(error));
        QFile file(jsonl);
        QVERIFY(file.open(QIODevice::ReadOnly));
        int frames = 0, notes = 0, outgoing = 0, incoming = 0;
        while (!file.atEnd()) {
            const QByteArray line = file.readLine().trimmed();
            QJsonParseError parseError;
            const QJsonObject object = QJsonDocument::fromJson(line, &parseError).object();
            QVERIFY2(parseError.error == QJsonParseError::NoError, line.constData());
            if (object.value("type").toString() == "note") {
                ++notes;
                continue;
            }
            ++frames;
            const bool out = object.value("dir").toString() == "out";
            (out ? outgoing : incoming) += 1;
            QCOMPARE(object.value("mask").toBool(), out);
            QCOMPARE(object.value("key").isNull(), !out);
            QCOMPARE(object.value("conn").toInt(), 1);
        }
        QCOMPARE(size_t(frames + notes), rows);
        QVERIFY(outgoing >= 4);  // text, binary, ping, close
        QVERIFY(incoming >= 4);  // their echoes, the pong and the close
        QVERIFY(notes >= 3);     // handshake request, response, states

        const QString csv = dir.filePath("capture.csv");
        QVERIFY2(window.exportCapture(csv, app::ExportFormat::Csv, &error), qPrintable(error));
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csvFile.readAll().split('\n');
        QCOMPARE(size_t(lines.size()), rows + 2);  // header, rows, empty after the last newline
        QVERIFY(lines[0].startsWith("#,Time,Conn,Leg,Dir"));
        QVERIFY(lines[1].startsWith("1,"));
        QCOMPARE(lines[1].split(',')[2], QByteArray("1"));  // Conn: the window's first connection
        QVERIFY(csvFile.fileName().endsWith(".csv"));
        bool quoted = false;
        for (const QByteArray& line : lines)
            quoted = quoted || line.contains("\"first, with a comma\"");
        QVERIFY(quoted);
    }

    // Export selection: exactly the selected rows, in the log's order, in each format, written on the
    // worker with the status bar's progress and Cancel shown while it runs and gone after.
    void exportSelectionWritesTheSelectedRows() {
        MainWindow window(test::clientSideOnly());
        window.show();
        window.connectToUrl();
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->isOpen(), 10000);
        for (int i = 0; i < 6; ++i)
            window.controller()->sendText(QString("message %1").arg(i));
        const app::CaptureStore& store = window.controller()->store();
        QTRY_VERIFY_WITH_TIMEOUT(
            test::findRow(store, test::frameWith(opcode::kText, app::Direction::Incoming, "message 5")),
            10000);
        window.controller()->model()->fetchPublished();
        QTableView* table = window.logView()->table();
        const std::vector<int> chosen = {2, 5, 7};
        for (int row : chosen) {
            table->selectionModel()->select(table->model()->index(row, 0),
                                            QItemSelectionModel::Select | QItemSelectionModel::Rows);
        }
        std::vector<size_t> storeRows;
        for (int row : chosen)
            storeRows.push_back(window.controller()->model()->storeRow(row));
        QTemporaryDir dir;
        QString error;
        const QString jsonl = dir.filePath("selection.jsonl");
        QVERIFY2(window.exportCapture(jsonl, app::ExportFormat::JsonLines, &error,
                                      MainWindow::SaveScope::Selection),
                 qPrintable(error));
        QFile file(jsonl);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QList<QByteArray> lines = file.readAll().split('\n');
        QCOMPARE(lines.size(), 4);
        for (size_t i = 0; i < storeRows.size(); ++i) {
            const QByteArray expected = app::rowToJson(store, storeRows[i]);
            QVERIFY2(lines[qsizetype(i)].startsWith(expected.chopped(1)), lines[qsizetype(i)].constData());
        }
        const QString csv = dir.filePath("selection.csv");
        QVERIFY(window.startExport(csv, app::ExportFormat::Csv, MainWindow::SaveScope::Selection, &error));
        QVERIFY(window.isWritingFile());
        auto* cancel = findCancel(window);
        QVERIFY(cancel != nullptr && cancel->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(!window.isWritingFile(), 10000);
        QVERIFY(!cancel->isVisible());
        QVERIFY2(window.filesStatusText().contains("Exported 3 rows"), qPrintable(window.filesStatusText()));
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        lines = csvFile.readAll().split('\n');
        QCOMPARE(lines.size(), 5);  // header, 3 rows, empty after the last newline
        for (size_t i = 0; i < storeRows.size(); ++i)
            QVERIFY(
                lines[qsizetype(i) + 1].startsWith(QByteArray::number(qulonglong(storeRows[i] + 1)) + ","));
        window.disconnectFromPeer();
        QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isActive(), 10000);
    }

private:
    static QPushButton* findCancel(MainWindow& window) {
        for (QPushButton* button : window.statusBar()->findChildren<QPushButton*>()) {
            if (button->text() == "Cancel") return button;
        }
        return nullptr;
    }

    QTemporaryDir settingsDir_;
};

QTEST_MAIN(TstWindowExport)
#include "tst_window_export.moc"
