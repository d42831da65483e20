#include "capture/capture_arena.h"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace framescope::app {

namespace {
constexpr size_t kMinChunkSize = 4096;
[[maybe_unused]] constexpr size_t kMaxAlign = 16;  // checked by assert() only

size_t alignUp(size_t value, size_t align) noexcept {
    return (value + align - 1) & ~(align - 1);
}
}  // namespace

CaptureArena::CaptureArena(size_t chunkSize) : chunkSize_(std::max(chunkSize, kMinChunkSize)) {}

uint8_t* CaptureArena::newChunk(size_t size) {
    // Uninitialized on purpose: untouched pages cost no resident memory.
    chunks_.push_back(std::make_unique_for_overwrite<uint8_t[]>(size));
    bytesReserved_ += size;
    return chunks_.back().get();
}

uint8_t* CaptureArena::allocate(size_t size, size_t align) {
    assert(align != 0 && (align & (align - 1)) == 0 && align <= kMaxAlign);
    if (size == 0) return nullptr;
    if (size > chunkSize_ / 4) {
        // operator new[] aligns to at least __STDCPP_DEFAULT_NEW_ALIGNMENT__ (16).
        ++dedicatedChunks_;
        bytesAllocated_ += size;
        uint8_t* chunk = newChunk(size);
        if (current_ != nullptr) {
            // Keep the shared chunk last so that it stays the one being filled.
            std::swap(chunks_.back(), chunks_[chunks_.size() - 2]);
        }
        return chunk;
    }
    size_t offset = alignUp(currentUsed_, align);
    if (current_ == nullptr || offset + size > chunkSize_) {
        current_ = newChunk(chunkSize_);
        currentUsed_ = 0;
        offset = 0;
    }
    bytesAllocated_ += offset + size - currentUsed_;
    currentUsed_ = offset + size;
    return current_ + offset;
}

const uint8_t* CaptureArena::copy(std::span<const uint8_t> bytes) {
    if (bytes.empty()) return nullptr;
    uint8_t* out = allocate(bytes.size());
    std::memcpy(out, bytes.data(), bytes.size());
    return out;
}

void CaptureArena::clear() noexcept {
    chunks_.clear();
    chunks_.shrink_to_fit();
    current_ = nullptr;
    currentUsed_ = 0;
    dedicatedChunks_ = 0;
    bytesReserved_ = 0;
    bytesAllocated_ = 0;
}

}  // namespace framescope::app
