/* trec.c - the tensor records of a stream's main graph read one by one, as
 * the programs after gp-partition need them (their dtype, kind and size),
 * without building the graph; and the two fields every reader of tensor
 * records parses the same way (gp_trec_kind, gp_trec_dtype) */
#include <string.h>

#include "gp.h"

enum gp_kind
gp_trec_kind(const char *k)
{
	return strcmp(k, "input") == 0 ? GP_K_INPUT : strcmp(k, "initializer") == 0 ? GP_K_INIT :
	    strcmp(k, "constant") == 0 ? GP_K_CONST : strcmp(k, "output") == 0 ? GP_K_OUTPUT :
	    strcmp(k, "intermediate") == 0 ? GP_K_INTER : GP_K_OTHER;
}

int
gp_trec_dtype(struct gp_stream *s, const char *name, const char *dt)
{
	int d = strcmp(dt, "?") == 0 ? 0 : gp_dtype_from_name(dt);

	/* "seq(float32)" and the like are not tensors: -1, and no error */
	if (d < 0 && !strchr(dt, '('))
		gp_die("%s: tensor '%s': unknown dtype '%s'", s->src, name, dt);
	return d;
}

void
gp_trec_init(struct gp_trec *tr, struct gp_stream *s)
{
	memset(tr, 0, sizeof *tr);
	tr->s = s;
	tr->t = gp_table_get(s, "tensor");
	if (!tr->t)
		gp_die("%s: no tensor records", s->src);
	tr->c_name = gp_table_need(s, tr->t, "name");
	tr->c_dtype = gp_table_need(s, tr->t, "dtype");
	tr->c_shape = gp_table_need(s, tr->t, "shape");
	tr->c_kind = gp_table_need(s, tr->t, "kind");
	tr->c_graph = gp_table_need(s, tr->t, "graph");
	tr->row = (size_t)-1;
}

int
gp_trec_next(struct gp_trec *tr)
{
	const struct gp_table *t = tr->t;
	size_t r;

	for (r = tr->row + 1; r < t->nrow; r++) {
		const char *g = gp_val(t, tr->c_graph, r), *dt, *k;

		if (g[0] != '0' || g[1])
			continue;
		tr->row = r;
		tr->name = gp_val(t, tr->c_name, r);
		/* a field that shares the text of the one read before: what it said */
		dt = gp_val(t, tr->c_dtype, r);
		if (dt != tr->dt_text) {
			tr->dtype = gp_trec_dtype(tr->s, tr->name, dt);
			tr->dt_text = dt;
		}
		k = gp_val(t, tr->c_kind, r);
		if (k != tr->kind_text) {
			tr->kind = gp_trec_kind(k);
			tr->kind_text = k;
		}
		return 1;
	}
	tr->row = t->nrow;
	return 0;
}

int64_t
gp_trec_numel(struct gp_trec *tr)
{
	const char *sh = gp_val(tr->t, tr->c_shape, tr->row);
	struct gp_shape shape;
	int64_t e;

	if (sh == tr->sh_text)
		return tr->numel;
	if (gp_shape_parse(&tr->a, sh, &shape) < 0)
		gp_die("%s: tensor '%s': malformed shape '%s'", tr->s->src, tr->name, sh);
	e = gp_shape_numel(&shape);
	if (e == -2)
		gp_die("%s: tensor '%s': its element count overflows 64 bits", tr->s->src, tr->name);
	/* the dims are needed no more: a million shapes take no memory */
	if (++tr->parsed % 4096 == 0)
		gp_arena_release(&tr->a);
	tr->sh_text = sh;
	tr->numel = e;
	return e;
}

void
gp_trec_release(struct gp_trec *tr)
{
	gp_arena_release(&tr->a);
	memset(tr, 0, sizeof *tr);
}
