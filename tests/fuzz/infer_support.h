/*
 * Shared by the fuzz targets of init's manifest parsers: parse, finish,
 * write, and require that what init would write loads as a topology.
 */
#ifndef FUZZ_INFER_SUPPORT_H
#define FUZZ_INFER_SUPPORT_H
#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"
#include "topo/infer.h"
#include "topo/links.h"
#include "topo/topology.h"

static inline void fuzz_infer(int (*parse)(struct inference *, const char *, const char *, size_t),
			      const uint8_t *data, size_t size)
{
	struct inference inf;
	struct code_links cl;
	inference_init(&inf);
	code_links_init(&cl);
	if (parse(&inf, "fuzz", (const char *)data, size) == 0) {
		inference_finish(&inf, &cl);
		if (inf.comps.len) {
			struct strbuf sb = STRBUF_INIT;
			struct topology t;
			inference_write(&inf, "fuzz", &sb);
			topology_init(&t);
			if (topology_load_buffer(&t, "written", sb.buf, sb.len) < 0)
				__builtin_trap(); /* init would write a file topology check rejects */
			topology_release(&t);
			strbuf_release(&sb);
		}
	}
	code_links_release(&cl);
	inference_release(&inf);
}
#endif
