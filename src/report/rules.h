#ifndef DISTARCH_RULES_H
#define DISTARCH_RULES_H
/*
 * Every rule a finding can carry: the catalog's entries (AP-1 ... and the
 * user's) and the tool's own rules listed in rules.c (the checks of the
 * suppressions themselves; TOPO-... and DRIFT-... checks add their rows
 * there). Suppressions, the config file and SARIF's rules[] ask here, so a
 * rule that is in neither place cannot be suppressed or configured: add it.
 */
#include <stdbool.h>
#include <stddef.h>

#include "../catalog/catalog.h"
#include "finding.h"

struct tool_rule {
	const char *id;          /* "DISTARCH-SUPPRESS-NO-REASON" */
	const char *name;        /* "suppression without a reason" */
	const char *summary;     /* one line */
	const char *description; /* what it checks and how to fix it (plain text) */
	enum severity severity;
	const char *precision;   /* SARIF precision: very-high, high, medium, low */
	const char *tag;         /* one SARIF tag */
};

#define RULE_SUPPRESS_NO_REASON "DISTARCH-SUPPRESS-NO-REASON"
#define RULE_SUPPRESS_UNKNOWN "DISTARCH-SUPPRESS-UNKNOWN-RULE"
#define RULE_SUPPRESS_MALFORMED "DISTARCH-SUPPRESS-MALFORMED"

extern const struct tool_rule tool_rules[];
extern const size_t ntool_rules;

/* By id, ignoring case; NULL when it is not a tool rule. */
const struct tool_rule *tool_rule_find(const char *id);
/* Is `id` a rule of the catalog `c` (may be NULL) or of the tool? */
bool rule_known(const struct catalog *c, const char *id);

#endif
