/* The tool's own rules, beside the catalog's (see rules.h). */
#include "rules.h"

#include <strings.h>

#include "../base/banned.h"

const struct tool_rule tool_rules[] = {
	{ RULE_SUPPRESS_NO_REASON, "suppression without a reason",
	  "An inline suppression gives no reason.",
	  "A comment `distarch: ignore[RULE]` silences a finding on its line or the next one; "
	  "it must say why the finding does not apply, after the closing bracket "
	  "(`distarch: ignore[AP-1] the pool drops dead workers itself`), so that a reviewer "
	  "can judge it later. The finding stays silenced; add the reason.",
	  SEV_WARNING, "very-high", "maintainability" },
	{ RULE_SUPPRESS_UNKNOWN, "suppression of an unknown rule",
	  "An inline suppression names a rule that does not exist.",
	  "The id in `distarch: ignore[...]` is not a rule of the catalog "
	  "(`distarch catalog list`) or of the tool, so it silences nothing: most often a typo "
	  "(AP1 for AP-1) or a rule removed since. Fix the id or remove the comment.",
	  SEV_WARNING, "very-high", "maintainability" },
	{ RULE_SUPPRESS_MALFORMED, "malformed suppression",
	  "A `distarch:` comment is not a suppression distarch can read.",
	  "A suppression reads `distarch: ignore[RULE,...] reason`: the word ignore, the rule ids "
	  "in square brackets separated by commas, then the reason. This one does not, so it "
	  "silences nothing.",
	  SEV_WARNING, "very-high", "maintainability" },
	{ "DRIFT-MISSING", "boundary missing from the topology",
	  "The code crosses a boundary no relationship of its component accounts for.",
	  "A call the API models tag as a boundary (publish, consume, HTTP request or route, "
	  "websocket, query, storage) is made by a component the topology gives no matching "
	  "relationship: no edge in the right direction whose via/pattern names the mechanism "
	  "(queue, HTTP, websocket...), the library or its system, or leads to the call's peer. "
	  "The analyses that read the topology (cardinality, concurrency pass, design review) do "
	  "not see this boundary. Add the relationship (`distarch topology drift` prints one).",
	  SEV_WARNING, "medium", "architecture" },
	{ "DRIFT-STALE", "relationship the code does not show",
	  "The topology declares a relationship none of its components' code shows.",
	  "At least one end of the relationship has code in the repository, and none of it makes "
	  "a boundary call that fits the relationship's direction and mechanism. Either the "
	  "relationship is gone (remove it), its via: names a different mechanism than the code "
	  "uses, or the code uses a library distarch has no model for (add one).",
	  SEV_NOTE, "low", "architecture" },
	{ "DRIFT-UNMAPPED", "code outside every component",
	  "A folder whose code crosses boundaries belongs to no component of the topology.",
	  "No component's `paths:` matches the folder's files and no component is named like the "
	  "folder, so its boundaries are nobody's: add the folder to a component's paths, or a "
	  "component for it.",
	  SEV_WARNING, "high", "architecture" },
	/* The design review's rules (src/topo/analyze.h). */
	{ "TOPO-CONCURRENCY", "one side drives many",
	  "A 1:N relationship: the single component acts on many instances at once.",
	  "Code on the \"1\" side gets the concurrency pass of `distarch check`: two instances' "
	  "messages can interleave, a choice among instances can race another, and the shared "
	  "state it touches (the convergence points listed) needs an owner or a compare-and-set.",
	  SEV_NOTE, "high", "reliability" },
	{ "TOPO-BOTTLENECK", "many into one",
	  "An N:1 relationship into a single instance: every instance's traffic meets one process.",
	  "State the load (instances at peak x messages per second each) and the single "
	  "instance's capacity. A fixed single instance cannot scale out: shard it, put a queue "
	  "in front of it, or make it stateless so it can run more than once.",
	  SEV_WARNING, "high", "reliability" },
	{ "TOPO-SPOF", "single point of failure",
	  "A single instance that the entry points cannot do without.",
	  "Run a second instance (active-passive with a lease, or active-active when the state "
	  "allows it), or state how long a restart takes and what is lost meanwhile. A component "
	  "on every path from the entry points cuts off everything behind it.",
	  SEV_WARNING, "high", "reliability" },
	{ "TOPO-CASCADE", "failure cascade",
	  "Single instances in series, and the blast radius of each component.",
	  "Each component in a 1:1 chain is needed for the chain to work: availabilities multiply. "
	  "Timeouts, circuit breakers and a queue between two hops keep one failure from taking "
	  "the next down; the blast radius says where that matters most.",
	  SEV_NOTE, "high", "reliability" },
	{ "TOPO-LOOP", "feedback loop",
	  "A cycle of relationships: work or messages can come back to where they started.",
	  "Say what makes the loop converge: an attempt count carried with the work, a TTL, a "
	  "dead-letter queue, backoff, or a state that stops the next round. Without one, a "
	  "persistent failure goes around forever (a requeue storm, a tight retry loop).",
	  SEV_NOTE, "high", "reliability" },
	{ "TOPO-RETRY-AMP", "retry amplification",
	  "Worst-case attempts along a path: the product of (1 + retries) over its relationships.",
	  "Retry at one layer (usually the outermost that can decide), make the others fail fast, "
	  "and give the retrying layer a budget and backoff with jitter. Client and SDK defaults "
	  "count too: state them as `retries:` so the product is right.",
	  SEV_WARNING, "high", "reliability" },
	{ "TOPO-CONTENTION", "contended convergence point",
	  "A shared resource accessed by more than one writer.",
	  "Name one owner of each field, or guard writes with a version or compare-and-set "
	  "(UPDATE ... WHERE status = expected); decide which write wins when two race.",
	  SEV_WARNING, "high", "reliability" },
	{ "TOPO-DELIVERY", "delivery guarantee gap",
	  "At-least-once delivery into a handler with no idempotency noted, or retries after an at-most-once hop.",
	  "At-least-once means duplicates: make the receiving handler idempotent (a dedup key, a "
	  "conditional state change) and note it. A retry after an at-most-once hop protects only "
	  "its own hop: the end-to-end guarantee is the weakest hop's.",
	  SEV_WARNING, "high", "reliability" },
	{ "TOPO-STATE-UNREACHABLE", "unreachable state",
	  "A state of an entity that no chain of transitions reaches from its initial state.",
	  "Add the transition that leads to it (and its actor), or remove the state: code that "
	  "waits for it waits forever.",
	  SEV_WARNING, "high", "correctness" },
	{ "TOPO-STATE-TRAP", "state with no way out",
	  "A state that is not terminal and from which no terminal state can be reached.",
	  "Add the transition out (a timeout, a cancel, a failure path) with its actor, or declare "
	  "the state terminal. Work stuck there needs someone to notice it.",
	  SEV_WARNING, "high", "correctness" },
	{ "TOPO-STATE-ACTOR", "transition without a channel",
	  "A transition triggered by a component that has no relationship with the entity's owner.",
	  "Add the relationship the change travels over (and its delivery), or name the actor that "
	  "really makes the change.",
	  SEV_WARNING, "high", "correctness" },
	{ "TOPO-STATE-INVARIANT", "invariant on an unknown state",
	  "An invariant names a state the entity does not have.",
	  "Fix the state's name, or add the state: an invariant about a state that does not exist "
	  "checks nothing.",
	  SEV_WARNING, "high", "correctness" },
};
const size_t ntool_rules = sizeof(tool_rules) / sizeof(tool_rules[0]);

const struct tool_rule *tool_rule_find(const char *id)
{
	for (size_t i = 0; i < ntool_rules; i++)
		if (!strcasecmp(tool_rules[i].id, id))
			return &tool_rules[i];
	return NULL;
}

bool rule_known(const struct catalog *c, const char *id)
{
	return (c && catalog_find(c, id)) || tool_rule_find(id);
}
