// Runs the benchmark suites in a child process, `framescope-cli bench --json --progress-json`, so that the
// window never carries a counting allocator (the child preloads the malloc counter itself) and Cancel is
// immediate (the child is killed). Progress lines from the child's stderr become progress(); its JSON on
// stdout becomes finished(). Qt Core only.
#pragma once

#include <QMetaType>
#include <QObject>
#include <QProcess>
#include <QString>

#include "framescope/bench/suites.h"

namespace framescope::ui {

class BenchRunner : public QObject {
    Q_OBJECT
public:
    explicit BenchRunner(QObject* parent = nullptr);
    ~BenchRunner() override;  // kills a running child

    // False when a run is still going or the benchmark program cannot be found.
    bool start(bool quick, const QString& filter);
    // Kills the child and reports finished() (cancelled, no rows) at once.
    void cancel();
    bool isRunning() const noexcept { return running_; }
    bool isBusy() const { return process_.state() != QProcess::NotRunning; }
    // The program the runs use: framescope-cli of this build, or the one beside this executable.
    static QString benchProgram();
    // One sentence when the last run failed (the child's own error line, or why it could not start).
    const QString& lastError() const noexcept { return lastError_; }

signals:
    void progress(const QString& row, int done, int total);
    void finished(const framescope::bench::SuiteRun& run);
    void busyChanged(bool busy);

private:
    void readProgress();
    void onFinished(int exitCode, QProcess::ExitStatus status);

    QProcess process_;
    QByteArray progressBuffer_;
    QString lastError_;
    bool running_ = false;
};

}  // namespace framescope::ui

Q_DECLARE_METATYPE(framescope::bench::SuiteRun)
