#include "alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct alloc_hooks hooks = { malloc, realloc, free };

void alloc_set_hooks(const struct alloc_hooks *h)
{
	if (h)
		hooks = *h;
	else
		hooks = (struct alloc_hooks){ malloc, realloc, free };
}

static void oom(size_t size)
{
	fprintf(stderr, "distarch: fatal: out of memory allocating %zu bytes\n", size);
	exit(2);
}

void *xmalloc(size_t size)
{
	void *p = hooks.malloc(size ? size : 1);
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
	void *p = hooks.realloc(ptr, size ? size : 1);
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
