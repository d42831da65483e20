// The forward proxy's local certificate authority, for intercepting wss:// inside CONNECT tunnels. Made
// with OpenSSL's libcrypto on first use: an EC P-256 key and a self-signed CA certificate (CA:TRUE,
// keyCertSign, ten years), kept in a directory (the key readable by its owner only) and reused on later
// runs. The user trusts its certificate file in the app under test; the proxy then answers each CONNECT
// with a leaf certificate for that host (subjectAltName DNS or IP, serverAuth) that the CA signs on demand.
#pragma once

#include <QHash>
#include <QMutex>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>

namespace framescope::app {

class LocalCa {
public:
    // QStandardPaths::AppDataLocation + "/ca".
    static QString defaultDirectory();
    // Where the CA certificate of `directory` (empty = the default) is, made or not.
    static QString certificateFileIn(const QString& directory);

    // Loads the CA from `directory` (empty = the default), or creates it there when it holds none. False
    // with `error` set to one sentence when it can be neither read nor made.
    bool open(const QString& directory, QString& error);

    // The CA certificate's PEM file: what the user trusts.
    QString certificateFile() const { return certificateFile_; }
    QSslCertificate certificate() const { return certificate_; }

    // A certificate for `host` (a name or an IP address) signed by the CA, and its key; made once per
    // host and kept. Thread-safe. False with `error` set when OpenSSL fails.
    bool leafFor(const QString& host, QSslCertificate& certificate, QSslKey& key, QString& error);

private:
    bool load(QString& error);
    bool create(QString& error);

    QString certificateFile_;
    QString keyFile_;
    QSslCertificate certificate_;
    QByteArray caKeyPem_;
    QByteArray leafKeyPem_;  // one key for every leaf: making a key per host buys nothing here
    QSslKey leafKey_;
    QMutex mutex_;
    QHash<QString, QSslCertificate> leaves_;
};

}  // namespace framescope::app
