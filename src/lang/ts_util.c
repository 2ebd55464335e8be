#include "ts_util.h"

#include <string.h>

#include "../base/banned.h"

const char *ts_text_ptr(TSNode n, const char *src, size_t len, size_t *out_len)
{
	uint32_t start, end;

	*out_len = 0;
	if (ts_node_is_null(n))
		return NULL;
	start = ts_node_start_byte(n);
	end = ts_node_end_byte(n);
	/* the tree never points past its input, but a stale node must not read out of bounds */
	if (start > len || end > len || end < start) {
		*out_len = 0;
		return NULL;
	}
	*out_len = end - start;
	return src + start;
}

const char *ts_text(struct file_facts *ff, TSNode n, const char *src, size_t len)
{
	size_t n_len;
	const char *p = ts_text_ptr(n, src, len, &n_len);

	if (!p)
		return facts_str(ff, "", 0);
	return facts_str(ff, p, n_len > TS_TEXT_MAX ? TS_TEXT_MAX : n_len);
}

bool ts_text_eq(TSNode n, const char *src, size_t len, const char *s)
{
	size_t n_len;
	const char *p = ts_text_ptr(n, src, len, &n_len);

	return p && n_len == strlen(s) && !memcmp(p, s, n_len);
}

struct span ts_span(TSNode n)
{
	TSPoint a, b;
	struct span s = { 0, 0, 0, 0 };

	if (ts_node_is_null(n))
		return s;
	a = ts_node_start_point(n);
	b = ts_node_end_point(n);
	s = (struct span){ a.row + 1, a.column + 1, b.row + 1, b.column + 1 };
	return s;
}

TSNode ts_field(TSNode n, const char *name)
{
	if (ts_node_is_null(n))
		return n;
	return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}
