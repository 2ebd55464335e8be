#include "jsonrpc.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "../base/alloc.h"
#include "../base/diag.h"
#include "../base/banned.h"

void rpc_error_set(struct rpc_error *e, int code, const char *fmt, ...)
{
	va_list ap;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
}

json_t *rpc_error_response(json_t *id, int code, const char *message, json_t *data)
{
	json_t *err = json_pack("{s:i, s:s}", "code", code, "message", message);
	if (data)
		json_object_set_new(err, "data", data);
	return json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id ? id : json_null(), "error", err);
}

/* MCP: "Requests MUST include a string or integer ID ... MUST NOT be null." */
static int valid_id(json_t *id)
{
	return json_is_string(id) || json_is_integer(id);
}

static const struct rpc_method *find(const struct rpc_dispatcher *d, const char *name)
{
	for (const struct rpc_method *m = d->methods; m->name; m++)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

static json_t *dispatch(const struct rpc_dispatcher *d, json_t *msg)
{
	json_t *id = json_object_get(msg, "id");
	json_t *method = json_object_get(msg, "method");
	json_t *params = json_object_get(msg, "params");
	json_t *version = json_object_get(msg, "jsonrpc");
	int notification = !id;

	if (!json_is_string(version) || strcmp(json_string_value(version), "2.0"))
		return notification ? NULL : rpc_error_response(valid_id(id) ? id : NULL, RPC_INVALID_REQUEST,
				"invalid request: \"jsonrpc\" must be \"2.0\"", NULL);
	if (!method && (json_object_get(msg, "result") || json_object_get(msg, "error")))
		return NULL; /* a response: this server sends no requests */
	if (notification) {
		if (!json_is_string(method))
			return NULL;
	} else if (!valid_id(id)) {
		return rpc_error_response(NULL, RPC_INVALID_REQUEST,
			"invalid request: \"id\" must be a string or an integer", NULL);
	} else if (!json_is_string(method)) {
		return rpc_error_response(id, RPC_INVALID_REQUEST,
			"invalid request: \"method\" must be a string", NULL);
	}
	const char *name = json_string_value(method);
	const struct rpc_method *m = find(d, name);
	if (!m) {
		if (notification)
			return NULL;
		char msgbuf[300];
		snprintf(msgbuf, sizeof(msgbuf), "method not found: %.200s", name);
		return rpc_error_response(id, RPC_METHOD_NOT_FOUND, msgbuf, NULL);
	}
	if (params && !json_is_object(params)) {
		if (notification)
			return NULL;
		return rpc_error_response(id, RPC_INVALID_PARAMS,
			"invalid params: \"params\" must be an object", NULL);
	}
	json_t *empty = params ? NULL : json_object();
	struct rpc_error err = { 0 };
	json_t *result = m->fn(d->ctx, name, params ? params : empty, &err);
	json_decref(empty);
	if (notification) {
		json_decref(result);
		json_decref(err.data);
		return NULL;
	}
	if (!result) {
		if (!err.code)
			rpc_error_set(&err, RPC_INTERNAL_ERROR, "internal error in %s", name);
		return rpc_error_response(id, err.code, err.message, err.data);
	}
	return json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id, "result", result);
}

json_t *rpc_handle_line(const struct rpc_dispatcher *d, const char *line, size_t len)
{
	json_error_t jerr;
	while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if (!len)
		return NULL; /* a blank line is no message */
	json_t *msg = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!msg) {
		char text[300];
		snprintf(text, sizeof(text), "parse error at column %d: %.200s", jerr.column, jerr.text);
		return rpc_error_response(NULL, RPC_PARSE_ERROR, text, NULL);
	}
	json_t *resp;
	if (json_is_array(msg))
		resp = rpc_error_response(NULL, RPC_INVALID_REQUEST,
			"invalid request: batches are not supported (MCP 2025-06-18 removed JSON-RPC batching)", NULL);
	else if (!json_is_object(msg))
		resp = rpc_error_response(NULL, RPC_INVALID_REQUEST,
			"invalid request: a message is a JSON object", NULL);
	else
		resp = dispatch(d, msg);
	json_decref(msg);
	return resp;
}

int rpc_write(FILE *out, json_t *msg)
{
	/* JSON_COMPACT never emits a raw newline: strings escape theirs. */
	if (json_dumpf(msg, out, JSON_COMPACT) != 0 || fputc('\n', out) == EOF || fflush(out) != 0)
		return error("cannot write to the MCP client");
	return 0;
}

/* A line reader over a file descriptor with a cap on the line length. */
struct reader {
	int fd;
	char *buf;
	size_t len, cap;
	int eof;
};

/* Fill more bytes; 0 at end of file, -1 on error, else bytes read. */
static ssize_t fill(struct reader *r)
{
	if (r->len == r->cap) {
		size_t want = r->cap ? r->cap * 2 : 1 << 16;
		if (want > RPC_MAX_LINE + 1)
			want = RPC_MAX_LINE + 1;
		if (want > r->cap)
			r->buf = xrealloc(r->buf, r->cap = want);
	}
	for (;;) {
		ssize_t n = read(r->fd, r->buf + r->len, r->cap - r->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n > 0)
			r->len += (size_t)n;
		return n;
	}
}

int rpc_serve(const struct rpc_dispatcher *d, int in_fd, FILE *out)
{
	struct reader r = { in_fd, NULL, 0, 0, 0 };
	size_t scanned = 0;
	int skipping = 0; /* inside an over-long line, up to its newline */
	int rc = 0;
	for (;;) {
		char *nl = r.len > scanned ? memchr(r.buf + scanned, '\n', r.len - scanned) : NULL;
		if (!nl) {
			scanned = r.len;
			if (r.len >= RPC_MAX_LINE) {
				if (!skipping) {
					json_t *e = rpc_error_response(NULL, RPC_INVALID_REQUEST,
						"invalid request: the line is longer than the server's limit of 8 MiB", NULL);
					rc = rpc_write(out, e);
					json_decref(e);
					if (rc < 0)
						break;
				}
				skipping = 1;
				r.len = scanned = 0;
			}
			ssize_t n = fill(&r);
			if (n < 0) {
				rc = error("cannot read the MCP client's input: %s", strerror(errno));
				break;
			}
			if (n == 0) {
				if (r.len && !skipping)
					note("mcp: input ended inside a message (%zu bytes without a newline); dropped", r.len);
				break;
			}
			continue;
		}
		size_t linelen = (size_t)(nl - r.buf);
		if (!skipping) {
			json_t *resp = rpc_handle_line(d, r.buf, linelen);
			if (resp) {
				rc = rpc_write(out, resp);
				json_decref(resp);
				if (rc < 0)
					break;
			}
		}
		skipping = 0;
		memmove(r.buf, nl + 1, r.len - linelen - 1);
		r.len -= linelen + 1;
		scanned = 0;
	}
	xfree(r.buf);
	return rc;
}
