// Encoding composer forms with the decoders' encoders (see message_builder.h).
#include "decode/message_builder.h"

#include <charconv>

#include "framescope/decoders/mqtt.h"
#include "framescope/decoders/socket_io.h"
#include "framescope/decoders/stomp.h"

namespace framescope::app {

namespace {

using decoders::Value;

BuiltMessage failure(std::string sentence) {
    BuiltMessage out;
    out.error = std::move(sentence);
    return out;
}

// JSON text to a value; `what` names the field in the error sentence.
std::optional<Value> json(const std::string& text, const char* what, std::string& error) {
    decoders::ParseError why;
    std::optional<Value> value = decoders::parseJson(text, &why);
    if (!value)
        error = std::string(what) + " are not JSON: " + why.message + " (at byte " +
                std::to_string(why.offset) + ").";
    return value;
}

BuiltMessage socketIoEmit(const MessageForm& form) {
    if (form.event.empty()) return failure("A Socket.IO emit needs an event name.");
    decoders::socketio::Packet packet;
    packet.type = decoders::socketio::PacketType::Event;
    packet.nsp = form.nsp.empty() ? "/" : form.nsp;
    if (!form.ackId.empty()) {
        uint64_t id = 0;
        const auto [end, ec] = std::from_chars(form.ackId.data(), form.ackId.data() + form.ackId.size(), id);
        if (ec != std::errc() || end != form.ackId.data() + form.ackId.size())
            return failure("The ack id must be a whole number.");
        packet.ackId = id;
    }
    Value data = Value::array({Value::fromString(form.event)});
    if (!form.args.empty()) {
        std::string error;
        std::optional<Value> args = json(form.args, "The arguments", error);
        if (!args) return failure(error);
        if (args->isArray()) {
            for (Value& arg : args->items)
                data.items.push_back(std::move(arg));
        } else {
            data.items.push_back(std::move(*args));
        }
    }
    packet.data = std::move(data);
    BuiltMessage out;
    for (decoders::socketio::Frame& frame : decoders::socketio::encode(packet))
        out.messages.push_back({frame.binary, std::move(frame.bytes)});
    return out;
}

BuiltMessage stompSend(const MessageForm& form) {
    if (form.destination.empty()) return failure("A STOMP SEND needs a destination.");
    decoders::stomp::Frame frame;
    frame.command = "SEND";
    frame.headers.emplace_back("destination", form.destination);
    size_t pos = 0;
    while (pos < form.headers.size()) {
        const size_t end = std::min(form.headers.find('\n', pos), form.headers.size());
        const std::string line = form.headers.substr(pos, end - pos);
        pos = end + 1;
        if (line.empty()) continue;
        const size_t colon = line.find(':');
        if (colon == std::string::npos || colon == 0)
            return failure("Each STOMP header is one \"name:value\" line; \"" + line + "\" is not.");
        frame.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
    }
    frame.body = form.body;
    return {{{false, decoders::stomp::encode(frame)}}, {}};
}

BuiltMessage mqttPublish(const MessageForm& form) {
    if (form.topic.empty()) return failure("An MQTT PUBLISH needs a topic.");
    if (form.qos < 0 || form.qos > 2) return failure("The QoS is 0, 1 or 2.");
    if (form.qos > 0 && form.packetId == 0) return failure("A QoS 1 or 2 PUBLISH needs a packet id above 0.");
    decoders::mqtt::Packet packet;
    packet.type = decoders::mqtt::Type::Publish;
    packet.flags = static_cast<uint8_t>((form.qos << 1) | (form.retain ? 1 : 0));
    packet.topic = form.topic;
    packet.payload = form.payload;
    packet.protocolLevel = static_cast<uint8_t>(form.level == 5 ? 5 : 4);
    if (form.qos > 0) packet.packetId = form.packetId;
    return {{{true, decoders::mqtt::encode(packet, packet.protocolLevel)}}, {}};
}

BuiltMessage graphqlSubscribe(const MessageForm& form) {
    if (form.query.empty()) return failure("A GraphQL subscribe needs a query.");
    Value payload = Value::map();
    payload.set("query", Value::fromString(form.query));
    if (!form.variables.empty()) {
        std::string error;
        std::optional<Value> variables = json(form.variables, "The variables", error);
        if (!variables) return failure(error);
        if (!variables->isMap()) return failure("The variables must be a JSON object.");
        payload.set("variables", std::move(*variables));
    }
    if (!form.operationName.empty()) payload.set("operationName", Value::fromString(form.operationName));
    Value message = Value::map();
    message.set("id", Value::fromString(form.id.empty() ? "1" : form.id));
    message.set("type", Value::fromString(form.legacy ? "start" : "subscribe"));
    message.set("payload", std::move(payload));
    return {{{false, decoders::toJson(message)}}, {}};
}

}  // namespace

BuiltMessage buildMessage(const MessageForm& form) {
    switch (form.kind) {
        case MessageForm::Kind::SocketIoEmit:
            return socketIoEmit(form);
        case MessageForm::Kind::StompSend:
            return stompSend(form);
        case MessageForm::Kind::MqttPublish:
            return mqttPublish(form);
        case MessageForm::Kind::GraphqlSubscribe:
            return graphqlSubscribe(form);
    }
    return failure("Unknown message kind.");
}

}  // namespace framescope::app
