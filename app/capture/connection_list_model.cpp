// Theory of operation: refresh() walks the store rows [scanned_, size()) once each. A frame adds to its
// connection's counters; a status note ("Open: …" from a client, "Client … connected." and
// "Disconnected: …" from the server) or a 101 response sets the state; a close frame makes an open
// connection Closing. New connections wait in fresh_ and are inserted at the end in one insert; changed rows
// are announced in one dataChanged. The store's clear() (a new generation) keeps only the live connections,
// counters zeroed; dropOldest() shifts the rows read so far down by the rows it dropped.
#include "capture/connection_list_model.h"

#include <QHostAddress>
#include <QLocale>

#include <algorithm>
#include <string_view>

#include "framescope/frame.h"

namespace framescope::app {

namespace {

constexpr size_t kIn = static_cast<size_t>(Direction::Incoming);
constexpr size_t kOut = static_cast<size_t>(Direction::Outgoing);

QString addressText(const std::array<uint8_t, 16>& address, uint8_t ipVersion, uint16_t port) {
    QHostAddress host;
    if (ipVersion == 4) {
        host.setAddress(quint32(address[0]) << 24 | quint32(address[1]) << 16 | quint32(address[2]) << 8 |
                        quint32(address[3]));
    } else {
        host.setAddress(address.data());
    }
    const QString text = host.toString();
    return (ipVersion == 6 ? QStringLiteral("[%1]:%2") : QStringLiteral("%1:%2")).arg(text).arg(port);
}

// The state a status note announces, or empty. Client notes start with the state's name and a colon.
QString stateOfStatus(std::string_view text) {
    static const char* const kClientStates[] = {"Connecting", "TlsHandshake", "WsHandshake", "Open",
                                                "Closing",    "Closed",       "Failed"};
    for (const char* name : kClientStates) {
        const std::string_view prefix(name);
        if (text.size() > prefix.size() && text.substr(0, prefix.size()) == prefix &&
            text[prefix.size()] == ':')
            return QString::fromLatin1(name);
    }
    if (text.starts_with("Disconnected:")) return QStringLiteral("Closed");
    if (text.starts_with("Client ") && text.ends_with(" connected.")) return QStringLiteral("Handshake");
    return {};
}

bool isLive(const QString& state) {
    return state != QLatin1String("Closed") && state != QLatin1String("Failed");
}

// "12 fr 1.2 KiB": short enough for two directions on one line of a 220-pixel list.
QString framesAndBytes(uint64_t frames, uint64_t bytes) {
    const QString size =
        bytes < 1024 ? QObject::tr("%1 B").arg(bytes) : QLocale().formattedDataSize(qint64(bytes), 1);
    return QObject::tr("%L1 fr %2").arg(frames).arg(size);
}

}  // namespace

ConnectionListModel::ConnectionListModel(const CaptureStore& store, uint32_t serverIdBase, QObject* parent)
    : QAbstractListModel(parent), store_(store), serverIdBase_(serverIdBase) {
    generation_ = store_.generation();
    evicted_ = store_.evictedRows();
    connect(&timer_, &QTimer::timeout, this, &ConnectionListModel::refresh);
    timer_.start(kDefaultPollIntervalMs);
}

int ConnectionListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(entries_.size());
}

int ConnectionListModel::rowOfConnection(uint32_t id) const {
    const auto found = rows_.find(id);
    return found == rows_.end() ? -1 : found->second;
}

void ConnectionListModel::setPollInterval(int milliseconds) {
    timer_.start(milliseconds);
}

QVariant ConnectionListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const Entry& e = entries_[static_cast<size_t>(index.row())];
    switch (role) {
        case Qt::DisplayRole:
            return displayText(e);
        case Qt::ToolTipRole:
            return tr("Connection %1 (%2)%3\nSent %4, received %5.")
                .arg(e.id)
                .arg(e.kind == Kind::Client ? tr("a client connection of this window")
                                            : tr("the built-in server's side of a client's connection"))
                .arg(e.peer.isEmpty() ? QString() : tr(" with %1").arg(e.peer))
                .arg(framesAndBytes(e.frames[kOut], e.bytes[kOut]),
                     framesAndBytes(e.frames[kIn], e.bytes[kIn]));
        case IdRole:
            return QVariant::fromValue<quint32>(e.id);
        case KindRole:
            return int(e.kind);
        case PeerRole:
            return e.peer;
        case StateRole:
            return e.state;
        case LiveRole:
            return e.live;
        case FramesOutRole:
            return QVariant::fromValue<qulonglong>(e.frames[kOut]);
        case FramesInRole:
            return QVariant::fromValue<qulonglong>(e.frames[kIn]);
        case BytesOutRole:
            return QVariant::fromValue<qulonglong>(e.bytes[kOut]);
        case BytesInRole:
            return QVariant::fromValue<qulonglong>(e.bytes[kIn]);
        default:
            return {};
    }
}

