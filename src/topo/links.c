/*
 * Code links (links.h): boundary calls grouped per component, with a
 * one-level walk into helpers that live in other components' files.
 */
#include "links.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/path.h"
#include "../base/strbuf.h"
#include "../base/strmap.h"
#include "../analyze/factq.h"
#include "../base/banned.h"

/* A helper name defined more often than this is ambiguous (two classes' stop()): not followed. */
#define HELPER_MAX_DEFS 1
/* Nor are short names (get, run, put): too many meanings. */
#define HELPER_MIN_NAME 4
#define MAX_OWNERS 8

static const struct {
	const char *op;
	enum link_kind kind;
	enum link_dir dir;
} op_links[] = {
	{ "queue.publish", LINK_QUEUE, LINK_OUT },
	{ "queue.delete", LINK_QUEUE, LINK_OUT },
	{ "queue.consume", LINK_QUEUE, LINK_IN },
	{ "queue.ack", LINK_QUEUE, LINK_IN },
	{ "queue.nack", LINK_QUEUE, LINK_IN },
	{ "queue.reject", LINK_QUEUE, LINK_IN },
	{ "queue.requeue", LINK_QUEUE, LINK_IN },
	{ "queue.redeliver", LINK_QUEUE, LINK_IN },
	{ "queue.commit", LINK_QUEUE, LINK_IN },
	{ "stream.connect", LINK_STREAM, LINK_BOTH },
	{ "stream.recv", LINK_STREAM, LINK_BOTH },
	{ "stream.send", LINK_STREAM, LINK_BOTH },
	{ "http.request", LINK_HTTP, LINK_OUT },
	{ "http.route", LINK_HTTP, LINK_IN },
	{ "rpc.call", LINK_RPC, LINK_OUT },
	{ "db.execute", LINK_DB, LINK_OUT },
	{ "db.transaction", LINK_DB, LINK_OUT },
	{ "kv.write", LINK_KV, LINK_OUT },
	{ "kv.read", LINK_KV, LINK_OUT },
	{ "kv.delete", LINK_KV, LINK_OUT },
	{ "storage.write", LINK_STORAGE, LINK_OUT },
	{ "storage.read", LINK_STORAGE, LINK_OUT },
	{ "storage.delete", LINK_STORAGE, LINK_OUT },
};

bool link_for_op(const char *op, enum link_kind *kind, enum link_dir *dir)
{
	for (size_t i = 0; op && i < sizeof(op_links) / sizeof(*op_links); i++)
		if (!strcmp(op_links[i].op, op)) {
			*kind = op_links[i].kind;
			*dir = op_links[i].dir;
			return true;
		}
	return false;
}

const char *link_kind_name(enum link_kind k)
{
	static const char *const names[LINK__COUNT] = {
		"queue", "http", "websocket/stream", "rpc", "database", "key-value store", "object storage"
	};
	return k < LINK__COUNT ? names[k] : "?";
}

const char *link_verb(enum link_kind k, enum link_dir d)
{
	switch (k) {
	case LINK_QUEUE: return d == LINK_IN ? "consumes from a queue" : "publishes to a queue";
	case LINK_HTTP: return d == LINK_IN ? "serves HTTP" : "makes HTTP requests";
	case LINK_STREAM: return "holds a websocket/stream connection";
	case LINK_RPC: return "makes RPC calls";
	case LINK_DB: return "queries a database";
	case LINK_KV: return "reads or writes a key-value store";
	case LINK_STORAGE: return "reads or writes object storage";
	case LINK__COUNT: break;
	}
	return "crosses a boundary";
}

/*
 * The words a relationship's mechanism would use for each kind of link.
 * Library-specific words come from the models (library, system), not from
 * here.
 */
static const char *const kind_words[LINK__COUNT][16] = {
	[LINK_QUEUE] = { "queue", "stream", "topic", "broker", "pub", "publish", "subscribe",
			 "consumer", "producer", "amqp", "mq", "enqueue", NULL },
	[LINK_HTTP] = { "http", "https", "rest", "webhook", "graphql", "url", "endpoint", NULL },
	[LINK_STREAM] = { "websocket", "ws", "socket", "sse", "pub", "subscribe", "realtime", NULL },
	[LINK_RPC] = { "grpc", "rpc", "protobuf", "thrift", NULL },
	[LINK_DB] = { "db", "database", "sql", "query", "pool", "table", "jdbc", "orm", NULL },
	[LINK_KV] = { "cache", "kv", "key", NULL },
	[LINK_STORAGE] = { "storage", "bucket", "object", "blob", "upload", NULL },
};

