// The capture: an append-only, thread-safe log of compact frame and note records, payloads in a chunked
// arena. Any thread may append; rows below size() never change or move, so a reader may use them while
// writers append. A reader on another thread holds a ReadLease while it reads rows: clear() and
// dropOldest() (which renumber or free rows) wait until no lease is held.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "capture/capture_arena.h"
#include "capture/capture_sink.h"

namespace framescope::app {

enum class RecordKind : uint8_t { Frame, HandshakeRequest, HandshakeResponse, Status };

namespace record_flag {
inline constexpr uint16_t kFin = 1u << 0;
inline constexpr uint16_t kRsv1 = 1u << 1;
inline constexpr uint16_t kRsv2 = 1u << 2;
inline constexpr uint16_t kRsv3 = 1u << 3;
inline constexpr uint16_t kMasked = 1u << 4;
inline constexpr uint16_t kEndsMessage = 1u << 5;
inline constexpr uint16_t kCompressed = 1u << 6;  // ends a compressed message
inline constexpr uint16_t kCrafted = 1u << 7;
inline constexpr uint16_t kInCompressedMessage = 1u << 8;  // its payload is deflate data (RFC 7692 §6)
// A proxy's outgoing frame relaying, as it arrived, a message of the other leg (CaptureStore::relaySource())
inline constexpr uint16_t kRelayed = 1u << 9;
}  // namespace record_flag

// Sizes of a whole message, kept on its last frame.
struct MessageSizes {
    uint64_t wireSize = 0;      // payload bytes of all its frames, as sent
    uint64_t inflatedSize = 0;  // after inflation (equal to wireSize when not compressed)
};

// One row of the capture. Trivial on purpose (blocks of records are allocated uninitialized); the arena views
// are reached through CaptureStore::payload(), inflated() and noteText().
struct CaptureRecord {
    int64_t timestampUs;      // microseconds since the Unix epoch
    uint64_t declaredLength;  // frames: payload length as declared in the header; notes: text length
    uint64_t payloadLength;   // bytes actually captured, before the cap (a violation may cut a frame short)
    uint64_t messageIndex;    // kNoMessage for control frames and notes
    const uint8_t* payloadData;  // arena: min(payloadLength, cap) bytes, unmasked
    const void* messageExtra;    // arena: sizes and inflated bytes of a compressed or fragmented message
    const char* violation;       // static sentence from core, or nullptr
    uint32_t storedLength;       // bytes at payloadData
    uint32_t connectionId;
    uint16_t closeCode;                                  // close frames (1005 when the body is empty)
    uint16_t flags;                                      // record_flag bits
    std::array<uint8_t, kMaxFrameHeaderSize> rawHeader;  // as on the wire
    MaskKey maskKey;
    uint8_t rawHeaderSize;  // bytes valid in rawHeader
    uint8_t headerSize;     // as decoded (extended length and key included)
    uint8_t opcode;
    uint8_t messageOpcode;  // text or binary for the frames of a data message (continuations included)
    LengthEncoding lengthEncoding;
    Direction direction;
    RecordKind kind;
    Leg leg;  // the proxy leg, Leg::None outside a proxy

    bool isNote() const noexcept { return kind != RecordKind::Frame; }
    bool has(uint16_t flag) const noexcept { return (flags & flag) != 0; }
    bool fin() const noexcept { return has(record_flag::kFin); }
    bool rsv1() const noexcept { return has(record_flag::kRsv1); }
    bool rsv2() const noexcept { return has(record_flag::kRsv2); }
    bool rsv3() const noexcept { return has(record_flag::kRsv3); }
    bool masked() const noexcept { return has(record_flag::kMasked); }
    bool endsMessage() const noexcept { return has(record_flag::kEndsMessage); }
    bool compressed() const noexcept { return has(record_flag::kCompressed); }
    bool crafted() const noexcept { return has(record_flag::kCrafted); }
    bool relayed() const noexcept { return has(record_flag::kRelayed); }
    bool payloadTruncated() const noexcept { return storedLength < payloadLength; }
    FrameHeader header() const noexcept;
};
static_assert(sizeof(CaptureRecord) <= 96, "a capture record must stay compact");
static_assert(std::is_trivially_copyable_v<CaptureRecord> &&
              std::is_trivially_default_constructible_v<CaptureRecord>);

struct CaptureStoreOptions {
    size_t payloadCap = size_t{1} << 20;   // payload bytes kept per frame (and text per note)
    size_t inflatedCap = size_t{1} << 20;  // inflated bytes kept per compressed message
    size_t chunkSize = CaptureArena::kDefaultChunkSize;
};

struct CaptureMemory {
    size_t recordBytes = 0;  // record blocks allocated
    size_t arenaBytes = 0;   // arena chunks allocated
    size_t arenaChunks = 0;
    size_t dedicatedChunks = 0;  // chunks holding one big payload
    size_t payloadBytes = 0;     // arena bytes handed out
};

class CaptureStore final : public CaptureSink {
public:
    static constexpr size_t kBlockShift = 16;  // 65,536 records per block
    static constexpr size_t kBlockSize = size_t{1} << kBlockShift;
    static constexpr size_t kMaxBlocks = 16384;  // about a billion rows; later rows are counted as dropped

    explicit CaptureStore(const CaptureStoreOptions& options = {});
    ~CaptureStore() override;
    CaptureStore(const CaptureStore&) = delete;
    CaptureStore& operator=(const CaptureStore&) = delete;

    // CaptureSink: any thread.
    void addFrame(const CapturedFrame& frame) override;
    void addNote(const CapturedNote& note) override;
    void addConnection(const CapturedConnection& connection) override;  // replaces one of the same id
    void addRelayFate(const CapturedRelayFate& fate) override;          // RelayFate::None forgets one

