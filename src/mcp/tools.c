/*
 * The MCP tools. Each handler checks its arguments (unknown ones
 * included), confines every path to the project root, runs the same
 * library functions as its command, and returns text plus
 * structuredContent; what goes wrong comes back as isError with the
 * diagnostics the command would have printed.
 */
#include "tools.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/alloc.h"
#include "../base/diag.h"
#include "../base/memout.h"
#include "../base/strbuf.h"
#include "../catalog/catalog.h"
#include "../catalog/render.h"
#include "../catalog/schema.h"
#include "../cmd/check.h"
#include "../cmd/debug.h"
#include "../report/review.h"
#include "../topo/analyze.h"
#include "../topo/show.h"
#include "../topo/topology.h"
#include "../base/banned.h"

#define DEFAULT_TOPOLOGY ".dist-architect/topology.yaml"
#define MAX_PATHS 256

/* One tools/call: its arguments, and the problems found with them. */
struct call {
	const struct confine *root;
	const char *tool;
	json_t *args;          /* borrowed; NULL when none were given */
	struct strbuf problems; /* one line per bad argument */
};

static void problem(struct call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct call *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&c->problems, fmt, ap);
	va_end(ap);
	strbuf_addch(&c->problems, '\n');
}

/*
 * Reports quote source lines, which need not be UTF-8; JSON strings must
 * be. Each byte that does not start a well-formed sequence becomes U+FFFD.
 */
static char *utf8_fixed(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		if (len <= n - i && ys_utf8_valid(s + i, len)) {
			strbuf_add(&sb, s + i, len);
			i += len;
		} else {
			strbuf_addstr(&sb, "\xef\xbf\xbd");
			i++;
		}
	}
	return strbuf_detach(&sb, NULL);
}

static json_t *text_content(const char *text)
{
	char *fixed = utf8_fixed(text);
	json_t *c = json_pack("[{s:s, s:s}]", "type", "text", "text", fixed);
	xfree(fixed);
	return c;
}

static json_t *result_error(const char *text)
{
	return json_pack("{s:o, s:b}", "content", text_content(text), "isError", 1);
}

/* `structured` is stolen; `text` copied. */
static json_t *result_ok(const char *text, json_t *structured)
{
	json_t *r = json_pack("{s:o, s:b}", "content", text_content(text), "isError", 0);
	if (structured)
		json_object_set_new(r, "structuredContent", structured);
	return r;
}

/* The problems with the arguments as an isError result, or NULL when there are none. */
static json_t *bad_arguments(struct call *c, const char *usage)
{
	if (!c->problems.len)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s: bad arguments:\n%s%s", c->tool, c->problems.buf, usage);
	json_t *r = result_error(sb.buf);
	strbuf_release(&sb);
	return r;
}

static void check_known(struct call *c, const char *const *known)
{
	const char *key;
	json_t *v;
	if (!c->args)
		return;
	json_object_foreach(c->args, key, v) {
		bool ok = false;
		for (size_t i = 0; known[i] && !ok; i++)
			ok = !strcmp(known[i], key);
		if (!ok) {
			struct strbuf names = STRBUF_INIT;
			for (size_t i = 0; known[i]; i++)
				strbuf_addf(&names, "%s%s", i ? ", " : "", known[i]);
			problem(c, "- unknown argument \"%.100s\" (%s takes: %s)", key, c->tool,
				names.len ? names.buf : "none");
			strbuf_release(&names);
		}
	}
}

static json_t *arg(struct call *c, const char *key)
{
	json_t *v = c->args ? json_object_get(c->args, key) : NULL;
	return json_is_null(v) ? NULL : v;
}

static const char *arg_string(struct call *c, const char *key)
{
	json_t *v = arg(c, key);
	if (!v)
		return NULL;
	if (!json_is_string(v) || !json_string_length(v)) {
		problem(c, "- \"%s\" must be a non-empty string", key);
		return NULL;
	}
	return json_string_value(v);
}

static bool arg_bool(struct call *c, const char *key)
{
	json_t *v = arg(c, key);
	if (v && !json_is_boolean(v))
		problem(c, "- \"%s\" must be true or false", key);
	return json_is_true(v);
}

