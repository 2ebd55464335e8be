#ifndef DISTARCH_MCP_JSONRPC_H
#define DISTARCH_MCP_JSONRPC_H
/*
 * JSON-RPC 2.0 over newline-delimited stdio, as MCP's stdio transport
 * frames it: one message per line, UTF-8, no embedded newlines; the
 * server writes nothing else on its stdout.
 *
 * rpc_handle_line() is the whole request path short of I/O (parse, check
 * the envelope, dispatch, build the response), so the fuzz target and the
 * unit tests drive exactly what the server runs. rpc_serve() adds the
 * reading and writing.
 *
 * Errors (JSON-RPC 2.0 section 5.1): -32700 the line is not JSON; -32600
 * not a request object (batches included: MCP 2025-06-18 removed them);
 * -32601 unknown method; -32602 bad params. A message without an id is a
 * notification and gets no answer, whatever it holds. A message with
 * `result` or `error` and no `method` is a response (this server sends
 * no requests) and is ignored.
 *
 * Ownership: responses are new jansson references the caller decrefs.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

enum {
	RPC_PARSE_ERROR = -32700,
	RPC_INVALID_REQUEST = -32600,
	RPC_METHOD_NOT_FOUND = -32601,
	RPC_INVALID_PARAMS = -32602,
	RPC_INTERNAL_ERROR = -32603,
};

/* Longest request line read; longer lines are answered -32600 and skipped. */
#define RPC_MAX_LINE (8u << 20)

/* What a method handler sets to answer with an error instead of a result. */
struct rpc_error {
	int code;        /* 0: no error */
	char message[512];
	json_t *data;    /* optional, owned (stolen by the response) */
};

void rpc_error_set(struct rpc_error *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A method: `params` is the request's params object (an empty object when
 * absent, borrowed). Returns the result (new reference), or NULL with `err`
 * set. For a notification the return value is dropped.
 */
typedef json_t *(*rpc_method_fn)(void *ctx, const char *method, json_t *params,
				 struct rpc_error *err);

struct rpc_method {
	const char *name;
	rpc_method_fn fn;
};

/* A table ending in { NULL, NULL }, and the handler's context. */
struct rpc_dispatcher {
	const struct rpc_method *methods;
	void *ctx;
};

/* One line (without its newline) in, the response out, or NULL when none is due. */
json_t *rpc_handle_line(const struct rpc_dispatcher *d, const char *line, size_t len);

/* An error response for `id` (borrowed; NULL for JSON null). */
json_t *rpc_error_response(json_t *id, int code, const char *message, json_t *data);

/* Write one message as one line and flush; -1 when the stream fails. */
int rpc_write(FILE *out, json_t *msg);

/*
 * Serve until `in_fd` reaches end of file: read lines, answer on `out`.
 * A last line without its newline (stdin closed mid-request) is dropped
 * with a note on stderr. Returns 0 at a clean end of input, -1 when a
 * read or a write fails.
 */
int rpc_serve(const struct rpc_dispatcher *d, int in_fd, FILE *out);

#endif
