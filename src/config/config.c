/* `.dist-architect/config.yaml` (see config.h). */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/opts.h"
#include "../base/path.h"
#include "../base/ytree.h"
#include "../catalog/schema.h"
#include "../report/rules.h"
#include "../base/banned.h"

#define CONFIG_MAX_BYTES (1u << 20)

void config_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
}

void config_release(struct config *c)
{
	VEC_FREE(&c->rules);
	VEC_FREE(&c->exclude);
	arena_release(&c->arena);
	memset(c, 0, sizeof(*c));
}

enum { C_VERSION, C_RULES, C_EXCLUDE, C_FAIL_ON, C_LIMITS, C_COUNT };
static const char *const config_keys[] = { "version", "rules", "exclude", "fail-on", "limits", NULL };
enum { L_FILE_SIZE, L_LINE_LENGTH, L_NESTING, L_COUNT };
static const char *const limit_keys[] = { "max-file-size", "max-line-length", "max-nesting", NULL };
enum { R_ENABLED, R_SEVERITY, R_COUNT };
static const char *const rule_keys[] = { "enabled", "severity", NULL };
static const char *const fail_levels[] = { "error", "warning", "note", "never", NULL };

/* A plain scalar YAML reads as a boolean; -1 when it is not one. */
static int yaml_bool(const struct ynode *v)
{
	static const char *const yes[] = { "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES", NULL };
	static const char *const no[] = { "false", "False", "FALSE", "off", "Off", "OFF", "no", "No", "NO", NULL };
	if (v->kind != YNODE_SCALAR || v->quoted)
		return -1;
	for (size_t i = 0; yes[i]; i++)
		if (!strcmp(v->value, yes[i]))
			return 1;
	for (size_t i = 0; no[i]; i++)
		if (!strcmp(v->value, no[i]))
			return 0;
	return -1;
}

static int level_of(struct yschema *S, const struct ynode *v, const char *key)
{
	const char *s = ys_str(S, v, key, true);
	enum severity sev;
	int never;
	if (!s)
		return -1;
	if (severity_parse(s, &sev, &never) < 0 || never) {
		ys_error(S, v, "unknown severity '%s' for '%s' (expected error, warning or note)", s, key);
		return -1;
	}
	return (int)sev;
}

static void load_rule(struct yschema *S, const struct ynode *k, const struct ynode *v, struct config *c)
{
	struct config_rule r = { NULL, -1, -1, k->line, k->col };
	if (k->kind != YNODE_SCALAR || ynode_is_null(k)) {
		ys_error(S, k, "%s as a rule id in 'rules' (expected an id like AP-1)", ynode_kind_name(k));
		return;
	}
	r.id = ys_str(S, k, "rules", true);
	if (!r.id)
		return;
	int b = yaml_bool(v);
	if (b >= 0) {
		r.enabled = b;
	} else if (v->kind == YNODE_SCALAR && !ynode_is_null(v)) {
		r.severity = level_of(S, v, r.id);
		if (r.severity < 0)
			return;
	} else if (v->kind == YNODE_MAP) {
		const struct ynode *f[R_COUNT];
		ys_fields(S, v, "a rule's settings", rule_keys, f);
		if (f[R_ENABLED]) {
			r.enabled = yaml_bool(f[R_ENABLED]);
			if (r.enabled < 0)
				ys_error(S, f[R_ENABLED], "'enabled' of %s is not true or false", r.id);
		}
		if (f[R_SEVERITY])
			r.severity = level_of(S, f[R_SEVERITY], "severity");
	} else {
		ys_error(S, v, "the setting of %s is %s (expected off, on, a severity, or a mapping "
			 "with enabled and severity)", r.id, ynode_kind_name(v));
		return;
	}
	for (size_t i = 0; i < c->rules.len; i++)
		if (!strcasecmp(c->rules.items[i].id, r.id)) {
			ys_error(S, k, "rule %s is set twice (first at line %u)", r.id,
				 (unsigned)c->rules.items[i].line);
			return;
		}
	VEC_APPEND(&c->rules, r);
}

/* A limit's value: a size (parse_size) or, for a count, digits; 0 when absent or bad (reported). */
static size_t limit_value(struct yschema *S, const struct ynode *v, const char *key, bool count)
{
	const char *s = ys_str(S, v, key, true);
	size_t n = 0;
	if (!s)
		return 0;
	if ((count && strspn(s, "0123456789") != strlen(s)) || parse_size(s, &n) < 0 || !n ||
	    (count && n > 1000000)) {
		ys_error(S, v, "'%s' is '%s' (expected %s)", key, s,
			 count ? "a whole number from 1 to 1000000"
			       : "a size in bytes above 0, like 4194304, 512K or 4M");
		return 0;
	}
	return n;
}

