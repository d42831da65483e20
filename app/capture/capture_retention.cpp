// A spill appends session file records to one file: the first spill writes the file header, later ones
// only records (the format is a header followed by records until the end of the file).
#include "capture/capture_retention.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "capture/format_session.h"

namespace framescope::app {

namespace {

constexpr size_t kSessionHeaderSize = 16;

std::string mib(size_t bytes) {
    return std::to_string(bytes >> 20) + " MiB";
}

}  // namespace

bool CaptureRetention::spill(const CaptureStore& store, size_t rows) {
    std::FILE* file = std::fopen(options_.spillPath.c_str(), "ab");
    if (file == nullptr) {
        error_ = "Cannot open the spill file " + options_.spillPath + "; the oldest rows were dropped.";
        return false;
    }
    std::fseek(file, 0, SEEK_END);
    size_t skip = std::ftell(file) > 0 ? kSessionHeaderSize : 0;  // the header is already there
    std::vector<size_t> list(rows);
    for (size_t i = 0; i < rows; ++i)
        list[i] = i;
    const FormatResult result = writeSessionFile(store, RowSet(&list), [&](std::span<const uint8_t> bytes) {
        const size_t dropped = std::min(skip, bytes.size());
        skip -= dropped;
        bytes = bytes.subspan(dropped);
        return bytes.empty() || std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
    });
    const bool closed = std::fclose(file) == 0;
    if (!result.ok || !closed) {
        error_ = "Cannot write the spill file " + options_.spillPath + "; the oldest rows were dropped.";
        return false;
    }
    return true;
}

bool CaptureRetention::enforce(CaptureStore& store) {
    if (store.bytesUsed() <= options_.limitBytes) return false;
    const size_t rows = store.size();
    const auto keep = static_cast<size_t>(static_cast<double>(rows) * options_.keepFraction);
    const size_t oldest = rows - keep;
    if (oldest == 0) return false;
    const bool spilled = !options_.spillPath.empty() && spill(store, oldest);
    store.dropOldest(oldest);
    (spilled ? spilled_ : dropped_) += oldest;
    return true;
}

std::string CaptureRetention::statusText() const {
    std::string text;
    if (spilled_ != 0) text = std::to_string(spilled_) + " oldest rows spilled to " + options_.spillPath;
    if (dropped_ != 0) text += (text.empty() ? "" : "; ") + std::to_string(dropped_) + " oldest rows dropped";
    if (!text.empty()) text += " (capture limit " + mib(options_.limitBytes) + ")";
    if (!error_.empty()) text += ". " + error_;
    return text;
}

}  // namespace framescope::app
