#ifndef DISTARCH_OPTS_H
#define DISTARCH_OPTS_H
/*
 * Command-line options as a table (after git's parse-options): one entry
 * per option; the usage text of `--help` is generated from the same table,
 * so help and behaviour cannot drift apart.
 *
 *   static const char *formats[] = { "text", "json", NULL };
 *   struct option opts[] = {
 *       OPT_STRING('t', "topology", &topo, "FILE", "topology file"),
 *       OPT_CHOICE(0, "format", &fmt, formats, "output format"),
 *       OPT_END(),
 *   };
 *   argc = parse_options(argc, argv, opts, &usage);
 *
 * Positional arguments are compacted to the front of argv (argv[0..n)) and
 * their count returned. "--" ends options. "--opt=value" and "--opt value"
 * both work; short flags may not be bundled.
 *
 * Returns the number of positionals, OPTS_HELP after printing the help to
 * stdout (the caller exits 0), or OPTS_ERROR after printing an error and a
 * hint to stderr (the caller exits 2).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum opt_type {
	OPT_T_END,
	OPT_T_GROUP,  /* a heading in the help */
	OPT_T_FLAG,   /* bool */
	OPT_T_STRING, /* const char * */
	OPT_T_INT,    /* int, non-negative */
	OPT_T_SIZE,   /* size_t above 0, in bytes: 4194304, 512K, 4M, 1G (parse_size) */
	OPT_T_CHOICE, /* const char *, one of choices */
	OPT_T_LIST,   /* repeatable: appends to a NULL-terminated const char ** (see opts_list_release) */
};

struct option {
	enum opt_type type;
	char short_name;
	const char *long_name;
	void *value;
	const char *argh; /* placeholder in help: "FILE" */
	const char *help;
	const char *const *choices;
	bool planned; /* listed in help as planned; using it is an error for now */
};

#define OPT_END() { OPT_T_END, 0, NULL, NULL, NULL, NULL, NULL, false }
#define OPT_GROUP(h) { OPT_T_GROUP, 0, NULL, NULL, NULL, (h), NULL, false }
#define OPT_FLAG(s, l, v, h) { OPT_T_FLAG, (s), (l), (v), NULL, (h), NULL, false }
#define OPT_STRING(s, l, v, a, h) { OPT_T_STRING, (s), (l), (v), (a), (h), NULL, false }
#define OPT_INT(s, l, v, a, h) { OPT_T_INT, (s), (l), (v), (a), (h), NULL, false }
#define OPT_SIZE(s, l, v, a, h) { OPT_T_SIZE, (s), (l), (v), (a), (h), NULL, false }
#define OPT_CHOICE(s, l, v, c, h) { OPT_T_CHOICE, (s), (l), (v), NULL, (h), (c), false }
#define OPT_LIST(s, l, v, a, h) { OPT_T_LIST, (s), (l), (v), (a), (h), NULL, false }
/* An option a later version fills: shown in --help, refused when used. */
#define OPT_PLANNED(l, a, h) { OPT_T_STRING, 0, (l), NULL, (a), (h), NULL, true }
#define OPT_PLANNED_FLAG(l, h) { OPT_T_FLAG, 0, (l), NULL, NULL, (h), NULL, true }

struct usage {
	const char *synopsis;    /* "distarch check [PATH...] [options]" (may hold several lines) */
	const char *description; /* a paragraph under the synopsis */
	const char *footer;      /* examples, exit status; may be NULL */
};

#define OPTS_HELP (-2)
#define OPTS_ERROR (-1)

int parse_options(int argc, char **argv, const struct option *opts, const struct usage *usage);
/*
 * A size in bytes: digits, then nothing or B, K/KB/KiB, M/MB/MiB, G/GB/GiB
 * (all powers of 1024). 0, or -1 when `s` is not one or overflows size_t.
 */
int parse_size(const char *s, size_t *out);
void opts_print_help(FILE *out, const struct option *opts, const struct usage *usage);
/* Free the array an OPT_LIST built (not the strings: they are argv's). */
void opts_list_release(const char ***list);

#endif
