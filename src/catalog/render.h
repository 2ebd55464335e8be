#ifndef DISTARCH_CATALOG_RENDER_H
#define DISTARCH_CATALOG_RENDER_H
/*
 * Writing catalog entries for people and programs: `catalog list` and
 * `catalog show` print through these, and the MCP server and SARIF rules
 * can reuse the JSON form. Writers never fail on their own; the caller
 * checks the stream's error state.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "catalog.h"

/* One entry per two lines: "AP-1  name (severity; signals)" then the summary. */
void catalog_list_text(FILE *out, const struct catalog *c);
/* {"version":1,"entries":[{id,name,summary,severity,signals,builtin,path}...]} (new reference). */
json_t *catalog_list_json(const struct catalog *c);

/* Every field, then the body. */
void catalog_show_text(FILE *out, const struct catalog_entry *e);
/* Every field including "body" (new reference). */
json_t *catalog_entry_json(const struct catalog_entry *e);
/* "# AP-1: Name" then the body, as written in the entry's file. */
void catalog_show_markdown(FILE *out, const struct catalog_entry *e);

#endif
