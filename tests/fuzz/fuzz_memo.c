/*
 * Arbitrary bytes as a report memo (src/cache/reportmemo.h): the first byte
 * picks the form.
 *   even: the rest is the memo's body (exit status, report count, reports),
 *         wrapped in the magic, key 7 and a valid checksum, so the fuzzer gets
 *         past the checksum to the length fields;
 *   odd:  the rest is a whole memo file as it is.
 * No crash, no hang, no leak; every report a hit returns lies inside the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "cache/reportmemo.h"

static void put_u64(struct strbuf *sb, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		strbuf_addch(sb, (char)(v >> (8 * i) & 0xff));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf file = STRBUF_INIT;
	struct report_memo m;
	if (size < 1)
		return 0;
	if (data[0] & 1) {
		strbuf_add(&file, data + 1, size - 1);
	} else {
		strbuf_add(&file, "DAMEMO02", 8);
		put_u64(&file, 7);
		put_u64(&file, data[0] & 2 ? 9 : 0);
		strbuf_add(&file, data + 1, size - 1);
		put_u64(&file, hash64(file.buf, file.len, 0));
	}
	if (report_memo_parse(file.buf, file.len, data[0] & 4 ? 7 : 0, 9, &m)) {
		for (size_t i = 0; i < m.nouts; i++)
			if (m.outs[i].data < file.buf || m.outs[i].data + m.outs[i].len > file.buf + file.len)
				abort();
	}
	strbuf_release(&file);
	return 0;
}