/* A path argument confined to the root: its absolute path (caller frees), or NULL. */
static char *confined(struct call *c, const char *key, json_t *v, bool want_rel)
{
	struct strbuf abs = STRBUF_INIT, rel = STRBUF_INIT, why = STRBUF_INIT;
	char *out = NULL;
	if (!json_is_string(v) || !json_string_length(v))
		problem(c, "- \"%s\" must hold non-empty path strings relative to the project root", key);
	else if (confine_path(c->root, json_string_value(v), json_string_length(v), &abs, &rel, &why) < 0)
		problem(c, "- \"%s\": %s", key, why.buf);
	else
		out = want_rel ? strbuf_detach(&rel, NULL) : strbuf_detach(&abs, NULL);
	strbuf_release(&abs);
	strbuf_release(&rel);
	strbuf_release(&why);
	return out;
}

/* A list of confined paths (NULL-terminated, caller frees each and the list), or NULL when absent. */
static char **arg_paths(struct call *c, const char *key, size_t min, size_t max, bool want_rel)
{
	json_t *v = arg(c, key);
	if (!v)
		return NULL;
	if (!json_is_array(v) || json_array_size(v) < min || json_array_size(v) > max) {
		problem(c, "- \"%s\" must be an array of %zu to %zu path strings, like [\"src/worker.py\"]", key,
			min, max);
		return NULL;
	}
	char **list = xcalloc(json_array_size(v) + 1, sizeof(*list));
	size_t n = 0, i;
	json_t *item;
	json_array_foreach(v, i, item) {
		char *p = confined(c, key, item, want_rel);
		if (p)
			list[n++] = p;
	}
	return list;
}

static void free_paths(char **list)
{
	for (size_t i = 0; list && list[i]; i++)
		xfree(list[i]);
	xfree(list);
}

/* Run `fn` with diagnostics captured; returns what it returned. */
struct captured {
	struct strbuf errs;
};

static void capture_begin(struct captured *k)
{
	strbuf_init(&k->errs);
	diag_capture(&k->errs);
}

static json_t *capture_fail(struct captured *k, const char *tool, const char *hint)
{
	diag_capture(NULL);
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s failed:\n%s%s", tool, k->errs.len ? k->errs.buf : "(no message)\n",
		    hint ? hint : "");
	json_t *r = result_error(sb.buf);
	strbuf_release(&sb);
	strbuf_release(&k->errs);
	return r;
}

static void capture_end(struct captured *k)
{
	diag_capture(NULL);
	strbuf_release(&k->errs);
}

/* Take a memory stream's bytes as JSON (new reference) or NULL. */
static json_t *memout_json(struct memout *m)
{
	char *buf;
	size_t len;
	if (memout_finish(m, &buf, &len) < 0)
		return NULL;
	json_t *j = json_loadb(buf, len, 0, NULL);
	free(buf);
	return j;
}

static char *memout_text(struct memout *m)
{
	char *buf;
	if (memout_finish(m, &buf, NULL) < 0)
		return NULL;
	return buf;
}

/* A result from a JSON stream and a text stream both written by one run. */
static json_t *result_from(struct memout *json, struct memout *text, const char *tool)
{
	json_t *j = memout_json(json);
	char *t = memout_text(text);
	json_t *r;
	if (!j || !t || !json_is_object(j)) {
		json_decref(j);
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%s failed: its report could not be rendered", tool);
		r = result_error(sb.buf);
		strbuf_release(&sb);
	} else {
		r = result_ok(t, j);
	}
	free(t);
	return r;
}

/*
 * Run a command that writes its report as JSON to one stream and Markdown
 * to another, with its diagnostics captured: the result carries both, or
 * the diagnostics and `usage` as isError when `run` returns EXIT_USAGE.
 */
typedef int (*two_reports_fn)(void *arg, FILE *json, FILE *markdown, struct cmd_ctx *ctx);

static json_t *two_reports(const char *tool, const char *usage, two_reports_fn run, void *arg)
{
	struct memout js, md;
	struct captured k;
	struct cmd_ctx ctx = { false, true };
	FILE *jf = memout_open(&js), *mf = jf ? memout_open(&md) : NULL;
	if (!mf) {
		if (jf)
			free(memout_text(&js));
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%s failed: cannot open a memory stream", tool);
		json_t *r = result_error(sb.buf);
		strbuf_release(&sb);
		return r;
	}
	capture_begin(&k);
	if (run(arg, jf, mf, &ctx) == EXIT_USAGE) {
		free(memout_text(&js));
		free(memout_text(&md));
		return capture_fail(&k, tool, usage);
	}
	capture_end(&k);
	return result_from(&js, &md, tool);
}

