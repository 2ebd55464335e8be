/*
 * Arbitrary bytes to baseline_load_buffer: never a crash, hang or leak; a
 * refused file adds no entry.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "report/baseline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct baseline b;

	diag_set_quiet(1);
	baseline_init(&b);
	if (baseline_load_buffer(&b, "fuzz", (const char *)data, size) < 0 && b.entries.len)
		__builtin_trap();
	baseline_release(&b);
	return 0;
}
