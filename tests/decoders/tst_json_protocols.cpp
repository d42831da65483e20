// GraphQL over WebSocket (both protocols), JSON-RPC 2.0, Phoenix channels and SignalR (JSON and MessagePack):
// generated messages round-trip, summaries and pairing keys, GraphQL query formatting, malformed input.
#include <QTest>

#include "framescope/decoders/json_protocols.h"
#include "generators.h"

using namespace framescope::decoders;
using namespace framescope::decoders::testing;

namespace {

Value str(std::string s) {
    return Value::fromString(std::move(s));
}

Value graphqlMessage(Gen& gen, bool transportWs) {
    static const char* modern[] = {"connection_init", "connection_ack", "ping",  "pong",
                                   "subscribe",       "next",           "error", "complete"};
    static const char* legacy[] = {"connection_init",
                                   "connection_ack",
                                   "connection_error",
                                   "ka",
                                   "connection_terminate",
                                   "start",
                                   "data",
                                   "error",
                                   "complete",
                                   "stop"};
    const std::string type =
        transportWs ? modern[gen.below(std::size(modern))] : legacy[gen.below(std::size(legacy))];
    Value m = Value::map();
    m.set("type", str(type));
    const bool hasId = type == "subscribe" || type == "next" || type == "error" || type == "complete" ||
                       type == "start" || type == "data" || type == "stop";
    if (hasId) m.set("id", str(gen.word(8)));
    if (type == "subscribe" || type == "start") {
        Value payload = Value::map();
        payload.set("query", str("subscription On" + gen.word(5) + " { prices(symbol: \"" + gen.word(3) +
                                 "\") { bid ask } }"));
        if (gen.chance(50)) payload.set("variables", gen.object(2));
        m.set("payload", payload);
    } else if (type == "next" || type == "data" || (gen.chance(30) && !hasId)) {
        Value payload = Value::map();
        payload.set("data", gen.object(2));
        m.set("payload", payload);
    }
    return m;
}

Value jsonRpcOne(Gen& gen) {
    Value m = Value::map();
    m.set("jsonrpc", str("2.0"));
    const Value id = gen.chance(50) ? Value::fromInt(gen.below(1000)) : str(gen.word(6));
    switch (gen.below(4)) {
        case 0:
            m.set("method", str(gen.word(8))), m.set("params", Value::array({gen.value(2)})), m.set("id", id);
            break;
        case 1:
            m.set("method", str(gen.word(8))), m.set("params", gen.object(2));
            break;
        case 2:
            m.set("result", gen.value(3)), m.set("id", id);
            break;
        default: {
            Value error = Value::map();
            error.set("code", Value::fromInt(-32000 - int64_t(gen.below(700))));
            error.set("message", str(gen.text(20)));
            m.set("error", error), m.set("id", id);
        }
    }
    return m;
}

Value hubMessage(Gen& gen, bool msgpack) {
    Value m = Value::map();
    const int64_t type = 1 + gen.below(9);
    m.set("type", Value::fromInt(type));
    auto headers = [&] {
        if (msgpack && gen.chance(30)) {
            Value h = Value::map();
            h.set(gen.word(4), str(gen.word(6)));
            m.set("headers", h);
        }
    };
    auto args = [&] {
        Value a = Value::array();
        for (uint32_t i = gen.below(4); i > 0; --i)
            a.items.push_back(gen.value(2, msgpack));
        return a;
    };
    switch (type) {
        case 1:
        case 4:
            headers();
            if (type == 4 || gen.chance(50)) m.set("invocationId", str(std::to_string(gen.below(100))));
            m.set("target", str(gen.word(10)));
            m.set("arguments", args());
            if (gen.chance(20)) m.set("streamIds", Value::array({str(gen.word(3))}));
            break;
        case 2:
            headers(), m.set("invocationId", str(gen.word(3))), m.set("item", gen.value(2, msgpack));
            break;
        case 3:
            headers();
            m.set("invocationId", str(gen.word(3)));
            if (gen.chance(33))
                m.set("error", str(gen.text(20)));
            else if (gen.chance(50))
                m.set("result", gen.value(2, msgpack));
            break;
        case 5:
            headers(), m.set("invocationId", str(gen.word(3)));
            break;
        case 7:
            if (gen.chance(50)) m.set("error", str(gen.text(20)));
            if (gen.chance(50)) m.set("allowReconnect", Value::fromBool(gen.chance(50)));
            break;
        case 8:
        case 9:
            m.set("sequenceId", Value::fromInt(gen.below(100000)));
            break;
        default:
            break;
    }
    return m;
}

}  // namespace

