// Reads the preloaded malloc counter (bench/alloc/malloc_count.cpp) when it is there.
#include "framescope/bench/alloc_counter.h"

#include <dlfcn.h>

#include "framescope/bench/malloc_count_api.h"

namespace framescope::bench {
namespace {

struct Counter {
    FramescopeMallocThreadCounts thread = nullptr;
    FramescopeMallocProcessCounts process = nullptr;
};

const Counter& counter() noexcept {
    static const Counter found = [] {
        Counter c;
        c.thread = reinterpret_cast<FramescopeMallocThreadCounts>(
            dlsym(RTLD_DEFAULT, FRAMESCOPE_MALLOC_THREAD_COUNTS));
        c.process = reinterpret_cast<FramescopeMallocProcessCounts>(
            dlsym(RTLD_DEFAULT, FRAMESCOPE_MALLOC_PROCESS_COUNTS));
        return c;
    }();
    return found;
}

AllocSnapshot snapshotOf(void (*read)(FramescopeMallocCounts*)) noexcept {
    if (read == nullptr) return {};
    FramescopeMallocCounts counts{};
    read(&counts);
    return {counts.calls, counts.bytes};
}

}  // namespace

bool allocCountingAvailable() noexcept {
    return counter().thread != nullptr && counter().process != nullptr;
}

AllocSnapshot allocSnapshot() noexcept {
    return snapshotOf(counter().process);
}

AllocSnapshot threadAllocSnapshot() noexcept {
    return snapshotOf(counter().thread);
}

}  // namespace framescope::bench
