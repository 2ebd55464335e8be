/*
 * Inference for `init` (infer.h): the shared model of what was inferred,
 * and the step that adds folders and code relationships to what the
 * manifests gave.
 */
#include "infer.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/path.h"
#include "../base/banned.h"

void inference_init(struct inference *inf)
{
	memset(inf, 0, sizeof(*inf));
}

void inference_release(struct inference *inf)
{
	for (size_t i = 0; i < inf->comps.len; i++) {
		VEC_FREE(&inf->comps.items[i].paths);
		VEC_FREE(&inf->comps.items[i].sources);
	}
	VEC_FREE(&inf->comps);
	VEC_FREE(&inf->hpas);
	VEC_FREE(&inf->edges);
	VEC_FREE(&inf->notes);
	arena_release(&inf->arena);
	memset(inf, 0, sizeof(*inf));
}

const char *inference_str(struct inference *inf, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	const char *s = arena_strdup(&inf->arena, sb.buf);
	strbuf_release(&sb);
	return s;
}

void inference_note(struct inference *inf, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	VEC_APPEND(&inf->notes, arena_strdup(&inf->arena, sb.buf));
	strbuf_release(&sb);
}

struct inferred_component *inference_find(struct inference *inf, const char *name)
{
	for (size_t i = 0; name && i < inf->comps.len; i++)
		if (component_names_match(inf->comps.items[i].name, name))
			return &inf->comps.items[i];
	return NULL;
}

struct inferred_component *inference_component(struct inference *inf, const char *name)
{
	struct inferred_component *c = inference_find(inf, name);
	if (c)
		return c;
	c = VEC_PUSH(&inf->comps);
	c->name = arena_strdup(&inf->arena, name);
	return c;
}

bool infer_is_compose(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *ext = path_ext(base);
	if (strcmp(ext, ".yml") && strcmp(ext, ".yaml"))
		return false;
	return !strncmp(base, "docker-compose", 14) || !strncmp(base, "compose.", 8) ||
	       !strncmp(base, "compose-", 8);
}

bool infer_is_procfile(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return !strcmp(base, "Procfile") || !strncmp(base, "Procfile.", 9);
}

bool infer_is_yaml(const char *path)
{
	const char *ext = path_ext(path);
	return !strcmp(ext, ".yml") || !strcmp(ext, ".yaml");
}

static void apply_hpas(struct inference *inf)
{
	for (size_t i = 0; i < inf->hpas.len; i++) {
		const struct inferred_hpa *h = &inf->hpas.items[i];
		struct inferred_component *c = inference_find(inf, h->target);
		if (!c) {
			inference_note(inf, "%s: an autoscaler targets `%s`, which no manifest here defines",
				       h->from, h->target);
			continue;
		}
		if (h->min > 0 && h->max >= h->min)
			c->count = inference_str(inf, "%ld-%ld (dynamic)", h->min, h->max);
		else
			c->count = "N (dynamic)";
		c->count_from = inference_str(inf, "%s HorizontalPodAutoscaler", h->from);
	}
}

/* The component a folder's code is: a service built from it, one named like it, or its own. */
static struct inferred_component *folder_component(struct inference *inf, const char *folder)
{
	char glob[512];
	snprintf(glob, sizeof(glob), "%s/**", folder);
	for (size_t i = 0; i < inf->comps.len; i++)
		for (size_t p = 0; p < inf->comps.items[i].paths.len; p++)
			if (!strcmp(inf->comps.items[i].paths.items[p], glob))
				return &inf->comps.items[i];
	struct inferred_component *c = inference_component(inf, folder);
	bool has = false;
	for (size_t p = 0; p < c->paths.len && !has; p++)
		has = !strcmp(c->paths.items[p], glob);
	if (!has) {
		VEC_APPEND(&c->paths, arena_strdup(&inf->arena, glob));
		VEC_APPEND(&c->sources, inference_str(inf, "folder %s/ (its code crosses boundaries)", folder));
	}
	return c;
}

static const char *pattern_of(const struct code_link *l)
{
	switch (l->kind) {
	case LINK_QUEUE: return l->dir == LINK_IN ? "pull" : "push";
	case LINK_STREAM: return "stream";
	default: return "request-response";
	}
}

