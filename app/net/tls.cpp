// TLS helpers: PEM loading and certificate error sentences.
#include "net/tls.h"

#include <QFile>
#include <QMetaEnum>
#include <QStringList>

namespace framescope::app {

namespace {

QString distinguishedName(const QSslCertificate& certificate, bool subject) {
    struct Part {
        QSslCertificate::SubjectInfo info;
        const char* label;
    };
    static constexpr Part kParts[] = {{QSslCertificate::CommonName, "CN"},
                                      {QSslCertificate::Organization, "O"},
                                      {QSslCertificate::OrganizationalUnitName, "OU"}};
    QStringList parts;
    for (const Part& part : kParts) {
        const QStringList values =
            subject ? certificate.subjectInfo(part.info) : certificate.issuerInfo(part.info);
        for (const QString& value : values)
            parts << QString("%1=%2").arg(part.label, value);
    }
    return parts.isEmpty() ? QString("(empty)") : parts.join(", ");
}

QString checkName(QSslError::SslError error) {
    const QMetaEnum meta = QMetaEnum::fromType<QSslError::SslError>();
    const char* key = meta.valueToKey(error);
    return key ? QString(key) : QString::number(static_cast<int>(error));
}

}  // namespace

QList<QSslCertificate> loadCertificates(const QString& file, QString& error) {
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly)) {
        error = QString("Cannot read the certificate file %1: %2.").arg(file, in.errorString());
        return {};
    }
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(in.readAll(), QSsl::Pem);
    if (certificates.isEmpty()) error = QString("The file %1 holds no PEM certificate.").arg(file);
    return certificates;
}

QSslKey loadPrivateKey(const QString& file, QString& error) {
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly)) {
        error = QString("Cannot read the key file %1: %2.").arg(file, in.errorString());
        return {};
    }
    const QByteArray pem = in.readAll();
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull()) return key;
    }
    error = QString("The file %1 holds no unencrypted PEM private key (RSA, EC or DSA).").arg(file);
    return {};
}

QString certificateSubject(const QSslCertificate& certificate) {
    return distinguishedName(certificate, true);
}

QString certificateIssuer(const QSslCertificate& certificate) {
    return distinguishedName(certificate, false);
}

QString describeSslErrors(const QList<QSslError>& errors) {
    QStringList sentences;
    for (const QSslError& error : errors) {
        QString text = error.errorString();
        if (text.endsWith('.')) text.chop(1);
        QString detail = QString("check: %1").arg(checkName(error.error()));
        if (!error.certificate().isNull()) {
            detail +=
                QString("; subject %1, issuer %2")
                    .arg(certificateSubject(error.certificate()), certificateIssuer(error.certificate()));
        }
        sentences << QString("%1 (%2)").arg(text, detail);
    }
    return sentences.join("; ");
}

}  // namespace framescope::app
