/*
 * distarch check: select a change, turn the files it touches into facts,
 * run the boundary detector over each changed region, and report.
 * Orchestration only: the work is in source/, lang/, models/, analyze/ and
 * report/.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "../analyze/boundary.h"
#include "../analyze/components.h"
#include "../analyze/detect.h"
#include "../base/alloc.h"
#include "../base/diag.h"
#include "../base/opts.h"
#include "../base/path.h"
#include "../base/strbuf.h"
#include "../facts/index.h"
#include "../models/models.h"
#include "../report/report.h"
#include "../source/repo.h"
#include "../source/scan.h"
#include "../topo/topology.h"
#include "../base/banned.h"

static const char *const formats[] = { "text", "json", "markdown", "sarif", NULL };
static const char *const levels[] = { "error", "warning", "note", "never", NULL };

static const struct usage usage = {
	"distarch check [PATH...] [--all | --staged | --diff RANGE | --patch FILE|-] [options]",
	"Find where a change crosses a boundary between components. For each changed\n"
	"region (a diff hunk, or each function of a file checked whole) it reports the\n"
	"signals it touches - state-mutation, data-lifecycle, failure-mode, interaction -\n"
	"its component, and the cardinality at that component's edges.\n\n"
	"One folder as PATH makes it the project root (its .dist-architect/topology.yaml\n"
	"is used); files or several paths filter the change. Without a selector the\n"
	"working tree's uncommitted changes are checked; outside git, every file.",
	"exit status: 0 nothing at or above --fail-on, 1 findings at or above it,\n"
	"2 bad usage or bad input.\n\n"
	"examples:\n"
	"  distarch check                        uncommitted changes of this repository\n"
	"  distarch check --staged               what the next commit holds\n"
	"  distarch check --diff main..HEAD      a branch\n"
	"  git diff | distarch check --patch -   any unified diff\n"
	"  distarch check --all --format json examples/video-platform",
};

struct check_opts {
	bool all, staged, no_progress;
	const char *diff, *patch, *topology, *format, *fail_on;
};

/* The region label: "lines 40-47" plus the function when one holds it all. */
static char *hunk_label(const struct file_facts *ff, uint32_t first, uint32_t last)
{
	struct strbuf sb = STRBUF_INIT;
	if (first == last)
		strbuf_addf(&sb, "line %u", first);
	else
		strbuf_addf(&sb, "lines %u-%u", first, last);
	int f = facts_function_at(ff, first);
	if (f >= 0 && span_has_line(&ff->functions.items[f].span, last)) {
		const struct fact_function *fn = &ff->functions.items[f];
		strbuf_addf(&sb, " in %s%s%s()", fn->cls ? fn->cls : "", fn->cls ? "." : "", fn->name);
	}
	return strbuf_detach(&sb, NULL);
}

static bool in_function_or_decorator(const struct file_facts *ff, uint32_t line)
{
	for (size_t i = 0; i < ff->functions.len; i++) {
		const struct fact_function *fn = &ff->functions.items[i];
		if (span_has_line(&fn->span, line))
			return true;
		for (size_t d = 0; d < fn->ndecorators; d++)
			if (span_has_line(&fn->decorators[d].span, line))
				return true;
	}
	return false;
}

static void add_unit(struct report *rep, const struct file_facts *ff, uint32_t first, uint32_t last,
		     char *label, const struct component_ref *comp, bool module_level)
{
	struct report_unit u = { 0 };
	u.b.path = ff->path;
	u.b.first = first;
	u.b.last = last;
	u.b.label = label;
	boundary_detect(ff, &u.b);
	if (module_level) {
		/* Module level: only what lies outside every outermost function. */
		size_t keep = 0;
		for (size_t h = 0; h < u.b.hits.len; h++) {
			int in_fn = in_function_or_decorator(ff, u.b.hits.items[h].at.line);
			if (in_fn)
				xfree(u.b.hits.items[h].reason);
			else
				u.b.hits.items[keep++] = u.b.hits.items[h];
		}
		u.b.hits.len = keep;
	}
	rep->checked_units++;
	if (!u.b.hits.len) {
		boundary_unit_release(&u.b);
		return;
	}
	u.component = xstrdup(comp->name);
	u.component_index = comp->index;
	VEC_APPEND(&rep->units, u);
}

