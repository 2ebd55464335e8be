#ifndef DISTARCH_EMBEDDED_H
#define DISTARCH_EMBEDDED_H
/*
 * The data files compiled into the binary (data/models, data/catalog,
 * data/modules), generated at build time by scripts/embed.c. `path` is
 * relative to the source tree ("data/models/python/redis.yaml"); `data` is
 * NUL-terminated and `len` excludes the NUL.
 */
#include <stddef.h>

struct embedded_file {
	const char *path;
	const char *data;
	size_t len;
};

extern const struct embedded_file embedded_files[];
extern const size_t embedded_count;

#endif
