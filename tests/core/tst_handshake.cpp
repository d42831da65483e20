// The opening handshake (RFC 6455 §4), both roles, in memory. Every head is fed three ways: whole, byte by
// byte, and split in two with the first WebSocket frame right behind it (which must be left unconsumed).
#include <QTest>

#include "test_util.h"

#include <array>
#include <string>

#include "framescope/handshake.h"
#include "framescope/http_head.h"
#include "framescope/secure_random.h"

using namespace framescope;
using framescope::test::describeDeflateParams;

Q_DECLARE_METATYPE(framescope::HandshakeState)
Q_DECLARE_METATYPE(framescope::HandshakeError)

namespace {

std::string toStd(const QByteArray& bytes) {
    return std::string(bytes.constData(), static_cast<size_t>(bytes.size()));
}
QByteArray toQ(std::string_view text) {
    return QByteArray(text.data(), static_cast<qsizetype>(text.size()));
}

// RFC 6455 §1.3: the nonce whose base64 is "dGhlIHNhbXBsZSBub25jZQ==".
constexpr std::array<uint8_t, 16> kSampleNonce = {'t', 'h', 'e', ' ', 's', 'a', 'm', 'p',
                                                  'l', 'e', ' ', 'n', 'o', 'n', 'c', 'e'};
const QByteArray kSampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

// The first frames after the head: an unmasked text "Hello" (server) and a masked one (client).
const std::string kServerFrame = std::string("\x81\x05Hello", 7);
const std::string kClientFrame = std::string("\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58", 11);

enum class Mode { Whole, ByteByByte, SplitWithTrailing };
constexpr std::array<Mode, 3> kModes = {Mode::Whole, Mode::ByteByByte, Mode::SplitWithTrailing};
const char* modeName(Mode mode) {
    return mode == Mode::Whole ? "whole" : mode == Mode::ByteByByte ? "byte by byte" : "split with trailing";
}

struct Fed {
    HandshakeState state = HandshakeState::InProgress;
    size_t consumed = 0;
    std::string rest;  // bytes of the input not consumed
};

// Feeds `head` (plus `trailing` in SplitWithTrailing mode) the way `mode` says, stopping when done.
template <typename Handshake>
Fed feed(Handshake& handshake, const std::string& head, const std::string& trailing, Mode mode) {
    std::string input = head;
    if (mode == Mode::SplitWithTrailing) input += trailing;
    Fed fed;
    auto step = [&](std::string_view chunk) {
        const HandshakeStep result = handshake.receive(chunk);
        fed.state = result.state;
        fed.consumed += result.consumed;
    };
    if (mode == Mode::Whole) {
        step(input);
    } else if (mode == Mode::ByteByByte) {
        for (size_t i = 0; i < input.size() && fed.state == HandshakeState::InProgress; ++i)
            step(input.substr(i, 1));
    } else {
        const size_t half = head.size() / 2;
        step(std::string_view(input).substr(0, half));
        if (fed.state == HandshakeState::InProgress) step(std::string_view(input).substr(half));
    }
    fed.rest = input.substr(fed.consumed);
    return fed;
}

ClientHandshakeOptions sampleClientOptions(bool offerProtocols, bool offerDeflate) {
    ClientHandshakeOptions options;
    options.host = "server.example.com";
    options.resource = "/chat";
    options.origin = "http://example.com";
    if (offerProtocols) options.subprotocols = {"chat", "superchat"};
    if (offerDeflate) options.deflate = DeflateOffer{};
    return options;
}

const QByteArray kRfcRequest =
    "GET /chat HTTP/1.1\r\n"
    "Host: server.example.com\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Origin: http://example.com\r\n"
    "Sec-WebSocket-Protocol: chat, superchat\r\n"
    "Sec-WebSocket-Version: 13\r\n"
    "\r\n";

const QByteArray kRfcResponse =
    "HTTP/1.1 101 Switching Protocols\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
    "Sec-WebSocket-Protocol: chat\r\n"
    "\r\n";

// A 101 response with the sample accept key and `extra` header lines.
QByteArray switching(const QByteArray& extra) {
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: " +
           kSampleAccept + "\r\n" + extra + "\r\n";
}

// A valid request with the sample key; `replace` swaps one line out ("" drops it), `extra` adds lines.
QByteArray request(const QByteArray& line, const QByteArray& replacement, const QByteArray& extra = {}) {
    QByteArray text =
        "GET /chat?room=1 HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n";
    if (!line.isEmpty())
        text.replace(line + "\r\n", replacement.isEmpty() ? QByteArray() : replacement + "\r\n");
    return text + extra + "\r\n";
}

}  // namespace

