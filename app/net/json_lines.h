// JSON Lines for scripts: one JSON object per captured frame or note, fields in a fixed order (documented
// in the README's "JSON Lines" section and in `framescope-cli connect --help`), and a CaptureSink that
// writes them to a FILE as they are captured.
#pragma once

#include <QByteArray>

#include <cstdio>
#include <mutex>

#include "capture/capture_sink.h"

namespace framescope::app {

QByteArray frameToJson(const CapturedFrame& frame);  // one line, without the newline
QByteArray noteToJson(const CapturedNote& note);
// Appends `text` as a JSON string (quoted and escaped); `text` must be valid UTF-8.
void appendJsonString(QByteArray& out, std::string_view text);

// Writes each frame (and each note, when asked) as one line, flushed, from any thread.
class JsonLinesSink : public CaptureSink {
public:
    JsonLinesSink(FILE* out, bool withNotes) : out_(out), withNotes_(withNotes) {}
    void addFrame(const CapturedFrame& frame) override;
    void addNote(const CapturedNote& note) override;
    void writeLine(const QByteArray& line);

private:
    std::mutex mutex_;
    FILE* out_;
    bool withNotes_;
};

}  // namespace framescope::app