    // Published rows (acquire): rows [0, size()) are complete and immutable until clear().
    size_t size() const noexcept { return count_.load(std::memory_order_acquire); }
    const CaptureRecord& record(size_t row) const noexcept;
    std::span<const uint8_t> payload(size_t row) const noexcept;   // unmasked, capped
    std::span<const uint8_t> inflated(size_t row) const noexcept;  // last frame of a compressed message
    MessageSizes messageSizes(size_t row) const noexcept;          // last frame of a message, else zeros
    std::string_view noteText(size_t row) const noexcept;          // notes, capped; empty for frames
    // Endpoints of the connections that reported them, by id (a copy: any thread).
    std::vector<CapturedConnection> connections() const;
    // The connection ids of the rows, ascending (a copy: any thread); count is how many there are.
    std::vector<uint32_t> connectionIds() const;
    size_t connectionIdCount() const noexcept { return idCount_.load(std::memory_order_acquire); }

    // The links between a proxy's legs (any thread; each look-up takes the writers' lock for a moment).
    // A message that arrived on one leg and was relayed as it came is sent on the other leg as one or
    // more frames, each flagged record_flag::kRelayed and linked to (its connection id, its index).
    struct RelaySource {
        uint32_t connectionId = 0;  // the leg the message arrived on
        uint64_t messageIndex = kNoMessage;
    };
    // The rows of the frames that relayed the message of `arrivedRow` (an incoming frame of it), ascending;
    // empty when it was not relayed as it came (relayFate() may say why). Looks from `arrivedRow` on and
    // stops at the relay of a later message from the same leg (each direction is relayed in order).
    std::vector<size_t> relayRows(size_t arrivedRow) const;
    // The message a kRelayed row relays; nullopt for any other row.
    std::optional<RelaySource> relaySource(size_t row) const;
    RelayFate relayFate(uint32_t connectionId, uint64_t messageIndex) const;
    // True once a kRelayed row has been published (set before that row's publication; false after clear()).
    bool hasRelays() const noexcept { return hasRelays_.load(std::memory_order_acquire); }

    // Held by a reader on another thread for a short while (a slice of rows, milliseconds): while any
    // lease is held, clear() and dropOldest() wait, so rows below size() and their payloads stay put.
    // Check generation() after taking one: the rows are the ones you started with only if it is unchanged.
    class ReadLease {
    public:
        explicit ReadLease(const CaptureStore& store) : lock_(store.leaseMutex_) {}

    private:
        std::shared_lock<std::shared_mutex> lock_;
    };

    // Drops every row and frees the memory. Call it only from the thread that reads rows (the model's),
    // never while another thread holds a record or payload reference; writers may keep appending.
    void clear();
    // Drops the `count` oldest rows (bounded retention): the rows kept are copied to fresh memory and
    // renumbered from 0, and the old memory is freed. Same rules as clear(): the reading thread only, no
    // record or payload reference held; writers wait while it copies. Returns the rows dropped.
    size_t dropOldest(size_t count);
    uint64_t evictedRows() const noexcept { return evicted_.load(std::memory_order_relaxed); }

    const CaptureStoreOptions& options() const noexcept { return options_; }
    size_t bytesUsed() const;
    CaptureMemory memory() const;
    size_t droppedRows() const noexcept { return dropped_.load(std::memory_order_relaxed); }
    // Changes on every clear(), so a reader can tell a cleared-and-refilled store from a grown one.
    uint64_t generation() const noexcept { return generation_.load(std::memory_order_acquire); }

private:
    struct StreamState {
        uint8_t opcode = 0;
        bool compressed = false;
    };
    struct MessageKey {
        uint32_t connectionId;
        uint64_t messageIndex;
        bool operator==(const MessageKey&) const = default;
    };
    struct MessageKeyHash {
        size_t operator()(const MessageKey& key) const noexcept {
            return std::hash<uint64_t>{}((key.messageIndex * 0x9E3779B97F4A7C15ull) ^ key.connectionId);
        }
    };
    struct RelayLink {  // one relayed frame; links_ is ordered by row
        uint64_t sourceMessage;
        uint32_t sourceConnection;
        uint32_t row;
    };

    CaptureRecord* reserveSlot();  // with writeMutex_ held; nullptr when full
    void publish() noexcept;       // with writeMutex_ held
    const void* storeMessageExtra(const CapturedFrame& frame);
    void trackMessage(const CapturedFrame& frame, CaptureRecord& record);
    void noteConnectionId(uint32_t id);  // with writeMutex_ held
    void renumberLinks(size_t dropped);  // with writeMutex_ held

    CaptureStoreOptions options_;
    mutable std::shared_mutex leaseMutex_;  // shared: ReadLease; exclusive: clear(), dropOldest()
    mutable std::mutex writeMutex_;
    std::unique_ptr<std::unique_ptr<CaptureRecord[]>[]> blocks_;  // kMaxBlocks slots, filled on demand
    size_t blockCount_ = 0;
    CaptureArena arena_;
    std::unordered_map<uint64_t, StreamState> streams_;  // by connection and direction
    std::vector<CapturedConnection> connections_;
    std::vector<uint32_t> connectionIds_;  // of the rows, ascending
    std::vector<RelayLink> links_;         // 16 bytes a relayed frame, no allocation of its own
    std::unordered_map<MessageKey, RelayFate, MessageKeyHash> fates_;
    std::atomic<bool> hasRelays_{false};
    std::atomic<size_t> idCount_{0};
    std::atomic<size_t> count_{0};
    std::atomic<size_t> dropped_{0};
    std::atomic<uint64_t> generation_{0};
    std::atomic<uint64_t> evicted_{0};
};

}  // namespace framescope::app
