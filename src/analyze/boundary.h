#ifndef DISTARCH_BOUNDARY_H
#define DISTARCH_BOUNDARY_H
/*
 * Layer 1, the boundary detector: for a region of a file (a changed hunk, or
 * a function of a wholly selected file), which boundary signals its facts
 * touch. Cheap and always on; when a region has no signal nothing further
 * runs for it.
 *
 *   state-mutation   writes state another actor reads (a status field, a
 *                    status key, a SQL SET, a status in a message)
 *   data-lifecycle   data crosses a queue, storage or serialization
 *                    boundary, or is consumed, ACKed, committed or deleted
 *   failure-mode     error, retry or timeout handling around a call that
 *                    crosses a component boundary
 *   interaction      a call, message or event between components
 *
 * Ownership: a boundary_unit owns its label and hits (reasons are
 * heap strings); boundary_unit_release frees them.
 */
#include <stdint.h>

#include "../base/vec.h"
#include "../facts/facts.h"

enum signal {
	SIG_STATE_MUTATION,
	SIG_DATA_LIFECYCLE,
	SIG_FAILURE_MODE,
	SIG_INTERACTION,
	SIG__COUNT
};
const char *signal_name(enum signal s);

struct signal_hit {
	enum signal sig;
	struct span at;
	char *reason; /* "writes worker.status = WorkerStatus.IDLE in an except httpx.ConnectError handler" */
};

struct boundary_unit {
	const char *path;  /* borrowed from the facts */
	uint32_t first, last; /* the region's lines */
	char *label;       /* "lines 40-47" or "function dispatch_loop" */
	const char *component; /* borrowed (topology or inferred) */
	VEC(struct signal_hit) hits;
};

void boundary_unit_release(struct boundary_unit *u);

/*
 * Append to `u` the signals of the facts of `ff` that lie in
 * [u->first, u->last]. Hits are ordered by line, then signal.
 */
void boundary_detect(const struct file_facts *ff, struct boundary_unit *u);

/*
 * Many units of one file: boundary_detect_file() finds the hits of the
 * whole file once (unsorted, in detection order), and boundary_select()
 * appends to `u` those in its lines, exactly as boundary_detect(ff, u).
 */
void boundary_detect_file(const struct file_facts *ff, struct boundary_unit *all);
void boundary_select(const struct boundary_unit *all, struct boundary_unit *u);

/* Does a model operation cross a component boundary (network, queue, storage)? */
int op_is_remote(const char *op);

#endif
