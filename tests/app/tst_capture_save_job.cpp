// Saving and exporting on a worker (CaptureSaveJob): the file is byte for byte the one the same call writes
// on the caller's thread, for every format and for listed rows; frames arriving while it writes do not
// join the file; a cancelled job leaves no file and an older file untouched; a second job is refused until
// the first is done.
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

#include "capture/capture_export.h"
#include "capture/capture_files.h"
#include "capture/capture_save_job.h"
#include "capture/capture_store.h"
#include "capture_test_util.h"

using namespace framescope;
using namespace framescope::app;
using framescope::app::test::FrameBuilder;

namespace {

constexpr int kTimeoutMs = 60000;

void addRows(CaptureStore& store, size_t count) {
    for (size_t i = 0; i < count; ++i) {
        const std::string text = "{\"seq\":" + std::to_string(i) + ",\"note\":\"a, \\\"quoted\\\" one\"}";
        FrameBuilder frame(i % 7 == 0 ? opcode::kBinary : opcode::kText, text,
                           i % 2 == 0 ? Direction::Outgoing : Direction::Incoming, uint32_t(1 + i % 3));
        frame.frame.timestampUs = static_cast<int64_t>(1'000'000 + i * 25);
        frame.frame.messageIndex = i;
        if (i % 5 == 0) frame.frame.leg = i % 10 == 0 ? Leg::Client : Leg::Upstream;
        store.addFrame(frame.frame);
        if (i % 100 == 0) {
            CapturedNote note;
            note.timestampUs = frame.frame.timestampUs;
            note.connectionId = frame.frame.connectionId;
            const std::string noteText = "Status: row " + std::to_string(i);  // the note only views it
            note.text = noteText;
            store.addNote(note);
        }
    }
}

QByteArray contents(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

struct Finished {
    qint64 rows = -2;
    QString error;
    bool cancelled = false;
};

Finished waitFor(CaptureSaveJob& job) {
    QSignalSpy spy(&job, &CaptureSaveJob::finished);
    Finished result;
    if (!spy.wait(kTimeoutMs)) return result;
    result.rows = spy.first().at(0).toLongLong();
    result.error = spy.first().at(1).toString();
    result.cancelled = spy.first().at(2).toBool();
    return result;
}

}  // namespace

class TstCaptureSaveJob : public QObject {
    Q_OBJECT

private slots:
    void savesTheSameBytesAsTheCallersThread_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("listed");
        for (const char* name : {"s.fscap", "s.pcapng", "s.har", "s.jsonl", "s.csv"}) {
            QTest::newRow(name) << QString(name) << false;
            QTest::newRow(QByteArray(name).append(" listed").constData()) << QString(name) << true;
        }
    }

    void savesTheSameBytesAsTheCallersThread() {
        QFETCH(QString, name);
        QFETCH(bool, listed);
        CaptureStore store;
        addRows(store, 3000);
        std::vector<size_t> rows;
        for (size_t row = 3; row < store.size(); row += 4)
            rows.push_back(row);
        SaveOptions options;
        options.withNotes = true;
        options.decoded = true;
        if (listed) options.rows = RowSet(&rows);
        QTemporaryDir dir;
        QString error;
        const QString before = dir.filePath("before-" + name);
        const qint64 expected = saveCaptureFile(store, before, options, &error);
        QVERIFY2(expected > 0, qPrintable(error));
        CaptureSaveJob job;
        const QString after = dir.filePath(name);
        QVERIFY(job.startSave(store, after, options, listed ? std::optional(rows) : std::nullopt, &error));
        QVERIFY(job.isRunning());
        const Finished done = waitFor(job);
        QVERIFY2(done.rows >= 0, qPrintable(done.error));
        QCOMPARE(done.rows, expected);
        QVERIFY(!job.isRunning());
        QCOMPARE(job.rowsReached(), job.rowsTotal());
        const QByteArray bytes = contents(after);
        QVERIFY(!bytes.isEmpty());
        QVERIFY(bytes == contents(before));
    }

    void exportsTheSameBytesAsTheCallersThread_data() {
        QTest::addColumn<int>("format");
        QTest::newRow("jsonl") << int(ExportFormat::JsonLines);
        QTest::newRow("csv") << int(ExportFormat::Csv);
        QTest::newRow("text") << int(ExportFormat::Text);
    }

    void exportsTheSameBytesAsTheCallersThread() {
        QFETCH(int, format);
        CaptureStore store;
        addRows(store, 2000);
        const std::vector<size_t> rows = {0, 5, 6, 100, 101, 1999};
        ExportOptions options;
        options.format = ExportFormat(format);
        QTemporaryDir dir;
        QString error;
        const qint64 expected =
            exportCaptureToFile(store, dir.filePath("before"), options, &error, RowSet(&rows));
        QCOMPARE(expected, qint64(rows.size()));
        CaptureSaveJob job;
        QVERIFY(job.startExport(store, dir.filePath("after"), options, rows, &error));
        const Finished done = waitFor(job);
        QCOMPARE(done.rows, expected);
        QVERIFY(contents(dir.filePath("after")) == contents(dir.filePath("before")));
    }

