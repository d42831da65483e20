// SHA-1, Base64 and the Sec-WebSocket-Accept computation (RFC 6455 §1.3, §4.2.2).
#include <QTest>

#include <string>

#include "framescope/crypto.h"

using namespace framescope;

namespace {

std::string hex(const Sha1Digest& digest) {
    static const char* const digits = "0123456789abcdef";
    std::string out;
    for (uint8_t b : digest) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 15]);
    }
    return out;
}

QByteArray qbytes(const std::string& s) {
    return QByteArray(s.data(), static_cast<qsizetype>(s.size()));
}

}  // namespace

class TestCrypto : public QObject {
    Q_OBJECT

private slots:
    void sha1Vectors_data() {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("digest");
        // FIPS 180 examples.
        QTest::newRow("empty") << QByteArray() << QByteArray("da39a3ee5e6b4b0d3255bfef95601890afd80709");
        QTest::newRow("abc") << QByteArray("abc") << QByteArray("a9993e364706816aba3e25717850c26c9cd0d89d");
        QTest::newRow("448 bits") << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                                  << QByteArray("84983e441c3bd26ebaae4aa1f95129e5e54670f1");
        QTest::newRow("million a") << QByteArray(1000000, 'a')
                                   << QByteArray("34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    }
    void sha1Vectors() {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, digest);
        const std::string_view view(input.constData(), static_cast<size_t>(input.size()));
        QCOMPARE(qbytes(hex(sha1(view))), digest);
        // Twice on the same thread: the reused context must not carry state over.
        QCOMPARE(qbytes(hex(sha1(view))), digest);
    }

    void base64RoundTrip_data() {
        QTest::addColumn<QByteArray>("plain");
        QTest::addColumn<QByteArray>("encoded");
        // RFC 4648 §10 test vectors: every padding case.
        QTest::newRow("empty") << QByteArray() << QByteArray();
        QTest::newRow("f") << QByteArray("f") << QByteArray("Zg==");
        QTest::newRow("fo") << QByteArray("fo") << QByteArray("Zm8=");
        QTest::newRow("foo") << QByteArray("foo") << QByteArray("Zm9v");
        QTest::newRow("foob") << QByteArray("foob") << QByteArray("Zm9vYg==");
        QTest::newRow("fooba") << QByteArray("fooba") << QByteArray("Zm9vYmE=");
        QTest::newRow("foobar") << QByteArray("foobar") << QByteArray("Zm9vYmFy");
        QTest::newRow("binary") << QByteArray::fromHex("00fffe7f80") << QByteArray("AP/+f4A=");
        QTest::newRow("nonce") << QByteArray("the sample nonce") << QByteArray("dGhlIHNhbXBsZSBub25jZQ==");
    }
    void base64RoundTrip() {
        QFETCH(QByteArray, plain);
        QFETCH(QByteArray, encoded);
        const std::string_view view(plain.constData(), static_cast<size_t>(plain.size()));
        QCOMPARE(qbytes(base64Encode(view)), encoded);
        const auto decoded =
            base64Decode(std::string_view(encoded.constData(), static_cast<size_t>(encoded.size())));
        QVERIFY(decoded.has_value());
        QCOMPARE(QByteArray(reinterpret_cast<const char*>(decoded->data()),
                            static_cast<qsizetype>(decoded->size())),
                 plain);
    }

    void base64Invalid_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("length 1") << QByteArray("Z");
        QTest::newRow("no padding") << QByteArray("Zg");
        QTest::newRow("three pads") << QByteArray("Z===");
        QTest::newRow("four pads") << QByteArray("====");
        QTest::newRow("pad in middle") << QByteArray("Zg==Zm9v");
        QTest::newRow("pad then char") << QByteArray("Zm=v");
        QTest::newRow("space") << QByteArray("Zm9 ");
        QTest::newRow("leading space") << QByteArray(" Zm9v");
        QTest::newRow("url alphabet") << QByteArray("Zm-_");
        QTest::newRow("newline") << QByteArray("Zm9v\nZm9v");
    }
    void base64Invalid() {
        QFETCH(QByteArray, text);
        QVERIFY(
            !base64Decode(std::string_view(text.constData(), static_cast<size_t>(text.size()))).has_value());
    }

    void acceptKey_data() {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("accept");
        // RFC 6455 §1.3.
        QTest::newRow("rfc 6455 §1.3")
            << QByteArray("dGhlIHNhbXBsZSBub25jZQ==") << QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        // RFC 6455 §4.2.2 formula checked against sha1() + base64Encode() for a long key (heap path).
        const std::string longKey(400, 'k');
        const Sha1Digest digest = sha1(longKey + std::string(kWebSocketGuid));
        QTest::newRow("long key") << qbytes(longKey)
                                  << qbytes(base64Encode(std::span<const uint8_t>(digest)));
    }
    void acceptKey() {
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, accept);
        const std::string_view view(key.constData(), static_cast<size_t>(key.size()));
        QCOMPARE(qbytes(computeAcceptKey(view)), accept);
        char out[kAcceptKeySize];
        computeAcceptKey(view, out);
        QCOMPARE(QByteArray(out, kAcceptKeySize), accept);
    }
};

QTEST_APPLESS_MAIN(TestCrypto)
#include "tst_crypto.moc"
