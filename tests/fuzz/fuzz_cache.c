/*
 * Arbitrary bytes as a fact cache: the first byte picks the reader.
 *   even: the bytes are one file's facts payload (facts_deserialise);
 *   odd:  the bytes are a pack's records, behind a valid header (so the
 *         fuzzer gets past the header checksum) claiming byte 2 records;
 *         every record found has its head read, then is loaded.
 * No crash, no hang, no leak; a refused payload leaves the facts empty.
 */
#include <stddef.h>
#include <stdint.h>

#include "cache/factcache.h"
#include "facts/serial.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct file_facts ff;
	if (size < 2)
		return 0;
	if (!(data[0] & 1)) {
		file_facts_init(&ff, "fuzz.py", (enum lang)(1 + data[1] % (LANG__COUNT - 1)));
		facts_deserialise(data + 2, size - 2, &ff);
		file_facts_release(&ff);
		return 0;
	}
	struct strbuf pack = STRBUF_INIT;
	fact_cache_header(&pack, 7, data[1]);
	strbuf_add(&pack, data + 2, size - 2);
	struct fact_cache *fc = fact_cache_open_bytes(pack.buf, pack.len, 7);
	for (size_t i = 0; i < fact_cache_count(fc); i++) {
		file_facts_init(&ff, "fuzz.py", LANG_PYTHON);
		fact_cache_load_head(fact_cache_entry(fc, i), &ff);
		file_facts_release(&ff);
		file_facts_init(&ff, "fuzz.py", LANG_PYTHON);
		fact_cache_load(fact_cache_entry(fc, i), &ff);
		file_facts_release(&ff);
	}
	fact_cache_close(fc);
	strbuf_release(&pack);
	return 0;
}
