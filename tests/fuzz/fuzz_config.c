/*
 * Arbitrary bytes to config_load_buffer: never a crash, hang or leak; a
 * refused file sets nothing.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;

	diag_set_quiet(1);
	config_init(&c);
	if (config_load_buffer(&c, "fuzz", (const char *)data, size) < 0 && (c.rules.len || c.exclude.len || c.fail_on))
		__builtin_trap();
	config_excludes(&c, "src/a/b.py");
	config_check_rules(&c, NULL);
	config_release(&c);
	return 0;
}
