#ifndef DISTARCH_MODULE_H
#define DISTARCH_MODULE_H
/*
 * Reasoning modules: the checklists a change is put through once the
 * boundary detector has found a signal in it. One YAML file per module
 * (data/modules/NAME.yaml; format in docs/catalog.md):
 *
 *   module: state-mutation
 *   title: State mutation
 *   trigger: state-mutation      # a boundary signal, or "pass-2" (concurrency)
 *   purpose: a paragraph
 *   questions:
 *     - id: SM-1
 *       ask: "Who reads this state, and what does each reader do with the new value?"
 *       answer: observers        # what the engine answers from facts (enum module_answer)
 *       why: one line
 *   quick_validation:            # the closing questions of a report
 *     - "What does this change assume about the other components?"
 *
 * How the engine uses it (the engine is not here; this is the contract):
 *   - pass 1: for each signal the boundary detector reports for a change,
 *     module_for_trigger(set, signal) gives the module to instantiate;
 *   - pass 2: when the topology puts the changed component on the "1" side
 *     of a 1:N relationship, every module with `pass2` set (trigger
 *     "pass-2": concurrency) is instantiated as well;
 *   - for each question, `answer` says which fact-derived answer to fill in
 *     (the observer list, the 3-tick trace, ...); MODULE_ANSWER_NONE
 *     questions are left open, marked for a person or an LLM;
 *   - the report closes with the module's quick_validation questions.
 *
 * Errors name file:line:column and what was expected (unknown keys, wrong
 * types, unknown trigger or answer kind, duplicate module names or question
 * ids); every problem of a file is reported, then -1, and a file with any
 * problem adds nothing.
 *
 * Ownership: a module_set owns its modules and every string in them (one
 * arena); module pointers stay valid across later loads, until
 * module_set_release().
 */
#include <stdbool.h>
#include <stddef.h>

#include "../base/arena.h"
#include "../base/vec.h"
#include "schema.h"

/* What the engine can answer from facts, per question. */
enum module_answer {
	MODULE_ANSWER_OBSERVERS,         /* readers of the written state and what they do next */
	MODULE_ANSWER_WRITERS,           /* the other writers of the same state field */
	MODULE_ANSWER_TICK_TRACE,        /* 3 ticks: the write, each observer's next step, the next */
	MODULE_ANSWER_FAILURE_CLASS,     /* infrastructure / logic / observation: the caught failure */
	MODULE_ANSWER_PAYLOAD_LIFECYCLE, /* where the payload lives at each step, to its ACK/delete */
	MODULE_ANSWER_RETRY_PRODUCT,     /* the retry layers on the path and their product */
	MODULE_ANSWER_EDGE_CARDINALITY,  /* the topology edge crossed and its 1:1 / 1:N / N:1 */
	MODULE_ANSWER_COMPONENT,         /* the component(s) the change and its peers belong to */
	MODULE_ANSWER_NONE,              /* open: for a person or an LLM */
	MODULE_ANSWER_COUNT
};

/* "observers", "tick-trace", ... (the spelling in module files). */
const char *module_answer_name(enum module_answer a);
/* Parse a spelling; -1 when unknown. */
int module_answer_parse(const char *s);

/* The triggers a module can name: the four signals, then "pass-2" (NULL-terminated). */
extern const char *const module_triggers[];
#define MODULE_TRIGGER_PASS2 "pass-2"

struct module_question {
	const char *id;  /* "SM-1": unique across the set */
	const char *ask; /* the question */
	enum module_answer answer;
	const char *why; /* one line: why it matters */
	unsigned line;   /* where it is in `path` */
};

struct module {
	const char *name;    /* "state-mutation": unique across the set */
	const char *title;   /* "State mutation" */
	const char *trigger; /* one of module_triggers */
	bool pass2;          /* trigger is "pass-2" */
	const char *purpose;
	struct module_question *questions;
	size_t nquestions;   /* at least one */
	struct textlist quick_validation; /* at least one */
	const char *path;    /* "data/modules/state-mutation.yaml" or the file as opened */
};

struct module_set {
	struct arena arena;
	VEC(struct module *) modules; /* in trigger order (module_triggers), then name */
};

void module_set_init(struct module_set *ms);
void module_set_release(struct module_set *ms);

/* Parse one module file from memory; `name` is used in messages and kept as its path. */
int modules_load_buffer(struct module_set *ms, const char *name, const char *text, size_t len);
/* The built-in modules (every .yaml under data/modules/, compiled in). */
int modules_builtin_load(struct module_set *ms);

/* By module name ("concurrency"); NULL when unknown. */
const struct module *module_find(const struct module_set *ms, const char *name);
/* The first module a signal instantiates ("failure-mode"); NULL when none. */
const struct module *module_for_trigger(const struct module_set *ms, const char *trigger);
/* By question id ("SM-1"), setting *owner when not NULL; NULL when unknown. */
const struct module_question *module_question_find(const struct module_set *ms, const char *id,
						   const struct module **owner);
/* Iteration: for (i = 0; i < module_count(ms); i++) module_at(ms, i). */
size_t module_count(const struct module_set *ms);
const struct module *module_at(const struct module_set *ms, size_t i);

#endif
