#include "diag.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "strbuf.h"

#include "banned.h"

static int quiet;
static _Atomic unsigned errors; /* scan workers report too */
static _Atomic unsigned messages; /* every line printed: errors, warnings, notes */
/* one message at a time: a line is never interleaved with another thread's */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct strbuf *capture;

void diag_capture(struct strbuf *sb)
{
	capture = sb;
}

void diag_set_quiet(int q)
{
	quiet = q;
}

unsigned diag_error_count(void)
{
	return errors;
}

unsigned diag_message_count(void)
{
	return messages;
}

static void vreport(const char *kind, const char *path, unsigned line, unsigned col,
		    const char *fmt, va_list ap)
{
	pthread_mutex_lock(&lock);
	messages++;
	if (capture) {
		va_list cp;
		va_copy(cp, ap);
		if (path && line)
			strbuf_addf(capture, "%s:%u:%u: %s: ", path, line, col ? col : 1, kind);
		else if (path)
			strbuf_addf(capture, "%s: %s: ", path, kind);
		else
			strbuf_addf(capture, "%s: ", kind);
		strbuf_vaddf(capture, fmt, cp);
		strbuf_addch(capture, '\n');
		va_end(cp);
	}
	if (path && line)
		fprintf(stderr, "%s:%u:%u: %s: ", path, line, col ? col : 1, kind);
	else if (path)
		fprintf(stderr, "%s: %s: ", path, kind);
	else
		fprintf(stderr, "distarch: %s: ", kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&lock);
}

int error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("error", NULL, 0, 0, fmt, ap);
	va_end(ap);
	errors++;
	return -1;
}

int error_at(const char *path, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("error", path, line, col, fmt, ap);
	va_end(ap);
	errors++;
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("warning", NULL, 0, 0, fmt, ap);
	va_end(ap);
}

void warning_at(const char *path, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("warning", path, line, col, fmt, ap);
	va_end(ap);
}

void note(const char *fmt, ...)
{
	if (quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	pthread_mutex_lock(&lock);
	messages++;
	fputs("distarch: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&lock);
	va_end(ap);
}

void bug_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "distarch: BUG: %s:%d: ", file, line);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}
