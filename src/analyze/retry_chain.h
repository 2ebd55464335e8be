#ifndef DISTARCH_RETRY_CHAIN_H
#define DISTARCH_RETRY_CHAIN_H
/*
 * Which retry layers wrap one remote call: the question behind AP-5
 * (compounding retry) and the "retry product" a failure-mode checklist asks.
 *
 * Layers are found from facts only, innermost first:
 *
 *   client    retry configuration of the client the call goes through
 *             (httpx transport retries, urllib3 Retry mounted on a session,
 *             botocore Config, an SDK's default): a RETRY_CLIENT fact bound
 *             to the call's receiver through `assigned_to` / `carrier` and
 *             configuration objects passed by name (`config=S3_CONFIG`);
 *             a client fact made at the call itself (kombu
 *             `publish(retry=True)`) covers that call only
 *   code      retry decorators on the call's function and retry loops around
 *             the call (in the guarded body of a try whose except goes
 *             around, with no inner loop in between), then the same around
 *             each call site of that function, up through the callers
 *   topology  `retries:` of the one relationship the call crosses (from the
 *             caller's component, `via` naming the call's protocol), unless
 *             the relationship documents a layer already in the chain
 *
 * Callers are resolved conservatively (bounded depth RETRY_CHAIN_DEPTH,
 * recursion cut): `self.name()` within the same class, a bare `name()` in
 * the same file, else a definition that is the only one of that name among
 * the caller's own file and the files it imports. Library calls (a model
 * matched them) are never callers. Of several caller paths the one with the
 * most layers (then the largest product) is kept.
 *
 * Ownership: a retry_chain owns its links vector and the `bound_to` names;
 * every other string and pointer in a link is borrowed from the facts or the
 * topology and lives as long as they do.
 */
#include <stdbool.h>
#include <stdint.h>

#include "detect.h"

#define RETRY_CHAIN_DEPTH 4 /* callers followed above the call's function */

enum retry_role {
	RETRY_ROLE_CLIENT,   /* the call's own client / transport / SDK configuration */
	RETRY_ROLE_CODE,     /* a decorator or retry loop around the call or one of its callers */
	RETRY_ROLE_TOPOLOGY, /* a relationship's `retries:` */
};

struct retry_link {
	enum retry_role role;
	enum retry_kind kind;
	const char *path;       /* the layer's file (topology: the topology file) */
	uint32_t line;
	const char *source;     /* "tenacity.retry", "for-loop", "httpx.AsyncHTTPTransport", "topology" */
	int attempts;           /* total attempts, -1 unknown or unbounded */
	bool is_default;        /* an SDK default: nothing in the code asks for it */
	int depth;              /* 0: the call's function; k: k call sites up */
	const struct file_facts *ff;    /* NULL for a topology layer */
	const struct fact_retry *retry; /* NULL for a topology layer */
	int func;               /* the function the layer wraps or sits in, -1 */
	uint32_t via_line;      /* for code layers above depth 0: the call site it wraps, else 0 */
	const char *bound_to;   /* client layers: the client the configuration reaches ("self._http"), owned by the chain */
	const struct topo_relationship *rel; /* topology layers only */
};

typedef VEC(struct retry_link) retry_linkvec;

struct retry_chain {
	retry_linkvec links; /* innermost first */
	long product;  /* product of the known attempt counts (capped at 1e9) */
	int unknown;   /* layers whose count is unknown or unbounded */
	int defaults;  /* layers that are only an SDK default */
	VEC(char *) strings; /* owned: names the links point at (bound_to) */
};

void retry_chain_init(struct retry_chain *c);
void retry_chain_release(struct retry_chain *c);

/*
 * What every chain of one analysis shares, worked out once: the resolved
 * call sites of a function, and which definition of a name a file can see.
 * Both are functions of the index alone, so a memo lives exactly as long
 * as its analysis (analysis_init makes a->retry_memo, analysis_release
 * frees it) and serves AP-5 and the checklists' retry product alike. An
 * analysis without one (NULL) resolves everything again for each chain.
 */
struct retry_memo *retry_memo_new(void);
void retry_memo_free(struct retry_memo *m);

/*
 * The client retry configurations of one file and the names they reach,
 * computed once per file for bulk use (a detector walking every call).
 * Owns its arrays; valid while the file's facts live.
 */
struct binding;
struct retry_client {
	const struct fact_retry *retry;
	struct binding *b;
};
struct retry_clients {
	const struct file_facts *ff;
	struct retry_client *items;
	size_t n;
};
void retry_clients_init(struct retry_clients *rc, const struct file_facts *ff);
void retry_clients_release(struct retry_clients *rc);
bool retry_chain_operation_in(const struct retry_clients *rc, size_t call);
size_t retry_chain_for_call_in(const struct analysis *a, const struct retry_clients *rc, size_t call,
			       struct retry_chain *out);

/* Is this call an operation whose retries compound (a remote request, publish, write, ...)? */
bool retry_chain_is_operation(const struct analysis *a, const struct file_facts *ff, size_t call);

/*
 * Fill `out` (initialised, emptied first) with the layers that wrap call
 * `call` of `ff`. Returns the number of layers.
 */
size_t retry_chain_for_call(const struct analysis *a, const struct file_facts *ff, size_t call,
			    struct retry_chain *out);

/* "Cls.name" (or "name") of a function fact, written into `buf` (empty for -1). */
const char *retry_chain_func_name(const struct file_facts *ff, int func, char *buf, size_t bufsz);

#endif