static void check_file(struct report *rep, const struct changed_file *cf, const struct file_facts *ff)
{
	struct component_ref comp = component_for_path(rep->topo, cf->path);
	if (cf->status == CHANGE_WHOLE || cf->status == CHANGE_ADDED) {
		for (size_t i = 0; i < ff->functions.len; i++) {
			const struct fact_function *fn = &ff->functions.items[i];
			if (fn->parent >= 0)
				continue;
			struct strbuf sb = STRBUF_INIT;
			strbuf_addf(&sb, "%s%s%s()", fn->cls ? fn->cls : "", fn->cls ? "." : "", fn->name);
			/* A function's decorators (routes, retries) belong to it. */
			uint32_t first = fn->span.line;
			for (size_t d = 0; d < fn->ndecorators; d++)
				if (fn->decorators[d].span.line < first)
					first = fn->decorators[d].span.line;
			add_unit(rep, ff, first, fn->span.end_line, strbuf_detach(&sb, NULL), &comp, false);
		}
		add_unit(rep, ff, 1, ff->nlines ? ff->nlines : 1, xstrdup("module level"), &comp, true);
	} else {
		for (size_t h = 0; h < cf->hunks.len; h++) {
			const struct hunk *hk = &cf->hunks.items[h];
			uint32_t first = hk->start ? hk->start : 1;
			uint32_t last = hk->count ? hk->start + hk->count - 1 : first;
			add_unit(rep, ff, first, last, hunk_label(ff, first, last), &comp, false);
		}
	}
	component_ref_release(&comp);
}

/* Is (path, line) inside the change? Whole and added files are changed everywhere. */
static bool in_change(const struct changeset *cs, const char *path, uint32_t line)
{
	for (size_t i = 0; i < cs->files.len; i++)
		if (!strcmp(cs->files.items[i].path, path))
			return changed_file_touches(&cs->files.items[i], line, line);
	return false;
}

/*
 * A finding belongs to this change when its primary location or one of its
 * related locations is in a changed line: an AP-1 whose dispatcher changed
 * is as much this change's business as one whose handler did.
 */
static void keep_changed_findings(struct analysis *an, const struct changeset *cs)
{
	size_t keep = 0;
	for (size_t i = 0; i < an->findings.len; i++) {
		struct finding *f = &an->findings.items[i];
		bool touched = in_change(cs, f->path, f->line);
		for (size_t r = 0; !touched && r < f->related.len; r++)
			touched = in_change(cs, f->related.items[r].path, f->related.items[r].line);
		if (touched)
			an->findings.items[keep++] = *f;
		else
			finding_release(f);
	}
	an->findings.len = keep;
}

static int cmp_unit(const void *a, const void *b)
{
	const struct report_unit *x = a, *y = b;
	int c = strcmp(x->b.path, y->b.path);
	if (c)
		return c;
	return x->b.first < y->b.first ? -1 : x->b.first > y->b.first;
}

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int load_topology(struct topology *topo, const struct check_opts *o, const char *root,
			 struct strbuf *path)
{
	if (o->topology) {
		strbuf_addstr(path, o->topology);
	} else {
		strbuf_addf(path, "%s/.dist-architect/topology.yaml", root);
		if (access(path->buf, F_OK) != 0) {
			strbuf_reset(path);
			return 0;
		}
	}
	return topology_load_file(topo, path->buf) < 0 ? -1 : 1;
}

