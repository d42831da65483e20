// The malloc counter, preloaded with LD_PRELOAD into a process whose allocations a benchmark counts. It
// interposes glibc's allocation functions and forwards each to glibc's own (__libc_malloc and friends),
// adding one call and the bytes asked for to the calling thread's counts and to the process's counts.
// Whatever allocates through malloc counts: operator new, zlib, OpenSSL, Qt. Frees are not counted.
//
// The thread counts use initial-exec TLS (no allocation on first touch). The process counts are atomics,
// kept in a shared file mapped at load time when FRAMESCOPE_MALLOC_COUNT_FILE names one, so that the
// benchmark can read the counts of a server process it started. Nothing here allocates.
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>

#include "framescope/bench/malloc_count_api.h"

extern "C" {
void* __libc_malloc(size_t size);
void* __libc_calloc(size_t count, size_t size);
void* __libc_realloc(void* pointer, size_t size);
void* __libc_memalign(size_t alignment, size_t size);
void* __libc_valloc(size_t size);
void* __libc_pvalloc(size_t size);
void __libc_free(void* pointer);
}

namespace {

struct SharedCounts {
    std::atomic<uint64_t> calls;
    std::atomic<uint64_t> bytes;
};

SharedCounts ownCounts;
std::atomic<SharedCounts*> processCounts{&ownCounts};
__attribute__((tls_model("initial-exec"))) thread_local FramescopeMallocCounts threadCounts;

inline void count(size_t size) noexcept {
    ++threadCounts.calls;
    threadCounts.bytes += size;
    SharedCounts* counts = processCounts.load(std::memory_order_relaxed);
    counts->calls.fetch_add(1, std::memory_order_relaxed);
    counts->bytes.fetch_add(size, std::memory_order_relaxed);
}

// Moves the process counts into the shared file, when one is named (it must exist, sized by the reader).
__attribute__((constructor)) void mapSharedCounts() {
    const char* path = getenv(FRAMESCOPE_MALLOC_COUNT_FILE_ENV);
    if (path == nullptr || *path == '\0') return;
    const int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) return;
    void* mapped = mmap(nullptr, sizeof(SharedCounts), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (mapped == MAP_FAILED) return;
    auto* shared = static_cast<SharedCounts*>(mapped);
    shared->calls.store(ownCounts.calls.load(), std::memory_order_relaxed);
    shared->bytes.store(ownCounts.bytes.load(), std::memory_order_relaxed);
    processCounts.store(shared, std::memory_order_relaxed);
}

}  // namespace

extern "C" {

void framescope_malloc_thread_counts(FramescopeMallocCounts* out) {
    *out = threadCounts;
}

void framescope_malloc_process_counts(FramescopeMallocCounts* out) {
    SharedCounts* counts = processCounts.load(std::memory_order_relaxed);
    out->calls = counts->calls.load(std::memory_order_relaxed);
    out->bytes = counts->bytes.load(std::memory_order_relaxed);
}

void* malloc(size_t size) {
    count(size);
    return __libc_malloc(size);
}

void* calloc(size_t n, size_t size) {
    count(n * size);
    return __libc_calloc(n, size);
}

void* realloc(void* pointer, size_t size) {
    count(size);
    return __libc_realloc(pointer, size);
}

void free(void* pointer) {
    __libc_free(pointer);
}

void* memalign(size_t alignment, size_t size) {
    count(size);
    return __libc_memalign(alignment, size);
}

void* aligned_alloc(size_t alignment, size_t size) {
    count(size);
    return __libc_memalign(alignment, size);
}

int posix_memalign(void** out, size_t alignment, size_t size) {
    if (alignment < sizeof(void*) || (alignment & (alignment - 1)) != 0) return 22;  // EINVAL
    count(size);
    void* pointer = __libc_memalign(alignment, size);
    if (pointer == nullptr && size != 0) return 12;  // ENOMEM
    *out = pointer;
    return 0;
}

void* valloc(size_t size) {
    count(size);
    return __libc_valloc(size);
}

void* pvalloc(size_t size) {
    count(size);
    return __libc_pvalloc(size);
}
}
