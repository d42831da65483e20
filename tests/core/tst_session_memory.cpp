// The session's view contract and its memory: receive() is refused while events are queued (the
// use-after-free of issue 10), views live exactly as session.h says, buffers grow with the bytes that
// arrived and give back what a large message left behind.
#include <QTest>

#include <algorithm>

#include "framescope/close_code.h"
#include "session_log.h"

using namespace framescope;
using namespace framescope::test;

namespace {

constexpr size_t kIdle = 64 * 1024;

ByteBuffer clientWire(std::span<const uint8_t> payload, const SendOptions& options = {},
                      std::optional<DeflateParams> deflate = std::nullopt) {
    Session client(SessionOptions{.role = Role::Client, .deflate = deflate});
    ByteBuffer wire;
    if (client.sendBinary(payload, wire, options) != LocalError::None) qFatal("sendBinary failed");
    return wire;
}

QByteArray text(std::span<const uint8_t> bytes) {
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
}

// Feeds `wire` in `piece`-byte pieces, draining between them; returns the largest retainedBytes() seen
// relative to the bytes received so far (as a check that memory follows the bytes).
size_t feedInPieces(Session& server, std::span<const uint8_t> wire, size_t piece, int& messages) {
    size_t worstExcess = 0;
    for (size_t offset = 0; offset < wire.size(); offset += piece) {
        const size_t n = std::min(piece, wire.size() - offset);
        if (server.receive(wire.subspan(offset, n)) != LocalError::None) qFatal("receive refused");
        Event event;
        while (server.nextEvent(event)) {
            if (event.kind == EventKind::Message) ++messages;
        }
        const size_t arrived = offset + n;
        worstExcess = std::max(worstExcess, server.retainedBytes() > 2 * arrived + 4096
                                                ? server.retainedBytes() - 2 * arrived
                                                : size_t{0});
    }
    return worstExcess;
}

}  // namespace

class TstSessionMemory : public QObject {
    Q_OBJECT

private slots:
    // Issue 10: read the Frame event, receive 1 MiB, then read the Message. The Message's view used to
    // point into the receive buffer that append() had moved (use-after-free under ASan).
    void receiveIsRefusedWhileEventsAreQueued() {
        Session server(SessionOptions{.role = Role::Server});
        const ByteBuffer hello = clientWire(spanOf("Hello"));
        QCOMPARE(server.receive(hello.view()), LocalError::None);
        Event frame;
        QVERIFY(server.nextEvent(frame));
        QCOMPARE(frame.kind, EventKind::Frame);
        QVERIFY(frame.derivedFollows);
        const ByteBuffer big = clientWire(Bytes(1 << 20, 0x42));
        QCOMPARE(server.receive(big.view()), LocalError::EventsPending);
        uint8_t* into = reinterpret_cast<uint8_t*>(&frame);
        QCOMPARE(server.prepareReceive(1 << 20, into), LocalError::EventsPending);
        QVERIFY(into == nullptr);
        QCOMPARE(server.bufferedBytes(), size_t(0));
        Event message;
        QVERIFY(server.nextEvent(message));
        QCOMPARE(message.kind, EventKind::Message);
        QCOMPARE(text(message.payload), QByteArray("Hello"));
        QVERIFY(server.isCurrent(frame));  // the frame's views live while its derived event is read
        QCOMPARE(text(frame.payload), QByteArray("Hello"));
        QVERIFY(!server.nextEvent(message));
        QVERIFY(!server.isCurrent(frame));
        QCOMPARE(server.receive(big.view()), LocalError::None);
        int messages = 0;
        while (server.nextEvent(message))
            messages += message.kind == EventKind::Message ? 1 : 0;
        QCOMPARE(messages, 1);
    }

    // The same with a fragmented message, whose view is the reassembly buffer.
    void fragmentedMessageViewSurvivesARefusedReceive() {
        Session server(SessionOptions{.role = Role::Server});
        const Bytes payload(3000, 0x61);
        const ByteBuffer wire = clientWire(payload, {.fragmentSize = 1000});
        QCOMPARE(server.receive(wire.view()), LocalError::None);
        Event event;
        int frames = 0;
        while (server.nextEvent(event) && event.kind == EventKind::Frame)
            ++frames;
        QCOMPARE(frames, 3);
        QCOMPARE(event.kind, EventKind::Message);
        QCOMPARE(server.receive(clientWire(Bytes(1 << 20, 1)).view()), LocalError::None);  // queue empty
        QCOMPARE(event.payload.size(), payload.size());
    }

