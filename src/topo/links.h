#ifndef DISTARCH_LINKS_H
#define DISTARCH_LINKS_H
/*
 * Code links: the boundaries each component's code crosses, read from the
 * facts. A call the models tag with a boundary operation (queue.publish,
 * queue.consume, http.request, http.route, stream.*, rpc.call, db.*, kv.*,
 * storage.*) is a site of a link of the component its file belongs to;
 * sites of one component with the same kind, direction, library and
 * literal target form one link. A call to a helper defined in another
 * component's file (`self.repo.mark_done()` whose body runs the SQL) is
 * followed one level, so a component that reaches a boundary through
 * shared code still shows it. Test files are left out.
 *
 * Which component a file belongs to: every topology component whose
 * `paths:` match it (several: the file is shared), else the component
 * named like its top-level folder ("gpu_worker" finds "gpu-worker"), else
 * none: the link is then the folder's, marked inferred (comp_idx -1).
 *
 * What `topology drift` compares with the topology's relationships, and
 * what `init` writes as relationships.
 *
 * Ownership: a code_links owns its vectors and its arena (component and
 * folder names it made up). Paths, ops, libraries and targets are borrowed
 * from the index, the models and the topology, which must outlive it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/vec.h"
#include "../facts/index.h"
#include "../models/models.h"
#include "topology.h"

enum link_kind { LINK_QUEUE, LINK_HTTP, LINK_STREAM, LINK_RPC, LINK_DB, LINK_KV, LINK_STORAGE, LINK__COUNT };
/* OUT: the component calls out (publish, request, query); IN: it receives (consume, route); BOTH: a long-lived channel. */
enum link_dir { LINK_OUT, LINK_IN, LINK_BOTH };

const char *link_kind_name(enum link_kind k); /* "queue", "http", "websocket/stream", ... */
/* What the component does over it, for messages: "publishes to a queue", "serves HTTP". */
const char *link_verb(enum link_kind k, enum link_dir d);

struct link_site {
	const char *path;     /* where the component's code makes the call */
	struct span at;
	const char *op;       /* the model operation of the boundary call */
	const char *callee;   /* the boundary call as written */
	/* Reached through a helper: the helper's name and where its boundary call is; else NULL. */
	const char *through;
	const char *through_path;
	uint32_t through_line;
};

struct code_link {
	const char *component; /* topology name, or the inferred folder */
	int comp_idx;          /* into topology components, -1 when inferred */
	bool shared;           /* every site is in a file several components claim */
	enum link_kind kind;
	enum link_dir dir;
	const char *library;   /* the model's library ("redis-py") */
	const char *system;    /* the model's system ("redis"), or NULL */
	const char *target;    /* a literal destination (stream name, URL), or NULL */
	const char *peer;      /* the component at the other end, or a suggested name (system, URL host), or NULL */
	int peer_idx;          /* into topology components, -1 when not in the topology */
	VEC(struct link_site) sites;
};

struct code_links {
	struct arena arena;
	VEC(struct code_link) items;
	/* Per topology component: does any indexed, non-test source file belong to it? */
	bool *has_code;
	size_t ncomponents;
	/* Top-level folders with source files no component claims, in path order. */
	VEC(const char *) unclaimed;
};

void code_links_init(struct code_links *cl);
void code_links_release(struct code_links *cl);

/*
 * Collect the links of every indexed file (ix built). `topo` may be NULL:
 * every file is then its top-level folder's. Deterministic: links in the
 * order of their first site (files sorted by path).
 */
void code_links_collect(struct code_links *cl, const struct fact_index *ix,
			const struct topology *topo, const struct model_set *ms);

/* Map an operation to its link; false for operations that cross no boundary (client.new, serialize). */
bool link_for_op(const char *op, enum link_kind *kind, enum link_dir *dir);

/* The words a relationship's `via:` would use for a kind of link ("queue", "topic", ...), NULL-terminated. */
const char *const *link_kind_words(enum link_kind k);
/*
 * Does `text` hold `word` as a word (case-insensitive; "streams" holds
 * "stream", and a word of 4+ letters agrees with a longer one it begins)?
 */
bool text_mentions(const char *text, const char *word);
/* Does `text` mention one of the words of `words` (a library name: "redis-py" -> redis)? */
bool text_mentions_words(const char *text, const char *words);

/* "gpu_worker", "GPU-Worker" and "gpu-worker" name the same component (case, '_' and '-'). */
bool component_names_match(const char *a, const char *b);

/* The host of a URL ("http://comfyui:8188/prompt" -> "comfyui") into buf; false when `s` is no URL. */
bool link_url_host(const char *s, char *buf, size_t bufsz);

#endif
