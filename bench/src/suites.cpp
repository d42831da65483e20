// Runs the selected in-memory rows in order and fills in each row's reference figure and best peer.
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
    return rows;
}

}  // namespace

void fillReference(BenchResult& result) {
    const std::optional<ReferenceRow> row = referenceRowFor(result.fullName);
    if (!row) return;
    result.reference.name = std::string("go report ") + row->section;
    result.reference.available = true;
    result.reference.note = row->work;
    result.reference.figures.nsPerOp = row->nsPerOp;
    result.reference.figures.mbPerSec = row->mbPerSec;
    result.reference.figures.bytesPerOp = row->bytesPerOp;
    result.reference.figures.allocsPerOp = row->allocsPerOp;
}

void fillBestPeer(BenchResult& result) {
    // The best peer is the one ours is least ahead of (the lowest median ratio over paired rounds).
    for (const Comparison& peer : result.peers) {
        if (!peer.available) continue;
        if (result.bestPeer.name.empty() || peer.ratio < result.bestPeer.ratio) result.bestPeer = peer;
    }
}

namespace {}  // namespace

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
        result.contract = rows[i].contract;
        rows[i].run(context, result);
        fillReference(result);
        fillBestPeer(result);
        run.results.push_back(std::move(result));
    }
    if (options.progress && !run.cancelled) options.progress({}, rows.size(), rows.size());
    return run;
}

RowSource inMemoryRows() {
    return {allRowNames, [](const SuiteOptions& options, SuiteRun& run) {
                SuiteRun own = runSuites(options);
                run.allocCounting = own.allocCounting;
                run.maskImpl = own.maskImpl;
                run.cancelled = run.cancelled || own.cancelled;
                for (BenchResult& result : own.results)
                    run.results.push_back(std::move(result));
            }};
}

}  // namespace framescope::bench
