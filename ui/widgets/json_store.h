// Named JSON objects kept in one JSON file: the crafter's templates and the composer's saved messages.
// Every call reads or rewrites the file, so two widgets sharing a file stay in step.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace framescope::ui {

class JsonStore {
public:
    explicit JsonStore(const QString& path = {}) : path_(path) {}

    // <writable app config location>/<fileName>, e.g. ~/.config/FrameScope/crafter-templates.json.
    static QString defaultPath(const QString& fileName);

    void setPath(const QString& path) { path_ = path; }
    const QString& path() const { return path_; }

    QStringList names() const;  // sorted
    bool contains(const QString& name) const;
    QJsonObject value(const QString& name) const;  // empty if absent
    bool insert(const QString& name, const QJsonObject& value, QString* error = nullptr);
    bool remove(const QString& name, QString* error = nullptr);

private:
    QJsonObject readAll() const;
    bool writeAll(const QJsonObject& all, QString* error) const;

    QString path_;
};

}  // namespace framescope::ui
