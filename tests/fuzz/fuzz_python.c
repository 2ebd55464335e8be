/* Arbitrary bytes into the Python front-end: no crash, no hang, no leak. */
#include <stddef.h>
#include <stdint.h>

#include "lang/lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct file_facts ff;

	file_facts_init(&ff, "fuzz.py", LANG_PYTHON);
	python_extract((const char *)data, size, &ff);
	file_facts_release(&ff);
	return 0;
}
