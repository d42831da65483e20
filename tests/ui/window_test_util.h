// Helpers for the window tests: settings in a temporary directory, finding capture rows, waiting for them.
#pragma once

#include <QApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <functional>
#include <optional>

#include "capture/capture_store.h"
#include "window/main_window.h"

namespace framescope::ui::test {

// QSettings and QStandardPaths (the composer's and crafter's JSON stores) under a temporary directory.
inline void isolateSettings(const QTemporaryDir& dir) {
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    QApplication::setOrganizationName(QStringLiteral("FrameScope"));
    QApplication::setApplicationName(QStringLiteral("FrameScope"));
    QSettings().clear();
}

// A window whose capture holds only its own client connections (the built-in server's side of each
// conversation is left out), for tests that count or look up the client's rows.
inline MainWindowOptions clientSideOnly() {
    MainWindowOptions options;
    options.captureServerSide = false;
    return options;
}

using RowPredicate = std::function<bool(const app::CaptureStore&, size_t)>;

inline std::optional<size_t> findRow(const app::CaptureStore& store, const RowPredicate& predicate,
                                     size_t from = 0) {
    for (size_t row = from; row < store.size(); ++row) {
        if (predicate(store, row)) return row;
    }
    return std::nullopt;
}

inline size_t countRows(const app::CaptureStore& store, const RowPredicate& predicate) {
    size_t count = 0;
    for (size_t row = 0; row < store.size(); ++row)
        count += predicate(store, row) ? 1 : 0;
    return count;
}

inline QByteArray payloadOf(const app::CaptureStore& store, size_t row) {
    const auto bytes = store.payload(row);
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()));
}

// A frame row with this opcode and direction whose payload (inflated, when compressed) equals `payload`.
inline RowPredicate frameWith(uint8_t op, app::Direction direction, const QByteArray& payload) {
    return [op, direction, payload](const app::CaptureStore& store, size_t row) {
        const app::CaptureRecord& r = store.record(row);
        if (r.isNote() || r.opcode != op || r.direction != direction) return false;
        if (r.compressed()) {
            const auto inflated = store.inflated(row);
            return QByteArray(reinterpret_cast<const char*>(inflated.data()),
                              static_cast<qsizetype>(inflated.size())) == payload;
        }
        return payloadOf(store, row) == payload;
    };
}

}  // namespace framescope::ui::test
