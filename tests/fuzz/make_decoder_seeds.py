#!/usr/bin/env python3
"""Writes tests/data/decoder_seeds/: one seed per protocol in fuzz_decoders' input format
(selector byte, then per message a flags byte and a length byte)."""
import os
import pathlib

CLIENT, SERVER, BINARY = 0, 1, 2
OUT = pathlib.Path(__file__).resolve().parent.parent / "data" / "decoder_seeds"

# Protocol enum order in decoders/include/framescope/decoders/decoded.h.
NONE, SOCKETIO, STOMP, MQTT, GQL, APOLLO, JSONRPC, SIGNALR_JSON, SIGNALR_MP, PHOENIX = range(10)


def seed(selector, messages):
    out = bytes([selector])
    for flags, payload in messages:
        payload = payload.encode() if isinstance(payload, str) else payload
        assert len(payload) < 255
        out += bytes([flags, len(payload)]) + payload
    return out


SEEDS = {
    "socketio": seed(SOCKETIO, [
        (SERVER, '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'),
        (CLIENT, "40"), (SERVER, '40{"sid":"x"}'), (CLIENT, '421["chat",{"id":7}]'), (SERVER, '431["ok"]'),
        (CLIENT, '451-["up",{"_placeholder":true,"num":0}]'), (CLIENT | BINARY, b"\x00\x01\x02"),
        (SERVER, "2"), (CLIENT, "3"), (CLIENT, "41/admin,")]),
    "stomp": seed(STOMP, [
        (CLIENT, "CONNECT\naccept-version:1.2\nhost:h\nheart-beat:10000,10000\n\n\0"),
        (SERVER, "CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0"),
        (CLIENT, "SUBSCRIBE\nid:0\ndestination:/topic/a\nreceipt:r1\n\n\0"),
        (SERVER, "RECEIPT\nreceipt-id:r1\n\n\0"), (CLIENT, "\n"),
        (SERVER, "MESSAGE\ndestination:/topic/a\nsubscription:0\nmessage-id:1\ncontent-length:2\n\nhi\0")]),
    "mqtt": seed(MQTT, [
        (CLIENT | BINARY, b"\x10\x10\x00\x04MQTT\x05\x02\x00\x3c\x03\x21\x00\x0a\x00\x01c"),
        (SERVER | BINARY, b"\x20\x03\x00\x00\x00"),
        (CLIENT | BINARY, b"\x82\x0a\x00\x01\x00\x00\x04a/b/"), (CLIENT | BINARY, b"\x01"),
        (SERVER | BINARY, b"\x90\x04\x00\x01\x00\x01"),
        (CLIENT | BINARY, b"\x34\x0b\x00\x03a/b\x00\x02\x00hi!"), (SERVER | BINARY, b"\x50\x02\x00\x02"),
        (CLIENT | BINARY, b"\x62\x02\x00\x02\x70\x02\x00\x02"), (CLIENT | BINARY, b"\xc0\x00\xe0\x00")]),
    "graphql": seed(GQL, [
        (CLIENT, '{"type":"connection_init"}'), (SERVER, '{"type":"connection_ack"}'),
        (CLIENT, '{"id":"1","type":"subscribe","payload":{"query":"subscription { n(x: 1) { a b } }"}}'),
        (SERVER, '{"id":"1","type":"next","payload":{"data":{"n":{"a":1}}}}'), (SERVER, '{"id":"1","type":"complete"}')]),
    "apollo": seed(APOLLO, [
        (CLIENT, '{"type":"connection_init","payload":{}}'), (SERVER, '{"type":"ka"}'),
        (CLIENT, '{"id":"1","type":"start","payload":{"query":"{ a }"}}'), (CLIENT, '{"id":"1","type":"stop"}')]),
    "jsonrpc": seed(JSONRPC, [
        (CLIENT, '{"jsonrpc":"2.0","method":"subtract","params":[42,23],"id":1}'),
        (SERVER, '{"jsonrpc":"2.0","result":19,"id":1}'),
        (CLIENT, '[{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","method":"b","id":"x"}]'),
        (SERVER, '{"jsonrpc":"2.0","error":{"code":-32601,"message":"nope"},"id":"x"}')]),
    "signalr-json": seed(SIGNALR_JSON, [
        (CLIENT, '{"protocol":"json","version":1}\x1e'), (SERVER, "{}\x1e"),
        (CLIENT, '{"type":1,"invocationId":"0","target":"Send","arguments":["a",1]}\x1e'),
        (SERVER, '{"type":3,"invocationId":"0","result":2}\x1e{"type":6}\x1e')]),
    "signalr-msgpack": seed(SIGNALR_MP, [
        (CLIENT, '{"protocol":"messagepack","version":1}\x1e'), (SERVER | BINARY, b"{}\x1e"),
        (CLIENT | BINARY, b"\x0e\x96\x01\x80\xa1\x30\xa4Send\x92\xa1a\x01\x90"),
        (SERVER | BINARY, b"\x07\x95\x03\x80\xa1\x30\x03\x2a\x02\x91\x06")]),
    "phoenix": seed(PHOENIX, [
        (CLIENT, '["1","1","room:lobby","phx_join",{}]'),
        (SERVER, '["1","1","room:lobby","phx_reply",{"status":"ok","response":{}}]'),
        (CLIENT | BINARY, b"\x00\x01\x01\x06\x06" + b"12room:1upload" + b"\x00\x01"),
        (SERVER | BINARY, b"\x02\x06\x03room:1new\xff")]),
    "auto": seed(NONE, [(CLIENT, "CONNECT\nhost:h\n\n\0"), (SERVER, "CONNECTED\nversion:1.2\n\n\0")]),
    "values": bytes([10]) + b'{"a":[1,2.5,"x",null,true,{"b":-7}]}',
}

OUT.mkdir(parents=True, exist_ok=True)
for name, data in SEEDS.items():
    (OUT / name).write_bytes(data)
print(f"wrote {len(SEEDS)} seeds to {os.path.relpath(OUT)}")