const char *const *link_kind_words(enum link_kind k)
{
	static const char *const none[] = { NULL };
	return k < LINK__COUNT ? kind_words[k] : none;
}

/* Two words agree: equal, or one is a prefix of the other of at least 4 letters ("stream", "streams"). */
static bool word_agrees(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	if (alen != blen && n < 4)
		return false;
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return false;
	return true;
}

bool text_mentions(const char *text, const char *word)
{
	if (!text || !word || !*word)
		return false;
	size_t wlen = strlen(word);
	for (const char *p = text; *p;) {
		while (*p && !isalnum((unsigned char)*p))
			p++;
		const char *s = p;
		while (*p && isalnum((unsigned char)*p))
			p++;
		if (p > s && word_agrees(s, (size_t)(p - s), word, wlen))
			return true;
	}
	return false;
}

bool text_mentions_words(const char *text, const char *words)
{
	if (!words)
		return false;
	char w[64];
	for (const char *p = words; *p;) {
		while (*p && !isalnum((unsigned char)*p))
			p++;
		size_t n = 0;
		while (*p && isalnum((unsigned char)*p)) {
			if (n + 1 < sizeof(w))
				w[n++] = *p;
			p++;
		}
		w[n] = '\0';
		/* Version and language tags of library names ("redis-py", "kafka-go", "v2") say nothing. */
		if (n >= 3 && strcmp(w, "py") && strcmp(w, "go") && strcmp(w, "java") && strcmp(w, "node") &&
		    strcmp(w, "sdk") && strcmp(w, "client") && strcmp(w, "clients") && strcmp(w, "aws") &&
		    !(w[0] == 'v' && isdigit((unsigned char)w[1])) && text_mentions(text, w))
			return true;
	}
	return false;
}

bool link_url_host(const char *s, char *buf, size_t bufsz)
{
	const char *p = s ? strstr(s, "://") : NULL;
	if (!p || !bufsz)
		return false;
	p += 3;
	const char *at = strpbrk(p, "@/");
	if (at && *at == '@')
		p = at + 1;
	size_t n = strcspn(p, ":/?#");
	if (!n || n >= bufsz)
		return false;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return true;
}

/* Keyword arguments that name where a call goes. */
static const char *const target_keys[] = {
	"url", "queue", "queue_url", "QueueUrl", "topic", "stream", "subject", "channel",
	"exchange", "routing_key", "Bucket", "bucket", "uri", NULL
};

static const char *call_target(const struct fact_call *c, enum link_kind k, enum link_dir d)
{
	if (k == LINK_DB || k == LINK_KV || (k == LINK_HTTP && d == LINK_IN))
		return NULL; /* a statement, a key or a route path names no peer */
	/* Connections are told apart by their URL; a bare path ("/history") names no peer. */
	bool url_only = k == LINK_HTTP || k == LINK_STREAM;
	for (size_t i = 0; i < c->nargs; i++) {
		const struct fact_arg *a = &c->args[i];
		if (!a->is_string || !a->value || !*a->value || (url_only && !strstr(a->value, "://")))
			continue;
		if (!a->name)
			return a->value;
		for (const char *const *kw = target_keys; *kw; kw++)
			if (!strcmp(*kw, a->name))
				return a->value;
	}
	return NULL;
}

void code_links_init(struct code_links *cl)
{
	memset(cl, 0, sizeof(*cl));
}

void code_links_release(struct code_links *cl)
{
	for (size_t i = 0; i < cl->items.len; i++)
		VEC_FREE(&cl->items.items[i].sites);
	VEC_FREE(&cl->items);
	VEC_FREE(&cl->unclaimed);
	xfree(cl->has_code);
	arena_release(&cl->arena);
	memset(cl, 0, sizeof(*cl));
}

bool component_names_match(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a == '_' ? '-' : (char)tolower((unsigned char)*a);
		char y = *b == '_' ? '-' : (char)tolower((unsigned char)*b);
		if (x != y)
			return false;
	}
	return !*a && !*b;
}

/* The components a file belongs to (see links.h); 0 when none. */
static size_t file_owners(const struct topology *t, const char *path, int *out)
{
	size_t n = 0;
	if (!t)
		return 0;
	for (size_t i = 0; i < t->components.len && n < MAX_OWNERS; i++) {
		const struct topo_component *c = &t->components.items[i];
		for (size_t g = 0; g < c->paths.len; g++)
			if (glob_match(c->paths.items[g], path)) {
				out[n++] = (int)i;
				break;
			}
	}
	if (n)
		return n;
	char *top = path_top_folder(path);
	for (size_t i = 0; *top && i < t->components.len; i++)
		if (!t->components.items[i].paths.len && component_names_match(t->components.items[i].name, top)) {
			out[n++] = (int)i;
			break;
		}
	xfree(top);
	return n;
}