    // Rows published after the job started stay out of the file, also for pcapng's two passes.
    void framesArrivingWhileWritingStayOut() {
        CaptureStore store;
        addRows(store, 20000);
        const size_t published = store.size();
        QTemporaryDir dir;
        CaptureSaveJob job;
        QString error;
        QVERIFY(job.startSave(store, dir.filePath("live.fscap"), {}, std::nullopt, &error));
        std::atomic<bool> stop{false};
        std::thread writer([&] {
            for (size_t i = 0; !stop.load() && i < 200000; ++i) {
                FrameBuilder frame(opcode::kText, "late", Direction::Incoming, 9);
                store.addFrame(frame.frame);
            }
        });
        const Finished done = waitFor(job);
        stop.store(true);
        writer.join();
        QCOMPARE(done.rows, qint64(published));
        CaptureStore reopened;
        QCOMPARE(openCaptureFile(dir.filePath("live.fscap"), reopened, &error), qint64(published));
        for (size_t row = 0; row < reopened.size(); ++row)
            QVERIFY(reopened.record(row).connectionId != 9);
    }

    // Cancelled at the start (deterministic: the flag is read at the first chunk, which every writer
    // writes), a job leaves no file, and an older file at the path keeps its bytes.
    void cancelLeavesNoFileAndTheOlderOneIntact() {
        CaptureStore store;
        addRows(store, 300000);
        QTemporaryDir dir;
        const QString kept = dir.filePath("kept.jsonl");
        {
            QFile older(kept);
            QVERIFY(older.open(QIODevice::WriteOnly));
            older.write("older file\n");
        }
        for (const QString& name : {QString("fresh.fscap"), QString("kept.jsonl")}) {
            CaptureSaveJob job;
            QString error;
            QVERIFY(job.startSave(store, dir.filePath(name), {}, std::nullopt, &error));
            job.cancel();
            const Finished done = waitFor(job);
            QVERIFY(done.cancelled);
            QCOMPARE(done.rows, qint64(-1));
            QVERIFY2(done.error.contains("cancelled"), qPrintable(done.error));
        }
        QVERIFY(!QFile::exists(dir.filePath("fresh.fscap")));
        QCOMPARE(contents(kept), QByteArray("older file\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"kept.jsonl"});  // no temporary left
    }

    void cancelAtTheFunctionLevel() {
        CaptureStore store;
        addRows(store, 10);
        WriteProgress progress;
        progress.cancelled.store(true);
        QTemporaryDir dir;
        for (const char* name : {"c.fscap", "c.pcapng", "c.har", "c.jsonl", "c.csv"}) {
            SaveOptions options;
            options.rows.setProgress(&progress);
            QString error;
            QCOMPARE(saveCaptureFile(store, dir.filePath(name), options, &error), qint64(-1));
            QVERIFY2(error.contains("cancelled"), qPrintable(error));
            QVERIFY(!QFile::exists(dir.filePath(name)));
        }
        RowSet rows;
        rows.setProgress(&progress);
        QString error;
        QCOMPARE(exportCaptureToFile(store, dir.filePath("e.csv"), {}, &error, rows), qint64(-1));
        QVERIFY(!QFile::exists(dir.filePath("e.csv")));
    }

    // One job at a time: a second start is refused in one sentence; cancelAndWait() reports at once.
    void oneJobAtATime() {
        CaptureStore store;
        addRows(store, 300000);
        QTemporaryDir dir;
        CaptureSaveJob job;
        QString error;
        QVERIFY(job.startSave(store, dir.filePath("a.jsonl"), {}, std::nullopt, &error));
        QVERIFY(!job.startSave(store, dir.filePath("b.jsonl"), {}, std::nullopt, &error));
        QVERIFY2(error.contains("a.jsonl") && error.endsWith("."), qPrintable(error));
        QSignalSpy spy(&job, &CaptureSaveJob::finished);
        job.cancelAndWait();
        QCOMPARE(spy.count(), 1);
        QVERIFY(!job.isRunning());
        QTest::qWait(50);  // the worker's own queued report is dropped
        QCOMPARE(spy.count(), 1);
        QVERIFY(job.startSave(store, dir.filePath("b.jsonl"), {}, std::vector<size_t>{0, 2},
                              &error));  // row 1 is a note
        QCOMPARE(waitFor(job).rows, qint64(2));
    }
};

QTEST_GUILESS_MAIN(TstCaptureSaveJob)
#include "tst_capture_save_job.moc"
