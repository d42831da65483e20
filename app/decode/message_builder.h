// Messages built from their application-protocol form (a Socket.IO emit, a STOMP SEND, an MQTT PUBLISH, a
// GraphQL subscribe) with the decoders' own encoders, for the window's composer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace framescope::app {

struct MessageForm {
    enum class Kind : uint8_t { SocketIoEmit, StompSend, MqttPublish, GraphqlSubscribe };
    Kind kind = Kind::SocketIoEmit;
    // Socket.IO emit: namespace, event, arguments as JSON (an array's elements are the arguments, any other
    // value is the one argument, empty is none), ack id (empty: no ack asked).
    std::string nsp = "/";
    std::string event;
    std::string args;
    std::string ackId;
    // STOMP SEND: destination, more headers (one "name:value" a line), body.
    std::string destination;
    std::string headers;
    std::string body;
    // MQTT PUBLISH: topic, QoS 0-2, packet id (QoS 1 and 2), retain, payload, protocol level (4 = 3.1.1, 5).
    std::string topic;
    int qos = 0;
    uint16_t packetId = 1;
    bool retain = false;
    std::string payload;
    int level = 4;
    // GraphQL subscribe: graphql-transport-ws ("subscribe"), or subscriptions-transport-ws ("start") when
    // `legacy`; operation id, query text, variables as a JSON object (empty: none), operation name.
    bool legacy = false;
    std::string id = "1";
    std::string query;
    std::string variables;
    std::string operationName;
};

struct BuiltFrame {
    bool binary = false;
    std::string bytes;
};

struct BuiltMessage {
    std::vector<BuiltFrame> messages;  // WebSocket messages to send, in order
    std::string error;                 // one sentence when the form cannot be encoded (then no messages)
};

BuiltMessage buildMessage(const MessageForm& form);

}  // namespace framescope::app
