/*
 * Arbitrary bytes as a dependency record (src/cache/depcache.h): the first
 * byte picks the form.
 *   even: the rest is the record's body (file count, files), wrapped in the
 *         magic, key 7 and a valid checksum, so the fuzzer gets past the
 *         checksum to the lengths and key lists;
 *   odd:  the rest is a whole record file as it is.
 * No crash, no hang, no leak; a record that parses serialises back to the
 * same bytes (every field is read, none is invented).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/strbuf.h"
#include "cache/depcache.h"

static void put_u64(struct strbuf *sb, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		strbuf_addch(sb, (char)(v >> (8 * i) & 0xff));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf file = STRBUF_INIT, again = STRBUF_INIT;
	struct dep_cache dc;
	if (size < 1)
		return 0;
	if (data[0] & 1) {
		strbuf_add(&file, data + 1, size - 1);
	} else {
		strbuf_add(&file, "DADEPS02", 8);
		put_u64(&file, 7);
		strbuf_add(&file, data + 1, size - 1);
		put_u64(&file, hash64(file.buf, file.len, 0));
	}
	dep_cache_init(&dc);
	if (dep_cache_parse(&dc, file.buf, file.len, 7)) {
		dep_cache_serialise(&dc, 7, &again);
		if (again.len != file.len || memcmp(again.buf, file.buf, file.len))
			abort();
		for (size_t i = 0; i < dc.files.len; i++)
			if (dep_cache_find(&dc, dc.files.items[i].path) != &dc.files.items[i])
				abort();
	}
	dep_cache_release(&dc);
	strbuf_release(&file);
	strbuf_release(&again);
	return 0;
}
