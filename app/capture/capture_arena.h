// An append-only byte arena in fixed-size chunks: copies never move, so returned pointers stay valid until
// clear(). Not thread-safe; CaptureStore serializes its writers around it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace framescope::app {

class CaptureArena {
public:
    static constexpr size_t kDefaultChunkSize = size_t{4} << 20;

    explicit CaptureArena(size_t chunkSize = kDefaultChunkSize);

    // `size` bytes aligned to `align` (a power of two <= 16). A request larger than a quarter of a chunk
    // gets a dedicated chunk of its own, so a big payload neither wastes nor splits the shared chunk.
    uint8_t* allocate(size_t size, size_t align = 1);
    // Copies `bytes` into the arena; an empty span yields nullptr.
    const uint8_t* copy(std::span<const uint8_t> bytes);
    // Frees every chunk.
    void clear() noexcept;

    size_t chunkSize() const noexcept { return chunkSize_; }
    size_t chunkCount() const noexcept { return chunks_.size(); }
    size_t dedicatedChunkCount() const noexcept { return dedicatedChunks_; }
    size_t bytesReserved() const noexcept { return bytesReserved_; }    // all chunks' capacity
    size_t bytesAllocated() const noexcept { return bytesAllocated_; }  // handed out, alignment included

private:
    uint8_t* newChunk(size_t size);

    size_t chunkSize_;
    std::vector<std::unique_ptr<uint8_t[]>> chunks_;
    uint8_t* current_ = nullptr;  // the shared chunk being filled
    size_t currentUsed_ = 0;
    size_t dedicatedChunks_ = 0;
    size_t bytesReserved_ = 0;
    size_t bytesAllocated_ = 0;
};

}  // namespace framescope::app
