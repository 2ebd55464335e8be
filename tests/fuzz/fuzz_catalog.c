/*
 * Fuzz the catalog entry parser and the module parser: the same bytes go
 * to both (an entry is Markdown with YAML front matter, a module is YAML).
 * A loaded entry is also rendered in every format, so that whatever an
 * entry can hold is exercised by the writers.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

#include "base/diag.h"
#include "catalog/catalog.h"
#include "catalog/module.h"
#include "catalog/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void render_all(const struct catalog *c)
{
	FILE *null = fopen("/dev/null", "w");

	if (!null)
		return;
	for (size_t i = 0; i < catalog_count(c); i++) {
		const struct catalog_entry *e = catalog_at(c, i);
		json_t *j = catalog_entry_json(e);
		if (!j)
			__builtin_trap(); /* the loader must only keep JSON-safe text */
		json_decref(j);
		catalog_show_text(null, e);
		catalog_show_markdown(null, e);
	}
	catalog_list_text(null, c);
	json_decref(catalog_list_json(c));
	fclose(null);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct catalog c;
	struct module_set ms;

	diag_set_quiet(1);
	catalog_init(&c);
	if (catalog_load_buffer(&c, "fuzz.md", (const char *)data, size) == 0)
		render_all(&c);
	catalog_release(&c);

	module_set_init(&ms);
	if (modules_load_buffer(&ms, "fuzz.yaml", (const char *)data, size) == 0) {
		const struct module *m = module_at(&ms, 0);
		for (size_t q = 0; q < m->nquestions; q++)
			(void)module_answer_name(m->questions[q].answer);
		(void)module_for_trigger(&ms, m->trigger);
	}
	module_set_release(&ms);
	return 0;
}
