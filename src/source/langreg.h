#ifndef DISTARCH_LANGREG_H
#define DISTARCH_LANGREG_H
/*
 * The language registry: file extension -> language -> front-end.
 */
#include "../facts/facts.h"
#include "../lang/lang.h"

/* The language of a path by its extension, LANG_NONE if not source we know. */
enum lang lang_from_path(const char *path);
const char *lang_name(enum lang lang);
/*
 * Is `path` test code by its language's conventions (test_x.py, x_test.py,
 * x_test.go, x.test.ts, x.spec.js, src/test/java/..., a tests/ or
 * __tests__/ folder)? Test code is indexed (it may observe state) but no
 * finding is reported in it: a maintainer does not act on a test's shape.
 */
bool lang_is_test_path(const char *path);
/* The front-end for a language, or NULL when it has none yet. */
lang_extract_fn lang_extractor(enum lang lang);

#endif
