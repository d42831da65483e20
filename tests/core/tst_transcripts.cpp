// Golden transcripts: tests/data/transcripts/*.txt hold input bytes and the exact event log, automatic
// replies and final state a session must produce. Each case runs whole, byte by byte, and with a
// trailing partial frame. Format: see tests/data/transcripts/README.md.
#include <QDir>
#include <QFile>
#include <QTest>

#include "session_log.h"

using namespace framescope;
using namespace framescope::test;

namespace {

struct Transcript {
    QString name;
    SessionOptions options;
    Bytes input;
    QStringList events;
    QStringList sent;
    QString state = "open";
};

bool applyOption(const QString& option, SessionOptions& options) {
    if (option == "deflate") {
        options.deflate = DeflateParams{};
    } else if (option == "no-auto-pong") {
        options.autoPong = false;
    } else if (option == "no-auto-close") {
        options.autoCloseReply = false;
    } else if (option == "tolerate-non-minimal") {
        options.tolerateNonMinimalLength = true;
    } else if (option.startsWith("max-frame=")) {
        options.limits.maxFramePayload = option.mid(10).toULongLong();
    } else if (option.startsWith("max-message=")) {
        options.limits.maxMessageSize = option.mid(12).toULongLong();
    } else {
        return false;
    }
    return true;
}

QList<Transcript> loadTranscripts(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) qFatal("cannot open %s", qPrintable(path));
    QList<Transcript> cases;
    const QString base = QFileInfo(path).baseName();
    for (const QString& rawLine : QString::fromUtf8(file.readAll()).split('\n')) {
        const QString line = rawLine.trimmed();
        if (line.isEmpty() || line.startsWith('#')) continue;
        const qsizetype colon = line.indexOf(':');
        const QString key = line.left(colon);
        const QString value = line.mid(colon + 1).trimmed();
        if (key == "case") {
            cases.append(Transcript{base + ": " + value, {}, {}, {}, {}, "open"});
            continue;
        }
        if (cases.isEmpty()) qFatal("%s: '%s' before any case", qPrintable(path), qPrintable(line));
        Transcript& t = cases.last();
        if (key == "role") {
            t.options.role = value == "server" ? Role::Server : Role::Client;
        } else if (key == "option") {
            if (!applyOption(value, t.options))
                qFatal("%s: unknown option %s", qPrintable(path), qPrintable(value));
        } else if (key == "in") {
            const Bytes bytes = fromHex(value.toLatin1().constData());
            t.input.insert(t.input.end(), bytes.begin(), bytes.end());
        } else if (key == "fill") {  // "fill: BYTE COUNT" appends COUNT copies of BYTE
            const QStringList parts = value.split(' ', Qt::SkipEmptyParts);
            t.input.insert(t.input.end(), parts.value(1).toULongLong(),
                           uint8_t(parts.value(0).toUInt(nullptr, 16)));
        } else if (key == "event") {
            t.events << value;
        } else if (key == "sent") {
            t.sent << "sent " + value;
        } else if (key == "state") {
            t.state = value;
        } else {
            qFatal("%s: unknown key in '%s'", qPrintable(path), qPrintable(line));
        }
    }
    return cases;
}

}  // namespace

Q_DECLARE_METATYPE(framescope::SessionOptions)
Q_DECLARE_METATYPE(framescope::test::Feed)

class TstTranscripts : public QObject {
    Q_OBJECT

private slots:
    void transcripts_data() {
        QTest::addColumn<SessionOptions>("options");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QStringList>("events");
        QTest::addColumn<QStringList>("sent");
        QTest::addColumn<QString>("state");
        QTest::addColumn<Feed>("feed");
        const QDir dir(QStringLiteral(FRAMESCOPE_TEST_DATA "/transcripts"));
        const QStringList files = dir.entryList({"*.txt"}, QDir::Files, QDir::Name);
        QVERIFY(!files.isEmpty());
        int count = 0;
        for (const QString& file : files) {
            for (const Transcript& t : loadTranscripts(dir.filePath(file))) {
                const QByteArray input(reinterpret_cast<const char*>(t.input.data()),
                                       qsizetype(t.input.size()));
                for (Feed feed : {Feed::Whole, Feed::ByteByByte, Feed::WithTrailing}) {
                    QTest::newRow(qPrintable(t.name + " / " + feedName(feed)))
                        << t.options << input << t.events << t.sent << t.state << feed;
                }
                ++count;
            }
        }
        QVERIFY(count >= 40);
    }

    void transcripts() {
        QFETCH(SessionOptions, options);
        QFETCH(QByteArray, input);
        QFETCH(QStringList, events);
        QFETCH(QStringList, sent);
        QFETCH(QString, state);
        QFETCH(Feed, feed);
        Session session(options);
        const QStringList log = feedSession(session, Bytes(input.begin(), input.end()), feed);
        QCOMPARE(log, events);
        ByteBuffer replies;
        session.takePendingOutput(replies);
        QCOMPARE(describeWrittenFrames(replies.view()), sent);
        QCOMPARE(QString(sessionStateName(session.state())), state);
    }
};

QTEST_APPLESS_MAIN(TstTranscripts)
#include "tst_transcripts.moc"
