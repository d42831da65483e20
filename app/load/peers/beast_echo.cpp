// The Boost.Beast peer server: a synchronous websocket::stream echo server, one thread per connection,
// TCP_NODELAY on, no permessage-deflate, messages up to 64 MiB. Prints "listening on ws://127.0.0.1:PORT/"
// first; the port comes from argv[1] (default: any).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

void echo(net::ip::tcp::socket socket) {
    websocket::stream<net::ip::tcp::socket> ws(std::move(socket));
    boost::system::error_code ec;
    ws.read_message_max(64u << 20);
    ws.accept(ec);
    beast::flat_buffer buffer;
    while (!ec) {
        ws.read(buffer, ec);
        if (ec) return;
        ws.binary(ws.got_binary());
        ws.write(buffer.data(), ec);
        buffer.consume(buffer.size());
    }
}

}  // namespace

int main(int argc, char** argv) {
    net::io_context context;
    const auto port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 0);
    net::ip::tcp::acceptor acceptor(context, {net::ip::make_address("127.0.0.1"), port});
    std::printf("listening on ws://127.0.0.1:%u/\n", static_cast<unsigned>(acceptor.local_endpoint().port()));
    std::fflush(stdout);
    for (;;) {
        net::ip::tcp::socket socket(context);
        boost::system::error_code ec;
        acceptor.accept(socket, ec);
        if (ec) return 1;
        socket.set_option(net::ip::tcp::no_delay(true), ec);
        std::thread(echo, std::move(socket)).detach();
    }
}
