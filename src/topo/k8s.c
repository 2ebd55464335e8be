/*
 * Kubernetes manifests for `init` (infer.h): Deployments, StatefulSets,
 * ReplicaSets and DaemonSets are components (`spec.replicas`, 1 when
 * absent, as the API defaults it); a HorizontalPodAutoscaler makes its
 * target's count dynamic (minReplicas..maxReplicas). Multi-document files
 * and `kind: List` are read whole.
 * https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
 * https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
#include "infer.h"

#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/diag.h"
#include "../base/ytree.h"
#include "../base/banned.h"

static long number(const struct ynode *n)
{
	const char *s = ynode_str(n);
	char *end;
	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	long v = strtol(s, &end, 10);
	return *end || v > 1000000 ? -1 : v;
}

static void workload(struct inference *inf, const char *path, const struct ynode *doc,
		     const char *kind, const char *name)
{
	struct inferred_component *c = inference_component(inf, name);
	VEC_APPEND(&c->sources, inference_str(inf, "%s:%u %s", path, doc->line, kind));
	if (!strcmp(kind, "DaemonSet")) {
		c->count = "N (dynamic, one per node)";
		c->count_from = inference_str(inf, "%s:%u DaemonSet", path, doc->line);
		return;
	}
	const struct ynode *r = ynode_get(ynode_get(doc, "spec"), "replicas");
	long n = number(r);
	if (!r) {
		c->count = "1 (fixed)";
		c->count_from = inference_str(inf, "%s:%u %s without spec.replicas (defaults to 1)", path,
					      doc->line, kind);
	} else if (n > 0) {
		c->count = inference_str(inf, "%ld (fixed)", n);
		c->count_from = inference_str(inf, "%s:%u spec.replicas: %ld", path, r->line, n);
	} else {
		c->count = "N (dynamic)";
		c->count_from = inference_str(inf, "%s:%u spec.replicas is `%s`", path, r->line,
					      ynode_str(r) ? ynode_str(r) : "not a number");
	}
}

static void autoscaler(struct inference *inf, const char *path, const struct ynode *doc)
{
	const struct ynode *spec = ynode_get(doc, "spec");
	const char *target = ynode_str(ynode_get(ynode_get(spec, "scaleTargetRef"), "name"));
	if (!target) {
		inference_note(inf, "%s:%u: a HorizontalPodAutoscaler without scaleTargetRef.name", path,
			       doc->line);
		return;
	}
	struct inferred_hpa *h = VEC_PUSH(&inf->hpas);
	h->target = inference_str(inf, "%s", target);
	h->from = inference_str(inf, "%s:%u", path, doc->line);
	h->min = ynode_get(spec, "minReplicas") ? number(ynode_get(spec, "minReplicas")) : 1;
	h->max = number(ynode_get(spec, "maxReplicas"));
}

/* One object; `List` holds more. Bounded by the tree's own depth limit. */
static void object(struct inference *inf, const char *path, const struct ynode *doc)
{
	const char *kind = ynode_str(ynode_get(doc, "kind"));
	if (!kind || !ynode_str(ynode_get(doc, "apiVersion")))
		return; /* YAML, but not a Kubernetes object */
	if (!strcmp(kind, "List")) {
		const struct ynode *items = ynode_get(doc, "items");
		for (size_t i = 0; items && items->kind == YNODE_SEQ && i < items->n; i++)
			object(inf, path, items->items[i]);
		return;
	}
	if (!strcmp(kind, "HorizontalPodAutoscaler")) {
		autoscaler(inf, path, doc);
		return;
	}
	if (strcmp(kind, "Deployment") && strcmp(kind, "StatefulSet") && strcmp(kind, "ReplicaSet") &&
	    strcmp(kind, "DaemonSet"))
		return;
	const char *name = ynode_str(ynode_get(ynode_get(doc, "metadata"), "name"));
	if (!name || !*name) {
		inference_note(inf, "%s:%u: a %s without metadata.name", path, doc->line, kind);
		return;
	}
	workload(inf, path, doc, kind, name);
}

int infer_k8s(struct inference *inf, const char *path, const char *text, size_t len)
{
	struct arena tree = ARENA_INIT;
	struct ynode **docs;
	size_t ndocs;
	if (ytree_parse_stream(&tree, path, text, len, &docs, &ndocs) < 0) {
		arena_release(&tree);
		return -1;
	}
	for (size_t i = 0; i < ndocs; i++)
		if (docs[i]->kind == YNODE_MAP)
			object(inf, path, docs[i]);
	arena_release(&tree);
	return 0;
}
