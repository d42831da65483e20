// Real peers from npm (tests/interop/decoders: socket.io, aedes and mqtt, graphql-ws,
// subscriptions-transport-ws, @stomp/stompjs, json-rpc-2.0, @microsoft/signalr with both hub protocols,
// phoenix) talk through a logging relay; every message of every session must decode with the protocol chosen
// automatically, without an error and without anything "unknown", requests must find their responses, and
// each session must have exercised the features it is there for.
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <map>
#include <set>

#include "framescope/decoders/decoder.h"

using namespace framescope::decoders;

namespace {

struct SessionLog {
    std::set<std::string> types;
    std::vector<std::pair<Sender, PairKey>> pairs;
    int messages = 0;
    int pendingAtEnd = 0;
    bool sawProperties = false;
};

bool mentionsUnknown(const Node& node) {
    const QString text = QString::fromStdString(node.name + " " + node.value);
    if (text.contains("unknown", Qt::CaseInsensitive)) return true;
    for (const Node& child : node.children)
        if (mentionsUnknown(child)) return true;
    return false;
}

// Requests answered by a later response of the same key from the other side.
int answeredRequests(const SessionLog& log) {
    int answered = 0;
    for (size_t i = 0; i < log.pairs.size(); ++i) {
        const auto& [sender, key] = log.pairs[i];
        if (key.role != PairKey::Role::Request) continue;
        for (size_t j = i + 1; j < log.pairs.size(); ++j) {
            if (log.pairs[j].first != sender && log.pairs[j].second.role == PairKey::Role::Response &&
                log.pairs[j].second.key == key.key) {
                ++answered;
                break;
            }
        }
    }
    return answered;
}

}  // namespace

class TestDecodersInterop : public QObject {
    Q_OBJECT
private slots:
    void realSessions() {
        const QString dir = QStringLiteral(FRAMESCOPE_SOURCE_DIR "/tests/interop/decoders");
        const QString node = QStandardPaths::findExecutable("node");
        QVERIFY2(!node.isEmpty(), "node is not installed: run bash .ci/dev.sh test");
        QVERIFY2(QFileInfo::exists(dir + "/node_modules/socket.io"),
                 "npm peers missing: run `npm ci` in tests/interop/decoders (bash .ci/dev.sh test does)");
        QProcess recorder;
        recorder.setWorkingDirectory(dir);
        recorder.start(node, {"record.mjs"});
        QVERIFY2(recorder.waitForFinished(90000), "record.mjs did not finish");
        QVERIFY2(recorder.exitCode() == 0, recorder.readAllStandardError().constData());

        const std::map<QString, Protocol> expected{
            {"socket.io", Protocol::SocketIo},
            {"mqtt 3.1.1 (aedes)", Protocol::Mqtt},
            {"mqtt 5.0", Protocol::Mqtt},
            {"stomp", Protocol::Stomp},
            {"graphql-ws", Protocol::GraphqlTransportWs},
            {"subscriptions-transport-ws", Protocol::SubscriptionsTransportWs},
            {"json-rpc", Protocol::JsonRpc},
            {"signalr json", Protocol::SignalRJson},
            {"signalr messagepack", Protocol::SignalRMessagePack},
            {"phoenix", Protocol::Phoenix}};
        std::map<int, ConnectionDecoder> decoders;
        // The same connections without the handshake's hints: chosen from the messages alone.
        std::map<int, ConnectionDecoder> blind;
        std::map<QString, SessionLog> logs;
        std::map<int, bool> lastPending;
        std::map<int, QString> sessionOf;
        std::map<QString, bool> guessedAny;
        const QList<QByteArray> lines = recorder.readAllStandardOutput().split('\n');
        for (const QByteArray& line : lines) {
            if (line.isEmpty()) continue;
            const QJsonObject record = QJsonDocument::fromJson(line).object();
            const QString session = record["session"].toString();
            const int connection = record["connection"].toInt();
            QVERIFY2(expected.count(session), qPrintable("unexpected session " + session));
            auto it = decoders.find(connection);
            if (it == decoders.end())
                it =
                    decoders
                        .emplace(connection, ConnectionDecoder(record["subprotocol"].toString().toStdString(),
                                                               record["url"].toString().toStdString()))
                        .first;
            const QByteArray bytes = QByteArray::fromBase64(record["base64"].toString().toLatin1());
            const Sender sender = record["sender"].toString() == "server" ? Sender::Server : Sender::Client;
            const Message message{
                sender, record["binary"].toBool(),
                std::span(reinterpret_cast<const uint8_t*>(bytes.data()), size_t(bytes.size()))};
            const QString where =
                session + " message: " + QString::fromLatin1(bytes.left(80).toPercentEncoding(" {}[]\":,/"));
            const Decoded d = it->second.decode(message);
            const Decoded guessed = blind[connection].decode(message);
            // Apollo's legacy protocol opens like graphql-ws (connection_init): only its subprotocol tells.
            if (guessed.protocol != Protocol::None && session != "subscriptions-transport-ws") {
                QVERIFY2(guessed.protocol == expected.at(session), qPrintable("guessed wrong for " + where));
                QVERIFY2(!guessed.error,
                         qPrintable(QString::fromStdString(guessed.summary) + " (guessed) in " + where));
            }
            QVERIFY2(d.protocol == expected.at(session), qPrintable("decoder not chosen for " + where));
            QVERIFY2(!d.error, qPrintable(QString::fromStdString(d.summary) + " in " + where));
            QVERIFY2(!d.summary.empty(), qPrintable(where));
            QVERIFY2(!mentionsUnknown(d.root), qPrintable("unknown field in " + where));
            SessionLog& log = logs[session];
            ++log.messages;
            if (!d.pending || d.type != "partial") {
                for (const Node& child : d.root.children)
                    if (child.name == "properties" && child.value != "0 properties") log.sawProperties = true;
                if (d.root.children.size() > 0 && d.root.name.find("packets") != std::string::npos)
                    for (const Node& packet : d.root.children)
                        log.types.insert(packet.name);
                log.types.insert(d.type);
            }
            for (const PairKey& key : d.pairs)
                log.pairs.emplace_back(sender, key);
            lastPending[connection] = d.pending;
            guessedAny[session] = guessedAny[session] || guessed.protocol != Protocol::None;
            sessionOf[connection] = session;
        }
        for (const auto& [session, guessed] : guessedAny)
            QVERIFY2(guessed, qPrintable(session + ": not recognised from its messages alone"));
        for (const auto& [connection, pending] : lastPending)
            QVERIFY2(!pending, qPrintable(sessionOf[connection] + " ended with an unfinished message"));
        checkCoverage(logs);
    }

private:
    static void requireTypes(const SessionLog& log, const QString& session,
                             std::initializer_list<const char*> types) {
        for (const char* type : types)
            QVERIFY2(log.types.count(type), qPrintable(session + " never showed " + type));
    }

