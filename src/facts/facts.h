#ifndef DISTARCH_FACTS_H
#define DISTARCH_FACTS_H
/*
 * The language-independent fact model.
 *
 * A front-end (src/lang/) turns one file's parse tree into a `struct
 * file_facts`; every analysis (src/analyze/) reads facts only. Front-ends
 * know syntax, analyses know distributed systems, and neither includes the
 * other.
 *
 * Ownership: a file_facts owns everything it points at. All strings and
 * string arrays live in its arena (`ff->arena`) and die with
 * file_facts_release(); the vectors are freed there too. Facts refer to each
 * other by index (int, -1 for none), never by pointer, so vectors can grow.
 *
 * Positions are 1-based lines and 1-based byte columns (what editors and
 * SARIF show); front-ends convert from tree-sitter's 0-based rows.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/vec.h"

struct span {
	uint32_t line, col;         /* start, 1-based */
	uint32_t end_line, end_col; /* end, 1-based, end_col exclusive */
};

static inline bool span_has_line(const struct span *s, uint32_t line)
{
	return line >= s->line && line <= s->end_line;
}

enum lang {
	LANG_NONE = 0,
	LANG_PYTHON,
	LANG_GO,
	LANG_JAVASCRIPT,
	LANG_TYPESCRIPT,
	LANG_TSX,
	LANG_JAVA,
	LANG__COUNT
};

/* How a caught failure is classified through the API models. */
enum failure_class {
	FAIL_UNKNOWN = 0,
	FAIL_INFRASTRUCTURE, /* connection refused, timeout, broker down: the other side may be fine later */
	FAIL_LOGIC,          /* bad input, not found, validation: retrying will not help */
	FAIL_OBSERVATION,    /* a monitoring channel ended: says nothing of the monitored work */
};

const char *failure_class_name(enum failure_class c);

/* A string list in the arena. */
struct strlist {
	const char **items;
	size_t len;
};

/* An argument of a call or decorator: `name` is the keyword (NULL when
 * positional); `value` is the literal text when the argument is a literal
 * (string without quotes, number, True/False/None, enum member `A.B`),
 * otherwise NULL and `text` holds the source text (truncated to 200 bytes). */
struct fact_arg {
	const char *name;
	const char *value;
	const char *text;
	bool is_string;
};

struct fact_decorator {
	const char *name; /* as written, without '@' and arguments: "retry", "app.get" */
	struct fact_arg *args;
	size_t nargs;
	struct span span;
	int call; /* index of the call fact made for `@name(...)`, -1 if none */
};

struct fact_function {
	const char *name;
	const char *cls;     /* enclosing class / receiver type, or NULL */
	struct span span;    /* the whole definition */
	struct span name_span;
	struct fact_decorator *decorators;
	size_t ndecorators;
	/* The name the method's own object goes by in its body (Go's receiver
	 * `d` of `func (d *Dispatcher)`), or NULL: `self` for Python. Calls
	 * through it (`d.pick()`) are calls on the same object. */
	const char *receiver;
	int parent; /* enclosing function (nested defs, lambdas excluded), -1 */
	/* (the small fields last, together: a repository holds every function at once) */
	bool is_async;
	bool is_constructor; /* runs before the object is visible to others (__init__, constructors, New* in Go) */
	/* Bare calls `f()` in its body go to the method's own object first
	 * (Java's implicit `this`): they are calls on the same object too. */
	bool implicit_receiver;
};

struct fact_call {
	const char *callee;  /* as written: "self.redis.xack", "r.XAck" */
	const char *method;  /* the last segment: "xack" */
	const char *op;      /* model operation ("queue.ack"), NULL when no model matched */
	const char *model;   /* the model (library) that matched, NULL when none */
	struct fact_arg *args;
	size_t nargs;
	struct span span;
	int func;    /* enclosing function, -1 at module level */
	int handler; /* innermost enclosing error handler body, -1 */
	int loop;    /* innermost enclosing loop, -1 */
	int guard;   /* innermost handler whose guarded region (try body) holds it, -1 */
	/* Binding (AP-5 client retry layers): the outermost call whose
	 * arguments hold this one (`AsyncHTTPTransport(...)` inside
	 * `AsyncClient(transport=...)`), -1; and the name the call's value is
	 * assigned to (`self._http = httpx.AsyncClient(...)` -> "self._http"),
	 * or NULL (`assigned_to`, below). */
	int carrier;
	/* (the flags sit here, between the ints and the pointers, so that a
	 * call takes 128 bytes: a repository holds every call at once) */
	bool awaited;
	bool in_return;     /* the call is (part of) a returned value */
	bool block_exits;   /* `block` ends by leaving it: return, continue, break, raise */
	bool conditional;   /* `block` is a branch: if/elif/else, except, case */
	const char *assigned_to;
	/* Data flow, syntax only (AP-2): the dotted names used in the receiver
	 * and the arguments, nested calls included ("msg", "job.workflow",
	 * "self.stream"); keyword names and the callee's own last segment are
	 * not uses. At most FACT_MAX_NAMES. */
	struct strlist names;
	struct span block;  /* the innermost statement block (suite) holding the call */
};

