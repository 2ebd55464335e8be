/*
 * Writing an inference as topology YAML (infer.h): the plugin's format,
 * each inferred value with a comment saying where it came from.
 */
#include "infer.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "../base/banned.h"

/* A scalar that reads back as the same string: plain when safe, else double-quoted. */
static void yaml_str(struct strbuf *sb, const char *s)
{
	static const char *const special[] = { "true", "false", "yes", "no", "on", "off", "null", "~", NULL };
	bool plain = *s && (isalnum((unsigned char)*s) || *s == '_' || *s == '.' || *s == '/');
	bool digits = true;
	for (const char *p = s; plain && *p; p++) {
		unsigned char c = (unsigned char)*p;
		plain = isalnum(c) || strchr(" _./()*,+-", c);
		digits = digits && (isdigit(c) || c == '.');
	}
	for (const char *const *w = special; plain && *w; w++)
		plain = strcasecmp(s, *w) != 0;
	if (plain && !digits && s[strlen(s) - 1] != ' ') {
		strbuf_addstr(sb, s);
		return;
	}
	strbuf_addch(sb, '"');
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"' || c == '\\')
			strbuf_addf(sb, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			strbuf_addf(sb, "\\x%02x", c);
		else
			strbuf_addch(sb, (char)c);
	}
	strbuf_addch(sb, '"');
}

/* A comment's text on one line. */
static void comment(struct strbuf *sb, const char *s)
{
	for (; *s; s++)
		strbuf_addch(sb, *s == '\n' || *s == '\r' ? ' ' : *s);
}

static void write_component(const struct inferred_component *c, struct strbuf *sb)
{
	for (size_t i = 0; i < c->sources.len; i++) {
		strbuf_addstr(sb, i ? "  #   " : "  # from: ");
		comment(sb, c->sources.items[i]);
		strbuf_addch(sb, '\n');
	}
	strbuf_addstr(sb, "  - name: ");
	yaml_str(sb, c->name);
	strbuf_addstr(sb, "\n    count: ");
	yaml_str(sb, c->count);
	strbuf_addstr(sb, "  # ");
	comment(sb, c->count_from ? c->count_from : "?");
	strbuf_addch(sb, '\n');
	if (c->role) {
		strbuf_addstr(sb, "    role: ");
		yaml_str(sb, c->role);
		strbuf_addch(sb, '\n');
	}
	if (c->paths.len) {
		strbuf_addstr(sb, "    paths:\n");
		for (size_t i = 0; i < c->paths.len; i++) {
			strbuf_addstr(sb, "      - ");
			yaml_str(sb, c->paths.items[i]);
			strbuf_addch(sb, '\n');
		}
	}
}

void inference_write(const struct inference *inf, const char *root_name, struct strbuf *sb)
{
	strbuf_addstr(sb, "# Topology of ");
	comment(sb, root_name);
	strbuf_addstr(sb, ", inferred by `distarch init`.\n"
		      "# Every inferred value says where it came from. Check the counts (1 or many\n"
		      "# decides the analyses), add roles, notes and what the code cannot show\n"
		      "# (retries:, timeout:, delivery:, convergence points); `distarch topology\n"
		      "# drift` then keeps the file and the code in step.\n");
	if (inf->notes.len) {
		strbuf_addstr(sb, "#\n# Not inferred:\n");
		for (size_t i = 0; i < inf->notes.len; i++) {
			strbuf_addstr(sb, "#   - ");
			comment(sb, inf->notes.items[i]);
			strbuf_addch(sb, '\n');
		}
	}
	strbuf_addstr(sb, "\ncomponents:\n");
	for (size_t i = 0; i < inf->comps.len; i++)
		write_component(&inf->comps.items[i], sb);
	strbuf_addstr(sb, inf->edges.len ? "\nrelationships:\n" : "\nrelationships: []\n");
	for (size_t i = 0; i < inf->edges.len; i++) {
		const struct inferred_edge *e = &inf->edges.items[i];
		strbuf_addstr(sb, "  # from code: ");
		comment(sb, e->evidence);
		strbuf_addstr(sb, "\n  - from: ");
		yaml_str(sb, e->from);
		strbuf_addstr(sb, "\n    to: ");
		yaml_str(sb, e->to);
		strbuf_addstr(sb, "\n    via: ");
		yaml_str(sb, e->via);
		strbuf_addstr(sb, "\n    pattern: ");
		yaml_str(sb, e->pattern);
		strbuf_addch(sb, '\n');
	}
	strbuf_addstr(sb, "\n# Shared resources several components write (a table, a key, a bucket):\n"
		      "# - resource: ...\n#   accessed_by: [a, b]\n#   type: database table\n"
		      "#   concern: ...\nconvergence_points: []\n");
}