QString ConnectionListModel::displayText(const Entry& e) const {
    const QString kind = e.leg == Leg::Client     ? tr("proxy, app leg")
                         : e.leg == Leg::Upstream ? tr("proxy, upstream leg")
                         : e.kind == Kind::Client ? tr("client")
                                                  : tr("server side");
    const QString state = e.state.isEmpty() ? QStringLiteral("…") : e.state;
    return QStringLiteral("#%1 %2 · %3\n%4\n→ %5  ← %6")
        .arg(e.id)
        .arg(kind, state, e.peer.isEmpty() ? tr("peer not known yet") : e.peer,
             framesAndBytes(e.frames[kOut], e.bytes[kOut]), framesAndBytes(e.frames[kIn], e.bytes[kIn]));
}

void ConnectionListModel::refresh() {
    if (store_.generation() != generation_) restartAfterClear();
    const uint64_t evicted = store_.evictedRows();
    if (evicted != evicted_) {
        scanned_ -= std::min<uint64_t>(scanned_, evicted - evicted_);
        evicted_ = evicted;
    }
    const size_t end = store_.size();
    if (end <= scanned_) return;
    std::vector<int> changed;
    const int before = rowCount();
    for (size_t row = scanned_; row < end; ++row)
        readRecord(row, changed);
    scanned_ = end;
    if (!fresh_.empty()) {
        beginInsertRows({}, before, before + static_cast<int>(fresh_.size()) - 1);
        entries_.insert(entries_.end(), fresh_.begin(), fresh_.end());
        fresh_.clear();
        endInsertRows();
    }
    fillPeers();
    if (changed.empty()) return;
    const auto [low, high] = std::minmax_element(changed.begin(), changed.end());
    emit dataChanged(index(*low), index(*high));
}

ConnectionListModel::Entry& ConnectionListModel::entryFor(uint32_t id, std::vector<int>& changed) {
    const auto found = rows_.find(id);
    if (found == rows_.end()) {
        Entry entry;
        entry.id = id;
        entry.kind = id >= serverIdBase_ ? Kind::ServerSide : Kind::Client;
        rows_.emplace(id, static_cast<int>(entries_.size() + fresh_.size()));
        fresh_.push_back(entry);
        return fresh_.back();
    }
    const auto row = static_cast<size_t>(found->second);
    if (row >= entries_.size()) return fresh_[row - entries_.size()];  // announced at the end of refresh()
    if (changed.empty() || changed.back() != found->second) changed.push_back(found->second);
    return entries_[row];
}

void ConnectionListModel::readRecord(size_t row, std::vector<int>& changed) {
    const CaptureRecord& record = store_.record(row);
    if (record.connectionId == 0) return;  // a server-wide note, not a connection
    Entry& entry = entryFor(record.connectionId, changed);
    if (record.leg != Leg::None) entry.leg = record.leg;
    if (record.isNote()) return readNote(entry, record, row);
    const size_t direction = static_cast<size_t>(record.direction);
    ++entry.frames[direction];
    entry.bytes[direction] += record.headerSize + record.payloadLength;
    if (record.opcode == opcode::kClose && entry.state == QLatin1String("Open"))
        entry.state = QStringLiteral("Closing");
}

void ConnectionListModel::readNote(Entry& entry, const CaptureRecord& record, size_t row) {
    const std::string_view text = store_.noteText(row);
    QString state;
    if (record.kind == RecordKind::Status) {
        state = stateOfStatus(text);
    } else if (record.kind == RecordKind::HandshakeResponse && text.starts_with("HTTP/1.1 101")) {
        state = QStringLiteral("Open");
    }
    if (state.isEmpty()) return;
    entry.state = state;
    entry.live = isLive(state);
}

// Endpoints arrive once per connection, after its TCP connection is up: they give the peer and the kind.
void ConnectionListModel::fillPeers() {
    const bool missing =
        std::any_of(entries_.begin(), entries_.end(), [](const Entry& e) { return e.peer.isEmpty(); });
    if (!missing) return;
    for (const CapturedConnection& c : store_.connections()) {
        const int row = rowOfConnection(c.connectionId);
        if (row < 0 || !entries_[static_cast<size_t>(row)].peer.isEmpty()) continue;
        Entry& entry = entries_[static_cast<size_t>(row)];
        entry.kind = c.clientToServer == Direction::Outgoing ? Kind::Client : Kind::ServerSide;
        entry.peer = entry.kind == Kind::Client ? addressText(c.serverAddress, c.ipVersion, c.serverPort)
                                                : addressText(c.clientAddress, c.ipVersion, c.clientPort);
        emit dataChanged(index(row), index(row));
    }
}

void ConnectionListModel::restartAfterClear() {
    beginResetModel();
    std::erase_if(entries_, [](const Entry& e) { return !e.live; });
    rows_.clear();
    for (size_t row = 0; row < entries_.size(); ++row) {
        entries_[row].frames = {};
        entries_[row].bytes = {};
        rows_.emplace(entries_[row].id, static_cast<int>(row));
    }
    scanned_ = 0;
    generation_ = store_.generation();
    evicted_ = store_.evictedRows();
    endResetModel();
}

}  // namespace framescope::app
