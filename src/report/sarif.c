/*
 * The SARIF 2.1.0 writer (see sarif.h). Checked against the OASIS schema
 * (tests/schemas/sarif-schema-2.1.0.json) by tests/e2e/t0310-sarif.sh.
 */
#include "sarif.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/alloc.h"
#include "../base/strmap.h"
#include "fingerprint.h"
#include "report.h"
#include "rules.h"
#include "../base/banned.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

void uri_escape_path(struct strbuf *out, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (isalnum(*p) || strchr("-._~/", *p))
			strbuf_addch(out, *p);
		else
			strbuf_addf(out, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
}

/* "lost data at ACK" -> "LostDataAtACK": SARIF's rule name is an identifier. */
static json_t *pascal_name(const char *words)
{
	struct strbuf sb = STRBUF_INIT;
	bool up = true;
	for (const char *p = words; *p; p++) {
		if (!isalnum((unsigned char)*p)) {
			up = true;
			continue;
		}
		strbuf_addch(&sb, up ? toupper((unsigned char)*p) : *p);
		up = false;
	}
	json_t *s = json_string(sb.buf);
	strbuf_release(&sb);
	return s;
}

/* GitHub code scanning's properties["problem.severity"]: error, warning, recommendation. */
static const char *problem_severity(enum severity s)
{
	return s == SEV_NOTE ? "recommendation" : severity_name(s);
}

static json_t *text_obj(const char *s)
{
	return json_pack("{s:s}", "text", s);
}

static json_t *catalog_rule(const struct catalog_entry *e)
{
	struct strbuf text = STRBUF_INIT, md = STRBUF_INIT;
	strbuf_addf(&text, "%s\n\nFix:\n", e->summary);
	strbuf_addf(&md, "**%s** (%s): %s\n\n## Fix\n\n", e->name, e->id, e->summary);
	for (size_t i = 0; i < e->fix.len; i++) {
		strbuf_addf(&text, "- %s\n", e->fix.items[i]);
		strbuf_addf(&md, "- %s\n", e->fix.items[i]);
	}
	strbuf_addf(&text, "\nMore: distarch catalog show %s", e->id);
	strbuf_addf(&md, "\n%s\n", e->body);
	json_t *tags = json_array();
	for (size_t i = 0; i < e->signals.len; i++)
		json_array_append_new(tags, json_string(e->signals.items[i]));
	json_array_append_new(tags, json_string("distributed-systems"));
	json_t *rule = json_pack("{s:s, s:o, s:o, s:o, s:{s:s, s:s}, s:{s:s}, s:{s:o, s:s, s:s}}",
				 "id", e->id, "name", pascal_name(e->name),
				 "shortDescription", text_obj(e->summary),
				 "fullDescription", text_obj(e->detection ? e->detection : e->summary),
				 "help", "text", text.buf, "markdown", md.buf,
				 "defaultConfiguration", "level", severity_name(e->severity),
				 "properties", "tags", tags, "precision", e->precision ? e->precision : "medium",
				 "problem.severity", problem_severity(e->severity));
	strbuf_release(&text);
	strbuf_release(&md);
	return rule;
}

static json_t *tool_rule_json(const struct tool_rule *t)
{
	return json_pack("{s:s, s:o, s:o, s:o, s:{s:s, s:s}, s:{s:s}, s:{s:[s], s:s, s:s}}",
			 "id", t->id, "name", pascal_name(t->name),
			 "shortDescription", text_obj(t->summary),
			 "fullDescription", text_obj(t->description),
			 "help", "text", t->description, "markdown", t->description,
			 "defaultConfiguration", "level", severity_name(t->severity),
			 "properties", "tags", t->tag, "precision", t->precision,
			 "problem.severity", problem_severity(t->severity));
}

/* A rule only a finding knows (a check that has no catalog entry or row yet). */
static json_t *bare_rule(const struct finding *f)
{
	return json_pack("{s:s, s:o, s:o, s:{s:s}}", "id", f->rule, "name", pascal_name(f->rule),
			 "shortDescription", text_obj(f->rule), "defaultConfiguration", "level",
			 severity_name(f->severity));
}

/* rules[]: the catalog, the tool's rules, then unknown ids in order of appearance; `index` maps id -> position+1. */
static json_t *rules_json(const struct sarif_input *in, struct strmap *index)
{
	json_t *rules = json_array();
	for (size_t i = 0; in->catalog && i < catalog_count(in->catalog); i++) {
		const struct catalog_entry *e = catalog_at(in->catalog, i);
		json_array_append_new(rules, catalog_rule(e));
		strmap_put(index, e->id, (void *)(uintptr_t)json_array_size(rules));
	}
	for (size_t i = 0; i < ntool_rules; i++) {
		json_array_append_new(rules, tool_rule_json(&tool_rules[i]));
		strmap_put(index, tool_rules[i].id, (void *)(uintptr_t)json_array_size(rules));
	}
	for (size_t i = 0; i < in->nfindings; i++) {
		const struct finding *f = &in->findings[i];
		if (strmap_get(index, f->rule))
			continue;
		json_array_append_new(rules, bare_rule(f));
		strmap_put(index, f->rule, (void *)(uintptr_t)json_array_size(rules));
	}
	return rules;
}

static json_t *physical(const struct sarif_input *in, const char *path, uint32_t line, uint32_t col)
{
	struct strbuf uri = STRBUF_INIT;
	uri_escape_path(&uri, in->uri_prefix ? in->uri_prefix : "");
	uri_escape_path(&uri, path);
	json_t *region = json_pack("{s:I}", "startLine", (json_int_t)(line ? line : 1));
	if (col) {
		uint32_t c = in->sources ? srcfile_char_column(srclines_get(in->sources, path), line, col) : col;
		json_object_set_new(region, "startColumn", json_integer(c));
	}
	json_t *loc = json_pack("{s:{s:s, s:s}, s:o}", "artifactLocation", "uri", uri.buf, "uriBaseId",
				"%SRCROOT%", "region", region);
	strbuf_release(&uri);
	return loc;
}

static const char *catalog_name(const struct sarif_input *in, const char *rule)
{
	const struct catalog_entry *e = in->catalog ? catalog_find(in->catalog, rule) : NULL;
	const struct tool_rule *t = e ? NULL : tool_rule_find(rule);
	return e ? e->name : t ? t->name : NULL;
}

/* Per-file caches while writing: GitHub's line hashes, and our contexts seen so far. */
struct fp_state {
	struct strmap files; /* path -> struct line_hashes * */
	struct strmap seen;  /* context -> occurrences so far */
};

struct line_hashes {
	char **h;
	uint32_t n;
};

static const char *github_hash(struct fp_state *st, const struct sarif_input *in, const char *path,
			       uint32_t line)
{
	struct line_hashes *lh = strmap_get(&st->files, path);
	if (!lh) {
		lh = xcalloc(1, sizeof(*lh));
		lh->h = github_line_hashes(srclines_get(in->sources, path), &lh->n);
		strmap_put(&st->files, path, lh);
	}
	return line && line <= lh->n ? lh->h[line - 1] : NULL;
}

static void fp_state_release(struct fp_state *st)
{
	for (size_t i = 0; i < st->files.len; i++) {
		struct line_hashes *lh = st->files.entries[i].value;
		line_hashes_free(lh->h, lh->n);
		xfree(lh);
	}
	strmap_release(&st->files);
	strmap_release(&st->seen);
}

/*
 * primaryLocationLineHash as GitHub's uploader computes it (so it keeps
 * ours and warns about nothing), and distarchContext/v1: rule, path and
 * the line's normalised text (fingerprint.h), what baselines match on.
 */
static json_t *fingerprints(struct fp_state *st, const struct sarif_input *in, const struct finding *f)
{
	char ctx[CONTEXT_HEX], buf[CONTEXT_HEX + 16];
	finding_context(in->sources, f, ctx);
	uintptr_t n = (uintptr_t)strmap_get(&st->seen, ctx) + 1;
	strmap_put(&st->seen, ctx, (void *)n);
	snprintf(buf, sizeof(buf), "%s:%lu", ctx, (unsigned long)n);
	json_t *fp = json_pack("{s:s}", "distarchContext/v1", buf);
	const char *gh = github_hash(st, in, f->path, f->line);
	if (gh)
		json_object_set_new(fp, "primaryLocationLineHash", json_string(gh));
	return fp;
}

static json_t *result_json(const struct sarif_input *in, const struct finding *f, size_t rule_index,
			   struct fp_state *st)
{
	struct strbuf msg = STRBUF_INIT;
	const char *name = catalog_name(in, f->rule);
	strbuf_addf(&msg, "%s%s%s", name ? name : "", name ? ": " : "", f->message);
	if (f->fix)
		strbuf_addf(&msg, " Fix: %s", f->fix);
	json_t *res = json_pack("{s:s, s:I, s:s, s:o, s:[o]}", "ruleId", f->rule, "ruleIndex",
				(json_int_t)rule_index, "level", severity_name(f->severity), "message",
				text_obj(msg.buf), "locations",
				json_pack("{s:o}", "physicalLocation", physical(in, f->path, f->line, f->column)));
	strbuf_release(&msg);
	if (f->related.len) {
		json_t *rel = json_array();
		for (size_t i = 0; i < f->related.len; i++) {
			const struct related_loc *r = &f->related.items[i];
			json_array_append_new(rel, json_pack("{s:I, s:o, s:o}", "id", (json_int_t)(i + 1),
							     "physicalLocation", physical(in, r->path, r->line, 0),
							     "message", text_obj(r->message)));
		}
		json_object_set_new(res, "relatedLocations", rel);
	}
	if (in->sources)
		json_object_set_new(res, "partialFingerprints", fingerprints(st, in, f));
	if (f->component)
		json_object_set_new(res, "properties", json_pack("{s:s}", "component", f->component));
	return res;
}

int sarif_write(const struct sarif_input *in, FILE *out)
{
	struct strmap index = STRMAP_INIT;
	struct fp_state st = { STRMAP_INIT, STRMAP_INIT };
	json_t *rules = rules_json(in, &index), *results = json_array();
	for (size_t i = 0; i < in->nfindings; i++) {
		const struct finding *f = &in->findings[i];
		size_t idx = (uintptr_t)strmap_get(&index, f->rule) - 1;
		json_array_append_new(results, result_json(in, f, idx, &st));
	}
	json_t *driver = json_pack("{s:s, s:s, s:s, s:o}", "name", "distarch", "version", DISTARCH_VERSION,
				   "semanticVersion", DISTARCH_VERSION, "rules", rules);
#ifdef DISTARCH_HOME_URI
	if (DISTARCH_HOME_URI[0])
		json_object_set_new(driver, "informationUri", json_string(DISTARCH_HOME_URI));
#endif
	json_t *run = json_pack("{s:{s:o}, s:[{s:b}], s:s, s:o}", "tool", "driver", driver,
				"invocations", "executionSuccessful", 1, "columnKind",
				in->sources ? "unicodeCodePoints" : "utf16CodeUnits", "results", results);
	if (run && in->srcroot_uri)
		json_object_set_new(run, "originalUriBaseIds",
				    json_pack("{s:{s:s}}", "%SRCROOT%", "uri", in->srcroot_uri));
	json_t *root = run ? json_pack("{s:s, s:s, s:[o]}", "$schema", SARIF_SCHEMA, "version", "2.1.0",
				       "runs", run) : NULL;
	strmap_release(&index);
	fp_state_release(&st);
	return report_dump_json(root, out);
}

int report_write_sarif(const struct report *r, FILE *out)
{
	struct sarif_input in = { r->findings.items, r->findings.len, r->catalog, r->sources,
				  r->srcroot_uri, r->uri_prefix };
	return sarif_write(&in, out);
}

/*
 * Findings whose paths are relative to a folder `base` or absolute (design's
 * topology file, drift's code): %SRCROOT% is `base` (the checkout, in CI),
 * so the uploader finds the files. When a path lies outside it, %SRCROOT%
 * becomes file:/// and every path absolute, so that each uri still names
 * its file.
 */
int sarif_write_in(const struct finding *findings, size_t n, const struct catalog *cat, const char *base,
		   FILE *out)
{
	char *dir = realpath(base, NULL);
	if (!dir)
		return -1;
	size_t cl = strlen(dir);
	bool outside = false;
	for (size_t i = 0; i < n && !outside; i++) {
		const char *p = findings[i].path;
		outside = p && p[0] == '/' && !(strncmp(p, dir, cl) == 0 && p[cl] == '/');
	}
	struct finding *copy = xcalloc(n ? n : 1, sizeof(*copy));
	char **owned = xcalloc(n ? n : 1, sizeof(*owned));
	for (size_t i = 0; i < n; i++) {
		copy[i] = findings[i];
		const char *p = findings[i].path ? findings[i].path : "";
		if (outside && p[0] == '/') {
			owned[i] = xstrdup(p + 1);
		} else if (outside) {
			struct strbuf sb = STRBUF_INIT;
			strbuf_addf(&sb, "%s/%s", dir[1] ? dir + 1 : "", p);
			owned[i] = strbuf_detach(&sb, NULL);
		} else if (p[0] == '/') {
			owned[i] = xstrdup(p + cl + 1);
		}
		if (owned[i])
			copy[i].path = owned[i];
	}
	struct strbuf root = STRBUF_INIT;
	strbuf_addstr(&root, "file://");
	if (!outside && dir[1])
		uri_escape_path(&root, dir);
	strbuf_addch(&root, '/');
	struct srclines src;
	srclines_init(&src, outside ? "/" : dir);
	struct sarif_input in = { copy, n, cat, &src, root.buf, "" };
	int rc = sarif_write(&in, out);
	srclines_release(&src);
	strbuf_release(&root);
	for (size_t i = 0; i < n; i++)
		xfree(owned[i]);
	xfree(owned);
	xfree(copy);
	free(dir);
	return rc;
}
