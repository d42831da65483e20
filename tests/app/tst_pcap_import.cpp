// pcap import of a real recording: `tcpdump -i lo` captures a session between Python `websockets` (server)
// and Node `ws` (client), both with permessage-deflate; every message of both directions imports intact,
// decoded by our codec; the same recorded by Wireshark's dumpcap (pcapng). Skipped with a message when the
// tool cannot capture (not installed, no permission) or a peer is missing. Also: a TLS connection is reported
// as undecodable, and damaged pcaps never crash.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>
#include <random>

#include "capture/capture_files.h"
#include "capture/capture_store.h"
#include "capture/format_pcap_import.h"

using namespace framescope;
using namespace framescope::app;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

std::span<const uint8_t> spanOf(const QByteArray& bytes) {
    return {reinterpret_cast<const uint8_t*>(bytes.constData()), static_cast<size_t>(bytes.size())};
}

// The messages tests/interop/node/peer.js sends (and the Python server echoes), in order.
QList<QByteArray> nodeClientMessages() {
    QByteArray accented;
    for (int i = 0; i < 1000; ++i)
        accented += "é";
    return {"hello", accented, QByteArray(70000, 7), QByteArray(1 << 20, 'x'), QByteArray()};
}

// Whole messages of one direction: inflated when compressed, else the frames' payloads joined.
QList<QByteArray> messagesOf(const CaptureStore& store, Direction direction) {
    QList<QByteArray> out;
    QByteArray current;
    for (size_t row = 0; row < store.size(); ++row) {
        const CaptureRecord& r = store.record(row);
        if (r.isNote() || r.direction != direction || isControlOpcode(r.opcode)) continue;
        const auto payload = store.payload(row);
        current.append(reinterpret_cast<const char*>(payload.data()), qsizetype(payload.size()));
        if (!r.endsMessage()) continue;
        if (r.compressed()) {
            const auto inflated = store.inflated(row);
            current = QByteArray(reinterpret_cast<const char*>(inflated.data()), qsizetype(inflated.size()));
        }
        out << current;
        current.clear();
    }
    return out;
}

}  // namespace

class TstPcapImport : public QObject {
    Q_OBJECT

private slots:
    void tcpdumpPythonServerNodeClient() {
        const QString tcpdump = QStandardPaths::findExecutable("tcpdump");
        if (tcpdump.isEmpty()) QSKIP("tcpdump is not installed");
        recordAndImport(tcpdump, "listening on", [](const QString& file, const QString& port) {
            // --immediate-mode: libpcap hands each packet over as it comes. Without it, packets wait in the
            // kernel's ring until a block fills or times out, and a busy machine's recording stopped with
            // the session's tail (or all of it) still there.
            return QStringList{"-i", "lo", "-B",  "65536", "-U", "--immediate-mode", "-s", "0",
                               "-w", file, "tcp", "port",  port};
        });
    }

    // The same session recorded by Wireshark's own capture program (dumpcap, which tshark and Wireshark
    // run): a pcapng with Wireshark's section and interface options and nanosecond timestamps.
    void dumpcapPythonServerNodeClient() {
        const QString dumpcap = QStandardPaths::findExecutable("dumpcap");
        if (dumpcap.isEmpty()) QSKIP("dumpcap (Debian: tshark / wireshark-common) is not installed");
        recordAndImport(dumpcap, "Capturing on", [](const QString& file, const QString& port) {
            return QStringList{"-i", "lo", "-B", "64", "-s", "0", "-f", "tcp port " + port, "-w", file};
        });
    }

    void tlsConnectionIsReported() {
        // A pcap (LINKTYPE_RAW) of one IPv4 TCP segment that starts a TLS ClientHello.
        QByteArray file = QByteArray::fromHex("d4c3b2a1020004000000000000000000ffff000065000000");
        const QByteArray tls = QByteArray::fromHex("160301002a0100002603");
        QByteArray ip = QByteArray::fromHex(
            "45000000000140004006000001020304050607080b3101bb000003e8000000005018ffff00000000");
        ip += tls;
        ip[2] = char(ip.size() >> 8);
        ip[3] = char(ip.size());
        QByteArray record(16, 0);
        record[8] = record[12] = char(ip.size());
        file += record + ip;
        CaptureStore store;
        PcapImportReport report;
        const FormatResult r = readPcap(spanOf(file), store, &report);
        QVERIFY(r.ok);
        QCOMPARE(report.problems.size(), size_t{1});
        QVERIFY2(QString::fromStdString(r.error).contains("is TLS (wss://)"), r.error.c_str());
        QVERIFY(QString::fromStdString(r.error).contains("1.2.3.4:2865 -> 5.6.7.8:443"));
        QCOMPARE(store.size(), size_t{1});  // a status note in the log
    }