class TestJsonProtocols : public QObject {
    Q_OBJECT
private slots:
    void graphqlRoundTrip_data() {
        QTest::addColumn<int>("protocol");
        QTest::newRow("graphql-transport-ws") << int(Protocol::GraphqlTransportWs);
        QTest::newRow("subscriptions-transport-ws") << int(Protocol::SubscriptionsTransportWs);
    }
    void graphqlRoundTrip() {
        QFETCH(int, protocol);
        Gen gen(uint32_t(50 + protocol));
        auto decoder = graphql::makeDecoder(Protocol(protocol));
        for (int i = 0; i < 2000; ++i) {
            const Value m = graphqlMessage(gen, Protocol(protocol) == Protocol::GraphqlTransportWs);
            const std::string text = toJson(m);
            const Decoded d = decoder->decode(textMessage(text));
            QVERIFY2(!d.error, text.c_str());
            QVERIFY(spansInside(d.root, text.size()));
            QVERIFY(decoder->lastValues().at(0) == m);
        }
    }
    void graphqlSummaries() {
        auto decoder = graphql::makeDecoder(Protocol::GraphqlTransportWs);
        const Decoded d = decoder->decode(
            textMessage("{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription "
                        "OnPrice($s: String!) { price(symbol: $s) { bid ask } }\"}}"));
        QCOMPARE(QString::fromStdString(d.summary), QString("subscribe #1 subscription OnPrice"));
        QCOMPARE(d.pairs.at(0), (PairKey{PairKey::Role::Request, "op:1"}));
        const Decoded next = decoder->decode(
            textMessage("{\"id\":\"1\",\"type\":\"next\",\"payload\":{\"data\":{\"price\":{\"bid\":1}}}}",
                        Sender::Server));
        QCOMPARE(QString::fromStdString(next.summary), QString("next #1 {\"price\":{\"bid\":1}}"));
        QCOMPARE(next.pairs.at(0), (PairKey{PairKey::Role::Response, "op:1"}));
        checkOneError(decoder->decode(textMessage("{\"type\":\"start\",\"id\":\"1\"}")));
        checkOneError(decoder->decode(textMessage("{\"type\":\"subscribe\"}")));
        checkOneError(decoder->decode(textMessage("[1]")));
    }
    void formatQuery_data() {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("formatted");
        QTest::newRow("nested")
            << "subscription OnPrice($s: String!) { price(symbol: $s, n: 2) { bid ask } }"
            << "subscription OnPrice($s: String!) {\n  price(symbol: $s, n: 2) {\n    bid\n    ask\n  }\n}";
        QTest::newRow("anonymous") << "{user{id,name}}"
                                   << "{\n  user {\n    id\n    name\n  }\n}";
        QTest::newRow("fragment") << "query { a ... on B { c } d @include(if: true) }"
                                  << "query {\n  a\n  ... on B {\n    c\n  }\n  d @include(if: true)\n}";
        QTest::newRow("input object") << "mutation { add(input: {a: 1, b: [1 2]}) { id } }"
                                      << "mutation {\n  add(input: { a: 1, b: [1, 2] }) {\n    id\n  }\n}";
        QTest::newRow("alias and comment") << "{ # hi\n x: y }"
                                           << "{\n  x: y\n}";
    }
    void formatQuery() {
        QFETCH(QString, query);
        QFETCH(QString, formatted);
        QCOMPARE(QString::fromStdString(graphql::formatQuery(query.toStdString())), formatted);
    }
    void jsonRpcRoundTrip() {
        Gen gen(60);
        auto decoder = jsonrpc::makeDecoder();
        for (int i = 0; i < 2000; ++i) {
            std::vector<Value> messages{jsonRpcOne(gen)};
            const bool batch = gen.chance(30);
            if (batch)
                for (uint32_t n = gen.below(4); n > 0; --n)
                    messages.push_back(jsonRpcOne(gen));
            const std::string text = toJson(batch ? Value::array(messages) : messages[0]);
            const Decoded d = decoder->decode(textMessage(text));
            QVERIFY2(!d.error, text.c_str());
            QVERIFY(decoder->lastValues() == messages);
        }
    }
    void jsonRpcSummaries() {
        auto decoder = jsonrpc::makeDecoder();
        Decoded d = decoder->decode(
            textMessage("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":1}"));
        QCOMPARE(QString::fromStdString(d.summary), QString("call subtract #1 (2 params)"));
        QCOMPARE(d.pairs.at(0).key, std::string("id:1"));
        d = decoder->decode(textMessage("{\"jsonrpc\":\"2.0\",\"result\":19,\"id\":1}", Sender::Server));
        QCOMPARE(QString::fromStdString(d.summary), QString("result #1: 19"));
        QCOMPARE(d.pairs.at(0), (PairKey{PairKey::Role::Response, "id:1"}));
        d =
            decoder->decode(textMessage("[{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[7]},"
                                        "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":"
                                        "\"Method not found\"},\"id\":\"1\"}]"));
        QCOMPARE(QString::fromStdString(d.summary),
                 QString("batch of 2: notify notify_hello (1 param); error #1 -32601 Method not found"));
        checkOneError(decoder->decode(textMessage("[]")));
        checkOneError(decoder->decode(textMessage("{\"jsonrpc\":\"1.0\",\"method\":\"x\"}")));
        checkOneError(decoder->decode(textMessage("{\"jsonrpc\":\"2.0\"}")));
        checkOneError(decoder->decode(textMessage("[{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":1},5]")));
    }
    void phoenix() {
        Gen gen(70);
        auto decoder = phoenix::makeDecoder();
        for (int i = 0; i < 1000; ++i) {
            const Value m = Value::array({gen.chance(50) ? str(gen.word(3)) : Value::null(), str(gen.word(3)),
                                          str("room:" + gen.word(5)),
                                          str(gen.chance(30) ? "phx_join" : gen.word(6)), gen.object(2)});
            const std::string text = toJson(m);
            QVERIFY(!decoder->decode(textMessage(text)).error);
            QVERIFY(decoder->lastValues().at(0) == m);
        }
        Decoded d = decoder->decode(textMessage("[\"1\",\"1\",\"room:lobby\",\"phx_join\",{}]"));
        QCOMPARE(QString::fromStdString(d.summary), QString("phx_join room:lobby ref 1"));
        QCOMPARE(d.pairs.at(0), (PairKey{PairKey::Role::Request, "ref:1"}));
        d = decoder->decode(
            textMessage("[\"1\",\"1\",\"room:lobby\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]",
                        Sender::Server));
        QCOMPARE(QString::fromStdString(d.summary), QString("phx_reply ok room:lobby ref 1"));
        QCOMPARE(d.pairs.at(0), (PairKey{PairKey::Role::Response, "ref:1"}));
        // V1 objects.
        d = decoder->decode(textMessage(
            "{\"topic\":\"room:1\",\"event\":\"new_msg\",\"payload\":{\"body\":\"hi\"},\"ref\":\"5\"}"));
        QCOMPARE(QString::fromStdString(d.summary), QString("new_msg room:1 ref 5"));
        // Binary push from the client.
        const std::string push =
            phoenix::encodeBinaryPush("3", "4", "room:1", "upload", std::string("\x00\x01", 2));
        d = decoder->decode(binaryMessage(push));
        QCOMPARE(QString::fromStdString(d.summary), QString("upload room:1 ref 4"));
        QCOMPARE(decoder->lastValues().at(0).items[4].bytes, std::string("\x00\x01", 2));
        checkOneError(decoder->decode(textMessage("[1,2,3]")));
        checkOneError(decoder->decode(binaryMessage(std::string("\x00\x05\x05\x05\x05", 5))));
        checkOneError(decoder->decode(binaryMessage("\x07")));
    }
    void signalRRoundTrip_data() {
        QTest::addColumn<bool>("msgpack");
        QTest::newRow("json") << false;
        QTest::newRow("messagepack") << true;
    }
    void signalRRoundTrip() {
        QFETCH(bool, msgpack);
        Gen gen(msgpack ? 81 : 80);
        auto decoder = signalr::makeDecoder(msgpack ? Protocol::SignalRMessagePack : Protocol::SignalRJson);
        for (int i = 0; i < 2000; ++i) {
            std::vector<Value> messages{hubMessage(gen, msgpack)};
            if (gen.chance(20)) messages.push_back(hubMessage(gen, msgpack));
            std::string bytes;
            for (const Value& m : messages)
                bytes += msgpack ? signalr::encodeMessagePack(m) : signalr::encodeJson(m);
            const Decoded d = decoder->decode({Sender::Client, msgpack, asBytes(bytes)});
            QVERIFY2(!d.error, d.summary.c_str());
            QVERIFY(spansInside(d.root, bytes.size()));
            QVERIFY(decoder->lastValues() == messages);
        }
    }
    void signalRSummaries() {
        auto json = signalr::makeDecoder(Protocol::SignalRJson);
        Decoded d = json->decode(textMessage("{\"protocol\":\"json\",\"version\":1}\x1e"));
        QCOMPARE(QString::fromStdString(d.summary), QString("handshake json v1"));
        d = json->decode(textMessage("{}\x1e{\"type\":6}\x1e", Sender::Server));
        QCOMPARE(QString::fromStdString(d.summary), QString("handshake ok; ping"));
        d = json->decode(textMessage(
            "{\"type\":1,\"invocationId\":\"0\",\"target\":\"Send\",\"arguments\":[\"hi\",2]}\x1e"));
        QCOMPARE(QString::fromStdString(d.summary), QString("invoke Send #0 (2 args)"));
        QCOMPARE(d.pairs.at(0), (PairKey{PairKey::Role::Request, "inv:0"}));
        checkOneError(json->decode(textMessage("{\"type\":1}")));
        checkOneError(json->decode(textMessage("{\"type\":42}\x1e")));
        // MessagePack: the JSON handshake, then length-prefixed arrays.
        auto binary = signalr::makeDecoder(Protocol::SignalRMessagePack);
        d = binary->decode(textMessage("{\"protocol\":\"messagepack\",\"version\":1}\x1e"));
        QCOMPARE(QString::fromStdString(d.summary), QString("handshake messagepack v1"));
        // [3, {}, "0", 3, 42] from the HubProtocol.md example of a Completion with a result.
        d = binary->decode(binaryMessage(std::string("\x07\x95\x03\x80\xa1\x30\x03\x2a", 8), Sender::Server));
        QCOMPARE(QString::fromStdString(d.summary), QString("completion #0: 42"));
        QCOMPARE(d.pairs.at(0), (PairKey{PairKey::Role::Response, "inv:0"}));
        checkOneError(binary->decode(binaryMessage(std::string("\x09\x95\x03", 3))));
        checkOneError(binary->decode(binaryMessage(std::string("\x01\x91", 2))));
        checkOneError(binary->decode(binaryMessage(std::string("\x02\x91\x06\x00", 4))));
    }
};

QTEST_MAIN(TestJsonProtocols)
#include "tst_json_protocols.moc"
