#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "alloc.h"
#include "banned.h"

struct pool {
	pool_fn fn;
	void *arg;
	size_t n;
	atomic_size_t next;
};

struct worker {
	struct pool *p;
	unsigned id;
	pthread_t thread;
};

static void drain(struct pool *p, unsigned id)
{
	size_t i;
	while ((i = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed)) < p->n)
		p->fn(p->arg, i, id);
}

static void *worker_main(void *v)
{
	struct worker *w = v;
	drain(w->p, w->id);
	return NULL;
}

void pool_for(unsigned jobs, size_t n, pool_fn fn, void *arg)
{
	struct pool p = { fn, arg, n, 0 };
	if (jobs > POOL_MAX_JOBS)
		jobs = POOL_MAX_JOBS;
	if (jobs > n)
		jobs = (unsigned)n;
	if (jobs <= 1) {
		for (size_t i = 0; i < n; i++)
			fn(arg, i, 0);
		return;
	}
	struct worker *w = xcalloc(jobs, sizeof(*w));
	unsigned started = 1;
	for (unsigned k = 1; k < jobs; k++) {
		w[started] = (struct worker){ &p, started, 0 };
		/* a thread that cannot start leaves its share to the others */
		if (pthread_create(&w[started].thread, NULL, worker_main, &w[started]) == 0)
			started++;
	}
	drain(&p, 0);
	for (unsigned k = 1; k < started; k++)
		pthread_join(w[k].thread, NULL);
	xfree(w);
}

unsigned pool_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > (long)POOL_MAX_JOBS ? POOL_MAX_JOBS : (unsigned)n;
}
