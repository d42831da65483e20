// Screenshots of decoded application protocols for the README: the window talks Socket.IO to a real
// socket.io server and MQTT to a real broker (tests/interop/decoders/screenshot_peers.mjs), typing the
// protocols' messages in the composer, and saves the inspector's Decoded tab on a request/response pair.
#pragma once

#include <QString>

namespace framescope::ui {

class MainWindow;

// Saves window-decoded-socketio.png and window-decoded-mqtt.png into `directory`; 0 on success.
int runDecodedTour(MainWindow& window, const QString& directory, const QString& socketIoUrl,
                   const QString& mqttUrl);

}  // namespace framescope::ui
