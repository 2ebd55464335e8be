#ifndef DISTARCH_COMPONENTS_H
#define DISTARCH_COMPONENTS_H
/*
 * Which component a file belongs to: the first topology component whose
 * `paths:` globs match it; without a match (or without a topology), the
 * file's top-level folder, marked as inferred.
 */
#include <stdbool.h>

#include "../topo/topology.h"

struct component_ref {
	char *name;    /* owned; "(root)" for a top-level file without a topology match */
	int index;     /* into topo->components, -1 when inferred */
	bool inferred;
};

struct component_ref component_for_path(const struct topology *topo, const char *relpath);
void component_ref_release(struct component_ref *c);

#endif
