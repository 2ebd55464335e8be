/*
 * distarch init [DIR]: write DIR/.dist-architect/topology.yaml inferred
 * from the deployment manifests, the folders and the code (src/topo/infer.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "../base/alloc.h"
#include "../base/diag.h"
#include "../base/fileio.h"
#include "../base/opts.h"
#include "../base/strbuf.h"
#include "../topo/code_scan.h"
#include "../topo/infer.h"
#include "../base/banned.h"

#define MANIFEST_MAX_BYTES (4u << 20)

static const struct usage usage = {
	"distarch init [DIR] [--force] [--dry-run] [--output FILE]",
	"Write DIR/.dist-architect/topology.yaml (DIR defaults to the current folder):\n"
	"components and counts from docker-compose files (services, deploy.replicas),\n"
	"Kubernetes manifests (Deployments, StatefulSets, DaemonSets and their replicas;\n"
	"a HorizontalPodAutoscaler makes a count dynamic), Procfiles and the top-level\n"
	"folders whose code crosses a boundary; relationships from the calls found in\n"
	"the code. Every inferred value carries a comment saying where it came from;\n"
	"complete the rest by hand. An existing file is never overwritten without --force.",
	"exit status: 0 written (or printed), 2 the file exists (without --force), a\n"
	"manifest does not parse, or nothing could be inferred.",
};

/* A manifest by its name or content; -1 when one does not parse. */
static int read_manifest(struct inference *inf, const char *root, const char *path)
{
	bool compose = infer_is_compose(path), procfile = infer_is_procfile(path);
	if (!compose && !procfile && !infer_is_yaml(path))
		return 0;
	if (!strncmp(path, ".dist-architect/", 16))
		return 0;
	struct strbuf full = STRBUF_INIT, text = STRBUF_INIT;
	strbuf_addf(&full, "%s/%s", root, path);
	int rc = read_file(full.buf, &text, MANIFEST_MAX_BYTES);
	if (rc == 0) {
		if (compose)
			rc = infer_compose(inf, path, text.buf, text.len);
		else if (procfile)
			rc = infer_procfile(inf, path, text.buf, text.len);
		else if (strstr(text.buf, "{{"))
			; /* a template (Helm): not YAML until rendered */
		else if (strstr(text.buf, "apiVersion") && strstr(text.buf, "kind"))
			rc = infer_k8s(inf, path, text.buf, text.len);
	}
	strbuf_release(&full);
	strbuf_release(&text);
	return rc;
}

static int infer(struct inference *inf, const char *root, struct cmd_ctx *ctx, int jobs, bool no_cache)
{
	struct code_scan cs;
	code_scan_init(&cs);
	cs.jobs = (unsigned)jobs;
	cs.no_cache = no_cache;
	int rc = code_scan_run(&cs, root, NULL, !ctx->quiet);
	pathvec all = { 0 };
	if (!rc && repo_list_files(&cs.repo, &all) < 0)
		rc = -1;
	for (size_t i = 0; !rc && i < all.len; i++)
		rc = read_manifest(inf, root, all.items[i]);
	if (!rc)
		inference_finish(inf, &cs.links);
	pathvec_release(&all);
	code_scan_release(&cs);
	return rc;
}

int cmd_init(int argc, char **argv, struct cmd_ctx *ctx)
{
	bool force = false, dry_run = false, no_cache = false;
	const char *output = NULL;
	int jobs = 0;
	const struct option opts[] = {
		OPT_FLAG(0, "force", &force, "overwrite an existing topology file"),
		OPT_FLAG('n', "dry-run", &dry_run, "print the inferred topology on stdout, write nothing"),
		OPT_STRING('o', "output", &output, "FILE", "where to write (default DIR/.dist-architect/topology.yaml)"),
		OPT_INT('j', "jobs", &jobs, "N", "files parsed at once (default: one per processor; 1: no threads)"),
		OPT_FLAG(0, "no-cache", &no_cache, "neither read nor write the fact cache (DIR/.dist-architect/cache)"),
		OPT_END(),
	};
	int n = parse_options(argc - 1, argv + 1, opts, &usage);
	if (n == OPTS_HELP)
		return EXIT_CLEAN;
	if (n < 0)
		return EXIT_USAGE;
	if (n > 1) {
		error("init takes one folder at most");
		return EXIT_USAGE;
	}
	const char *root = n == 1 ? argv[1] : ".";
	struct strbuf file = STRBUF_INIT, yaml = STRBUF_INIT;
	if (output)
		strbuf_addstr(&file, output);
	else
		strbuf_addf(&file, "%s/.dist-architect/topology.yaml", root);
	int rc = EXIT_USAGE;
	if (!dry_run && !force && access(file.buf, F_OK) == 0) {
		error("%s exists: not overwriting it (--force replaces it, --dry-run prints what init "
		      "infers)", file.buf);
		strbuf_release(&file);
		return EXIT_USAGE;
	}
	struct inference inf;
	struct topology check;
	inference_init(&inf);
	topology_init(&check);
	if (infer(&inf, root, ctx, jobs, no_cache) < 0)
		goto out;
	if (!inf.comps.len) {
		error("%s: found nothing to infer components from (no compose file, Kubernetes "
		      "manifest or Procfile, no folder whose code crosses a boundary); write the "
		      "topology by hand (docs/topology.md)", root);
		goto out;
	}
	char *abs = realpath(root, NULL);
	const char *slash = abs ? strrchr(abs, '/') : NULL;
	inference_write(&inf, slash && slash[1] ? slash + 1 : root, &yaml);
	free(abs);
	/* What init writes, `topology check` must load. */
	if (topology_load_buffer(&check, file.buf, yaml.buf, yaml.len) < 0) {
		error("the inferred topology does not load (a bug in distarch init); nothing written");
		goto out;
	}
	if (dry_run) {
		fwrite(yaml.buf, 1, yaml.len, stdout);
	} else {
		/* Inside DIR, no symlink may lead out of it (src/base/fileio.h). */
		const char *sep = strrchr(file.buf, '/');
		char *dir = sep && sep != file.buf ? xstrndup(file.buf, (size_t)(sep - file.buf)) : NULL;
		int failed = (dir && mkdir_p_in(root, dir) < 0) ||
			     write_file_in(root, file.buf, yaml.buf, yaml.len, 0) < 0;
		xfree(dir);
		if (failed)
			goto out;
		note("wrote %s: %zu components, %zu relationships", file.buf, inf.comps.len,
		     inf.edges.len);
	}
	rc = EXIT_CLEAN;
out:
	topology_release(&check);
	inference_release(&inf);
	strbuf_release(&file);
	strbuf_release(&yaml);
	return rc;
}
