// Capture files on disk, by format: the session file (.fscap), pcapng (.pcapng, written; pcap and pcapng
// read), HAR (.har), JSON Lines (.jsonl) and CSV (.csv, written only). Saving picks the format from the
// extension; opening from the file's first bytes. Call on the thread that reads the store.
#pragma once

#include <QString>

#include <cstdint>

#include "capture/capture_sink.h"
#include "capture/capture_store.h"
#include "capture/format_common.h"
#include "decode/store_decoder.h"

namespace framescope::app {

enum class CaptureFileFormat : uint8_t { Session, Pcapng, Pcap, Har, JsonLines, Csv, Unknown };

// By the file name's extension (case-insensitive): .fscap, .pcapng, .pcap, .har, .jsonl/.json, .csv.
CaptureFileFormat captureFormatForPath(const QString& path);
bool canSaveFormat(CaptureFileFormat format);
// "session (.fscap), pcapng (.pcapng), HAR (.har), JSON Lines (.jsonl), CSV (.csv)"
QString savableFormatsText();

struct SaveOptions {
    RowSet rows;             // all rows, the filtered ones or the selection; progress and cancel
    bool withNotes = false;  // JSON Lines: notes too (connect --json prints frames only)
    bool decoded = false;    // JSON Lines: "decoded" objects, as connect --json prints them
    DecoderChoice decoder;   // with `decoded`: the decoder of every connection (automatic by default)
    std::unordered_map<uint32_t, decoders::Protocol> choices;  // with `decoded`: some connections' own
};

// Writes `store` to `path` (replaced atomically) in the format of its extension. Returns the rows written,
// or -1 with one sentence in `error`. When options.rows carry a WriteProgress, a cancellation stops the
// writer at its next chunk and leaves no file (an older file at `path` stays as it was).
qint64 saveCaptureFile(const CaptureStore& store, const QString& path, const SaveOptions& options,
                       QString* error);

// Reads `path` into `store` (appended). Returns the rows read, or -1 with one sentence in `error` when the
// file cannot be read at all; a file damaged part-way keeps what was read before the damage and reports
// the damage in `warning`. `warning` also lists connections that could not be decoded (wss://).
qint64 openCaptureFile(const QString& path, CaptureStore& store, QString* error, QString* warning = nullptr);

// Forwards everything to two sinks (e.g. JSON Lines on stdout and a store saved at the end).
class CaptureTee final : public CaptureSink {
public:
    CaptureTee(CaptureSink* first, CaptureSink* second) : first_(first), second_(second) {}
    void addFrame(const CapturedFrame& frame) override;
    void addNote(const CapturedNote& note) override;
    void addConnection(const CapturedConnection& connection) override;
    void addRelayFate(const CapturedRelayFate& fate) override;

private:
    CaptureSink* first_;
    CaptureSink* second_;
};

}  // namespace framescope::app
