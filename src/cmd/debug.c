/*
 * distarch debug "SYMPTOM" [ROOT]: from a symptom (and its logs) back to
 * the boundary that most likely caused it. Orchestration only: matching,
 * tracing, evidence and ranking are in src/debug/, the code findings come
 * from check's own run (check_collect), the output from src/report/.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "check.h"
#include "debug.h"
#include "../base/alloc.h"
#include "../base/diag.h"
#include "../base/opts.h"
#include "../base/strbuf.h"
#include "../catalog/catalog.h"
#include "../debug/debug.h"
#include "../debug/logtime.h"
#include "../debug/vocab.h"
#include "../report/debug_report.h"
#include "../topo/topology.h"
#include "../base/banned.h"

static const char *const formats[] = { "text", "json", "markdown", NULL };

static const struct usage usage = {
	"distarch debug \"SYMPTOM\" [ROOT] [--component C] [--logs FILE]... [options]",
	"Trace an incident backward: match the symptom against the catalog, walk the\n"
	"topology upstream from the component that hurts, weigh log evidence, and hand\n"
	"over ranked hypotheses with how to verify each and whether the fix repairs old data.\n\n"
	"ROOT is the project (default .): its .dist-architect/topology.yaml, its catalog\n"
	"entries and its code, checked whole for AP-1 ... AP-6 findings on the trace.\n"
	"Logs are JSON lines, logfmt or plain text with timestamps, detected per file;\n"
	"broken lines are skipped and counted. Files are merged by time.",
	"--log-format takes json, logfmt or plain to force a format, or a PCRE2 regex\n"
	"whose named groups are fields: time level msg service instance id event error\n"
	"attempt (or aliases: ts, worker, job_id, ...).\n\n"
	"examples:\n"
	"  distarch debug \"same worker fails every job in a row\" --component gpu-worker\n"
	"  distarch debug \"jobs lost after restart\" --logs engine.log --logs worker.jsonl\n"
	"  distarch debug \"job marked failed but output appeared\" --capture",
};


static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int load_topology(struct topology *t, const struct debug_opts *o, const char *root, bool *has)
{
	struct strbuf path = STRBUF_INIT;
	int rc = 0;
	*has = false;
	if (o->topology)
		strbuf_addstr(&path, o->topology);
	else
		strbuf_addf(&path, "%s/.dist-architect/topology.yaml", root);
	if (o->topology || access(path.buf, F_OK) == 0) {
		rc = topology_load_file(t, path.buf);
		*has = rc == 0;
	}
	strbuf_release(&path);
	return rc;
}

static bool name_char(char c)
{
	return c == '-' || c == '_' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
}

/* A component named in the symptom: the longest name found as a whole word. */
static int component_in_text(const struct topology *t, const char *text)
{
	int best = -1;
	size_t best_len = 0;
	for (size_t i = 0; i < t->components.len; i++) {
		const char *name = t->components.items[i].name;
		size_t n = strlen(name);
		for (const char *p = strcasestr(text, name); p; p = strcasestr(p + 1, name)) {
			bool left = p == text || !name_char(p[-1]);
			bool right = !name_char(p[n]);
			if (left && right && n > best_len) {
				best = (int)i;
				best_len = n;
			}
		}
	}
	return best;
}

static int unknown_component(const struct topology *t, const char *name)
{
	struct strbuf known = STRBUF_INIT;
	for (size_t i = 0; i < t->components.len; i++)
		strbuf_addf(&known, "%s%s", i ? ", " : "", t->components.items[i].name);
	error("--component: no component '%s' in the topology; known: %s", name, known.len ? known.buf : "none");
	strbuf_release(&known);
	return -1;
}

static int parse_time(const char *opt, const char *s, int64_t *ms)
{
	if (!logtime_parse(s, strlen(s), true, 1970, ms))
		return error("--%s: cannot read '%s' as a time (expected RFC 3339 like "
			     "2026-05-01T12:00:00Z, or epoch seconds or milliseconds)", opt, s);
	return 0;
}

static int scan_logs(const struct debug_opts *o, const struct catalog *cat, const struct topology *topo,
		     struct ev_state *ev, struct log_scan *scan)
{
	struct log_scan_opts so = { LOG_AUTO, NULL, false, false, 0, 0, o->max_log_line };
	struct log_regex re;
	struct ev_params p;
	struct vocab v;
	size_t n = 0;
	int rc = 0;

	memset(&re, 0, sizeof(re));
	ev_params_default(&p);
	if (o->window && logtime_duration(o->window, &p.window) < 0)
		return error("--window: cannot read '%s' as a duration (expected 60s, 500ms, 5m)", o->window);
	if (o->skew && logtime_duration(o->skew, &p.skew) < 0)
		return error("--skew: cannot read '%s' as a duration (expected 2s, 500ms)", o->skew);
	if (o->since && parse_time("since", o->since, &so.since) < 0)
		return -1;
	if (o->until && parse_time("until", o->until, &so.until) < 0)
		return -1;
	so.has_since = o->since;
	so.has_until = o->until;
	for (size_t i = 0; topo && i < topo->relationships.len; i++)
		if (topo->relationships.items[i].retries + 1 > p.layer_limit)
			p.layer_limit = topo->relationships.items[i].retries + 1;
	if (o->log_format) {
		if (!strcmp(o->log_format, "json"))
			so.fmt = LOG_JSON;
		else if (!strcmp(o->log_format, "logfmt"))
			so.fmt = LOG_LOGFMT;
		else if (!strcmp(o->log_format, "plain"))
			so.fmt = LOG_PLAIN;
		else if (log_regex_compile(&re, o->log_format) < 0)
			return -1;
		else
			so.fmt = LOG_REGEX;
		so.re = &re;
	}
	while (o->logs[n])
		n++;
	vocab_build(&v, cat);
	if (v.dropped)
		warning("the catalog's log_evidence words exceed %d words; '%s' and later ones are ignored",
			VOCAB_MAX_WORDS, v.dropped);
	evidence_init(ev, &p);
	rc = log_scan_files(scan, o->logs, n, &so, &v, ev);
	evidence_finish(ev);
	vocab_release(&v);
	log_regex_release(&re);
	return rc;
}

