/*
 * Arbitrary bytes to the MCP server's request path, one line at a time as
 * the stdio transport splits them (rpc_handle_line with the real method
 * table): never a crash, hang or leak; every line that is answered is
 * answered with exactly one well-formed JSON-RPC 2.0 response. Tools run
 * against an empty project root made once, so a dist_check stays cheap.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "mcp/jsonrpc.h"
#include "mcp/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[] = "/tmp/distarch-fuzz-mcp.XXXXXX";

static void remove_root(void)
{
	rmdir(root);
}

static struct mcp_server *server(void)
{
	static struct mcp_server s;
	static int ready;
	if (!ready) {
		if (!mkdtemp(root) || mcp_server_init(&s, root) < 0)
			abort();
		atexit(remove_root);
		ready = 1;
	}
	return &s;
}

static void check_response(json_t *r)
{
	json_t *id = json_object_get(r, "id");
	int has_result = json_object_get(r, "result") != NULL;
	json_t *err = json_object_get(r, "error");
	if (!json_is_object(r) || strcmp(json_string_value(json_object_get(r, "jsonrpc")), "2.0") || !id ||
	    has_result == (err != NULL) || (err && !json_is_integer(json_object_get(err, "code"))))
		__builtin_trap();
	char *text = json_dumps(r, JSON_COMPACT);
	if (!text || strchr(text, '\n'))
		__builtin_trap();
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	diag_set_quiet(1);
	struct mcp_server *s = server();
	struct rpc_dispatcher d = mcp_dispatcher(s);
	const char *p = (const char *)data, *end = p + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		json_t *r = rpc_handle_line(&d, p, len);
		if (r)
			check_response(r);
		json_decref(r);
		p += len + 1;
	}
	return 0;
}
