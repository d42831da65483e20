#include "window/decoded_tour.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QSplitter>
#include <QTabWidget>
#include <QThread>
#include <QTreeWidget>

#include <cstdio>
#include <functional>

#include "widgets/composer.h"
#include "widgets/decoded_view.h"
#include "widgets/frame_inspector.h"
#include "window/connection_bar.h"
#include "window/filter_bar.h"
#include "window/frame_log_view.h"
#include "window/main_window.h"
#include "window/protocol_composer.h"
#include "window/screenshot_tour.h"
#include "window/session_controller.h"

namespace framescope::ui {

namespace {

// Data messages received so far on the current connection (their last frames).
size_t incomingMessages(MainWindow& window) {
    const app::CaptureStore& store = window.controller()->store();
    size_t count = 0;
    for (size_t row = 0; row < store.size(); ++row) {
        const auto& r = store.record(row);
        if (!r.isNote() && r.direction == app::Direction::Incoming && r.endsMessage() &&
            !isControlOpcode(r.opcode))
            ++count;
    }
    return count;
}

void send(MainWindow& window, Composer::Mode mode, const QString& text) {
    window.composer()->setMode(mode);
    window.composer()->setMessageText(text);
    window.composer()->send();
    waitFor([] { return false; }, 150);
}

bool connectTo(MainWindow& window, const QString& url) {
    window.connectionBar()->setUrl(url);
    window.connectToUrl();
    return waitFor([&] { return window.controller()->isOpen(); }, 10000);
}

// Selects the last message whose payload starts with `prefix` (in `direction`), shows its Decoded tab and
// selects the tree item named `field`.
bool showDecoded(MainWindow& window, app::Direction direction, const QByteArray& prefix,
                 const QString& field) {
    const app::CaptureStore& store = window.controller()->store();
    window.controller()->model()->fetchPublished();
    for (size_t row = store.size(); row-- > 0;) {
        const auto& r = store.record(row);
        const auto payload = store.payload(row);
        if (r.isNote() || r.direction != direction || !r.endsMessage() ||
            payload.size() < size_t(prefix.size()))
            continue;
        if (QByteArray(reinterpret_cast<const char*>(payload.data()), prefix.size()) != prefix) continue;
        window.selectStoreRow(row);
        window.inspector()->payloadTabs()->setCurrentIndex(FrameInspector::DecodedTab);
        QTreeWidget* tree = window.inspector()->decodedView()->tree();
        const auto items = tree->findItems(field, Qt::MatchExactly | Qt::MatchRecursive);
        if (!items.isEmpty()) tree->setCurrentItem(items.first());
        return window.inspector()->decodedView()->treeShown();
    }
    std::fprintf(stderr, "framescope: no message starting with %s\n", prefix.constData());
    return false;
}

bool save(MainWindow& window, const QDir& dir, const QString& name) {
    waitFor([] { return false; }, 300);
    const QString path = dir.filePath(name);
    if (window.grab().save(path)) return true;
    std::fprintf(stderr, "framescope: cannot write %s\n", qPrintable(path));
    return false;
}

bool socketIo(MainWindow& window, const QDir& dir, const QString& url) {
    if (!connectTo(window, url)) return false;
    waitFor([&] { return incomingMessages(window) >= 1; }, 5000);  // Engine.IO open
    send(window, Composer::Mode::Text, QStringLiteral("40"));
    waitFor([&] { return incomingMessages(window) >= 3; }, 5000);  // CONNECT and the welcome event
    send(window, Composer::Mode::Text, QStringLiteral(R"(421["chat",{"text":"hello from FrameScope"}])"));
    send(window, Composer::Mode::Text, QStringLiteral(R"(42["typing",{"user":"ada"}])"));
    waitFor([&] { return incomingMessages(window) >= 4; }, 5000);  // the ack
    return showDecoded(window, app::Direction::Incoming, "431", QStringLiteral("received")) &&
           save(window, dir, QStringLiteral("window-decoded-socketio.png"));
}

bool mqtt(MainWindow& window, const QDir& dir, const QString& url) {
    if (!connectTo(window, url)) return false;
    const size_t before = incomingMessages(window);
    // CONNECT (client id "framescope"), SUBSCRIBE sensors/# QoS 1 #1, PUBLISH sensors/1 QoS 1 #17 "21.5".
    send(window, Composer::Mode::Hex,
         QStringLiteral("10 16 00 04 4d 51 54 54 04 02 00 3c 00 0a 66 72 61 6d 65 73 63 6f 70 65"));
    send(window, Composer::Mode::Hex, QStringLiteral("82 0e 00 01 00 09 73 65 6e 73 6f 72 73 2f 23 01"));
    send(window, Composer::Mode::Hex,
         QStringLiteral("32 11 00 09 73 65 6e 73 6f 72 73 2f 31 00 11 32 31 2e 35"));
    waitFor([&] { return incomingMessages(window) >= before + 4; }, 5000);  // CONNACK SUBACK PUBACK PUBLISH
    return showDecoded(window, app::Direction::Outgoing, QByteArray("\x32\x11", 2),
                       QStringLiteral("topic")) &&
           save(window, dir, QStringLiteral("window-decoded-mqtt.png"));
}

// "Compose as…" builds an MQTT PUBLISH; the log is narrowed by a search over decoded fields.
bool composeAndSearch(MainWindow& window, const QDir& dir) {
    window.toolTabs()->setCurrentIndex(MainWindow::ProtocolComposerTab);
    app::MessageForm form;
    form.kind = app::MessageForm::Kind::MqttPublish;
    form.topic = "sensors/2";
    form.qos = 1;
    form.packetId = 18;
    form.payload = "19.25";
    window.protocolComposer()->setForm(form);
    const size_t before = incomingMessages(window);
    window.protocolComposer()->send();
    waitFor([&] { return incomingMessages(window) >= before + 2; }, 5000);  // PUBACK and the PUBLISH back
    app::CaptureFilter filter;
    filter.searchMode = app::SearchMode::Decoded;
    filter.search = QStringLiteral("type=PUBLISH topic:sensors/");
    window.logView()->filterBar()->setFilter(filter);
    window.leftSplitter()->setSizes({330, 570});  // room for the form and the bytes it sends
    return showDecoded(window, app::Direction::Outgoing, QByteArray("\x32\x12", 2),
                       QStringLiteral("payload")) &&
           save(window, dir, QStringLiteral("window-decoded-compose.png"));
}

}  // namespace

int runDecodedTour(MainWindow& window, const QString& directory, const QString& socketIoUrl,
                   const QString& mqttUrl) {
    QDir dir(directory);
    if (!dir.mkpath(QStringLiteral("."))) {
        std::fprintf(stderr, "framescope: cannot create %s\n", qPrintable(directory));
        return 1;
    }
    window.resize(1440, 900);
    window.setConnectionsListShown(false);
    window.mainSplitter()->setSizes({0, 840, 600});
    window.leftSplitter()->setSizes({640, 260});
    window.toolTabs()->setCurrentIndex(MainWindow::ComposerTab);
    bool ok = socketIo(window, dir, socketIoUrl);
    window.disconnectFromPeer();
    waitFor([&] { return !window.controller()->isActive(); }, 5000);
    ok = mqtt(window, dir, mqttUrl) && ok;
    ok = composeAndSearch(window, dir) && ok;
    window.disconnectFromPeer();
    return ok ? 0 : 1;
}

}  // namespace framescope::ui
