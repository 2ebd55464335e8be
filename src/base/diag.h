#ifndef DISTARCH_DIAG_H
#define DISTARCH_DIAG_H
/*
 * Diagnostics on stderr, and the one error convention.
 *
 * Library code reports with error()/error_at() and returns their value (-1);
 * only main() and cmd_*() turn that into an exit status. Messages are
 * lowercase, name their subject, and carry path:line:column when they are
 * about a file (lines and columns 1-based, columns in bytes).
 * BUG() marks a broken invariant: it aborts.
 */
#include <stdarg.h>

enum exit_code {
	EXIT_CLEAN = 0,    /* nothing at or above --fail-on */
	EXIT_FINDINGS = 1, /* findings at or above --fail-on */
	EXIT_USAGE = 2,    /* bad usage or bad input */
};

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

int error(const char *fmt, ...) PRINTF_LIKE(1, 2);
int error_at(const char *path, unsigned line, unsigned col, const char *fmt, ...)
	PRINTF_LIKE(4, 5);
void warning(const char *fmt, ...) PRINTF_LIKE(1, 2);
void warning_at(const char *path, unsigned line, unsigned col, const char *fmt, ...)
	PRINTF_LIKE(4, 5);
/* Progress and informational lines; silenced by diag_set_quiet(1). */
void note(const char *fmt, ...) PRINTF_LIKE(1, 2);
void diag_set_quiet(int quiet);
/* Number of error()/error_at() calls so far (tests and batch validation). */
unsigned diag_error_count(void);
/* Number of lines printed on stderr so far (errors, warnings, notes not silenced). */
unsigned diag_message_count(void);
/*
 * Also append every error and warning line (as printed, with its newline)
 * to `sb`, until diag_capture(NULL): the MCP server hands them to the
 * client as the text of a failed tool call. `sb` is borrowed.
 */
struct strbuf;
void diag_capture(struct strbuf *sb);

_Noreturn void bug_at(const char *file, int line, const char *fmt, ...) PRINTF_LIKE(3, 4);
#define BUG(...) bug_at(__FILE__, __LINE__, __VA_ARGS__)

#endif
