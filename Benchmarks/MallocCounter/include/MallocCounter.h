#ifndef MALLOC_COUNTER_H
#define MALLOC_COUNTER_H

/// Counts heap allocations of the whole process (Linux/glibc only): this
/// target defines malloc, calloc, realloc, posix_memalign, aligned_alloc and
/// memalign, counting each call while counting is on and forwarding to
/// glibc's own implementations. Linked into kernels-bench only.

/// Whether counting works on this platform.
int malloc_counter_is_supported(void);
/// Starts counting from zero.
void malloc_counter_start(void);
/// Stops counting and returns the allocations counted since the start.
long malloc_counter_stop(void);
/// Bytes of heap in use (glibc's mallinfo2: small blocks plus mapped ones),
/// or -1 where that is not available.
long malloc_counter_heap_in_use(void);

#endif
