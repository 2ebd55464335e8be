/*
 * Procfiles for `init` (infer.h): each `name: command` line is a process
 * type, a component. The platform scales process types (`ps:scale`), so
 * the file says nothing of counts: "1 (assumed)".
 * https://devcenter.heroku.com/articles/procfile
 */
#include "infer.h"

#include <ctype.h>
#include <string.h>

#include "../base/diag.h"
#include "../base/banned.h"

#define PROCFILE_MAX_NAME 64

int infer_procfile(struct inference *inf, const char *path, const char *text, size_t len)
{
	unsigned line = 0;
	for (size_t pos = 0; pos < len;) {
		size_t end = pos;
		while (end < len && text[end] != '\n')
			end++;
		line++;
		size_t start = pos, s = pos, e = end;
		pos = end + 1;
		while (s < e && (text[s] == ' ' || text[s] == '\t'))
			s++;
		while (e > s && (text[e - 1] == '\r' || text[e - 1] == ' ' || text[e - 1] == '\t'))
			e--;
		if (s == e || text[s] == '#')
			continue;
		size_t n = s;
		while (n < e && (isalnum((unsigned char)text[n]) || text[n] == '_' || text[n] == '-'))
			n++;
		if (n == s || n >= e || text[n] != ':' || n - s > PROCFILE_MAX_NAME)
			return error_at(path, line, (unsigned)(n - start + 1),
					"not a process type (expected `name: command`, a name of letters, "
					"digits, '_' or '-')");
		size_t c = n + 1;
		while (c < e && (text[c] == ' ' || text[c] == '\t'))
			c++;
		char name[PROCFILE_MAX_NAME + 1];
		memcpy(name, text + s, n - s);
		name[n - s] = '\0';
		struct inferred_component *comp = inference_component(inf, name);
		VEC_APPEND(&comp->sources, inference_str(inf, "%s:%u process type", path, line));
		if (!comp->role && c < e)
			comp->role = inference_str(inf, "runs `%.*s`", (int)(e - c > 120 ? 120 : e - c), text + c);
		if (!comp->count) {
			comp->count = "1 (assumed)";
			comp->count_from = inference_str(inf, "%s:%u the platform scales process types; "
							 "the Procfile gives no count", path, line);
		}
	}
	return 0;
}
