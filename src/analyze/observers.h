#ifndef DISTARCH_OBSERVERS_H
#define DISTARCH_OBSERVERS_H
/*
 * Observer enumeration: "who observes this state write?"
 *
 * Given a state write (field and value), list every state read in the
 * repository (index_readers) that would see it: reads whose value list
 * holds the written value (values_match), and reads of the field without a
 * value list. For each observer say whether it SELECTS (chooses among
 * several: fact_read.selects) and whether it DISPATCHES: the reading
 * function, or a caller of it (up to OBS_MAX_UP hops of the call graph,
 * by function name), reaches a remote send (a call whose model op is
 * stream.send, queue.publish, http.request or rpc.call) directly or through
 * functions of the repository it calls (up to OBS_MAX_DOWN hops). An
 * unresolved call counts as a send when a model's `method` + `receiver`
 * entry for a send operation fits it though the file does not import that
 * library (`self.ws.send` in a file that only holds the socket): the
 * meaning still comes from the model data, never from C.
 *
 * A read in an anonymous callback (`workers.find(w => w.status ===
 * 'idle')`) is the observer of the function it is written in: that
 * function names it, and its send counts when the callback has none.
 * Reads and writes meet by field key and value key whatever the language
 * (index_field_key, index_link_consts): a Go worker's message field
 * `Status: StatusIdle` is observed by a TypeScript `w.status === 'idle'`.
 *
 * Call-graph links are by name, as the index keys them: `self.f()` links
 * to a function `f` of the same class, `f()` to a module-level `f`, and
 * `obj.f()` to a method `f` of any class. Generic names (`get`, `run`,
 * `__init__`, ...) with many definitions are followed to at most
 * OBS_MAX_DEFS definitions.
 *
 * Ownership: an observer_list owns its vector (observers_release frees
 * it); every pointer in it (files, names, paths) is borrowed from the
 * index and valid while the index lives. No global state: two lists may
 * be built at once, from any thread that owns its index.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../facts/index.h"
#include "../models/models.h"

#define OBS_MAX_UP 2    /* caller hops from the reading function */
#define OBS_MAX_DOWN 3  /* callee hops from a function on the way up to the send */
#define OBS_MAX_PATH (OBS_MAX_UP + OBS_MAX_DOWN + 2)
#define OBS_MAX_DEFS 8

enum obs_match {
	OBS_MATCH_VALUE, /* the read's values hold the written value (positive test) */
	OBS_MATCH_ANY,   /* the read tests the field without a value list */
};

/* One link of a dispatch path: a call made in a function. */
struct obs_step {
	const struct file_facts *ff;
	int func;            /* the function making the call (ff->functions), -1 module level */
	size_t call;         /* ff->calls index */
	const char *op;      /* the send operation when this call is the send, else NULL */
	bool up;             /* a call that reaches the previous step's function (a caller hop) */
	bool by_receiver;    /* the send matched a model's method+receiver outside its imports */
};

struct observer {
	const struct file_facts *ff;
	size_t read;         /* ff->reads index */
	const char *path;    /* ff->path */
	uint32_t line;
	int func;            /* ff->functions index of the reading function, -1 */
	const char *function; /* its name, or "<module>" */
	const char *cls;     /* its class, or NULL */
	enum obs_match match;
	bool selects;
	bool dispatches;
	/*
	 * The dispatch path, in execution order as a reader would follow it:
	 * first the caller hops from the reading function up (each step `up`:
	 * the call in the caller that reaches the function below), then the
	 * calls down to the send; the last step is the send (op != NULL).
	 */
	struct obs_step hops[OBS_MAX_PATH];
	size_t nhops;
};

struct observer_list {
	struct observer *items;
	size_t len, cap;
	struct dep_slice deps; /* observers_of's memo: the lookups that made it (facts/deps.h) */
};

/*
 * Every observer of `field` = `value` in the repository (value NULL: every
 * read of the field, all OBS_MATCH_ANY or VALUE as their lists say).
 * Negated reads (`!=`, `not in`) never match a value: they observe its
 * absence. `models` may be NULL (no receiver fallback). Appends to `out`
 * (zero-initialise it first) in index order; returns how many it added.
 */
size_t observers_find(const struct fact_index *ix, const struct model_set *models,
		      const char *field, const char *value, struct observer_list *out);
void observers_release(struct observer_list *l);

/*
 * What observer searches over one index share: per function, the send it
 * makes or the calls that may lead to one, worked out at its first visit
 * (functions of the index and models alone, so the answers are those of
 * observers_find). Valid while `ix` and `models` are unchanged; one thread
 * at a time. observers_find_in is observers_find with a memo.
 */
struct observers_memo;
struct observers_memo *observers_memo_new(const struct fact_index *ix, const struct model_set *models);
void observers_memo_free(struct observers_memo *m);
size_t observers_find_in(struct observers_memo *m, const char *field, const char *value,
			 struct observer_list *out);
/* observers_find_in's list for (field, value), found once per memo; the memo owns it. */
const struct observer_list *observers_of(struct observers_memo *m, const char *field, const char *value);

/* Is `op` a remote send (stream.send, queue.publish, http.request, rpc.call)? */
bool observers_op_is_send(const char *op);

/*
 * The availability vocabulary shared by AP-1 and AP-6 (value keys as
 * value_key() gives them):
 *   ready: the value offers the instance for work (IDLE, "ready",
 *          available, free, online, SERVING, ...; a boolean field that
 *          says so: busy=False, dead=False, available=True);
 *   hold:  the value keeps it out of selection (BUSY, DOWN, dead, offline,
 *          draining, ...; busy=True, healthy=False).
 * `field` is the written field ("status", "busy"); `value` as written.
 * `extra` (AP-6) also counts presence claims as ready: registered, leader,
 * "ok".
 */
bool state_value_ready(const char *field, const char *value, bool extra);
bool state_value_hold(const char *field, const char *value);
/* A word of a failure: "failed", "error", "unreachable", "lost", "timeout"... (in a value or name key). */
bool state_word_failure(const char *key);

/* "Dispatcher._pick_worker" or "notify" into buf (for messages). */
const char *observers_func_name(const struct file_facts *ff, int func, char *buf, size_t n);

#endif
