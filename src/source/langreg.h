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
/* The front-end for a language, or NULL when it has none yet. */
lang_extract_fn lang_extractor(enum lang lang);

#endif
