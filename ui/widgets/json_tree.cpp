#include "widgets/json_tree.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTreeWidget>

namespace framescope::ui {

namespace {

QString typeName(const QJsonValue& value) {
    switch (value.type()) {
        case QJsonValue::Null:
            return QStringLiteral("null");
        case QJsonValue::Bool:
            return QStringLiteral("boolean");
        case QJsonValue::Double:
            return QStringLiteral("number");
        case QJsonValue::String:
            return QStringLiteral("string");
        case QJsonValue::Array:
            return QStringLiteral("array");
        case QJsonValue::Object:
            return QStringLiteral("object");
        case QJsonValue::Undefined:
            break;
    }
    return QStringLiteral("undefined");
}

QString scalarText(const QJsonValue& value) {
    switch (value.type()) {
        case QJsonValue::Null:
            return QStringLiteral("null");
        case QJsonValue::Bool:
            return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        case QJsonValue::Double:
            return QString::number(value.toDouble(), 'g', 17);
        case QJsonValue::String: {
            // A cell is laid out whole on every paint: a 1 MiB string cost half a second per repaint.
            const QString text = value.toString();
            if (text.size() <= kJsonValueChars) return QLatin1Char('"') + text + QLatin1Char('"');
            return QStringLiteral("\"%1\"… (%L2 characters)")
                .arg(text.left(kJsonValueChars))
                .arg(text.size());
        }
        case QJsonValue::Array:
            return QStringLiteral("[%1 items]").arg(value.toArray().size());
        case QJsonValue::Object:
            return QStringLiteral("{%1 keys}").arg(value.toObject().size());
        case QJsonValue::Undefined:
            break;
    }
    return {};
}

class TreeFiller {
public:
    explicit TreeFiller(int maxItems) : budget_(maxItems) {}

    void add(QTreeWidgetItem* parent, const QString& key, const QJsonValue& value) {
        if (budget_ <= 0) {
            truncated_ = true;
            return;
        }
        --budget_;
        ++added_;
        auto* item = new QTreeWidgetItem(parent, {key, scalarText(value), typeName(value)});
        if (value.isObject()) {
            const QJsonObject object = value.toObject();
            for (auto it = object.begin(); it != object.end(); ++it)
                add(item, it.key(), it.value());
        } else if (value.isArray()) {
            const QJsonArray array = value.toArray();
            for (qsizetype i = 0; i < array.size(); ++i)
                add(item, QStringLiteral("[%1]").arg(i), array.at(i));
        }
    }

    int added() const { return added_; }
    bool truncated() const { return truncated_; }

private:
    int budget_;
    int added_ = 0;
    bool truncated_ = false;
};

}  // namespace

int fillJsonTree(QTreeWidget* tree, const QJsonDocument& document, int maxItems) {
    tree->clear();
    tree->setUpdatesEnabled(false);
    auto* root = new QTreeWidgetItem(tree);
    const QJsonValue value =
        document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
    root->setText(0, QStringLiteral("(root)"));
    root->setText(1, scalarText(value));
    root->setText(2, typeName(value));
    TreeFiller filler(maxItems);
    if (document.isArray()) {
        const QJsonArray array = document.array();
        for (qsizetype i = 0; i < array.size(); ++i)
            filler.add(root, QStringLiteral("[%1]").arg(i), array.at(i));
    } else {
        const QJsonObject object = document.object();
        for (auto it = object.begin(); it != object.end(); ++it)
            filler.add(root, it.key(), it.value());
    }
    if (filler.truncated()) {
        new QTreeWidgetItem(tree, {QObject::tr("… more items not shown"), QString(), QString()});
    }
    tree->expandToDepth(1);
    tree->setUpdatesEnabled(true);
    return filler.added() + 1 + (filler.truncated() ? 1 : 0);
}

QString reindentJson(const QString& json, int indent) {
    QString out;
    out.reserve(json.size() * 2);
    int depth = 0;
    bool inString = false;
    auto newline = [&out, &depth, indent] {
        out += QLatin1Char('\n');
        out += QString(depth * indent, QLatin1Char(' '));
    };
    for (qsizetype i = 0; i < json.size(); ++i) {
        const QChar c = json[i];
        if (inString) {
            out += c;
            if (c == u'\\' && i + 1 < json.size()) out += json[++i];
            if (c == u'"') inString = false;
            continue;
        }
        if (c.isSpace()) continue;
        if (c == u'"') {
            inString = true;
            out += c;
        } else if (c == u'{' || c == u'[') {
            qsizetype next = i + 1;
            while (next < json.size() && json[next].isSpace())
                ++next;
            if (next < json.size() && (json[next] == u'}' || json[next] == u']')) {
                out += c;
                out += json[next];
                i = next;
                continue;
            }
            out += c;
            ++depth;
            newline();
        } else if (c == u'}' || c == u']') {
            --depth;
            newline();
            out += c;
        } else if (c == u',') {
            out += c;
            newline();
        } else if (c == u':') {
            out += QStringLiteral(": ");
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace framescope::ui
