// libFuzzer target that drives the session the way real callers may, not only the tidy way:
// receive(), prepareReceive()/commitReceive() (committing less than prepared), nextEvent() one at a
// time with events held across calls, the bulk paths (takeWholeMessages(), echoWholeMessages() and its
// in-place form), takePendingOutput() and releaseIdleMemory(), in any order.
// It reads every view it holds while the session says the view is current (ASan catches a dangling
// one) and asserts that the session's memory stays within a bound of the bytes received and its limits.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "framescope/session.h"

using namespace framescope;

namespace {

SessionOptions optionsFrom(uint8_t selector) {
    SessionOptions options;
    options.role = (selector & 1) ? Role::Server : Role::Client;
    if (selector & 2) {
        DeflateParams params;
        params.clientNoContextTakeover = (selector & 8) != 0;
        params.serverNoContextTakeover = (selector & 16) != 0;
        options.deflate = params;
    }
    options.autoPong = (selector & 4) == 0;
    options.frameEvents = (selector & 64) == 0;
    options.limits.maxFramePayload = 1 << 16;
    options.limits.maxMessageSize = (selector & 128) ? 4096 : (1 << 18);
    return options;
}

uint32_t touch(std::span<const uint8_t> bytes) {
    uint32_t sum = 0;
    for (uint8_t byte : bytes)
        sum += byte;
    return sum;
}

struct Driver {
    explicit Driver(const SessionOptions& options) : session(options), limits(options.limits) {}

    void checkHeld() {
        if (!session.isCurrent(held)) return;
        session.checkView(held);
        sink += touch(held.payload) + touch(held.rawHeader);
    }

    void checkMemory() const {
        // Buffers follow the bytes that arrived (doubling growth, and replies to pings not yet taken,
        // up to ~22 bytes per 6 received), plus the reassembly/inflation buffer up to the message limit.
        const size_t bound = 64 * (received + largestPrepare) + 4 * (limits.maxMessageSize + 65536);
        if (session.retainedBytes() > bound) {
            std::fprintf(stderr, "retained %zu bytes > bound %zu after %zu received\n",
                         session.retainedBytes(), bound, received);
            __builtin_trap();
        }
    }

    Session session;
    SessionLimits limits;
    Event held;
    size_t received = 0;
    size_t largestPrepare = 0;
    uint32_t sink = 0;
    ByteBuffer out;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    Driver d(optionsFrom(data[0]));
    size_t pos = 1;
    while (pos + 1 < size) {
        const uint8_t op = data[pos];
        const size_t count = size_t(data[pos + 1]) * ((op & 0x10) ? 64 : 1);
        pos += 2;
        const size_t n = std::min(count, size - pos);
        switch (op & 7) {
            case 0:
            case 1: {
                const LocalError error = d.session.receive({data + pos, n});
                if (error == LocalError::EventsPending && !d.session.hasQueuedEvents()) __builtin_trap();
                if (error == LocalError::None) d.received += n;
                pos += n;
                break;
            }
            case 2: {
                uint8_t* into = nullptr;
                const size_t want = n + (op >> 5);
                if (d.session.prepareReceive(want, into) != LocalError::None) {
                    if (into != nullptr || !d.session.hasQueuedEvents()) __builtin_trap();
                    break;
                }
                d.largestPrepare = std::max(d.largestPrepare, want);
                if (n > 0) std::memcpy(into, data + pos, n);  // prepareReceive(0) may give no buffer
                d.session.commitReceive(n);
                d.received += n;
                pos += n;
                break;
            }
            case 3:
            case 4:
                for (size_t i = 0; i <= size_t(op >> 4) && d.session.nextEvent(d.held); ++i)
                    d.checkHeld();
                break;
            case 5:
                d.out.clear();
                d.session.takePendingOutput(d.out);
                break;
            case 6:
                d.session.releaseIdleMemory();
                break;
            default:
                if ((op & 0x60) == 0x20) {
                    Session::WholeMessage batch[4];
                    const size_t taken = d.session.takeWholeMessages(batch);
                    for (size_t i = 0; i < taken; ++i)
                        d.sink += touch(batch[i].payload);
                } else if ((op & 0x60) == 0x40) {
                    d.out.clear();
                    Session::Echoed echoed;
                    d.session.echoWholeMessages(d.out, count * 16, echoed);
                    if (echoed.bytes > count * 16 || d.out.size() < echoed.bytes) __builtin_trap();
                } else if ((op & 0x60) == 0x60 && (op & 0x80) != 0) {
                    Session::Echoed echoed;
                    const std::span<const uint8_t> echoes =
                        d.session.echoWholeMessagesInPlace(count * 16, echoed);
                    if (echoed.bytes > count * 16 || echoes.size() < echoed.bytes) __builtin_trap();
                    d.sink += touch(echoes);
                } else if (d.held.kind == EventKind::Message && d.session.isCurrent(d.held)) {
                    d.out.clear();
                    d.session.sendBinary(d.held.payload, d.out);
                }
                break;
        }
        d.checkHeld();
        d.checkMemory();
    }
    return d.sink == 0xdeadbeef ? 1 : 0;
}
