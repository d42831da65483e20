// The servers of the end-to-end comparison: `framescope-cli serve` (ours), the plain TCP echo (the limit),
// and every peer server, each a program of its own (app/load/peers), and the malloc counter preloaded into
// each of them.
#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace framescope::app {

struct EchoServerSpec {
    QString name;  // "framescope-serve", "tcp echo", "boost-beast", ...
    QString program;
    QStringList arguments;
    bool websocket = true;  // false: plain TCP
    QString whyMissing;     // set when the program was not built on this machine: how to get it
};

inline constexpr const char* kServeName = "framescope-serve";
inline constexpr const char* kTcpEchoName = "tcp echo";

// Ours first, then the TCP echo, then the peers in a fixed order (missing ones with whyMissing set).
std::vector<EchoServerSpec> echoServerSpecs();

// The preloadable malloc counter (the build's, or the installed one beside bin/); empty when neither.
QString mallocCounterLibrary();

}  // namespace framescope::app
