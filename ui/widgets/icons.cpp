#include "widgets/icons.h"

// Q_INIT_RESOURCE must be called from the global namespace.
static void initFramescopeResources() {
    Q_INIT_RESOURCE(framescope);
}

namespace framescope::ui {

QIcon icon(const QString& name) {
    static const bool registered = [] {
        initFramescopeResources();
        return true;
    }();
    Q_UNUSED(registered);
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(name));
}

}  // namespace framescope::ui
