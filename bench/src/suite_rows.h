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

namespace framescope::bench {

class LoopbackFixture;  // servers and connections shared by the end-to-end rows

struct RowContext {
    RunConfig config;
    bool quick = false;
    LoopbackFixture* loopback = nullptr;
};

struct RowSpec {
    std::string suite;
    std::string caseName;
    std::string label;
    size_t size = 0;
    int inFlight = 0;
    std::function<void(RowContext& context, BenchResult& result)> run;

    std::string fullName() const { return suite + "/" + caseName + "/" + label; }
};

void addCodecRows(std::vector<RowSpec>& rows);
void addTextRows(std::vector<RowSpec>& rows);
void addLoopbackRows(std::vector<RowSpec>& rows);

LoopbackFixture* newLoopbackFixture();
// The fixture is defined in suite_loopback.cpp; suites.cpp owns it through these two.
void destroyLoopbackFixture(LoopbackFixture* fixture) noexcept;

// "64 B", "1 KiB", "16 KiB", "1 MiB".
std::string sizeLabel(size_t size);
// Deterministic bytes: random-looking binary, or text (ASCII or multi-byte UTF-8) of exactly `size` bytes.
std::vector<uint8_t> binaryPayload(size_t size);
std::vector<uint8_t> asciiText(size_t size);
std::vector<uint8_t> multiByteText(size_t size);

// Our speed relative to `other`: other.nsPerOp / ours.nsPerOp.
Comparison comparison(const std::string& name, const Figures& other, const Figures& ours);
Comparison missing(const std::string& name, const std::string& note);
// memcpy of `size` bytes between two buffers: the baseline of the read, write and masking rows.
Figures measureMemcpy(const RunConfig& config, size_t size);
// Measures every expected codec peer that can do `input` in memory and fills result.peers.
void measureCodecPeers(const RunConfig& config, const PeerInput& input, BenchResult& result);

}  // namespace framescope::bench
