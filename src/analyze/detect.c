#include "detect.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../base/alloc.h"
#include "../base/strbuf.h"
#include "components.h"
#include "observers.h"
#include "retry_chain.h"
#include "../base/banned.h"

const struct detector detectors[] = {
	{ "AP-1", "tight retry loop", ap1_detect },
	{ "AP-2", "lost data at ACK", ap2_detect },
	{ "AP-3", "channel conflation", ap3_detect },
	{ "AP-4", "boundary state leak", ap4_detect },
	{ "AP-5", "compounding retry", ap5_detect },
	{ "AP-6", "premature state transition", ap6_detect },
};
const size_t ndetectors = sizeof(detectors) / sizeof(detectors[0]);

void analysis_init(struct analysis *a, const struct fact_index *ix, const struct topology *topo,
		   const struct model_set *models)
{
	memset(a, 0, sizeof(*a));
	a->ix = ix;
	a->topo = topo;
	a->models = models;
	a->retry_memo = retry_memo_new();
	a->obs_memo = observers_memo_new(ix, models);
}

void analysis_release(struct analysis *a)
{
	for (size_t i = 0; i < a->findings.len; i++)
		finding_release(&a->findings.items[i]);
	VEC_FREE(&a->findings);
	retry_memo_free(a->retry_memo);
	a->retry_memo = NULL;
	observers_memo_free(a->obs_memo);
	a->obs_memo = NULL;
}

void analysis_run(struct analysis *a)
{
	for (size_t d = 0; d < ndetectors; d++) {
		detectors[d].run(a);
		analysis_at(a, DEP_NONE);
	}
	/* Test code observes and exercises the system; its own shapes are not findings. */
	size_t keep = 0;
	for (size_t i = 0; i < a->findings.len; i++) {
		const struct file_facts *ff = index_get(a->ix, a->findings.items[i].path);
		if (ff && ff->is_test)
			finding_release(&a->findings.items[i]);
		else
			a->findings.items[keep++] = a->findings.items[i];
	}
	a->findings.len = keep;
	if (a->findings.len > 1)
		qsort(a->findings.items, a->findings.len, sizeof(*a->findings.items), finding_cmp);
}

void analysis_at(const struct analysis *a, size_t t)
{
	struct dep_rec *r = a->ix->rec;
	if (r)
		r->cur = t == DEP_NONE ? DEP_NONE : a->target_ord ? a->target_ord[t] : t;
}

static char *vformat(const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_vaddf(&sb, fmt, ap);
	return strbuf_detach(&sb, NULL);
}

struct finding *finding_add(struct analysis *a, const char *rule, enum severity sev,
			    const struct file_facts *ff, const struct span *at, const char *fmt, ...)
{
	struct finding *f = VEC_PUSH(&a->findings);
	va_list ap;
	va_start(ap, fmt);
	f->message = vformat(fmt, ap);
	va_end(ap);
	f->rule = xstrdup(rule);
	f->severity = sev;
	f->path = xstrdup(ff->path);
	f->line = at->line;
	f->column = at->col ? at->col : 1;
	f->component = analysis_component(a, ff->path);
	return f;
}

void finding_related(struct finding *f, const char *path, uint32_t line, const char *fmt, ...)
{
	struct related_loc *r = VEC_PUSH(&f->related);
	va_list ap;
	va_start(ap, fmt);
	r->message = vformat(fmt, ap);
	va_end(ap);
	r->path = xstrdup(path);
	r->line = line;
}

void finding_evidence(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = vformat(fmt, ap);
	va_end(ap);
	VEC_APPEND(&f->evidence, s);
}

void finding_fix(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	xfree(f->fix);
	f->fix = vformat(fmt, ap);
	va_end(ap);
}

void value_key(const char *value, char *out, size_t outsz)
{
	if (!outsz)
		return;
	out[0] = '\0';
	if (!value)
		return;
	size_t n = strlen(value);
	/* Strip quotes and a trailing .value / .name (enum member spellings). */
	while (n && (value[n - 1] == '"' || value[n - 1] == '\'' || value[n - 1] == '`'))
		n--;
	for (;;) {
		if (n > 6 && !strncmp(value + n - 6, ".value", 6))
			n -= 6;
		else if (n > 5 && !strncmp(value + n - 5, ".name", 5))
			n -= 5;
		else
			break;
	}
	size_t start = n;
	while (start && value[start - 1] != '.' && value[start - 1] != ':' &&
	       value[start - 1] != '"' && value[start - 1] != '\'' && value[start - 1] != '`')
		start--;
	/* Go protobuf enums: HealthCheckResponse_SERVING -> SERVING (a CamelCase type, then _CAPS) */
	for (size_t u = start; u < n; u++) {
		if (value[u] != '_' || u == start || !islower((unsigned char)value[u - 1]))
			continue;
		bool caps = u + 1 < n;
		for (size_t j = u + 1; j < n && caps; j++)
			caps = isupper((unsigned char)value[j]) || isdigit((unsigned char)value[j]) || value[j] == '_';
		if (caps)
			start = u + 1;
		break;
	}
	size_t len = n - start;
	if (len >= outsz)
		len = outsz - 1;
	for (size_t i = 0; i < len; i++)
		out[i] = (char)tolower((unsigned char)value[start + i]);
	out[len] = '\0';
}

bool values_match(const char *a, const char *b)
{
	char ka[128], kb[128];
	value_key(a, ka, sizeof(ka));
	value_key(b, kb, sizeof(kb));
	return *ka && !strcmp(ka, kb);
}

char *analysis_component(const struct analysis *a, const char *path)
{
	struct component_ref c = component_for_path(a->topo, path);
	return c.name;
}
