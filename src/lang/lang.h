#ifndef DISTARCH_LANG_H
#define DISTARCH_LANG_H
/*
 * The language front-end contract: source bytes in, facts out.
 *
 * A front-end parses with tree-sitter and fills `ff` (initialised by the
 * caller with the path and language) with syntax-level facts: functions,
 * calls with their callee as written, handlers with their caught types as
 * written, state writes and reads, loops, imports, and syntactic retry
 * loops. It does not know what a library call means: models_resolve() adds
 * that afterwards. It must not crash or hang on any input; a tree with
 * errors yields best-effort facts and sets ff->parse_errors.
 * Returns 0, or -1 (with error()) when the source cannot be parsed at all.
 */
#include <stddef.h>

#include "../facts/facts.h"

typedef int (*lang_extract_fn)(const char *src, size_t len, struct file_facts *ff);

int python_extract(const char *src, size_t len, struct file_facts *ff);
int go_extract(const char *src, size_t len, struct file_facts *ff);
/* JavaScript and TypeScript (ff->lang says which grammar: LANG_JAVASCRIPT, LANG_TYPESCRIPT, LANG_TSX). */
int js_extract(const char *src, size_t len, struct file_facts *ff);
int java_extract(const char *src, size_t len, struct file_facts *ff);

#endif
