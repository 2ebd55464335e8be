#include "opts.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "strbuf.h"
#include "banned.h"

int parse_size(const char *s, size_t *out)
{
	static const struct { const char *suffix; unsigned shift; } units[] = {
		{ "", 0 }, { "B", 0 }, { "K", 10 }, { "KB", 10 }, { "KiB", 10 }, { "k", 10 },
		{ "M", 20 }, { "MB", 20 }, { "MiB", 20 }, { "G", 30 }, { "GB", 30 }, { "GiB", 30 },
	};
	char *end;
	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix))
			continue;
		if (v > (unsigned long long)(SIZE_MAX >> units[i].shift))
			return -1;
		*out = (size_t)(v << units[i].shift);
		return 0;
	}
	return -1;
}

static void opt_name(struct strbuf *sb, const struct option *o)
{
	if (o->long_name)
		strbuf_addf(sb, "--%s", o->long_name);
	else
		strbuf_addf(sb, "-%c", o->short_name);
}

static int fail(const struct option *o, const char *fmt, const char *arg)
{
	struct strbuf name = STRBUF_INIT;
	if (o)
		opt_name(&name, o);
	fputs("distarch: error: ", stderr);
	fprintf(stderr, fmt, name.buf, arg ? arg : "");
	fputs("\n(see --help)\n", stderr);
	strbuf_release(&name);
	return OPTS_ERROR;
}

static int set_value(const struct option *o, const char *arg)
{
	if (o->planned)
		return fail(o, "%s is not yet available in this version", NULL);
	switch (o->type) {
	case OPT_T_STRING:
		*(const char **)o->value = arg;
		return 0;
	case OPT_T_INT: {
		char *end;
		errno = 0;
		long v = strtol(arg, &end, 10);
		if (errno || end == arg || *end || v < 0 || v > INT_MAX)
			return fail(o, "%s expects a non-negative whole number, not '%s'", arg);
		*(int *)o->value = (int)v;
		return 0;
	}
	case OPT_T_SIZE:
		if (parse_size(arg, (size_t *)o->value) < 0 || !*(size_t *)o->value)
			return fail(o, "%s expects a size in bytes above 0 (like 4194304, 512K or 4M), not '%s'", arg);
		return 0;
	case OPT_T_CHOICE:
		for (const char *const *c = o->choices; *c; c++)
			if (!strcmp(*c, arg)) {
				*(const char **)o->value = *c;
				return 0;
			}
		{
			struct strbuf sb = STRBUF_INIT;
			strbuf_addf(&sb, "%%s expects one of ");
			for (const char *const *c = o->choices; *c; c++)
				strbuf_addf(&sb, "%s%s", c == o->choices ? "" : ", ", *c);
			strbuf_addstr(&sb, ", not '%s'");
			int rc = fail(o, sb.buf, arg);
			strbuf_release(&sb);
			return rc;
		}
	case OPT_T_LIST: {
		const char ***list = o->value;
		size_t n = 0;
		while (*list && (*list)[n])
			n++;
		*list = xrealloc(*list, (n + 2) * sizeof(**list));
		(*list)[n] = arg;
		(*list)[n + 1] = NULL;
		return 0;
	}
	default:
		return fail(o, "%s: internal error", NULL);
	}
}

static const struct option *find_long(const struct option *opts, const char *name, size_t len)
{
	for (const struct option *o = opts; o->type != OPT_T_END; o++)
		if (o->long_name && strlen(o->long_name) == len && !strncmp(o->long_name, name, len))
			return o;
	return NULL;
}

static const struct option *find_short(const struct option *opts, char c)
{
	for (const struct option *o = opts; o->type != OPT_T_END; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

int parse_options(int argc, char **argv, const struct option *opts, const struct usage *usage)
{
	int npos = 0;
	int only_pos = 0;
	for (int i = 0; i < argc; i++) {
		char *a = argv[i];
		if (only_pos || a[0] != '-' || !a[1]) {
			argv[npos++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			only_pos = 1;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			opts_print_help(stdout, opts, usage);
			return OPTS_HELP;
		}
		const struct option *o;
		const char *inline_arg = NULL;
		if (a[1] == '-') {
			const char *name = a + 2;
			const char *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			o = find_long(opts, name, len);
			if (!o) {
				struct strbuf sb = STRBUF_INIT;
				strbuf_add(&sb, a, eq ? (size_t)(eq - a) : strlen(a));
				fprintf(stderr, "distarch: error: unknown option '%s'\n(see --help)\n", sb.buf);
				strbuf_release(&sb);
				return OPTS_ERROR;
			}
			if (eq)
				inline_arg = eq + 1;
		} else {
			o = a[2] ? NULL : find_short(opts, a[1]);
			if (!o) {
				fprintf(stderr, "distarch: error: unknown option '%s'\n(see --help)\n", a);
				return OPTS_ERROR;
			}
		}
		if (o->type == OPT_T_FLAG) {
			if (inline_arg)
				return fail(o, "%s takes no value", NULL);
			if (o->planned)
				return fail(o, "%s is not yet available in this version", NULL);
			*(bool *)o->value = true;
			continue;
		}
		if (!inline_arg) {
			if (i + 1 >= argc)
				return fail(o, "%s needs a value", NULL);
			inline_arg = argv[++i];
		}
		if (set_value(o, inline_arg) < 0)
			return OPTS_ERROR;
	}
	if (npos < argc)
		argv[npos] = NULL;
	return npos;
}

void opts_print_help(FILE *out, const struct option *opts, const struct usage *usage)
{
	fprintf(out, "usage: %s\n", usage->synopsis);
	if (usage->description)
		fprintf(out, "\n%s\n", usage->description);
	int first = 1;
	for (const struct option *o = opts; o->type != OPT_T_END; o++) {
		if (o->type == OPT_T_GROUP) {
			fprintf(out, "\n%s\n", o->help);
			first = 0;
			continue;
		}
		if (first) {
			fputs("\noptions:\n", out);
			first = 0;
		}
		struct strbuf sb = STRBUF_INIT;
		strbuf_addstr(&sb, "  ");
		if (o->short_name)
			strbuf_addf(&sb, "-%c%s", o->short_name, o->long_name ? ", " : "");
		else
			strbuf_addstr(&sb, "    ");
		if (o->long_name)
			strbuf_addf(&sb, "--%s", o->long_name);
		if (o->type == OPT_T_CHOICE) {
			strbuf_addch(&sb, ' ');
			for (const char *const *c = o->choices; *c; c++)
				strbuf_addf(&sb, "%s%s", c == o->choices ? "" : "|", *c);
		} else if (o->type != OPT_T_FLAG) {
			strbuf_addf(&sb, " %s", o->argh ? o->argh : "VALUE");
		}
		if (sb.len < 30)
			strbuf_addchars(&sb, ' ', 30 - sb.len);
		else
			strbuf_addf(&sb, "\n%30s", "");
		strbuf_addstr(&sb, o->help);
		if (o->planned)
			strbuf_addstr(&sb, " (planned)");
		fprintf(out, "%s\n", sb.buf);
		strbuf_release(&sb);
	}
	if (usage->footer)
		fprintf(out, "\n%s\n", usage->footer);
}

void opts_list_release(const char ***list)
{
	xfree((void *)*list);
	*list = NULL;
}
