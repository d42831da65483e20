// What a client connection is asked to do (ConnectionOptions), what it reports (ConnectionState,
// ConnectionTiming) and the commands that carry frames (RawFrame, FragmentedMessage). Plain values,
// copied across threads.
#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QNetworkProxy>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <cstdint>
#include <optional>

#include "framescope/deflate.h"
#include "framescope/frame.h"
#include "framescope/session.h"

namespace framescope::app {

enum class ConnectionState : uint8_t {
    Idle,          // not started
    Connecting,    // resolving and opening the TCP connection (through the proxy, if any)
    TlsHandshake,  // wss:// only
    WsHandshake,   // HTTP upgrade request sent, waiting for 101
    Open,
    Closing,  // a close frame was sent or received; waiting for the other one or the TCP close
    Closed,   // the close handshake completed (or the user stopped the attempt)
    Failed,   // a fault; the sentence says which
};
const char* connectionStateName(ConnectionState state) noexcept;

enum class IpVersion : uint8_t { Any, IPv4, IPv6 };

struct TlsOptions {
    QString caFile;           // PEM CAs trusted in addition to the system's
    QString certificateFile;  // client certificate for mutual TLS (PEM)
    QString keyFile;          // its private key (PEM, unencrypted)
    // Off by default. When on, certificate errors are ignored and the capture says which ones.
    bool ignoreCertificateErrors = false;
};

struct KeepAliveOptions {
    int pingIntervalMs = 0;  // 0 = no keep-alive pings
    int pingTimeoutMs = 10000;
};

struct PeriodicSendOptions {
    int intervalMs = 0;  // 0 = off
    QByteArray payload;  // the saved message
    bool binary = false;
};

struct ReconnectOptions {
    bool enabled = false;
    int initialDelayMs = 500;  // doubled after each failed attempt
    int maxDelayMs = 30000;
    int maxAttempts = 0;  // 0 = no limit
};

struct ConnectionOptions {
    QUrl url;                                // ws:// or wss://
    QList<QPair<QString, QString>> headers;  // extra handshake headers, sent as given
    QStringList subprotocols;
    QString origin;                       // empty = no Origin header
    QString hostHeader;                   // empty = the URL's host (and port when not the default)
    std::optional<DeflateOffer> deflate;  // offer permessage-deflate with these parameters
    TlsOptions tls;
    QNetworkProxy proxy{QNetworkProxy::NoProxy};  // HTTP (CONNECT) or SOCKS5
    IpVersion ipVersion = IpVersion::Any;
    int connectTimeoutMs = 10000;  // until Open: TCP, TLS and the WebSocket handshake
    int closeTimeoutMs = 3000;     // how long to wait for the peer's close frame or TCP close
    bool autoPong = true;
    KeepAliveOptions keepAlive;
    PeriodicSendOptions periodicSend;
    ReconnectOptions reconnect;
    SessionLimits limits;
    bool notifyMessages = true;  // emit messageReceived() for each message
};

// Durations in microseconds; -1 until the phase has happened.
struct ConnectionTiming {
    int64_t tcpConnectUs = -1;  // connect() to TCP established
    int64_t tlsUs = -1;         // TLS handshake (wss:// only)
    int64_t handshakeUs = -1;   // upgrade request sent to 101 parsed
    int64_t firstFrameUs = -1;  // connection open to the first frame received
};

// A crafted frame: any field, broken or not. Unset optionals take what the role requires.
struct RawFrame {
    bool fin = true;
    bool rsv1 = false;
    bool rsv2 = false;
    bool rsv3 = false;
    uint8_t opcode = opcode::kText;          // 0-15
    std::optional<bool> masked;              // default: masked as a client must be
    std::optional<MaskKey> maskKey;          // default: a fresh random key
    QByteArray payload;                      // unmasked
    std::optional<uint64_t> declaredLength;  // a length that may lie about the payload
    std::optional<LengthEncoding> encoding;  // a forced (maybe non-minimal) length encoding
};

// A data message sent as frames of chosen sizes, with pings between them (each piece via sendRaw).
struct FragmentedMessage {
    QByteArray payload;
    bool binary = false;
    QList<int> fragmentSizes;  // used in order; the last size repeats until the payload is used up
    int pingsBetween = 0;      // pings inserted between consecutive fragments
    QByteArray pingPayload;
};

}  // namespace framescope::app

Q_DECLARE_METATYPE(framescope::app::ConnectionState)
Q_DECLARE_METATYPE(framescope::app::ConnectionTiming)
