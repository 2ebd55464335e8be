#ifndef DISTARCH_POOL_H
#define DISTARCH_POOL_H
/*
 * A parallel for-loop over pthreads: fn(arg, i, worker) for every i in
 * [0, n), spread over `jobs` threads (the caller's thread is worker 0 and
 * takes part). Items are handed out one at a time from a shared counter, so
 * a slow file does not hold up the rest. Returns when every item is done.
 *
 * `fn` must only touch item i's own slot and worker `worker`'s own scratch;
 * anything shared must be read-only or locked. jobs <= 1, or a thread that
 * cannot be started, degrades to fewer threads, never to an error.
 */
#include <stddef.h>

typedef void (*pool_fn)(void *arg, size_t i, unsigned worker);

void pool_for(unsigned jobs, size_t n, pool_fn fn, void *arg);

/* The number of online processors (at least 1): the default of -j. */
unsigned pool_default_jobs(void);

/* The cap on -j: more threads than this only cost memory. */
#define POOL_MAX_JOBS 256u

#endif
