/* Arbitrary bytes into the JavaScript/TypeScript/TSX front-end: no crash, no hang, no leak. */
#include <stddef.h>
#include <stdint.h>

#include "lang/lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the first byte picks the grammar, so one corpus exercises all three */
	static const enum lang langs[] = { LANG_JAVASCRIPT, LANG_TYPESCRIPT, LANG_TSX };
	struct file_facts ff;
	enum lang l = size ? langs[data[0] % 3] : LANG_JAVASCRIPT;

	file_facts_init(&ff, "fuzz.ts", l);
	js_extract((const char *)data, size, &ff);
	file_facts_release(&ff);
	return 0;
}
