#ifndef DISTARCH_INFER_H
#define DISTARCH_INFER_H
/*
 * Inferring a topology for `distarch init`: components and their counts
 * from deployment manifests (docker-compose, Kubernetes, Procfile) and
 * top-level folders, relationships from the code links (links.h). Every
 * inferred value keeps where it came from, and the written file says so in
 * a comment beside it.
 *
 * One parser per manifest format (compose.c, k8s.c, procfile.c), each
 * from a buffer so it can be fuzzed; infer_write.c turns the result into
 * topology YAML that `distarch topology check` loads.
 *
 * Ownership: an inference owns every string (its arena) and vector.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/strbuf.h"
#include "../base/vec.h"
#include "links.h"

struct inferred_component {
	const char *name;
	const char *count;      /* a count topo_count_parse accepts; NULL until a source gives one */
	const char *count_from; /* where the count came from ("compose.yaml:12 deploy.replicas") */
	const char *role;       /* or NULL */
	VEC(const char *) paths;   /* globs */
	VEC(const char *) sources; /* where the component was seen, for comments */
};

/* A HorizontalPodAutoscaler, applied to its target by inference_finish. */
struct inferred_hpa {
	const char *target, *from;
	long min, max; /* -1 when not given */
};

struct inferred_edge {
	const char *from, *to, *via, *pattern;
	const char *evidence; /* "engine/stream.py:42 `self.redis.xadd` (queue.publish), 1 call site" */
};

struct inference {
	struct arena arena;
	VEC(struct inferred_component) comps;
	VEC(struct inferred_hpa) hpas;
	VEC(struct inferred_edge) edges;
	VEC(const char *) notes; /* what could not be inferred, as comment lines */
};

void inference_init(struct inference *inf);
void inference_release(struct inference *inf);

/* The component named `name` ("gpu_worker" finds "gpu-worker"), added when missing. */
struct inferred_component *inference_component(struct inference *inf, const char *name);
/* Like inference_component, without adding: NULL when missing. */
struct inferred_component *inference_find(struct inference *inf, const char *name);
/* A string in the inference's arena, printf-style. */
const char *inference_str(struct inference *inf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void inference_note(struct inference *inf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * The manifest parsers. `path` names the file in messages and comments
 * (repository-relative). A file that is not what the parser reads (a YAML
 * syntax error, a Procfile line without `name: command`) is an error_at()
 * and -1; a well-formed file with nothing to infer is 0.
 */
int infer_compose(struct inference *inf, const char *path, const char *text, size_t len);
/* Also 0 for YAML that is not a Kubernetes manifest (no apiVersion/kind). */
int infer_k8s(struct inference *inf, const char *path, const char *text, size_t len);
int infer_procfile(struct inference *inf, const char *path, const char *text, size_t len);

/* Is `path` a compose file, a Procfile, or YAML that may hold Kubernetes manifests? */
bool infer_is_compose(const char *path);
bool infer_is_procfile(const char *path);
bool infer_is_yaml(const char *path);

/*
 * After the manifests: apply the autoscalers, add a component per
 * top-level folder whose code crosses a boundary (merged with a service of
 * its name), and the relationships the code links show (links collected
 * without a topology). Components without a count get "1 (assumed)".
 */
void inference_finish(struct inference *inf, const struct code_links *cl);

/* The topology YAML, with a comment beside every inferred value. */
void inference_write(const struct inference *inf, const char *root_name, struct strbuf *out);

#endif
