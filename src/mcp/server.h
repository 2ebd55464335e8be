#ifndef DISTARCH_MCP_SERVER_H
#define DISTARCH_MCP_SERVER_H
/*
 * The MCP server: lifecycle (initialize, ping, server/discover), the tool
 * methods (tools/list, tools/call), over src/mcp/jsonrpc.h; the tools are
 * in tools.c, the path rules in confine.h.
 *
 * Protocol versions (modelcontextprotocol.io/specification):
 * - 2025-06-18 and 2025-11-25 start with `initialize`: "If the server
 *   supports the requested protocol version, it MUST respond with the same
 *   version. Otherwise, the server MUST respond with another protocol
 *   version it supports ... the latest" (basic/lifecycle, Version
 *   Negotiation). Then notifications/initialized.
 * - 2026-07-28 (SEP-2575, "make MCP stateless") removes the handshake:
 *   every request carries io.modelcontextprotocol/protocolVersion and
 *   io.modelcontextprotocol/clientCapabilities in params._meta, servers
 *   MUST implement `server/discover` (supportedVersions, capabilities,
 *   serverInfo, instructions), and every result carries
 *   "resultType": "complete". A request whose _meta names a version this
 *   server does not support gets error -32004 "Unsupported protocol
 *   version" with data.supported (draft basic/lifecycle, SEP-2575).
 *   Clients probe with server/discover and fall back to initialize on
 *   -32601, so listing the older versions in supportedVersions is right.
 * This server keeps no per-session state beyond the negotiated version,
 * so it serves tools/list and tools/call before initialize too.
 *
 * Ownership: the server owns its confine root.
 */
#include <stdbool.h>
#include <stdio.h>

#include "confine.h"
#include "jsonrpc.h"

#define MCP_VERSION_STATELESS "2026-07-28"
#define MCP_ERROR_UNSUPPORTED_VERSION (-32004)

struct mcp_server {
	struct confine root;     /* every path argument is confined to it */
	const char *version;     /* negotiated by initialize, or NULL */
	bool initialized;        /* notifications/initialized arrived */
};

/* -1 with an error() when `root` is not a folder. */
int mcp_server_init(struct mcp_server *s, const char *root);
void mcp_server_release(struct mcp_server *s);

/* The dispatcher over the MCP methods, for rpc_serve or rpc_handle_line. */
struct rpc_dispatcher mcp_dispatcher(struct mcp_server *s);

/* Serve on `in_fd`/`out` until end of input. 0 at a clean end, -1 on an I/O error. */
int mcp_serve(struct mcp_server *s, int in_fd, FILE *out);

#endif
