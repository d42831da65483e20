// Helpers shared by the suites: payloads, size labels, baselines and codec peers.
#include <cstdlib>
#include <cstring>
#include <memory>
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
    if (ours.nsPerOp <= 0) return result;
    result.ratio = other.nsPerOp / ours.nsPerOp;
    if (other.roundNs.size() != ours.roundNs.size() || ours.roundNs.empty()) return result;
    std::vector<double> ratios;
    for (size_t i = 0; i < ours.roundNs.size(); ++i) {
        if (ours.roundNs[i] > 0) ratios.push_back(other.roundNs[i] / ours.roundNs[i]);
    }
    if (ratios.empty()) return result;
    result.ratio = medianOf(ratios);  // sorts
    result.ratioMin = ratios.front();
    result.ratioMax = ratios.back();
    result.unstable = (result.ratioMax - result.ratioMin) / result.ratio > kUnstableSpread;
    return result;
}

Comparison missing(const std::string& name, const std::string& note) {
    Comparison result;
    result.name = name;
    result.note = note;
    return result;
}

Batch memcpyBatch(size_t size) {
    auto src = std::make_shared<std::vector<uint8_t>>(binaryPayload(size));
    Batch copy = memcpyFromBatch(src->data(), size);
    return [src, copy = std::move(copy)](uint64_t iterations) { copy(iterations); };
}

namespace {

// At least `size` bytes on a 64-byte boundary (the widest vector), padded to a multiple of 64.
std::shared_ptr<uint8_t> alignedBlock(size_t size) {
    const size_t padded = (size + 63) / 64 * 64;
    return {static_cast<uint8_t*>(std::aligned_alloc(64, padded)), &std::free};
}

}  // namespace

std::shared_ptr<uint8_t> alignedCopy(const std::vector<uint8_t>& bytes) {
    std::shared_ptr<uint8_t> data = alignedBlock(bytes.size());
    std::memcpy(data.get(), bytes.data(), bytes.size());
    return data;
}

CopyDestination destinationFor(const uint8_t* src, size_t size) {
    constexpr uintptr_t kPage = 4096;
    CopyDestination destination;
    destination.block = alignedBlock(size + kPage);
    const uintptr_t base = reinterpret_cast<uintptr_t>(destination.block.get());
    const uintptr_t from = reinterpret_cast<uintptr_t>(src);
    destination.data = destination.block.get() + (((from + kPage / 2 - base) % kPage) & ~uintptr_t{63});
    return destination;
}

std::shared_ptr<uint8_t> copyHalfAPageFrom(const std::vector<uint8_t>& bytes, size_t offset,
                                           const uint8_t* to) {
    constexpr uintptr_t kPage = 4096;
    std::shared_ptr<uint8_t> block = alignedBlock(bytes.size() + kPage);
    const uintptr_t base = reinterpret_cast<uintptr_t>(block.get());
    const uintptr_t wanted = reinterpret_cast<uintptr_t>(to) - kPage / 2 - offset;
    uint8_t* const start = block.get() + (((wanted - base) % kPage) & ~uintptr_t{63});
    std::memcpy(start, bytes.data(), bytes.size());
    return {block, start};  // shares the block's ownership
}

Batch memcpyFromBatch(const uint8_t* src, size_t size) {
    const CopyDestination dst = destinationFor(src, size);
    return [src, dst, size](uint64_t iterations) {
        uint8_t* const to = dst.data;  // locals stay in registers (see loopOf())
        const uint8_t* const from = src;
        const size_t n = size;
        for (uint64_t i = 0; i < iterations; ++i) {
            std::memcpy(to, from, n);
            clobberMemory();
        }
    };
}

namespace {

// A limit is beaten by more than noise when ours is over 10 % faster than it in the median of the rounds.
constexpr double kBeatsLimitBy = 1.10;

struct PeerSlot {
    std::string name;
    bool available = false;
    std::string note;
};

}  // namespace

void measureRow(const RowContext& context, BenchResult& result, const Batch& ours,
                const std::vector<NamedBatch>& baselines, const PeerInput* peerInput) {
    std::vector<Batch> batches = {ours};
    for (const NamedBatch& baseline : baselines)
        batches.push_back(baseline.batch);
    std::vector<PeerSlot> peers;
    if (peerInput != nullptr && !result.contract.oursOnly) {
        for (const ExpectedPeer& expected : expectedPeers()) {
            if (!expected.codec) continue;
            const CodecPeer* peer = peerRegistry().codecPeer(expected.name);
            if (peer == nullptr) {
                peers.push_back({expected.name, false, expected.howToGet});
                continue;
            }
            Batch batch = peer->make(*peerInput);
            if (!batch) continue;  // this peer cannot do this row's work in memory: not listed
            peers.push_back({expected.name, true, {}});
            batches.push_back(std::move(batch));
        }
    }
    const std::vector<Figures> figures = measureSideBySide(context.config, result.size, batches);
    result.figures = figures[0];
    size_t next = 1;
    for (size_t i = 0; i < baselines.size(); ++i, ++next) {
        Comparison baseline = comparison(baselines[i].name, figures[next], result.figures);
        baseline.beatsLimit = baselines[i].limit && baseline.ratio > kBeatsLimitBy;
        (i == 0 ? result.baseline : result.moreBaselines.emplace_back()) = std::move(baseline);
    }
    for (const PeerSlot& peer : peers) {
        result.peers.push_back(peer.available ? comparison(peer.name, figures[next++], result.figures)
                                              : missing(peer.name, peer.note));
    }
}

}  // namespace framescope::bench
