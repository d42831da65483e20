#include "cli/cli_save.h"

#include <QCoreApplication>
#include <QFile>
#include <QTimer>

#include "cli/cli_common.h"

namespace framescope::cli {

void addSaveOption(QCommandLineParser& parser) {
    parser.addOption({"save",
                      "When the command ends, write the capture to FILE; the extension names the format: "
                      ".fscap (session), .pcapng, .har, .jsonl, .csv.",
                      "FILE"});
    parser.addOption({"capture-limit",
                      "With --save: memory for the capture, in MiB (default 2048); past it the oldest rows "
                      "spill into a .fscap FILE, or are dropped for other formats.",
                      "MIB", "2048"});
}

bool checkSaveOption(const QCommandLineParser& parser, QString& error) {
    if (!parser.isSet("save")) return true;
    const QString path = parser.value("save");
    if (!app::canSaveFormat(app::captureFormatForPath(path))) {
        error = QString("--save cannot tell the format of '%1' from its extension; use %2.")
                    .arg(path, app::savableFormatsText());
        return false;
    }
    bool ok = false;
    if (parser.value("capture-limit").toULongLong(&ok) == 0 || !ok) {
        error = "--capture-limit takes a number of MiB above 0.";
        return false;
    }
    return true;
}

CaptureSaver::CaptureSaver(const QCommandLineParser& parser) : path_(parser.value("save")) {
    if (path_.isEmpty()) return;
    store_ = std::make_unique<app::CaptureStore>();
    app::RetentionOptions options;
    options.limitBytes = static_cast<size_t>(parser.value("capture-limit").toULongLong()) << 20;
    if (app::captureFormatForPath(path_) == app::CaptureFileFormat::Session) {
        options.spillPath = path_.toStdString();
        QFile::remove(path_);  // spills append to it
    }
    retention_ = std::make_unique<app::CaptureRetention>(options);
    auto* timer = new QTimer(QCoreApplication::instance());
    QObject::connect(timer, &QTimer::timeout, timer, [this] { retention_->enforce(*store_); });
    timer->start(250);
}

app::CaptureSink* CaptureSaver::sink(app::CaptureSink* other) {
    if (!store_) return other;
    if (!other) return store_.get();
    tee_ = std::make_unique<app::CaptureTee>(other, store_.get());
    return tee_.get();
}

int CaptureSaver::finish(int exitCode) {
    if (!store_) return exitCode;
    if (retention_->droppedRows() + retention_->spilledRows() != 0)
        printError(QString::fromStdString(retention_->statusText()) + ".");
    if (retention_->spilledRows() != 0) {  // FILE holds the spilled rows: append the rest
        if (!retention_->spillAll(*store_)) {
            printError(QString::fromStdString(retention_->error()));
            return 1;
        }
        return exitCode;
    }
    QString error;
    app::SaveOptions options;
    options.withNotes = true;
    if (app::saveCaptureFile(*store_, path_, options, &error) < 0) {
        printError(error);
        return 1;
    }
    return exitCode;
}

}  // namespace framescope::cli
