// Drives a core Session over a connected Qt socket: reads into the session without a copy, drains its
// events, hands every frame of both directions to the CaptureSink, and writes coalesced output (one
// socket write per batch of queued frames). Memory follows the bytes: the socket's read buffer is bounded
// (so TCP pushes back on a flood), buffers a large message left behind are released once the connection
// idles, an optional MemoryBudget is charged, and std::bad_alloc fails this connection (1013) instead of
// escaping into Qt. A plain TCP socket opened Unbuffered (see openUnbufferedSocket()) is read with one
// recv() per read and no FIONREAD. Lives on the thread that owns the socket; not thread-safe.
#pragma once

#include <QAbstractSocket>
#include <QObject>
#include <QTimer>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string_view>

#include "capture/capture_sink.h"
#include "framescope/byte_buffer.h"
#include "framescope/session.h"
#include "net/epoll_dispatcher.h"
#include "net/memory_budget.h"

namespace framescope::app {

// Microseconds since the Unix epoch, the capture's clock.
int64_t nowUs() noexcept;
// Hands one note for connection `id` to `sink` (may be null), stamped now.
void addCaptureNote(CaptureSink* sink, uint32_t id, NoteKind kind, Direction direction,
                    std::string_view text);

class SessionDriver : public QObject, private EpollEventDispatcher::DirectReader {
    Q_OBJECT
public:
    // Called for every event after its frame has been captured. Views are valid during the call.
    using EventHandler = std::function<void(const Event&)>;

    SessionDriver(QAbstractSocket* socket, CaptureSink* sink, uint32_t connectionId,
                  QObject* parent = nullptr);
    ~SessionDriver() override;

    // Starts the session once the handshake is done; `leftover` are the bytes that followed the HTTP head.
    void start(const SessionOptions& options, std::span<const uint8_t> leftover);
    bool started() const noexcept { return session_ != nullptr; }
    Session& session() noexcept { return *session_; }
    const Session& session() const noexcept { return *session_; }
    void setEventHandler(EventHandler handler) { handler_ = std::move(handler); }
    // Told how many messages (and payload bytes) echo mode just echoed without an event.
    using EchoCounter = std::function<void(uint64_t messages, uint64_t bytes)>;
    // Echo mode, for an echo server: each whole message the session can echo straight from its receive
    // buffer (Session::echoWholeMessages()) goes back without a Message event, and `counter` hears of
    // it; every other message still reaches the event handler. Off with a capture sink, which records
    // every frame from its events. The echoes are charged to the memory budget at twice their size, as
    // an echo sent from the handler would be; one that does not fit reaches the handler.
    void setEchoMode(EchoCounter counter) { echoCounter_ = std::move(counter); }
    // Stops reading while more than this many bytes wait in the socket's write buffer (backpressure). An
    // unbuffered socket reads only when that buffer is empty (see readUnbuffered()).
    void setWriteHighWater(qint64 bytes) noexcept { writeHighWater_ = bytes; }
    // Stops reading while paused (another connection this one feeds is backed up); resuming reads what
    // waited. TCP pushes back on the peer meanwhile (the socket's read buffer is bounded).
    void setReadPaused(bool paused);
    bool readPaused() const noexcept { return readPaused_; }
    QAbstractSocket* socket() const noexcept { return socket_; }
    // The socket is a QSslSocket that will never encrypt (a ws:// client connection): flush() may write to
    // its descriptor like a plain QTcpSocket's.
    void setNeverEncrypts();
    // Charges this connection's buffers to `budget` (may be null; must outlive the driver).
    void setMemoryBudget(MemoryBudget* budget) noexcept { budget_ = budget; }
    // Bytes this connection's buffers hold now (session, pending output, the socket's buffers).
    uint64_t heldBytes() const noexcept;
    // True when Qt's read buffer holds bytes not read yet. Always false for an unbuffered socket (what it
    // has waits in the kernel and wakes the read notifier); asking its bytesAvailable() costs a FIONREAD.
    bool socketHoldsBytes() const;
    // False when a budget is set and `bytes` more would not fit in it (e.g. before echoing a message).
    bool canAfford(uint64_t bytes) const noexcept { return !budget_ || budget_->fits(bytes); }

