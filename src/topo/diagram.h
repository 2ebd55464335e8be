#ifndef DISTARCH_TOPO_DIAGRAM_H
#define DISTARCH_TOPO_DIAGRAM_H
/*
 * Diagrams of a topology: components with their counts, relationships
 * labelled with mechanism and cardinality, and what the design review
 * found highlighted (single points of failure and bottlenecks on the
 * components; feedback loops and over-budget retry paths on the edges).
 * Output is deterministic (file order), so diagrams can be golden files.
 */
#include <stdio.h>

#include "analyze.h"

enum diagram_kind { DIAGRAM_MERMAID, DIAGRAM_DOT };

/* `rv` may be NULL: a plain diagram. Returns 0, or -1 on a write error. */
int topo_diagram_write(FILE *out, enum diagram_kind kind, const struct topology *t,
		       const struct topo_review *rv);

/*
 * Render DOT to SVG through Graphviz's `dot` found on PATH, onto `out`'s
 * file descriptor. Returns 0, or -1 after an error naming what went wrong
 * (no `dot` on PATH, dot failing).
 */
int topo_diagram_svg(FILE *out, const struct topology *t, const struct topo_review *rv);

#endif
