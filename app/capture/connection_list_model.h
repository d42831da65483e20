// Every connection in a capture, one row each, in order of first appearance: its id, its kind (a client
// connection, or the server's side of one), its peer, its state, and frames and wire bytes per direction.
// Fed from the store alone (frames, status and handshake notes, endpoints): a poll a few times a second
// reads only the rows published since the last one, so a million-row capture costs nothing to keep up.
#pragma once

#include <QAbstractListModel>
#include <QTimer>

#include <array>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "capture/capture_store.h"

namespace framescope::app {

class ConnectionListModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum class Kind : uint8_t { Client, ServerSide };
    enum Role : int {
        IdRole = Qt::UserRole + 1,  // quint32
        KindRole,                   // int(Kind)
        PeerRole,                   // "127.0.0.1:6455", empty until known
        StateRole,                  // "Open", "Closed", … (empty until a note says)
        LiveRole,                   // bool: neither closed nor failed
        FramesOutRole,              // qulonglong, frames the capturing side sent
        FramesInRole,
        BytesOutRole,  // qulonglong, header and payload bytes as on the wire
        BytesInRole,
    };
    struct Entry {
        uint32_t id = 0;
        Kind kind = Kind::Client;
        Leg leg = Leg::None;  // a reverse proxy's leg (its app leg and upstream leg are two entries)
        QString peer;
        QString state;
        bool live = true;
        std::array<uint64_t, 2> frames{};  // by Direction (Incoming, Outgoing)
        std::array<uint64_t, 2> bytes{};
    };
    static constexpr int kDefaultPollIntervalMs = 250;

    // The store must outlive the model. Ids from `serverIdBase` up are the server's side when a capture
    // does not say (its endpoints do, once the TCP connection is up). Polls from the model's thread.
    ConnectionListModel(const CaptureStore& store, uint32_t serverIdBase, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

    const Entry& entry(int row) const { return entries_.at(static_cast<size_t>(row)); }
    int rowOfConnection(uint32_t id) const;  // -1 when not listed
    // Reads the rows published since the last call (the timer calls it too).
    void refresh();
    void setPollInterval(int milliseconds);

private:
    Entry& entryFor(uint32_t id, std::vector<int>& changed);
    void readRecord(size_t row, std::vector<int>& changed);
    void readNote(Entry& entry, const CaptureRecord& record, size_t row);
    void fillPeers();
    void restartAfterClear();
    QString displayText(const Entry& entry) const;

    const CaptureStore& store_;
    uint32_t serverIdBase_;
    QTimer timer_;
    std::vector<Entry> entries_;
    std::vector<Entry> fresh_;                // found during a refresh(), inserted at its end
    std::unordered_map<uint32_t, int> rows_;  // id → row
    size_t scanned_ = 0;
    uint64_t generation_ = 0;
    uint64_t evicted_ = 0;
};

}  // namespace framescope::app