/* ---- dist_check ------------------------------------------------------- */

static const char *const check_args[] = { "paths", "all", "staged", "diff", "patch", "topology", NULL };

static const char check_usage[] =
	"dist_check takes at most one of all (true), staged (true), diff (a revision range like "
	"\"main..HEAD\") and patch (unified diff text); without one it checks the uncommitted "
	"changes. paths (relative to the project root) narrows any of them.";

static bool valid_range(const char *r)
{
	if (r[0] == '-' || strlen(r) > 256)
		return false;
	for (const char *s = r; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

/* The patch text in a temporary file (its path in `path`); -1 with a problem. */
static int patch_file(struct call *c, const char *text, struct strbuf *path)
{
	const char *tmp = getenv("TMPDIR");
	strbuf_addf(path, "%s/distarch-mcp-patch.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemp(path->buf);
	if (fd < 0) {
		problem(c, "- \"patch\": cannot create a temporary file in %s", tmp && *tmp ? tmp : "/tmp");
		return -1;
	}
	size_t len = strlen(text), off = 0;
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (close(fd) != 0 || off < len) {
		unlink(path->buf);
		problem(c, "- \"patch\": cannot write the temporary file %s", path->buf);
		return -1;
	}
	return 0;
}

struct check_call {
	struct check_opts *o;
	const char *root;
	const char *const *paths;
};

static int run_check(void *arg, FILE *json, FILE *markdown, struct cmd_ctx *ctx)
{
	const struct check_call *cc = arg;
	const struct check_sink sinks[] = { { "json", json }, { "markdown", markdown } };
	return check_execute(cc->o, cc->root, cc->paths, ctx, sinks, 2);
}

static json_t *t_check(struct call *c)
{
	struct check_opts o = { .format = "json", .fail_on = "never", .no_progress = true };
	check_known(c, check_args);
	char **paths = arg_paths(c, "paths", 1, MAX_PATHS, true);
	o.all = arg_bool(c, "all");
	o.staged = arg_bool(c, "staged");
	o.diff = arg_string(c, "diff");
	const char *patch = arg_string(c, "patch");
	char *topo = arg(c, "topology") ? confined(c, "topology", arg(c, "topology"), false) : NULL;
	o.topology = topo;
	if (o.all + o.staged + !!o.diff + !!patch > 1)
		problem(c, "- all, staged, diff and patch each choose what to check: give one at most");
	if (o.diff && !valid_range(o.diff))
		problem(c, "- \"diff\" must be a revision range such as \"main..HEAD\" or \"HEAD~1\" "
			   "(no spaces, not starting with '-')");
	struct strbuf patch_path = STRBUF_INIT;
	if (!c->problems.len && patch && patch_file(c, patch, &patch_path) == 0)
		o.patch = patch_path.buf;
	struct check_call cc = { &o, c->root->root, (const char *const *)paths };
	json_t *r = bad_arguments(c, check_usage);
	if (!r)
		r = two_reports("dist_check", check_usage, run_check, &cc);
	if (o.patch)
		unlink(o.patch);
	strbuf_release(&patch_path);
	free_paths(paths);
	xfree(topo);
	return r;
}

/* ---- dist_design ------------------------------------------------------ */

static const char *const design_args[] = { "topology", "compare", "retry_budget", NULL };

static const char design_usage[] =
	"dist_design reviews one topology (topology: a path, default " DEFAULT_TOPOLOGY
	") or compares two or three (compare: [\"a.yaml\", \"b.yaml\"]); retry_budget is a "
	"positive integer (default 10).";

/* The topology path argument or the default, confined; NULL with a problem. */
static char *topology_arg(struct call *c)
{
	json_t *v = arg(c, "topology");
	if (v)
		return confined(c, "topology", v, false);
	json_t *def = json_string(DEFAULT_TOPOLOGY);
	char *p = confined(c, "topology", def, false);
	json_decref(def);
	if (p && access(p, F_OK) != 0) {
		problem(c, "- no \"topology\" given and %s does not exist: pass one, or write it "
			   "(`distarch init` infers one; docs/topology.md has the format)", DEFAULT_TOPOLOGY);
		xfree(p);
		p = NULL;
	}
	return p;
}

static json_t *t_design(struct call *c)
{
	check_known(c, design_args);
	char **files = arg_paths(c, "compare", 2, 3, false);
	char *one = NULL;
	if (files && arg(c, "topology"))
		problem(c, "- give either \"topology\" or \"compare\", not both");
	else if (!files)
		one = topology_arg(c);
	json_int_t budget = TOPO_DEFAULT_RETRY_BUDGET;
	json_t *b = arg(c, "retry_budget");
	if (b && (!json_is_integer(b) || json_integer_value(b) < 1 || json_integer_value(b) > 1000000))
		problem(c, "- \"retry_budget\" must be an integer from 1 to 1000000");
	else if (b)
		budget = json_integer_value(b);
	json_t *r = bad_arguments(c, design_usage);
	const char *list1[2] = { one, NULL };
	const char *const *names = files ? (const char *const *)files : list1;
	size_t n = 0;
	while (!r && names[n])
		n++;
	struct topology t[3];
	struct topo_review rv[3];
	const struct topo_review *rvp[3];
	size_t loaded = 0;
	struct captured k;
	if (!r) {
		capture_begin(&k);
		for (; loaded < n; loaded++) {
			topology_init(&t[loaded]);
			if (topology_load_file(&t[loaded], names[loaded]) < 0) {
				topology_release(&t[loaded]);
				r = capture_fail(&k, "dist_design", "fix the topology file at the positions named above\n");
				break;
			}
			topo_review_run(&rv[loaded], &t[loaded], (unsigned)budget);
			review_sort_findings(&rv[loaded]);
			rvp[loaded] = &rv[loaded];
		}
	}
	if (!r) {
		struct memout js, md;
		FILE *jf = memout_open(&js), *mf = jf ? memout_open(&md) : NULL;
		int w = -1;
		if (mf && n > 1)
			w = review_compare_write(rvp, n, REVIEW_JSON, jf) | review_compare_write(rvp, n, REVIEW_MARKDOWN, mf);
		else if (mf)
			w = review_write(rvp[0], REVIEW_JSON, NULL, false, jf) |
			    review_write(rvp[0], REVIEW_MARKDOWN, NULL, false, mf);
		if (w < 0) {
			if (jf)
				free(memout_text(&js));
			if (mf)
				free(memout_text(&md));
			r = capture_fail(&k, "dist_design", NULL);
		} else {
			capture_end(&k);
			r = result_from(&js, &md, "dist_design");
		}
	}
	for (size_t i = 0; i < loaded; i++) {
		topo_review_release(&rv[i]);
		topology_release(&t[i]);
	}
	free_paths(files);
	xfree(one);
	return r;
}

/* ---- dist_debug ------------------------------------------------------- */

static const char *const debug_args[] = { "symptom", "component", "logs", "log_format", "since", "until",
					   "topology", NULL };

static const char debug_usage[] =
	"dist_debug takes symptom (required: the incident in a sentence), component (a component "
	"of the topology), logs (up to 64 log file paths relative to the project root), "
	"log_format (json, logfmt, plain, or a PCRE2 regex with named groups), since and until "
	"(times such as 2026-11-26T09:00:00Z) and topology.";

struct debug_call {
	struct debug_opts *o;
	const char *symptom, *root;
};

static int run_debug(void *arg, FILE *json, FILE *markdown, struct cmd_ctx *ctx)
{
	const struct debug_call *dc = arg;
	dc->o->markdown = markdown;
	return debug_execute(dc->o, dc->symptom, dc->root, ctx, json) == EXIT_CLEAN ? EXIT_CLEAN : EXIT_USAGE;
}

static json_t *t_debug(struct call *c)
{
	struct debug_opts o = { .format = "json" };
	check_known(c, debug_args);
	json_t *sym = arg(c, "symptom");
	if (!json_is_string(sym) || !json_string_length(sym))
		problem(c, "- \"symptom\" is required: the incident in a sentence, like \"jobs stay "
			   "running after the worker restarts\"");
	o.component = arg_string(c, "component");
	o.log_format = arg_string(c, "log_format");
	o.since = arg_string(c, "since");
	o.until = arg_string(c, "until");
	char **logs = arg_paths(c, "logs", 1, 64, false);
	o.logs = (const char **)logs;
	char *topo = arg(c, "topology") ? confined(c, "topology", arg(c, "topology"), false) : NULL;
	o.topology = topo;
	struct debug_call dc = { &o, json_string_value(sym), c->root->root };
	json_t *r = bad_arguments(c, debug_usage);
	if (!r)
		r = two_reports("dist_debug", debug_usage, run_debug, &dc);
	free_paths(logs);
	xfree(topo);
	return r;
}

/* ---- catalog_get ------------------------------------------------------ */

static const char *const catalog_args[] = { "id", NULL };

static json_t *t_catalog(struct call *c)
{
	check_known(c, catalog_args);
	const char *id = arg_string(c, "id");
	json_t *r = bad_arguments(c, "catalog_get takes id (like \"AP-1\"), or nothing to list every entry.");
	if (r)
		return r;
	struct catalog cat;
	struct captured k;
	catalog_init(&cat);
	capture_begin(&k);
	if (catalog_load_default(&cat, c->root->root) < 0) {
		catalog_release(&cat);
		return capture_fail(&k, "catalog_get", "fix the entries of .dist-architect/catalog/ named above\n");
	}
	capture_end(&k);
	const struct catalog_entry *e = id ? catalog_find(&cat, id) : NULL;
	struct memout m;
	if (id && !e) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "catalog_get: unknown entry \"%.100s\"; known ids: ", id);
		for (size_t i = 0; i < catalog_count(&cat); i++)
			strbuf_addf(&sb, "%s%s", i ? ", " : "", catalog_at(&cat, i)->id);
		r = result_error(sb.buf);
		strbuf_release(&sb);
	} else if (!memout_open(&m)) {
		r = result_error("catalog_get failed: cannot open a memory stream");
	} else {
		json_t *j;
		if (e) {
			catalog_show_text(m.fp, e);
			j = catalog_entry_json(e);
		} else {
			catalog_list_text(m.fp, &cat);
			j = catalog_list_json(&cat);
		}
		char *text = memout_text(&m);
		r = text && j ? result_ok(text, j) : result_error("catalog_get failed: cannot render the catalog");
		if (!text || !r)
			json_decref(j);
		free(text);
	}
	catalog_release(&cat);
	return r;
}

/* ---- topology_show ---------------------------------------------------- */

static const char *const topology_args[] = { "topology", NULL };

static json_t *t_topology(struct call *c)
{
	check_known(c, topology_args);
	char *path = topology_arg(c);
	json_t *r = bad_arguments(c, "topology_show takes topology (a path, default " DEFAULT_TOPOLOGY ").");
	if (r) {
		xfree(path);
		return r;
	}
	struct topology t;
	struct captured k;
	struct memout m;
	topology_init(&t);
	capture_begin(&k);
	if (topology_load_file(&t, path) < 0) {
		r = capture_fail(&k, "topology_show", "fix the topology file at the positions named above\n");
	} else if (!memout_open(&m)) {
		r = capture_fail(&k, "topology_show", NULL);
	} else {
		capture_end(&k);
		topology_show_text(&t, m.fp);
		char *text = memout_text(&m);
		json_t *j = topology_show_value(&t);
		r = text && j ? result_ok(text, j) : result_error("topology_show failed: cannot render the topology");
		if (!text)
			json_decref(j);
		free(text);
	}
	topology_release(&t);
	xfree(path);
	return r;
}

/* ---- the table -------------------------------------------------------- */

struct tool {
	const char *name, *title, *description;
	const char *schema; /* JSON Schema of the arguments */
	json_t *(*fn)(struct call *c);
};

#define PATHS_SCHEMA "{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"description\":"

static const struct tool tools[] = {
	{ "dist_check", "Check a change for boundary crossings",
	  "Check a code change of a distributed system: which component boundaries it crosses "
	  "(state-mutation, data-lifecycle, failure-mode, interaction), the anti-pattern findings "
	  "(AP-1..AP-6) and the reasoning checklists with answered and open questions. Default: the "
	  "uncommitted changes of the project. Text: Markdown report; structuredContent: the JSON report.",
	  "{\"type\":\"object\",\"properties\":{"
	  "\"paths\":" PATHS_SCHEMA "\"files or folders relative to the project root; narrows the selection\"},"
	  "\"all\":{\"type\":\"boolean\",\"description\":\"every file, whole\"},"
	  "\"staged\":{\"type\":\"boolean\",\"description\":\"the index against HEAD\"},"
	  "\"diff\":{\"type\":\"string\",\"description\":\"a revision range, e.g. main..HEAD\"},"
	  "\"patch\":{\"type\":\"string\",\"description\":\"a unified diff (git diff output)\"},"
	  "\"topology\":{\"type\":\"string\",\"description\":\"topology file (default .dist-architect/topology.yaml)\"}"
	  "},\"additionalProperties\":false}",
	  t_check },
	{ "dist_design", "Review a topology",
	  "Design review of a topology before code exists: single points of failure, bottlenecks, "
	  "failure cascades, feedback loops, retry amplification, contention, delivery guarantees, "
	  "state machines, and the unknowns that change the answer; or compare two or three options.",
	  "{\"type\":\"object\",\"properties\":{"
	  "\"topology\":{\"type\":\"string\",\"description\":\"topology file (default .dist-architect/topology.yaml)\"},"
	  "\"compare\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":2,\"maxItems\":3,"
	  "\"description\":\"two or three topology files to put side by side\"},"
	  "\"retry_budget\":{\"type\":\"integer\",\"minimum\":1,\"description\":\"worst-case attempts along a path before a warning (default 10)\"}"
	  "},\"additionalProperties\":false}",
	  t_design },
	{ "dist_debug", "Trace an incident backward",
	  "From a symptom (and logs), back through the topology to the boundary that caused it: the "
	  "catalog entries whose symptoms match, the hops upstream with the code findings in each, "
	  "evidence counted in the logs, one to three ranked hypotheses with how to verify each, and "
	  "the forward trace of the fix. Text: Markdown report; structuredContent: the JSON report.",
	  "{\"type\":\"object\",\"properties\":{"
	  "\"symptom\":{\"type\":\"string\",\"description\":\"the incident in a sentence\"},"
	  "\"component\":{\"type\":\"string\",\"description\":\"the component where it shows\"},"
	  "\"logs\":" PATHS_SCHEMA "\"log files relative to the project root\"},"
	  "\"log_format\":{\"type\":\"string\",\"description\":\"json, logfmt, plain, or a PCRE2 regex with named groups (default: detected per file)\"},"
	  "\"since\":{\"type\":\"string\",\"description\":\"ignore log lines before this time\"},"
	  "\"until\":{\"type\":\"string\",\"description\":\"ignore log lines after this time\"},"
	  "\"topology\":{\"type\":\"string\",\"description\":\"topology file (default .dist-architect/topology.yaml)\"}"
	  "},\"required\":[\"symptom\"],\"additionalProperties\":false}",
	  t_debug },
	{ "catalog_get", "Anti-pattern catalog",
	  "One anti-pattern entry (symptoms, detection, fixes, incidents) by id, or the list of all "
	  "entries when no id is given; includes the project's .dist-architect/catalog/ entries.",
	  "{\"type\":\"object\",\"properties\":{"
	  "\"id\":{\"type\":\"string\",\"description\":\"entry id, e.g. AP-1\"}"
	  "},\"additionalProperties\":false}",
	  t_catalog },
	{ "topology_show", "Show the topology",
	  "The topology's components with their counts, relationships with cardinality (1:1, 1:N, "
	  "N:1, N:M), and convergence points.",
	  "{\"type\":\"object\",\"properties\":{"
	  "\"topology\":{\"type\":\"string\",\"description\":\"topology file (default .dist-architect/topology.yaml)\"}"
	  "},\"additionalProperties\":false}",
	  t_topology },
};

#define NTOOLS (sizeof(tools) / sizeof(tools[0]))

json_t *mcp_tools_list(void)
{
	json_t *list = json_array();
	for (size_t i = 0; i < NTOOLS; i++) {
		json_error_t jerr;
		json_t *schema = json_loads(tools[i].schema, 0, &jerr);
		if (!schema)
			BUG("the input schema of %s is not JSON: %s", tools[i].name, jerr.text);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:o, s:{s:b, s:b, s:b}}",
			"name", tools[i].name, "title", tools[i].title, "description", tools[i].description,
			"inputSchema", schema, "annotations", "readOnlyHint", 1, "destructiveHint", 0,
			"openWorldHint", 0));
	}
	return json_pack("{s:o}", "tools", list);
}

json_t *mcp_tools_call(const struct confine *root, const char *name, json_t *args)
{
	for (size_t i = 0; i < NTOOLS; i++) {
		if (strcmp(tools[i].name, name))
			continue;
		struct call c = { root, name, args, STRBUF_INIT };
		/* Every tool reads the project's own files: none may lead outside the root. */
		json_t *r = confine_project_files(root, &c.problems) < 0 ? result_error(c.problems.buf)
									 : tools[i].fn(&c);
		strbuf_release(&c.problems);
		return r;
	}
	return NULL;
}
