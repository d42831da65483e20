// The real peers of the interop and proxy suites: Python `websockets` (python3-websockets) and Node `ws`
// (npm ci into tests/interop/node), run as processes. A missing peer fails the test with what to install;
// it never skips.
#pragma once

#include <QByteArray>
#include <QFileInfo>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTest>
#include <QUrl>

namespace framescope::test {

inline QString python() {
    return QFileInfo::exists("/usr/bin/python3") ? QString("/usr/bin/python3") : QString("python3");
}

inline QString nodeDir() {
    return QString(FRAMESCOPE_INTEROP) + "/node";
}

// Runs a command to completion; returns its exit code (-1 if it could not run) and merged output.
inline int runTool(const QString& program, const QStringList& args, const QString& dir, QByteArray& output,
                   int timeoutMs) {
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    if (!dir.isEmpty()) process.setWorkingDirectory(dir);
    process.start(program, args);
    if (!process.waitForStarted(60000)) return -1;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        output = process.readAll() + "\n(timed out)";
        return -1;
    }
    output = process.readAll();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

inline QStringList peerCommand(const QString& peer, const QStringList& args) {
    if (peer == "python") return QStringList{QString(FRAMESCOPE_INTEROP) + "/python_peer.py"} + args;
    return QStringList{nodeDir() + "/peer.js"} + args;
}

inline QString peerProgram(const QString& peer) {
    return peer == "python" ? python() : QString("node");
}

// Both peers can run (installs the Node one with npm ci when missing). False with a warning saying what to
// install; call it as QVERIFY(checkInteropPeers()).
inline bool checkInteropPeers() {
    constexpr int kWait = 60000;
    QByteArray output;
    if (runTool(python(), {"-c", "import websockets"}, {}, output, kWait) != 0) {
        qWarning(
            "Python websockets is missing (apt-get install python3-websockets, as 'bash .ci/dev.sh test' "
            "does): %s",
            output.constData());
        return false;
    }
    if (runTool("node", {"--version"}, {}, output, kWait) != 0) {
        qWarning("Node.js is missing (apt-get install nodejs npm, as 'bash .ci/dev.sh test' does).");
        return false;
    }
    if (!QFileInfo::exists(nodeDir() + "/node_modules/ws/package.json")) {
        if (runTool("npm", {"ci", "--no-audit", "--no-fund"}, nodeDir(), output, 300000) != 0) {
            qWarning("'npm ci' in tests/interop/node failed (is the npm registry reachable?): %s",
                     output.right(2000).constData());
            return false;
        }
    }
    return true;
}

// Starts a peer's echo server in `process` and returns the URL of its first line (empty on failure).
inline QUrl startPeerServer(QProcess& process, const QString& peer, const QStringList& extraArgs = {}) {
    process.start(peerProgram(peer), peerCommand(peer, QStringList{"server"} + extraArgs));
    if (!process.waitForStarted(60000)) return {};
    for (int waited = 0; !process.canReadLine() && waited < 60000; waited += 20)
        QTest::qWait(20);
    const QByteArray first = process.readLine().trimmed();
    if (!first.startsWith("listening on ws://")) return {};
    return QUrl(QString::fromUtf8(first.mid(13)));
}

}  // namespace framescope::test
