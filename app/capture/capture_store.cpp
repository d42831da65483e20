#include "capture/capture_store.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <new>

namespace framescope::app {

namespace {

// Kept in the arena, followed by `storedInflated` bytes, for the last frame of a compressed or fragmented
// message (a single uncompressed frame needs none: its sizes are its payload's).
struct MessageExtra {
    uint64_t wireSize;
    uint64_t inflatedSize;
    uint32_t storedInflated;
};

const MessageExtra* extraOf(const CaptureRecord& record) noexcept {
    return static_cast<const MessageExtra*>(record.messageExtra);
}

RecordKind recordKindOf(NoteKind kind) noexcept {
    switch (kind) {
        case NoteKind::HandshakeRequest:
            return RecordKind::HandshakeRequest;
        case NoteKind::HandshakeResponse:
            return RecordKind::HandshakeResponse;
        case NoteKind::Status:
            return RecordKind::Status;
    }
    return RecordKind::Status;
}

uint16_t headerFlags(const CapturedFrame& frame) noexcept {
    const FrameHeader& h = frame.header;
    uint16_t flags = 0;
    if (h.fin) flags |= record_flag::kFin;
    if (h.rsv1) flags |= record_flag::kRsv1;
    if (h.rsv2) flags |= record_flag::kRsv2;
    if (h.rsv3) flags |= record_flag::kRsv3;
    if (h.masked) flags |= record_flag::kMasked;
    if (frame.endsMessage) flags |= record_flag::kEndsMessage;
    if (frame.endsMessage && frame.compressed) flags |= record_flag::kCompressed;
    if (frame.crafted) flags |= record_flag::kCrafted;
    if (frame.isRelay()) flags |= record_flag::kRelayed;
    return flags;
}

// Everything that needs no lock: the header fields and the small scalars.
CaptureRecord frameRecord(const CapturedFrame& frame) noexcept {
    CaptureRecord record{};
    const FrameHeader& h = frame.header;
    record.timestampUs = frame.timestampUs;
    record.declaredLength = h.payloadLength;
    record.payloadLength = std::max<uint64_t>(frame.payload.size(), frame.capturedLength);
    record.messageIndex = frame.messageIndex;
    record.violation = frame.violation;
    record.connectionId = frame.connectionId;
    record.closeCode = frame.closeCode;
    record.flags = headerFlags(frame);
    const size_t rawSize = std::min(frame.rawHeader.size(), record.rawHeader.size());
    std::copy_n(frame.rawHeader.begin(), rawSize, record.rawHeader.begin());
    record.rawHeaderSize = static_cast<uint8_t>(rawSize);
    record.maskKey = h.maskKey;
    record.headerSize = h.headerSize;
    record.opcode = h.opcode;
    record.messageOpcode = h.opcode;
    record.lengthEncoding = h.lengthEncoding;
    record.direction = frame.direction;
    record.kind = RecordKind::Frame;
    record.leg = frame.leg;
    return record;
}

uint64_t streamKey(uint32_t connectionId, Direction direction) noexcept {
    return (uint64_t{connectionId} << 1) | (direction == Direction::Outgoing ? 1u : 0u);
}

}  // namespace

FrameHeader CaptureRecord::header() const noexcept {
    FrameHeader h;
    h.fin = fin();
    h.rsv1 = rsv1();
    h.rsv2 = rsv2();
    h.rsv3 = rsv3();
    h.opcode = opcode;
    h.masked = masked();
    h.maskKey = maskKey;
    h.payloadLength = declaredLength;
    h.lengthEncoding = lengthEncoding;
    h.headerSize = headerSize;
    return h;
}

CaptureStore::CaptureStore(const CaptureStoreOptions& options)
    : options_(options),
      blocks_(std::make_unique<std::unique_ptr<CaptureRecord[]>[]>(kMaxBlocks)),
      arena_(options.chunkSize) {
    // A record keeps at most 4 GiB of one payload (storedLength is 32 bits).
    options_.payloadCap = std::min<size_t>(options_.payloadCap, UINT32_MAX);
    options_.inflatedCap = std::min<size_t>(options_.inflatedCap, UINT32_MAX);
}

CaptureStore::~CaptureStore() = default;

CaptureRecord* CaptureStore::reserveSlot() {
    const size_t row = count_.load(std::memory_order_relaxed);
    const size_t block = row >> kBlockShift;
    if (block >= kMaxBlocks) return nullptr;
    if (block == blockCount_) {
        // Uninitialized: a block's pages become resident as rows fill them.
        blocks_[block] = std::make_unique_for_overwrite<CaptureRecord[]>(kBlockSize);
        ++blockCount_;
    }
    return &blocks_[block][row & (kBlockSize - 1)];
}

void CaptureStore::publish() noexcept {
    // Release: the record and its arena bytes are visible to whoever acquires the new count.
    count_.store(count_.load(std::memory_order_relaxed) + 1, std::memory_order_release);
}

const void* CaptureStore::storeMessageExtra(const CapturedFrame& frame) {
    const bool fragmented = frame.messageWireSize != frame.payload.size();
    if (!frame.endsMessage || (!frame.compressed && !fragmented && frame.inflated.empty())) return nullptr;
    const size_t kept = std::min(frame.inflated.size(), options_.inflatedCap);
    uint8_t* block = arena_.allocate(sizeof(MessageExtra) + kept, alignof(MessageExtra));
    auto* extra = new (block) MessageExtra{};
    extra->wireSize = frame.messageWireSize;
    extra->inflatedSize = frame.compressed ? std::max<uint64_t>(frame.inflated.size(), frame.inflatedLength)
                                           : frame.messageWireSize;
    extra->storedInflated = static_cast<uint32_t>(kept);
    if (kept != 0) std::memcpy(block + sizeof(MessageExtra), frame.inflated.data(), kept);
    return extra;
}

void CaptureStore::trackMessage(const CapturedFrame& frame, CaptureRecord& record) {
    const uint8_t op = frame.header.opcode;
    if (op != opcode::kContinuation && op != opcode::kText && op != opcode::kBinary) return;
    StreamState& stream = streams_[streamKey(frame.connectionId, frame.direction)];
    if (op != opcode::kContinuation) {
        // RFC 7692 §6: RSV1 on the first frame marks the whole message as compressed.
        stream = StreamState{op, frame.header.rsv1};
    }
    record.messageOpcode = stream.opcode;
    if (stream.compressed) record.flags |= record_flag::kInCompressedMessage;
}

void CaptureStore::noteConnectionId(uint32_t id) {
    if (!connectionIds_.empty() && connectionIds_.back() == id) return;  // the usual case: the newest one
    const auto at = std::lower_bound(connectionIds_.begin(), connectionIds_.end(), id);
    if (at != connectionIds_.end() && *at == id) return;
    connectionIds_.insert(at, id);
    idCount_.store(connectionIds_.size(), std::memory_order_release);
}

std::vector<uint32_t> CaptureStore::connectionIds() const {
    std::lock_guard lock(writeMutex_);
    return connectionIds_;
}

void CaptureStore::addFrame(const CapturedFrame& frame) {
    CaptureRecord record = frameRecord(frame);
    const size_t kept = std::min(frame.payload.size(), options_.payloadCap);
    record.storedLength = static_cast<uint32_t>(kept);

    std::lock_guard lock(writeMutex_);
    CaptureRecord* slot = reserveSlot();
    if (slot == nullptr) {
        dropped_.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    record.payloadData = arena_.copy(frame.payload.first(kept));
    record.messageExtra = storeMessageExtra(frame);
    trackMessage(frame, record);
    noteConnectionId(record.connectionId);
    if (frame.isRelay()) {
        const auto row = static_cast<uint32_t>(count_.load(std::memory_order_relaxed));
        links_.push_back({frame.relayOfMessage, frame.relayOfConnection, row});
        hasRelays_.store(true, std::memory_order_release);  // before the row's publication
    }
    *slot = record;
    publish();
}

// After dropOldest(): links of dropped rows go, the others follow their rows' new numbers.
void CaptureStore::renumberLinks(size_t dropped) {
    std::vector<RelayLink> kept;
    for (const RelayLink& link : links_) {
        if (link.row >= dropped)
            kept.push_back(
                {link.sourceMessage, link.sourceConnection, static_cast<uint32_t>(link.row - dropped)});
    }
    links_ = std::move(kept);
}

std::vector<size_t> CaptureStore::relayRows(size_t arrivedRow) const {
    std::vector<size_t> rows;
    if (arrivedRow >= size()) return rows;
    const CaptureRecord& arrived = record(arrivedRow);
    if (arrived.isNote() || arrived.direction != Direction::Incoming || arrived.messageIndex == kNoMessage)
        return rows;
    std::lock_guard lock(writeMutex_);
    auto at = std::lower_bound(links_.begin(), links_.end(), arrivedRow,
                               [](const RelayLink& link, size_t r) { return link.row < r; });
    for (; at != links_.end(); ++at) {
        if (at->sourceConnection != arrived.connectionId) continue;
        if (at->sourceMessage > arrived.messageIndex) break;  // a later message's relay: none follow
        if (at->sourceMessage == arrived.messageIndex) rows.push_back(at->row);
    }
    return rows;
}

std::optional<CaptureStore::RelaySource> CaptureStore::relaySource(size_t row) const {
    std::lock_guard lock(writeMutex_);
    const auto at = std::lower_bound(links_.begin(), links_.end(), row,
                                     [](const RelayLink& link, size_t r) { return link.row < r; });
    if (at == links_.end() || at->row != row) return std::nullopt;
    return RelaySource{at->sourceConnection, at->sourceMessage};
}

void CaptureStore::addRelayFate(const CapturedRelayFate& fate) {
    std::lock_guard lock(writeMutex_);
    const MessageKey key{fate.connectionId, fate.messageIndex};
    if (fate.fate == RelayFate::None) {
        fates_.erase(key);
    } else {
        fates_[key] = fate.fate;
    }
}

RelayFate CaptureStore::relayFate(uint32_t connectionId, uint64_t messageIndex) const {
    std::lock_guard lock(writeMutex_);
    const auto found = fates_.find(MessageKey{connectionId, messageIndex});
    return found == fates_.end() ? RelayFate::None : found->second;
}

void CaptureStore::addNote(const CapturedNote& note) {
    CaptureRecord record{};
    record.timestampUs = note.timestampUs;
    record.declaredLength = note.text.size();
    record.payloadLength = note.text.size();
    record.messageIndex = kNoMessage;
    record.connectionId = note.connectionId;
    record.direction = note.direction;
    record.kind = recordKindOf(note.kind);
    record.leg = note.leg;
    const size_t kept = std::min(note.text.size(), options_.payloadCap);
    record.storedLength = static_cast<uint32_t>(kept);

    std::lock_guard lock(writeMutex_);
    CaptureRecord* slot = reserveSlot();
    if (slot == nullptr) {
        dropped_.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    const auto* text = reinterpret_cast<const uint8_t*>(note.text.data());
    record.payloadData = arena_.copy({text, kept});
    noteConnectionId(record.connectionId);
    *slot = record;
    publish();
}

void CaptureStore::addConnection(const CapturedConnection& connection) {
    std::lock_guard lock(writeMutex_);
    for (CapturedConnection& known : connections_) {
        if (known.connectionId == connection.connectionId) {
            known = connection;
            return;
        }
    }
    connections_.push_back(connection);
}

std::vector<CapturedConnection> CaptureStore::connections() const {
    std::lock_guard lock(writeMutex_);
    return connections_;
}

const CaptureRecord& CaptureStore::record(size_t row) const noexcept {
    assert(row < size());
    return blocks_[row >> kBlockShift][row & (kBlockSize - 1)];
}

std::span<const uint8_t> CaptureStore::payload(size_t row) const noexcept {
    const CaptureRecord& r = record(row);
    if (r.isNote()) return {};
    return {r.payloadData, r.storedLength};
}

std::span<const uint8_t> CaptureStore::inflated(size_t row) const noexcept {
    const MessageExtra* extra = extraOf(record(row));
    if (extra == nullptr || extra->storedInflated == 0) return {};
    return {reinterpret_cast<const uint8_t*>(extra) + sizeof(MessageExtra), extra->storedInflated};
}

MessageSizes CaptureStore::messageSizes(size_t row) const noexcept {
    const CaptureRecord& r = record(row);
    if (const MessageExtra* extra = extraOf(r)) return {extra->wireSize, extra->inflatedSize};
    if (r.endsMessage()) return {r.payloadLength, r.payloadLength};
    return {};
}

std::string_view CaptureStore::noteText(size_t row) const noexcept {
    const CaptureRecord& r = record(row);
    if (!r.isNote() || r.storedLength == 0) return {};
    return {reinterpret_cast<const char*>(r.payloadData), r.storedLength};
}

void CaptureStore::clear() {
    std::unique_lock leases(leaseMutex_);
    std::lock_guard lock(writeMutex_);
    generation_.fetch_add(1, std::memory_order_acq_rel);
    count_.store(0, std::memory_order_release);
    for (size_t i = 0; i < blockCount_; ++i)
        blocks_[i].reset();
    blockCount_ = 0;
    arena_.clear();
    streams_.clear();
    connections_.clear();
    connectionIds_.clear();
    links_.clear();
    fates_.clear();
    hasRelays_.store(false, std::memory_order_release);
    idCount_.store(0, std::memory_order_release);
    dropped_.store(0, std::memory_order_relaxed);
}

size_t CaptureStore::dropOldest(size_t count) {
    std::unique_lock leases(leaseMutex_);
    std::lock_guard lock(writeMutex_);
    const size_t total = count_.load(std::memory_order_relaxed);
    count = std::min(count, total);
    if (count == 0) return 0;
    auto blocks = std::make_unique<std::unique_ptr<CaptureRecord[]>[]>(kMaxBlocks);
    size_t blockCount = 0;
    CaptureArena arena(options_.chunkSize);
    connectionIds_.clear();
    for (size_t row = count; row < total; ++row) {
        CaptureRecord r = blocks_[row >> kBlockShift][row & (kBlockSize - 1)];
        noteConnectionId(r.connectionId);
        r.payloadData = r.storedLength ? arena.copy({r.payloadData, r.storedLength}) : nullptr;
        if (const MessageExtra* extra = extraOf(r)) {
            const size_t size = sizeof(MessageExtra) + extra->storedInflated;
            uint8_t* copy = arena.allocate(size, alignof(MessageExtra));
            std::memcpy(copy, extra, size);
            r.messageExtra = copy;
        }
        const size_t to = row - count;
        if ((to >> kBlockShift) == blockCount) {
            blocks[blockCount++] = std::make_unique_for_overwrite<CaptureRecord[]>(kBlockSize);
        }
        blocks[to >> kBlockShift][to & (kBlockSize - 1)] = r;
    }
    idCount_.store(connectionIds_.size(), std::memory_order_release);
    renumberLinks(count);
    blocks_ = std::move(blocks);
    blockCount_ = blockCount;
    arena_ = std::move(arena);
    generation_.fetch_add(1, std::memory_order_acq_rel);
    count_.store(total - count, std::memory_order_release);
    evicted_.fetch_add(count, std::memory_order_relaxed);
    return count;
}

CaptureMemory CaptureStore::memory() const {
    std::lock_guard lock(writeMutex_);
    CaptureMemory m;
    // The relay links count with the records.
    m.recordBytes = blockCount_ * kBlockSize * sizeof(CaptureRecord) + links_.capacity() * sizeof(RelayLink);
    m.arenaBytes = arena_.bytesReserved();
    m.arenaChunks = arena_.chunkCount();
    m.dedicatedChunks = arena_.dedicatedChunkCount();
    m.payloadBytes = arena_.bytesAllocated();
    return m;
}

size_t CaptureStore::bytesUsed() const {
    const CaptureMemory m = memory();
    return m.recordBytes + m.arenaBytes;
}

}  // namespace framescope::app
