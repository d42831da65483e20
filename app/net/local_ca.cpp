// LocalCa: OpenSSL's libcrypto makes the keys and certificates (Qt can read certificates but not make
// them); Qt's QSslCertificate and QSslKey carry them to the sockets. See local_ca.h.
#include "net/local_ca.h"

#include <QDir>
#include <QFile>
#include <QFileDevice>
#include <QFileInfo>
#include <QHostAddress>
#include <QMutexLocker>
#include <QStandardPaths>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace framescope::app {

namespace {

constexpr long kCaDays = 3650;
// Apple's and the browsers' limit for a leaf certificate's life is 398 days.
constexpr long kLeafDays = 397;
constexpr long kBackdateSeconds = 3600;  // clocks a little behind ours still accept a fresh leaf

struct KeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertFree {
    void operator()(X509* cert) const { X509_free(cert); }
};
struct BioFree {
    void operator()(BIO* bio) const { BIO_free(bio); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;
using CertPtr = std::unique_ptr<X509, CertFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

// The last OpenSSL error as text, for a sentence.
QString opensslReason() {
    char text[256] = "unknown error";
    if (const unsigned long code = ERR_get_error()) ERR_error_string_n(code, text, sizeof text);
    ERR_clear_error();
    return QString::fromLatin1(text);
}

KeyPtr newKey() {
    return KeyPtr(EVP_EC_gen("P-256"));
}

QByteArray keyToPem(EVP_PKEY* key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, static_cast<qsizetype>(size));
}

QByteArray certToPem(X509* cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return {};
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, static_cast<qsizetype>(size));
}

KeyPtr keyFromPem(const QByteArray& pem) {
    BioPtr bio(BIO_new_mem_buf(pem.constData(), static_cast<int>(pem.size())));
    return KeyPtr(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

CertPtr certFromPem(const QByteArray& pem) {
    BioPtr bio(BIO_new_mem_buf(pem.constData(), static_cast<int>(pem.size())));
    return CertPtr(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

bool addExtension(X509* cert, X509V3_CTX* context, int nid, const QByteArray& value) {
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, context, nid, value.constData());
    if (!extension) return false;
    const bool added = X509_add_ext(cert, extension, -1) == 1;
    X509_EXTENSION_free(extension);
    return added;
}

bool setName(X509_NAME* name, const QByteArray& commonName) {
    const auto add = [name](const char* field, const QByteArray& value) {
        return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                          reinterpret_cast<const unsigned char*>(value.constData()),
                                          static_cast<int>(value.size()), -1, 0) == 1;
    };
    return add("CN", commonName) && add("O", "FrameScope");
}

// A random positive 63-bit serial number (RFC 5280 §4.1.2.2: unique per CA, at most 20 octets).
bool setRandomSerial(X509* cert) {
    BIGNUM* number = BN_new();
    bool ok = number && BN_rand(number, 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) == 1 &&
              BN_to_ASN1_INTEGER(number, X509_get_serialNumber(cert)) != nullptr;
    BN_free(number);
    return ok;
}

// The certificate's frame: version 3, serial, validity, subject, public key. Extensions come after.
CertPtr newCertificate(EVP_PKEY* key, const QByteArray& commonName, long days) {
    CertPtr cert(X509_new());
    const bool ok = cert && X509_set_version(cert.get(), 2) == 1 && setRandomSerial(cert.get()) &&
                    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds) &&
                    X509_gmtime_adj(X509_getm_notAfter(cert.get()), days * 24 * 3600) &&
                    setName(X509_get_subject_name(cert.get()), commonName) &&
                    X509_set_pubkey(cert.get(), key) == 1;
    return ok ? std::move(cert) : CertPtr();
}

QSslKey toQtKey(const QByteArray& pem) {
    return QSslKey(pem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
}

bool writePrivateFile(const QString& path, const QByteArray& bytes, QString& error) {
    QFile file(path);
    // Owner-only before the key is written, not after.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(bytes) != bytes.size()) {
        error = QString("Cannot write the CA key file %1: %2.").arg(path, file.errorString());
        return false;
    }
    return true;
}

}  // namespace

QString LocalCa::defaultDirectory() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/ca";
}

QString LocalCa::certificateFileIn(const QString& directory) {
    return QDir(directory.isEmpty() ? defaultDirectory() : directory).filePath("framescope-ca.pem");
}

bool LocalCa::open(const QString& directory, QString& error) {
    const QString dir = directory.isEmpty() ? defaultDirectory() : directory;
    if (!QDir().mkpath(dir)) {
        error = QString("Cannot create the CA directory %1.").arg(dir);
        return false;
    }
    QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    certificateFile_ = certificateFileIn(dir);
    keyFile_ = QDir(dir).filePath("framescope-ca-key.pem");
    if (!(QFile::exists(certificateFile_) ? load(error) : create(error))) return false;
    KeyPtr leafKey = newKey();
    leafKeyPem_ = leafKey ? keyToPem(leafKey.get()) : QByteArray();
    leafKey_ = toQtKey(leafKeyPem_);
    if (leafKey_.isNull()) {
        error = "Cannot make a key for the intercepted hosts' certificates: " + opensslReason() + ".";
        return false;
    }
    return true;
}

