#include "widgets/json_store.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

namespace framescope::ui {

QString JsonStore::defaultPath(const QString& fileName) {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation)).filePath(fileName);
}

QStringList JsonStore::names() const {
    QStringList names = readAll().keys();
    names.sort(Qt::CaseInsensitive);
    return names;
}

bool JsonStore::contains(const QString& name) const {
    return readAll().contains(name);
}

QJsonObject JsonStore::value(const QString& name) const {
    return readAll().value(name).toObject();
}

bool JsonStore::insert(const QString& name, const QJsonObject& value, QString* error) {
    QJsonObject all = readAll();
    all.insert(name, value);
    return writeAll(all, error);
}

bool JsonStore::remove(const QString& name, QString* error) {
    QJsonObject all = readAll();
    all.remove(name);
    return writeAll(all, error);
}

QJsonObject JsonStore::readAll() const {
    QFile file(path_);
    if (path_.isEmpty() || !file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

bool JsonStore::writeAll(const QJsonObject& all, QString* error) const {
    if (path_.isEmpty()) {
        if (error) *error = QObject::tr("No file to save to.");
        return false;
    }
    QDir().mkpath(QFileInfo(path_).absolutePath());
    QSaveFile file(path_);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error) *error = QObject::tr("Cannot write %1: %2").arg(path_, file.errorString());
        return false;
    }
    file.write(QJsonDocument(all).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        if (error) *error = QObject::tr("Cannot write %1: %2").arg(path_, file.errorString());
        return false;
    }
    return true;
}

}  // namespace framescope::ui
