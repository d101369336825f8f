/* role.c - what a tensor is for, read from the graph's structure, never from
 * its name: the KV cache of a decoder, its past and present halves
 *
 * A decoder exported for step-by-step generation takes the keys and values
 * of the tokens so far as graph inputs (the past) and returns them with the
 * new tokens' appended as graph outputs (the present): present = Concat(past,
 * new) along the sequence axis. Exporters name them past_key_values.0.key,
 * past_key_0, cache_k, ...; gp goes by the Concat alone (docs/shapes.md,
 * "KV-cache roles"), once, where the graph is known (gp-shape, or gp-partition
 * when it infers shapes itself), and writes what it found into the tensor
 * records for the programs after it (gp-report reads them).
 */
#include <string.h>

#include "gp.h"

/* the concatenation axis of node n, in [0, rank); -1 if n is no Concat */
static int
concat_axis(const struct gp_node *n, int rank)
{
	int64_t a;

	if (!((!strcmp(n->op, "Concat") && !strcmp(n->domain, "ai.onnx")) ||
	    (!strcmp(n->op, "CONCATENATION") && !strcmp(n->domain, "tflite"))))
		return -1;
	if (gp_attr_int(n, "axis", &a) < 0)
		return -1;
	if (a < 0)
		a += rank;
	return a >= 0 && a < rank ? (int)a : -1;
}

/* gp_kv_roles marks each pair of graph input P and graph output O of the
 * main graph where O is written by a Concat along axis a of P and tensors
 * that are not graph inputs, P and O have one rank of at least 3, and P's
 * dim a is symbolic (a length that changes from step to step): P is
 * "kv_past", O "kv_present", both with seq_axis a. Returns the pairs found.
 * Tensor records that have a role column already keep it (the roles were
 * found upstream, before dims were bound); otherwise the columns role and
 * seq_axis are added when a pair is found, "." for every other tensor. */
int
gp_kv_roles(struct gp_graph *g)
{
	struct gp_stream *s = g->s;
	int k, npair = 0, c_role = -1, c_axis = -1;

	if (gp_table_col(g->tensor_table, "role") >= 0 || g->ngraph < 1)
		return 0;
	for (k = 0; k < g->ngout[0]; k++) {
		const struct gp_tensor *o, *p = NULL;
		const struct gp_node *n;
		int ot = g->gout[0][k], pt = -1, i, a, ok = 1;

		if (ot < 0 || g->t[ot].producer < 0)
			continue;
		o = &g->t[ot];
		n = &g->n[o->producer];
		if (n->graph != 0 || n->nout < 1 || n->out[0] != ot)
			continue;
		for (i = 0; i < n->nin && ok; i++) {
			const struct gp_tensor *x = n->in[i] >= 0 ? &g->t[n->in[i]] : NULL;

			if (!x || x->graph != 0 || x->kind != GP_K_INPUT)
				continue;
			ok = pt < 0;    /* two graph inputs concatenated: no cache */
			pt = n->in[i];
			p = x;
		}
		if (!ok || !p || p->shape.rank < 3 || (o->shape.rank >= 0 && o->shape.rank != p->shape.rank))
			continue;
		if ((a = concat_axis(n, p->shape.rank)) < 0 || !p->shape.d[a].sym)
			continue;
		if (c_role < 0) {
			c_role = gp_table_addcol(s, g->tensor_table, "role");
			c_axis = gp_table_addcol(s, g->tensor_table, "seq_axis");
		}
		/* a past that two presents grow from is the first's */
		if (strcmp(gp_val(g->tensor_table, c_role, p->row), "."))
			continue;
		gp_table_set(s, g->tensor_table, c_role, p->row, "kv_past");
		gp_table_set(s, g->tensor_table, c_role, o->row, "kv_present");
		gp_table_set_count(s, g->tensor_table, c_axis, p->row, a);
		gp_table_set_count(s, g->tensor_table, c_axis, o->row, a);
		npair++;
	}
	return npair;
}
