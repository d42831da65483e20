// Fills a QTreeWidget (columns: key, value, type) from a JSON document, stopping after a number of items so
// huge documents stay responsive.
#pragma once

#include <QJsonDocument>

class QTreeWidget;

namespace framescope::ui {

// Returns the number of items added (at most maxItems, plus one "… more" item when cut).
int fillJsonTree(QTreeWidget* tree, const QJsonDocument& document, int maxItems = 50000);

}  // namespace framescope::ui
