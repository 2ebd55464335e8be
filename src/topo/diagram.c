/* Mermaid and Graphviz diagrams of a topology (see diagram.h). */
#include "diagram.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/alloc.h"
#include "../base/diag.h"
#include "../base/strbuf.h"
#include "../base/banned.h"

static unsigned comp_mark(const struct topo_review *rv, size_t i)
{
	return rv ? rv->comp_mark[i] : 0;
}

static unsigned rel_mark(const struct topo_review *rv, size_t i)
{
	return rv ? rv->rel_mark[i] : 0;
}

/* Mermaid label text: quotes, angle brackets, pipes and hashes as entity codes. */
static void mermaid_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '"': fputs("#quot;", out); break;
		case '<': fputs("#lt;", out); break;
		case '>': fputs("#gt;", out); break;
		case '|': fputs("#124;", out); break;
		case '#': fputs("#35;", out); break;
		case '\n': case '\r': case '\t': fputc(' ', out); break;
		default: fputc(*s, out);
		}
	}
}

static void dot_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		if (*s == '\n' || *s == '\r')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static void edge_label(const struct topo_relationship *r, struct strbuf *sb)
{
	strbuf_reset(sb);
	if (r->via)
		strbuf_addf(sb, "%s\n", r->via);
	strbuf_addstr(sb, cardinality_name(r->card));
	if (r->retries > 0)
		strbuf_addf(sb, ", retries %d", r->retries);
	if (r->delivery != DELIVERY_UNSPECIFIED)
		strbuf_addf(sb, ", %s", delivery_name(r->delivery));
}

static void write_mermaid(FILE *out, const struct topology *t, const struct topo_review *rv)
{
	struct strbuf sb = STRBUF_INIT;
	fputs("flowchart LR\n", out);
	for (size_t i = 0; i < t->components.len; i++) {
		const struct topo_component *c = &t->components.items[i];
		fprintf(out, "  c%zu[\"", i);
		mermaid_text(out, c->name);
		fputs("<br/>", out);
		mermaid_text(out, c->count.text ? c->count.text : "?");
		fputs("\"]\n", out);
	}
	for (size_t e = 0; e < t->relationships.len; e++) {
		const struct topo_relationship *r = &t->relationships.items[e];
		if (r->from_idx < 0 || r->to_idx < 0)
			continue;
		edge_label(r, &sb);
		fprintf(out, "  c%d -->|\"", r->from_idx);
		for (char *p = sb.buf; *p; p++)
			if (*p == '\n')
				*p = '\r'; /* placeholder for <br/> */
		for (const char *p = sb.buf; *p; p++) {
			if (*p == '\r') {
				fputs("<br/>", out);
			} else {
				char one[2] = { *p, 0 };
				mermaid_text(out, one);
			}
		}
		fprintf(out, "\"| c%d\n", r->to_idx);
	}
	if (rv) {
		static const struct {
			unsigned mark;
			const char *cls, *style, *legend;
		} classes[] = {
			{ TOPO_MARK_SPOF, "spof", "fill:#fdd,stroke:#c00,stroke-width:3px", "red: single point of failure" },
			{ TOPO_MARK_BOTTLENECK, "bottleneck", "stroke:#e67e22,stroke-width:3px,stroke-dasharray:5 3", "dashed orange border: bottleneck (N:1 into one)" },
		};
		for (size_t c = 0; c < sizeof(classes) / sizeof(classes[0]); c++) {
			size_t n = 0;
			for (size_t i = 0; i < t->components.len; i++)
				if (comp_mark(rv, i) & classes[c].mark)
					n++;
			if (!n)
				continue;
			fprintf(out, "  %%%% %s\n  classDef %s %s\n  class ", classes[c].legend, classes[c].cls,
				classes[c].style);
			n = 0;
			for (size_t i = 0; i < t->components.len; i++)
				if (comp_mark(rv, i) & classes[c].mark)
					fprintf(out, "%sc%zu", n++ ? "," : "", i);
			fprintf(out, " %s\n", classes[c].cls);
		}
		/* linkStyle counts the edges written, in order. */
		for (int pass = 0; pass < 2; pass++) {
			unsigned mark = pass ? TOPO_MARK_AMP : TOPO_MARK_LOOP;
			size_t idx = 0, n = 0;
			for (size_t e = 0; e < t->relationships.len; e++) {
				const struct topo_relationship *r = &t->relationships.items[e];
				if (r->from_idx < 0 || r->to_idx < 0)
					continue;
				if ((rel_mark(rv, e) & mark) && !(pass == 0 && (rel_mark(rv, e) & TOPO_MARK_AMP))) {
					if (!n++)
						fprintf(out, "  %%%% %s\n  linkStyle ", pass ? "red: retry path over the budget" : "orange: feedback loop");
					else
						fputc(',', out);
					fprintf(out, "%zu", idx);
				}
				idx++;
			}
			if (n)
				fprintf(out, " stroke:%s,stroke-width:%s\n", pass ? "#c00" : "#e67e22", pass ? "3px" : "2px");
		}
	}
	strbuf_release(&sb);
}