    // Reads everything the socket has, feeds the session, handles the events and flushes the replies.
    void readAvailable();

    LocalError sendText(std::string_view text, const SendOptions& options = {});
    LocalError sendBinary(std::span<const uint8_t> data, const SendOptions& options = {});
    LocalError sendPing(std::span<const uint8_t> payload);
    LocalError sendPong(std::span<const uint8_t> payload);
    LocalError sendClose(uint16_t code, std::string_view reason);
    // A crafted frame exactly as specified; captured from the spec (its declared length may lie).
    LocalError sendRaw(const RawFrameSpec& spec);
    // The data frames of the next sends relay message `messageIndex` of connection `connectionId` (a
    // proxy's other leg) as it arrived: they are captured linked to it (CapturedFrame::relayOf*) until
    // clearRelaySource().
    void setRelaySource(uint32_t connectionId, uint64_t messageIndex) noexcept {
        relayConnection_ = connectionId;
        relayMessage_ = messageIndex;
    }
    void clearRelaySource() noexcept { relayMessage_ = kNoMessage; }
    // Writes everything queued now (sends otherwise coalesce until control returns to the event loop) and
    // pushes it to the kernel without blocking. Bytes that cannot be written are noted as not sent.
    void flush();
    // Fails the session from our side with `code` (its close frame is captured and written) and tells the
    // owner through failedLocally().
    void failLocally(uint16_t code, const QString& sentence);

    // Payload bytes of the complete frames of a data message whose last frame has not arrived yet. Counted
    // from the session's Frame events: 0 when its SessionOptions::frameEvents is off.
    uint64_t partialMessageBytes() const noexcept { return partialIncoming_; }
    // Bytes of a frame cut short (header included), received but not yet a whole frame.
    uint64_t partialFrameBytes() const noexcept { return session_ ? session_->bufferedBytes() : 0; }
    uint64_t framesSent() const noexcept { return framesSent_; }
    // Reads so far that brought bytes (the owner's idle check: a direct read emits no readyRead).
    uint64_t readsWithBytes() const noexcept { return readsWithBytes_; }
    uint32_t connectionId() const noexcept { return connectionId_; }

    // Bounded read buffer of every socket a driver reads (server, client, load runner).
    static constexpr qint64 kSocketReadBuffer = 1 << 20;
    // Qt's read buffer of a socket the driver reads from the descriptor itself: Qt's read on its
    // notification takes no more than this, the driver reads the rest straight into the session.
    static constexpr qint64 kDirectReadQtBuffer = 16 << 10;
    // First read of an unbuffered socket: what Qt's own read took. A read that fills it doubles the next
    // (up to kSocketReadBuffer) until the connection idles.
    static constexpr qint64 kUnbufferedReadChunk = 16 << 10;

signals:
    // The driver failed the session itself (memory budget, out of memory): one sentence for the user.
    void failedLocally(quint16 code, const QString& sentence);
    // An unbuffered socket's read met the end of the stream or an error: Qt has closed the socket (state
    // UnconnectedState) without emitting disconnected(), which its unbuffered read never does. Emitted
    // once, after the read's replies were handled.
    void socketClosed();

private:
    bool noProxySet() const;
    void readLoop();
    void readUnbuffered();
    bool readReady() override;
    void afterRead(bool outOfMemory);
    void useDirectReads();
    void stopDirectReads();
    bool accountMemory();
    void releaseIdleMemory();
    void armIdleRelease();
    void onIdleRelease();
    void noteNotSent(qint64 bytes, const char* why);
    void drainEvents();
    void echoWholeMessages();
    // Bytes to send, in this order: out_ up to outBeforeEchoes_, the echoes in place, the rest of out_.
    using OutPieces = std::array<std::span<const uint8_t>, 3>;
    void writeOut(const OutPieces& pieces);
    void countOutgoing(size_t from, const HeaderParseOptions& lenient);
    void captureIncoming(const Event& frame, const Event* derived);
    void captureOutgoing(size_t from, std::span<const uint8_t> message, bool compressed);
    void captureCrafted(size_t from, const RawFrameSpec& spec);
    void emitOutgoing(CapturedFrame& record);
    // `oneFrame`: the send appended exactly one frame (a control frame, or a message not split in
    // fragments). Inline: it runs for every message sent, and without a capture it only counts.
    void afterSend(size_t from, LocalError error, std::span<const uint8_t> message, bool compressed,
                   bool oneFrame = true) {
        if (error != LocalError::None) return;
        if (sink_ || !oneFrame) {
            captureOutgoing(from, message, compressed);
        } else {
            ++framesSent_;
        }
        if (!reading_) scheduleFlush();
    }
    void capturePendingReplies();
    void scheduleFlush();
    qint64 writeDirect(const OutPieces& pieces);
    qint64 kernelBytesAvailable() const;
    qint64 readDirect(uint8_t* into, qint64 size);
    // Runs one send into out_; on std::bad_alloc, drops what it wrote and says OutOfMemory. A template
    // (not std::function): a send runs for every echoed message and must not allocate.
    template <typename Send>
    LocalError guarded(size_t from, Send&& send) {
        try {
            return send();
        } catch (const std::bad_alloc&) {
            out_.resize(from);
            return LocalError::OutOfMemory;
        }
    }

