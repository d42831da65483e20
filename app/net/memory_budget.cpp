#include "net/memory_budget.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace framescope::app {

void returnLargeBuffersToTheSystem() noexcept {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
#endif
}

}  // namespace framescope::app
