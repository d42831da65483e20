// SessionDriver: the read loop, the capture of both directions, and write coalescing.
#include "net/session_driver.h"

#include <QAbstractEventDispatcher>
#include <QMetaObject>
#include <QNetworkProxy>
#include <QSslSocket>

#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>

#include <algorithm>
#include <chrono>
#include <new>
#include <utility>

#include "capture/captured_event.h"
#include "framescope/close_code.h"
#include "framescope/mask.h"

namespace framescope::app {

namespace {

constexpr qint64 kReadChunk = 1 << 20;
// A connection holding more than this after a read gives the rest back once it has been idle a moment.
// An unbuffered socket's session holds its read chunk (16 KiB or more): an idle one gives that back too.
constexpr uint64_t kIdleBytes = 64 * 1024;
constexpr uint64_t kIdleBytesUnbuffered = 4 * 1024;
constexpr int kIdleReleaseMs = 200;

bool isDataOpcode(uint8_t op) {
    return op == opcode::kText || op == opcode::kBinary || op == opcode::kContinuation;
}

}  // namespace

int64_t nowUs() noexcept {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

void addCaptureNote(CaptureSink* sink, uint32_t id, NoteKind kind, Direction direction,
                    std::string_view text) {
    if (!sink) return;
    CapturedNote note;
    note.timestampUs = nowUs();
    note.connectionId = id;
    note.direction = direction;
    note.kind = kind;
    note.text = text;
    sink->addNote(note);
}

SessionDriver::SessionDriver(QAbstractSocket* socket, CaptureSink* sink, uint32_t connectionId,
                             QObject* parent)
    : QObject(parent), socket_(socket), sink_(sink), connectionId_(connectionId) {
    // Backpressure end to end: Qt stops reading the socket when this much waits, so TCP slows the peer.
    socket_->setReadBufferSize(kSocketReadBuffer);
    // Not through a proxy we set (SOCKS or HTTP): only sockets without one, or with the default (the
    // server's accepted sockets). Asking Qt for the application proxy here would query the system's proxy
    // settings (libproxy) for every connection.
    directWrites_ = qobject_cast<QSslSocket*>(socket_) == nullptr && noProxySet();
    unbuffered_ = directWrites_ && socket_->openMode().testFlag(QIODevice::Unbuffered);
    directReads_ = directWrites_ && !unbuffered_;
    connect(socket_, &QIODevice::bytesWritten, this, [this] {
        accountMemory();
        if (socket_->bytesToWrite() > (unbuffered_ ? 0 : writeHighWater_ / 2)) return;
        if (std::exchange(readHeldBack_, false) || socketHoldsBytes()) readAvailable();
    });
    idleRelease_.setSingleShot(true);
    idleRelease_.setInterval(kIdleReleaseMs);
    connect(&idleRelease_, &QTimer::timeout, this, &SessionDriver::onIdleRelease);
}

bool SessionDriver::noProxySet() const {
    return socket_->proxy().type() == QNetworkProxy::NoProxy ||
           socket_->proxy().type() == QNetworkProxy::DefaultProxy;
}

void SessionDriver::setNeverEncrypts() {
    directWrites_ = noProxySet();
}

SessionDriver::~SessionDriver() {
    stopDirectReads();
    if (budget_) budget_->recharge(charged_, 0);
}

// An unbuffered plain TCP socket on a thread run by EpollEventDispatcher is read by readReady(), straight
// from the dispatcher, without Qt's path from the notifier to readyRead (its event, the socket's
// notification handling, the signal) on every wakeup: 2-13 % more echoes per second in A/B runs of `serve`
// under `load`, at 1 and 64 messages in flight. Qt still owns the descriptor:
// it is asked to read only at the end of the stream, on an error, and while reading waits (see
// readReady()), and the dispatcher drops this reader with the socket's notifiers when Qt closes it.
void SessionDriver::useDirectReads() {
    if (!unbuffered_ || directDispatcher_) return;
    auto* dispatcher = qobject_cast<EpollEventDispatcher*>(QAbstractEventDispatcher::instance(thread()));
    const int fd = static_cast<int>(socket_->socketDescriptor());
    if (dispatcher == nullptr || fd < 0 || !dispatcher->setDirectReader(fd, this)) return;
    directDispatcher_ = dispatcher;
    directFd_ = fd;
    connect(socket_, &QIODevice::aboutToClose, this, &SessionDriver::stopDirectReads);
}

void SessionDriver::stopDirectReads() {
    if (!directDispatcher_) return;
    directDispatcher_->clearDirectReader(directFd_, this);
    directDispatcher_ = nullptr;
}

// One recv() into the session, its events, and the replies written: readUnbuffered()'s step without Qt.
// Declines (false: the dispatcher then sends Qt's notifier event, and readAvailable() runs as before)
// whenever Qt must see the read: the end of the stream or an error (recv() returns 0 or fails: Qt's own
// read then finds it and closes the socket), reading paused or held back, the budget, a failed session.
bool SessionDriver::readReady() {
    if (!session_ || reading_ || readPaused_ || session_->state() == SessionState::Failed ||
        socket_->bytesToWrite() > 0 || (budget_ && !budget_->fits(static_cast<uint64_t>(readChunk_))))
        return false;
    if (!echoesInPlace_.empty())
        flush();  // before the session takes more bytes (none are left: a read flushes)
    uint8_t* dst = nullptr;
    if (session_->prepareReceive(static_cast<size_t>(readChunk_), dst) != LocalError::None) return false;
    const ssize_t got = ::recv(directFd_, dst, static_cast<size_t>(readChunk_), MSG_DONTWAIT);
    session_->commitReceive(static_cast<size_t>(std::max<ssize_t>(got, 0)));
    if (got <= 0) return false;
    ++readsWithBytes_;
    reading_ = true;
    bool outOfMemory = false;
    try {
        if (sink_) readTimeUs_ = nowUs();
        drainEvents();
        if (got == readChunk_) readChunk_ = std::min(2 * readChunk_, kSocketReadBuffer);
        flush();
    } catch (const std::bad_alloc&) {
        outOfMemory = true;
    }
    reading_ = false;
    afterRead(outOfMemory);
    return true;
}

bool SessionDriver::socketHoldsBytes() const {
    return !unbuffered_ && socket_->bytesAvailable() > 0;
}

uint64_t SessionDriver::heldBytes() const noexcept {
    // Qt's socket buffers too: an echo waiting to be written is memory this connection holds.
    const qint64 socketBytes = socket_->bytesToWrite() + (unbuffered_ ? 0 : socket_->bytesAvailable());
    return (session_ ? session_->retainedBytes() : 0) + out_.capacity() + unmasked_.capacity() +
           static_cast<uint64_t>(std::max<qint64>(socketBytes, 0));
}

// Charges what the buffers hold now; false when the budget is exceeded.
bool SessionDriver::accountMemory() {
    if (!budget_) return true;
    return budget_->recharge(charged_, heldBytes()) <= budget_->limit();
}

// Started once and not restarted by every read (a timer restart per wakeup costs more than the read):
// when it fires after a read, it waits another interval, so buffers go back 200-400 ms after the last read.
void SessionDriver::armIdleRelease() {
    readSinceArmed_ = true;
    if (idleRelease_.isActive()) return;
    if (heldBytes() > (unbuffered_ ? kIdleBytesUnbuffered : kIdleBytes)) {
        readSinceArmed_ = false;
        idleRelease_.start();
    }
}

void SessionDriver::onIdleRelease() {
    if (std::exchange(readSinceArmed_, false)) return idleRelease_.start();
    releaseIdleMemory();
}

void SessionDriver::releaseIdleMemory() {
    if (!session_ || reading_) return;
    if (!echoesInPlace_.empty()) flush();  // they live in the session's buffer
    readChunk_ = kUnbufferedReadChunk;
    session_->releaseIdleMemory();
    out_.shrinkTo(out_.size());
    unmasked_.shrinkTo(0);
    accountMemory();
}

void SessionDriver::failLocally(uint16_t code, const QString& sentence) {
    if (!session_) return;
    const QByteArray utf8 = sentence.toUtf8();
    try {
        session_->fail(code, std::string_view(utf8.constData(), static_cast<size_t>(utf8.size())));
        capturePendingReplies();
        flush();
    } catch (const std::bad_alloc&) {
        socket_->abort();  // not even a close frame fits: drop the connection
    }
    releaseIdleMemory();
    emit failedLocally(code, sentence);
}

void SessionDriver::start(const SessionOptions& options, std::span<const uint8_t> leftover) {
    session_ = std::make_unique<Session>(options);
    // From here on the session takes what arrives straight from the kernel (see readLoop()); Qt's buffer
    // only holds what its read notification takes before our readyRead handler runs.
    if (directReads_) socket_->setReadBufferSize(kDirectReadQtBuffer);
    useDirectReads();
    if (!leftover.empty()) {
        session_->receive(leftover);
        readTimeUs_ = nowUs();
        drainEvents();
        flush();
    }
}

void SessionDriver::readAvailable() {
    if (!session_) return;
    if (reading_) {
        // A readyRead from inside this read: QSslSocket decrypts what arrived while our flush() writes, and
        // says so at once. Nothing else would announce those bytes again, so they are read right after.
        rereadPending_ = true;
        return;
    }
    reading_ = true;
    readHeldBack_ = false;
    bool outOfMemory = false;
    try {
        unbuffered_ ? readUnbuffered() : readLoop();
        flush();
    } catch (const std::bad_alloc&) {
        outOfMemory = true;
    }
    reading_ = false;
    afterRead(outOfMemory);
}

// After a read's replies were flushed: the end of the stream, memory, the budget, and what comes next.
void SessionDriver::afterRead(bool outOfMemory) {
    if (std::exchange(socketGone_, false)) {
        stopDirectReads();
        emit socketClosed();  // nothing more can be read or written; the owner ends the connection
        return;
    }
    if (outOfMemory) {
        return failLocally(close_code::kTryAgainLater,
                           "The process ran out of memory; this connection was closed with 1013.");
    }
    if (!accountMemory() || std::exchange(overBudget_, false)) {
        const bool alone = heldBytes() > budget_->limit();
        return failLocally(alone ? close_code::kMessageTooBig : close_code::kTryAgainLater,
                           QString("The server's memory budget (%1 bytes) is exhausted; this connection was "
                                   "closed with %2.")
                               .arg(budget_->limit())
                               .arg(alone ? 1009 : 1013));
    }
    armIdleRelease();
    if (std::exchange(rereadPending_, false)) {
        QMetaObject::invokeMethod(
            this, [this] { readAvailable(); }, Qt::QueuedConnection);
    }
}

void SessionDriver::setReadPaused(bool paused) {
    readPaused_ = paused;
    // Unbuffered, what waited is in the kernel: a read finds it (or nothing) with one recv().
    if (!paused && (unbuffered_ || socketHoldsBytes())) readAvailable();
}

// Reads what Qt's buffer holds, then (plain TCP) what the kernel holds, straight into the session: no copy
// through Qt's read buffer, whose chunks also cost an allocation and page faults per read. A read takes
// what has arrived (FIONREAD), so memory still follows the bytes, never a guess.
// One call reads at most kSocketReadBuffer from the kernel, as much as Qt's buffer held before: replies
// are flushed after the loop, so a peer that sends as fast as we read would otherwise pile them up here
// (a flood that never read its echoes took the server from 37 to 87 MiB). The kernel's rest wakes Qt's
// read notifier again.
void SessionDriver::readLoop() {
    qint64 kernelAllowance = kSocketReadBuffer;
    while (!readPaused_ && session_->state() != SessionState::Failed) {
        if (socket_->bytesToWrite() > writeHighWater_) break;  // resumed from bytesWritten
        const bool fromQt = socket_->bytesAvailable() > 0;
        const qint64 available =
            fromQt ? socket_->bytesAvailable() : std::min(kernelBytesAvailable(), kernelAllowance);
        if (available <= 0) break;
        const qint64 chunk = std::min(available, kReadChunk);
        if (budget_ && !budget_->fits(static_cast<uint64_t>(chunk))) {
            overBudget_ = true;
            break;
        }
        uint8_t* dst = nullptr;  // drainEvents() read every event, so the session accepts bytes
        if (session_->prepareReceive(static_cast<size_t>(chunk), dst) != LocalError::None) break;
        const qint64 got =
            fromQt ? socket_->read(reinterpret_cast<char*>(dst), chunk) : readDirect(dst, chunk);
        if (got <= 0) {
            session_->commitReceive(0);
            break;
        }
        session_->commitReceive(static_cast<size_t>(got));
        ++readsWithBytes_;
        if (!fromQt) kernelAllowance -= got;
        if (sink_) readTimeUs_ = nowUs();
        drainEvents();
        if (!accountMemory()) break;
        // Everything the kernel held is read (by us, or by Qt when its buffer did not fill up): what arrives
        // later wakes the level-triggered notifier again, so asking FIONREAD once more would only cost a
        // system call per wakeup.
        if (got == available && (!fromQt || (directReads_ && available < kDirectReadQtBuffer))) break;
    }
}

// An unbuffered plain TCP socket: Qt's read notification reads nothing (it emits readyRead, and turns the
// notifier off if a second one comes before a read), and each socket_->read() is one recv() straight into
// the session that turns the notifier back on. So a wakeup costs epoll_wait, one recv() and the send()
// of the replies: no FIONREAD (a read asks for a chunk, and one that returns less has emptied the
// kernel's buffer; what arrives later wakes the level-triggered notifier), no copy through Qt's buffer.
// Memory follows the bytes: the chunk doubles only after a read filled it, and releaseIdleMemory() sets
// it back. One call reads at most kSocketReadBuffer, as readLoop() does.
// A read that meets the end of the stream closes the socket at once, dropping what Qt's write buffer
// holds (a buffered socket's Qt writes it out first). So the replies so far are written before each
// further read, and a read waits until Qt's write buffer is empty (the kernel took every reply; the write
// high water is 0 here): the bytes it leaves wait in the kernel, and TCP pushes back on the peer.
void SessionDriver::readUnbuffered() {
    qint64 allowance = kSocketReadBuffer;
    for (bool first = true; allowance > 0; first = false) {
        if (readPaused_ || session_->state() == SessionState::Failed) break;
        if (!first || !echoesInPlace_.empty()) flush();  // before the session takes more bytes
        if (socket_->bytesToWrite() > 0) {
            readHeldBack_ = true;  // bytesWritten resumes once Qt has written it all
            break;
        }
        const qint64 chunk = std::min(readChunk_, allowance);
        if (budget_ && !budget_->fits(static_cast<uint64_t>(chunk))) {
            overBudget_ = true;
            break;
        }
        uint8_t* dst = nullptr;  // drainEvents() read every event, so the session accepts bytes
        if (session_->prepareReceive(static_cast<size_t>(chunk), dst) != LocalError::None) break;
        const qint64 got = socket_->read(reinterpret_cast<char*>(dst), chunk);
        session_->commitReceive(static_cast<size_t>(std::max<qint64>(got, 0)));
        socketGone_ = got < 0;  // Qt closed the socket and says nothing (see socketClosed())
        if (got <= 0) break;
        ++readsWithBytes_;
        allowance -= got;
        if (sink_) readTimeUs_ = nowUs();
        drainEvents();
        if (!accountMemory() || got < chunk) break;
        readChunk_ = std::min(2 * readChunk_, kSocketReadBuffer);
    }
}

// Bytes the kernel holds for a socket read from its descriptor; 0 otherwise. At the end of the stream
// this is 0 too: Qt's own read then sees the end and reports the disconnection as before.
qint64 SessionDriver::kernelBytesAvailable() const {
    if (!directReads_ || socket_->state() != QAbstractSocket::ConnectedState) return 0;
    const qintptr fd = socket_->socketDescriptor();
    int available = 0;
    if (fd < 0 || ::ioctl(static_cast<int>(fd), FIONREAD, &available) != 0) return 0;
    return available;
}

qint64 SessionDriver::readDirect(uint8_t* into, qint64 size) {
    const qintptr fd = socket_->socketDescriptor();
    ssize_t got = 0;
    do {
        got = ::recv(static_cast<int>(fd), into, static_cast<size_t>(size), MSG_DONTWAIT);
    } while (got < 0 && errno == EINTR);
    return got > 0 ? got : 0;  // an error is left for Qt's own read to report
}

void SessionDriver::drainEvents() {
    const Event* frame = nullptr;  // a frame whose derived event (message, close, error...) follows
    for (;;) {
        if (echoCounter_ && !sink_) echoWholeMessages();
        const Event* next = session_->nextEventInPlace();
        if (next == nullptr) break;
        const Event& event = *next;
        if (event.kind == EventKind::Frame) {
            if (!isControlOpcode(event.header.opcode)) {
                partialIncoming_ = event.header.fin ? 0 : partialIncoming_ + event.payload.size();
            }
            // session.h: a frame (the Event and its views) stays valid while the event derived from it is
            // read, and only then.
            if (event.derivedFollows) {
                frame = &event;
            } else {
                captureIncoming(event, nullptr);
            }
        } else if (frame != nullptr) {
            session_->checkView(*frame);
            captureIncoming(*frame, &event);
            frame = nullptr;
        }
        // After the frame that caused them, before the handler acts.
        if (frame == nullptr && session_->hasPendingOutput()) capturePendingReplies();
        if (handler_) handler_(event);
    }
}

// Echo mode: the session echoes what it can (this runs while reading: the read's flush writes it). Budget:
// see setEchoMode(). Reading plain TCP unbuffered, the echoes stay where their frames arrived, in the
// session's receive buffer (echoWholeMessagesInPlace()): one buffer, as a TCP echo uses, instead of two.
// What out_ holds by then goes before them (a reply to the frame a read completed, say), and flush() sends
// all of it with one sendmsg (see echoesInPlace_). A second run of echoes in the same read is copied into
// out_, after the first.
void SessionDriver::echoWholeMessages() {
    uint64_t room = UINT64_MAX;
    if (budget_) room = (budget_->limit() - std::min(budget_->used(), budget_->limit())) / 2;
    Session::Echoed echoed;
    const auto count = [&] {
        framesSent_ += echoed.messages;
        if (echoed.messages > 0) echoCounter_(echoed.messages, echoed.bytes);
    };
    try {
        if (unbuffered_ && echoesInPlace_.empty()) {
            outBeforeEchoes_ = out_.size();
            echoesInPlace_ = session_->echoWholeMessagesInPlace(room, echoed);
        } else {
            session_->echoWholeMessages(out_, room, echoed);
        }
    } catch (const std::bad_alloc&) {
        count();  // what was echoed before stays echoed
        throw;
    }
    count();
}

void SessionDriver::captureIncoming(const Event& frame, const Event* derived) {
    if (!sink_) return;
    CapturedFrame record = frameRecordOf(frame, derived);
    record.timestampUs = readTimeUs_;
    record.connectionId = connectionId_;
    record.direction = Direction::Incoming;
    sink_->addFrame(record);
}

void SessionDriver::emitOutgoing(CapturedFrame& record) {
    ++framesSent_;
    if (!sink_) return;
    record.timestampUs = nowUs();
    record.connectionId = connectionId_;
    record.direction = Direction::Outgoing;
    if (record.header.opcode == opcode::kClose) record.closeCode = closeCodeOf(record.payload);
    if (isDataOpcode(record.header.opcode)) {
        if (!record.crafted) {
            record.relayOfConnection = relayConnection_;
            record.relayOfMessage = relayMessage_;
        }
        record.messageIndex = outgoingMessages_;
        outgoingWireSize_ = (outgoingInMessage_ ? outgoingWireSize_ : 0) + record.payload.size();
        outgoingInMessage_ = !record.header.fin;
        if (record.header.fin) {
            record.endsMessage = true;
            record.messageWireSize = outgoingWireSize_;
            ++outgoingMessages_;
        }
    }
    sink_->addFrame(record);
}

// Parses the frames appended to out_ since `from` (our own bytes, so well formed) and captures each.
void SessionDriver::captureOutgoing(size_t from, std::span<const uint8_t> message, bool compressed) {
    HeaderParseOptions lenient;
    lenient.tolerateNonMinimalLength = true;
    if (!sink_) return countOutgoing(from, lenient);
    size_t pos = from;
    while (pos < out_.size()) {
        const std::span<const uint8_t> rest(out_.data() + pos, out_.size() - pos);
        CapturedFrame record;
        const HeaderParseResult parsed = parseFrameHeader(rest, record.header, lenient);
        if (parsed.status != ParseStatus::Done) return;
        const size_t size = static_cast<size_t>(
            std::min<uint64_t>(record.header.payloadLength, rest.size() - parsed.consumed));
        record.rawHeader = rest.first(parsed.consumed);
        record.payload = rest.subspan(parsed.consumed, size);
        if (record.header.masked) {
            unmasked_.clear();
            unmasked_.append(record.payload);
            applyMask(unmasked_.data(), unmasked_.size(), record.header.maskKey);
            record.payload = unmasked_.view();
        }
        if (record.header.fin && isDataOpcode(record.header.opcode) && compressed) {
            record.compressed = true;
            record.inflated = message;
        }
        emitOutgoing(record);
        pos += parsed.consumed + size;
    }
}

// Without a capture, the frames appended since `from` are only counted: no record is built.
void SessionDriver::countOutgoing(size_t from, const HeaderParseOptions& lenient) {
    for (size_t pos = from; pos < out_.size();) {
        FrameHeader header;
        const size_t rest = out_.size() - pos;
        const HeaderParseResult parsed = parseFrameHeader({out_.data() + pos, rest}, header, lenient);
        if (parsed.status != ParseStatus::Done) return;
        ++framesSent_;
        pos += parsed.consumed + static_cast<size_t>(std::min<uint64_t>(header.payloadLength, rest));
    }
}

void SessionDriver::captureCrafted(size_t from, const RawFrameSpec& spec) {
    CapturedFrame record;
    record.header = rawFrameHeader(spec);
    record.rawHeader = std::span<const uint8_t>(out_.data() + from, record.header.headerSize);
    record.payload = spec.payload;
    record.crafted = true;
    // A crafted frame that breaks a rule is marked like a received one, so the log shows it in colour.
    const HeaderRules rules{.fromClient = session_->role() == Role::Client,
                            .rsv1Allowed = session_->options().deflate.has_value()};
    record.violation = headerRuleViolation(record.header, rules);
    if (record.violation == nullptr && record.header.payloadLength != spec.payload.size()) {
        record.violation = "The declared payload length differs from the bytes sent (RFC 6455 §5.2).";
    }
    emitOutgoing(record);
}

void SessionDriver::capturePendingReplies() {
    if (!session_->hasPendingOutput()) return;
    const size_t from = out_.size();
    session_->takePendingOutput(out_);
    captureOutgoing(from, {}, false);
    if (!reading_) scheduleFlush();
}

LocalError SessionDriver::sendText(std::string_view text, const SendOptions& options) {
    if (!session_) return LocalError::NotOpen;
    const size_t from = out_.size();
    const LocalError error = guarded(from, [&] { return session_->sendText(text, out_, options); });
    const bool compressed = options.compress && session_->options().deflate.has_value();
    afterSend(from, error, {reinterpret_cast<const uint8_t*>(text.data()), text.size()}, compressed,
              options.fragmentSize == 0);
    return error;
}

LocalError SessionDriver::sendBinary(std::span<const uint8_t> data, const SendOptions& options) {
    if (!session_) return LocalError::NotOpen;
    const size_t from = out_.size();
    const LocalError error = guarded(from, [&] { return session_->sendBinary(data, out_, options); });
    afterSend(from, error, data, options.compress && session_->options().deflate.has_value(),
              options.fragmentSize == 0);
    return error;
}

LocalError SessionDriver::sendPing(std::span<const uint8_t> payload) {
    if (!session_) return LocalError::NotOpen;
    const size_t from = out_.size();
    const LocalError error = guarded(from, [&] { return session_->sendPing(payload, out_); });
    afterSend(from, error, {}, false);
    return error;
}

LocalError SessionDriver::sendPong(std::span<const uint8_t> payload) {
    if (!session_) return LocalError::NotOpen;
    const size_t from = out_.size();
    const LocalError error = guarded(from, [&] { return session_->sendPong(payload, out_); });
    afterSend(from, error, {}, false);
    return error;
}

LocalError SessionDriver::sendClose(uint16_t code, std::string_view reason) {
    if (!session_) return LocalError::NotOpen;
    const size_t from = out_.size();
    const LocalError error = guarded(from, [&] { return session_->sendClose(code, reason, out_); });
    afterSend(from, error, {}, false);
    return error;
}

LocalError SessionDriver::sendRaw(const RawFrameSpec& spec) {
    if (!session_) return LocalError::NotOpen;
    const size_t from = out_.size();
    const LocalError error = guarded(from, [&] { return session_->sendRaw(spec, out_); });
    if (error != LocalError::None) return error;
    captureCrafted(from, spec);
    if (!reading_) scheduleFlush();
    return error;
}

// std::bad_alloc while building a frame (a huge message) stays here: the partial bytes are dropped and the
// caller gets OutOfMemory, one sentence like any other send error.
void SessionDriver::scheduleFlush() {
    if (flushScheduled_) return;
    flushScheduled_ = true;
    QMetaObject::invokeMethod(
        this, [this] { flush(); }, Qt::QueuedConnection);
}

void SessionDriver::flush() {
    flushScheduled_ = false;
    const std::span<const uint8_t> echoes = std::exchange(echoesInPlace_, {});
    const size_t mark = std::exchange(outBeforeEchoes_, size_t{0});
    const size_t before = echoes.empty() ? 0 : std::min(mark, out_.size());
    if (echoes.empty() && out_.empty()) return;
    const std::span<const uint8_t> out = out_.view();
    writeOut({out.first(before), echoes, out.subspan(before)});
    out_.clear();
}

// Bytes go first to the kernel (writeDirect()), then what it did not take to Qt's write buffer, which
// copies them: so the session's buffer may hold them only until this returns.
void SessionDriver::writeOut(const OutPieces& pieces) {
    qint64 size = 0;
    for (const std::span<const uint8_t> piece : pieces)
        size += static_cast<qint64>(piece.size());
    if (size == 0) return;
    if (socket_->state() != QAbstractSocket::ConnectedState) {
        noteNotSent(size, "the connection is no longer open");
        return;
    }
    const qint64 direct = writeDirect(pieces);  // from the front
    if (direct == size) return;
    qint64 accepted = 0;  // by the kernel or by Qt's buffer, from the front
    for (const std::span<const uint8_t> piece : pieces) {
        const auto length = static_cast<qint64>(piece.size());
        const qint64 sent = std::clamp(direct - accepted, qint64{0}, length);
        const auto* data = reinterpret_cast<const char*>(piece.data()) + sent;
        if (sent < length && socket_->write(data, length - sent) != length - sent) {
            noteNotSent(size - accepted - sent, "the socket refused the write");
            return;
        }
        accepted += length;
    }
    socket_->flush();  // to the kernel now, without blocking: what the log shows as sent is on the wire
}

// A plain TCP socket (no TLS, no proxy) with nothing queued in Qt: write straight to the kernel, with no
// copy into Qt's write buffer and no write notifier switched on and off (two epoll_ctl calls a message).
// One piece with send(), several with one sendmsg(). Returns what the kernel took; Qt's buffer takes the
// rest (and reports any error) as before.
qint64 SessionDriver::writeDirect(const OutPieces& pieces) {
    if (!directWrites_ || socket_->bytesToWrite() > 0) return 0;
    const qintptr fd = socket_->socketDescriptor();
    if (fd < 0) return 0;
    std::array<iovec, 3> vectors{};
    size_t count = 0;
    for (const std::span<const uint8_t> piece : pieces) {
        if (!piece.empty()) vectors[count++] = {const_cast<uint8_t*>(piece.data()), piece.size()};
    }
    msghdr message{};
    message.msg_iov = vectors.data();
    message.msg_iovlen = count;
    ssize_t written = 0;
    do {
        written = count == 1 ? ::send(static_cast<int>(fd), vectors[0].iov_base, vectors[0].iov_len,
                                      MSG_NOSIGNAL | MSG_DONTWAIT)
                             : ::sendmsg(static_cast<int>(fd), &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (written < 0 && errno == EINTR);
    return written > 0 ? written : 0;
}

void SessionDriver::noteNotSent(qint64 bytes, const char* why) {
    if (!sink_) return;
    const std::string text = "Not sent: " + std::to_string(bytes) +
                             " bytes of frames captured above were never written (" + why + ").";
    addCaptureNote(sink_, connectionId_, NoteKind::Status, Direction::Outgoing, text);
}
}  // namespace framescope::app
