// Where each server of the comparison is: compile definitions from app/load/peers/CMakeLists.txt.
#include "load/echo_peers.h"

#include <QCoreApplication>
#include <QFile>

// A peer that was not built has no definition: an empty path, reported as missing.
#ifndef FRAMESCOPE_PEER_TCP_ECHO
#define FRAMESCOPE_PEER_TCP_ECHO ""
#endif
#ifndef FRAMESCOPE_PEER_BEAST
#define FRAMESCOPE_PEER_BEAST ""
#endif
#ifndef FRAMESCOPE_PEER_WEBSOCKETPP
#define FRAMESCOPE_PEER_WEBSOCKETPP ""
#endif
#ifndef FRAMESCOPE_PEER_QT
#define FRAMESCOPE_PEER_QT ""
#endif
#ifndef FRAMESCOPE_PEER_NODE
#define FRAMESCOPE_PEER_NODE ""
#define FRAMESCOPE_PEER_NODE_SCRIPT ""
#endif
#ifndef FRAMESCOPE_PEER_PYTHON
#define FRAMESCOPE_PEER_PYTHON ""
#define FRAMESCOPE_PEER_PYTHON_SCRIPT ""
#endif

namespace framescope::app {

namespace {

EchoServerSpec peer(const char* name, const char* program, QStringList arguments, const char* howToGet) {
    EchoServerSpec spec{name, program, std::move(arguments), true, {}};
    if (spec.program.isEmpty() || !QFile::exists(spec.program)) spec.whyMissing = howToGet;
    return spec;
}

}  // namespace

std::vector<EchoServerSpec> echoServerSpecs() {
    std::vector<EchoServerSpec> specs;
    specs.push_back(
        {kServeName, QCoreApplication::applicationFilePath(), {"serve", "--port", "0", "--no-deflate"}});
    EchoServerSpec tcp = peer(kTcpEchoName, FRAMESCOPE_PEER_TCP_ECHO, {}, "not built (app/load/peers)");
    tcp.websocket = false;
    specs.push_back(tcp);
    specs.push_back(
        peer("boost-beast", FRAMESCOPE_PEER_BEAST, {}, "not built: install libboost-dev, re-run cmake"));
    specs.push_back(peer("websocketpp", FRAMESCOPE_PEER_WEBSOCKETPP, {},
                         "not built: install libwebsocketpp-dev and libboost-dev, re-run cmake"));
    specs.push_back(
        peer("qt-websockets", FRAMESCOPE_PEER_QT, {}, "not built: install qt6-websockets-dev, re-run cmake"));
    specs.push_back(peer("node-ws", FRAMESCOPE_PEER_NODE, {FRAMESCOPE_PEER_NODE_SCRIPT},
                         "not found: needs node and npm when cmake runs (app/load/peers/node)"));
    specs.push_back(peer("python-websockets", FRAMESCOPE_PEER_PYTHON, {FRAMESCOPE_PEER_PYTHON_SCRIPT},
                         "not found: install python3-websockets, re-run cmake"));
    return specs;
}

QString mallocCounterLibrary() {
    // An installed framescope-cli uses the counter installed beside it; a build uses the build's.
    const QString installed =
        QCoreApplication::applicationDirPath() + "/../lib/framescope/libframescope_malloc_count.so";
    if (QFile::exists(installed)) return installed;
#ifdef FRAMESCOPE_MALLOC_COUNT_LIB
    if (QFile::exists(FRAMESCOPE_MALLOC_COUNT_LIB)) return FRAMESCOPE_MALLOC_COUNT_LIB;
#endif
    return {};
}

}  // namespace framescope::app