static const char *selection_name(const struct selection *sel, struct strbuf *sb)
{
	switch (sel->kind) {
	case SEL_ALL: strbuf_addstr(sb, "all files"); break;
	case SEL_STAGED: strbuf_addstr(sb, "staged changes (index vs HEAD)"); break;
	case SEL_DIFF: strbuf_addf(sb, "changes in %s", sel->arg); break;
	case SEL_PATCH: strbuf_addf(sb, "the patch %s", strcmp(sel->arg, "-") ? sel->arg : "on stdin"); break;
	case SEL_DEFAULT: strbuf_addstr(sb, "uncommitted changes (working tree and index vs HEAD)"); break;
	}
	return sb->buf;
}

static int run(struct check_opts *o, const char *root, const char *const *filters,
	       struct cmd_ctx *ctx)
{
	int rc = EXIT_USAGE;
	enum severity threshold = SEV_ERROR;
	int never = 0;
	severity_parse(o->fail_on, &threshold, &never);

	struct selection sel = { SEL_DEFAULT, NULL, filters };
	if (o->all)
		sel.kind = SEL_ALL;
	else if (o->staged)
		sel.kind = SEL_STAGED;
	else if (o->diff)
		sel = (struct selection){ SEL_DIFF, o->diff, filters };
	else if (o->patch)
		sel = (struct selection){ SEL_PATCH, o->patch, filters };

	struct repo repo = { 0 };
	struct topology topo;
	struct model_set models;
	struct changeset cs;
	struct fact_index ix;
	struct scan_stats stats = { 0 };
	struct report rep;
	struct strbuf topo_path = STRBUF_INIT, selname = STRBUF_INIT;
	topology_init(&topo);
	model_set_init(&models);
	changeset_init(&cs);
	index_init(&ix);
	report_init(&rep);

	if (repo_open(&repo, root) < 0)
		goto out;
	if (sel.kind == SEL_DEFAULT && !repo_is_git(&repo)) {
		note("%s is not in a git work tree (or git ignores it): checking all files (as --all)", root);
		sel.kind = SEL_ALL;
	}
	int has_topo = load_topology(&topo, o, root, &topo_path);
	if (has_topo < 0)
		goto out;
	if (models_load_builtin(&models) < 0) {
		error("the built-in API models do not load; this is a bug in this build");
		goto out;
	}
	if (repo_changes(&repo, &sel, &cs) < 0)
		goto out;
	changeset_sort(&cs);

	const char **paths = xcalloc(cs.files.len + 1, sizeof(*paths));
	size_t npaths = 0;
	for (size_t i = 0; i < cs.files.len; i++)
		if (cs.files.items[i].status != CHANGE_DELETED)
			paths[npaths++] = cs.files.items[i].path;
	struct scan_options so = { 0, !ctx->quiet && !o->no_progress };
	scan_files(&repo, paths, npaths, &models, &so, &ix, &stats);
	/*
	 * Observers live in other files: the rest of the repository is indexed
	 * too (its skips are not the selection's, so they go to a scratch count).
	 */
	if (sel.kind != SEL_ALL || filters) {
		pathvec all = { 0 };
		struct scan_stats rest = { 0 };
		if (repo_list_files(&repo, &all) == 0)
			scan_files(&repo, (const char *const *)all.items, all.len, &models, &so, &ix, &rest);
		scan_stats_release(&rest);
		pathvec_release(&all);
	}
	index_build(&ix);

	struct analysis an;
	analysis_init(&an, &ix, has_topo ? &topo : NULL, &models);
	/*
	 * Detectors run over every file and the change filters their findings:
	 * a change to a dispatcher makes the handler elsewhere that feeds it
	 * this change's business.
	 */
	an.targets = xcalloc(ix.files.len + 1, sizeof(*an.targets));
	for (size_t i = 0; i < ix.files.len; i++)
		an.targets[an.ntargets++] = ix.files.items[i];
	xfree(paths);
	analysis_run(&an);
	keep_changed_findings(&an, &cs);
	rep.findings.items = an.findings.items;
	rep.findings.len = an.findings.len;
	rep.findings.cap = an.findings.cap;
	an.findings.items = NULL;
	an.findings.len = an.findings.cap = 0;
	xfree(an.targets);
	analysis_release(&an);

