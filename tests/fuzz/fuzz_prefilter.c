/*
 * Arbitrary bytes to the prefilter's scanners (src/source/prefilter.c):
 * the needle test in every language, the token scanner, and the names of
 * the facts the Python front-end makes of the same bytes. No crash, hang or
 * leak; a file's tokens meet themselves whenever there are any.
 */
#include <stdint.h>
#include <stdlib.h>

#include "lang/lang.h"
#include "models/models.h"
#include "source/prefilter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model_set models;
	static struct prefilter *pf;
	if (!pf) {
		model_set_init(&models);
		if (models_load_builtin(&models) < 0)
			abort();
		pf = prefilter_new(&models);
	}
	const char *s = (const char *)data;
	for (int l = LANG_NONE; l < LANG__COUNT; l++)
		(void)prefilter_is_seed(pf, (enum lang)l, s, size);
	pf_set toks = VEC_INIT, names = VEC_INIT;
	prefilter_tokens(s, size, &toks);
	if (toks.len && !u64set_meet(toks.items, toks.len, toks.items, toks.len))
		abort();
	struct file_facts ff;
	file_facts_init(&ff, "fuzz.py", LANG_PYTHON);
	if (python_extract(s, size, &ff) == 0) {
		prefilter_add_names(&names, &ff);
		u64set_seal(&names);
		(void)u64set_meet(toks.items, toks.len, names.items, names.len);
	}
	file_facts_release(&ff);
	VEC_FREE(&toks);
	VEC_FREE(&names);
	return 0;
}
