#include "server.h"

#include <string.h>

#include "tools.h"
#include "../base/diag.h"
#include "../base/banned.h"

/* Newest first; the first that uses `initialize` is the fallback answer to initialize. */
static const char *const versions[] = { MCP_VERSION_STATELESS, "2025-11-25", "2025-06-18", NULL };
static const char *const handshake_latest = "2025-11-25";

#define META_VERSION "io.modelcontextprotocol/protocolVersion"

static const char *const instructions =
	"distarch finds where a code change crosses a boundary between components of a "
	"distributed system and answers the reasoning checklists it can from facts. "
	"dist_check a change (default: uncommitted changes), dist_design a topology, "
	"catalog_get an anti-pattern; walk the open questions of each report.";

int mcp_server_init(struct mcp_server *s, const char *root)
{
	memset(s, 0, sizeof(*s));
	return confine_init(&s->root, root);
}

void mcp_server_release(struct mcp_server *s)
{
	confine_release(&s->root);
}

static bool supported(const char *v)
{
	for (size_t i = 0; versions[i]; i++)
		if (!strcmp(versions[i], v))
			return true;
	return false;
}

static json_t *version_list(void)
{
	json_t *a = json_array();
	for (size_t i = 0; versions[i]; i++)
		json_array_append_new(a, json_string(versions[i]));
	return a;
}

static json_t *server_info(void)
{
	return json_pack("{s:s, s:s, s:s}", "name", "distarch", "title", "distarch", "version",
			 DISTARCH_VERSION);
}

static json_t *capabilities(void)
{
	return json_pack("{s:{s:b}}", "tools", "listChanged", 0);
}

/*
 * The version a request asks for in params._meta (2026-07-28 and later),
 * or NULL for the handshake versions. -1 with `err` set when unsupported.
 */
static int request_version(json_t *params, const char **version, struct rpc_error *err)
{
	json_t *meta = json_object_get(params, "_meta");
	json_t *v = json_is_object(meta) ? json_object_get(meta, META_VERSION) : NULL;
	*version = NULL;
	if (!v)
		return 0;
	if (!json_is_string(v)) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "invalid params: _meta.%s must be a string", META_VERSION);
		return -1;
	}
	if (!supported(json_string_value(v))) {
		rpc_error_set(err, MCP_ERROR_UNSUPPORTED_VERSION, "Unsupported protocol version");
		err->data = json_pack("{s:o, s:s}", "supported", version_list(), "requested",
				      json_string_value(v));
		return -1;
	}
	*version = json_string_value(v);
	return 0;
}

/* Results of stateless (2026-07-28) requests say they are complete. */
static json_t *finish(json_t *result, const char *version)
{
	if (result && version && !strcmp(version, MCP_VERSION_STATELESS))
		json_object_set_new(result, "resultType", json_string("complete"));
	return result;
}

static json_t *m_initialize(void *ctx, const char *method, json_t *params, struct rpc_error *err)
{
	struct mcp_server *s = ctx;
	json_t *pv = json_object_get(params, "protocolVersion");
	if (!json_is_string(pv)) {
		rpc_error_set(err, RPC_INVALID_PARAMS,
			      "invalid params: initialize needs \"protocolVersion\" (a string such as \"%s\")",
			      handshake_latest);
		return NULL;
	}
	const char *want = json_string_value(pv);
	/* The stateless version has no handshake: answer with the newest that has one. */
	s->version = supported(want) && strcmp(want, MCP_VERSION_STATELESS) ? want : handshake_latest;
	for (size_t i = 0; versions[i]; i++)
		if (!strcmp(versions[i], s->version))
			s->version = versions[i]; /* keep a pointer that outlives the request */
	return json_pack("{s:s, s:o, s:o, s:s}", "protocolVersion", s->version, "capabilities",
			 capabilities(), "serverInfo", server_info(), "instructions", instructions);
}

static json_t *m_initialized(void *ctx, const char *method, json_t *params, struct rpc_error *err)
{
	struct mcp_server *s = ctx;
	s->initialized = true;
	return NULL;
}

static json_t *m_ignore(void *ctx, const char *method, json_t *params, struct rpc_error *err)
{
	return NULL; /* notifications/cancelled: every call finishes before the next line is read */
}

static json_t *m_ping(void *ctx, const char *method, json_t *params, struct rpc_error *err)
{
	const char *v;
	if (request_version(params, &v, err) < 0)
		return NULL;
	return finish(json_object(), v);
}

static json_t *m_discover(void *ctx, const char *method, json_t *params, struct rpc_error *err)
{
	const char *v;
	if (request_version(params, &v, err) < 0)
		return NULL;
	json_t *r = json_pack("{s:s, s:o, s:o, s:o, s:s}", "resultType", "complete", "supportedVersions",
			      version_list(), "capabilities", capabilities(), "serverInfo", server_info(),
			      "instructions", instructions);
	return r;
}

static json_t *m_tools_list(void *ctx, const char *method, json_t *params, struct rpc_error *err)
{
	const char *v;
	if (request_version(params, &v, err) < 0)
		return NULL;
	json_t *cursor = json_object_get(params, "cursor");
	if (cursor && !json_is_null(cursor)) {
		rpc_error_set(err, RPC_INVALID_PARAMS,
			      "invalid params: unknown cursor (tools/list returns every tool in one page)");
		return NULL;
	}
	return finish(mcp_tools_list(), v);
}

static json_t *m_tools_call(void *ctx, const char *method, json_t *params, struct rpc_error *err)
{
	struct mcp_server *s = ctx;
	const char *v;
	if (request_version(params, &v, err) < 0)
		return NULL;
	json_t *name = json_object_get(params, "name");
	json_t *args = json_object_get(params, "arguments");
	if (!json_is_string(name)) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "invalid params: tools/call needs \"name\" (a string)");
		return NULL;
	}
	if (args && !json_is_object(args) && !json_is_null(args)) {
		rpc_error_set(err, RPC_INVALID_PARAMS,
			      "invalid params: \"arguments\" of %.100s must be an object", json_string_value(name));
		return NULL;
	}
	json_t *r = mcp_tools_call(&s->root, json_string_value(name), json_is_object(args) ? args : NULL);
	if (!r) {
		rpc_error_set(err, RPC_INVALID_PARAMS,
			      "unknown tool: %.100s (tools/list names dist_check, dist_design, dist_debug, "
			      "catalog_get, topology_show)", json_string_value(name));
		return NULL;
	}
	return finish(r, v);
}

static const struct rpc_method methods[] = {
	{ "initialize", m_initialize },
	{ "notifications/initialized", m_initialized },
	{ "notifications/cancelled", m_ignore },
	{ "ping", m_ping },
	{ "server/discover", m_discover },
	{ "tools/list", m_tools_list },
	{ "tools/call", m_tools_call },
	{ NULL, NULL },
};

struct rpc_dispatcher mcp_dispatcher(struct mcp_server *s)
{
	return (struct rpc_dispatcher){ methods, s };
}

int mcp_serve(struct mcp_server *s, int in_fd, FILE *out)
{
	struct rpc_dispatcher d = mcp_dispatcher(s);
	return rpc_serve(&d, in_fd, out);
}
