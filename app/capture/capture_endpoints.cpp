#include "capture/capture_endpoints.h"

#include <QAbstractSocket>
#include <QHostAddress>

#include <algorithm>

namespace framescope::app {

namespace {

// Fills `out` (network order); returns 4, 6, or 0 when the address is neither.
uint8_t addressBytes(const QHostAddress& address, std::array<uint8_t, 16>& out) {
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);  // also a v4-mapped IPv6 address
    if (isV4) {
        for (int i = 0; i < 4; ++i)
            out[static_cast<size_t>(i)] = static_cast<uint8_t>(v4 >> (24 - 8 * i));
        return 4;
    }
    if (address.protocol() != QAbstractSocket::IPv6Protocol) return 0;
    const Q_IPV6ADDR v6 = address.toIPv6Address();
    std::copy(std::begin(v6.c), std::end(v6.c), out.begin());
    return 6;
}

}  // namespace

void reportEndpoints(CaptureSink* sink, uint32_t connectionId, const QAbstractSocket& socket,
                     bool weAreClient) {
    if (!sink) return;
    CapturedConnection c;
    c.connectionId = connectionId;
    const QHostAddress client = weAreClient ? socket.localAddress() : socket.peerAddress();
    const QHostAddress server = weAreClient ? socket.peerAddress() : socket.localAddress();
    const uint8_t clientVersion = addressBytes(client, c.clientAddress);
    const uint8_t serverVersion = addressBytes(server, c.serverAddress);
    c.ipVersion = clientVersion == serverVersion ? clientVersion : 0;
    c.clientPort = weAreClient ? socket.localPort() : socket.peerPort();
    c.serverPort = weAreClient ? socket.peerPort() : socket.localPort();
    c.clientToServer = weAreClient ? Direction::Outgoing : Direction::Incoming;
    sink->addConnection(c);
}

}  // namespace framescope::app
