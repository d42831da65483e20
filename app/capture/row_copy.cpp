#include "capture/row_copy.h"

#include "capture/capture_export.h"

namespace framescope::app {

namespace {

QByteArray bytesOf(std::span<const uint8_t> bytes) {
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()));
}

// The bytes a row carries: a note's text, else its payload as captured (unmasked).
QByteArray rowBytes(const CaptureStore& store, size_t row) {
    if (store.record(row).isNote()) return QByteArray(store.noteText(row).data(), store.noteText(row).size());
    return bytesOf(store.payload(row));
}

// As text: a compressed message's last frame gives the inflated message (deflate data reads as nothing).
QByteArray rowText(const CaptureStore& store, size_t row) {
    const CaptureRecord& r = store.record(row);
    if (!r.isNote() && r.has(record_flag::kInCompressedMessage) && r.compressed())
        return bytesOf(store.inflated(row));
    return rowBytes(store, row);
}

}  // namespace

QByteArray copyRows(const CaptureStore& store, std::span<const size_t> rows, RowCopyFormat format) {
    QByteArray out;
    for (const size_t row : rows) {
        switch (format) {
            case RowCopyFormat::Hex:
                out += rowBytes(store, row).toHex(' ');
                break;
            case RowCopyFormat::Text:
                out += rowText(store, row);
                break;
            case RowCopyFormat::JsonLines:
                out += rowToJson(store, row);
                break;
        }
        out += '\n';
    }
    return out;
}

}  // namespace framescope::app
