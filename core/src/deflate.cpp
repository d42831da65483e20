// The permessage-deflate codec half of deflate.h (RFC 7692 §7.2): MessageDeflater and MessageInflater over
// zlib raw deflate (negative windowBits, so no zlib header or checksum). The negotiation half of the same
// header lives in extensions.cpp.
//
// Theory of operation. The sender deflates each message with Z_SYNC_FLUSH, which ends the output with an
// empty stored block 00 00 FF FF; that tail is cut off (§7.2.1). The receiver feeds each frame's payload
// as it comes and, at the end of the message, the four bytes it lacks (§7.2.2). Both z_streams are created
// once in the constructor; per message they are only reset, so steady state allocates nothing besides
// the growth of the caller's ByteBuffer, which callers reuse.
#include <zlib.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

#include "framescope/deflate.h"

namespace framescope {

namespace {

// RFC 7692 §7.2.1: the empty stored block a sync flush ends with, removed on send, restored on receive.
constexpr std::array<uint8_t, 4> kTail = {0x00, 0x00, 0xff, 0xff};
// zlib counts bytes in uInt; feed and drain it in pieces that always fit.
constexpr size_t kMaxZlibChunk = size_t{1} << 30;
// How much `out` is asked to grow by when it has no spare room left.
constexpr size_t kGrowChunk = 16 * 1024;
// zlib's default memLevel (8): 128 KiB of deflate state for a 15-bit window.
constexpr int kMemLevel = 8;

void checkWindowBits(int windowBits) {
    // RFC 7692 §7.1.2 allows 8..15, but zlib's raw deflate refuses 8 (older versions silently used 9),
    // so a window of 8 is never negotiated (see DeflateParams).
    if (windowBits < 9 || windowBits > 15) {
        throw std::invalid_argument("permessage-deflate window bits must be 9..15, got " +
                                    std::to_string(windowBits));
    }
}

}  // namespace

// --- MessageDeflater -----------------------------------------------------------------------------------

MessageDeflater::MessageDeflater(int windowBits, bool noContextTakeover, int level)
    : stream_(nullptr), noContextTakeover_(noContextTakeover) {
    checkWindowBits(windowBits);
    if (level < Z_DEFAULT_COMPRESSION || level > Z_BEST_COMPRESSION) {
        throw std::invalid_argument("deflate level must be -1..9, got " + std::to_string(level));
    }
    stream_ = new z_stream{};
    const int rc = deflateInit2(stream_, level, Z_DEFLATED, -windowBits, kMemLevel, Z_DEFAULT_STRATEGY);
    if (rc != Z_OK) {
        delete stream_;
        throw std::runtime_error("deflateInit2 failed (zlib error " + std::to_string(rc) + ")");
    }
}

MessageDeflater::~MessageDeflater() {
    deflateEnd(stream_);
    delete stream_;
}

void MessageDeflater::compress(std::span<const uint8_t> message, ByteBuffer& out) {
    if (message.empty()) {
        // RFC 7692 §7.2.3.6: an empty message is the header bits of an empty stored block, one 0x00 byte.
        // zlib gives exactly that on a fresh stream but nothing at all (Z_BUF_ERROR) right after an earlier
        // sync flush, so it is written here; the stream is byte-aligned at every message boundary.
        out.pushBack(0x00);
        return;
    }
    z_stream& s = *stream_;
    // A compress cut short by std::bad_alloc left zlib pointing at the old message: start from this one.
    s.next_in = nullptr;
    s.avail_in = 0;
    const size_t start = out.size();
    const uint8_t* in = message.data();
    size_t inLeft = message.size();
    // deflateBound covers a Z_FINISH stream; the sync flush marker adds at most 5 bytes (and a few bits).
    size_t want = static_cast<size_t>(deflateBound(&s, static_cast<uLong>(message.size()))) + 8;
    for (;;) {
        if (s.avail_in == 0 && inLeft != 0) {
            const size_t piece = std::min(inLeft, kMaxZlibChunk);
            s.next_in = const_cast<Bytef*>(in);  // zlib's API is not const-correct; it only reads
            s.avail_in = static_cast<uInt>(piece);
            in += piece;
            inLeft -= piece;
        }
        const size_t room = std::min(std::max(out.capacity() - out.size(), want), kMaxZlibChunk);
        s.next_out = out.prepare(room);
        s.avail_out = static_cast<uInt>(room);
        const int flush = inLeft == 0 ? Z_SYNC_FLUSH : Z_NO_FLUSH;
        const int rc = deflate(&s, flush);
        out.commit(room - s.avail_out);
        // Z_OK and Z_BUF_ERROR (no progress possible) are the only results with valid arguments.
        if (rc != Z_OK && rc != Z_BUF_ERROR) break;
        if (inLeft == 0 && s.avail_in == 0 && s.avail_out != 0) break;  // the flush is complete
        want = kGrowChunk;
    }
    // RFC 7692 §7.2.1: remove the 00 00 FF FF a sync flush always ends with.
    const size_t produced = out.size() - start;
    if (produced >= kTail.size() &&
        std::equal(kTail.begin(), kTail.end(), out.data() + out.size() - kTail.size())) {
        out.resize(out.size() - kTail.size());
    }
    // RFC 7692 §7.1.1.1/§7.1.1.2: without context takeover every message starts from an empty window.
    if (noContextTakeover_) deflateReset(&s);
}

void MessageDeflater::restart() noexcept {
    deflateReset(stream_);
}

// --- MessageInflater -----------------------------------------------------------------------------------

MessageInflater::MessageInflater(int windowBits, bool noContextTakeover)
    : stream_(nullptr), noContextTakeover_(noContextTakeover) {
    checkWindowBits(windowBits);
    stream_ = new z_stream{};
    const int rc = inflateInit2(stream_, -windowBits);
    if (rc != Z_OK) {
        delete stream_;
        throw std::runtime_error("inflateInit2 failed (zlib error " + std::to_string(rc) + ")");
    }
}

MessageInflater::~MessageInflater() {
    inflateEnd(stream_);
    delete stream_;
}

DeflateStatus MessageInflater::inflate(std::span<const uint8_t> compressed, ByteBuffer& out, size_t limit) {
    return run(compressed.data(), compressed.size(), out, limit);
}

DeflateStatus MessageInflater::finishMessage(ByteBuffer& out, size_t limit) {
    DeflateStatus status = DeflateStatus::Ok;
    // RFC 7692 §7.2.2: append 00 00 FF FF before the last inflate. Not when nothing was fed since the
    // stream (re)started: an empty payload, or one that ended right after a BFINAL block (§7.2.3.4 asks
    // for a trailing 0x00 there, but the tail would otherwise begin a stored block that never ends).
    if (needTail_) {
        status = run(kTail.data(), kTail.size(), out, limit);
        // The tail closes an empty stored block; inflate then waits at a block boundary (data_type bit
        // 128). Anywhere else the message was truncated or malformed.
        // (A BFINAL block ending inside the tail leaves needTail_ false and is a boundary too.)
        if (status == DeflateStatus::Ok && needTail_ && (stream_->data_type & 128) == 0) {
            status = DeflateStatus::Corrupt;
            inflateReset(stream_);
        }
    }
    needTail_ = false;
    // RFC 7692 §7.1.1.1/§7.1.1.2: without context takeover the next message starts from an empty window.
    if (noContextTakeover_ && status == DeflateStatus::Ok) inflateReset(stream_);
    return status;
}

DeflateStatus MessageInflater::run(const uint8_t* in, size_t size, ByteBuffer& out, size_t limit) {
    if (size == 0) return DeflateStatus::Ok;  // every earlier call returned with its output drained
    z_stream& s = *stream_;
    size_t inLeft = size;
    s.avail_in = 0;
    for (;;) {
        if (s.avail_in == 0 && inLeft != 0) {
            const size_t piece = std::min(inLeft, kMaxZlibChunk);
            s.next_in = const_cast<Bytef*>(in);  // zlib's API is not const-correct; it only reads
            s.avail_in = static_cast<uInt>(piece);
            in += piece;
            inLeft -= piece;
        }
        // Offer at most one byte more than the limit allows, so a bomb is caught after one chunk.
        const size_t remaining = limit > out.size() ? limit - out.size() : 0;
        const size_t spare = out.capacity() - out.size();
        const size_t offer = std::min(spare != 0 ? spare : kGrowChunk, kMaxZlibChunk);
        const size_t room = remaining < offer ? remaining + 1 : offer;
        const uInt availIn = s.avail_in;
        s.next_out = out.prepare(room);
        s.avail_out = static_cast<uInt>(room);
        const int rc = ::inflate(&s, Z_SYNC_FLUSH);
        const size_t produced = room - s.avail_out;
        if (produced > remaining) {
            out.commit(remaining);  // the caller fails the connection with 1009 (RFC 6455 §7.4.1)
            inflateReset(&s);
            needTail_ = false;
            return DeflateStatus::TooBig;
        }
        out.commit(produced);
        if (rc == Z_STREAM_END) {
            // RFC 7692 §7.2.1, §7.2.3.4: a block with BFINAL set ends the DEFLATE stream. Start anew for
            // whatever follows (the sender's trailing 0x00, the tail, the next message).
            inflateReset(&s);
            needTail_ = false;
            if (s.avail_in == 0 && inLeft == 0) return DeflateStatus::Ok;
            continue;
        }
        if (s.avail_in != availIn) needTail_ = true;
        const bool inputDone = s.avail_in == 0 && inLeft == 0;
        if (rc == Z_BUF_ERROR && inputDone) return DeflateStatus::Ok;  // no progress, nothing left to feed
        if (rc != Z_OK) {
            inflateReset(&s);  // Z_DATA_ERROR and the like: the caller fails the connection
            needTail_ = false;
            return DeflateStatus::Corrupt;
        }
        if (inputDone && s.avail_out != 0) return DeflateStatus::Ok;
    }
}

}  // namespace framescope
