// The C interface of the preloaded malloc counter (bench/alloc/malloc_count.cpp). A process finds these
// functions with dlsym(RTLD_DEFAULT, ...) when the counter is preloaded into it, and nothing otherwise.
//
// Process-wide counts live in a small shared file when FRAMESCOPE_MALLOC_COUNT_FILE names one (created and
// sized by whoever reads it), so that a parent process can read the counts of a server it started.
#pragma once

#include <stdint.h>

extern "C" {

struct FramescopeMallocCounts {
    uint64_t calls;  // malloc, calloc, realloc, memalign, posix_memalign, aligned_alloc, valloc, pvalloc
    uint64_t bytes;  // bytes asked for
};

// The calling thread's counts since it started.
typedef void (*FramescopeMallocThreadCounts)(FramescopeMallocCounts* out);
// Every thread's counts since the process started.
typedef void (*FramescopeMallocProcessCounts)(FramescopeMallocCounts* out);
}

#define FRAMESCOPE_MALLOC_THREAD_COUNTS "framescope_malloc_thread_counts"
#define FRAMESCOPE_MALLOC_PROCESS_COUNTS "framescope_malloc_process_counts"
#define FRAMESCOPE_MALLOC_COUNT_FILE_ENV "FRAMESCOPE_MALLOC_COUNT_FILE"