static const char *folder_name(struct code_links *cl, const char *path)
{
	char *top = path_top_folder(path);
	const char *name = arena_strdup(&cl->arena, *top ? top : "(root)");
	xfree(top);
	return name;
}

static const char *model_system(const struct model_set *ms, const char *library)
{
	for (size_t i = 0; ms && library && i < ms->models.len; i++)
		if (!strcmp(ms->models.items[i].library, library))
			return ms->models.items[i].system;
	return NULL;
}

/* A boundary the call crosses: its operation, the library that says so, its literal destination. */
struct crossing {
	const char *op, *library, *target;
};

/* The operation `library`'s model gives an instance call `method` (decorators excluded), or NULL. */
static const char *model_method_op(const struct model_set *ms, const char *library, const char *method)
{
	for (size_t i = 0; ms && i < ms->models.len; i++) {
		const struct api_model *m = &ms->models.items[i];
		if (strcmp(m->library, library))
			continue;
		for (size_t c = 0; c < m->calls.len; c++)
			if (m->calls.items[c].method && !m->calls.items[c].decorator &&
			    !strcmp(m->calls.items[c].method, method))
				return m->calls.items[c].op;
	}
	return NULL;
}

/* The library of the client the file binds to `recv` (`self._http = httpx.AsyncClient(...)`), or NULL. */
static const char *bound_client(const struct file_facts *ff, const char *recv, size_t len)
{
	for (size_t i = 0; i < ff->calls.len; i++) {
		const struct fact_call *c = &ff->calls.items[i];
		if (c->op && c->model && c->assigned_to && !strcmp(c->op, "client.new") &&
		    strlen(c->assigned_to) == len && !strncmp(c->assigned_to, recv, len))
			return c->model;
	}
	return NULL;
}

/*
 * `dotted` ("self._http.post") as a call on a client the file created:
 * the client's model says what the method does, whatever the receiver is
 * called (the models' receiver words cannot know `_http`).
 */
static bool client_method(const struct model_set *ms, const struct file_facts *ff, const char *dotted,
			  struct crossing *x)
{
	const char *dot = dotted ? strrchr(dotted, '.') : NULL;
	if (!dot || dot == dotted)
		return false;
	const char *lib = bound_client(ff, dotted, (size_t)(dot - dotted));
	const char *op = lib ? model_method_op(ms, lib, dot + 1) : NULL;
	if (!op)
		return false;
	x->op = op;
	x->library = lib;
	x->target = NULL;
	return true;
}

/*
 * A probe endpoint ("/healthz", "/readyz", "/metrics"): the orchestrator or
 * the monitoring calls it, not another component of the system.
 */
static bool probe_route(const struct fact_call *c)
{
	static const char *const probes[] = { "health", "healthz", "healthcheck", "readyz", "livez",
					      "ready", "live", "liveness", "readiness", "metrics", "ping", NULL };
	for (size_t i = 0; i < c->nargs; i++) {
		const char *v = c->args[i].is_string ? c->args[i].value : NULL;
		if (!v || *v != '/')
			continue;
		const char *last = strrchr(v, '/') + 1;
		for (const char *const *w = probes; *w; w++)
			if (!strcmp(last, *w))
				return true;
		return false;
	}
	return false;
}

/* The boundary call `c` makes by the models, or through a client the file bound. */
static bool call_crossing(const struct model_set *ms, const struct file_facts *ff,
			  const struct fact_call *c, struct crossing *x)
{
	enum link_kind kind;
	enum link_dir dir;
	if (c->op) {
		x->op = c->op;
		x->library = c->model;
	} else if (!client_method(ms, ff, c->callee, x)) {
		return false;
	}
	if (!link_for_op(x->op, &kind, &dir) || (!strcmp(x->op, "http.route") && probe_route(c)))
		return false;
	x->target = call_target(c, kind, dir);
	return true;
}

struct collector {
	struct code_links *cl;
	const struct fact_index *ix;
	const struct topology *topo;
	const struct model_set *ms;
	struct strmap keys; /* link key -> index + 1 */
	struct strbuf key;
};

