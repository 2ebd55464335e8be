#include "brief.h"

#include <string.h>

#include "../base/banned.h"

#define MAX_FINDINGS 8
#define MAX_REGIONS 6

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static json_int_t num(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static void findings(json_t *list, const char *what, struct strbuf *sb)
{
	size_t i, n = json_array_size(list);
	json_t *f;
	if (!n)
		return;
	strbuf_addf(sb, "%zu %s%s:\n", n, what, n == 1 ? "" : "s");
	json_array_foreach(list, i, f) {
		if (i == MAX_FINDINGS) {
			strbuf_addf(sb, "- ... and %zu more\n", n - i);
			break;
		}
		json_t *loc = json_object_get(f, "location");
		strbuf_addf(sb, "- %s (%s) %s:%lld: %s\n", str(f, "rule"), str(f, "severity"), str(loc, "path"),
			    (long long)num(loc, "line"), str(f, "message"));
		if (*str(f, "fix"))
			strbuf_addf(sb, "  fix: %s\n", str(f, "fix"));
	}
}

static void regions(json_t *units, struct strbuf *sb)
{
	size_t i, n = json_array_size(units);
	json_t *u;
	if (!n)
		return;
	strbuf_addf(sb, "boundaries crossed in %zu region%s:", n, n == 1 ? "" : "s");
	json_array_foreach(units, i, u) {
		if (i == MAX_REGIONS) {
			strbuf_addf(sb, "; ...");
			break;
		}
		strbuf_addf(sb, "%s %s (%s:", i ? ";" : "", str(u, "region"), str(u, "component"));
		size_t k;
		json_t *s;
		json_array_foreach(json_object_get(u, "signals"), k, s) {
			/* one name per signal kind, in the order they come */
			const char *name = str(s, "signal");
			bool seen = false;
			for (size_t j = 0; j < k && !seen; j++)
				seen = !strcmp(str(json_array_get(json_object_get(u, "signals"), j), "signal"), name);
			if (!seen)
				strbuf_addf(sb, " %s", name);
		}
		strbuf_addch(sb, ')');
	}
	strbuf_addch(sb, '\n');
}

bool report_brief(json_t *report, const char *subject, size_t max, struct strbuf *out)
{
	json_t *fs = json_object_get(report, "findings");
	json_t *drift = json_object_get(report, "topology_drift");
	json_t *units = json_object_get(report, "boundaries");
	if (!json_array_size(fs) && !json_array_size(drift) && !json_array_size(units))
		return false;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "distarch on %s:\n", subject);
	findings(fs, "finding", &sb);
	findings(drift, "topology drift note", &sb);
	regions(units, &sb);
	json_t *cl = json_object_get(json_object_get(report, "summary"), "checklists");
	json_int_t open = num(cl, "open");
	if (open)
		strbuf_addf(&sb, "%lld checklist question%s left open for judgement. ", (long long)open,
			    open == 1 ? "" : "s");
	strbuf_addf(&sb, "Full report with the checklists: `distarch check --format markdown %s` "
		    "(or the dist_check MCP tool).\n", subject);
	if (sb.len > max) {
		size_t cut = max;
		while (cut && sb.buf[cut - 1] != '\n')
			cut--;
		strbuf_setlen(&sb, cut ? cut : max);
		strbuf_addstr(&sb, "...\n");
	}
	strbuf_addstr(out, sb.buf);
	strbuf_release(&sb);
	return true;
}
