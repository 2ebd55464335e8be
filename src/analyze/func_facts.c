#include "func_facts.h"

#include "../base/alloc.h"
#include "../base/banned.h"

/*
 * A counting sort of `n` facts by their function: start[f]..start[f+1] in
 * idx are the facts of function f, in fact order. `func_of` reads the
 * enclosing function of fact i (an int at `stride` bytes apart from `base`).
 */
static void group(size_t nfuncs, const void *base, size_t n, size_t stride, size_t func_off,
		  size_t **start_out, size_t **idx_out)
{
	size_t *start = xcalloc(nfuncs + 2, sizeof(*start));
	size_t *idx = xcalloc(n + 1, sizeof(*idx));
	const char *p = base;
	for (size_t i = 0; i < n; i++) {
		int f = *(const int *)(p + i * stride + func_off);
		if (f >= 0 && (size_t)f < nfuncs)
			start[f + 2]++;
	}
	/* start[f + 1] becomes the first slot of f; filling advances it to f's end */
	for (size_t f = 0; f < nfuncs; f++)
		start[f + 2] += start[f + 1];
	for (size_t i = 0; i < n; i++) {
		int f = *(const int *)(p + i * stride + func_off);
		if (f >= 0 && (size_t)f < nfuncs)
			idx[start[f + 1]++] = i;
	}
	*start_out = start;
	*idx_out = idx;
}

void func_facts_init(struct func_facts *fx, const struct file_facts *ff)
{
	fx->nfuncs = ff->functions.len;
	group(fx->nfuncs, ff->calls.items, ff->calls.len, sizeof(*ff->calls.items),
	      offsetof(struct fact_call, func), &fx->call_start, &fx->call_idx);
	group(fx->nfuncs, ff->writes.items, ff->writes.len, sizeof(*ff->writes.items),
	      offsetof(struct fact_write, func), &fx->write_start, &fx->write_idx);
}

void func_facts_release(struct func_facts *fx)
{
	xfree(fx->call_start);
	xfree(fx->call_idx);
	xfree(fx->write_start);
	xfree(fx->write_idx);
	fx->call_start = fx->call_idx = fx->write_start = fx->write_idx = NULL;
	fx->nfuncs = 0;
}

static const size_t *slice(const size_t *start, const size_t *idx, size_t nfuncs, int func, size_t *n)
{
	if (func < 0 || (size_t)func >= nfuncs) {
		*n = 0;
		return idx;
	}
	*n = start[func + 1] - start[func];
	return idx + start[func];
}

const size_t *func_facts_calls(const struct func_facts *fx, int func, size_t *n)
{
	return slice(fx->call_start, fx->call_idx, fx->nfuncs, func, n);
}

const size_t *func_facts_writes(const struct func_facts *fx, int func, size_t *n)
{
	return slice(fx->write_start, fx->write_idx, fx->nfuncs, func, n);
}