#define FACT_MAX_NAMES 24

/* How a name got its value (AP-2's payload tracing). */
enum binding_kind {
	BIND_ASSIGN, /* x = <expr>, a, b = <expr>, with <expr> as x */
	BIND_LOOP,   /* for x in <expr>: a loop target */
	BIND_PARAM,  /* a parameter of the function `func` */
};

/*
 * A name bound to a value: `msgs = await r.xreadgroup(...)` (call = the
 * xreadgroup call), `for msg_id, fields in entries:` (names = {"entries"}),
 * `body = json.loads(msg)`, `def cb(ch, method, props, body)`. Simple
 * names and dotted targets (`self.x = ...`) are bound; subscript targets
 * are not.
 */
struct fact_binding {
	enum binding_kind kind;
	int call;             /* the call whose result is bound (through await/parentheses), -1 */
	const char *name;     /* "fields", "self.pending" */
	struct strlist names; /* the dotted names the value uses (as for calls); empty for params */
	struct span span;     /* the binding statement (the parameter for params) */
	int func;
	int loop;             /* BIND_LOOP: the loop it iterates; else the innermost enclosing loop, -1 */
	int index;            /* BIND_PARAM: 0-based position; else the position in a tuple target */
};

enum handler_kind {
	HANDLER_EXCEPT,   /* except / catch */
	HANDLER_FINALLY,
	HANDLER_ERRCHECK, /* Go `if err != nil` */
	HANDLER_CALLBACK, /* promise .catch, on('error'|'close') */
};

struct fact_handler {
	enum handler_kind kind;
	struct span span;   /* the handler body (except clause) */
	struct span guarded; /* the guarded region (try body) */
	struct strlist types; /* caught type names as written ("httpx.ConnectError"); empty = catch-all */
	enum failure_class cls; /* the strongest class among the types (models) */
	const char *var;      /* bound name (`as e`), or NULL */
	int func;
	int loop;             /* innermost loop enclosing the handler, -1 */
	bool reraises;        /* re-raises / returns the error */
	bool continues;       /* `continue` inside the handler (retry loop shape) */
	bool breaks;
	/* HANDLER_CALLBACK of an event: the object whose event it handles, as
	 * written (`ws` of `ws.on('close', cb)`, `this.socket` of
	 * `this.socket.onclose = cb`), or NULL (a listener method, a promise). */
	const char *subject;
};

enum write_kind {
	WRITE_ATTR,    /* worker.status = X */
	WRITE_KEY,     /* d["status"] = X, {"status": X} as an update */
	WRITE_KWARG,   /* update(status=X) */
	WRITE_SQL,     /* SET status = 'x' in a query string */
	WRITE_MESSAGE, /* {"type": "IDLE"} in a sent or published message */
	WRITE_RETURN,  /* {"status": "ok"} returned from an API handler */
};

struct fact_write {
	enum write_kind kind;
	const char *target; /* "worker.status", "self.status", "status" */
	const char *field;  /* last segment: "status" */
	const char *value;  /* literal or enum member text: "IDLE", "WorkerStatus.IDLE"; NULL if not literal */
	const char *value_text; /* source text of the value (truncated) */
	struct span span;
	int func;
	int handler; /* innermost enclosing handler body, -1 */
	int call;    /* for MESSAGE/KWARG: the call that carries it (send/publish/update), -1 */
	bool crosses; /* sent, published, or returned from an API handler */
};

enum read_kind {
	READ_COMPARE,    /* x.status == IDLE, != */
	READ_MEMBERSHIP, /* status in (A, B) */
	READ_MATCH,      /* match/switch case */
	READ_FILTER,     /* filter(status=...), .get("status") == ... */
	READ_SQL,        /* WHERE status = 'idle' */
};

struct fact_read {
	enum read_kind kind;
	const char *target;
	const char *field;
	struct strlist values; /* the values compared against */
	bool negated;          /* != / not in */
	struct span span;
	int func;
	bool selects; /* the read chooses among several (in a loop, comprehension, filter, min/max, next(...)) */
	struct span body; /* what runs when the read holds (if-body, comprehension), may equal span */
	/* AP-1 (observers of booleans): a bare truth test of a state field in a
	 * condition, `if not w.busy:` / `[w for w in ws if w.available]`; its
	 * values are then {"False"} or {"True"} and `negated` stays false. */
	bool truthiness;
};

