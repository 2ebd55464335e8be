/* Arbitrary bytes into the Java front-end: no crash, no hang, no leak. */
#include <stddef.h>
#include <stdint.h>

#include "lang/lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct file_facts ff;

	file_facts_init(&ff, "Fuzz.java", LANG_JAVA);
	java_extract((const char *)data, size, &ff);
	file_facts_release(&ff);
	return 0;
}
