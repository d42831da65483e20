// Zero heap allocations per message in steady state, on the read path and on the write path, proven by
// counting calls to the global operator new (replaced below for this test binary only).
#include <QTest>

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>

#include "framescope/session.h"
#include "test_util.h"

namespace {
std::atomic<bool> counting{false};
std::atomic<uint64_t> allocationCount{0};
std::atomic<uint64_t> largestAllocation{0};
std::atomic<int64_t> allocationsBeforeFailure{-1};  // >= 0: that many more succeed, then bad_alloc

void* countedAllocate(std::size_t size) {
    if (allocationsBeforeFailure.load(std::memory_order_relaxed) == 0) throw std::bad_alloc();
    if (allocationsBeforeFailure.load(std::memory_order_relaxed) > 0) --allocationsBeforeFailure;
    if (counting.load(std::memory_order_relaxed)) {
        allocationCount.fetch_add(1, std::memory_order_relaxed);
        uint64_t largest = largestAllocation.load();
        while (size > largest && !largestAllocation.compare_exchange_weak(largest, size)) {
        }
    }
    void* p = std::malloc(size == 0 ? 1 : size);
    if (p == nullptr) throw std::bad_alloc();
    return p;
}
}  // namespace

void* operator new(std::size_t size) {
    return countedAllocate(size);
}
void* operator new[](std::size_t size) {
    return countedAllocate(size);
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete[](void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    std::free(p);
}

using namespace framescope;
using namespace framescope::test;

namespace {

// Counts allocations made by `work` run `iterations` times, after `warmup` untimed runs.
template <typename Work>
uint64_t allocationsDuring(Work&& work, int iterations = 1000, int warmup = 20) {
    for (int i = 0; i < warmup; ++i)
        work();
    allocationCount = 0;
    counting = true;
    for (int i = 0; i < iterations; ++i)
        work();
    counting = false;
    return allocationCount.load();
}

// Builds `count` copies of one message as `sender` writes it, for a receiver to read.
ByteBuffer wireOf(Session& sender, const std::string& text, const SendOptions& options) {
    ByteBuffer wire;
    if (sender.sendText(text, wire, options) != LocalError::None) qFatal("send failed");
    return wire;
}

}  // namespace

Q_DECLARE_METATYPE(framescope::Role)

namespace {

// Rows over role x permessage-deflate x message size x fragment size (0 = unfragmented).
void addRoleDeflateSizeTable(const char* roleColumn) {
    QTest::addColumn<Role>(roleColumn);
    QTest::addColumn<bool>("deflate");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("fragment");
    for (Role role : {Role::Client, Role::Server}) {
        for (bool deflate : {false, true}) {
            for (int size : {16, 1024, 65536}) {
                for (int fragment : {0, 300}) {
                    QTest::addRow("%s %s %d bytes fragment=%d", role == Role::Client ? "client" : "server",
                                  deflate ? "deflate" : "plain", size, fragment)
                        << role << deflate << size << fragment;
                }
            }
        }
    }
}

}  // namespace

class TstAllocations : public QObject {
    Q_OBJECT

private slots:
    void readPath_data() { addRoleDeflateSizeTable("receiver"); }

    void readPath() {
        QFETCH(Role, receiver);
        QFETCH(bool, deflate);
        QFETCH(int, size);
        QFETCH(int, fragment);
        const std::optional<DeflateParams> params = deflate ? std::optional(DeflateParams{}) : std::nullopt;
        const Role senderRole = receiver == Role::Client ? Role::Server : Role::Client;
        Session sender(SessionOptions{.role = senderRole, .deflate = params});
        Session reader(SessionOptions{.role = receiver, .deflate = params});
        const std::string text(size_t(size), 'k');
        // With context takeover each compressed message differs; pre-build a long run of them.
        std::vector<ByteBuffer> wires;
        for (int i = 0; i < 1100; ++i)
            wires.push_back(wireOf(sender, text, {.fragmentSize = size_t(fragment)}));
        size_t next = 0;
        uint64_t messages = 0;
        const uint64_t allocations = allocationsDuring([&] {
            reader.receive(wires[next++].view());
            Event event;
            while (reader.nextEvent(event)) {
                if (event.kind == EventKind::Message) ++messages;
                if (event.kind == EventKind::ProtocolError) qFatal("%s", event.error);
            }
        });
        QCOMPARE(messages, uint64_t(1020));
        QCOMPARE(allocations, uint64_t(0));
    }

    void writePath_data() { addRoleDeflateSizeTable("sender"); }

    void writePath() {
        QFETCH(Role, sender);
        QFETCH(bool, deflate);
        QFETCH(int, size);
        QFETCH(int, fragment);
        const std::optional<DeflateParams> params = deflate ? std::optional(DeflateParams{}) : std::nullopt;
        Session session(SessionOptions{.role = sender, .deflate = params});
        const std::string text(size_t(size), 'w');
        const Bytes binary(size_t(size), 0x5a);
        const Bytes ping = bytesOf("ping");
        ByteBuffer out;
        const SendOptions options{.fragmentSize = size_t(fragment)};
        const uint64_t allocations = allocationsDuring([&] {
            out.clear();
            if (session.sendText(text, out, options) != LocalError::None) qFatal("sendText failed");
            if (session.sendBinary(binary, out, options) != LocalError::None) qFatal("sendBinary failed");
            if (session.sendPing(ping, out) != LocalError::None) qFatal("sendPing failed");
        });
        QVERIFY(out.size() > 0);
        QCOMPARE(allocations, uint64_t(0));
    }

    void automaticRepliesDoNotAllocate() {
        Session sender(SessionOptions{.role = Role::Server});
        Session client(SessionOptions{.role = Role::Client});
        ByteBuffer wire, replies;
        if (sender.sendPing(bytesOf("keepalive"), wire) != LocalError::None) qFatal("ping failed");
        const uint64_t allocations = allocationsDuring([&] {
            client.receive(wire.view());
            Event event;
            while (client.nextEvent(event)) {
            }
            replies.clear();
            client.takePendingOutput(replies);
        });
        QVERIFY(!replies.empty());
        QCOMPARE(allocations, uint64_t(0));
    }

    // Out of memory in the middle of a compressed send (each allocation point in turn): the caller drops the
    // partial frames, and the next message must still inflate on the peer (its deflate window never saw the
    // failed message).
    void compressedSendAfterOutOfMemory() {
        Bytes failed(300000);
        std::mt19937 random(7);
        for (uint8_t& byte : failed)
            byte = static_cast<uint8_t>(random());
        // `next` repeats the failed message's end: a deflater that kept the failed message in its window
        // would send back-references the peer cannot resolve.
        const Bytes first(4000, 0x41), next(failed.end() - 4000, failed.end());
        bool sawFailure = false, sawSuccess = false;
        for (int allowed = 0; allowed < 16 && !sawSuccess; ++allowed) {
            Session sender(SessionOptions{.role = Role::Client, .deflate = DeflateParams{}});
            Session receiver(SessionOptions{.role = Role::Server, .deflate = DeflateParams{}});
            ByteBuffer wire;
            QCOMPARE(sender.sendBinary(first, wire), LocalError::None);
            ByteBuffer lost;  // what the failed send wrote before running out; never reaches the peer
            allocationsBeforeFailure = allowed;
            try {
                QCOMPARE(sender.sendBinary(failed, lost), LocalError::None);
                sawSuccess = true;
            } catch (const std::bad_alloc&) {
                sawFailure = true;
            }
            allocationsBeforeFailure = -1;
            if (sawSuccess) wire.append(lost.view());
            QCOMPARE(sender.sendBinary(next, wire, {.fragmentSize = 1000}), LocalError::None);
            std::vector<Bytes> messages;
            receiver.receive(wire.view());
            Event event;
            while (receiver.nextEvent(event)) {
                QVERIFY2(event.kind != EventKind::ProtocolError, event.error);
                if (event.kind == EventKind::Message)
                    messages.emplace_back(event.payload.begin(), event.payload.end());
            }
            QCOMPARE(messages.size(), sawSuccess ? size_t(3) : size_t(2));
            QVERIFY(messages.front() == first);
            QVERIFY(messages.back() == next);
        }
        QVERIFY(sawFailure);
        QVERIFY(sawSuccess);
    }

    void hugeDeclaredLengthAllocatesNothingForIt() {
        allocationCount = 0;
        largestAllocation = 0;
        counting = true;
        {
            Session client(SessionOptions{.role = Role::Client});
            const Bytes header = fromHex("82 7f 40 00 00 00 00 00 00 00");  // 2^62 bytes declared
            client.receive(header);
            Event event;
            while (client.nextEvent(event)) {
            }
            QCOMPARE(client.state(), SessionState::Failed);
        }
        counting = false;
        QVERIFY2(largestAllocation.load() <= 4096, qPrintable(QString::number(largestAllocation.load())));
    }
};

QTEST_APPLESS_MAIN(TstAllocations)
#include "tst_allocations.moc"
