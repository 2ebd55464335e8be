/*
 * Arbitrary bytes to diff_parse: it must return 0 or -1, never crash, hang
 * or leak, and a successful parse must hold sane hunks. (Run libFuzzer
 * with -close_fd_mask=2 to hide the expected error messages.)
 */
#include <stdint.h>
#include <stdlib.h>

#include "source/changes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct changeset cs;
	changeset_init(&cs);
	int rc = diff_parse(&cs, "fuzz.diff", (const char *)data, size);
	if (rc != 0 && rc != -1)
		abort();
	if (rc == -1 && cs.files.len)
		abort(); /* a failed parse adds nothing */
	for (size_t i = 0; i < cs.files.len; i++) {
		const struct changed_file *f = &cs.files.items[i];
		if (!f->path || !f->path[0])
			abort();
		if ((f->status == CHANGE_ADDED || f->status == CHANGE_DELETED) && f->hunks.len)
			abort();
		for (size_t j = 0; j < f->hunks.len; j++)
			(void)changed_file_touches(f, f->hunks.items[j].start, f->hunks.items[j].start);
	}
	changeset_release(&cs);
	return 0;
}