int debug_execute(const struct debug_opts *o, const char *symptom, const char *root, struct cmd_ctx *ctx,
		  FILE *out)
{
	struct catalog cat;
	struct topology topo;
	struct debug_result r;
	struct ev_state ev;
	struct log_scan scan = { 0 };
	bool has_topo = false;
	char *clean = ev_clean_text(symptom, strlen(symptom), 2000);
	int rc = EXIT_USAGE;

	memset(&ev, 0, sizeof(ev)); /* released whether or not the logs were read */
	catalog_init(&cat);
	topology_init(&topo);
	debug_result_init(&r);
	r.symptom = clean;
	r.catalog = &cat;
	if (catalog_load_default(&cat, root) < 0 || load_topology(&topo, o, root, &has_topo) < 0)
		goto out;
	r.topo = has_topo ? &topo : NULL;
	if (o->component) {
		if (has_topo && (r.start = topology_find(&topo, o->component)) < 0) {
			unknown_component(&topo, o->component);
			goto out;
		}
		r.component = o->component;
		r.component_why = "--component";
	} else if (has_topo && (r.start = component_in_text(&topo, symptom)) >= 0) {
		r.component = topo.components.items[r.start].name;
		r.component_why = "named in the symptom";
	}

	if (!o->no_code) {
		struct check_opts co = { .all = true, .no_progress = true, .topology = o->topology,
					 .format = "text", .fail_on = "never" };
		struct cmd_ctx quiet = *ctx;
		quiet.quiet = true;
		if (check_collect(&co, root, &quiet, &r.findings) == EXIT_USAGE)
			goto out;
		r.code_scanned = true;
	}
	symptom_match(&cat, symptom, &r.matches);
	trace_backward(r.topo, r.start, 4, &r.findings, &r.trace);
	if (o->logs) {
		if (scan_logs(o, &cat, r.topo, &ev, &scan) < 0)
			goto out;
		r.ev = &ev;
		r.logs = &scan;
	}
	hypo_rank(&r, 3);
	if (o->capture && capture_draft(&r, root) < 0)
		goto out;

	int wrc;
	if (o->format && !strcmp(o->format, "json"))
		wrc = debug_write_json(&r, out);
	else if (o->format && !strcmp(o->format, "markdown"))
		wrc = debug_write_markdown(&r, out);
	else
		wrc = debug_write_text(&r, out);
	if (o->markdown && wrc >= 0)
		wrc = debug_write_markdown(&r, o->markdown);
	if (wrc < 0 || fflush(out) != 0 || (o->markdown && fflush(o->markdown) != 0)) {
		error("cannot write the report");
		goto out;
	}
	rc = EXIT_CLEAN;
out:
	debug_result_release(&r);
	evidence_release(&ev);
	log_scan_release(&scan);
	topology_release(&topo);
	catalog_release(&cat);
	xfree(clean);
	return rc;
}

int cmd_debug(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct debug_opts o = { .format = "text" };
	const struct option opts[] = {
		OPT_STRING('c', "component", &o.component, "C", "the component where the symptom shows (default: one the symptom names)"),
		OPT_LIST('l', "logs", &o.logs, "FILE", "a log file (JSON lines, logfmt or plain; - for stdin); repeatable"),
		OPT_STRING(0, "log-format", &o.log_format, "REGEX", "json, logfmt, plain, or a regex with named groups"),
		OPT_STRING(0, "since", &o.since, "TIME", "only log lines at or after TIME"),
		OPT_STRING(0, "until", &o.until, "TIME", "only log lines before TIME"),
		OPT_STRING(0, "window", &o.window, "DURATION", "AP-1 burst window: N failures within it (default 10s)"),
		OPT_STRING(0, "skew", &o.skew, "DURATION", "clock skew tolerated between instances (default 2s)"),
		OPT_SIZE(0, "max-log-line", &o.max_log_line, "SIZE", "longer log lines are skipped and counted (default 512K)"),
		OPT_STRING('t', "topology", &o.topology, "FILE", "the topology (default ROOT/.dist-architect/topology.yaml)"),
		OPT_CHOICE('f', "format", &o.format, formats, "report format (default text)"),
		OPT_FLAG(0, "capture", &o.capture, "record the top hypothesis as a catalog draft (.dist-architect/catalog/_drafts/)"),
		OPT_FLAG(0, "no-code", &o.no_code, "do not check the code for findings on the trace"),
		OPT_END(),
	};
	int n = parse_options(argc - 1, argv + 1, opts, &usage);
	if (n == OPTS_HELP)
		return EXIT_CLEAN;
	if (n < 0)
		return EXIT_USAGE;
	char **pos = argv + 1;
	int rc = EXIT_USAGE;
	if (n < 1 || n > 2 || !*pos[0]) {
		error("debug needs the symptom in quotes, and at most a project folder after it "
		      "(see distarch debug --help)");
	} else if (n == 2 && !is_dir(pos[1])) {
		error("%s: not a folder (expected the project's root)", pos[1]);
	} else {
		rc = debug_execute(&o, pos[0], n == 2 ? pos[1] : ".", ctx, stdout);
	}
	opts_list_release(&o.logs);
	return rc;
}
