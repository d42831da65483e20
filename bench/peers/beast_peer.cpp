// The Boost.Beast peer: its websocket::stream driven in memory (a stream over byte buffers, after a real
// opening handshake) for message and frame reads and writes; its masking, accept-key and UTF-8 helpers
// (detail namespace: internal API, pinned to the Boost of the Debian package). Its echo server is a
// process of its own: app/load/peers/beast_echo.cpp.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/detail/hybi13.hpp>
#include <boost/beast/websocket/detail/mask.hpp>
#include <boost/beast/websocket/detail/utf8_checker.hpp>
#include <cstring>

#include "framescope/bench/accept_key.h"
#include "framescope/bench/peer.h"

namespace framescope::bench {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using boost::system::error_code;

// A synchronous stream over memory: reads come from `input`, writes are copied to `output`. As a client,
// it answers the opening handshake it sees in `output` with a valid 101.
class MemoryStream {
public:
    using executor_type = net::io_context::executor_type;
    explicit MemoryStream(net::io_context& context) : executor_(context.get_executor()) {}
    executor_type get_executor() noexcept { return executor_; }

    void setInput(const uint8_t* data, size_t size) {
        input_ = data;
        inputSize_ = size;
    }
    std::vector<uint8_t>& output() { return output_; }

    template <class Buffers>
    size_t read_some(const Buffers& buffers, error_code& ec) {
        if (inputSize_ == 0) answerHandshake();
        if (inputSize_ == 0) {
            ec = net::error::eof;
            return 0;
        }
        const size_t n = net::buffer_copy(buffers, net::buffer(input_, inputSize_));
        input_ += n;
        inputSize_ -= n;
        ec = {};
        return n;
    }
    template <class Buffers>
    size_t read_some(const Buffers& buffers) {
        error_code ec;
        const size_t n = read_some(buffers, ec);
        if (ec) throw boost::system::system_error(ec);
        return n;
    }
    template <class Buffers>
    size_t write_some(const Buffers& buffers, error_code& ec) {
        const size_t before = output_.size();
        output_.resize(before + net::buffer_size(buffers));
        net::buffer_copy(net::buffer(output_.data() + before, output_.size() - before), buffers);
        ec = {};
        return output_.size() - before;
    }
    template <class Buffers>
    size_t write_some(const Buffers& buffers) {
        error_code ec;
        return write_some(buffers, ec);
    }

private:
    void answerHandshake() {
        const std::string request(output_.begin(), output_.end());
        const size_t at = request.find("Sec-WebSocket-Key: ");
        if (at == std::string::npos) return;
        const std::string key = request.substr(at + 19, request.find("\r\n", at) - at - 19);
        response_ =
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Accept: " +
            computeAcceptKey(key) + "\r\n\r\n";
        output_.clear();
        setInput(reinterpret_cast<const uint8_t*>(response_.data()), response_.size());
    }

    executor_type executor_;
    const uint8_t* input_ = nullptr;
    size_t inputSize_ = 0;
    std::vector<uint8_t> output_;
    std::string response_;
};

void teardown(beast::role_type, MemoryStream&, error_code& ec) {
    ec = {};
}

constexpr std::string_view kUpgradeRequest =
    "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

struct MemoryWebSocket {
    net::io_context context;
    websocket::stream<MemoryStream> ws{context};
    beast::flat_buffer buffer;

    explicit MemoryWebSocket(bool server) {
        if (server) {
            ws.next_layer().setInput(reinterpret_cast<const uint8_t*>(kUpgradeRequest.data()),
                                     kUpgradeRequest.size());
            ws.accept();
        } else {
            ws.handshake("localhost", "/");
        }
        ws.binary(true);
        ws.auto_fragment(false);
        ws.read_message_max(64u << 20);
        ws.next_layer().output().clear();
    }
};

Batch readBatch(const PeerInput& input) {
    auto socket = std::make_shared<MemoryWebSocket>(true);
    return [socket, wire = input.payload](uint64_t iterations) {
        for (uint64_t i = 0; i < iterations; ++i) {
            socket->ws.next_layer().setInput(wire.data(), wire.size());
            socket->ws.read(socket->buffer);
            doNotOptimize(socket->buffer.data().data());
            socket->buffer.consume(socket->buffer.size());
        }
    };
}

Batch writeBatch(const PeerInput& input, bool server) {
    auto socket = std::make_shared<MemoryWebSocket>(server);
    return [socket, payload = input.payload](uint64_t iterations) {
        for (uint64_t i = 0; i < iterations; ++i) {
            socket->ws.next_layer().output().clear();
            socket->ws.write(net::buffer(payload));
            doNotOptimize(socket->ws.next_layer().output().data());
        }
    };
}

Batch helperBatch(const PeerInput& input) {
    auto data = std::make_shared<std::vector<uint8_t>>(input.payload);
    switch (input.op) {
        case PeerOp::Mask:
            return [data](uint64_t iterations) {
                websocket::detail::prepared_key key;
                websocket::detail::prepare_key(key, 0x3d21fa37u);
                uint8_t* const bytes = data->data();  // locals stay in registers, as ours (loopOf())
                const size_t size = data->size();
                for (uint64_t i = 0; i < iterations; ++i) {
                    websocket::detail::mask_inplace(net::mutable_buffer(bytes, size), key);
                    clobberMemory();
                }
            };
        case PeerOp::AcceptKey:
            return [data](uint64_t iterations) {
                const beast::string_view key(reinterpret_cast<const char*>(data->data()), data->size());
                for (uint64_t i = 0; i < iterations; ++i) {
                    websocket::detail::sec_ws_accept_type accept;
                    websocket::detail::make_sec_ws_accept(accept, key);
                    doNotOptimize(accept.data());
                }
            };
        case PeerOp::Utf8:
            return [data](uint64_t iterations) {
                for (uint64_t i = 0; i < iterations; ++i) {
                    doNotOptimize(websocket::detail::check_utf8(reinterpret_cast<const char*>(data->data()),
                                                                data->size()));
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
            return writeBatch(input, true);
        case PeerOp::FrameWrite:
            return writeBatch(input, false);  // a client masks every frame
        default:
            return helperBatch(input);
    }
}

const PeerRegistrar registrar([](PeerRegistry& registry) {
    registry.addCodecPeer({"boost-beast", makeBatch});
});

}  // namespace
}  // namespace framescope::bench
