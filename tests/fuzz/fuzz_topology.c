/*
 * Arbitrary bytes to topology_load_buffer: it must never crash, hang or
 * leak, whatever the input (syntax errors, aliases, deep nesting, NUL bytes).
 */
#include <stddef.h>
#include <stdint.h>

#include "topo/topology.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct topology t;

	topology_init(&t);
	topology_load_buffer(&t, "fuzz", (const char *)data, size);
	/* Exercise the lookups on whatever was loaded. */
	for (size_t i = 0; i < t.components.len; i++) {
		if (topology_find(&t, t.components.items[i].name) < 0)
			__builtin_trap();
	}
	topology_component_for_path(&t, "src/a/b.py");
	topology_release(&t);
	return 0;
}
