// Replaying captured connections through their decoders (see store_decoder.h).
#include "decode/store_decoder.h"

#include "decode/decoding_sink.h"
#include "framescope/frame.h"

namespace framescope::app {

bool decoderChoiceFromName(std::string_view name, DecoderChoice& out) {
    if (name == "auto") {
        out = std::nullopt;
        return true;
    }
    decoders::Protocol protocol;
    if (name == "off") {
        protocol = decoders::Protocol::None;
    } else if (!decoders::protocolFromName(name, protocol) || protocol == decoders::Protocol::None) {
        return false;
    }
    out = protocol;
    return true;
}

std::string decoderChoiceName(const DecoderChoice& choice) {
    if (!choice) return "auto";
    if (*choice == decoders::Protocol::None) return "off";
    return std::string(decoders::protocolName(*choice));
}

std::string requestTarget(std::string_view head) {
    const size_t first = head.find(' ');
    if (first == std::string_view::npos) return {};
    const size_t second = head.find(' ', first + 1);
    if (second == std::string_view::npos) return {};
    return std::string(head.substr(first + 1, second - first - 1));
}

void StoreDecoder::setChoice(uint32_t connection, DecoderChoice choice) {
    if (choice) {
        choices_[connection] = *choice;
    } else {
        choices_.erase(connection);
    }
    const auto it = connections_.find(connection);
    if (it == connections_.end()) return;
    if (const DecoderChoice now = this->choice(connection)) {
        it->second.decoder.force(*now);
    } else {
        it->second.decoder.automatic();
    }
}

DecoderChoice StoreDecoder::choice(uint32_t connection) const {
    const auto it = choices_.find(connection);
    if (it == choices_.end()) return default_;
    return it->second;
}

decoders::Protocol StoreDecoder::protocol(uint32_t connection) const {
    const auto it = connections_.find(connection);
    return it == connections_.end() ? decoders::Protocol::None : it->second.decoder.protocol();
}

StoreDecoder::Connection& StoreDecoder::connection(uint32_t id) {
    auto [it, inserted] = connections_.try_emplace(id);
    if (inserted) choose(id, it->second, {});
    return it->second;
}

void StoreDecoder::choose(uint32_t id, Connection& connection, std::string_view subprotocol) {
    connection.decoder = decoders::ConnectionDecoder(subprotocol, connection.target);
    if (const DecoderChoice forced = choice(id)) connection.decoder.force(*forced);
}

std::optional<StoreDecoder::Result> StoreDecoder::step(const CaptureStore& store, size_t row) {
    const CaptureRecord& r = store.record(row);
    Connection& c = connection(r.connectionId);
    if (r.kind == RecordKind::HandshakeRequest) {
        c.target = requestTarget(store.noteText(row));
        c.weAreClient = r.direction == Direction::Outgoing;
        return std::nullopt;
    }
    if (r.kind == RecordKind::HandshakeResponse) {
        choose(r.connectionId, c, DecodingSink::subprotocolFrom(store.noteText(row)));
        return std::nullopt;
    }
    if (r.isNote() || isControlOpcode(r.opcode)) return std::nullopt;
    const bool outgoing = r.direction == Direction::Outgoing;
    MessageAssembler& assembler = c.message[outgoing ? 0 : 1];
    const auto bytes = assembler.add(
        {r.opcode, r.rsv1(), store.payload(row), r.endsMessage(), r.compressed(), store.inflated(row)});
    if (!bytes) return std::nullopt;
    Result result;
    result.sender = outgoing == c.weAreClient ? decoders::Sender::Client : decoders::Sender::Server;
    result.decoded = c.decoder.decode({result.sender, assembler.binary(), *bytes});
    if (result.decoded.protocol == decoders::Protocol::None) return std::nullopt;
    return result;
}

}  // namespace framescope::app
