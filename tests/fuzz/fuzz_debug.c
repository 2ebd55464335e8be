/*
 * Fuzz `distarch debug` without the repository scan and the logs: the first
 * line is the symptom (src/debug/symptom.c matches it against the built-in
 * catalog), the rest a topology; the backward trace starts at a component the
 * second byte picks, the hypotheses are ranked (with their forward traces) and
 * the report is written in every format. Never a crash, hang or leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "catalog/catalog.h"
#include "debug/debug.h"
#include "report/debug_report.h"
#include "topo/topology.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct catalog cat;
static int ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nl = memchr(text, '\n', size);
	size_t first = nl ? (size_t)(nl - text) : size;
	struct topology t;
	struct debug_result r;

	diag_set_quiet(1);
	if (!ready) {
		catalog_init(&cat);
		if (catalog_load_builtin(&cat) < 0)
			__builtin_trap();
		ready = 1;
	}
	char *symptom = xstrndup(text, first); /* stops at a NUL, as argv would */
	topology_init(&t);
	debug_result_init(&r);
	r.symptom = symptom;
	r.catalog = &cat;
	if (nl && topology_load_buffer(&t, "fuzz", nl + 1, size - first - 1) == 0 && t.components.len) {
		r.topo = &t;
		r.start = size > 1 && data[1] % 4 ? (int)(data[1] % t.components.len) : -1;
		if (r.start >= 0)
			r.component = t.components.items[r.start].name;
	}
	symptom_match(&cat, symptom, &r.matches);
	trace_backward(r.topo, r.start, 4, &r.findings, &r.trace);
	hypo_rank(&r, 3);
	FILE *null = fopen("/dev/null", "w");
	if (null) {
		debug_write_text(&r, null);
		debug_write_json(&r, null);
		debug_write_markdown(&r, null);
		fclose(null);
	}
	debug_result_release(&r);
	topology_release(&t);
	xfree(symptom);
	return 0;
}
