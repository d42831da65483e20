// Internal to bench/src: the ideal in-place XOR loop, the limit of the masking rows.
#pragma once

#include <cstddef>
#include <cstdint>

#include "framescope/mask.h"

namespace framescope::bench {

struct IdealXor {
    const char* name;  // e.g. "ideal XOR (AVX-512)"
    void (*apply)(uint8_t* data, size_t size, MaskKey key) noexcept;
};

// The widest vector loop this CPU runs.
IdealXor idealXorForThisCpu() noexcept;

}  // namespace framescope::bench
