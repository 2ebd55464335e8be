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
#include "check.h"
#include "../analyze/boundary.h"
#include "../analyze/components.h"
#include "../analyze/checklist.h"
#include "../analyze/detect.h"
#include "../catalog/catalog.h"
#include "../catalog/module.h"
#include "../config/config.h"
#include "../base/alloc.h"
#include "../base/hash.h"
#include "../base/memout.h"
#include "../cache/reportmemo.h"
#include "../cache/treekey.h"
#include "../cache/depcache.h"
#include "../analyze/reach.h"
#include "../base/diag.h"
#include "../base/opts.h"
#include "../base/path.h"
#include "../base/strbuf.h"
#include "../facts/index.h"
#include "../models/models.h"
#include "../report/baseline.h"
#include "../report/report.h"
#include "../report/sarif.h"
#include "../report/suppress.h"
#include "../source/repo.h"
#include "../source/prefilter.h"
#include "../source/scan.h"
#include "../topo/topology.h"
#include "../topo/drift.h"
#include "../topo/links.h"
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

/* `all`, when not NULL, holds the hits of the whole file (boundary_detect_file). */
static void add_unit(struct report *rep, const struct file_facts *ff, const struct boundary_unit *all,
		     uint32_t first, uint32_t last, char *label, const struct component_ref *comp,
		     bool module_level)
{
	struct report_unit u = { 0 };
	u.b.path = ff->path;
	u.b.first = first;
	u.b.last = last;
	u.b.label = label;
	if (all)
		boundary_select(all, &u.b);
	else
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
		/* one function after another: detect once, then select each one's hits */
		struct boundary_unit all = { 0 };
		boundary_detect_file(ff, &all);
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
			add_unit(rep, ff, &all, first, fn->span.end_line, strbuf_detach(&sb, NULL), &comp, false);
		}
		add_unit(rep, ff, &all, 1, ff->nlines ? ff->nlines : 1, xstrdup("module level"), &comp, true);
		boundary_unit_release(&all);
	} else {
		for (size_t h = 0; h < cf->hunks.len; h++) {
			const struct hunk *hk = &cf->hunks.items[h];
			uint32_t first = hk->start ? hk->start : 1;
			uint32_t last = hk->count ? hk->start + hk->count - 1 : first;
			add_unit(rep, ff, NULL, first, last, hunk_label(ff, first, last), &comp, false);
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

/* Everything one check holds, released together by check_release. */
struct check_run {
	struct selection sel;
	struct repo repo;
	struct topology topo;
	bool has_topo;
	struct model_set models;
	struct module_set modules;
	struct catalog catalog;
	struct changeset cs;
	struct fact_index ix;
	struct scan_stats stats;
	struct analysis an;
	struct report rep;
	struct strbuf topo_path, selname;
	struct config config;     /* .dist-architect/config.yaml, or empty */
	struct baseline baseline; /* --baseline, or empty */
	struct srclines src;      /* source lines for suppressions, baselines, SARIF */
	struct strbuf srcroot, uriprefix; /* SARIF's %SRCROOT% and the root below it */
	struct code_links links;  /* the code's boundaries, for drift */
	struct drift drift;       /* drift of the topology, kept for the changed files */
	uint64_t scan_key;        /* the fact cache's key, 0 when the scan ran without a cache */
	/* The dependency record (facts/deps.h): this run's, and the last run's
	 * (cache/depcache.h) under deps_key; 0 when none is kept. */
	struct dep_rec rec;
	uint64_t deps_key;
	struct dep_cache deps_old; /* the last run's record, when this run can use it */
	bool has_deps_old;
	bool *link_known;
	size_t *target_ord;
	/* Lazy facts (a diff check with a record and no topology): the scan left
	 * most files' facts in the cache, open in `so`, until the change's
	 * reach is known (detect). */
	bool lazy;
	struct scan_options *so;
	size_t nloaded; /* files whose facts were loaded on demand */
	u64set wide;    /* the wide function names, whose files need not be loaded (reach_wide) */
};

static void check_init(struct check_run *c)
{
	memset(c, 0, sizeof(*c));
	topology_init(&c->topo);
	model_set_init(&c->models);
	module_set_init(&c->modules);
	catalog_init(&c->catalog);
	changeset_init(&c->cs);
	index_init(&c->ix);
	report_init(&c->rep);
	strbuf_init(&c->topo_path);
	strbuf_init(&c->selname);
	config_init(&c->config);
	baseline_init(&c->baseline);
	strbuf_init(&c->srcroot);
	strbuf_init(&c->uriprefix);
	code_links_init(&c->links);
	drift_init(&c->drift);
	dep_cache_init(&c->deps_old);
}

static void check_release(struct check_run *c)
{
	report_release(&c->rep);
	xfree(c->an.targets);
	analysis_release(&c->an);
	dep_rec_release(&c->rec);
	dep_cache_release(&c->deps_old);
	VEC_FREE(&c->wide);
	xfree(c->link_known);
	xfree(c->target_ord);
	scan_stats_release(&c->stats);
	index_release(&c->ix);
	changeset_release(&c->cs);
	catalog_release(&c->catalog);
	module_set_release(&c->modules);
	model_set_release(&c->models);
	topology_release(&c->topo);
	repo_release(&c->repo);
	strbuf_release(&c->topo_path);
	strbuf_release(&c->selname);
	config_release(&c->config);
	baseline_release(&c->baseline);
	if (c->src.root)
		srclines_release(&c->src);
	strbuf_release(&c->srcroot);
	strbuf_release(&c->uriprefix);
	drift_release(&c->drift);
	code_links_release(&c->links);
}

/*
 * The config file (--config, else ROOT/.dist-architect/config.yaml when it
 * exists) and the baseline; flags given on the command line win.
 */
static int load_settings(struct check_run *c, struct check_opts *o, const char *root)
{
	struct strbuf path = STRBUF_INIT;
	int rc = 0;
	if (o->config)
		strbuf_addstr(&path, o->config);
	else
		strbuf_addf(&path, "%s/.dist-architect/config.yaml", root);
	if (o->config || access(path.buf, F_OK) == 0)
		rc = config_load_file(&c->config, path.buf) < 0 ||
		     config_check_rules(&c->config, &c->catalog) < 0 ? -1 : 0;
	strbuf_release(&path);
	if (!o->fail_on)
		o->fail_on = c->config.fail_on ? c->config.fail_on : "error";
	if (rc == 0 && o->baseline)
		rc = baseline_load_file(&c->baseline, o->baseline);
	return rc;
}

static bool excluded(const char *path, const void *config)
{
	return config_excludes(config, path);
}

/*
 * What the project's settings do to the findings: inline suppressions
 * (and the findings about bad ones), rules turned off or re-levelled,
 * excluded paths; then --write-baseline records what is left, and the
 * baseline removes what it holds.
 */
static int triage(struct check_run *c, const struct check_opts *o)
{
	finding_vec *fv = &c->an.findings;
	c->rep.suppressed = suppress_apply(fv, &c->src, &c->catalog, &c->cs);
	config_apply(&c->config, fv);
	if (o->write_baseline) {
		if (baseline_write_file(o->write_baseline, fv, &c->src) < 0)
			return -1;
		note("wrote %zu finding%s to the baseline %s", fv->len, fv->len == 1 ? "" : "s",
		     o->write_baseline);
		/* What was just written is the baseline of this run too. */
		baseline_release(&c->baseline);
		baseline_init(&c->baseline);
		if (baseline_load_file(&c->baseline, o->write_baseline) < 0)
			return -1;
	}
	c->rep.baselined = baseline_filter(&c->baseline, fv, &c->src);
	return 0;
}

/* SARIF's %SRCROOT%: the git work tree (paths get the root's prefix), else the scanned folder. */
static void sarif_roots(struct check_run *c)
{
	const char *prefix = c->repo.prefix ? c->repo.prefix : "";
	size_t rl = strlen(c->repo.root), pl = strlen(prefix);
	size_t top = pl && rl > pl ? rl - pl - 1 : rl;
	struct strbuf top_dir = STRBUF_INIT;
	strbuf_add(&top_dir, c->repo.root, top);
	strbuf_addstr(&c->srcroot, "file://");
	uri_escape_path(&c->srcroot, top_dir.buf);
	strbuf_addch(&c->srcroot, '/');
	strbuf_release(&top_dir);
	if (pl)
		strbuf_addf(&c->uriprefix, "%s/", prefix);
	c->rep.srcroot_uri = c->srcroot.buf;
	c->rep.uri_prefix = c->uriprefix.buf;
}

/* The topology, the models, the modules and the catalog. */
static int load_inputs(struct check_run *c, struct check_opts *o, const char *root)
{
	int t = load_topology(&c->topo, o, root, &c->topo_path);
	if (t < 0)
		return -1;
	c->has_topo = t > 0;
	if (models_load_builtin(&c->models) < 0 || modules_builtin_load(&c->modules) < 0)
		return error("the built-in models or modules do not load; this build is broken");
	/* The user's .dist-architect/catalog/ entries are checked here too. */
	if (catalog_load_default(&c->catalog, root) < 0)
		return -1;
	return load_settings(c, o, root);
}

/* scan_options.recorded: does the dependency record know `path` with these facts? */
static bool recorded(const void *ctx, const char *path, uint64_t identity)
{
	const struct dep_file *df = dep_cache_find(ctx, path);
	return df && identity && df->content == identity;
}

/* The fact cache is done with: saved (when it changed) and closed. */
static void close_scan_cache(struct check_run *c)
{
	if (c->so && c->so->cache) {
		fact_cache_close(c->so->cache);
		c->so->cache = NULL;
	}
}

/*
 * Facts of the selected files, then of the rest of the repository: the
 * observers of a change live in other files. Skips of the rest are not the
 * selection's, so they go to a scratch count.
 */
static void index_repository(struct check_run *c, const struct check_opts *o, struct scan_options *so)
{
	const char **paths = xcalloc(c->cs.files.len + 1, sizeof(*paths));
	size_t npaths = 0;
	for (size_t i = 0; i < c->cs.files.len; i++)
		if (c->cs.files.items[i].status != CHANGE_DELETED)
			paths[npaths++] = c->cs.files.items[i].path;
	/*
	 * The prefilter (source/prefilter.h) leaves out files no analysis can
	 * read a fact of. The selection is always parsed when the rest of the
	 * repository follows: the closure is taken over the rest, from it.
	 */
	bool rest_follows = c->sel.kind != SEL_ALL || c->sel.paths;
	struct prefilter *pf = o->no_prefilter ? NULL : prefilter_new(&c->models);
	/* the last run's record: what it holds is not noted again, and a diff check runs what it says */
	if (c->deps_key)
		c->has_deps_old = dep_cache_load(&c->deps_old, c->repo.root, c->deps_key);
	/* the drift check reads every file's facts; a diff check with a record, only what the change reaches */
	c->lazy = c->has_deps_old && c->sel.kind != SEL_ALL && !c->has_topo && so->cache &&
		  !getenv("DISTARCH_NO_LAZY");
	so->prefilter = rest_follows ? NULL : pf;
	scan_files(&c->repo, paths, npaths, &c->models, so, &c->ix, &c->stats);
	xfree(paths);
	if (rest_follows) {
		struct scan_stats rest = { 0 };
		so->prefilter = pf;
		so->lazy = c->lazy;
		so->recorded = recorded;
		so->recorded_ctx = &c->deps_old;
		scan_repository(&c->repo, &c->models, so, &c->ix, &rest);
		so->lazy = false;
		so->recorded = NULL;
		c->stats.prefiltered += rest.prefiltered;
		scan_stats_release(&rest);
	}
	so->prefilter = NULL;
	prefilter_free(pf);
	c->so = so;
	if (!c->lazy)
		close_scan_cache(c);
	if (c->deps_key) {
		/* recorded from here: index_build links constants, and notes what each file's linking resolved */
		dep_rec_init(&c->rec, c->ix.files.len);
		c->ix.rec = &c->rec;
		if (c->has_deps_old)
			c->rec.link_known = c->link_known = reach_known(&c->ix, &c->deps_old);
	}
	if (c->lazy) { /* lookups refuse the wide names whatever their files hold: they need not be loaded */
		reach_wide(&c->ix, &c->deps_old, c->link_known, &c->wide);
		c->ix.wide = &c->wide;
	} else {
		index_build(&c->ix); /* a lazy check builds it in detect(), over what it loads */
	}
}

/* How this check scans: its limits, threads, progress, and the fact cache (opened here). */
static void scan_options_for(struct check_run *c, const struct check_opts *o, const struct cmd_ctx *ctx,
			     struct scan_options *so)
{
	*so = (struct scan_options){
		.max_file_size = o->max_file_size ? o->max_file_size : c->config.max_file_size,
		.max_line_length = o->max_line_length ? o->max_line_length : c->config.max_line_length,
		.max_nesting = o->max_nesting ? (unsigned)o->max_nesting : c->config.max_nesting,
		.progress = !ctx->quiet && !o->no_progress,
		.jobs = (unsigned)o->jobs,
	};
	/* unchanged files come from the cache, so a diff check parses only what changed */
	so->cache = scan_cache_open(c->repo.root, so, o->no_cache, o->cache_max, ctx->quiet);
	c->scan_key = so->cache ? scan_cache_key(so) : 0;
}

/* `k` and the bytes of the topology and the config (report_memo_add_file: absent counts too). */
static uint64_t add_settings(const struct check_run *c, const struct check_opts *o, uint64_t k)
{
	struct strbuf p = STRBUF_INIT;
	k = report_memo_add_file(k, c->has_topo ? c->topo_path.buf : NULL);
	if (o->config)
		strbuf_addstr(&p, o->config);
	else
		strbuf_addf(&p, "%s/.dist-architect/config.yaml", c->repo.root);
	k = report_memo_add_file(k, p.buf);
	strbuf_release(&p);
	return k;
}

/*
 * The dependency record's key: what shapes the analyses besides the facts
 * (the scan key: binary, models, limits; the topology and config). 0: no
 * record (no fact cache, or DISTARCH_NO_DEPS=1 in the environment).
 */
static uint64_t deps_key(const struct check_run *c, const struct check_opts *o)
{
	if (!c->scan_key || getenv("DISTARCH_NO_DEPS"))
		return 0;
	uint64_t k = add_settings(c, o, hash64_str("deps", c->scan_key));
	return k ? k : 1;
}

/* Files edited since the dependency record (or 1 in 64) past which a diff check records anew. */
#define DEPS_RESAVE 64

/* Lazy facts: load the files at the true entries of `want` that are not loaded. */
static void load_files(struct check_run *c, const bool *want)
{
	size_t n = c->ix.files.len, k = 0;
	size_t *at = xcalloc(n + 1, sizeof(*at));
	for (size_t i = 0; i < n; i++)
		if (want[i] && c->ix.files.items[i]->unloaded)
			at[k++] = i;
	scan_load(&c->repo, &c->models, c->so, &c->ix, at, k);
	c->nloaded += k;
	xfree(at);
}

/* Lazy facts: the files whose bytes the record does not know (reach_targets reads their keys). */
static void load_unknown(struct check_run *c)
{
	size_t n = c->ix.files.len;
	bool *want = xcalloc(n + 1, sizeof(*want));
	for (size_t i = 0; i < n; i++)
		want[i] = !c->link_known[i];
	load_files(c, want);
	xfree(want);
}

/* Lazy facts: load what a run over `pick` reads (reach_needs). True when it loaded any. */
static bool load_needed(struct check_run *c, const bool *pick)
{
	bool *need = xcalloc(c->ix.files.len + 1, sizeof(*need)), loaded = false;
	while (reach_needs(&c->ix, &c->deps_old, &c->rec, &c->wide, pick, need)) {
		load_files(c, need);
		loaded = true;
	}
	xfree(need);
	return loaded;
}

/* The analysis over the targets `pick` says (NULL: every file). */
static void run_targets(struct check_run *c, const bool *pick)
{
	for (size_t i = 0; i < c->an.findings.len; i++)
		finding_release(&c->an.findings.items[i]);
	c->an.findings.len = 0;
	c->an.ntargets = 0;
	for (size_t i = 0; i < c->ix.files.len; i++)
		if (!pick || pick[i]) {
			c->target_ord[c->an.ntargets] = i;
			c->an.targets[c->an.ntargets++] = c->ix.files.items[i];
		}
	c->an.target_ord = c->target_ord;
	analysis_run(&c->an);
}

/*
 * Detectors run over every file and the change filters their findings:
 * a change to a dispatcher makes the handler elsewhere that feeds it this
 * change's business. With the dependency record of an earlier run, a diff
 * check runs only the targets the change can reach (analyze/reach.h): the
 * others' findings cannot touch it. Every run then keeps a record for the
 * next.
 */
static void detect(struct check_run *c, bool quiet)
{
	size_t n = c->ix.files.len;
	struct dep_cache *old = &c->deps_old, next;
	bool *pick = NULL;
	size_t stale = 0;

	dep_cache_init(&next);
	analysis_init(&c->an, &c->ix, c->has_topo ? &c->topo : NULL, &c->models);
	c->an.targets = xcalloc(n + 1, sizeof(*c->an.targets));
	c->target_ord = xcalloc(n + 1, sizeof(*c->target_ord));
	if (c->ix.rec && c->has_deps_old && c->sel.kind != SEL_ALL) {
		const char **changed = xcalloc(c->cs.files.len + 1, sizeof(*changed));
		for (size_t i = 0; i < c->cs.files.len; i++)
			changed[i] = c->cs.files.items[i].path;
		pick = xcalloc(n + 1, sizeof(*pick));
		if (c->lazy) /* reach_targets reads the keys of the files the record does not know */
			load_unknown(c);
		reach_targets(&c->ix, old, changed, c->cs.files.len, pick, &stale);
		reach_primaries(&c->ix, &c->rec, old, pick);
		xfree(changed);
	}
	if (c->lazy) {
		load_needed(c, pick);
		index_build(&c->ix);
	}
	run_targets(c, pick);
	/*
	 * A primary location found anew may be another target's, and a changed
	 * target may have looked up keys of files not loaded: run again with them.
	 */
	for (;;) {
		bool more = pick && reach_primaries(&c->ix, &c->rec, old, pick);
		bool loaded = c->lazy && load_needed(c, pick);
		if (loaded) { /* the index grew: the memos made over it go */
			index_build(&c->ix);
			const struct file_facts **targets = c->an.targets;
			analysis_release(&c->an);
			analysis_init(&c->an, &c->ix, c->has_topo ? &c->topo : NULL, &c->models);
			c->an.targets = targets;
		}
		if (!more && !loaded)
			break;
		run_targets(c, pick);
	}
	close_scan_cache(c);
	if (getenv("DISTARCH_DEPS_STATS")) {
		size_t left = 0;
		for (size_t i = 0; i < n; i++)
			left += c->ix.files.items[i]->unloaded;
		fprintf(stderr, "deps: %zu of %zu targets analysed (%s); facts: %zu files loaded on demand, %zu left in the cache\n",
			c->an.ntargets, n,
			pick ? "the record's" : !c->ix.rec ? "not recorded" :
			c->has_deps_old ? "every target, recorded" : "no record", c->nloaded, left);
	}
	if (c->ix.rec && !pick && c->has_deps_old) { /* every target ran: anything new to keep? */
		stale = old->files.len != n;
		for (size_t i = 0; i < n && !stale; i++)
			stale = !c->link_known[i];
	}
	/*
	 * A diff check leaves a few files edited since the record to be found
	 * again next time (their keys before and after): rewriting a big
	 * repository's record after every small change would cost more than
	 * the analysis it saves.
	 */
	bool save = pick ? stale > DEPS_RESAVE || stale * 64 > n : !c->has_deps_old || stale;
	if (c->ix.rec && save && reach_record(&c->ix, &c->rec, c->has_deps_old ? old : NULL, pick, &next))
		dep_cache_save(&next, c->repo.root, c->deps_key, quiet);
	c->ix.rec = NULL;
	c->ix.wide = NULL;
	xfree(pick);
	dep_cache_release(&next);
	keep_changed_findings(&c->an, &c->cs);
}

static void add_quick_validation(struct report *rep, const struct module *m)
{
	for (size_t q = 0; q < m->quick_validation.len; q++) {
		const char *text = m->quick_validation.items[q];
		bool dup = false;
		for (size_t k = 0; k < rep->quick_validation.len && !dup; k++)
			dup = !strcmp(rep->quick_validation.items[k], text);
		if (!dup)
			VEC_APPEND(&rep->quick_validation, text);
	}
}

/* Does the change touch a file of component `idx`? */
static bool change_touches_component(const struct check_run *c, int idx)
{
	for (size_t i = 0; idx >= 0 && i < c->cs.files.len; i++)
		if (topology_component_for_path(&c->topo, c->cs.files.items[i].path) == idx)
			return true;
	return false;
}

/*
 * "The topology may need updating": the drift of the whole repository,
 * kept where the change is: boundaries in changed files, and relationships
 * of the components the change touches.
 */
static void topology_drift(struct check_run *c)
{
	if (!c->has_topo)
		return;
	code_links_collect(&c->links, &c->ix, &c->topo, &c->models);
	drift_compare(&c->drift, &c->topo, c->topo_path.buf, &c->links);
	size_t keep = 0;
	for (size_t i = 0; i < c->drift.findings.len; i++) {
		struct finding *f = &c->drift.findings.items[i];
		bool mine = false;
		if (strcmp(f->rule, DRIFT_STALE)) {
			for (size_t k = 0; k < c->cs.files.len && !mine; k++)
				mine = !strcmp(c->cs.files.items[k].path, f->path);
		} else {
			for (size_t e = 0; e < c->topo.relationships.len && !mine; e++) {
				const struct topo_relationship *r = &c->topo.relationships.items[e];
				mine = r->span.line == f->line && (change_touches_component(c, r->from_idx) ||
								    change_touches_component(c, r->to_idx));
			}
		}
		if (mine)
			c->drift.findings.items[keep++] = *f;
		else
			finding_release(f);
	}
	c->drift.findings.len = keep;
}

/*
 * Drift findings go through the same triage as the detectors' (inline
 * suppressions, the config's rules, the baseline): they join the findings
 * for it and are taken back out after, into the report's drift section.
 */
static void move_findings(finding_vec *from, finding_vec *to, bool drift_only)
{
	size_t keep = 0;
	for (size_t i = 0; i < from->len; i++) {
		struct finding *f = &from->items[i];
		if (!drift_only || !strncmp(f->rule, "DRIFT-", 6))
			*VEC_PUSH(to) = *f;
		else
			from->items[keep++] = *f;
	}
	from->len = keep;
}

/* Regions and their signals (layer 1), then the checklists of each (layer 2). */
static void build_report(struct check_run *c, struct cmd_ctx *ctx)
{
	struct report *rep = &c->rep;
	rep->selection = selection_name(&c->sel, &c->selname);
	rep->topo = c->has_topo ? &c->topo : NULL;
	rep->topo_path = c->has_topo ? c->topo_path.buf : NULL;
	rep->changed_files = c->cs.files.len;
	rep->stats = &c->stats;
	rep->color = ctx->color;
	rep->catalog = &c->catalog;
	rep->whole_files = c->sel.kind == SEL_ALL;
	for (size_t i = 0; i < c->cs.files.len; i++) {
		const struct changed_file *cf = &c->cs.files.items[i];
		const struct file_facts *ff = index_get(&c->ix, cf->path);
		if (ff && !ff->skip_reason && cf->status != CHANGE_DELETED)
			check_file(rep, cf, ff);
	}
	if (rep->units.len > 1)
		qsort(rep->units.items, rep->units.len, sizeof(*rep->units.items), cmp_unit);
	struct checklist_cache cache;
	checklist_cache_init(&cache);
	for (size_t i = 0; i < rep->units.len; i++) {
		struct report_unit *u = &rep->units.items[i];
		u->cl_first = rep->checklists.len;
		checklists_for_region(&c->an, &c->modules, &cache, index_get(&c->ix, u->b.path), &u->b,
				      u->component_index, c->an.findings.items, c->an.findings.len,
				      &rep->checklists, &u->p2);
		u->cl_count = rep->checklists.len - u->cl_first;
		for (size_t k = u->cl_first; k < rep->checklists.len; k++)
			add_quick_validation(rep, rep->checklists.items[k].module);
	}
	checklist_cache_release(&cache);
	/* The report takes the findings over from the analysis. */
	rep->findings.items = c->an.findings.items;
	rep->findings.len = c->an.findings.len;
	rep->findings.cap = c->an.findings.cap;
	c->an.findings.items = NULL;
	c->an.findings.len = c->an.findings.cap = 0;
}

/*
 * The report memo's keys (src/cache/reportmemo.h) share this part: what a
 * run's report can depend on besides the distarch binary and models (in the
 * scan key) and the tree's files. 0 when the run cannot be memoised: no
 * fact cache, a baseline to write, a caller that is not the command line.
 */
static uint64_t memo_base(const struct check_run *c, const struct check_opts *o)
{
	if (!o->memo_seed || !c->scan_key || o->write_baseline || getenv("DISTARCH_NO_MEMO"))
		return 0;
	uint64_t k = hash64_u64(o->memo_seed, c->scan_key);
	k = hash64_str(c->repo.root, k);
	k = hash64_str(c->repo.prefix ? c->repo.prefix : "", k);
	k = hash64_u64((uint64_t)c->sel.kind << 1 | c->cs.fell_back_to_all, k);
	for (size_t i = 0; i < c->cs.files.len; i++) {
		const struct changed_file *cf = &c->cs.files.items[i];
		k = hash64_str(cf->path, k);
		k = hash64_str(cf->old_path ? cf->old_path : "", k);
		k = hash64_u64((uint64_t)cf->status << 32 | cf->hunks.len, k);
		for (size_t h = 0; h < cf->hunks.len; h++) {
			const struct hunk *hk = &cf->hunks.items[h];
			k = hash64_u64((uint64_t)hk->start << 32 | hk->count, k);
			k = hash64_u64((uint64_t)hk->old_start << 32 | hk->old_count, k);
		}
	}
	/* the other files a check reads: topology, config, baseline, the project's catalog entries */
	struct strbuf p = STRBUF_INIT;
	k = add_settings(c, o, k);
	k = report_memo_add_file(k, o->baseline);
	strbuf_addf(&p, "%s/.dist-architect/catalog", c->repo.root);
	k = report_memo_add_dir(k, p.buf, ".md");
	strbuf_release(&p);
	return k ? k : 1;
}

/*
 * The memo's key after the scan: `base` and what the scan found, the path
 * and content hash of every file and the skips. 0 when a file's bytes are
 * not known.
 */
static uint64_t memo_key(const struct check_run *c, uint64_t base)
{
	uint64_t k = base;
	for (size_t i = 0; i < c->ix.files.len; i++) {
		const struct file_facts *ff = c->ix.files.items[i];
		if (!ff->content_hash)
			return 0;
		k = hash64_str(ff->path, k);
		k = hash64_u64(ff->content_hash, k);
	}
	const struct scan_stats *st = &c->stats;
	k = hash64_u64(st->files, hash64_u64(st->parsed, hash64_u64(st->parse_errors, hash64_u64(st->bytes, k))));
	k = hash64(st->skipped, sizeof(st->skipped), k);
	for (size_t i = 0; i < st->list.len; i++) {
		k = hash64_str(st->list.items[i].path, k);
		k = hash64_u64(st->list.items[i].reason, k);
		k = hash64_str(st->list.items[i].detail ? st->list.items[i].detail : "", k);
	}
	return k ? k : 1;
}

static int render(struct report *rep, const char *fmt, FILE *out)
{
	if (!strcmp(fmt, "json"))
		return report_write_json(rep, out);
	if (!strcmp(fmt, "markdown"))
		return report_write_markdown(rep, out);
	if (!strcmp(fmt, "sarif"))
		return report_write_sarif(rep, out);
	return report_write_text(rep, out);
}

/* The memoised reports of an unchanged run, to the sinks. */
static int replay(const struct report_memo *m, const struct check_sink *sinks, size_t nsinks)
{
	for (size_t k = 0; k < nsinks && k < m->nouts; k++)
		if (fwrite(m->outs[k].data, 1, m->outs[k].len, sinks[k].out) != m->outs[k].len ||
		    fflush(sinks[k].out) != 0)
			return error("cannot write the report: %s", strerror(errno));
	return m->exit_code;
}

/*
 * Replay the memo saved under `key` or `tree` to the sinks: the run's exit
 * status, or -1 when there is none to replay. A memo found by `key` after
 * the scan learns the tree key the scan agreed with (`tk`, or NULL), so
 * that the next run replays it before its scan.
 */
static int replay_memo(const struct check_run *c, uint64_t key, uint64_t tree, const struct tree_key *tk,
		       const struct check_sink *sinks, size_t nsinks, bool quiet)
{
	struct report_memo memo;
	if (!report_memo_load(c->repo.root, key, tree, &memo))
		return -1;
	if (memo.nouts != nsinks) {
		report_memo_release(&memo);
		return -1;
	}
	if (getenv("DISTARCH_CACHE_STATS"))
		fprintf(stderr, "report memo: replayed %s\n", key ? "after the scan" : "before the scan");
	int rc = replay(&memo, sinks, nsinks);
	if (rc >= 0 && key && tk && tk->key && memo.tree != tree && tree_key_agrees(tk, &c->ix))
		report_memo_save(c->repo.root, key, tree, memo.exit_code, memo.outs, memo.nouts, quiet);
	report_memo_release(&memo);
	return rc < 0 ? EXIT_USAGE : rc;
}

/*
 * The tree key from the pack this run's scan wrote, for a run that had
 * none before it (a cold scan: no records, too much to read): 0, or the
 * memo key to save beside `base`'s. tree_key_agrees still decides.
 */
static uint64_t tree_key_after_scan(struct check_run *c, const struct check_opts *o, struct scan_options *so,
				    uint64_t base, struct tree_key *tk)
{
	uint64_t tree = 0;
	so->cache = scan_cache_open(c->repo.root, so, o->no_cache, o->cache_max, true);
	if (fact_cache_sound(so->cache) && tree_key_compute(tk, &c->repo, so) == 0)
		tree = hash64_u64(tk->key, base);
	fact_cache_close_unused(so->cache);
	so->cache = NULL;
	return tree;
}

/* check_execute, and check_collect when `take` is set. */
static int execute(struct check_opts *o, const char *root, const char *const *filters,
		   struct cmd_ctx *ctx, const struct check_sink *sinks, size_t nsinks,
		   finding_vec *take)
{
	int rc = EXIT_USAGE;
	enum severity threshold = SEV_ERROR;
	int never = 0;
	/* the report memo: its key, and the rendered reports to keep */
	uint64_t base = 0, key = 0, tree = 0;
	struct tree_key tk;
	struct scan_options so = { 0 };
	unsigned messages = 0;
	struct report_memo_out outs[REPORT_MEMO_MAX_OUTS];
	size_t nouts = 0;

	struct check_run c;
	check_init(&c);
	tree_key_init(&tk);
	c.sel = (struct selection){ SEL_DEFAULT, NULL, filters };
	if (o->all)
		c.sel.kind = SEL_ALL;
	else if (o->staged)
		c.sel.kind = SEL_STAGED;
	else if (o->diff)
		c.sel = (struct selection){ SEL_DIFF, o->diff, filters };
	else if (o->patch)
		c.sel = (struct selection){ SEL_PATCH, o->patch, filters };

	if (repo_open(&c.repo, root) < 0)
		goto out;
	if (c.sel.kind == SEL_DEFAULT && !repo_is_git(&c.repo)) {
		note("%s is not in a git work tree (or git ignores it): checking all files (as --all)", root);
		c.sel.kind = SEL_ALL;
	}
	if (load_inputs(&c, o, root) < 0)
		goto out;
	severity_parse(o->fail_on, &threshold, &never);
	if (repo_changes(&c.repo, &c.sel, &c.cs) < 0)
		goto out;
	changeset_drop_if(&c.cs, excluded, &c.config);
	changeset_sort(&c.cs);
	scan_options_for(&c, o, ctx, &so);
	c.deps_key = deps_key(&c, o);
	base = !take && nsinks && nsinks <= REPORT_MEMO_MAX_OUTS ? memo_base(&c, o) : 0;
	/* an unchanged tree is known from stat and the pack: its report replays before any fact is loaded */
	if (base && tree_key_compute(&tk, &c.repo, &so) == 0)
		tree = hash64_u64(tk.key, base);
	/* a pack the scan would rebuild (damaged, another key) is rebuilt first */
	if (tree && fact_cache_sound(so.cache) &&
	    (rc = replay_memo(&c, 0, tree, NULL, sinks, nsinks, ctx->quiet)) != -1)
		goto out;
	if (tree) { /* the tree was just walked: the scan takes its stats from the key */
		so.stat_of = tree_key_stat;
		so.stat_ctx = &tk;
	}
	index_repository(&c, o, &so);
	key = base ? memo_key(&c, base) : 0;
	if (key && (rc = replay_memo(&c, key, tree, &tk, sinks, nsinks, ctx->quiet)) != -1)
		goto out;
	rc = EXIT_USAGE;
	messages = diag_message_count();
	detect(&c, ctx->quiet);
	topology_drift(&c);
	move_findings(&c.drift.findings, &c.an.findings, false);
	srclines_init(&c.src, c.repo.root);
	if (triage(&c, o) < 0)
		goto out;
	move_findings(&c.an.findings, &c.drift.findings, true);
	c.rep.drift = c.drift.findings.items;
	c.rep.ndrift = c.drift.findings.len;
	build_report(&c, ctx);
	c.rep.root = root;
	c.rep.sources = &c.src;
	sarif_roots(&c);
	/* the report holds its own strings, and borrows only file paths from the facts */
	index_drop_facts(&c.ix);

	for (size_t k = 0; k < nsinks; k++) {
		/* with a memo to save, each report is rendered into memory first */
		struct memout mo;
		FILE *out = key ? memout_open(&mo) : sinks[k].out;
		int wrc = out ? render(&c.rep, sinks[k].format, out) : -1;
		if (key && out) {
			char *buf;
			size_t len;
			if (memout_finish(&mo, &buf, &len) < 0)
				wrc = -1;
			else {
				outs[nouts++] = (struct report_memo_out){ buf, len };
				if (wrc == 0 && (fwrite(buf, 1, len, sinks[k].out) != len || fflush(sinks[k].out)))
					wrc = -1;
			}
		}
		if (wrc < 0) {
			error("cannot write the report");
			goto out;
		}
	}
	rc = EXIT_CLEAN;
	for (size_t i = 0; !never && i < c.rep.findings.len; i++)
		if (c.rep.findings.items[i].severity >= threshold)
			rc = EXIT_FINDINGS;
	for (size_t i = 0; !never && i < c.rep.ndrift; i++) /* notes, unless the config raises them */
		if (c.rep.drift[i].severity >= threshold)
			rc = EXIT_FINDINGS;
	if (take) {
		*take = c.rep.findings;
		memset(&c.rep.findings, 0, sizeof(c.rep.findings));
	}
	/* a run that said something on stderr after the scan is not replayed silently */
	if (key && nouts == nsinks && diag_message_count() == messages) {
		if (!tree) /* none before the scan (a cold one read too much): the pack it wrote may give one */
			tree = tree_key_after_scan(&c, o, &so, base, &tk);
		report_memo_save(c.repo.root, key, tree && tree_key_agrees(&tk, &c.ix) ? tree : 0, rc, outs, nouts,
				 ctx->quiet);
		if (getenv("DISTARCH_CACHE_STATS"))
			fprintf(stderr, "report memo: saved\n");
	}
out:
	for (size_t k = 0; k < nouts; k++)
		free((void *)outs[k].data); /* open_memstream's */
	if (c.lazy)
		close_scan_cache(&c); /* a lazy scan's cache stays open to the end of its analysis */
	fact_cache_close_unused(so.cache); /* the run ended before its scan */
	tree_key_release(&tk);
	check_release(&c);
	return rc;
}

int check_execute(struct check_opts *o, const char *root, const char *const *filters,
		  struct cmd_ctx *ctx, const struct check_sink *sinks, size_t nsinks)
{
	return execute(o, root, filters, ctx, sinks, nsinks, NULL);
}

int check_collect(struct check_opts *o, const char *root, struct cmd_ctx *ctx, finding_vec *out)
{
	return execute(o, root, NULL, ctx, NULL, 0, out);
}

/* The command line as the report memo's seed: its words, the working folder, colour. */
static uint64_t command_seed(int argc, char **argv, const struct cmd_ctx *ctx)
{
	char cwd[4096];
	uint64_t k = hash64_str("check", (uint64_t)ctx->color);
	for (int i = 1; i < argc; i++)
		k = hash64_str(argv[i], hash64_u64((uint64_t)i, k));
	k = hash64_str(getcwd(cwd, sizeof(cwd)) ? cwd : "", k);
	return k ? k : 1;
}

int cmd_check(int argc, char **argv, struct cmd_ctx *ctx)
{
	struct check_opts o = { .format = "text" };
	const struct option opts[] = {
		OPT_GROUP("what to check (one at most; default: uncommitted changes):"),
		OPT_FLAG(0, "all", &o.all, "every file, whole"),
		OPT_FLAG(0, "staged", &o.staged, "the index against HEAD"),
		OPT_STRING(0, "diff", &o.diff, "RANGE", "a revision range A..B, A...B, or A against the working tree"),
		OPT_STRING(0, "patch", &o.patch, "FILE", "a unified diff from FILE, or - for stdin"),
		OPT_GROUP("options:"),
		OPT_STRING('t', "topology", &o.topology, "FILE", "the topology (default ROOT/.dist-architect/topology.yaml)"),
		OPT_CHOICE('f', "format", &o.format, formats, "report format (default text)"),
		OPT_CHOICE(0, "fail-on", &o.fail_on, levels, "exit 1 when a finding is at or above this (default: the config's fail-on, else error)"),
		OPT_STRING(0, "config", &o.config, "FILE", "settings (default ROOT/.dist-architect/config.yaml when it exists)"),
		OPT_STRING(0, "baseline", &o.baseline, "FILE", "report only findings this baseline does not hold"),
		OPT_STRING(0, "write-baseline", &o.write_baseline, "FILE", "record the current findings as the baseline FILE"),
		OPT_FLAG(0, "no-progress", &o.no_progress, "no progress lines on stderr"),
		OPT_INT('j', "jobs", &o.jobs, "N", "files parsed at once (default: one per processor; 1: no threads)"),
		OPT_FLAG(0, "no-cache", &o.no_cache, "no fact cache, report memo or dependency record (ROOT/.dist-architect/cache)"),
		OPT_FLAG(0, "no-prefilter", &o.no_prefilter, "parse every file, even those no analysis can read a fact of (docs/prefilter.md)"),
		OPT_SIZE(0, "cache-max", &o.cache_max, "SIZE", "bound on the fact cache (default 256M)"),
		OPT_GROUP("limits (over one, a file is skipped and the summary says so; docs/limits.md):"),
		OPT_SIZE(0, "max-file-size", &o.max_file_size, "SIZE", "largest source file read (default 4M)"),
		OPT_SIZE(0, "max-line-length", &o.max_line_length, "SIZE", "longest line of a source file read (default 256K)"),
		OPT_INT(0, "max-nesting", &o.max_nesting, "N", "syntax tree levels walked; deeper code is left out, the file marked partial (default 1000)"),
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
	o.memo_seed = command_seed(argc, argv, ctx);
	const struct check_sink sink = { o.format, stdout };
	int rc = check_execute(&o, root, filters, ctx, &sink, 1);
	xfree(filters);
	return rc;
}
