// The websocketpp peer server: its Asio server on one thread, echoing every message, TCP_NODELAY on, no
// permessage-deflate, messages up to 64 MiB. Prints "listening on ws://127.0.0.1:PORT/" first; the port
// comes from argv[1] (default: any).
#include <cstdio>
#include <cstdlib>
#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/server.hpp>

using AsioServer = websocketpp::server<websocketpp::config::asio>;

int main(int argc, char** argv) {
    AsioServer server;
    server.clear_access_channels(websocketpp::log::alevel::all);
    server.clear_error_channels(websocketpp::log::elevel::all);
    server.init_asio();
    server.set_reuse_addr(true);
    server.set_max_message_size(64u << 20);
    server.set_tcp_post_init_handler([&server](websocketpp::connection_hdl handle) {
        boost::system::error_code ec;
        server.get_con_from_hdl(handle)->get_socket().set_option(boost::asio::ip::tcp::no_delay(true), ec);
    });
    server.set_message_handler(
        [&server](websocketpp::connection_hdl handle, AsioServer::message_ptr message) {
            websocketpp::lib::error_code ec;
            server.send(handle, message->get_payload(), message->get_opcode(), ec);
        });
    const auto port = static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 0);
    server.listen(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    server.start_accept();
    websocketpp::lib::asio::error_code ec;
    std::printf("listening on ws://127.0.0.1:%u/\n",
                static_cast<unsigned>(server.get_local_endpoint(ec).port()));
    std::fflush(stdout);
    server.run();
    return 0;
}
