// CPU placement for the end-to-end rows (see loopback.h): the client and the servers on the first CPU this
// process may use. With a single allowed CPU nothing needs pinning.
#include <sched.h>

#include <cstring>

#include "framescope/bench/loopback.h"

namespace framescope::bench {
namespace {

// The n-th CPU this process may run on, or -1 when it may run on one CPU only.
int allowedCpu(int n) {
    static const cpu_set_t allowed = [] {
        cpu_set_t set;
        CPU_ZERO(&set);
        sched_getaffinity(0, sizeof set, &set);
        return set;
    }();
    if (CPU_COUNT(&allowed) < 2) return -1;
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (CPU_ISSET(cpu, &allowed) && n-- == 0) return cpu;
    }
    return -1;
}

bool pin(int pid, int cpu) {
    if (cpu < 0) return false;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(pid, sizeof set, &set) == 0;
}

}  // namespace

void pinCurrentThreadToServerCpu() noexcept {
    pin(0, allowedCpu(0));
}
void pinProcessToServerCpu(int pid) noexcept {
    pin(pid, allowedCpu(0));
}

ClientCpuPin::ClientCpuPin() noexcept {
    static_assert(sizeof(cpu_set_t) <= sizeof saved_);
    cpu_set_t current;
    if (sched_getaffinity(0, sizeof current, &current) != 0) return;
    std::memcpy(saved_, &current, sizeof current);
    pinned_ = pin(0, allowedCpu(0));
}

ClientCpuPin::~ClientCpuPin() {
    if (!pinned_) return;
    cpu_set_t previous;
    std::memcpy(&previous, saved_, sizeof previous);
    sched_setaffinity(0, sizeof previous, &previous);
}

}  // namespace framescope::bench
