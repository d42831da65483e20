// libFuzzer target for the session's receive path, both roles, with and without permessage-deflate.
// The first byte picks the options, the second the size of the pieces the rest is fed in and whether Frame
// events are queued; every message received is echoed back through the send path, so the compressor is
// exercised too.
#include <cstddef>
#include <cstdint>
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
        params.clientMaxWindowBits = (selector & 32) ? 9 : 15;
        options.deflate = params;
    }
    options.autoPong = (selector & 4) == 0;
    options.tolerateNonMinimalLength = (selector & 64) != 0;
    options.limits.maxFramePayload = 1 << 20;
    options.limits.maxMessageSize = (selector & 128) ? 4096 : (1 << 20);
    return options;
}

void drain(Session& session, ByteBuffer& out) {
    Event event;
    while (session.nextEvent(event)) {
        if (event.kind == EventKind::Message) {
            out.clear();
            if (event.messageOpcode == opcode::kText) {
                session.sendText({reinterpret_cast<const char*>(event.payload.data()), event.payload.size()},
                                 out, {.fragmentSize = 64});
            } else {
                session.sendBinary(event.payload, out);
            }
        }
    }
    out.clear();
    session.takePendingOutput(out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    SessionOptions options = optionsFrom(data[0]);
    options.frameEvents = (data[1] & 2) == 0;
    Session session(options);
    const size_t piece = size_t(data[1]) + 1;
    ByteBuffer out;
    for (size_t offset = 2; offset < size; offset += piece) {
        const size_t n = std::min(piece, size - offset);
        if (data[1] & 1) {
            session.receive({data + offset, n});
        } else {
            uint8_t* into = nullptr;
            if (session.prepareReceive(n, into) != LocalError::None) __builtin_trap();
            std::memcpy(into, data + offset, n);
            session.commitReceive(n);
        }
        drain(session, out);
    }
    return 0;
}
