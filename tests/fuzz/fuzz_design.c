/*
 * Arbitrary bytes as a topology, then the whole design review and both
 * diagrams on whatever loaded (entities included): the graph algorithms and
 * bounded searches must never crash, hang or leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "topo/analyze.h"
#include "topo/diagram.h"
#include "topo/topology.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct topology t;
	struct topo_review rv;

	topology_init(&t);
	topology_load_buffer(&t, "fuzz", (const char *)data, size);
	topo_review_run(&rv, &t, size % 7 ? (unsigned)(size % 50) : 0);
	FILE *devnull = fopen("/dev/null", "w");
	if (devnull) {
		topo_diagram_write(devnull, DIAGRAM_MERMAID, &t, &rv);
		topo_diagram_write(devnull, DIAGRAM_DOT, &t, &rv);
		fclose(devnull);
	}
	topo_review_release(&rv);
	topology_release(&t);
	return 0;
}