class TestHandshake : public QObject {
    Q_OBJECT

private slots:
    void clientValidation_data();
    void clientValidation();
    void serverValidation_data();
    void serverValidation();
    void roundTrip_data();
    void roundTrip();
    void clientRequestText();
    void clientInvalidOptions_data();
    void clientInvalidOptions();
    void clientBodyExcerpt();
    void headTooLarge_data();
    void headTooLarge();
    void serverOrigin_data();
    void serverOrigin();
    void hostGrammar_data();
    void hostGrammar();
};

void TestHandshake::clientValidation_data() {
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<bool>("offerProtocols");
    QTest::addColumn<bool>("offerDeflate");
    QTest::addColumn<HandshakeError>("error");
    QTest::addColumn<QByteArray>("subprotocol");
    QTest::addColumn<QByteArray>("deflate");
    QTest::addColumn<QByteArray>("message");  // exact sentence, or empty to skip the check

    using E = HandshakeError;
    QTest::newRow("rfc 6455 §1.3 sample") << kRfcResponse << true << false << E::None << QByteArray("chat")
                                          << QByteArray("none") << QByteArray();
    QTest::newRow("mixed case tokens")
        << QByteArray(
               "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nCONNECTION: keep-alive, UPGRADE\r\n"
               "sec-websocket-accept: " +
               kSampleAccept + "\r\n\r\n")
        << true << true << E::None << QByteArray() << QByteArray("none") << QByteArray();
    QTest::newRow("bare LF lines") << switching({}).replace("\r\n", "\n") << true << true << E::None
                                   << QByteArray() << QByteArray("none") << QByteArray();
    QTest::newRow("deflate accepted")
        << switching(
               "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
               "client_max_window_bits=10\r\n")
        << true << true << E::None << QByteArray() << QByteArray("c10 s15 snct") << QByteArray();
    QTest::newRow("403 with body")
        << QByteArray("HTTP/1.1 403 Forbidden\r\nContent-Length: 5\r\n\r\nNope.") << true << true
        << E::UnexpectedStatus << QByteArray() << QByteArray("none")
        << QByteArray("The server answered 403 Forbidden instead of 101 Switching Protocols.");
    QTest::newRow("200 ok") << QByteArray("HTTP/1.1 200 OK\r\n\r\n") << true << true << E::UnexpectedStatus
                            << QByteArray() << QByteArray("none") << QByteArray();
    QTest::newRow("missing accept")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
        << true << true << E::BadAccept << QByteArray() << QByteArray("none")
        << QByteArray("The server's response lacks Sec-WebSocket-Accept (RFC 6455 §4.1).");
    QTest::newRow("wrong accept")
        << QByteArray(switching({})).replace(kSampleAccept, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=") << true << true
        << E::BadAccept << QByteArray() << QByteArray("none")
        << QByteArray(
               "The server's Sec-WebSocket-Accept does not match the key we sent "
               "(RFC 6455 §4.1).");
    QTest::newRow("accept wrong case")
        << QByteArray(switching({})).replace(kSampleAccept, kSampleAccept.toLower()) << true << true
        << E::BadAccept << QByteArray() << QByteArray("none") << QByteArray();
    QTest::newRow("accept twice") << switching("Sec-WebSocket-Accept: " + kSampleAccept + "\r\n") << true
                                  << true << E::BadAccept << QByteArray() << QByteArray("none")
                                  << QByteArray();
    QTest::newRow("missing upgrade") << QByteArray(switching({})).replace("Upgrade: websocket\r\n", "")
                                     << true << true << E::BadUpgrade << QByteArray() << QByteArray("none")
                                     << QByteArray();
    QTest::newRow("upgrade h2c") << QByteArray(switching({})).replace("Upgrade: websocket", "Upgrade: h2c")
                                 << true << true << E::BadUpgrade << QByteArray() << QByteArray("none")
                                 << QByteArray();
    QTest::newRow("connection without upgrade")
        << QByteArray(switching({})).replace("Connection: Upgrade", "Connection: keep-alive") << true << true
        << E::BadConnection << QByteArray() << QByteArray("none") << QByteArray();
    QTest::newRow("missing connection")
        << QByteArray(switching({})).replace("Connection: Upgrade\r\n", "") << true << true
        << E::BadConnection << QByteArray() << QByteArray("none") << QByteArray();
    QTest::newRow("unoffered subprotocol")
        << switching("Sec-WebSocket-Protocol: other\r\n") << true << true << E::UnexpectedSubprotocol
        << QByteArray() << QByteArray("none") << QByteArray();
    QTest::newRow("subprotocol none offered")
        << switching("Sec-WebSocket-Protocol: chat\r\n") << false << true << E::UnexpectedSubprotocol
        << QByteArray() << QByteArray("none") << QByteArray();
    QTest::newRow("subprotocol list")
        << switching("Sec-WebSocket-Protocol: chat, superchat\r\n") << true << true
        << E::UnexpectedSubprotocol << QByteArray() << QByteArray("none") << QByteArray();
    QTest::newRow("subprotocol wrong case")
        << switching("Sec-WebSocket-Protocol: CHAT\r\n") << true << true << E::UnexpectedSubprotocol
        << QByteArray() << QByteArray("none") << QByteArray();
    QTest::newRow("unoffered extension")
        << switching("Sec-WebSocket-Extensions: x-foo\r\n") << true << true << E::UnexpectedExtension
        << QByteArray() << QByteArray("none") << QByteArray();
    QTest::newRow("deflate not offered")
        << switching("Sec-WebSocket-Extensions: permessage-deflate\r\n") << true << false
        << E::UnexpectedExtension << QByteArray() << QByteArray("none") << QByteArray();
    QTest::newRow("bad server deflate params")
        << switching("Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=16\r\n") << true
        << true << E::BadExtensionParams << QByteArray() << QByteArray("none") << QByteArray();
    QTest::newRow("deflate unknown param")
        << switching("Sec-WebSocket-Extensions: permessage-deflate; foo\r\n") << true << true
        << E::BadExtensionParams << QByteArray() << QByteArray("none") << QByteArray();
    QTest::newRow("deflate twice") << switching(
                                          "Sec-WebSocket-Extensions: permessage-deflate\r\n"
                                          "Sec-WebSocket-Extensions: permessage-deflate\r\n")
                                   << true << true << E::BadExtensionParams << QByteArray()
                                   << QByteArray("none") << QByteArray();
    QTest::newRow("malformed extensions")
        << switching("Sec-WebSocket-Extensions: permessage-deflate;;\r\n") << true << true
        << E::BadExtensionParams << QByteArray() << QByteArray("none") << QByteArray();
    QTest::newRow("obs-fold") << switching("X-Long: a\r\n b\r\n") << true << true << E::MalformedHead
                              << QByteArray() << QByteArray("none") << QByteArray();
    QTest::newRow("space before colon") << switching("X-Bad : a\r\n") << true << true << E::MalformedHead
                                        << QByteArray() << QByteArray("none") << QByteArray();
    QTest::newRow("garbage status line")
        << QByteArray("HTTP/1.1 1O1 Switching\r\n\r\n") << true << true << E::MalformedHead << QByteArray()
        << QByteArray("none") << QByteArray();
    QTest::newRow("not http") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n") << true << true << E::MalformedHead
                              << QByteArray() << QByteArray("none") << QByteArray();
    QTest::newRow("http/1.0 101") << QByteArray(switching({})).replace("HTTP/1.1", "HTTP/1.0") << true << true
                                  << E::MalformedHead << QByteArray() << QByteArray("none") << QByteArray();
}

void TestHandshake::clientValidation() {
    QFETCH(QByteArray, response);
    QFETCH(bool, offerProtocols);
    QFETCH(bool, offerDeflate);
    QFETCH(HandshakeError, error);
    QFETCH(QByteArray, subprotocol);
    QFETCH(QByteArray, deflate);
    QFETCH(QByteArray, message);
    const std::string head = toStd(response);
    for (Mode mode : kModes) {
        ClientHandshake client(sampleClientOptions(offerProtocols, offerDeflate), kSampleNonce);
        QCOMPARE(toQ(client.key()), QByteArray("dGhlIHNhbXBsZSBub25jZQ=="));
        const Fed fed = feed(client, head, kServerFrame, mode);
        const QByteArray context = modeName(mode);
        QVERIFY2(client.error() == error, (context + ": " + toQ(client.errorMessage())).constData());
        if (error == HandshakeError::None) {
            QCOMPARE(fed.state, HandshakeState::Succeeded);
            QCOMPARE(fed.consumed, head.size());
            QCOMPARE(toQ(fed.rest), mode == Mode::SplitWithTrailing ? toQ(kServerFrame) : QByteArray());
            QCOMPARE(toQ(client.responseHead()), response);
            QVERIFY(client.errorMessage().empty());
        } else {
            QCOMPARE(fed.state, HandshakeState::Failed);
            QVERIFY(!client.errorMessage().empty());
            if (!message.isEmpty()) QCOMPARE(toQ(client.errorMessage()), message);
        }
        QCOMPARE(toQ(client.subprotocol()), subprotocol);
        QCOMPARE(describeDeflateParams(client.deflate()), deflate);
    }
}

void TestHandshake::serverValidation_data() {
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<HandshakeError>("error");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("subprotocol");
    QTest::addColumn<QByteArray>("responseContains");

    using E = HandshakeError;
    QTest::newRow("rfc 6455 §1.3 sample") << kRfcRequest << E::None << 101 << QByteArray("chat")
                                          << "Sec-WebSocket-Accept: " + kSampleAccept + "\r\n";
    QTest::newRow("mixed case tokens")
        << request("Upgrade: websocket", "upgrade: WebSocket", "connection: keep-alive, UPGRADE\r\n")
               .replace("Connection: Upgrade\r\n", "")
        << E::None << 101 << QByteArray() << QByteArray("Upgrade: websocket\r\nConnection: Upgrade\r\n");
    QTest::newRow("upgrade list") << request("Upgrade: websocket", "Upgrade: foo/2, WebSocket") << E::None
                                  << 101 << QByteArray() << QByteArray("101 Switching Protocols");
    QTest::newRow("protocols on two lines")
        << request({}, {}, "Sec-WebSocket-Protocol: foo\r\nSec-WebSocket-Protocol: superchat, bar\r\n")
        << E::None << 101 << QByteArray("superchat") << QByteArray("Sec-WebSocket-Protocol: superchat\r\n");
    QTest::newRow("no common protocol") << request({}, {}, "Sec-WebSocket-Protocol: foo\r\n") << E::None
                                        << 101 << QByteArray() << QByteArray("Sec-WebSocket-Accept");
    QTest::newRow("deflate offered")
        << request({}, {}, "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n")
        << E::None << 101 << QByteArray() << QByteArray("Sec-WebSocket-Extensions: permessage-deflate\r\n");
    QTest::newRow("deflate unusable")
        << request({}, {}, "Sec-WebSocket-Extensions: permessage-deflate; x=1\r\n") << E::None << 101
        << QByteArray() << QByteArray("Sec-WebSocket-Accept");
    QTest::newRow("version 12") << request("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 12")
                                << E::UnsupportedVersion << 426 << QByteArray()
                                << QByteArray(
                                       "HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n");
    QTest::newRow("version missing") << request("Sec-WebSocket-Version: 13", {}) << E::UnsupportedVersion
                                     << 426 << QByteArray() << QByteArray("Sec-WebSocket-Version: 13\r\n");
    QTest::newRow("missing key") << request("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", {}) << E::BadKey
                                 << 400 << QByteArray() << QByteArray("HTTP/1.1 400 Bad Request\r\n");
    QTest::newRow("key 15 bytes") << request("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                                             "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA")
                                  << E::BadKey << 400 << QByteArray() << QByteArray("400 Bad Request");
    QTest::newRow("key not base64") << request("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ")
                                    << E::BadKey << 400 << QByteArray() << QByteArray("400 Bad Request");
    QTest::newRow("key twice") << request({}, {}, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")
                               << E::BadKey << 400 << QByteArray() << QByteArray("400 Bad Request");
    QTest::newRow("post") << request("GET /chat?room=1 HTTP/1.1", "POST /chat?room=1 HTTP/1.1")
                          << E::BadMethod << 400 << QByteArray()
                          << QByteArray("The request method is POST, not GET (RFC 6455 §4.2.1).\n");
    QTest::newRow("http/1.0") << request("GET /chat?room=1 HTTP/1.1", "GET /chat?room=1 HTTP/1.0")
                              << E::BadHttpVersion << 400 << QByteArray() << QByteArray("400 Bad Request");
    QTest::newRow("missing host") << request("Host: server.example.com", {}) << E::BadHost << 400
                                  << QByteArray() << QByteArray("400 Bad Request");
    QTest::newRow("two hosts") << request({}, {}, "Host: other.example.com\r\n") << E::BadHost << 400
                               << QByteArray() << QByteArray("400 Bad Request");
    QTest::newRow("host with bracket in port")
        << request("Host: server.example.com", "Host: 127.0.0.1:3[6221") << E::BadHost << 400 << QByteArray()
        << QByteArray("RFC 7230 §5.4");
    QTest::newRow("host non-ascii") << request("Host: server.example.com", "Host: s\xc3\xa9rver.example")
                                    << E::BadHost << 400 << QByteArray() << QByteArray("400 Bad Request");
    QTest::newRow("host port too big") << request("Host: server.example.com", "Host: example.com:65536")
                                       << E::BadHost << 400 << QByteArray() << QByteArray("400 Bad Request");
    QTest::newRow("host with userinfo") << request("Host: server.example.com", "Host: user@example.com")
                                        << E::BadHost << 400 << QByteArray() << QByteArray("400 Bad Request");
    QTest::newRow("host unclosed ipv6") << request("Host: server.example.com", "Host: [::1") << E::BadHost
                                        << 400 << QByteArray() << QByteArray("400 Bad Request");
    QTest::newRow("missing upgrade") << request("Upgrade: websocket", {}) << E::BadUpgrade << 400
                                     << QByteArray() << QByteArray("400 Bad Request");
    QTest::newRow("connection keep-alive")
        << request("Connection: Upgrade", "Connection: keep-alive") << E::BadConnection << 400 << QByteArray()
        << QByteArray("400 Bad Request");
    QTest::newRow("malformed extensions")
        << request({}, {}, "Sec-WebSocket-Extensions: ;\r\n") << E::BadExtensionParams << 400 << QByteArray()
        << QByteArray("400 Bad Request");
    QTest::newRow("bad request line")
        << request("GET /chat?room=1 HTTP/1.1", "GET /chat?room=1") << E::MalformedHead << 400 << QByteArray()
        << QByteArray("400 Bad Request");
    QTest::newRow("obs-fold") << request({}, {}, "X-Long: a\r\n\tb\r\n") << E::MalformedHead << 400
                              << QByteArray() << QByteArray("obsolete line folding");
    QTest::newRow("space before colon")
        << request("Host: server.example.com", "Host : server.example.com") << E::MalformedHead << 400
        << QByteArray() << QByteArray("400 Bad Request");
    QTest::newRow("bare CR") << request({}, {}, "X-A: a\rb\r\n") << E::MalformedHead << 400 << QByteArray()
                             << QByteArray("400 Bad Request");
    QTest::newRow("NUL in value") << request({}, {}, QByteArray("X-A: a\0b\r\n", 10)) << E::MalformedHead
                                  << 400 << QByteArray() << QByteArray("400 Bad Request");
}

void TestHandshake::serverValidation() {
    QFETCH(QByteArray, request);
    QFETCH(HandshakeError, error);
    QFETCH(int, status);
    QFETCH(QByteArray, subprotocol);
    QFETCH(QByteArray, responseContains);
    const std::string head = toStd(request);
    for (Mode mode : kModes) {
        ServerHandshakeOptions options;
        options.subprotocols = {"chat", "superchat"};
        ServerHandshake server(options);
        const Fed fed = feed(server, head, kClientFrame, mode);
        const QByteArray context = modeName(mode);
        QVERIFY2(server.error() == error, (context + ": " + toQ(server.errorMessage())).constData());
        QCOMPARE(server.responseStatus(), status);
        QVERIFY2(toQ(server.response()).contains(responseContains), server.response().c_str());
        QCOMPARE(toQ(server.subprotocol()), subprotocol);
        if (error == HandshakeError::None) {
            QCOMPARE(fed.state, HandshakeState::Succeeded);
            QCOMPARE(fed.consumed, head.size());
            QCOMPARE(toQ(fed.rest), mode == Mode::SplitWithTrailing ? toQ(kClientFrame) : QByteArray());
            QCOMPARE(toQ(server.requestHead()), request);
            QVERIFY(toQ(server.response()).endsWith("\r\n\r\n"));
        } else {
            QCOMPARE(fed.state, HandshakeState::Failed);
            // The error response carries the sentence as its body, with a matching Content-Length.
            const QByteArray body = toQ(server.errorMessage()) + "\n";
            QVERIFY(toQ(server.response()).endsWith("\r\n\r\n" + body));
            QVERIFY(toQ(server.response())
                        .contains("Content-Length: " + QByteArray::number(body.size()) + "\r\n"));
        }
    }
}

void TestHandshake::roundTrip_data() {
    QTest::addColumn<bool>("offerDeflate");
    QTest::addColumn<bool>("serverDeflate");
    QTest::addColumn<QByteArray>("subprotocol");
    QTest::addColumn<QByteArray>("deflate");
    QTest::newRow("deflate both") << true << true << QByteArray("v2.chat") << QByteArray("c12 s10 cnct");
    QTest::newRow("deflate refused") << true << false << QByteArray("v2.chat") << QByteArray("none");
    QTest::newRow("deflate not offered") << false << true << QByteArray("v2.chat") << QByteArray("none");
}

void TestHandshake::roundTrip() {
    QFETCH(bool, offerDeflate);
    QFETCH(bool, serverDeflate);
    QFETCH(QByteArray, subprotocol);
    QFETCH(QByteArray, deflate);
    SecureRandom random;
    for (Mode mode : kModes) {
        ClientHandshakeOptions clientOptions;
        clientOptions.host = "127.0.0.1:9001";
        clientOptions.resource = "/echo?x=1";
        clientOptions.subprotocols = {"v1.chat", "v2.chat"};
        if (offerDeflate) clientOptions.deflate = DeflateOffer{12, 10, true, false};
        ClientHandshake client(clientOptions, random);
        QCOMPARE(client.state(), HandshakeState::InProgress);
        QCOMPARE(client.key().size(), size_t{24});

        ServerHandshakeOptions serverOptions;
        serverOptions.subprotocols = {"v2.chat", "v1.chat"};
        serverOptions.deflate.enabled = serverDeflate;
        ServerHandshake server(serverOptions);
        const Fed serverFed = feed(server, client.request(), kClientFrame, mode);
        QVERIFY2(serverFed.state == HandshakeState::Succeeded, server.errorMessage().c_str());
        QCOMPARE(serverFed.consumed, client.request().size());
        QCOMPARE(server.requestHead(), client.request());
        QCOMPARE(toQ(server.path()), QByteArray("/echo?x=1"));
        QCOMPARE(toQ(*server.headers().first("host")), QByteArray("127.0.0.1:9001"));

        const Fed clientFed = feed(client, server.response(), kServerFrame, mode);
        QVERIFY2(clientFed.state == HandshakeState::Succeeded, client.errorMessage().c_str());
        QCOMPARE(clientFed.consumed, server.response().size());
        QCOMPARE(client.responseHead(), server.response());
        QCOMPARE(client.response().status, 101);
        QCOMPARE(toQ(client.subprotocol()), subprotocol);
        QCOMPARE(toQ(server.subprotocol()), subprotocol);
        QCOMPARE(describeDeflateParams(client.deflate()), deflate);
        QCOMPARE(describeDeflateParams(server.deflate()), deflate);
        // A later receive() consumes nothing: the rest is the WebSocket stream's.
        QCOMPARE(client.receive(kServerFrame).consumed, size_t{0});
        QCOMPARE(server.receive(kClientFrame).consumed, size_t{0});
    }
}

void TestHandshake::clientRequestText() {
    ClientHandshakeOptions options = sampleClientOptions(true, false);
    options.extraHeaders = {{"Authorization", "Bearer abc"}, {"Sec-WebSocket-Version", "13"}};
    ClientHandshake client(options, kSampleNonce);
    // RFC 6455 §1.3 request, plus the extra headers appended verbatim after ours.
    const QByteArray expected =
        "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        "Origin: http://example.com\r\nSec-WebSocket-Protocol: chat, superchat\r\n"
        "Authorization: Bearer abc\r\nSec-WebSocket-Version: 13\r\n\r\n";
    QCOMPARE(toQ(client.request()), expected);
    QCOMPARE(toQ(client.expectedAccept()), kSampleAccept);
}

void TestHandshake::clientInvalidOptions_data() {
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("CRLF in extra value") << QByteArray("extraValue") << QByteArray("a\r\nX-Injected: 1");
    QTest::newRow("LF in extra value") << QByteArray("extraValue") << QByteArray("a\nb");
    QTest::newRow("CR in extra name") << QByteArray("extraName") << QByteArray("X-A\r");
    QTest::newRow("space in extra name") << QByteArray("extraName") << QByteArray("X A");
    QTest::newRow("empty extra name") << QByteArray("extraName") << QByteArray();
    QTest::newRow("CRLF in host") << QByteArray("host") << QByteArray("example.com\r\nX: 1");
    QTest::newRow("empty host") << QByteArray("host") << QByteArray();
    QTest::newRow("resource without slash") << QByteArray("resource") << QByteArray("chat");
    QTest::newRow("space in resource") << QByteArray("resource") << QByteArray("/a b");
    QTest::newRow("LF in origin") << QByteArray("origin") << QByteArray("http://a\n");
    QTest::newRow("subprotocol with comma") << QByteArray("subprotocol") << QByteArray("a,b");
    QTest::newRow("client window 8") << QByteArray("clientBits") << QByteArray("8");
    QTest::newRow("server window 16") << QByteArray("serverBits") << QByteArray("16");
}

void TestHandshake::clientInvalidOptions() {
    QFETCH(QByteArray, field);
    QFETCH(QByteArray, value);
    ClientHandshakeOptions options = sampleClientOptions(true, true);
    const std::string text = toStd(value);
    if (field == "extraValue") options.extraHeaders = {{"X-A", text}};
    if (field == "extraName") options.extraHeaders = {{text, "v"}};
    if (field == "host") options.host = text;
    if (field == "resource") options.resource = text;
    if (field == "origin") options.origin = text;
    if (field == "subprotocol") options.subprotocols.push_back(text);
    if (field == "clientBits") options.deflate->clientMaxWindowBits = value.toInt();
    if (field == "serverBits") options.deflate->serverMaxWindowBits = value.toInt();
    ClientHandshake client(options, kSampleNonce);
    QCOMPARE(client.state(), HandshakeState::Failed);
    QCOMPARE(client.error(), HandshakeError::InvalidOptions);
    QVERIFY(client.request().empty());
    QVERIFY(!client.errorMessage().empty());
    QCOMPARE(client.receive(kRfcResponse.toStdString()).state, HandshakeState::Failed);
}

void TestHandshake::clientBodyExcerpt() {
    const std::string head = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 700\r\nX-Thing: 1\r\n\r\n";
    const std::string body(700, 'b');
    ClientHandshake client(sampleClientOptions(true, true), kSampleNonce);
    const std::string input = head + body.substr(0, 100);
    const HandshakeStep step = client.receive(input);
    QCOMPARE(step.state, HandshakeState::Failed);
    QCOMPARE(step.consumed, head.size());
    QCOMPARE(client.error(), HandshakeError::UnexpectedStatus);
    QCOMPARE(client.response().status, 503);
    QCOMPARE(toQ(client.response().reason), QByteArray("Service Unavailable"));
    QCOMPARE(toQ(*client.response().headers.first("x-thing")), QByteArray("1"));
    QCOMPARE(client.bodyExcerpt().size(), size_t{100});
    // Later bytes extend the excerpt up to its cap.
    QCOMPARE(client.receive(body.substr(100)).state, HandshakeState::Failed);
    QCOMPARE(client.bodyExcerpt().size(), ClientHandshake::kBodyExcerptSize);
    QCOMPARE(client.bodyExcerpt(), body.substr(0, ClientHandshake::kBodyExcerptSize));
    QCOMPARE(toQ(client.errorMessage()),
             QByteArray("The server answered 503 Service Unavailable instead of 101 Switching Protocols."));
}

void TestHandshake::headTooLarge_data() {
    QTest::addColumn<int>("padding");  // bytes of an X-Pad header value
    QTest::addColumn<bool>("tooLarge");
    QTest::newRow("well under") << 10 << false;
    QTest::newRow("at limit") << 0 << false;  // padding computed so the head is exactly the limit
    QTest::newRow("one over") << 1 << true;
    QTest::newRow("far over") << 5000 << true;
}

void TestHandshake::headTooLarge() {
    QFETCH(int, padding);
    QFETCH(bool, tooLarge);
    constexpr size_t kLimit = 512;
    for (Mode mode : kModes) {
        // Server side: pad a request to the limit (+ padding beyond it for the "over" rows).
        const QByteArray base = request({}, {}, "X-Pad: \r\n");
        const qsizetype fill = QTest::currentDataTag() == QByteArray("well under")
                                   ? padding
                                   : static_cast<qsizetype>(kLimit) - base.size() + padding;
        const std::string req = toStd(request({}, {}, "X-Pad: " + QByteArray(fill, 'p') + "\r\n"));
        ServerHandshakeOptions serverOptions;
        serverOptions.maxHeadSize = kLimit;
        ServerHandshake server(serverOptions);
        feed(server, req, kClientFrame, mode);
        QCOMPARE(server.error(), tooLarge ? HandshakeError::HeadTooLarge : HandshakeError::None);
        QCOMPARE(server.responseStatus(), tooLarge ? 431 : 101);

        // Client side, the same with a response.
        const QByteArray responseBase = switching("X-Pad: \r\n");
        const qsizetype responseFill = QTest::currentDataTag() == QByteArray("well under")
                                           ? padding
                                           : static_cast<qsizetype>(kLimit) - responseBase.size() + padding;
        ClientHandshakeOptions clientOptions = sampleClientOptions(true, true);
        clientOptions.maxHeadSize = kLimit;
        ClientHandshake client(clientOptions, kSampleNonce);
        feed(client, toStd(switching("X-Pad: " + QByteArray(responseFill, 'p') + "\r\n")), kServerFrame,
             mode);
        QCOMPARE(client.error(), tooLarge ? HandshakeError::HeadTooLarge : HandshakeError::None);
    }
}

void TestHandshake::serverOrigin_data() {
    QTest::addColumn<QByteArray>("originLine");
    QTest::addColumn<int>("status");
    QTest::newRow("allowed") << QByteArray("Origin: https://app.example.com\r\n") << 101;
    QTest::newRow("allowed other case") << QByteArray("Origin: HTTPS://APP.example.com\r\n") << 101;
    QTest::newRow("no origin") << QByteArray() << 101;
    QTest::newRow("foreign") << QByteArray("Origin: https://evil.example\r\n") << 403;
}

void TestHandshake::serverOrigin() {
    QFETCH(QByteArray, originLine);
    QFETCH(int, status);
    ServerHandshakeOptions options;
    options.allowedOrigins = {"https://app.example.com"};
    ServerHandshake server(options);
    server.receive(toStd(request({}, {}, originLine)));
    QCOMPARE(server.responseStatus(), status);
    QCOMPARE(server.error(), status == 403 ? HandshakeError::OriginNotAllowed : HandshakeError::None);
    if (status == 403) QVERIFY(toQ(server.response()).startsWith("HTTP/1.1 403 Forbidden\r\n"));
}

void TestHandshake::hostGrammar_data() {
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<bool>("valid");
    for (const char* ok : {"example.com", "example.com:80", "127.0.0.1:36221", "[::1]", "[::1]:9001",
                           "[v1.x:y]", "a-b_c~d!$&'()*+,;=", "h%41st", "example.com:"}) {
        QTest::addRow("valid %s", ok) << QByteArray(ok) << true;
    }
    for (const char* bad :
         {"", "127.0.0.1:3[6221", "s\xc3\xa9rver", "user@host", "host:port", "[::1", "[::1]x", "[]", "a b",
          "host:123456", "host:65536", ":80", "h%4", "h%zz", "[zz::1]", "host/path", "host?q", "[v.x]"}) {
        QTest::addRow("invalid %s", bad) << QByteArray(bad) << false;
    }
}

void TestHandshake::hostGrammar() {
    QFETCH(QByteArray, host);
    QFETCH(bool, valid);
    QCOMPARE(isValidHostHeader(std::string_view(host.constData(), size_t(host.size()))), valid);
}

QTEST_APPLESS_MAIN(TestHandshake)
#include "tst_handshake.moc"
