// ConnectionOptions (all but the URL) in QSettings under the group "connection", and back. The proxy
// password is never written.
#pragma once

#include "net/connection_types.h"

class QSettings;

namespace framescope::ui {

// The window's defaults: ConnectionOptions' own, plus a permessage-deflate offer as browsers make.
app::ConnectionOptions defaultWindowOptions();

void saveConnectionOptions(QSettings& settings, const app::ConnectionOptions& options);
// Missing keys keep defaultWindowOptions().
app::ConnectionOptions loadConnectionOptions(QSettings& settings);

}  // namespace framescope::ui
