/*
 * The catalog learning loop (see debug.h): `debug --capture` writes the top
 * hypothesis as a draft catalog entry under
 * ROOT/.dist-architect/catalog/_drafts/ID.md with a signature; the same
 * signature seen again increments the draft's `seen:`; `catalog promote ID`
 * moves the draft into ROOT/.dist-architect/catalog/, where check, debug
 * and catalog list load it. Drafts are valid catalog entries (same loader,
 * same schema); every write goes through a temporary file and rename(2),
 * and promotion links the draft to its new name (never replacing an entry)
 * before removing it.
 */
#include "debug.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/alloc.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/strbuf.h"
#include "../base/banned.h"

#define CATALOG_DIR ".dist-architect/catalog"
#define DRAFTS_DIR CATALOG_DIR "/_drafts"
#define DRAFT_PREFIX "LOCAL"

static void dir_path(struct strbuf *sb, const char *root, const char *sub)
{
	if (root && *root)
		strbuf_addf(sb, "%s/", root);
	strbuf_addstr(sb, sub);
}

/* The folder writes are confined to (src/base/fileio.h): the root, or the current folder. */
static const char *confine_root(const char *root)
{
	return root && *root ? root : ".";
}

char *capture_signature(const struct debug_result *r)
{
	const struct hypothesis *h = r->hypos.len ? &r->hypos.items[0] : NULL;
	struct strbuf sb = STRBUF_INIT;
	uint64_t x = 1469598103934665603ull;
	if (!h)
		return NULL;
	strbuf_addf(&sb, "%s|%s|%s", h->e->id,
		    r->topo && h->root_comp >= 0 ? r->topo->components.items[h->root_comp].name : "-",
		    h->boundary ? h->boundary : "-");
	for (size_t i = 0; i < sb.len; i++)
		x = (x ^ (unsigned char)sb.buf[i]) * 1099511628211ull;
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s-%012llx", h->e->id, (unsigned long long)(x & 0xffffffffffffull));
	return strbuf_detach(&sb, NULL);
}

/* A YAML double-quoted one-line string of valid UTF-8. */
static void yaml_quote(struct strbuf *sb, const char *s)
{
	char *clean = ev_clean_text(s, strlen(s), 400);
	strbuf_addch(sb, '"');
	for (const char *p = clean; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, '"');
	xfree(clean);
}

int capture_load_drafts(struct catalog *c, const char *root)
{
	struct strbuf dir = STRBUF_INIT;
	struct stat st;
	int rc = 0;
	dir_path(&dir, root, DRAFTS_DIR);
	if (stat(dir.buf, &st) == 0)
		rc = catalog_load_dir(c, dir.buf);
	strbuf_release(&dir);
	return rc;
}

/* The next free LOCAL-N across the catalog and the drafts. */
static unsigned long next_number(const struct catalog *a, const struct catalog *b)
{
	unsigned long max = 0;
	const struct catalog *cs[] = { a, b };
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < catalog_count(cs[k]); i++) {
			const char *id = catalog_at(cs[k], i)->id;
			size_t pl = strlen(DRAFT_PREFIX);
			if (!strncasecmp(id, DRAFT_PREFIX "-", pl + 1)) {
				unsigned long n = strtoul(id + pl + 1, NULL, 10);
				if (n > max)
					max = n;
			}
		}
	return max + 1;
}

