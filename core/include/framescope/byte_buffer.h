// A growable byte buffer that never zero-fills and keeps its capacity across clear(): the reusable
// receive, reassembly and output buffer of the codec. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>

namespace framescope {

class ByteBuffer {
public:
    ByteBuffer() = default;
    ByteBuffer(const ByteBuffer&) = delete;
    ByteBuffer& operator=(const ByteBuffer&) = delete;
    ByteBuffer(ByteBuffer&&) noexcept = default;
    ByteBuffer& operator=(ByteBuffer&&) noexcept = default;

    uint8_t* data() noexcept { return data_.get(); }
    const uint8_t* data() const noexcept { return data_.get(); }
    size_t size() const noexcept { return size_; }
    size_t capacity() const noexcept { return capacity_; }
    bool empty() const noexcept { return size_ == 0; }
    std::span<const uint8_t> view() const noexcept { return {data_.get(), size_}; }
    std::span<uint8_t> mutableView() noexcept { return {data_.get(), size_}; }

    void clear() noexcept { size_ = 0; }
    void reserve(size_t capacity) {
        if (capacity > capacity_) grow(capacity);
    }
    // Returns a pointer to `n` writable bytes past the end; commit() makes them part of the contents.
    uint8_t* prepare(size_t n) {
        if (capacity_ - size_ < n) grow(size_ + n);
        return data_.get() + size_;
    }
    void commit(size_t n) noexcept { size_ += n; }
    void append(const void* bytes, size_t n) {
        if (n == 0) return;
        std::memcpy(prepare(n), bytes, n);
        size_ += n;
    }
    void append(std::span<const uint8_t> bytes) { append(bytes.data(), bytes.size()); }
    void pushBack(uint8_t byte) { append(&byte, 1); }
    void resize(size_t n) {
        reserve(n);
        size_ = n;
    }
    // Reallocates to max(capacity, size()) bytes (frees everything when both are 0). Returns memory a
    // large message left behind; moves the contents, so views into the buffer end here.
    void shrinkTo(size_t capacity) {
        if (capacity < size_) capacity = size_;
        if (capacity >= capacity_) return;
        std::unique_ptr<uint8_t[]> fresh(capacity != 0 ? new uint8_t[capacity] : nullptr);
        if (size_ != 0) std::memcpy(fresh.get(), data_.get(), size_);
        data_ = std::move(fresh);
        capacity_ = capacity;
    }
    // Drops the first `n` bytes, moving the rest to the front.
    void consumeFront(size_t n) noexcept {
        if (n >= size_) {
            size_ = 0;
            return;
        }
        std::memmove(data_.get(), data_.get() + n, size_ - n);
        size_ -= n;
    }

private:
    void grow(size_t atLeast) {
        size_t next = capacity_ < 256 ? 256 : capacity_ * 2;
        while (next < atLeast)
            next *= 2;
        std::unique_ptr<uint8_t[]> fresh(new uint8_t[next]);
        if (size_ != 0) std::memcpy(fresh.get(), data_.get(), size_);
        data_ = std::move(fresh);
        capacity_ = next;
    }

    std::unique_ptr<uint8_t[]> data_;
    size_t size_ = 0;
    size_t capacity_ = 0;
};

}  // namespace framescope
