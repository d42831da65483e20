#include "net/client_handshake_options.h"

#include <string>

namespace framescope::app {

ClientHandshakeOptions clientHandshakeOptions(const ConnectionOptions& options) {
    const QUrl& url = options.url;
    const bool secure = url.scheme() == "wss";
    ClientHandshakeOptions hs;
    const int port = url.port(secure ? 443 : 80);
    hs.host = (url.host().contains(':') ? "[" + url.host() + "]" : url.host()).toStdString();
    if (port != (secure ? 443 : 80)) hs.host += ":" + std::to_string(port);
    if (!options.hostHeader.isEmpty()) hs.host = options.hostHeader.toStdString();
    QString resource = url.path(QUrl::FullyEncoded);
    if (resource.isEmpty()) resource = "/";
    if (url.hasQuery()) resource += "?" + url.query(QUrl::FullyEncoded);
    hs.resource = resource.toStdString();
    if (!options.origin.isEmpty()) hs.origin = options.origin.toStdString();
    for (const QString& protocol : options.subprotocols)
        hs.subprotocols.push_back(protocol.toStdString());
    hs.deflate = options.deflate;
    for (const auto& [name, value] : options.headers)
        hs.extraHeaders.emplace_back(name.toStdString(), value.toStdString());
    return hs;
}

}  // namespace framescope::app
