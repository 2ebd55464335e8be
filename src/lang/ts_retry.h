#ifndef DISTARCH_TS_RETRY_H
#define DISTARCH_TS_RETRY_H
/*
 * Retry loops from a front-end's handler and loop facts, for the
 * front-ends whose handlers are try/except clauses (python, js, java; go's
 * error checks have their own pass). The front-end records, while it walks,
 * one ts_hextra per fact_handler and one ts_lextra per fact_loop, at the
 * same indices; ts_find_retries() runs once the whole file is walked,
 * since it needs what each loop body did.
 */
#include <stdbool.h>

#include "../facts/facts.h"

/* Per-handler facts that only the retry pass needs. */
struct ts_hextra {
	int try_first;    /* the first handler of the try statement this one belongs to */
	bool direct_exit; /* a direct break or return in the clause */
	bool try_exits;   /* the try body (or else) breaks out of / returns from the loop */
};

/* Per-loop facts that only the retry pass needs. */
struct ts_lextra {
	bool is_range;    /* a counted for: python's for-in-range(N), a C-style for(;cond;) */
	bool counted;     /* a retry counter: a literal bound, counter-like names */
	int attempts;
	bool retry_done;
};

/* What a loop that iterates (fact_loop.iter set: for x in items) is to the retry pass. */
enum ts_iter_loop {
	TS_ITER_AS_WHILE, /* judged as any loop, named "while-loop" unless is_range */
	TS_ITER_AS_FOR,   /* judged as any loop, named "for-loop" */
	TS_ITER_SKIP,     /* never a retry loop: it iterates, it does not retry */
};

/*
 * Add a RETRY_LOOP fact for each loop holding a try whose except clause
 * goes around again (does not re-raise, break or return directly, or
 * continues), when the loop is counted (range(N), an attempt counter) or is
 * an infinite loop whose try body leaves it on success. `hx` has
 * ff->handlers.len items, `lx` ff->loops.len; lx[].retry_done is set.
 */
void ts_find_retries(struct file_facts *ff, const struct ts_hextra *hx, struct ts_lextra *lx,
		     enum ts_iter_loop iter);

/* A statement that leaves where it stands, as the retry pass sees it. */
enum ts_exit { TS_EXIT_RAISE, TS_EXIT_RETURN, TS_EXIT_CONTINUE, TS_EXIT_BREAK };

/*
 * Record a raise/throw, return, continue or break on the handlers around
 * it: `handler_direct` is the clause whose block holds it directly,
 * `handler_nl` the innermost clause with no loop in between, `exit_try`
 * the first handler of the innermost try whose body (or else) holds it
 * with no loop in between (each -1 when none). `hx` is indexed like
 * ff->handlers.
 */
void ts_note_exit(struct file_facts *ff, struct ts_hextra *hx, enum ts_exit e, int handler_direct,
		  int handler_nl, int exit_try);

#endif
