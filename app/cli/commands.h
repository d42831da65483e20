// framescope-cli's subcommands. Each lives in its own cli_<name>.cpp and registers itself with a
// static CommandRegistration; main.cpp dispatches on the first argument. A command takes the arguments
// after its name and returns the exit code: output that scripts read goes to stdout (JSON Lines where
// asked), errors go to stderr as one sentence.
#pragma once

#include <QStringList>

#include <vector>

namespace framescope::cli {

using CommandFunction = int (*)(const QStringList& args);

struct Command {
    const char* name;
    const char* summary;
    CommandFunction run;
};

struct CommandRegistration {
    CommandRegistration(const char* name, const char* summary, CommandFunction run);
};

// Every registered command, sorted by name.
const std::vector<Command>& commands();

}  // namespace framescope::cli
