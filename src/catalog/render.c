/*
 * Text, JSON and Markdown forms of catalog entries (see render.h).
 */
#include "render.h"

#include <ctype.h>
#include <string.h>

#include "../base/banned.h"

static void put_joined(FILE *out, const struct textlist *l, const char *sep)
{
	for (size_t i = 0; i < l->len; i++)
		fprintf(out, "%s%s", i ? sep : "", l->items[i]);
}

/* Each line of `text` after `indent`. */
static void put_indented(FILE *out, const char *text, const char *indent)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		if (n)
			fprintf(out, "%s%.*s", indent, (int)n, text);
		fputc('\n', out);
		text += n + (nl ? 1 : 0);
	}
}

void catalog_list_text(FILE *out, const struct catalog *c)
{
	for (size_t i = 0; i < catalog_count(c); i++) {
		const struct catalog_entry *e = catalog_at(c, i);
		fprintf(out, "%-6s %s (%s; ", e->id, e->name, severity_name(e->severity));
		put_joined(out, &e->signals, ", ");
		fprintf(out, ")%s\n       %s\n", e->builtin ? "" : " [user]", e->summary);
	}
}

static json_t *jlist(const struct textlist *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->len; i++)
		json_array_append_new(a, json_string(l->items[i]));
	return a;
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *catalog_list_json(const struct catalog *c)
{
	json_t *entries = json_array();

	for (size_t i = 0; i < catalog_count(c); i++) {
		const struct catalog_entry *e = catalog_at(c, i);
		json_array_append_new(entries, json_pack("{s:s, s:s, s:s, s:s, s:o, s:b, s:s}",
			"id", e->id, "name", e->name, "summary", e->summary,
			"severity", severity_name(e->severity), "signals", jlist(&e->signals),
			"builtin", e->builtin, "path", e->path));
	}
	return json_pack("{s:i, s:o}", "version", 1, "entries", entries);
}

json_t *catalog_entry_json(const struct catalog_entry *e)
{
	json_t *refs = json_array();

	for (size_t i = 0; i < e->nrefs; i++) {
		const struct catalog_ref *r = &e->refs[i];
		json_array_append_new(refs, json_pack("{s:s, s:s, s:o, s:o}", "project", r->project,
			"ref", r->ref, "language", jstr(r->language), "note", jstr(r->note)));
	}
	json_t *j = json_pack("{s:i, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:s, s:s, "
			 "s:i, s:b}",
		"version", 1, "id", e->id, "name", e->name, "summary", e->summary,
		"severity", severity_name(e->severity), "signals", jlist(&e->signals),
		"modules", jlist(&e->modules), "symptoms", jlist(&e->symptoms),
		"detection", e->detection, "fix", jlist(&e->fix), "references", refs,
		"body", e->body, "path", e->path, "line", (int)e->line, "builtin", e->builtin);
	if (j && e->nlog_evidence) {
		json_t *le = json_object();
		for (size_t i = 0; i < e->nlog_evidence; i++)
			json_object_set_new(le, e->log_evidence[i].name, jlist(&e->log_evidence[i].words));
		json_object_set_new(j, "log_evidence", le);
	}
	if (j && e->signature)
		json_object_set_new(j, "signature", json_string(e->signature));
	if (j && e->seen)
		json_object_set_new(j, "seen", json_integer(e->seen));
	return j;
}

static void put_items(FILE *out, const char *title, const struct textlist *l)
{
	fprintf(out, "\n%s:\n", title);
	for (size_t i = 0; i < l->len; i++)
		fprintf(out, "  - %s\n", l->items[i]);
}

void catalog_show_text(FILE *out, const struct catalog_entry *e)
{
	fprintf(out, "%s  %s\n%s\n\n", e->id, e->name, e->summary);
	fprintf(out, "severity: %s\nsignals:  ", severity_name(e->severity));
	put_joined(out, &e->signals, ", ");
	fputs("\nmodules:  ", out);
	put_joined(out, &e->modules, ", ");
	fprintf(out, "\nsource:   %s%s\n", e->path, e->builtin ? " (built in)" : "");
	put_items(out, "symptoms", &e->symptoms);
	fputs("\ndetection:\n", out);
	put_indented(out, e->detection, "  ");
	put_items(out, "fix", &e->fix);
	if (e->nlog_evidence) {
		fputs("\nlog evidence (debug):\n", out);
		for (size_t i = 0; i < e->nlog_evidence; i++) {
			fprintf(out, "  %s: ", e->log_evidence[i].name);
			put_joined(out, &e->log_evidence[i].words, ", ");
			fputc('\n', out);
		}
	}
	if (e->nrefs) {
		fputs("\nreferences:\n", out);
		for (size_t i = 0; i < e->nrefs; i++) {
			const struct catalog_ref *r = &e->refs[i];
			fprintf(out, "  - %s", r->project);
			if (r->language)
				fprintf(out, " (%s)", r->language);
			fprintf(out, " %s", r->ref);
			if (r->note)
				fprintf(out, ": %s", r->note);
			fputc('\n', out);
		}
	}
	fputc('\n', out);
	put_indented(out, e->body, "");
}

void catalog_show_markdown(FILE *out, const struct catalog_entry *e)
{
	fprintf(out, "# %s: %c%s\n\n%s\n", e->id, toupper((unsigned char)e->name[0]),
		e->name + 1, e->body);
}
