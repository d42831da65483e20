// TLS helpers shared by the client connection and the echo server: loading PEM files and turning
// certificate errors into one sentence that names the failed check and the certificate.
#pragma once

#include <QList>
#include <QSslCertificate>
#include <QSslError>
#include <QSslKey>
#include <QString>

namespace framescope::app {

// Loads every certificate of a PEM file. Empty list and `error` set when none could be read.
QList<QSslCertificate> loadCertificates(const QString& file, QString& error);
// Loads a PEM private key (RSA or EC, unencrypted). Null key and `error` set on failure.
QSslKey loadPrivateKey(const QString& file, QString& error);
// "CN=name, O=org" for the subject or the issuer of `certificate`.
QString certificateSubject(const QSslCertificate& certificate);
QString certificateIssuer(const QSslCertificate& certificate);
// "The certificate is self-signed, and untrusted (check: SelfSignedCertificate; subject ..., issuer ...)";
// several errors are joined with "; ".
QString describeSslErrors(const QList<QSslError>& errors);

}  // namespace framescope::app
