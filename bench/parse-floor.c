/*
 * parse-floor: the cost of parsing alone, the floor under `distarch check --all`.
 *
 *   parse-floor [-j N] DIR            every file of DIR, listed as distarch lists it
 *   parse-floor [-j N] --list FILE    the paths in FILE, one a line (- for stdin)
 *
 * Each file is read, picked a grammar by its extension (lang_from_path, the
 * same table distarch uses), and parsed with the same tree-sitter runtime,
 * grammars and parse call (ts_parse_bounded) that distarch links; the tree
 * is then dropped. Nothing else is done: no walk, no facts. Files that
 * distarch would not parse (not source, over 4 MiB, NUL bytes in the first
 * 8 KiB, unreadable) are counted and skipped the same way, so that the
 * numbers are comparable with distarch's summary.
 *
 * -j N parses with N threads, each taking the next file from a shared
 * counter, so it can be compared with distarch at the same thread count.
 * The last line on stdout is one summary:
 *   parse-floor: N files, P parsed, B bytes, E with syntax errors, S skipped, J threads
 * Exit status 0, or 2 on bad usage or an unreadable list or folder.
 */
#include <errno.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/diag.h"
#include "base/fileio.h"
#include "base/opts.h"
#include "base/strbuf.h"
#include "lang/ts_util.h"
#include "source/langreg.h"
#include "source/repo.h"
#include "base/banned.h"

#define MAX_FILE (4u << 20) /* scan.c's default --max-file-size */
#define MAX_THREADS 256

const TSLanguage *tree_sitter_python(void);
const TSLanguage *tree_sitter_go(void);
const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);
const TSLanguage *tree_sitter_java(void);

static const TSLanguage *grammar_of(enum lang lang)
{
	switch (lang) {
	case LANG_PYTHON: return tree_sitter_python();
	case LANG_GO: return tree_sitter_go();
	case LANG_JAVASCRIPT: return tree_sitter_javascript();
	case LANG_TYPESCRIPT: return tree_sitter_typescript();
	case LANG_TSX: return tree_sitter_tsx();
	case LANG_JAVA: return tree_sitter_java();
	case LANG_NONE:
	case LANG__COUNT: break;
	}
	return NULL;
}

struct job {
	const char *root;         /* prefix for relative paths, or NULL */
	char *const *paths;
	size_t npaths;
	atomic_size_t next;       /* the next path to take */
};

struct tally {
	size_t files, parsed, bytes, syntax_errors, skipped;
};

struct worker {
	pthread_t thread;
	struct job *job;
	struct tally t;
};

/* Read, check and parse one file, as scan_files() does before extraction. */
static void parse_one(const char *root, const char *path, struct strbuf *full,
		      struct strbuf *src, struct tally *t)
{
	t->files++;
	const TSLanguage *g = grammar_of(lang_from_path(path));
	if (!g) {
		t->skipped++;
		return;
	}
	strbuf_reset(full);
	if (root)
		strbuf_addf(full, "%s/%s", root, path);
	else
		strbuf_addstr(full, path);
	struct stat sb;
	strbuf_reset(src);
	if (stat(full->buf, &sb) || (size_t)sb.st_size > MAX_FILE ||
	    read_file(full->buf, src, MAX_FILE) < 0 ||
	    memchr(src->buf, '\0', src->len < 8192 ? src->len : 8192)) {
		t->skipped++;
		return;
	}
	TSTree *tree;
	if (ts_parse_bounded(g, lang_name(lang_from_path(path)), src->buf, src->len, path, &tree)) {
		t->skipped++;
		return;
	}
	t->parsed++;
	t->bytes += src->len;
	if (ts_node_has_error(ts_tree_root_node(tree)))
		t->syntax_errors++;
	ts_tree_delete(tree);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct job *job = w->job;
	struct strbuf full = STRBUF_INIT, src = STRBUF_INIT;
	size_t i;
	while ((i = atomic_fetch_add(&job->next, 1)) < job->npaths)
		parse_one(job->root, job->paths[i], &full, &src, &w->t);
	strbuf_release(&full);
	strbuf_release(&src);
	return NULL;
}