    void checkCoverage(const std::map<QString, SessionLog>& logs) {
        QCOMPARE(int(logs.size()), 10);
        for (const auto& [session, log] : logs) {
            QVERIFY2(answeredRequests(log) > 0, qPrintable(session + ": no request found its response"));
            qInfo("%s: %d messages, %d answered requests", qPrintable(session), log.messages,
                  answeredRequests(log));
        }
        requireTypes(
            logs.at("socket.io"), "socket.io",
            {"engine.io open", "CONNECT", "EVENT", "ACK", "BINARY_EVENT", "BINARY_ACK", "DISCONNECT"});
        for (const char* mqtt : {"mqtt 3.1.1 (aedes)", "mqtt 5.0"})
            requireTypes(logs.at(mqtt), mqtt,
                         {"CONNECT", "CONNACK", "SUBSCRIBE", "SUBACK", "PUBLISH", "PUBACK", "PUBREC",
                          "PUBREL", "PUBCOMP", "UNSUBSCRIBE", "UNSUBACK", "DISCONNECT"});
        QVERIFY2(logs.at("mqtt 5.0").sawProperties, "mqtt 5.0 carried no properties");
        requireTypes(logs.at("stomp"), "stomp",
                     {"CONNECT", "CONNECTED", "SUBSCRIBE", "SEND", "MESSAGE", "RECEIPT", "heart-beat",
                      "UNSUBSCRIBE", "DISCONNECT"});
        requireTypes(logs.at("graphql-ws"), "graphql-ws",
                     {"connection_init", "connection_ack", "subscribe", "next", "complete", "error"});
        requireTypes(
            logs.at("subscriptions-transport-ws"), "subscriptions-transport-ws",
            {"connection_init", "connection_ack", "ka", "start", "data", "complete", "connection_terminate"});
        requireTypes(logs.at("json-rpc"), "json-rpc",
                     {"request", "notification", "response", "error response", "batch"});
        for (const char* signalr : {"signalr json", "signalr messagepack"})
            requireTypes(logs.at(signalr), signalr,
                         {"handshake request", "handshake response", "Invocation", "StreamInvocation",
                          "StreamItem", "Completion", "Ping", "Close"});
        requireTypes(logs.at("phoenix"), "phoenix",
                     {"phx_join", "phx_reply", "new_msg", "upload", "uploaded", "heartbeat", "phx_leave"});
    }
};

QTEST_MAIN(TestDecodersInterop)
#include "tst_decoders_interop.moc"
