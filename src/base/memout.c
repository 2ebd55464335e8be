#include "memout.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "banned.h"

FILE *memout_open(struct memout *m)
{
	memset(m, 0, sizeof(*m));
	m->fp = open_memstream(&m->buf, &m->len);
	if (!m->fp)
		error("cannot open a memory stream");
	return m->fp;
}

int memout_finish(struct memout *m, char **buf, size_t *len)
{
	int bad = ferror(m->fp);
	if (fclose(m->fp) != 0)
		bad = 1;
	m->fp = NULL;
	if (bad || !m->buf) {
		free(m->buf);
		m->buf = NULL;
		return error("cannot write into a memory stream");
	}
	*buf = m->buf;
	if (len)
		*len = m->len;
	m->buf = NULL;
	return 0;
}
