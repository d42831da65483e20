// EpollEventDispatcher (see the header). Theory of operation: processEvents() sends posted events, waits
// in epoll_wait() until a socket is ready, a timer is due or wakeUp() writes the eventfd, then sends
// QEvent::SockAct to the ready sockets' notifiers and QTimerEvent to the due timers. A readable socket
// with a direct reader is offered to it first, and its notifier's event is sent only if it declines.
// Notifier and timer tables are looked up again before each delivery, since a handler may remove any of
// them.
#include "net/epoll_dispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>

#include <algorithm>
#include <mutex>
#include <vector>

#if defined(__linux__)
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#endif

namespace framescope::app {

namespace {

// Inserts (key, value) into a map that has no such key yet (or a multimap), reusing a spare node if any.
template <typename Map>
void insertReusingNode(Map& map, std::vector<typename Map::node_type>& spares,
                       const typename Map::key_type& key, const typename Map::mapped_type& value) {
    if (spares.empty()) {
        map.emplace(key, value);
        return;
    }
    auto node = std::move(spares.back());
    spares.pop_back();
    node.key() = key;
    node.mapped() = value;
    map.insert(std::move(node));
}

}  // namespace

#if defined(__linux__)

namespace {

constexpr uint32_t kEventOf[3] = {EPOLLIN, EPOLLOUT, EPOLLPRI};

}  // namespace

bool EpollEventDispatcher::available() noexcept {
    return true;
}

EpollEventDispatcher::EpollEventDispatcher(QObject* parent) : QAbstractEventDispatcher(parent) {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    wake_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = wake_;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &event);
}

EpollEventDispatcher::~EpollEventDispatcher() {
    {
        const std::lock_guard lock(wakeMutex_);  // a late wakeUp() from another thread finds -1
        ::close(wake_);
        wake_ = -1;
    }
    ::close(epoll_);
}

void EpollEventDispatcher::updateWatch(int fd, Watch& watch) {
    uint32_t events = 0;
    for (int i = 0; i < 3; ++i)
        if (watch.notifiers[i]) events |= kEventOf[i];
    if (events == watch.events) return;
    epoll_event event{};
    event.events = events;
    event.data.fd = fd;
    if (events == 0) {
        epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, &event);
        watches_.erase(fd);
        return;
    }
    epoll_ctl(epoll_, watch.events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event);
    watch.events = events;
}

bool EpollEventDispatcher::setDirectReader(int fd, DirectReader* reader) {
    const auto it = watches_.find(fd);
    if (it == watches_.end()) return false;
    it->second.directReader = reader;
    return true;
}

void EpollEventDispatcher::clearDirectReader(int fd, const DirectReader* reader) {
    const auto it = watches_.find(fd);
    if (it != watches_.end() && it->second.directReader == reader) it->second.directReader = nullptr;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier* notifier) {
    const int fd = static_cast<int>(notifier->socket());
    Watch& watch = watches_[fd];
    watch.notifiers[static_cast<int>(notifier->type())] = notifier;
    updateWatch(fd, watch);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier* notifier) {
    const int fd = static_cast<int>(notifier->socket());
    const auto it = watches_.find(fd);
    if (it == watches_.end()) return;
    QSocketNotifier*& slot = it->second.notifiers[static_cast<int>(notifier->type())];
    if (slot == notifier) slot = nullptr;
    updateWatch(fd, it->second);
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject* object) {
    const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(interval);
    if (const auto it = timers_.find(timerId); it != timers_.end()) dropTimer(it);  // Qt reuses no live id
    insertReusingNode(timers_, spareTimerNodes_, timerId, Timer{interval, timerType, object, deadline});
    insertReusingNode(deadlines_, spareDeadlineNodes_, deadline, timerId);
}

void EpollEventDispatcher::dropTimer(std::unordered_map<int, Timer>::iterator it) {
    auto [first, last] = deadlines_.equal_range(it->second.deadline);
    for (auto d = first; d != last; ++d) {
        if (d->second == it->first) {
            auto node = deadlines_.extract(d);
            if (spareDeadlineNodes_.size() < kSpareNodes) spareDeadlineNodes_.push_back(std::move(node));
            break;
        }
    }
    auto node = timers_.extract(it);
    if (spareTimerNodes_.size() < kSpareNodes) spareTimerNodes_.push_back(std::move(node));
}