static void add_edge(struct inference *inf, const char *from, const char *to, const struct code_link *l)
{
	const char *via = inference_str(inf, "%s (%s)", link_kind_name(l->kind), l->library ? l->library : "?");
	const struct link_site *s = &l->sites.items[0];
	for (size_t i = 0; i < inf->edges.len; i++) {
		const struct inferred_edge *e = &inf->edges.items[i];
		if (!strcmp(e->from, from) && !strcmp(e->to, to) && !strcmp(e->via, via))
			return;
	}
	struct inferred_edge *e = VEC_PUSH(&inf->edges);
	e->from = from;
	e->to = to;
	e->via = via;
	e->pattern = pattern_of(l);
	e->evidence = inference_str(inf, "%s:%u `%s` (%s)%s%s%s, %zu call site%s", s->path, s->at.line,
				    s->callee ? s->callee : "?", s->op, s->through ? " through " : "",
				    s->through ? s->through : "", s->through ? "()" : "", l->sites.len,
				    l->sites.len == 1 ? "" : "s");
}

/* The component at the other end of a link: a known one, else one for its system or URL host. */
static struct inferred_component *peer_component(struct inference *inf, const struct code_link *l)
{
	if (!l->peer)
		return NULL;
	struct inferred_component *c = inference_find(inf, l->peer);
	for (size_t i = 0; !c && i < inf->comps.len; i++)
		if (text_mentions(inf->comps.items[i].name, l->peer))
			c = &inf->comps.items[i];
	if (c)
		return c;
	c = inference_component(inf, l->peer);
	VEC_APPEND(&c->sources, inference_str(inf, "the code talks to it through %s (%s:%u); no manifest "
					      "here defines it", l->library ? l->library : "?",
					      l->sites.items[0].path, l->sites.items[0].at.line));
	return c;
}

void inference_finish(struct inference *inf, const struct code_links *cl)
{
	apply_hpas(inf);
	for (size_t i = 0; i < cl->unclaimed.len; i++) {
		const char *folder = cl->unclaimed.items[i];
		bool crosses = false;
		for (size_t k = 0; k < cl->items.len && !crosses; k++)
			crosses = !strcmp(cl->items.items[k].component, folder);
		if (crosses && strcmp(folder, "(root)"))
			folder_component(inf, folder);
		else if (strcmp(folder, "(root)"))
			inference_note(inf, "%s/ has code that crosses no boundary: shared code? add it to "
				       "the `paths:` of the components that use it", folder);
	}
	for (size_t i = 0; i < cl->items.len; i++) {
		const struct code_link *l = &cl->items.items[i];
		const struct link_site *s = &l->sites.items[0];
		if (!strcmp(l->component, "(root)")) {
			inference_note(inf, "%s:%u: top-level code %s (%s): which component is it?", s->path,
				       s->at.line, link_verb(l->kind, l->dir), l->library ? l->library : "?");
			continue;
		}
		const char *self = folder_component(inf, l->component)->name;
		struct inferred_component *peer = peer_component(inf, l);
		if (!peer || !strcmp(peer->name, self)) {
			bool said = false;
			for (size_t k = 0; k < i && !said; k++) {
				const struct code_link *m = &cl->items.items[k];
				said = !m->peer && m->kind == l->kind && m->dir == l->dir &&
				       !strcmp(m->component, l->component) &&
				       !strcmp(m->library ? m->library : "", l->library ? l->library : "");
			}
			if (said)
				continue;
			inference_note(inf, "%s:%u: %s %s (%s); the other end is not known: add the relationship",
				       s->path, s->at.line, self, link_verb(l->kind, l->dir),
				       l->library ? l->library : "?");
			continue;
		}
		if (l->dir == LINK_IN)
			add_edge(inf, peer->name, self, l);
		else
			add_edge(inf, self, peer->name, l);
	}
	for (size_t i = 0; i < inf->comps.len; i++)
		if (!inf->comps.items[i].count) {
			inf->comps.items[i].count = "1 (assumed)";
			inf->comps.items[i].count_from = "no manifest gives a count";
		}
}
