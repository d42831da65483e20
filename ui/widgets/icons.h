// The hand-drawn SVG icons of resources/icons, compiled into framescope_widgets.
#pragma once

#include <QIcon>
#include <QString>

namespace framescope::ui {

// The icon resources/icons/<name>.svg ("send", "ping", "close", "copy", "open", "save", "dice", "format",
// "repeat"). Registers the resources on first use.
QIcon icon(const QString& name);

}  // namespace framescope::ui
