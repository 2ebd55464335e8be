#include "alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct alloc_hooks hooks = { malloc, realloc, free };

void alloc_set_hooks(const struct alloc_hooks *h)
{
	if (h)
		hooks = *h;
	else
		hooks = (struct alloc_hooks){ malloc, realloc, free };
}

/* DISTARCH_FAIL_ALLOC_AFTER: the allocation that fails (1-based), 0 = none. */
static unsigned long long fail_at;
static _Atomic unsigned long long alloc_count;

void alloc_init(void)
{
	const char *v = getenv("DISTARCH_FAIL_ALLOC_AFTER");
	char *end;
	fail_at = v && *v ? strtoull(v, &end, 10) : 0;
	if (v && *v && *end)
		fail_at = 0;
}

/* Is this allocation the one to fail? One branch on a constant when the knob is off. */
static int injected(void)
{
	return fail_at && ++alloc_count == fail_at;
}

/*
 * No exit handlers and no flush of stdout: a report cut short stays cut
 * short on the way out, and the status says it is incomplete.
 */
static void oom(size_t size)
{
	char msg[96];
	int n = snprintf(msg, sizeof(msg), "distarch: error: out of memory (allocating %zu bytes)\n", size);
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0)
		n = 0;
	_exit(2);
}

void *xmalloc(size_t size)
{
	void *p = injected() ? NULL : hooks.malloc(size ? size : 1);
	if (!p)
		oom(size);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		oom(SIZE_MAX);
	void *p = xmalloc(nmemb * size);
	memset(p, 0, nmemb * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = injected() ? NULL : hooks.realloc(ptr, size ? size : 1);
	if (!p)
		oom(size);
	return p;
}

void xfree(void *ptr)
{
	hooks.free(ptr);
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

void *xgrow(void *ptr, size_t elsize, size_t need, size_t *cap)
{
	if (need <= *cap)
		return ptr;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elsize)
			oom(SIZE_MAX);
		ncap *= 2;
	}
	*cap = ncap;
	return xrealloc(ptr, ncap * elsize);
}
