/*
 * docker-compose files for `init` (infer.h): each service a component,
 * its count from `deploy.replicas` (or the older `scale:`), its folder
 * from `build:` (a path or `build: {context: ...}`).
 * Format: https://docs.docker.com/reference/compose-file/services/
 */
#include "infer.h"

#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/diag.h"
#include "../base/path.h"
#include "../base/ytree.h"
#include "../base/banned.h"

/* A whole non-negative number, as compose writes replicas. */
static bool whole_number(const char *s, long *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	long v = strtol(s, &end, 10);
	if (*end || v < 0 || v > 1000000)
		return false;
	*out = v;
	return true;
}

static void set_count(struct inference *inf, struct inferred_component *c, const char *path,
		      const struct ynode *n, const char *key)
{
	const char *v = ynode_str(n);
	long r;
	if (whole_number(v, &r) && r > 0) {
		c->count = inference_str(inf, "%ld (fixed)", r);
		c->count_from = inference_str(inf, "%s:%u %s: %ld", path, n->line, key, r);
	} else if (whole_number(v, &r)) {
		c->count = "1 (assumed)";
		c->count_from = inference_str(inf, "%s:%u %s: 0 (scaled to zero here)", path, n->line, key);
	} else {
		c->count = "N (dynamic)";
		c->count_from = inference_str(inf, "%s:%u %s is `%s`, set at deploy time", path,
					      n->line, key, v ? v : "not a number");
	}
}

/* `build: ./engine` or `build: {context: ./engine}`, relative to the compose file, as a folder glob. */
static void set_folder(struct inference *inf, struct inferred_component *c, const char *path,
		       const struct ynode *build)
{
	const char *ctx = build && build->kind == YNODE_MAP ? ynode_str(ynode_get(build, "context"))
							     : ynode_str(build);
	if (!ctx || strstr(ctx, "://"))
		return;
	const char *slash = strrchr(path, '/');
	struct strbuf sb = STRBUF_INIT;
	if (slash)
		strbuf_add(&sb, path, (size_t)(slash - path + 1));
	strbuf_addstr(&sb, ctx);
	char *norm = path_normalize(sb.buf);
	size_t n = strlen(norm);
	while (n && norm[n - 1] == '/')
		norm[--n] = '\0';
	if (n && strcmp(norm, ".") && strncmp(norm, "../", 3) && strcmp(norm, "..")) {
		const char *glob = inference_str(inf, "%s/**", norm);
		bool has = false;
		for (size_t i = 0; i < c->paths.len && !has; i++)
			has = !strcmp(c->paths.items[i], glob);
		if (!has)
			VEC_APPEND(&c->paths, glob);
	}
	strbuf_release(&sb);
}

int infer_compose(struct inference *inf, const char *path, const char *text, size_t len)
{
	struct arena tree = ARENA_INIT;
	struct ynode *root;
	if (ytree_parse(&tree, path, text, len, &root) < 0) {
		arena_release(&tree);
		return -1;
	}
	int rc = 0;
	const struct ynode *services = ynode_get(root, "services");
	if (root && root->kind != YNODE_MAP) {
		rc = error_at(path, root->line, root->col,
			      "not a compose file (expected a mapping with `services:`)");
	} else if (services && services->kind != YNODE_MAP) {
		rc = error_at(path, services->line, services->col,
			      "`services` is %s (expected a mapping of service names)",
			      ynode_kind_name(services));
	}
	for (size_t i = 0; !rc && services && i < services->n; i++) {
		const struct ynode *key = services->items[2 * i], *svc = services->items[2 * i + 1];
		const char *name = ynode_str(key);
		if (name && !*name) {
			rc = error_at(path, key->line, key->col, "a service with an empty name");
			break;
		}
		if (!name || (svc->kind != YNODE_MAP && !ynode_is_null(svc))) {
			rc = error_at(path, key->line, key->col,
				      "service %s is %s (expected a mapping)", name ? name : "?",
				      ynode_kind_name(svc));
			break;
		}
		struct inferred_component *c = inference_component(inf, name);
		VEC_APPEND(&c->sources, inference_str(inf, "%s:%u compose service", path, key->line));
		const struct ynode *deploy = ynode_get(svc, "deploy");
		const struct ynode *replicas = ynode_get(deploy, "replicas"), *scale = ynode_get(svc, "scale");
		if (replicas)
			set_count(inf, c, path, replicas, "deploy.replicas");
		else if (scale)
			set_count(inf, c, path, scale, "scale");
		else if (!c->count) {
			c->count = "1 (fixed)";
			c->count_from = inference_str(inf, "%s:%u no replicas: compose runs one container",
						      path, key->line);
		}
		const char *image = ynode_str(ynode_get(svc, "image"));
		if (image && !c->role)
			c->role = inference_str(inf, "image %s", image);
		set_folder(inf, c, path, ynode_get(svc, "build"));
	}
	arena_release(&tree);
	return rc;
}
