#include "components.h"

#include "../base/alloc.h"
#include "../base/path.h"
#include "../base/banned.h"

struct component_ref component_for_path(const struct topology *topo, const char *relpath)
{
	struct component_ref c = { NULL, -1, true };
	if (topo) {
		int i = topology_component_for_path(topo, relpath);
		if (i >= 0) {
			c.index = i;
			c.inferred = false;
			c.name = xstrdup(topo->components.items[i].name);
			return c;
		}
	}
	c.name = path_top_folder(relpath);
	if (!*c.name) {
		xfree(c.name);
		c.name = xstrdup("(root)");
	}
	return c;
}

void component_ref_release(struct component_ref *c)
{
	xfree(c->name);
	c->name = NULL;
}