/* The component(s) of a file: topology indices, or the folder (idx -1). */
struct owners {
	int idx[MAX_OWNERS];
	size_t n;
	const char *folder;
};

static void owners_of(struct collector *k, const char *path, struct owners *o)
{
	o->n = file_owners(k->topo, path, o->idx);
	o->folder = o->n ? NULL : folder_name(k->cl, path);
}

static void add_site(struct collector *k, const struct owners *o, const struct crossing *x,
		     const struct link_site *site)
{
	enum link_kind kind;
	enum link_dir dir;
	if (!link_for_op(x->op, &kind, &dir))
		return;
	const char *target = x->target;
	size_t n = o->n ? o->n : 1;
	for (size_t i = 0; i < n; i++) {
		int ci = o->n ? o->idx[i] : -1;
		const char *comp = ci >= 0 ? k->topo->components.items[ci].name : o->folder;
		strbuf_reset(&k->key);
		strbuf_addf(&k->key, "%s\x1f%d\x1f%d\x1f%s\x1f%s", comp, (int)kind, (int)dir,
			    x->library ? x->library : "", target ? target : "");
		uintptr_t at = (uintptr_t)strmap_get(&k->keys, k->key.buf);
		struct code_link *l;
		if (at) {
			l = &k->cl->items.items[at - 1];
		} else {
			l = VEC_PUSH(&k->cl->items);
			l->component = comp;
			l->comp_idx = ci;
			l->shared = true;
			l->kind = kind;
			l->dir = dir;
			l->library = x->library;
			l->system = model_system(k->ms, x->library);
			l->target = target;
			l->peer_idx = -1;
			strmap_put(&k->keys, k->key.buf, (void *)(uintptr_t)k->cl->items.len);
		}
		if (o->n < 2)
			l->shared = false;
		VEC_APPEND(&l->sites, *site);
	}
}

static bool same_language(enum lang a, enum lang b)
{
	bool ja = a == LANG_JAVASCRIPT || a == LANG_TYPESCRIPT || a == LANG_TSX;
	bool jb = b == LANG_JAVASCRIPT || b == LANG_TYPESCRIPT || b == LANG_TSX;
	return a == b || (ja && jb);
}

static bool owners_cover(const struct owners *caller, const struct owners *helper)
{
	if (!helper->n)
		return !caller->n && !strcmp(caller->folder, helper->folder);
	for (size_t h = 0; h < helper->n; h++) {
		bool found = false;
		for (size_t c = 0; c < caller->n && !found; c++)
			found = caller->idx[c] == helper->idx[h];
		if (!found)
			return false;
	}
	return true;
}

/* Is the call made on a field of the caller's own object (`this.sqs.send`, `self.client.get`)? */
static bool through_field(const struct fact_call *c)
{
	const char *rest = !strncmp(c->callee, "this.", 5) ? c->callee + 5
			 : !strncmp(c->callee, "self.", 5) ? c->callee + 5 : NULL;
	return rest && strchr(rest, '.') != NULL;
}

/*
 * A call to a helper that lives in another component's file: the helper's
 * boundary calls are the caller's too (one level).
 */
static void follow_helper(struct collector *k, const struct file_facts *ff, const struct owners *o,
			  const struct fact_call *c)
{
	if (!c->method || strlen(c->method) < HELPER_MIN_NAME || c->method[0] == '_')
		return;
	const fact_refs *defs = index_functions(k->ix, c->method);
	if (!defs || defs->len > HELPER_MAX_DEFS)
		return;
	for (size_t d = 0; d < defs->len; d++) {
		const struct file_facts *gf = defs->items[d].ff;
		if (gf == ff || gf->is_test || gf->skip_reason || !same_language(gf->lang, ff->lang))
			continue;
		struct owners ho;
		owners_of(k, gf->path, &ho);
		if (owners_cover(o, &ho))
			continue; /* the helper's calls are this component's already */
		const struct fact_function *fn = &gf->functions.items[defs->items[d].idx];
		if (fn->cls && through_field(c) && !call_receiver_names_class(c, fn->cls))
			continue; /* `this.sqs.send()` is the SQS client's send, not Sender.send */
		for (size_t j = 0; j < gf->calls.len; j++) {
			const struct fact_call *hc = &gf->calls.items[j];
			struct crossing x;
			if (!span_has_line(&fn->span, hc->span.line) || !call_crossing(k->ms, gf, hc, &x))
				continue;
			struct link_site s = { ff->path, c->span, x.op, hc->callee, fn->name, gf->path,
					       hc->span.line };
			add_site(k, o, &x, &s);
		}
	}
}

