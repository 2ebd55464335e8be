/*
 * Arbitrary bytes to the suppression lexer, in every comment syntax: never
 * a crash or hang, and every marker it finds is inside the input.
 */
#include <stddef.h>
#include <stdint.h>

#include "report/suppress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	for (int syn = SYNTAX_PYTHON; syn <= SYNTAX_JAVA; syn++) {
		suppression_vec sv = VEC_INIT;
		suppress_scan((const char *)data, size, (enum comment_syntax)syn, &sv);
		for (size_t i = 0; i < sv.len; i++)
			if (!sv.items[i].line || sv.items[i].line > lines || !sv.items[i].col ||
			    (!sv.items[i].problem && !sv.items[i].ids.len))
				__builtin_trap();
		suppression_vec_release(&sv);
	}
	return 0;
}
