// `--save FILE` for connect and serve: the capture kept in a store while the command runs and written when
// it ends (normally, or on SIGINT / SIGTERM), in the format its extension names. Past --capture-limit the
// oldest rows spill into FILE itself when it is a session file (.fscap; the rest is appended at the end),
// or are dropped for the other formats (the end says how many).
#pragma once

#include <QCommandLineParser>
#include <QObject>
#include <QString>

#include <memory>

#include "capture/capture_files.h"
#include "capture/capture_retention.h"
#include "capture/capture_store.h"

namespace framescope::cli {

void addSaveOption(QCommandLineParser& parser);
// False with one sentence in `error` when --save names a format that cannot be written.
bool checkSaveOption(const QCommandLineParser& parser, QString& error);

// Holds the capture of a command run with --save (nothing when it was not given).
class CaptureSaver {
public:
    explicit CaptureSaver(const QCommandLineParser& parser);
    // The sink to hand the connection: `other` alone, or a tee to `other` (may be null) and the store.
    app::CaptureSink* sink(app::CaptureSink* other);
    // Writes the file; returns `exitCode`, or 1 (after one line on stderr) when saving failed.
    int finish(int exitCode);

private:
    QString path_;
    std::unique_ptr<app::CaptureStore> store_;
    std::unique_ptr<app::CaptureRetention> retention_;
    std::unique_ptr<app::CaptureTee> tee_;
};

}  // namespace framescope::cli
