// The log under load: 50,000 messages each way through a real connection to the built-in server while a
// QAbstractItemModelTester watches the model; the view follows the bottom, pauses when scrolled up (counting
// what arrives meanwhile), and resumes at the bottom; a filter applied mid-stream stays consistent.
#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "window/filter_bar.h"
#include "window/frame_log_view.h"
#include "window/main_window.h"
#include "window/session_controller.h"
#include "window_test_util.h"

using namespace framescope;
using namespace framescope::ui;

class TstFrameLogStress : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(settingsDir_.isValid());
        test::isolateSettings(settingsDir_);
    }

    void fiftyThousandMessagesStayConsistent() {
        constexpr int kMessages = 50000;
        MainWindow window(test::clientSideOnly());
        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        app::ConnectionOptions options = window.connectionOptions();
        options.deflate.reset();
        window.setConnectionOptions(options);
        window.connectToUrl();
        QTRY_VERIFY_WITH_TIMEOUT(window.controller()->isOpen(), 10000);
        app::CaptureModel* model = window.controller()->model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTableView* table = window.logView()->table();
        QScrollBar* bar = table->verticalScrollBar();
        const app::CaptureStore& store = window.controller()->store();
        const size_t before = store.size();

        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < kMessages / 2; ++i)
            window.controller()->sendText(QStringLiteral("message %1").arg(i));
        // Part way: the user scrolls up; autoscroll pauses and counts what arrives.
        QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 2000 && bar->maximum() > 1000, 30000);
        QTRY_COMPARE(bar->value(), bar->maximum());  // following the stream
        bar->setValue(bar->maximum() / 2);
        QVERIFY(window.logView()->autoscrollPaused());
        const int pausedAt = bar->value();
        for (int i = kMessages / 2; i < kMessages; ++i)
            window.controller()->sendText(QStringLiteral("message %1").arg(i));
        QTRY_VERIFY_WITH_TIMEOUT(store.size() >= before + 2 * kMessages, 120000);
        qInfo("%d messages each way captured in %lld ms", kMessages, static_cast<long long>(clock.elapsed()));
        model->fetchPublished();
        QCOMPARE(model->rowCount(), static_cast<int>(store.size()));
        QCOMPARE(bar->value(), pausedAt);  // new rows did not move the view
        QVERIFY(window.logView()->autoscrollPaused());
        QVERIFY(window.logView()->newRowsWhilePaused() > 0);
        QVERIFY(window.logView()->resumeButton()->isVisible());
        QVERIFY(window.logView()->resumeButton()->text().contains("new"));

        // Scrolling back to the bottom resumes.
        bar->setValue(bar->maximum());
        QVERIFY(!window.logView()->autoscrollPaused());
        QVERIFY(!window.logView()->resumeButton()->isVisible());

        // The last rows are the last echo, and the view shows them.
        const int last = model->rowCount() - 1;
        QVERIFY(model->index(last, app::CaptureModel::PreviewColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("message %1").arg(kMessages - 1)));
        window.controller()->sendText("after the burst");
        QTRY_VERIFY(test::findRow(
            store, test::frameWith(opcode::kText, app::Direction::Incoming, "after the burst")));
        QTRY_COMPARE(model->rowCount(), static_cast<int>(store.size()));
        QTRY_COMPARE(bar->value(), bar->maximum());  // following again

        // A search over the whole capture, then back.
        window.logView()->filterBar()->searchEdit()->setText("message 4999");
        window.logView()->filterBar()->applyNow();  // on the worker: the rows come within a few ticks
        QTRY_VERIFY(!model->isFiltering());
        QCOMPARE(model->rowCount(), 2 * 11);  // "message 4999" and "message 49990".."49999", both ways
        window.logView()->filterBar()->searchEdit()->clear();
        window.logView()->filterBar()->applyNow();
        QCOMPARE(model->rowCount(), static_cast<int>(store.size()));
    }

private:
    QTemporaryDir settingsDir_;
};

QTEST_MAIN(TstFrameLogStress)
#include "tst_frame_log_stress.moc"
