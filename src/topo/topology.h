#ifndef DISTARCH_TOPOLOGY_H
#define DISTARCH_TOPOLOGY_H
/*
 * The topology model: components with their cardinality, relationships
 * between them, convergence points (shared resources).
 *
 * The file format is the original distributed-architect plugin's
 * (.dist-architect/topology.yaml: components, relationships,
 * convergence_points), plus extensions: component `paths:` (globs mapping
 * code to the component), relationship `retries:`, `timeout:`, `delivery:`,
 * and `entities:` (state machines). See docs/topology.md.
 *
 * Ownership: a topology owns all its strings (its arena) and vectors;
 * topology_release frees them. Spans point into the file that was loaded.
 */
#include <stdbool.h>
#include <stddef.h>

#include "../base/arena.h"
#include "../base/strmap.h"
#include "../base/vec.h"
#include "../facts/facts.h"

/* A parsed free-text count: "1 (fixed)", "N (dynamic)", "3 nodes, 2 replicas (fixed)". */
struct topo_count {
	const char *text; /* as written */
	long n;           /* the instance count; -1 when N / many */
	long replicas;    /* "2 replicas", -1 when not given */
	bool fixed;       /* "(fixed)" */
	bool dynamic;     /* "(dynamic)", or N */
};

/* Parse a count. Returns 0, or -1 with a static reason in *why (no message printed). */
int topo_count_parse(const char *text, struct topo_count *out, const char **why);
/* 1 for a single instance, 0 for many (N, 3, "3 nodes"). */
bool topo_count_is_one(const struct topo_count *c);

enum cardinality { CARD_1_1, CARD_1_N, CARD_N_1, CARD_N_M };
const char *cardinality_name(enum cardinality c); /* "1:1", "1:N", ... */

enum delivery { DELIVERY_UNSPECIFIED, DELIVERY_AT_MOST_ONCE, DELIVERY_AT_LEAST_ONCE, DELIVERY_EXACTLY_ONCE };
const char *delivery_name(enum delivery d);

struct topo_component {
	const char *name;
	struct topo_count count;
	const char *role, *notes;
	struct strlist paths; /* globs, repository-relative */
	struct span span;     /* the mapping in the file */
};

struct topo_relationship {
	const char *from, *to;
	int from_idx, to_idx; /* into components */
	const char *via, *pattern, *notes;
	int retries;          /* retries after the first attempt, -1 when not given */
	const char *timeout;  /* as written ("30s"), or NULL */
	enum delivery delivery;
	enum cardinality card;
	struct span span;
};

struct topo_convergence {
	const char *resource;
	struct strlist accessed_by;
	const char *type, *concern;
	struct span span;
};

/* A state change of an entity, and the component that triggers it. */
struct topo_transition {
	struct strlist from;  /* source states (at least one) */
	const char *to;
	const char *actor;    /* a component */
	int actor_idx;        /* into components */
	struct span span;
};

/* A rule the states must keep; `states` are the state names it refers to. */
struct topo_invariant {
	const char *text;
	struct strlist states;
	struct span *state_spans; /* states.len spans, where each name is written */
	struct span span;
};

/*
 * A state machine (`entities:`): states, the initial one, the terminal
 * ones, transitions with their actor. Transitions and `initial`/`terminal`
 * name declared states (checked at load); invariants may name unknown
 * ones, which the design analysis reports (TOPO-STATE-INVARIANT).
 */
struct topo_entity {
	const char *name;
	const char *owner;    /* the component that holds the state, or NULL */
	int owner_idx;        /* -1 without owner */
	struct strlist states;
	struct span *state_spans;
	int initial;          /* index into states */
	struct strlist terminal;
	VEC(struct topo_transition) transitions;
	VEC(struct topo_invariant) invariants;
	struct span span;
};

struct topology {
	const char *path; /* as given, for messages */
	struct arena arena;
	VEC(struct topo_component) components;
	VEC(struct topo_relationship) relationships;
	VEC(struct topo_convergence) convergence;
	VEC(struct topo_entity) entities;
	/* Private: component name -> index + 1, for topology_find. */
	struct strmap by_name;
};

void topology_init(struct topology *t);
void topology_release(struct topology *t);

/*
 * Load and validate. Every problem is reported with error_at(path, line,
 * column, ...) saying what was expected; all problems are reported, not only
 * the first. Returns 0 when the file is valid, -1 otherwise (the topology
 * then holds what could be read and must still be released).
 */
int topology_load_file(struct topology *t, const char *path);
int topology_load_buffer(struct topology *t, const char *name, const char *text, size_t len);

/* Index of state `name` in entity `e`, or -1. */
int topo_entity_state(const struct topo_entity *e, const char *name);

/* The component whose `paths:` globs match `relpath`, or -1. */
int topology_component_for_path(const struct topology *t, const char *relpath);
int topology_find(const struct topology *t, const char *name);

#endif
