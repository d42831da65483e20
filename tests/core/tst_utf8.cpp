// Incremental UTF-8 validation (RFC 3629; RFC 6455 §8.1): each case whole, byte by byte and split at every
// position; exact fail-fast offsets; the ASCII fast path; an exhaustive cross-check against a decoder.
#include <QTest>

#include <string>
#include <unordered_map>
#include <vector>

#include "framescope/utf8.h"

using framescope::Utf8Validator;
using Result = Utf8Validator::Result;

Q_DECLARE_METATYPE(Utf8Validator::Result)

namespace {

std::span<const uint8_t> bytesOf(const QByteArray& a, qsizetype from = 0, qsizetype len = -1) {
    if (len < 0) len = a.size() - from;
    return {reinterpret_cast<const uint8_t*>(a.constData()) + from, static_cast<size_t>(len)};
}

// A decoder written the textbook way (RFC 3629 §3 and §4), independent of the validator's automaton.
bool decodesStrictly(const std::vector<uint8_t>& s) {
    size_t i = 0;
    while (i < s.size()) {
        const uint8_t b = s[i];
        // Sequence length from the lead byte's high bits (RFC 3629 §3), and the lead's payload bits.
        size_t len = 0;
        if (b < 0x80) {
            len = 1;
        } else if ((b & 0xE0) == 0xC0) {
            len = 2;
        } else if ((b & 0xF0) == 0xE0) {
            len = 3;
        } else if ((b & 0xF8) == 0xF0) {
            len = 4;
        } else {
            return false;
        }
        uint32_t cp = len == 1 ? b : b & (0x7Fu >> len);
        if (i + len > s.size()) return false;
        for (size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        const uint32_t minimum[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < minimum[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

// True if some continuation bytes (at most three) turn `s` into valid UTF-8.
bool canComplete(std::vector<uint8_t> s) {
    if (decodesStrictly(s)) return true;
    static const uint8_t kConts[] = {0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF};  // one of each range
    for (int extra = 1; extra <= 3; ++extra) {
        s.push_back(0);
        std::vector<size_t> idx(static_cast<size_t>(extra), 0);
        while (true) {
            for (size_t k = 0; k < idx.size(); ++k)
                s[s.size() - idx.size() + k] = kConts[idx[k]];
            if (decodesStrictly(s)) return true;
            size_t k = 0;
            while (k < idx.size() && ++idx[k] == std::size(kConts))
                idx[k++] = 0;
            if (k == idx.size()) break;
        }
    }
    return false;
}

bool canCompleteMemo(const std::vector<uint8_t>& s) {
    // Keyed by a string of the bytes: GCC 12 at -O3 warns falsely (-Wstringop-overread) inside
    // libstdc++'s ordering of vectors.
    static std::unordered_map<std::string, bool> memo;
    std::string key(s.begin(), s.end());
    const auto it = memo.find(key);
    if (it != memo.end()) return it->second;
    const bool result = canComplete(s);
    memo.emplace(std::move(key), result);
    return result;
}

// Expected outcome by definition: the first offset where the prefix can no longer be completed.
std::pair<Result, int64_t> expectedFor(const std::vector<uint8_t>& s) {
    for (size_t k = 1; k <= s.size(); ++k) {
        if (!canCompleteMemo({s.begin(), s.begin() + static_cast<ptrdiff_t>(k)})) {
            return {Result::Invalid, static_cast<int64_t>(k - 1)};
        }
    }
    return {decodesStrictly(s) ? Result::Complete : Result::Incomplete, -1};
}

void addValidRows() {
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("ascii") << QByteArray("Hello, WebSocket! 0123456789 ~\x7f\x01");
    QTest::newRow("nul") << QByteArray("\x00", 1);
    QTest::newRow("U+007F") << QByteArray("\x7f");
    QTest::newRow("U+0080") << QByteArray("\xc2\x80");
    QTest::newRow("U+07FF") << QByteArray("\xdf\xbf");
    QTest::newRow("U+0800") << QByteArray("\xe0\xa0\x80");
    QTest::newRow("U+D7FF") << QByteArray("\xed\x9f\xbf");
    QTest::newRow("U+E000") << QByteArray("\xee\x80\x80");
    QTest::newRow("U+FDD0") << QByteArray("\xef\xb7\x90");
    QTest::newRow("U+FFFE") << QByteArray("\xef\xbf\xbe");
    QTest::newRow("U+FFFF") << QByteArray("\xef\xbf\xbf");
    QTest::newRow("U+10000") << QByteArray("\xf0\x90\x80\x80");
    QTest::newRow("U+10FFFF") << QByteArray("\xf4\x8f\xbf\xbf");
    QTest::newRow("U+1F600") << QByteArray("\xf0\x9f\x98\x80");
    QTest::newRow("rfc6455 5.7 Hello") << QByteArray("Hello");
    QTest::newRow("greek kosme") << QByteArray("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5");
    QTest::newRow("mixed long") << QByteArray(
        "ASCII run that is longer than thirty-two bytes \xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5 then "
        "\xf0\x9f\x98\x80 more ASCII after it, long enough for the word loop \xef\xbf\xbf.");
}

void addInvalidRows() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qint64>("offset");
    QTest::newRow("overlong C0 80") << QByteArray("\xc0\x80") << qint64{0};
    QTest::newRow("overlong C1 BF") << QByteArray("\xc1\xbf") << qint64{0};
    QTest::newRow("overlong E0 80 80") << QByteArray("\xe0\x80\x80") << qint64{1};
    QTest::newRow("overlong E0 9F BF") << QByteArray("\xe0\x9f\xbf") << qint64{1};
    QTest::newRow("overlong F0 80 80 80") << QByteArray("\xf0\x80\x80\x80") << qint64{1};
    QTest::newRow("overlong F0 8F BF BF") << QByteArray("\xf0\x8f\xbf\xbf") << qint64{1};
    QTest::newRow("surrogate ED A0 80") << QByteArray("\xed\xa0\x80") << qint64{1};
    QTest::newRow("surrogate ED BF BF") << QByteArray("\xed\xbf\xbf") << qint64{1};
    QTest::newRow("above max F4 90 80 80") << QByteArray("\xf4\x90\x80\x80") << qint64{1};
    QTest::newRow("F5") << QByteArray("\xf5\x80\x80\x80") << qint64{0};
    QTest::newRow("FE") << QByteArray("\xfe") << qint64{0};
    QTest::newRow("FF") << QByteArray("\xff") << qint64{0};
    QTest::newRow("lone 80") << QByteArray("\x80") << qint64{0};
    QTest::newRow("lone BF after ascii") << QByteArray("abc\xbf") << qint64{3};
    QTest::newRow("extra continuation") << QByteArray("\xc2\x80\x80") << qint64{2};
    QTest::newRow("truncated 2 + ascii") << QByteArray(
                                                "\xc2"
                                                "A")
                                         << qint64{1};
    QTest::newRow("truncated 3 + ascii") << QByteArray(
                                                "\xe2\x82"
                                                "A")
                                         << qint64{2};
    QTest::newRow("truncated 4 + ascii") << QByteArray(
                                                "\xf0\x9f\x98"
                                                "A")
                                         << qint64{3};
    QTest::newRow("truncated 3 + lead") << QByteArray("\xe2\xc2\x80") << qint64{1};
    QTest::newRow("rfc6455 text then ED A0") << QByteArray("Hello\xed\xa0\x80world") << qint64{6};
    QTest::newRow("kosme then FF") << QByteArray("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xff")
                                   << qint64{11};
}

void addIncompleteRows() {
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("C2") << QByteArray("\xc2");
    QTest::newRow("E0 A0") << QByteArray("\xe0\xa0");
    QTest::newRow("ED 9F") << QByteArray("\xed\x9f");
    QTest::newRow("F0 90 80") << QByteArray("\xf0\x90\x80");
    QTest::newRow("F4 8F BF") << QByteArray("\xf4\x8f\xbf");
    QTest::newRow("ascii then E2 82") << QByteArray("abc\xe2\x82");
}

// What a valid stream's prefix of `len` bytes should report.
Result expectedPrefixResult(const QByteArray& valid, qsizetype len) {
    const bool midCodePoint = len < valid.size() && (static_cast<uint8_t>(valid[len]) & 0xC0) == 0x80;
    return midCodePoint ? Result::Incomplete : Result::Complete;
}

}  // namespace

class TestUtf8 : public QObject {
    Q_OBJECT

private slots:
    void valid_data() { addValidRows(); }
    void valid() {
        QFETCH(QByteArray, input);
        Utf8Validator whole;
        QCOMPARE(whole.feed(bytesOf(input)), Result::Complete);
        QCOMPARE(whole.result(), Result::Complete);
        QVERIFY(framescope::isValidUtf8(bytesOf(input)));

        Utf8Validator byByte;
        for (qsizetype i = 0; i < input.size(); ++i) {
            QCOMPARE(byByte.feed(bytesOf(input, i, 1)), expectedPrefixResult(input, i + 1));
        }
        QCOMPARE(byByte.result(), Result::Complete);

        for (qsizetype cut = 0; cut <= input.size(); ++cut) {
            Utf8Validator split;
            QCOMPARE(split.feed(bytesOf(input, 0, cut)), expectedPrefixResult(input, cut));
            QCOMPARE(split.feed(bytesOf(input, cut)), Result::Complete);
        }
    }

    void invalid_data() { addInvalidRows(); }
    void invalid() {
        QFETCH(QByteArray, input);
        QFETCH(qint64, offset);
        QVERIFY(!framescope::isValidUtf8(bytesOf(input)));
        for (const QByteArray& data : {input, input + "trailing ascii"}) {
            Utf8Validator whole;
            QCOMPARE(whole.feed(bytesOf(data)), Result::Invalid);
            QCOMPARE(static_cast<qint64>(whole.invalidOffset()), offset);

            Utf8Validator byByte;
            for (qsizetype i = 0; i < data.size(); ++i) {
                const Result r = byByte.feed(bytesOf(data, i, 1));
                QCOMPARE(r == Result::Invalid, i >= offset);  // fails exactly there, then stays failed
            }
            QCOMPARE(static_cast<qint64>(byByte.invalidOffset()), offset);

            for (qsizetype cut = 0; cut <= data.size(); ++cut) {
                Utf8Validator split;
                const Result first = split.feed(bytesOf(data, 0, cut));
                QCOMPARE(first == Result::Invalid, cut > offset);
                QCOMPARE(split.feed(bytesOf(data, cut)), Result::Invalid);
                QCOMPARE(split.result(), Result::Invalid);
                QCOMPARE(static_cast<qint64>(split.invalidOffset()), offset);
            }
        }
    }

    void incomplete_data() { addIncompleteRows(); }
    void incomplete() {
        QFETCH(QByteArray, input);
        QVERIFY(!framescope::isValidUtf8(bytesOf(input)));
        Utf8Validator whole;
        QCOMPARE(whole.feed(bytesOf(input)), Result::Incomplete);
        QCOMPARE(whole.result(), Result::Incomplete);
        Utf8Validator byByte;
        for (qsizetype i = 0; i < input.size(); ++i)
            QVERIFY(byByte.feed(bytesOf(input, i, 1)) != Result::Invalid);
        QCOMPARE(byByte.result(), Result::Incomplete);
        QCOMPARE(byByte.feed({}), Result::Incomplete);
    }

    void resetClearsState() {
        Utf8Validator v;
        QCOMPARE(v.feed(bytesOf(QByteArray("ab\xff"))), Result::Invalid);
        QCOMPARE(v.feed(bytesOf(QByteArray("ok"))), Result::Invalid);  // sticky
        v.reset();
        QCOMPARE(v.result(), Result::Complete);
        QCOMPARE(v.feed(bytesOf(QByteArray("\xe2\x82"))), Result::Incomplete);
        v.reset();
        QCOMPARE(v.feed(bytesOf(QByteArray("\x82x\x80"))), Result::Invalid);
        QCOMPARE(v.invalidOffset(), uint64_t{0});
    }

    void asciiFastPath_data() {
        QTest::addColumn<int>("length");
        QTest::addColumn<int>("prefix");
        QTest::addColumn<char>("bad");
        for (int length : {8, 40, 100}) {
            for (int prefix : {0, 3}) {
                for (char bad : {'\x80', '\xff', '\xc0'}) {
                    QTest::addRow("len %d, prefix %d, bad %02x", length, prefix, static_cast<uint8_t>(bad))
                        << length << prefix << bad;
                }
            }
        }
    }
    void asciiFastPath() {
        QFETCH(int, length);
        QFETCH(int, prefix);
        QFETCH(char, bad);
        const QByteArray head(prefix, 'p');
        for (int pos = 0; pos < length; ++pos) {
            QByteArray data(length, 'a');
            data[pos] = bad;
            Utf8Validator v;
            QCOMPARE(v.feed(bytesOf(head)), Result::Complete);
            QCOMPARE(v.feed(bytesOf(data)), Result::Invalid);
            QCOMPARE(static_cast<int>(v.invalidOffset()), prefix + pos);
            QVERIFY(!framescope::isValidUtf8(bytesOf(data)));
        }
    }

    void multibyteAtEveryPosition() {
        const QByteArray euro("\xe2\x82\xac");
        for (int pos = 0; pos <= 70; ++pos) {
            const QByteArray data = QByteArray(pos, 'x') + euro + QByteArray(71 - pos, 'y');
            QVERIFY(framescope::isValidUtf8(bytesOf(data)));
            const QByteArray broken = QByteArray(pos, 'x') + euro.left(2) + QByteArray(71 - pos, 'y');
            Utf8Validator v;
            QCOMPARE(v.feed(bytesOf(broken)), Result::Invalid);
            QCOMPARE(static_cast<int>(v.invalidOffset()), pos + 2);
        }
    }

    // Every one- and two-byte input, and three- and four-byte inputs over all values of the first two bytes,
    // against the textbook decoder: same verdict, same fail-fast offset.
    void exhaustiveAgainstDecoder() {
        static const uint8_t kTail[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F,
                                        0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xF0, 0xFF};
        std::vector<std::vector<uint8_t>> inputs;
        for (unsigned a = 0; a < 256; ++a) {
            inputs.push_back({static_cast<uint8_t>(a)});
            for (unsigned b = 0; b < 256; ++b) {
                const auto a8 = static_cast<uint8_t>(a);
                const auto b8 = static_cast<uint8_t>(b);
                inputs.push_back({a8, b8});
                if (a < 0xE0 || a > 0xF7) continue;
                for (uint8_t c : kTail) {
                    inputs.push_back({a8, b8, c});
                    if (a >= 0xF0) {
                        for (uint8_t d : {uint8_t{0x41}, uint8_t{0x80}, uint8_t{0xBF}, uint8_t{0xC0}})
                            inputs.push_back({a8, b8, c, d});
                    }
                }
            }
        }
        for (const auto& input : inputs) {
            const auto [result, offset] = expectedFor(input);
            Utf8Validator v;
            const Result got = v.feed(input);
            if (got != result ||
                (result == Result::Invalid && static_cast<int64_t>(v.invalidOffset()) != offset)) {
                QFAIL(qPrintable(
                    QStringLiteral("input %1: expected %2@%3, got %4@%5")
                        .arg(QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(input.data()),
                                                            static_cast<qsizetype>(input.size()))
                                                     .toHex(' ')))
                        .arg(static_cast<int>(result))
                        .arg(offset)
                        .arg(static_cast<int>(got))
                        .arg(v.invalidOffset())));
            }
        }
    }

    void everyCodePoint() {
        for (uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
            uint8_t buf[4];
            size_t len = 0;
            if (cp < 0x80) {
                buf[len++] = static_cast<uint8_t>(cp);
            } else if (cp < 0x800) {
                buf[len++] = static_cast<uint8_t>(0xC0 | (cp >> 6));
                buf[len++] = static_cast<uint8_t>(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                buf[len++] = static_cast<uint8_t>(0xE0 | (cp >> 12));
                buf[len++] = static_cast<uint8_t>(0x80 | ((cp >> 6) & 0x3F));
                buf[len++] = static_cast<uint8_t>(0x80 | (cp & 0x3F));
            } else {
                buf[len++] = static_cast<uint8_t>(0xF0 | (cp >> 18));
                buf[len++] = static_cast<uint8_t>(0x80 | ((cp >> 12) & 0x3F));
                buf[len++] = static_cast<uint8_t>(0x80 | ((cp >> 6) & 0x3F));
                buf[len++] = static_cast<uint8_t>(0x80 | (cp & 0x3F));
            }
            const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
            if (framescope::isValidUtf8({buf, len}) == surrogate) {
                QFAIL(qPrintable(QStringLiteral("U+%1 misjudged").arg(cp, 4, 16, QLatin1Char('0'))));
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestUtf8)
#include "tst_utf8.moc"