	rep.root = root;
	rep.selection = selection_name(&sel, &selname);
	rep.topo = has_topo ? &topo : NULL;
	rep.topo_path = has_topo ? topo_path.buf : NULL;
	rep.changed_files = cs.files.len;
	rep.stats = &stats;
	rep.color = ctx->color;
	for (size_t i = 0; i < cs.files.len; i++) {
		const struct changed_file *cf = &cs.files.items[i];
		const struct file_facts *ff = index_get(&ix, cf->path);
		if (ff && cf->status != CHANGE_DELETED)
			check_file(&rep, cf, ff);
	}
	if (rep.units.len > 1)
		qsort(rep.units.items, rep.units.len, sizeof(*rep.units.items), cmp_unit);

	int wrc;
	if (!strcmp(o->format, "json"))
		wrc = report_write_json(&rep, stdout);
	else if (!strcmp(o->format, "markdown"))
		wrc = report_write_markdown(&rep, stdout);
	else
		wrc = report_write_text(&rep, stdout);
	if (wrc < 0) {
		error("cannot write the report");
		goto out;
	}
	rc = EXIT_CLEAN;
	for (size_t i = 0; !never && i < rep.findings.len; i++)
		if (rep.findings.items[i].severity >= threshold)
			rc = EXIT_FINDINGS;
out:
	report_release(&rep);
	scan_stats_release(&stats);
	index_release(&ix);
	changeset_release(&cs);
	model_set_release(&models);
	topology_release(&topo);
	repo_release(&repo);
	strbuf_release(&topo_path);
	strbuf_release(&selname);
	return rc;
}

int cmd_check(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct check_opts o = { .format = "text", .fail_on = "error" };
	const struct option opts[] = {
		OPT_GROUP("what to check (one at most; default: uncommitted changes):"),
		OPT_FLAG(0, "all", &o.all, "every file, whole"),
		OPT_FLAG(0, "staged", &o.staged, "the index against HEAD"),
		OPT_STRING(0, "diff", &o.diff, "RANGE", "a revision range A..B, A...B, or A against the working tree"),
		OPT_STRING(0, "patch", &o.patch, "FILE", "a unified diff from FILE, or - for stdin"),
		OPT_GROUP("options:"),
		OPT_STRING('t', "topology", &o.topology, "FILE", "the topology (default ROOT/.dist-architect/topology.yaml)"),
		OPT_CHOICE('f', "format", &o.format, formats, "report format (default text; sarif is planned)"),
		OPT_CHOICE(0, "fail-on", &o.fail_on, levels, "exit 1 when a finding is at or above this (default error)"),
		OPT_FLAG(0, "no-progress", &o.no_progress, "no progress lines on stderr"),
		OPT_END(),
	};
	int n = parse_options(argc - 1, argv + 1, opts, &usage);
	if (n == OPTS_HELP)
		return EXIT_CLEAN;
	if (n < 0)
		return EXIT_USAGE;
	char **pos = argv + 1;
	int selectors = o.all + o.staged + !!o.diff + !!o.patch;
	if (selectors > 1) {
		error("--all, --staged, --diff and --patch choose what to check: give one at most");
		return EXIT_USAGE;
	}
	if (!strcmp(o.format, "sarif"))
		return cmd_not_yet("check --format sarif", "SARIF output comes with the integrations issue");

	const char *root = ".";
	const char **filters = NULL;
	if (n == 1 && is_dir(pos[0])) {
		root = pos[0];
	} else if (n > 0) {
		filters = xcalloc((size_t)n + 1, sizeof(*filters));
		for (int i = 0; i < n; i++) {
			if (!o.patch && !o.diff && access(pos[i], F_OK) != 0) {
				error("%s: no such file or folder", pos[i]);
				xfree(filters);
				return EXIT_USAGE;
			}
			filters[i] = path_normalize(pos[i]);
		}
	}
	int rc = run(&o, root, filters, ctx);
	xfree(filters);
	return rc;
}
