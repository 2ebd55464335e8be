#ifndef DISTARCH_DRIFT_H
#define DISTARCH_DRIFT_H
/*
 * Drift: the code's boundaries (code links, links.h) against the
 * topology's relationships.
 *
 *   DRIFT-MISSING   the code crosses a boundary no relationship of its
 *                   component accounts for (at the first call site);
 *   DRIFT-STALE     a relationship none of its two components' code shows,
 *                   when at least one of them has code here (at the
 *                   relationship in the topology file);
 *   DRIFT-UNMAPPED  a folder whose code crosses boundaries belongs to no
 *                   component (no `paths:` match, no component of its name).
 *
 * A link accounts for a relationship when the direction fits (a publish or
 * a request leaves its component, a consume or a route enters it, a
 * websocket goes both ways) and the mechanism does: the relationship's
 * `via:`/`pattern:` use a word of the link's kind (queue, topic, http,
 * websocket, pool, bucket...), of its library or its system (redis,
 * postgres), or the other end is the link's peer. Absence of code is
 * weaker evidence than presence, hence the severities: MISSING and
 * UNMAPPED warn, STALE is a note.
 *
 * Ownership: a drift owns its findings.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../report/finding.h"
#include "links.h"
#include "topology.h"

#define DRIFT_MISSING "DRIFT-MISSING"
#define DRIFT_STALE "DRIFT-STALE"
#define DRIFT_UNMAPPED "DRIFT-UNMAPPED"

struct drift {
	finding_vec findings; /* MISSING in code order, STALE in file order, UNMAPPED by folder */
	size_t relationships;  /* in the topology */
	size_t judged;         /* relationships with code on at least one side */
	size_t confirmed;      /* judged and shown by the code */
	size_t links;          /* code links considered */
};

void drift_init(struct drift *d);
void drift_release(struct drift *d);

/*
 * Compare. `topo_path` is how findings name the topology file (relative to
 * the scanned root). The links must have been collected against `t`.
 */
void drift_compare(struct drift *d, const struct topology *t, const char *topo_path,
		   const struct code_links *cl);

/* Does link `l` account for relationship `e` of `t` (see above)? */
bool drift_link_matches(const struct topology *t, const struct code_link *l,
			const struct topo_relationship *e);

/*
 * Write the findings and the tally as text, json (with the code links) or
 * markdown (`format`); colour only for text with `color`. Returns 0 or -1.
 */
int drift_write(const struct drift *d, const struct code_links *cl, const char *topo_path,
		const char *format, bool color, FILE *out);

#endif
