#ifndef DISTARCH_TOPO_SHOW_H
#define DISTARCH_TOPO_SHOW_H
/*
 * The topology as `topology show` prints it: text, or the JSON object
 * {"version":1,"path","components","relationships","convergence_points"}.
 */
#include <jansson.h>
#include <stdio.h>

#include "topology.h"

void topology_show_text(const struct topology *t, FILE *out);
/* The JSON object (new reference), or NULL when it cannot be built. */
json_t *topology_show_value(const struct topology *t);
/* The object, indented, and a newline; -1 when it cannot be built. */
int topology_show_json(const struct topology *t, FILE *out);

#endif