enum retry_kind {
	RETRY_DECORATOR, /* @retry(...), @backoff.on_exception */
	RETRY_LOOP,      /* a loop around a guarded call that continues on failure */
	RETRY_CLIENT,    /* client configuration: retries=3, Retry(total=5), SDK default */
	RETRY_REDELIVERY /* queue redelivery / claim of pending messages */
};

struct fact_retry {
	enum retry_kind kind;
	const char *source;  /* "tenacity.retry", "for-loop", "httpx.AsyncHTTPTransport(retries=)" */
	int attempts;        /* total attempts when known (retries=3 -> 4), -1 unknown */
	bool is_default;     /* an SDK's default, not written in the code */
	struct span span;
	int func;            /* the function the layer wraps or sits in, -1 */
	int call;            /* the config call / decorator call, -1 */
	struct span scope;   /* the region the layer covers (loop body, whole function) */
};

struct fact_loop {
	struct span span;
	int func;
	int parent;
	bool infinite; /* while True / for {} */
	/* AP-3 (end of a stream): `async for`, and the iterated expression of a
	 * for loop (`ws` in `async for m in ws`; a call's span equals it when the
	 * iterable is a call); iter.line == 0 for while loops. */
	bool is_async;
	struct span iter;
};

/*
 * A named constant with a string value, the way state values are spelled
 * by name: Go `const StatusIdle = "idle"`, a TypeScript enum member
 * `Idle = 'idle'` or `as const` object key, a Java enum constant
 * `IDLE("idle")` or `static final String IDLE = "idle"`, a Python
 * module/class-level `IDLE = "idle"`. `scope` is the enum, class or object
 * that holds it (NULL at package/module level); `value` is the literal
 * without quotes. The index resolves state values written by name through
 * these (index.h), so a Go `StatusIdle` and a TypeScript 'idle' compare equal.
 */
struct fact_const {
	const char *name;
	const char *scope;
	const char *value;
	struct span span;
};

/* An import: `module` as imported ("redis.asyncio"), `alias` as bound. */
struct fact_import {
	const char *module;
	const char *name;  /* `from module import name`, else NULL */
	const char *alias; /* the local name it binds */
	struct span span;
};

struct file_facts {
	const char *path; /* repository-relative, in the arena */
	enum lang lang;
	struct arena arena;
	VEC(struct fact_import) imports;
	VEC(struct fact_function) functions;
	VEC(struct fact_call) calls;
	VEC(struct fact_handler) handlers;
	VEC(struct fact_write) writes;
	VEC(struct fact_read) reads;
	VEC(struct fact_retry) retries;
	VEC(struct fact_loop) loops;
	VEC(struct fact_binding) bindings;
	VEC(struct fact_const) consts;
	uint32_t nlines;
	bool parse_errors; /* the tree had ERROR nodes; facts are best effort */
	bool is_test;      /* test code by its language's conventions: indexed, never reported on */
	/* Set by the scan: no facts because the prefilter left the file out, or
	 * because extracting them failed (a time limit). The same bytes may give
	 * facts in another run, so the dependency record tells these apart. */
	bool prefiltered, extract_failed;
	/* Set by a lazy scan (scan.h): only the scalar fields are here yet, the
	 * facts wait in the fact cache until scan_load() fills them in. */
	bool unloaded;
	bool linked; /* index_link_consts has rewritten its values (once per file) */
	const char *skip_reason; /* set by a front-end that produced no facts on purpose ("minified ..."); static */
	unsigned max_nesting;    /* set by the caller: tree levels to walk (0: TS_MAX_NESTING) */
	uint32_t nesting_cut;    /* set by the front-end: first line where the walk stopped descending, or 0 */
	uint64_t content_hash;   /* set by the scan: fact_cache_hash() of the bytes read, 0 when not known */
	struct fact_intern *intern; /* facts_str's table of short texts until file_facts_trim (intern.h) */
};

void file_facts_init(struct file_facts *ff, const char *path, enum lang lang);
void file_facts_release(struct file_facts *ff);
/*
 * Free the facts but keep the file's path and its scalar fields (lang,
 * nlines, flags): what a report borrows once the analyses are done.
 */
void file_facts_drop(struct file_facts *ff);
/*
 * The facts are complete: give back the vectors' spare capacity and the
 * string table (a repository holds every file's facts at once). Pointers
 * into the vectors move; indices stay. Adding facts afterwards still works.
 */
void file_facts_trim(struct file_facts *ff);

/* Strings and lists into the facts' arena. facts_str makes ill-formed UTF-8 U+FFFD (see utf8.h). */
const char *facts_str(struct file_facts *ff, const char *s, size_t n);
struct strlist facts_strlist(struct file_facts *ff, const char *const *items, size_t n);

/* The innermost function whose span holds `line`, or -1. */
int facts_function_at(const struct file_facts *ff, uint32_t line);

#endif
