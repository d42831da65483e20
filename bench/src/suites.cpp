// Runs the selected rows in order, fills in each row's reference figure and best peer, and judges the
// targets of the bench issue from the results.
#include "framescope/bench/suites.h"

#include <algorithm>
#include <memory>
#include <sstream>

#include "framescope/bench/alloc_counter.h"
#include "framescope/bench/reference_report.h"
#include "framescope/mask.h"
#include "suite_rows.h"

namespace framescope::bench {
namespace {

std::vector<RowSpec> allRows() {
    std::vector<RowSpec> rows;
    addCodecRows(rows);
    addTextRows(rows);
    addLoopbackRows(rows);
    return rows;
}

void fillReference(BenchResult& result) {
    const std::optional<ReferenceRow> row = referenceRowFor(result.fullName);
    if (!row) return;
    Figures figures;
    figures.nsPerOp = row->nsPerOp;
    figures.mbPerSec = row->mbPerSec;
    figures.bytesPerOp = row->bytesPerOp;
    figures.allocsPerOp = row->allocsPerOp;
    result.reference = comparison(std::string("go report ") + row->section, figures, result.figures);
}

void fillBestPeer(BenchResult& result) {
    for (const Comparison& peer : result.peers) {
        if (!peer.available) continue;
        if (result.bestPeer.name.empty() || peer.figures.nsPerOp < result.bestPeer.figures.nsPerOp) {
            result.bestPeer = peer;
        }
    }
}

struct FixtureDeleter {
    void operator()(LoopbackFixture* fixture) const noexcept { destroyLoopbackFixture(fixture); }
};

}  // namespace

std::vector<std::string> allRowNames() {
    std::vector<std::string> names;
    for (const RowSpec& row : allRows())
        names.push_back(row.fullName());
    return names;
}

SuiteRun runSuites(const SuiteOptions& options) {
    SuiteRun run;
    run.allocCounting = allocCountingAvailable();
    run.maskImpl = maskImplName(activeMaskImpl());
    const std::regex filter(options.filter.empty() ? std::string(".") : options.filter);
    std::vector<RowSpec> rows = allRows();
    std::erase_if(rows, [&](const RowSpec& row) { return !std::regex_search(row.fullName(), filter); });

    RowContext context;
    context.quick = options.quick;
    context.config = options.quick ? RunConfig::quick() : RunConfig::normal();
    std::unique_ptr<LoopbackFixture, FixtureDeleter> loopback(newLoopbackFixture());
    context.loopback = loopback.get();
    for (size_t i = 0; i < rows.size(); ++i) {
        if (options.cancel != nullptr && options.cancel->load()) {
            run.cancelled = true;
            break;
        }
        if (options.progress) options.progress(rows[i].fullName(), i, rows.size());
        BenchResult result;
        result.suite = rows[i].suite;
        result.caseName = rows[i].caseName;
        result.label = rows[i].label;
        result.size = rows[i].size;
        result.inFlight = rows[i].inFlight;
        result.fullName = rows[i].fullName();
        rows[i].run(context, result);
        fillReference(result);
        fillBestPeer(result);
        run.results.push_back(std::move(result));
    }
    if (options.progress && !run.cancelled) options.progress({}, rows.size(), rows.size());
    return run;
}

}  // namespace framescope::bench
