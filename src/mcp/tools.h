#ifndef DISTARCH_MCP_TOOLS_H
#define DISTARCH_MCP_TOOLS_H
/*
 * The MCP tools: dist_check, dist_design, dist_debug, catalog_get,
 * topology_show. Each has an inputSchema and runs in-process the same
 * functions as the matching command. A result is text content (the
 * Markdown or text report, what a model reads best) plus
 * structuredContent (the command's JSON report).
 *
 * Bad arguments are not protocol errors but results with isError: true
 * and a message that says what to send instead (MCP 2025-11-25 tools:
 * input validation errors are tool execution errors, so that the model
 * can correct itself). An unknown tool name is a protocol error (-32602).
 */
#include <jansson.h>

#include "confine.h"

/* {"tools":[{name,title,description,inputSchema,annotations}...]} (new reference). */
json_t *mcp_tools_list(void);

/*
 * Run tool `name` with `args` (an object, or NULL for none). Returns the
 * CallToolResult (new reference), or NULL when there is no such tool.
 */
json_t *mcp_tools_call(const struct confine *root, const char *name, json_t *args);

#endif