static void load_limits(struct yschema *S, const struct ynode *v, struct config *c)
{
	const struct ynode *f[L_COUNT];
	if (!v || ynode_is_null(v) || !ys_is_map(S, v, "limits"))
		return;
	ys_fields(S, v, "the limits", limit_keys, f);
	c->max_file_size = limit_value(S, f[L_FILE_SIZE], limit_keys[L_FILE_SIZE], false);
	c->max_line_length = limit_value(S, f[L_LINE_LENGTH], limit_keys[L_LINE_LENGTH], false);
	c->max_nesting = (unsigned)limit_value(S, f[L_NESTING], limit_keys[L_NESTING], true);
}

static void load_root(struct yschema *S, const struct ynode *root, struct config *c)
{
	const struct ynode *f[C_COUNT];
	static const char what[] = "the config";

	ys_fields(S, root, what, config_keys, f);
	const struct ynode *v = f[C_VERSION];
	if (v && (v->kind != YNODE_SCALAR || v->quoted || strcmp(v->value, "1")))
		ys_error(S, v, "unsupported config version '%s' (expected 1)",
			 v->kind == YNODE_SCALAR ? v->value : ynode_kind_name(v));
	const struct ynode *rules = f[C_RULES];
	if (rules && !ynode_is_null(rules) && ys_is_map(S, rules, "rules"))
		for (size_t i = 0; i < rules->n; i++)
			load_rule(S, rules->items[2 * i], rules->items[2 * i + 1], c);
	struct textlist ex = ys_strlist(S, f[C_EXCLUDE] && !ynode_is_null(f[C_EXCLUDE]) ? f[C_EXCLUDE] : NULL,
					"exclude", NULL, 0);
	for (size_t i = 0; i < ex.len; i++)
		VEC_APPEND(&c->exclude, ex.items[i]);
	const char *fo = ys_str(S, f[C_FAIL_ON], "fail-on", true);
	for (size_t i = 0; fo && fail_levels[i]; i++)
		if (!strcmp(fo, fail_levels[i]))
			c->fail_on = fail_levels[i];
	if (fo && !c->fail_on)
		ys_error(S, f[C_FAIL_ON], "unknown 'fail-on' level '%s' (expected error, warning, note "
			 "or never)", fo);
	load_limits(S, f[C_LIMITS], c);
}

int config_load_buffer(struct config *c, const char *name, const char *text, size_t len)
{
	struct arena tree = ARENA_INIT;
	struct ynode *root;
	struct yschema S = { &c->arena, name, 0 };

	if (ytree_parse(&tree, name, text, len, &root) < 0) {
		arena_release(&tree);
		return -1;
	}
	c->path = arena_strdup(&c->arena, name);
	if (root && !ynode_is_null(root)) {
		if (root->kind != YNODE_MAP)
			ys_error(&S, root, "the config is %s (expected a mapping with rules, exclude, "
				 "fail-on)", ynode_kind_name(root));
		else
			load_root(&S, root, c);
	}
	arena_release(&tree);
	if (S.errors) {
		c->rules.len = c->exclude.len = 0;
		c->fail_on = NULL;
		c->max_file_size = c->max_line_length = 0;
		c->max_nesting = 0;
		return -1;
	}
	return 0;
}

int config_load_file(struct config *c, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = read_file(path, &sb, CONFIG_MAX_BYTES);
	if (rc == 0)
		rc = config_load_buffer(c, path, sb.buf, sb.len);
	strbuf_release(&sb);
	return rc;
}

int config_check_rules(const struct config *c, const struct catalog *cat)
{
	int rc = 0;
	for (size_t i = 0; i < c->rules.len; i++) {
		const struct config_rule *r = &c->rules.items[i];
		if (!rule_known(cat, r->id))
			rc = error_at(c->path ? c->path : "config", r->line, r->col,
				      "unknown rule '%s' (expected an id of `distarch catalog list` "
				      "or a DISTARCH-... rule)", r->id);
	}
	return rc;
}

bool config_excludes(const struct config *c, const char *path)
{
	for (size_t i = 0; i < c->exclude.len; i++)
		if (glob_match(c->exclude.items[i], path))
			return true;
	return false;
}

static const struct config_rule *rule_setting(const struct config *c, const char *id)
{
	for (size_t i = 0; i < c->rules.len; i++)
		if (!strcasecmp(c->rules.items[i].id, id))
			return &c->rules.items[i];
	return NULL;
}

void config_apply(const struct config *c, finding_vec *findings)
{
	size_t keep = 0;
	for (size_t i = 0; i < findings->len; i++) {
		struct finding *f = &findings->items[i];
		const struct config_rule *r = rule_setting(c, f->rule);
		if ((r && r->enabled == 0) || config_excludes(c, f->path)) {
			finding_release(f);
			continue;
		}
		if (r && r->severity >= 0)
			f->severity = (enum severity)r->severity;
		findings->items[keep++] = *f;
	}
	findings->len = keep;
}
