// framescope-cli convert: a thin loop over the capture file formats (app/capture/format_*).
#include <QCoreApplication>

#include "capture/capture_files.h"
#include "capture/capture_store.h"
#include "cli/cli_common.h"
#include "cli/commands.h"

namespace framescope::cli {

namespace {

const char* const kEpilog =
    R"(Reads IN (a session file .fscap, a pcap or pcapng capture, or a HAR file; the format is told by
its content) and writes OUT in the format its extension names. A JSON Lines OUT holds the same frame
objects as 'connect --json' (with --notes, the notes too), the last frame of each message an application
protocol reads with its "decoded" object. Exit status: 0 on success; 1 with one line on stderr when IN
cannot be read or OUT cannot be written; 2 on a usage error.
)";

int runConvert(const QStringList& args) {
    QCommandLineParser parser;
    parser.addOption({"notes", "JSON Lines output: include notes (handshakes, status lines)."});
    addDecoderOption(parser);
    parser.addPositionalArgument("IN", "The capture to read.");
    parser.addPositionalArgument("OUT", "The file to write; its extension names the format.");
    int exitCode = 0;
    if (!parseCommandLine(parser, args, "Usage: framescope-cli convert IN OUT [options]",
                          QString(kEpilog) + kDecoderHelp, exitCode))
        return exitCode;
    app::SaveOptions options;
    QString error;
    if (!decoderChoiceFrom(parser, options.decoder, error)) {
        printError(error);
        return 2;
    }
    const QStringList files = parser.positionalArguments();
    if (files.size() != 2) {
        printError("convert takes two files, IN and OUT; run with --help for the options.");
        return 2;
    }
    if (!app::canSaveFormat(app::captureFormatForPath(files[1]))) {
        printError(QString("Cannot tell the format of '%1' from its extension; use %2.")
                       .arg(files[1], app::savableFormatsText()));
        return 2;
    }
    app::CaptureStoreOptions storeOptions;
    storeOptions.payloadCap = UINT32_MAX;  // convert keeps whole payloads
    storeOptions.inflatedCap = UINT32_MAX;
    app::CaptureStore store(storeOptions);
    QString warning;
    if (app::openCaptureFile(files[0], store, &error, &warning) < 0) {
        printError(error);
        return 1;
    }
    if (!warning.isEmpty()) printError(warning);
    options.withNotes = parser.isSet("notes");
    options.decoded = true;
    if (app::saveCaptureFile(store, files[1], options, &error) < 0) {
        printError(error);
        return 1;
    }
    return 0;
}

const CommandRegistration registration("convert", "Convert a capture file to another format", runConvert);

}  // namespace

}  // namespace framescope::cli
