/*
 * TOPO-CONTENTION: convergence points with more than one writer: several
 * components, or one component with many instances. The cardinality is
 * the sum of the writers' instances ("N + 1 writers").
 */
#include "analyze.h"

#include "../base/strbuf.h"
#include "../base/banned.h"

void topo_check_contention(struct topo_review *rv)
{
	const struct topology *t = rv->t;
	for (size_t k = 0; k < t->convergence.len; k++) {
		const struct topo_convergence *cp = &t->convergence.items[k];
		size_t singles = 0, many = 0, known = 0;
		struct strbuf who = STRBUF_INIT;
		for (size_t a = 0; a < cp->accessed_by.len; a++) {
			int idx = topology_find(t, cp->accessed_by.items[a]);
			if (idx < 0)
				continue;
			const struct topo_component *c = &t->components.items[idx];
			known++;
			if (topo_count_is_one(&c->count))
				singles++;
			else
				many++;
			strbuf_addf(&who, "%s%s (%s)", a ? ", " : "", c->name, c->count.text ? c->count.text : "?");
		}
		if (!many && singles < 2) {
			strbuf_release(&who);
			continue;
		}
		rv->contention++;
		struct strbuf card = STRBUF_INIT;
		if (many)
			strbuf_addf(&card, "%sN", many > 1 ? "several " : "");
		if (many && singles)
			strbuf_addstr(&card, " + ");
		if (singles)
			strbuf_addf(&card, "%zu", singles);
		int first = topology_find(t, cp->accessed_by.items[0]);
		if (first >= 0)
			rv->comp_mark[first] |= TOPO_MARK_CONTENTION;
		static const char *const queue_words[] = { "queue", "stream", "topic", "log", NULL };
		static const char *const blob_words[] = { "object", "bucket", "file", "blob", NULL };
		int kind = topo_text_mentions(cp->type, queue_words) ? 1 : topo_text_mentions(cp->type, blob_words) ? 2 : 0;
		static const char *const question[] = {
			"who wins when two write at once?",
			"does one writer's burst delay the others' work, and does anything rely on the order between them?",
			"two writes to one key: the last one wins; is it always the right one, and can a reader see a half-finished set?",
		};
		static const char *const fix[] = {
			"give each field one owner, or guard every write with the state it expects (a version, UPDATE ... WHERE status = expected) and handle the lost race",
			"separate the producers (a queue or a priority each) or bound the one that can burst, and make consumers independent of the order between producers",
			"write under keys that differ per attempt and publish the final one atomically, or make every writer produce the same bytes",
		};
		struct finding *f = topo_finding_add(rv, "TOPO-CONTENTION", SEV_WARNING, &cp->span,
						     first >= 0 ? cp->accessed_by.items[0] : NULL,
						     "%s%s%s%s has %s writers (%s): %s", cp->resource,
						     cp->type ? " (" : "", cp->type ? cp->type : "", cp->type ? ")" : "",
						     card.buf, who.buf, question[kind]);
		if (cp->concern)
			topo_finding_evidence(f, "concern: %s", cp->concern);
		if (many)
			topo_finding_evidence(f, "a scaled writer races itself: two instances of it can write the same item");
		topo_finding_fix(f, "%s", fix[kind]);
		strbuf_release(&card);
		strbuf_release(&who);
	}
}
