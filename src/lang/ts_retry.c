#include "ts_retry.h"

#include "../base/banned.h"

void ts_find_retries(struct file_facts *ff, const struct ts_hextra *hx, struct ts_lextra *lx,
		     enum ts_iter_loop iter)
{
	for (size_t i = 0; i < ff->handlers.len; i++) {
		const struct fact_handler *h = &ff->handlers.items[i];
		const struct ts_hextra *x = &hx[i];
		struct ts_lextra *l;
		const struct fact_loop *lp;
		bool around, bounded, is_for;
		struct fact_retry *r;

		if (h->kind != HANDLER_EXCEPT || h->loop < 0)
			continue;
		around = (!h->reraises && !x->direct_exit) || h->continues;
		if (!around)
			continue;
		l = &lx[h->loop];
		lp = &ff->loops.items[h->loop];
		if (l->retry_done || (iter == TS_ITER_SKIP && lp->iter.line))
			continue;
		if (l->is_range)
			bounded = l->counted || hx[x->try_first].try_exits;
		else
			bounded = l->counted || (lp->infinite && hx[x->try_first].try_exits);
		if (!bounded)
			continue;
		l->retry_done = true;
		is_for = l->is_range || (iter == TS_ITER_AS_FOR && lp->iter.line);
		r = VEC_PUSH(&ff->retries);
		r->kind = RETRY_LOOP;
		r->source = facts_str(ff, is_for ? "for-loop" : "while-loop", is_for ? 8 : 10);
		r->attempts = l->attempts;
		r->span = lp->span;
		r->scope = lp->span;
		r->func = lp->func;
		r->call = -1;
	}
}

void ts_note_exit(struct file_facts *ff, struct ts_hextra *hx, enum ts_exit e, int handler_direct,
		  int handler_nl, int exit_try)
{
	switch (e) {
	case TS_EXIT_RAISE:
		if (handler_direct >= 0 && ff->handlers.items[handler_direct].kind == HANDLER_EXCEPT)
			ff->handlers.items[handler_direct].reraises = true;
		break;
	case TS_EXIT_RETURN:
	case TS_EXIT_BREAK:
		if (e == TS_EXIT_BREAK && handler_nl >= 0)
			ff->handlers.items[handler_nl].breaks = true;
		if (handler_direct >= 0)
			hx[handler_direct].direct_exit = true;
		if (exit_try >= 0)
			hx[exit_try].try_exits = true;
		break;
	case TS_EXIT_CONTINUE:
		if (handler_nl >= 0)
			ff->handlers.items[handler_nl].continues = true;
		break;
	}
}
