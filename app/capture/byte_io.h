// Little- and big-endian byte writing and bounds-checked reading for the capture file formats. Qt-free, so
// the readers build in the fuzz build. A ByteReader never reads past its span: a short read sets failed()
// and yields zeros, so a parser checks once after a group of reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

namespace framescope::app {

class ByteWriter {
public:
    std::vector<uint8_t>& bytes() noexcept { return bytes_; }
    size_t size() const noexcept { return bytes_.size(); }
    void clear() noexcept { bytes_.clear(); }

    void u8(uint8_t v) { bytes_.push_back(v); }
    void le16(uint16_t v) { le(v, 2); }
    void le32(uint32_t v) { le(v, 4); }
    void le64(uint64_t v) { le(v, 8); }
    void be16(uint16_t v) { be(v, 2); }
    void be32(uint32_t v) { be(v, 4); }
    void raw(std::span<const uint8_t> b) { bytes_.insert(bytes_.end(), b.begin(), b.end()); }
    void raw(std::string_view s) { raw({reinterpret_cast<const uint8_t*>(s.data()), s.size()}); }
    void zeros(size_t n) { bytes_.insert(bytes_.end(), n, 0); }
    // Overwrites 4 bytes at `at` (a length known only after the body).
    void patchLe32(size_t at, uint32_t v) {
        for (int i = 0; i < 4; ++i)
            bytes_[at + static_cast<size_t>(i)] = static_cast<uint8_t>(v >> (8 * i));
    }

private:
    void le(uint64_t v, int n) {
        for (int i = 0; i < n; ++i)
            bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }
    void be(uint64_t v, int n) {
        for (int i = n - 1; i >= 0; --i)
            bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }
    std::vector<uint8_t> bytes_;
};

class ByteReader {
public:
    ByteReader() = default;
    explicit ByteReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

    bool failed() const noexcept { return failed_; }
    size_t remaining() const noexcept { return bytes_.size() - pos_; }
    size_t position() const noexcept { return pos_; }
    bool atEnd() const noexcept { return pos_ == bytes_.size(); }

    uint8_t u8() { return static_cast<uint8_t>(take(1, false)); }
    uint16_t u16(bool big) { return static_cast<uint16_t>(take(2, big)); }
    uint32_t u32(bool big) { return static_cast<uint32_t>(take(4, big)); }
    uint64_t u64(bool big) { return take(8, big); }
    uint16_t le16() { return u16(false); }
    uint32_t le32() { return u32(false); }
    uint64_t le64() { return u64(false); }
    uint16_t be16() { return u16(true); }
    uint32_t be32() { return u32(true); }
    // `n` bytes, or an empty span (and failed()) when fewer remain.
    std::span<const uint8_t> bytes(uint64_t n) {
        if (failed_ || n > remaining()) {
            failed_ = true;
            return {};
        }
        const auto out = bytes_.subspan(pos_, static_cast<size_t>(n));
        pos_ += static_cast<size_t>(n);
        return out;
    }
    void skip(uint64_t n) { (void)bytes(n); }

private:
    uint64_t take(size_t n, bool big) {
        const std::span<const uint8_t> b = bytes(n);
        if (b.empty()) return 0;
        uint64_t v = 0;
        for (size_t i = 0; i < n; ++i) {
            const size_t shift = big ? (n - 1 - i) * 8 : i * 8;
            v |= uint64_t{b[i]} << shift;
        }
        return v;
    }

    std::span<const uint8_t> bytes_;
    size_t pos_ = 0;
    bool failed_ = false;
};

}  // namespace framescope::app