static void write_dot(FILE *out, const struct topology *t, const struct topo_review *rv)
{
	struct strbuf sb = STRBUF_INIT;
	fputs("digraph topology {\n  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
	      "  edge [fontname=\"Helvetica\", fontsize=10];\n", out);
	if (rv)
		fputs("  // red: single point of failure; dashed orange: bottleneck (N:1 into one);\n"
		      "  // orange edges: feedback loop; bold red edges: retry path over the budget\n", out);
	for (size_t i = 0; i < t->components.len; i++) {
		const struct topo_component *c = &t->components.items[i];
		unsigned m = comp_mark(rv, i);
		fprintf(out, "  c%zu [label=\"", i);
		dot_text(out, c->name);
		fputs("\\n", out);
		dot_text(out, c->count.text ? c->count.text : "?");
		fputc('"', out);
		if (m & TOPO_MARK_SPOF)
			fputs(", color=\"#cc0000\", penwidth=3, style=\"rounded,filled\", fillcolor=\"#ffdddd\"", out);
		else if (m & TOPO_MARK_BOTTLENECK)
			fputs(", color=\"#e67e22\", penwidth=3, style=\"rounded,dashed\"", out);
		if (m & TOPO_MARK_SPOF && m & TOPO_MARK_BOTTLENECK)
			fputs(", peripheries=2", out);
		fputs("];\n", out);
	}
	for (size_t e = 0; e < t->relationships.len; e++) {
		const struct topo_relationship *r = &t->relationships.items[e];
		if (r->from_idx < 0 || r->to_idx < 0)
			continue;
		unsigned m = rel_mark(rv, e);
		edge_label(r, &sb);
		fprintf(out, "  c%d -> c%d [label=\"", r->from_idx, r->to_idx);
		dot_text(out, sb.buf);
		fputc('"', out);
		if (m & TOPO_MARK_AMP)
			fputs(", color=\"#cc0000\", penwidth=3", out);
		else if (m & TOPO_MARK_LOOP)
			fputs(", color=\"#e67e22\", penwidth=2", out);
		fputs("];\n", out);
	}
	fputs("}\n", out);
	strbuf_release(&sb);
}

int topo_diagram_write(FILE *out, enum diagram_kind kind, const struct topology *t,
		       const struct topo_review *rv)
{
	if (kind == DIAGRAM_DOT)
		write_dot(out, t, rv);
	else
		write_mermaid(out, t, rv);
	return ferror(out) ? -1 : 0;
}

/* The first executable `name` on PATH, or NULL. Caller frees. */
static char *find_on_path(const char *name)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	for (const char *p = path;;) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		strbuf_reset(&sb);
		if (len)
			strbuf_add(&sb, p, len);
		else
			strbuf_addch(&sb, '.');
		strbuf_addf(&sb, "/%s", name);
		struct stat st;
		if (!stat(sb.buf, &st) && S_ISREG(st.st_mode) && !access(sb.buf, X_OK))
			return strbuf_detach(&sb, NULL);
		if (!end)
			break;
		p = end + 1;
	}
	strbuf_release(&sb);
	return NULL;
}

int topo_diagram_svg(FILE *out, const struct topology *t, const struct topo_review *rv)
{
	char *dot = find_on_path("dot");
	if (!dot)
		return error("--format svg needs Graphviz's `dot` on PATH, and it is not there: install graphviz, "
			     "or use --format dot and render it elsewhere");
	int fds[2];
	if (pipe(fds) < 0) {
		xfree(dot);
		return error("cannot run %s: %s", "dot", strerror(errno));
	}
	fflush(out);
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		xfree(dot);
		return error("cannot run dot: %s", strerror(errno));
	}
	if (pid == 0) {
		dup2(fds[0], 0);
		dup2(fileno(out), 1);
		close(fds[0]);
		close(fds[1]);
		execl(dot, "dot", "-Tsvg", (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	FILE *to = fdopen(fds[1], "w");
	int rc = 0;
	if (!to) {
		close(fds[1]);
		rc = -1;
	} else {
		write_dot(to, t, rv);
		if (fclose(to) != 0)
			rc = -1;
	}
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		rc = error("%s -Tsvg failed (exit status %d)", dot, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	xfree(dot);
	return rc;
}