    QAbstractSocket* socket_;
    CaptureSink* sink_;
    uint32_t connectionId_;
    std::unique_ptr<Session> session_;
    EventHandler handler_;
    EchoCounter echoCounter_;  // echo mode (see setEchoMode())
    ByteBuffer out_;
    // Echo mode, unbuffered: echoes written over their frames in the session's receive buffer (one run per
    // flush), or empty. out_'s first outBeforeEchoes_ bytes were there before them and go first; what was
    // added later goes after them (flush()). The read's flush() always comes before the session takes more
    // bytes.
    std::span<const uint8_t> echoesInPlace_;
    size_t outBeforeEchoes_ = 0;
    ByteBuffer unmasked_;        // a masked outgoing payload, unmasked for the capture
    bool directWrites_ = false;  // plain TCP, no proxy: flush() may write to the descriptor itself
    bool directReads_ = false;   // a QTcpSocket (not TLS), no proxy: reads may come from the descriptor
    bool unbuffered_ = false;  // plain TCP opened Unbuffered: each read() is one recv(), see readUnbuffered()
    bool readHeldBack_ = false;  // unbuffered: a read waits for Qt's write buffer to empty
    EpollEventDispatcher* directDispatcher_ = nullptr;  // unbuffered: it calls readReady() (see there)
    int directFd_ = -1;
    uint64_t readsWithBytes_ = 0;
    bool socketGone_ = false;  // unbuffered: a read found the end or an error; socketClosed() is due
    qint64 readChunk_ = kUnbufferedReadChunk;
    bool flushScheduled_ = false;
    bool reading_ = false;
    bool readPaused_ = false;
    qint64 writeHighWater_ = 16 << 20;
    MemoryBudget* budget_ = nullptr;
    uint64_t charged_ = 0;  // bytes charged to budget_
    bool overBudget_ = false;
    QTimer idleRelease_;           // gives back a large message's buffers once the connection idles
    bool readSinceArmed_ = false;  // a read came after idleRelease_ started: not idle yet

    // Incoming message in progress (for partialMessageBytes()).
    uint64_t partialIncoming_ = 0;
    // When the bytes being parsed were read: every frame of one read arrived together and is captured with
    // this time (one clock read per read, not per frame).
    int64_t readTimeUs_ = 0;
    bool rereadPending_ = false;  // readyRead came while reading (see readAvailable())
    // Outgoing message numbering, per direction like the session's.
    uint64_t outgoingMessages_ = 0;
    bool outgoingInMessage_ = false;
    uint64_t outgoingWireSize_ = 0;
    uint64_t framesSent_ = 0;
    uint32_t relayConnection_ = 0;  // see setRelaySource()
    uint64_t relayMessage_ = kNoMessage;
};

}  // namespace framescope::app