bool EpollEventDispatcher::unregisterTimer(int timerId) {
    const auto it = timers_.find(timerId);
    if (it == timers_.end()) return false;
    dropTimer(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject* object) {
    bool any = false;
    for (auto it = timers_.begin(); it != timers_.end();) {
        const auto next = std::next(it);
        if (it->second.object == object) {
            dropTimer(it);
            any = true;
        }
        it = next;
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject* object) const {
    QList<TimerInfo> list;
    for (const auto& [id, timer] : timers_) {
        if (timer.object == object)
            list.append(TimerInfo(id, static_cast<int>(timer.intervalMs), timer.type));
    }
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId) {
    const auto it = timers_.find(timerId);
    if (it == timers_.end()) return -1;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(it->second.deadline - Clock::now());
    return static_cast<int>(std::max<qint64>(0, left.count()));
}

void EpollEventDispatcher::wakeUp() {
    const std::lock_guard lock(wakeMutex_);
    if (wake_ < 0) return;
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_, &one, sizeof one);
}

void EpollEventDispatcher::interrupt() {
    interrupted_ = true;
    wakeUp();
}

int EpollEventDispatcher::msUntilNextTimer() const {
    if (deadlines_.empty()) return -1;
    const auto left = deadlines_.begin()->first - Clock::now();
    if (left <= Clock::duration::zero()) return 0;
    // Rounded up: a deadline less than 1 ms away is a 1 ms wait, not a 0 ms poll repeated until it passes
    // (which spun the thread for up to a millisecond before every timer).
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(left).count();
    return static_cast<int>(std::min<long long>(ms + 1, 1 << 30));
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags) {
    interrupted_ = false;
    emit awake();
    QCoreApplication::sendPostedEvents();
    const bool wait = (flags & QEventLoop::WaitForMoreEvents) && !interrupted_;
    int timeout = wait ? msUntilNextTimer() : 0;
    if (wait) emit aboutToBlock();
    bool any = dispatchSockets(timeout);
    if (!(flags & QEventLoop::X11ExcludeTimers)) any = fireTimers() || any;
    return any;
}

bool EpollEventDispatcher::dispatchSockets(int timeoutMs) {
    epoll_event ready[256];
    const int count = epoll_wait(epoll_, ready, 256, timeoutMs);
    bool any = false;
    for (int i = 0; i < count; ++i) {
        const int fd = ready[i].data.fd;
        if (fd == wake_) {
            uint64_t value;
            [[maybe_unused]] const ssize_t n = ::read(wake_, &value, sizeof value);
            continue;
        }
        const uint32_t events = ready[i].events;
        const bool failed = (events & (EPOLLERR | EPOLLHUP)) != 0;
        for (int type = 0; type < 3; ++type) {
            if (!(events & kEventOf[type]) && !(failed && type != 2)) continue;
            const auto it = watches_.find(fd);  // a handler may have removed it
            if (it == watches_.end() || !it->second.notifiers[type]) continue;
            any = true;
            DirectReader* reader = type == 0 && !failed ? it->second.directReader : nullptr;
            if (reader != nullptr && reader->readReady()) continue;
            QEvent event(QEvent::SockAct);
            // Looked up again: readReady() may have closed the socket, and its notifiers with it.
            const auto again = reader != nullptr ? watches_.find(fd) : it;
            if (again == watches_.end() || !again->second.notifiers[type]) continue;
            QCoreApplication::sendEvent(again->second.notifiers[type], &event);
        }
    }
    return any;
}

bool EpollEventDispatcher::fireTimers() {
    const Clock::time_point now = Clock::now();
    std::vector<int> due = std::move(dueCache_);  // a handler's nested event loop finds it empty
    due.clear();
    for (auto d = deadlines_.begin(); d != deadlines_.end() && d->first <= now; ++d)
        due.push_back(d->second);
    for (int id : due) {
        auto it = timers_.find(id);
        if (it == timers_.end() || it->second.firing) continue;
        // Reschedule first: the handler may stop, restart or delete the timer.
        Timer timer = it->second;
        dropTimer(it);
        const Clock::time_point next = now + std::chrono::milliseconds(std::max<qint64>(timer.intervalMs, 0));
        insertReusingNode(timers_, spareTimerNodes_, id,
                          Timer{timer.intervalMs, timer.type, timer.object, next, true});
        insertReusingNode(deadlines_, spareDeadlineNodes_, next, id);
        QTimerEvent event(id);
        QCoreApplication::sendEvent(timer.object, &event);
        if (const auto again = timers_.find(id); again != timers_.end()) again->second.firing = false;
    }
    const bool fired = !due.empty();
    if (due.capacity() > dueCache_.capacity()) dueCache_ = std::move(due);
    return fired;
}

#else

bool EpollEventDispatcher::available() noexcept {
    return false;
}

#endif

}  // namespace framescope::app
