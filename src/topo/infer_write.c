/*
 * Writing an inference as topology YAML (infer.h): the plugin's format,
 * each inferred value with a comment saying where it came from.
 */
#include "infer.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "../base/utf8.h"
#include "../base/banned.h"

/*
 * The length of the character at `p` when YAML may hold it as it is: well-formed
 * UTF-8 and printable (YAML 1.1 c-printable, which libyaml enforces), else 0.
 * `cp` gets its code point, or 0 when the bytes are not well-formed UTF-8.
 */
static size_t yaml_char(const char *p, uint32_t *cp)
{
	unsigned char c = (unsigned char)*p;
	size_t u = c < 0x80 ? 1 : utf8_char_len(p, strnlen(p, 4));
	*cp = 0;
	if (!u)
		return 0;
	*cp = u == 1 ? c : c & (0x7fu >> u);
	for (size_t i = 1; i < u; i++)
		*cp = *cp << 6 | ((unsigned char)p[i] & 0x3f);
	if (*cp < 0x80)
		return *cp == '\t' || *cp == '\n' || *cp == '\r' || (*cp >= 0x20 && *cp != 0x7f) ? 1 : 0;
	return *cp == 0x85 || (*cp >= 0xa0 && *cp != 0xfffe && *cp != 0xffff) ? u : 0;
}

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
		uint32_t cp;
		size_t u = yaml_char(p, &cp);
		if (c == '"' || c == '\\')
			strbuf_addf(sb, "\\%c", c);
		else if (u && c >= 0x20)
			strbuf_add(sb, p, u);
		else if (!cp)
			strbuf_addf(sb, "\\x%02x", c); /* a stray byte: read back as U+00XX, the file still loads */
		else
			strbuf_addf(sb, cp > 0xffff ? "\\U%08x" : "\\u%04x", (unsigned)cp);
		p += u ? u - 1 : cp > 0x7f ? utf8_char_len(p, strnlen(p, 4)) - 1 : 0;
	}
	strbuf_addch(sb, '"');
}

/* A comment's text on one line, that YAML accepts (it refuses a bad byte even in a comment). */
static void comment(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		uint32_t cp;
		size_t u = yaml_char(s, &cp);
		if (*s == '\n' || *s == '\r')
			strbuf_addch(sb, ' ');
		else if (u)
			strbuf_add(sb, s, u);
		else
			strbuf_addstr(sb, "\xEF\xBF\xBD"); /* U+FFFD, for each bad byte */
		s += u ? u - 1 : 0;
	}
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
