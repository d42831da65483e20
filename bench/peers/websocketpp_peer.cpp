// The websocketpp peer: its hybi13 processor driven in memory (what its connections run for every frame:
// consume() to read, prepare_data_frame() to write), its masking, accept-key and UTF-8 helpers. Its Asio
// echo server is a process of its own: app/load/peers/websocketpp_echo.cpp.
#include <cstring>
#include <websocketpp/config/core.hpp>
#include <websocketpp/config/core_client.hpp>
#include <websocketpp/frame.hpp>
#include <websocketpp/processors/hybi13.hpp>
#include <websocketpp/utf8_validator.hpp>

#include "framescope/bench/peer.h"

namespace framescope::bench {
namespace {

template <typename Config>
struct Processor : websocketpp::processor::hybi13<Config> {
    using Base = websocketpp::processor::hybi13<Config>;
    using Base::Base;
    using Base::process_handshake_key;
};

// One processor with what it needs to live: its message manager and random generator.
template <typename Config>
struct MemoryProcessor {
    using Manager = typename Config::con_msg_manager_type;
    typename Config::rng_type rng;
    typename Manager::ptr manager = websocketpp::lib::make_shared<Manager>();
    Processor<Config> processor;
    explicit MemoryProcessor(bool server) : processor(false, server, manager, rng) {}
};

Batch readBatch(const PeerInput& input) {
    auto state = std::make_shared<MemoryProcessor<websocketpp::config::core>>(true);
    return [state, wire = input.payload](uint64_t iterations) {
        std::vector<uint8_t> scratch(wire.size());
        for (uint64_t i = 0; i < iterations; ++i) {
            std::memcpy(scratch.data(), wire.data(), wire.size());  // consume() may unmask in place
            websocketpp::lib::error_code ec;
            state->processor.consume(scratch.data(), scratch.size(), ec);
            if (state->processor.ready()) doNotOptimize(state->processor.get_message().get());
        }
    };
}

template <typename Config>
Batch writeBatch(const PeerInput& input, bool server) {
    auto state = std::make_shared<MemoryProcessor<Config>>(server);
    return [state, payload = std::string(input.payload.begin(), input.payload.end())](uint64_t iterations) {
        for (uint64_t i = 0; i < iterations; ++i) {
            auto message = state->manager->get_message(websocketpp::frame::opcode::binary, payload.size());
            message->set_payload(payload);
            auto out = state->manager->get_message();
            state->processor.prepare_data_frame(message, out);
            doNotOptimize(out->get_payload().data());
        }
    };
}

Batch helperBatch(const PeerInput& input) {
    auto data = std::make_shared<std::vector<uint8_t>>(input.payload);
    switch (input.op) {
        case PeerOp::Mask:
            return [data](uint64_t iterations) {
                websocketpp::frame::masking_key_type key;
                key.i = 0x3d21fa37;
                uint8_t* const bytes = data->data();  // locals stay in registers, as ours (loopOf())
                const size_t size = data->size();
                for (uint64_t i = 0; i < iterations; ++i) {
                    websocketpp::frame::word_mask_exact(bytes, size, key);
                    clobberMemory();
                }
            };
        case PeerOp::AcceptKey:
            return [data](uint64_t iterations) {
                auto state = std::make_shared<MemoryProcessor<websocketpp::config::core>>(true);
                const std::string key(data->begin(), data->end());
                for (uint64_t i = 0; i < iterations; ++i) {
                    std::string accept = key;
                    state->processor.process_handshake_key(accept);
                    doNotOptimize(accept.data());
                }
            };
        case PeerOp::Utf8:
            return [data](uint64_t iterations) {
                for (uint64_t i = 0; i < iterations; ++i) {
                    websocketpp::utf8_validator::validator validator;
                    doNotOptimize(validator.decode(data->begin(), data->end()) && validator.complete());
                }
            };
        default:
            return {};
    }
}

Batch makeBatch(const PeerInput& input) {
    switch (input.op) {
        case PeerOp::ReadMessage:
        case PeerOp::FrameRead:
            return readBatch(input);
        case PeerOp::WriteMessage:
            return writeBatch<websocketpp::config::core>(input, true);
        case PeerOp::FrameWrite:
            return writeBatch<websocketpp::config::core_client>(input, false);  // a client masks
        default:
            return helperBatch(input);
    }
}

const PeerRegistrar registrar([](PeerRegistry& registry) {
    registry.addCodecPeer({"websocketpp", makeBatch});
});

}  // namespace
}  // namespace framescope::bench
