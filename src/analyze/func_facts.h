#ifndef DISTARCH_FUNC_FACTS_H
#define DISTARCH_FUNC_FACTS_H
/*
 * One file's calls and writes grouped by their enclosing function, so that
 * a detector walking every function of a file reads each fact once instead
 * of once per function (a generated Go file has thousands of both).
 *
 * Within a function the indices keep fact order (source order), so a loop
 * over func_facts_calls() visits exactly the calls that `for (i...) if
 * (calls[i].func == func)` visits, in the same order. A fact whose func is
 * not a function of the file (module level, -1) is in no function's list.
 * The struct owns its arrays; func_facts_release() frees them.
 */
#include <stddef.h>

#include "../facts/facts.h"

struct func_facts {
	size_t nfuncs;
	size_t *call_start;  /* offsets into call_idx: function f has [f], [f + 1] */
	size_t *call_idx;    /* call indices, grouped by function */
	size_t *write_start; /* the same for write_idx */
	size_t *write_idx;   /* write indices, grouped by function */
};

void func_facts_init(struct func_facts *fx, const struct file_facts *ff);
void func_facts_release(struct func_facts *fx);

/* The calls (writes) of function `func`: *n indices into ff->calls (ff->writes). */
const size_t *func_facts_calls(const struct func_facts *fx, int func, size_t *n);
const size_t *func_facts_writes(const struct func_facts *fx, int func, size_t *n);

#endif