    void damagedPcapsNeverCrash() {
        const QByteArray good = QByteArray::fromHex("d4c3b2a1020004000000000000000000ffff000001000000");
        std::mt19937 random(7);
        for (int i = 0; i < 3000; ++i) {
            QByteArray file = good;
            const int size = int(random() % 400);
            for (int k = 0; k < size; ++k)
                file += char(random());
            CaptureStore store;
            readPcap(spanOf(file), store);
        }
        CaptureStore store;
        QVERIFY(!readPcap(spanOf("not a pcap"), store).ok);
    }

private:
    using CaptureArgs = std::function<QStringList(const QString& file, const QString& port)>;

    // Records the Node client talking to the Python server with `tool` (its arguments from `args`; it
    // prints `ready` on stderr once it captures) and checks that every message imports intact.
    static void recordAndImport(const QString& tool, const QByteArray& ready, const CaptureArgs& args) {
        const QString node = QStandardPaths::findExecutable("node");
        if (node.isEmpty()) QSKIP("node is not installed");
        if (!QDir(QString(FRAMESCOPE_INTEROP) + "/node/node_modules/ws").exists())
            QSKIP("tests/interop/node has no node_modules (run npm ci there)");
        QTemporaryDir dir;
        const QString file = dir.filePath("lo.cap");
        CaptureStoreOptions options;
        options.payloadCap = 4 << 20;
        options.inflatedCap = 4 << 20;
        std::unique_ptr<CaptureStore> store;
        QString warning;
        // The capture may miss the first packets when its filter attaches late on a busy machine: again.
        for (int attempt = 1; attempt <= 3; ++attempt) {
            const QString skip = record(tool, ready, args, node, file);
            if (QTest::currentTestFailed()) return;
            if (!skip.isEmpty()) QSKIP(qPrintable(skip));
            store = std::make_unique<CaptureStore>(options);
            QString error;
            warning.clear();
            if (openCaptureFile(file, *store, &error, &warning) > 0 && warning.isEmpty()) break;
            qWarning("attempt %d: the recording is incomplete (%s%s); recording again", attempt,
                     qPrintable(error), qPrintable(warning));
        }
        QVERIFY2(warning.isEmpty(), qPrintable(warning));
        QCOMPARE(messagesOf(*store, Direction::Outgoing), nodeClientMessages());
        QCOMPARE(messagesOf(*store, Direction::Incoming), nodeClientMessages());
        int compressed = 0;
        for (size_t row = 0; row < store->size(); ++row) {
            const CaptureRecord& r = store->record(row);
            QVERIFY2(r.violation == nullptr, r.violation);
            compressed += !r.isNote() && r.compressed();
        }
        QVERIFY(compressed >= 4);  // permessage-deflate was in use both ways
        qInfo("imported %zu rows from a %lld-byte capture by %s", store->size(), readAll(file).size(),
              qPrintable(QFileInfo(tool).fileName()));
    }

    // Records the Node client talking to the Python server into `file`. Returns why the test must be
    // skipped (the tool cannot capture here), else an empty string.
    static QString record(const QString& tool, const QByteArray& ready, const CaptureArgs& args,
                          const QString& node, const QString& file) {
        QProcess server;
        // Debian's python3 has python3-websockets (a python3 earlier on PATH may not).
        server.start(QFile::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3",
                     {QString(FRAMESCOPE_INTEROP) + "/python_peer.py", "server"});
        [&] { QVERIFY(server.waitForReadyRead(20000)); }();
        const QString url = QString::fromUtf8(server.readLine()).trimmed().section(' ', 2);
        const QString port = url.section(':', 2).section('/', 0, 0);
        QProcess dump;
        dump.start(tool, args(file, port));
        bool listening = false;
        for (int i = 0; i < 100 && !listening; ++i) {
            dump.waitForReadyRead(100);
            listening = dump.readAllStandardError().contains(ready);
            if (dump.state() == QProcess::NotRunning) break;
        }
        if (!listening) {
            server.kill();
            server.waitForFinished();
            return QFileInfo(tool).fileName() + " cannot capture on lo here (no permission?)";
        }
        QTest::qWait(1500);  // the tool says it listens a moment before its filter sees packets
        QProcess client;
        client.start(node, {QString(FRAMESCOPE_INTEROP) + "/node/peer.js", "client", url});
        [&] {
            QVERIFY(client.waitForFinished(60000));
            QVERIFY2(client.exitCode() == 0, client.readAllStandardError().constData());
        }();
        QTest::qWait(1500);  // the last packets reach the file
        dump.terminate();
        dump.waitForFinished(10000);
        server.kill();
        server.waitForFinished();
        return {};
    }
};

QTEST_GUILESS_MAIN(TstPcapImport)
#include "tst_pcap_import.moc"
