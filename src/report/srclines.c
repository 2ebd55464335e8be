/* Cached source lines for fingerprints, baselines and suppressions (see srclines.h). */
#include "srclines.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/alloc.h"
#include "../base/fileio.h"
#include "../base/banned.h"

/* Same cap as the scan's: a file larger than this was never turned into facts. */
#define SRCLINES_MAX_FILE (4u << 20)

void srclines_init(struct srclines *s, const char *root)
{
	memset(s, 0, sizeof(*s));
	s->root = xstrdup(root ? root : ".");
}

void srcfile_release(struct srcfile *f)
{
	xfree(f->text);
	xfree(f->starts);
	memset(f, 0, sizeof(*f));
}

void srclines_release(struct srclines *s)
{
	for (size_t i = 0; i < s->files.len; i++) {
		struct srcfile *f = s->files.entries[i].value;
		srcfile_release(f);
		xfree(f);
	}
	strmap_release(&s->files);
	xfree(s->root);
	s->root = NULL;
}

/* Where each line starts: memchr finds the newlines (a report reads every file of a check). */
static void index_lines(struct srcfile *f)
{
	const char *t = f->text, *end = t + f->len, *p;
	size_t n = 1, k = 0;
	for (p = t; p < end && (p = memchr(p, '\n', (size_t)(end - p))); p++)
		if (p + 1 < end)
			n++;
	f->starts = xcalloc(n + 1, sizeof(*f->starts));
	f->starts[k++] = 0;
	for (p = t; p < end && (p = memchr(p, '\n', (size_t)(end - p))); p++)
		if (p + 1 < end)
			f->starts[k++] = (size_t)(p + 1 - t);
	f->nlines = f->len ? (uint32_t)n : 0;
	f->starts[f->nlines] = f->len + 1;
}

/* Take over `text` (NUL-terminated, `len` bytes, heap) as the file's text. */
static void adopt(struct srcfile *f, char *text, size_t len)
{
	memset(f, 0, sizeof(*f));
	f->text = text;
	f->len = len;
	f->readable = true;
	index_lines(f);
}

void srcfile_from_buffer(struct srcfile *f, const char *text, size_t len)
{
	char *copy = xmalloc(len + 1);
	if (len)
		memcpy(copy, text, len);
	copy[len] = '\0';
	adopt(f, copy, len);
}

/* Read quietly: a file gone since the scan is an empty file here, not an error. */
static void load(struct srcfile *f, const char *full)
{
	struct stat st;
	struct strbuf sb = STRBUF_INIT;
	FILE *fp = NULL;

	if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size <= SRCLINES_MAX_FILE)
		fp = fopen(full, "rb");
	if (fp) {
		char chunk[65536];
		size_t n;
		strbuf_grow(&sb, (size_t)st.st_size + 1); /* one allocation for a file read whole */
		while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 && sb.len <= SRCLINES_MAX_FILE)
			strbuf_add(&sb, chunk, n);
		if (ferror(fp) || sb.len > SRCLINES_MAX_FILE)
			strbuf_reset(&sb);
		else
			f->readable = true;
		fclose(fp);
	}
	bool readable = f->readable;
	size_t len;
	char *text = strbuf_detach(&sb, &len);
	adopt(f, text, len);
	f->readable = readable;
}

void srclines_read(const struct srclines *s, const char *path, struct srcfile *f)
{
	struct strbuf full = STRBUF_INIT;
	memset(f, 0, sizeof(*f));
	strbuf_addf(&full, "%s/%s", s->root, path);
	load(f, full.buf);
	strbuf_release(&full);
}

const struct srcfile *srclines_get(struct srclines *s, const char *path)
{
	struct srcfile *f = strmap_get(&s->files, path);
	if (f)
		return f;
	f = xcalloc(1, sizeof(*f));
	srclines_read(s, path, f);
	strmap_put(&s->files, path, f);
	return f;
}

const char *srcfile_line(const struct srcfile *f, uint32_t line, size_t *n)
{
	if (!line || line > f->nlines) {
		*n = 0;
		return "";
	}
	size_t a = f->starts[line - 1], b = f->starts[line] - 1; /* b: past the line's '\n', or len */
	if (b > a && f->text[b - 1] == '\n')
		b--;
	if (b > a && f->text[b - 1] == '\r')
		b--;
	*n = b - a;
	return f->text + a;
}

uint32_t srcfile_char_column(const struct srcfile *f, uint32_t line, uint32_t byte_col)
{
	size_t n;
	const char *s = srcfile_line(f, line, &n);
	if (!byte_col)
		return 1;
	size_t upto = byte_col - 1;
	uint32_t chars = 0;
	for (size_t i = 0; i < upto; i++)
		if (i >= n || ((unsigned char)s[i] & 0xC0) != 0x80)
			chars++;
	return chars + 1;
}

void srcline_normalize(const char *s, size_t n, struct strbuf *out)
{
	bool blank = false, any = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			blank = any;
			continue;
		}
		if (blank)
			strbuf_addch(out, ' ');
		strbuf_addch(out, c);
		blank = false;
		any = true;
	}
}