/* One path a line from `name` ("-": stdin); blank lines are ignored. */
static int read_list(const char *name, pathvec *out)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = strcmp(name, "-") ? read_file(name, &sb, 0) : read_stream(stdin, "stdin", &sb, 0);
	if (rc < 0) {
		strbuf_release(&sb);
		return -1;
	}
	for (char *p = sb.buf, *end = sb.buf + sb.len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n && p[n - 1] == '\r')
			n--;
		if (n) {
			char *s = xmalloc(n + 1);
			memcpy(s, p, n);
			s[n] = '\0';
			VEC_APPEND(out, s);
		}
		p += (nl ? (size_t)(nl - p) + 1 : n);
		if (!nl)
			break;
	}
	strbuf_release(&sb);
	return 0;
}

int main(int argc, char **argv)
{
	int jobs = 1;
	const char *list = NULL;
	const struct option opts[] = {
		OPT_INT('j', "jobs", &jobs, "N", "parse with N threads (default 1)"),
		OPT_STRING(0, "list", &list, "FILE", "parse the paths in FILE, one a line (- for stdin)"),
		OPT_END(),
	};
	const struct usage usage = {
		"parse-floor [-j N] DIR\nparse-floor [-j N] --list FILE",
		"Parse every source file of DIR (listed as distarch lists it) or of the list\n"
		"with distarch's tree-sitter runtime and grammars, and do nothing else: the\n"
		"floor under `distarch check --all`. Prints one summary line.",
		NULL,
	};
	int n = parse_options(argc - 1, argv + 1, opts, &usage);
	if (n == OPTS_HELP)
		return EXIT_CLEAN;
	if (n == OPTS_ERROR)
		return EXIT_USAGE;
	if ((list != NULL) == (n == 1) || n > 1) {
		error("parse-floor: give one folder or --list FILE");
		return EXIT_USAGE;
	}
	if (jobs < 1 || jobs > MAX_THREADS) {
		error("parse-floor: -j %d: the number of threads must be 1 to %d", jobs, MAX_THREADS);
		return EXIT_USAGE;
	}

	pathvec paths = VEC_INIT;
	struct repo r = { 0 };
	bool have_repo = false;
	if (list) {
		if (read_list(list, &paths) < 0)
			return EXIT_USAGE;
	} else {
		if (repo_open(&r, argv[1]) < 0)
			return EXIT_USAGE;
		have_repo = true;
		if (repo_list_files(&r, &paths) < 0) {
			repo_release(&r);
			return EXIT_USAGE;
		}
	}

	struct job job = { have_repo ? r.root : NULL, paths.items, paths.len, 0 };
	struct worker *w = xcalloc((size_t)jobs, sizeof(*w));
	int started = 0;
	for (int i = 0; i < jobs; i++) {
		w[i].job = &job;
		if (i == 0)
			continue; /* the main thread is worker 0 */
		int e = pthread_create(&w[i].thread, NULL, work, &w[i]);
		if (e) {
			warning("parse-floor: cannot start thread %d: %s; going on with %d", i + 1,
				strerror(e), started + 1);
			break;
		}
		started++;
	}
	work(&w[0]);
	struct tally sum = w[0].t;
	for (int i = 1; i <= started; i++) {
		pthread_join(w[i].thread, NULL);
		sum.files += w[i].t.files;
		sum.parsed += w[i].t.parsed;
		sum.bytes += w[i].t.bytes;
		sum.syntax_errors += w[i].t.syntax_errors;
		sum.skipped += w[i].t.skipped;
	}
	printf("parse-floor: %zu files, %zu parsed, %zu bytes, %zu with syntax errors, "
	       "%zu skipped, %d threads\n",
	       sum.files, sum.parsed, sum.bytes, sum.syntax_errors, sum.skipped, started + 1);

	xfree(w);
	pathvec_release(&paths);
	if (have_repo)
		repo_release(&r);
	if (fflush(stdout) || ferror(stdout)) {
		error("parse-floor: cannot write to stdout: %s", strerror(errno));
		return EXIT_USAGE;
	}
	return EXIT_CLEAN;
}
