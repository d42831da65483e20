// BenchRunner: the child process, its progress lines and its JSON.
#include "bench/bench_runner.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include "bench/bench_run_io.h"

namespace framescope::ui {

BenchRunner::BenchRunner(QObject* parent) : QObject(parent) {
    qRegisterMetaType<bench::SuiteRun>();
    process_.setProcessChannelMode(QProcess::SeparateChannels);
    connect(&process_, &QProcess::readyReadStandardError, this, &BenchRunner::readProgress);
    connect(&process_, &QProcess::finished, this, &BenchRunner::onFinished);
    connect(&process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart) return;
        lastError_ = QString("Cannot start %1: %2").arg(benchProgram(), process_.errorString());
        onFinished(-1, QProcess::CrashExit);
    });
}

BenchRunner::~BenchRunner() {
    process_.disconnect(this);
    if (process_.state() != QProcess::NotRunning) {
        process_.kill();
        process_.waitForFinished(3000);
    }
}

QString BenchRunner::benchProgram() {
#ifdef FRAMESCOPE_CLI_PATH
    if (QFile::exists(FRAMESCOPE_CLI_PATH)) return FRAMESCOPE_CLI_PATH;
#endif
    return QCoreApplication::applicationDirPath() + "/framescope-cli";
}

bool BenchRunner::start(bool quick, const QString& filter) {
    if (running_ || isBusy()) return false;
    lastError_.clear();
    progressBuffer_.clear();
    QStringList arguments = {"bench", "--json", "--progress-json"};
    if (quick) arguments << "--quick";
    if (!filter.isEmpty()) arguments << "--filter" << filter;
    running_ = true;
    process_.start(benchProgram(), arguments);
    emit busyChanged(true);
    return true;
}

void BenchRunner::cancel() {
    if (!running_) return;
    running_ = false;
    process_.kill();
    bench::SuiteRun cancelled;
    cancelled.cancelled = true;
    emit finished(cancelled);
}

// Each stderr line of the child is {"row":..,"done":..,"total":..}; other lines are kept as the error.
void BenchRunner::readProgress() {
    progressBuffer_ += process_.readAllStandardError();
    qsizetype newline = 0;
    while ((newline = progressBuffer_.indexOf('\n')) >= 0) {
        const QByteArray line = progressBuffer_.left(newline).trimmed();
        progressBuffer_.remove(0, newline + 1);
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.contains("done") && o.contains("total")) {
            if (running_) emit progress(o["row"].toString(), o["done"].toInt(), o["total"].toInt());
        } else if (!line.isEmpty()) {
            lastError_ = QString::fromUtf8(line);
        }
    }
}

void BenchRunner::onFinished(int exitCode, QProcess::ExitStatus status) {
    readProgress();
    const bool wasRunning = running_;
    running_ = false;
    emit busyChanged(false);
    if (!wasRunning) return;  // cancelled: already reported
    bench::SuiteRun run;
    QString error;
    if (status != QProcess::NormalExit || exitCode != 0 ||
        !parseBenchRunJson(process_.readAllStandardOutput(), run, error)) {
        if (lastError_.isEmpty())
            lastError_ =
                error.isEmpty() ? QString("The benchmark process failed (exit %1).").arg(exitCode) : error;
        run = bench::SuiteRun{};
        run.cancelled = true;
    }
    emit finished(run);
}

}  // namespace framescope::ui