static int find_component(const struct topology *t, const char *word, int self, bool roles)
{
	for (size_t i = 0; t && word && i < t->components.len; i++) {
		const struct topo_component *c = &t->components.items[i];
		if ((int)i == self)
			continue;
		if (component_names_match(c->name, word) || text_mentions(c->name, word) ||
		    (roles && text_mentions(c->role, word)))
			return (int)i;
	}
	return -1;
}

/*
 * A store or broker with no code here whose name and role say most
 * clearly what the link is ("s3: Object storage" for a storage call):
 * the only one with the most kind words, or -1.
 */
static int find_by_kind(const struct code_links *cl, const struct topology *t, const struct code_link *l)
{
	if (!t || (l->kind != LINK_QUEUE && l->kind != LINK_DB && l->kind != LINK_KV &&
		   l->kind != LINK_STORAGE))
		return -1;
	int best = -1, best_score = 0;
	bool tie = false;
	for (size_t i = 0; i < t->components.len; i++) {
		const struct topo_component *c = &t->components.items[i];
		if ((int)i == l->comp_idx || cl->has_code[i])
			continue;
		int score = 0;
		for (const char *const *w = link_kind_words(l->kind); *w; w++)
			score += text_mentions(c->name, *w) || text_mentions(c->role, *w);
		if (score > best_score) {
			best = (int)i;
			best_score = score;
			tie = false;
		} else if (score && score == best_score) {
			tie = true;
		}
	}
	return tie ? -1 : best;
}

/* The other end: by the library's system, else by the target's URL host, else by what it is. */
static void resolve_peer(struct code_links *cl, const struct topology *t, struct code_link *l)
{
	char host[128];
	bool has_host = link_url_host(l->target, host, sizeof(host));
	int p = find_component(t, l->system, l->comp_idx, false);
	if (p < 0 && has_host)
		p = find_component(t, host, l->comp_idx, false);
	if (p < 0)
		p = find_component(t, l->system, l->comp_idx, true);
	if (p < 0 && !l->system && !has_host)
		p = find_by_kind(cl, t, l);
	l->peer_idx = p;
	if (p >= 0)
		l->peer = t->components.items[p].name;
	else if (l->system)
		l->peer = l->system;
	else if (has_host && strcmp(host, "localhost") && strcmp(host, "127.0.0.1"))
		l->peer = arena_strdup(&cl->arena, host);
}

void code_links_collect(struct code_links *cl, const struct fact_index *ix,
			const struct topology *topo, const struct model_set *ms)
{
	struct collector k = { cl, ix, topo, ms, STRMAP_INIT, STRBUF_INIT };
	struct strmap folders = STRMAP_INIT;
	cl->ncomponents = topo ? topo->components.len : 0;
	cl->has_code = xcalloc(cl->ncomponents + 1, sizeof(*cl->has_code));
	for (size_t f = 0; f < ix->files.len; f++) {
		const struct file_facts *ff = ix->files.items[f];
		if (ff->is_test || ff->skip_reason)
			continue;
		struct owners o;
		owners_of(&k, ff->path, &o);
		for (size_t i = 0; i < o.n; i++)
			cl->has_code[o.idx[i]] = true;
		if (!o.n && !strmap_contains(&folders, o.folder)) {
			strmap_put(&folders, o.folder, NULL);
			VEC_APPEND(&cl->unclaimed, o.folder);
		}
		for (size_t i = 0; i < ff->calls.len; i++) {
			const struct fact_call *c = &ff->calls.items[i];
			struct crossing x;
			if (call_crossing(ms, ff, c, &x)) {
				struct link_site s = { ff->path, c->span, x.op, c->callee, NULL, NULL, 0 };
				add_site(&k, &o, &x, &s);
				continue;
			}
			if (!c->op)
				follow_helper(&k, ff, &o, c);
			/* A client's method handed to another call (`to_thread(self._s3.put_object, ...)`). */
			for (size_t a = 0; a < c->names.len; a++) {
				if (!client_method(ms, ff, c->names.items[a], &x))
					continue;
				struct link_site s = { ff->path, c->span, x.op, c->names.items[a], NULL, NULL, 0 };
				add_site(&k, &o, &x, &s);
			}
		}
	}
	for (size_t i = 0; i < cl->items.len; i++)
		resolve_peer(cl, topo, &cl->items.items[i]);
	strmap_release(&folders);
	strmap_release(&k.keys);
	strbuf_release(&k.key);
}
