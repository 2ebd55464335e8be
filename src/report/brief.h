#ifndef DISTARCH_REPORT_BRIEF_H
#define DISTARCH_REPORT_BRIEF_H
/*
 * A brief of a check for a coding agent's context window (the Claude Code
 * PostToolUse hook): the findings, one line each with the fix, then the
 * regions whose boundaries the change crosses and how many checklist
 * questions are open, then where to read on. Built from the JSON report
 * of the contract (DESIGN.md), so it follows whatever the renderers say.
 *
 * Returns true when there is something to say (a finding, a drift note or
 * a boundary crossed); `out` then holds at most `max` bytes, cut at a line.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "../base/strbuf.h"

bool report_brief(json_t *report, const char *subject, size_t max, struct strbuf *out);

#endif
