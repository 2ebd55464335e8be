#ifndef DISTARCH_TS_CONSTS_H
#define DISTARCH_TS_CONSTS_H
/*
 * Named string constants (facts.h: struct fact_const), the same way for
 * every language: the declarations that give a name to a string literal
 * (Go `const`, TypeScript enum members and top-level `const`/`as const`
 * objects, Java enum constants and `static final String`s, Python module-
 * and class-level assignments). Go and Java by a tree-sitter query; Python,
 * JavaScript and TypeScript by reading the blocks that can hold them (the
 * program, the module, class bodies), which is cheaper than a query
 * walking every node.
 *
 * A front-end calls ts_collect_consts() once on its tree before deleting
 * it. The queries are compiled once per process (thread-safe) and kept; a
 * file yields at most TS_MAX_CONSTS constants. Strings go into ff's arena.
 */
#include <tree_sitter/api.h>

#include "../facts/facts.h"

#define TS_MAX_CONSTS 4096

void ts_collect_consts(struct file_facts *ff, const TSTree *tree, const char *src, size_t len);

#endif
