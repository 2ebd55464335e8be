#ifndef DISTARCH_MODELS_H
#define DISTARCH_MODELS_H
/*
 * API models: what library calls mean, as data (data/models/LANG/NAME.yaml).
 *
 * A model describes one library: the modules whose import makes it apply,
 * the calls it tags with an operation ("queue.ack"), the exception types it
 * classifies (infrastructure / logic / observation), and the retry layers it
 * adds (decorators, client configuration, SDK defaults). The file format is
 * documented in docs/models.md.
 *
 * Ownership: a model_set owns every model and string it holds (one arena);
 * pointers returned by the lookups live until model_set_release().
 */
#include <stdbool.h>
#include <stddef.h>

#include "../base/arena.h"
#include "../base/vec.h"
#include "../facts/facts.h"

struct model_call {
	const char *method;   /* last segment of the callee ("xack"), or NULL */
	const char *callee;   /* full dotted name after import resolution ("boto3.client"), or NULL */
	const char *op;       /* operation tag: "queue.ack", "stream.recv", "retry.layer", ... */
	const char *receiver; /* optional: the receiver must contain this word ("sqs"), or NULL */
	bool decorator;       /* only a decorator call matches (`@app.get("/x")`) */
	int line;             /* where in the model file (for errors) */
};

struct model_exception {
	const char *type;        /* dotted or bare type name: "redis.exceptions.ConnectionError" */
	enum failure_class cls;  /* FAIL_UNKNOWN when the type is known to mix classes */
	int line;
};

/* A retry layer the library adds. */
struct model_retry {
	enum retry_kind kind;   /* RETRY_DECORATOR, RETRY_CLIENT, RETRY_LOOP or RETRY_REDELIVERY */
	const char *match;      /* decorator or constructor name: "tenacity.retry", "httpx.HTTPTransport" */
	const char *method;     /* or: the last segment of an instance call/decorator ("task" in `@app.task`) */
	const char *receiver;   /* with `method`: the receiver must contain this word, or NULL */
	const char *when_arg;   /* a layer only when this keyword is given and not False/None/0 */
	const char *unless_arg; /* not a layer when this keyword is given (it configures retries elsewhere) */
	const char *attempts_arg;  /* keyword giving the count ("retries", "max_tries"), or NULL */
	int attempts_pos;          /* 0-based positional argument giving the count, -1 none */
	const char *attempts_call; /* call inside an argument giving the count ("stop_after_attempt"), or NULL */
	const char *attempts_key;  /* dict key inside the argument giving the count ("max_attempts"), or NULL */
	bool arg_counts_retries;   /* the count is retries after the first attempt (add 1) */
	int default_attempts;      /* total attempts when nothing is configured, -1 unknown or unbounded */
	bool is_default;           /* the layer exists even when the code configures nothing (SDK default) */
	int line;
};

struct api_model {
	const char *library;  /* "redis-py" */
	const char *path;     /* the model file it came from */
	const char *docs;     /* where the model was checked (URL), or NULL */
	/* The remote system the library talks to, whatever the deployment calls
	 * it ("redis", "postgres", "kafka"), or NULL when the calls say where
	 * (an HTTP client's URL). Drift and init name peers by it. */
	const char *system;
	enum lang lang;
	bool always;          /* active in every file of its language (builtins), imports optional */
	struct strlist imports; /* module prefixes that activate it: "redis", "redis.asyncio" */
	VEC(struct model_call) calls;
	VEC(struct model_exception) exceptions;
	VEC(struct model_retry) retries;
};

struct model_set {
	struct arena arena;
	VEC(struct api_model) models;
};

/*
 * The operation vocabulary (documented in docs/models.md): NULL-terminated.
 * A model naming an operation outside it is an error.
 */
extern const char *const model_ops[];
bool model_op_known(const char *op);

void model_set_init(struct model_set *ms);
void model_set_release(struct model_set *ms);

/*
 * Parse one model file from memory. Errors name `name:line:column`; every
 * error in the file is reported, then -1, and nothing of the file is kept.
 * A model whose library is already in the set replaces it (user models
 * override built-in ones).
 */
int models_load_buffer(struct model_set *ms, const char *name, const char *text, size_t len);
/* Load every built-in model (compiled into the binary from data/models/). */
int models_load_builtin(struct model_set *ms);
/* Load every *.yaml below `dir` (user models, --models DIR); -1 if any file failed. */
int models_load_dir(struct model_set *ms, const char *dir);

/*
 * Annotate one file's facts in place: resolve each call's `op`/`model`
 * through the models active in the file (by its imports), classify each
 * handler's caught types, and add the retry layers that decorators, client
 * configuration and SDK defaults imply. Language-independent.
 */
void models_resolve(const struct model_set *ms, struct file_facts *ff);

#endif