static void draft_text(struct strbuf *sb, const struct debug_result *r, const char *id, const char *sig)
{
	const struct hypothesis *h = &r->hypos.items[0];
	const struct catalog_entry *e = h->e;
	const char *comp = r->topo && h->root_comp >= 0 ? r->topo->components.items[h->root_comp].name : NULL;
	struct strbuf tmp = STRBUF_INIT;

	strbuf_addf(sb, "---\nid: %s\nname: ", id);
	strbuf_addf(&tmp, "%s%s%s (draft)", e->name, comp ? " at " : "", comp ? comp : "");
	yaml_quote(sb, tmp.buf);
	strbuf_addstr(sb, "\nsummary: ");
	yaml_quote(sb, r->symptom);
	strbuf_addf(sb, "\nseverity: %s\nsignals: [", severity_name(e->severity));
	for (size_t i = 0; i < e->signals.len; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", e->signals.items[i]);
	strbuf_addstr(sb, "]\nsymptoms:\n  - ");
	yaml_quote(sb, r->symptom);
	strbuf_addstr(sb, "\ndetection: ");
	strbuf_reset(&tmp);
	strbuf_addf(&tmp, "captured by distarch debug: %s (%s), confidence %.2f; boundary %s", e->id,
		    e->name, h->confidence, h->boundary ? h->boundary : "unknown");
	yaml_quote(sb, tmp.buf);
	strbuf_addstr(sb, "\nfix:\n");
	for (size_t i = 0; i < e->fix.len; i++) {
		strbuf_addstr(sb, "  - ");
		yaml_quote(sb, e->fix.items[i]);
		strbuf_addch(sb, '\n');
	}
	strbuf_addf(sb, "signature: %s\nseen: 1\n---\n## Hypothesis\n\n", sig);
	strbuf_reset(&tmp);
	strbuf_addf(&tmp, "%s (%s): %s", e->id, e->name, h->root_cause);
	char *c = ev_clean_text(tmp.buf, tmp.len, 2000);
	strbuf_addf(sb, "%s\n\nMechanism: %s\n", c, h->mechanism);
	xfree(c);
	strbuf_addstr(sb, "\n## Trace\n\n");
	for (size_t i = 0; r->topo && i < r->trace.len; i++) {
		const struct trace_hop *hop = &r->trace.items[i];
		strbuf_addf(sb, "- %s (hop %u)\n", r->topo->components.items[hop->comp].name, hop->depth);
	}
	if (!r->topo)
		strbuf_addstr(sb, "- no topology\n");
	strbuf_addstr(sb, "\n## Why\n\n");
	for (size_t i = 0; i < h->why.len; i++) {
		c = ev_clean_text(h->why.items[i], strlen(h->why.items[i]), 2000);
		strbuf_addf(sb, "- %s\n", c);
		xfree(c);
	}
	strbuf_release(&tmp);
}

/* Rewrite the `seen: N` line of a draft with N + 1. */
static int bump_seen(const char *root, const struct catalog_entry *d, long *seen)
{
	struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
	int rc = -1;
	if (read_file(d->path, &text, 1 << 20) < 0)
		return -1;
	const char *p = strstr(text.buf, "\nseen: ");
	if (!p) {
		error("%s: the draft has no 'seen:' line to count on", d->path);
		goto done;
	}
	const char *eol = strchr(p + 1, '\n');
	*seen = d->seen + 1;
	strbuf_add(&out, text.buf, (size_t)(p - text.buf));
	strbuf_addf(&out, "\nseen: %ld", *seen);
	strbuf_addstr(&out, eol ? eol : "");
	rc = write_file_in(root, d->path, out.buf, out.len, 0);
done:
	strbuf_release(&text);
	strbuf_release(&out);
	return rc;
}

int capture_draft(struct debug_result *r, const char *root)
{
	struct catalog drafts;
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT, text = STRBUF_INIT;
	char *sig = capture_signature(r);
	int rc = -1;

	if (!sig)
		return error("--capture: no hypothesis to capture (the symptom matched no catalog entry)");
	catalog_init(&drafts);
	/* Promoted already: the catalog knows the shape. */
	for (size_t i = 0; i < catalog_count(r->catalog); i++) {
		const struct catalog_entry *e = catalog_at(r->catalog, i);
		if (e->signature && !strcmp(e->signature, sig)) {
			r->draft_path = xstrdup(e->path);
			r->draft_id = xstrdup(e->id);
			r->draft_known = true;
			rc = 0;
			goto done;
		}
	}
	if (capture_load_drafts(&drafts, root) < 0)
		goto done;
	for (size_t i = 0; i < catalog_count(&drafts); i++) {
		const struct catalog_entry *d = catalog_at(&drafts, i);
		if (d->signature && !strcmp(d->signature, sig)) {
			long seen = 0;
			if (bump_seen(confine_root(root), d, &seen) < 0)
				goto done;
			r->draft_path = xstrdup(d->path);
			r->draft_id = xstrdup(d->id);
			r->draft_seen = seen;
			r->propose_promotion = seen >= 2;
			rc = 0;
			goto done;
		}
	}
	dir_path(&dir, root, DRAFTS_DIR);
	if (mkdir_p_in(confine_root(root), dir.buf) < 0)
		goto done;
	struct strbuf id = STRBUF_INIT;
	strbuf_addf(&id, "%s-%lu", DRAFT_PREFIX, next_number(r->catalog, &drafts));
	strbuf_addf(&path, "%s/%s.md", dir.buf, id.buf);
	draft_text(&text, r, id.buf, sig);
	/* The draft must load as an entry: check it before it is written. */
	struct catalog check;
	catalog_init(&check);
	int ok = catalog_load_buffer(&check, path.buf, text.buf, text.len);
	catalog_release(&check);
	if (ok < 0) {
		error("the draft for %s does not load as a catalog entry; nothing written", id.buf);
		strbuf_release(&id);
		goto done;
	}
	if (write_file_in(confine_root(root), path.buf, text.buf, text.len, 0) < 0) {
		strbuf_release(&id);
		goto done;
	}
	r->draft_path = strbuf_detach(&path, NULL);
	r->draft_id = strbuf_detach(&id, NULL);
	r->draft_seen = 1;
	rc = 0;
done:
	catalog_release(&drafts);
	strbuf_release(&dir);
	strbuf_release(&path);
	strbuf_release(&text);
	xfree(sig);
	return rc;
}

int capture_promote(const char *root, const char *id, struct strbuf *dest)
{
	struct catalog drafts, cat;
	struct strbuf text = STRBUF_INIT;
	int rc = -1;

	catalog_init(&drafts);
	catalog_init(&cat);
	if (capture_load_drafts(&drafts, root) < 0)
		goto done;
	const struct catalog_entry *d = catalog_find(&drafts, id);
	if (!d) {
		struct strbuf known = STRBUF_INIT;
		for (size_t i = 0; i < catalog_count(&drafts); i++)
			strbuf_addf(&known, "%s%s", i ? ", " : "", catalog_at(&drafts, i)->id);
		error("no draft '%s'; drafts: %s", id, known.len ? known.buf : "none");
		strbuf_release(&known);
		goto done;
	}
	/* It must join the catalog without clashing with an entry there. */
	if (catalog_load_default(&cat, root) < 0 || read_file(d->path, &text, 1 << 20) < 0 ||
	    catalog_load_buffer(&cat, d->path, text.buf, text.len) < 0)
		goto done;
	dir_path(dest, root, CATALOG_DIR);
	strbuf_addf(dest, "/%s.md", d->id);
	struct strbuf dir = STRBUF_INIT;
	dir_path(&dir, root, CATALOG_DIR);
	int out = write_confined(confine_root(root), dir.buf, dest->buf);
	strbuf_release(&dir);
	if (out < 0)
		goto done;
	if (link(d->path, dest->buf) != 0) {
		if (errno == EEXIST) {
			error("%s already exists; not replaced", dest->buf);
			goto done;
		}
		/* No hard links here: a copy through rename(2), never replacing. */
		if (access(dest->buf, F_OK) == 0) {
			error("%s already exists; not replaced", dest->buf);
			goto done;
		}
		if (write_file_in(confine_root(root), dest->buf, text.buf, text.len, 0) < 0)
			goto done;
	}
	if (unlink(d->path) != 0) {
		error("%s: promoted to %s but the draft cannot be removed: %s", d->path, dest->buf,
		      strerror(errno));
		goto done;
	}
	rc = 0;
done:
	strbuf_release(&text);
	catalog_release(&drafts);
	catalog_release(&cat);
	return rc;
}