    void eventsOfAGroupShareAGeneration() {
        Session server(SessionOptions{.role = Role::Server});
        ByteBuffer wire = clientWire(spanOf("one"));
        const ByteBuffer two = clientWire(spanOf("two"));
        wire.append(two.view());
        QCOMPARE(server.receive(wire.view()), LocalError::None);
        Event first, message, second;
        QVERIFY(server.nextEvent(first));
        QVERIFY(server.nextEvent(message));
        QCOMPARE(first.generation, message.generation);
        QVERIFY(server.nextEvent(second));  // parses the next frame: the first group's views end
        QVERIFY(!server.isCurrent(first));
        QVERIFY(server.isCurrent(second));
        server.checkView(second);
    }

    // A 14-byte header declaring 60 MiB reserves nothing for it.
    void declaredLengthReservesNothing() {
        Session server(SessionOptions{.role = Role::Server});
        const Bytes header = fromHex("82 ff 00 00 00 00 03 c0 00 00 11 22 33 44");
        QCOMPARE(server.receive(header), LocalError::None);
        Event event;
        QVERIFY(!server.nextEvent(event));
        QVERIFY2(server.retainedBytes() <= 4096, qPrintable(QString::number(server.retainedBytes())));
    }

    void receiveBufferFollowsArrivedBytes() {
        Session server(SessionOptions{.role = Role::Server});
        const ByteBuffer wire = clientWire(Bytes(8 << 20, 0x33));
        int messages = 0;
        QCOMPARE(feedInPieces(server, wire.view(), 65536, messages), size_t(0));
        QCOMPARE(messages, 1);
    }

    void largeMessageMemoryIsReleased() {
        Session server(SessionOptions{.role = Role::Server});
        const ByteBuffer wire = clientWire(Bytes(48 << 20, 0x33), {.fragmentSize = 1 << 20});
        int messages = 0;
        feedInPieces(server, wire.view(), 4 << 20, messages);
        QCOMPARE(messages, 1);
        QVERIFY(server.retainedBytes() > (48u << 20));
        server.releaseIdleMemory();
        QVERIFY2(server.retainedBytes() <= kIdle, qPrintable(QString::number(server.retainedBytes())));
        // Still works afterwards.
        QCOMPARE(server.receive(clientWire(spanOf("after")).view()), LocalError::None);
        Event event;
        QVERIFY(server.nextEvent(event));
        QVERIFY(server.nextEvent(event));
        QCOMPARE(text(event.payload), QByteArray("after"));
    }

    // With permessage-deflate, 48 KiB on the wire inflating to 48 MiB: the inflated message is held up to
    // the limit only, then released.
    void inflaterKeepsNoMoreThanTheLimit() {
        SessionOptions options{.role = Role::Server, .deflate = DeflateParams{}};
        options.limits.maxMessageSize = 16 << 20;
        Session server(options);
        const ByteBuffer bomb = clientWire(Bytes(48 << 20, 0), {}, DeflateParams{});
        QVERIFY(bomb.size() < (1 << 20));
        QCOMPARE(server.receive(bomb.view()), LocalError::None);
        Event event;
        uint16_t code = 0;
        while (server.nextEvent(event))
            if (event.kind == EventKind::ProtocolError) code = event.closeCode;
        QCOMPARE(code, close_code::kMessageTooBig);
        QVERIFY2(server.retainedBytes() <= 2 * (16u << 20) + (2u << 20),
                 qPrintable(QString::number(server.retainedBytes())));
        server.releaseIdleMemory();
        QVERIFY2(server.retainedBytes() <= kIdle, qPrintable(QString::number(server.retainedBytes())));
    }

    void inflatedMessageIsReleasedAfterwards() {
        Session server(SessionOptions{.role = Role::Server, .deflate = DeflateParams{}});
        const ByteBuffer wire = clientWire(Bytes(8 << 20, 7), {}, DeflateParams{});
        QCOMPARE(server.receive(wire.view()), LocalError::None);
        Event event;
        size_t size = 0;
        while (server.nextEvent(event))
            if (event.kind == EventKind::Message) size = event.payload.size();
        QCOMPARE(size, size_t(8 << 20));
        server.releaseIdleMemory();
        QVERIFY2(server.retainedBytes() <= kIdle, qPrintable(QString::number(server.retainedBytes())));
    }

    void commitIsBoundedByPrepare() {
        Session client(SessionOptions{.role = Role::Client});
        uint8_t* into = nullptr;
        QCOMPARE(client.prepareReceive(2, into), LocalError::None);
        into[0] = 0x81;
        into[1] = 0x00;
        client.commitReceive(1000);  // more than prepared: only the 2 prepared bytes count
        QCOMPARE(client.bufferedBytes(), size_t(2));
        client.commitReceive(5);  // nothing prepared
        QCOMPARE(client.bufferedBytes(), size_t(2));
    }
};

QTEST_APPLESS_MAIN(TstSessionMemory)
#include "tst_session_memory.moc"
