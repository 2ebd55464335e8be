#ifndef DISTARCH_MEMOUT_H
#define DISTARCH_MEMOUT_H
/*
 * A FILE * that writes into memory (open_memstream), for running a
 * renderer that prints to a stream when the caller wants a string: the
 * MCP server's tool results, the Claude Code hook's context.
 *
 * Ownership: memout_open starts it; memout_finish closes the stream and
 * hands the bytes (NUL-terminated, possibly empty, never NULL on success)
 * to the caller, who frees them with free(3): open_memstream allocates them.
 */
#include <stddef.h>
#include <stdio.h>

struct memout {
	FILE *fp;
	char *buf;
	size_t len;
};

/* Returns the stream, or NULL with an error() when memory streams fail. */
FILE *memout_open(struct memout *m);
/* Closes the stream; -1 (and nothing to free) when a write failed. */
int memout_finish(struct memout *m, char **buf, size_t *len);

#endif
