// Helpers shared by the suites: payloads, size labels, baselines and codec peers.
#include <cstring>
#include <string_view>

#include "suite_rows.h"

namespace framescope::bench {

std::string sizeLabel(size_t size) {
    if (size >= (1u << 20) && size % (1u << 20) == 0) return std::to_string(size >> 20) + " MiB";
    if (size >= 1024 && size % 1024 == 0) return std::to_string(size >> 10) + " KiB";
    return std::to_string(size) + " B";
}

std::vector<uint8_t> binaryPayload(size_t size) {
    std::vector<uint8_t> bytes(size);
    uint64_t state = 0x9E3779B97F4A7C15ull;
    for (auto& byte : bytes) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        byte = static_cast<uint8_t>(state);
    }
    return bytes;
}

std::vector<uint8_t> asciiText(size_t size) {
    static constexpr std::string_view kText =
        R"({"id":42,"event":"trade","symbol":"EURUSD","price":1.08731,"qty":250000,"side":"buy"} )";
    std::vector<uint8_t> bytes(size);
    for (size_t i = 0; i < size; ++i)
        bytes[i] = static_cast<uint8_t>(kText[i % kText.size()]);
    return bytes;
}

std::vector<uint8_t> multiByteText(size_t size) {
    // Two-, three- and four-byte sequences mixed with ASCII; padded with ASCII to land on `size`.
    static constexpr std::string_view kPieces[] = {"Grüße ", "Καλημέρα ", "こんにちは ", "😀🚀 ", "ok "};
    std::vector<uint8_t> bytes;
    bytes.reserve(size);
    for (size_t i = 0;; ++i) {
        const std::string_view piece = kPieces[i % 5];
        if (bytes.size() + piece.size() > size) break;
        bytes.insert(bytes.end(), piece.begin(), piece.end());
    }
    bytes.resize(size, ' ');
    return bytes;
}

Comparison comparison(const std::string& name, const Figures& other, const Figures& ours) {
    Comparison result;
    result.name = name;
    result.available = true;
    result.figures = other;
    result.ratio = ours.nsPerOp > 0 ? other.nsPerOp / ours.nsPerOp : 0;
    return result;
}

Comparison missing(const std::string& name, const std::string& note) {
    Comparison result;
    result.name = name;
    result.note = note;
    return result;
}

Figures measureMemcpy(const RunConfig& config, size_t size) {
    const std::vector<uint8_t> src = binaryPayload(size);
    std::vector<uint8_t> dst(size);
    return measure(config, size, [&] {
        std::memcpy(dst.data(), src.data(), size);
        clobberMemory();
    });
}

void measureCodecPeers(const RunConfig& config, const PeerInput& input, BenchResult& result) {
    for (const ExpectedPeer& expected : expectedPeers()) {
        if (!expected.codec) continue;
        const CodecPeer* peer = peerRegistry().codecPeer(expected.name);
        if (peer == nullptr) {
            result.peers.push_back(missing(expected.name, expected.howToGet));
            continue;
        }
        const Batch batch = peer->make(input);
        if (!batch) continue;  // this peer cannot run this row in memory: not listed
        result.peers.push_back(
            comparison(expected.name, measureBatch(config, input.size, batch), result.figures));
    }
}

}  // namespace framescope::bench
