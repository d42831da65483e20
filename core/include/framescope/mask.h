// RFC 6455 §5.3 masking: XOR with a 4-byte key, at any alignment and any starting offset into the key
// (payloads arrive in pieces). The fastest implementation the CPU supports is chosen once at run time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace framescope {

using MaskKey = std::array<uint8_t, 4>;

enum class MaskImpl { Portable, Sse2, Avx2, Avx512 };

// XORs `size` bytes in place with `key`, starting at key byte `keyOffset % 4`.
// Returns the key offset for the next piece: (keyOffset + size) % 4.
size_t applyMask(uint8_t* data, size_t size, MaskKey key, size_t keyOffset = 0) noexcept;

// Writes src ^ key to dst. They may overlap when dst is at or before src (every kernel loads a piece before it
// stores it, front to back: what an in-place echo that moves each payload forward needs), not when dst is
// after src. Returns the next key offset.
size_t copyMasked(uint8_t* dst, const uint8_t* src, size_t size, MaskKey key, size_t keyOffset = 0) noexcept;

// The implementation applyMask() dispatches to on this CPU.
MaskImpl activeMaskImpl() noexcept;
bool maskImplSupported(MaskImpl impl) noexcept;
const char* maskImplName(MaskImpl impl) noexcept;

// Run one specific implementation (tests and benchmarks). `impl` must be supported (an unsupported one
// falls back to Portable rather than faulting).
size_t applyMaskWith(MaskImpl impl, uint8_t* data, size_t size, MaskKey key, size_t keyOffset = 0) noexcept;
size_t copyMaskedWith(MaskImpl impl, uint8_t* dst, const uint8_t* src, size_t size, MaskKey key,
                      size_t keyOffset = 0) noexcept;

}  // namespace framescope
