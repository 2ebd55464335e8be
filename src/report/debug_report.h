#ifndef DISTARCH_REPORT_DEBUG_REPORT_H
#define DISTARCH_REPORT_DEBUG_REPORT_H
/*
 * The renderers of `distarch debug` (src/debug/debug.h): the same result as
 * text, JSON ({"version":1,"symptom",...,"hypotheses":[...]}) and Markdown.
 * Code findings are written by the check report's own finding writers.
 */
#include <stdio.h>

#include "../debug/debug.h"

int debug_write_text(const struct debug_result *r, FILE *out);
int debug_write_json(const struct debug_result *r, FILE *out);
int debug_write_markdown(const struct debug_result *r, FILE *out);

#endif