bool LocalCa::load(QString& error) {
    QFile certFile(certificateFile_);
    QFile keyFile(keyFile_);
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
        error = QString("Cannot read the CA files %1 and %2.").arg(certificateFile_, keyFile_);
        return false;
    }
    const QByteArray certPem = certFile.readAll();
    caKeyPem_ = keyFile.readAll();
    const CertPtr cert = certFromPem(certPem);
    const KeyPtr key = keyFromPem(caKeyPem_);
    if (!cert || !key || X509_check_private_key(cert.get(), key.get()) != 1) {
        error = QString(
                    "The CA files in %1 are not a PEM certificate and its private key; delete them to "
                    "make a new CA.")
                    .arg(QFileInfo(certificateFile_).path());
        ERR_clear_error();
        return false;
    }
    certificate_ = QSslCertificate(certPem, QSsl::Pem);
    return true;
}

bool LocalCa::create(QString& error) {
    const KeyPtr key = newKey();
    CertPtr cert = key ? newCertificate(key.get(), "FrameScope Local CA", kCaDays) : CertPtr();
    bool ok = cert && X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) == 1;
    if (ok) {
        X509V3_CTX context;
        X509V3_set_ctx(&context, cert.get(), cert.get(), nullptr, nullptr, 0);
        // RFC 5280 §4.2.1.9 and §4.2.1.3: a CA that signs certificates and nothing else.
        ok = addExtension(cert.get(), &context, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
             addExtension(cert.get(), &context, NID_key_usage, "critical,keyCertSign,cRLSign") &&
             addExtension(cert.get(), &context, NID_subject_key_identifier, "hash") &&
             X509_sign(cert.get(), key.get(), EVP_sha256()) > 0;
    }
    if (!ok) {
        error = "Cannot make the local CA: " + opensslReason() + ".";
        return false;
    }
    caKeyPem_ = keyToPem(key.get());
    const QByteArray certPem = certToPem(cert.get());
    if (!writePrivateFile(keyFile_, caKeyPem_, error)) return false;
    QFile certFile(certificateFile_);
    if (!certFile.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        certFile.write(certPem) != certPem.size()) {
        error =
            QString("Cannot write the CA certificate %1: %2.").arg(certificateFile_, certFile.errorString());
        return false;
    }
    certificate_ = QSslCertificate(certPem, QSsl::Pem);
    return true;
}

bool LocalCa::leafFor(const QString& host, QSslCertificate& certificate, QSslKey& key, QString& error) {
    QMutexLocker lock(&mutex_);
    key = leafKey_;
    if (const auto found = leaves_.constFind(host); found != leaves_.constEnd()) {
        certificate = *found;
        return true;
    }
    const KeyPtr caKey = keyFromPem(caKeyPem_);
    const KeyPtr leafKey = keyFromPem(leafKeyPem_);
    const CertPtr ca = certFromPem(certificate_.toPem());
    const QByteArray name = host.toUtf8();
    CertPtr cert = caKey && leafKey && ca ? newCertificate(leafKey.get(), name, kLeafDays) : CertPtr();
    bool ok = cert && X509_set_issuer_name(cert.get(), X509_get_subject_name(ca.get())) == 1;
    if (ok) {
        X509V3_CTX context;
        X509V3_set_ctx(&context, ca.get(), cert.get(), nullptr, nullptr, 0);
        // RFC 6125 §6.4: clients match the name in subjectAltName, an IP address as an iPAddress entry.
        const bool isAddress = !QHostAddress(host).isNull();
        ok = addExtension(cert.get(), &context, NID_basic_constraints, "critical,CA:FALSE") &&
             addExtension(cert.get(), &context, NID_key_usage, "critical,digitalSignature") &&
             addExtension(cert.get(), &context, NID_ext_key_usage, "serverAuth") &&
             addExtension(cert.get(), &context, NID_subject_alt_name, (isAddress ? "IP:" : "DNS:") + name) &&
             addExtension(cert.get(), &context, NID_subject_key_identifier, "hash") &&
             addExtension(cert.get(), &context, NID_authority_key_identifier, "keyid:always") &&
             X509_sign(cert.get(), caKey.get(), EVP_sha256()) > 0;
    }
    if (!ok) {
        error = QString("Cannot make a certificate for %1: %2.").arg(host, opensslReason());
        return false;
    }
    certificate = QSslCertificate(certToPem(cert.get()), QSsl::Pem);
    leaves_.insert(host, certificate);
    return true;
}

}  // namespace framescope::app
