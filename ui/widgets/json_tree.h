// Fills a QTreeWidget (columns: key, value, type) from a JSON document, stopping after a number of items so
// huge documents stay responsive.
#pragma once

#include <QJsonDocument>
#include <QString>

class QTreeWidget;

namespace framescope::ui {

// Strings longer than kJsonValueChars show their first kJsonValueChars characters and their length.
inline constexpr qsizetype kJsonValueChars = 1000;

// Returns the number of items added (at most maxItems, plus one "… more" item when cut).
int fillJsonTree(QTreeWidget* tree, const QJsonDocument& document, int maxItems = 50000);

// Re-indents valid JSON text without parsing it into values, so key order and number spellings (big
// integers included) stay exactly as typed. Meant for text that QJsonDocument already accepted.
QString reindentJson(const QString& json, int indent = 4);

}  // namespace framescope::ui
