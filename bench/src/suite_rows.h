// Internal to bench/src: how a suite describes its rows and the helpers they share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "framescope/bench/harness.h"
#include "framescope/bench/peer.h"
#include "framescope/bench/result.h"
#include "framescope/bench/suites.h"

namespace framescope::bench {

struct RowContext {
    RunConfig config;
    bool quick = false;
};

struct RowSpec {
    std::string suite;
    std::string caseName;
    std::string label;
    size_t size = 0;
    int inFlight = 0;
    RowContract contract;
    std::function<void(RowContext& context, BenchResult& result)> run;

    std::string fullName() const { return suite + "/" + caseName + "/" + label; }
};

void addCodecRows(std::vector<RowSpec>& rows);
void addTextRows(std::vector<RowSpec>& rows);

// "64 B", "1 KiB", "16 KiB", "1 MiB".
std::string sizeLabel(size_t size);
// Deterministic bytes: random-looking binary, or text (ASCII or multi-byte UTF-8) of exactly `size` bytes.
std::vector<uint8_t> binaryPayload(size_t size);
std::vector<uint8_t> asciiText(size_t size);
std::vector<uint8_t> multiByteText(size_t size);

// A baseline measured beside a row. `limit`: a physical limit (ours faster than it is a measuring error):
// the ideal XOR is one; memcpy is not (glibc's memcpy uses `rep movsb` at some sizes, which vectors beat).
struct NamedBatch {
    std::string name;
    Batch batch;
    bool limit = false;
};
// memcpy of `size` bytes from a buffer of its own (see memcpyFromBatch() for where they go).
Batch memcpyBatch(size_t size);
// A copy of `bytes` in a buffer aligned to 64 bytes (the widest vector), padded to a multiple of 64.
std::shared_ptr<uint8_t> alignedCopy(const std::vector<uint8_t>& bytes);
// A 64-byte-aligned buffer of `size` bytes half a page (2 KiB, to 64 bytes) from `src` modulo 4096: where
// every copy of a row (ours and the memcpy baseline) writes. A copy whose loads fall on the address bits
// 0-11 of its recent stores waits for them (4K aliasing); half a page away it does not.
struct CopyDestination {
    std::shared_ptr<uint8_t> block;
    uint8_t* data = nullptr;
};
CopyDestination destinationFor(const uint8_t* src, size_t size);
// A copy of `bytes`, from a 64-byte boundary, placed so that byte `offset` is half a page from `to` modulo
// 4096 (to 64 bytes), as destinationFor() places a copy from it: for a read row whose copy goes where the
// session puts it, so that ours gets the placement the memcpy baseline gets.
std::shared_ptr<uint8_t> copyHalfAPageFrom(const std::vector<uint8_t>& bytes, size_t offset,
                                           const uint8_t* to);
// memcpy of the `size` bytes at `src`: for a read row, the payload where it sits in the received bytes, so
// that the baseline reads the same memory from the same address as ours. `src` must outlive the batch.
// It writes to destinationFor(src): left to malloc, the distance changed from row to row and run to run,
// and memcpy of the same 1 KiB took 7.8 to 13.4 ns; half a page away it is the fast case, the strict
// baseline.
Batch memcpyFromBatch(const uint8_t* src, size_t size);

// Measures ours, the row's baselines (the first is the one the row is judged against) and, unless the row
// is ours only, every codec peer that can do `peerInput`, side by side; fills the result.
void measureRow(const RowContext& context, BenchResult& result, const Batch& ours,
                const std::vector<NamedBatch>& baselines, const PeerInput* peerInput);

// Wraps one operation in a batch loop (instantiated here, so that `op` is inlined into it). The loop runs a
// local copy of `op`: clobberMemory() makes the compiler reload whatever lives in memory that may be
// reached from elsewhere (the batch's own closure included) after every operation, and such a reload can
// wait on the operation's last stores when its address matches theirs modulo 4 KiB (4K aliasing). What
// `op` captures by value stays in registers; capture pointers and sizes by value for that reason.
template <typename Op>
Batch loopOf(Op op) {
    return [op](uint64_t iterations) {
        Op local = op;
        for (uint64_t i = 0; i < iterations; ++i)
            local();
    };
}

}  // namespace framescope::bench
