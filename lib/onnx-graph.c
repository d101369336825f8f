/* onnx-graph.c - one ONNX graph into the stream: its scope of names, its
 * nodes sorted topologically, their names and node records
 *
 * A graph is the main graph, an If/Loop/Scan body or a model-local function;
 * a cycle, a dangling name or an impossible tensor is fatal.
 */
#include <stdlib.h>
#include <string.h>

#include "gp.h"
#include "onnx.h"

/* uses adds to m every name read anywhere inside graph g, nested graphs too. */
static void
uses(const Onnx__GraphProto *g, struct gp_map *m)
{
	size_t i, j, k;

	for (i = 0; i < g->n_node; i++) {
		const Onnx__NodeProto *n = g->node[i];

		for (j = 0; j < n->n_input; j++)
			gp_map_put(m, n->input[j], 0);
		for (j = 0; j < n->n_attribute; j++) {
			const Onnx__AttributeProto *a = n->attribute[j];

			if (a->g)
				uses(a->g, m);
			for (k = 0; k < a->n_graphs; k++)
				uses(a->graphs[k], m);
		}
	}
	for (i = 0; i < g->n_output; i++)
		if (g->output[i]->name)
			gp_map_put(m, g->output[i]->name, 0);
}

/* in_scope says whether name is defined in scope sc or a scope around it */
static int
in_scope(const struct scope *sc, const char *name)
{
	for (; sc; sc = sc->up)
		if (gp_map_get(&sc->names, name))
			return 1;
	return 0;
}

/* list_text joins names v[0..n) with ',' in arena memory, "." for none;
 * drop_trailing_empty leaves out the absent ones at the end */
static const char *
list_text(struct ld *L, char **v, size_t n, int drop_trailing_empty)
{
	struct gp_buf b = {0};
	const char *r;
	size_t i;

	while (drop_trailing_empty && n > 0 && !*v[n - 1])
		n--;
	for (i = 0; i < n; i++) {
		if (i)
			gp_buf_addc(&b, ',');
		gp_buf_adds(&b, v[i]);
	}
	r = n ? gp_arena_strndup(&L->s->arena, b.buf, b.len) : ".";
	gp_buf_release(&b);
	return r;
}

/* node_name gives a node a name unique in the model: its own, or OP_INDEX
 * when it has none, with "~K" added on a clash. */
static const char *
node_name(struct ld *L, const Onnx__NodeProto *n, size_t idx)
{
	const char *base = n->name && *n->name ? n->name :
	    gp_arena_printf(&L->s->arena, "%s_%zu", n->op_type, idx);
	char *nm = gp_arena_strdup(&L->s->arena, base);
	int k;

	for (k = 2; gp_map_get(&L->nodenames, nm); k++)
		nm = gp_arena_printf(&L->s->arena, "%s~%d", base, k);
	gp_map_put(&L->nodenames, nm, 0);
	return nm;
}

/* toposort orders the nodes: a node comes after the producers of its inputs
 * and of every outer name its subgraphs read; among ready nodes, file order
 * wins. Dies on a cycle or a name defined nowhere. */
static size_t *
toposort(struct ld *L, Onnx__NodeProto **nodes, size_t nn, struct scope *sc, const char *gname)
{
	struct gp_map prod = {0};
	size_t *order = gp_xcalloc(nn ? nn : 1, sizeof *order), *edges = NULL, ne = 0, cape = 0, no, i, j, k;
	int64_t *p;

	for (i = 0; i < nn; i++) {
		for (j = 0; j < nodes[i]->n_output; j++) {
			const char *o = nodes[i]->output[j];

			if (!*o)
				continue;
			if (!gp_map_put(&prod, o, (int64_t)i)) {
				p = gp_map_get(&prod, o);
				LDIE(L, "graph '%s': tensor '%s' is the output of two nodes (%s and %s)",
				    gname, o, nodes[*p]->op_type, nodes[i]->op_type);
			}
			if (gp_map_get(&sc->names, o))
				LDIE(L, "graph '%s': node output '%s' redefines a graph input or initializer",
				    gname, o);
		}
	}
	/* edges producer -> consumer, one for each name a node reads */
	for (i = 0; i < nn; i++) {
		struct gp_map deps = {0};
		const Onnx__NodeProto *n = nodes[i];

		for (j = 0; j < n->n_input; j++) {
			const char *in = n->input[j];

			if (!*in)
				continue;
			if (!gp_map_get(&prod, in) && !in_scope(sc, in))
				LDIE(L, "graph '%s': node '%s' (%s) reads '%s', which is no graph input, "
				    "initializer or node output", gname, n->name && *n->name ? n->name : "",
				    n->op_type, in);
			gp_map_put(&deps, in, 0);
		}
		for (j = 0; j < n->n_attribute; j++) {
			if (n->attribute[j]->g)
				uses(n->attribute[j]->g, &deps);
			for (k = 0; k < n->attribute[j]->n_graphs; k++)
				uses(n->attribute[j]->graphs[k], &deps);
		}
		for (k = 0; k < deps.cap; k++) {
			if (!deps.e[k].k || !(p = gp_map_get(&prod, deps.e[k].k)))
				continue;
			if (ne == cape) {
				cape = cape ? 2 * cape : 256;
				edges = gp_xreallocarray(edges, cape, 2 * sizeof *edges);
			}
			edges[2 * ne] = (size_t)*p;
			edges[2 * ne + 1] = i;
			ne++;
		}
		gp_map_release(&deps);
	}
	if ((no = gp_topo_order(nn, edges, ne, order)) < nn) {
		i = order[no];
		LDIE(L, "graph '%s' has a cycle (through node '%s', %s)", gname,
		    nodes[i]->name && *nodes[i]->name ? nodes[i]->name : "", nodes[i]->op_type);
	}
	free(edges);
	gp_map_release(&prod);
	return order;
}

static const Onnx__TypeProto *
vi_type(struct gp_map *vi, Onnx__ValueInfoProto **all, const char *name)
{
	int64_t *p = gp_map_get(vi, name);

	return p ? all[*p]->type : NULL;
}

/* gp_onnx_load_graph writes graph pg (the main graph, a subgraph or a
 * function) into the stream: its inputs, initializers and their tensor
 * records, then its nodes in a topological order, each output's tensor record
 * before the node's, and its graph record's inputs and outputs. Dies on a
 * value, initializer or attribute with no name, a name defined twice, a node
 * with no op_type, an output nothing produces, and what toposort refuses. */
void
gp_onnx_load_graph(struct ld *L, const struct pending *pg)
{
	struct gp_stream *s = L->s;
	const Onnx__GraphProto *g = pg->g;
	const Onnx__FunctionProto *fn = pg->fn;
	struct scope *sc = gp_xcalloc(1, sizeof *sc);
	struct gp_map vi = {0}, outs = {0};
	Onnx__ValueInfoProto **all = NULL;
	Onnx__NodeProto **nodes = g ? g->node : fn->node;
	size_t nn = g ? g->n_node : fn->n_node, nall = 0, i, j, *order, r;
	const char *gname = g ? (g->name && *g->name ? g->name : "?") : fn->name ? fn->name : "?";
	const char **nname;
	struct gp_buf dt = {0}, sh = {0}, ab = {0};
	char **names;
	int id = pg->id;

	sc->up = pg->up;
	sc->next = L->scopes;
	L->scopes = sc;
	if (g) {
		nall = g->n_input + g->n_output + g->n_value_info;
		all = gp_xcalloc(nall ? nall : 1, sizeof *all);
		for (i = 0; i < g->n_input; i++)
			all[i] = g->input[i];
		for (i = 0; i < g->n_output; i++)
			all[g->n_input + i] = g->output[i];
		for (i = 0; i < g->n_value_info; i++)
			all[g->n_input + g->n_output + i] = g->value_info[i];
		for (i = 0; i < nall; i++) {
			if (!all[i]->name || !*all[i]->name)
				LDIE(L, "graph '%s': a value with no name", gname);
			gp_map_put(&vi, all[i]->name, (int64_t)i);
		}
		for (i = 0; i < g->n_output; i++)
			gp_map_put(&outs, g->output[i]->name, 0);
		/* initializers first, so that an input with a default value is one */
		for (i = 0; i < g->n_initializer; i++) {
			const char *nm = g->initializer[i]->name;

			if (!nm || !*nm)
				LDIE(L, "graph '%s': an initializer with no name", gname);
			if (!gp_map_put(&sc->names, nm, 1))
				LDIE(L, "graph '%s': initializer '%s' is defined twice", gname, nm);
		}
		for (i = 0; i < g->n_sparse_initializer; i++) {
			const Onnx__SparseTensorProto *sp = g->sparse_initializer[i];
			const char *nm = sp->values && sp->values->name ? sp->values->name : "";

			if (!*nm)
				LDIE(L, "graph '%s': a sparse initializer with no name", gname);
			if (!gp_map_put(&sc->names, nm, 1))
				LDIE(L, "graph '%s': initializer '%s' is defined twice", gname, nm);
		}
		names = gp_xcalloc(g->n_input + 1, sizeof *names);
		for (i = j = 0; i < g->n_input; i++) {
			const char *nm = g->input[i]->name;
			int64_t *p = gp_map_get(&sc->names, nm);

			if (p && *p == 2)
				LDIE(L, "graph '%s': input '%s' is listed twice", gname, nm);
			if (p)
				continue;       /* an initializer: a weight, not an input */
			gp_map_put(&sc->names, nm, 2);
			names[j++] = (char *)nm;
			gp_onnx_type_text(L, nm, g->input[i]->type, &dt, &sh);
			gp_onnx_add_tensor(L, id, nm, dt.buf, sh.buf, "input", NULL);
		}
		gp_table_set(s, L->gt, L->g_in, (size_t)id, list_text(L, names, j, 0));
		free(names);
		for (i = 0; i < g->n_initializer; i++)
			gp_onnx_tensor_record(L, id, g->initializer[i]->name, g->initializer[i], "initializer");
		for (i = 0; i < g->n_sparse_initializer; i++)
			gp_onnx_sparse_record(L, id, g->sparse_initializer[i]->values->name, g->sparse_initializer[i]);
	} else {
		for (i = 0; i < fn->n_input; i++) {
			if (!gp_map_put(&sc->names, fn->input[i], 2))
				LDIE(L, "function '%s': input '%s' is listed twice", gname, fn->input[i]);
			gp_onnx_add_tensor(L, id, fn->input[i], "?", "?", "input", NULL);
		}
		for (i = 0; i < fn->n_output; i++)
			gp_map_put(&outs, fn->output[i], 0);
		gp_table_set(s, L->gt, L->g_in, (size_t)id, list_text(L, fn->input, fn->n_input, 0));
	}
	for (i = 0; i < nn; i++) {
		if (!nodes[i]->op_type || !*nodes[i]->op_type)
			LDIE(L, "graph '%s': node %zu has no op_type", gname, i);
	}
	order = toposort(L, nodes, nn, sc, gname);
	/* names are given in file order, so they do not depend on the sort */
	nname = gp_xcalloc(nn ? nn : 1, sizeof *nname);
	for (i = 0; i < nn; i++)
		nname[i] = node_name(L, nodes[i], i);
	for (j = 0; j < nn; j++) {
		const Onnx__NodeProto *n = nodes[order[j]];
		const char *nm = nname[order[j]];
		int is_const = strcmp(n->op_type, "Constant") == 0 &&
		    (!n->domain || !*n->domain || strcmp(n->domain, "ai.onnx") == 0);

		for (i = 0; i < n->n_output; i++) {
			const char *o = n->output[i];

			if (!*o)
				continue;
			gp_map_put(&sc->names, o, 3);
			if (is_const && i == 0) {
				/* value= is written with the attributes; value_* here */
				if (!gp_onnx_has_attr(n, "value") && gp_onnx_constant_value(L, n, id, o) < 0)
					gp_onnx_add_tensor(L, id, o, "?", "?", "constant", NULL);
				continue;
			}
			gp_onnx_type_text(L, o, vi_type(&vi, all, o), &dt, &sh);
			gp_onnx_add_tensor(L, id, o, dt.buf, sh.buf, gp_map_get(&outs, o) ? "output" : "intermediate", NULL);
		}
		r = gp_table_addrow(s, L->nt);
		gp_table_set(s, L->nt, L->n_name, r, fld(nm));
		gp_table_set(s, L->nt, L->n_op, r, n->op_type);
		gp_table_set(s, L->nt, L->n_domain, r, n->domain && *n->domain ? n->domain : "ai.onnx");
		gp_table_set(s, L->nt, L->n_in, r, list_text(L, n->input, n->n_input, 1));
		gp_table_set(s, L->nt, L->n_out, r, list_text(L, n->output, n->n_output, 1));
		gp_table_set(s, L->nt, L->n_graph, r, gp_arena_printf(&s->arena, "%d", id));
		gp_buf_reset(&ab);
		for (i = 0; i < n->n_attribute; i++) {
			const Onnx__AttributeProto *a = n->attribute[i];

			if (!a->name || !*a->name)
				LDIE(L, "node '%s': an attribute with no name", nm);
			if (i)
				gp_buf_addc(&ab, ';');
			gp_buf_adds(&ab, a->name);
			gp_buf_addc(&ab, '=');
			gp_onnx_attr_value(L, &ab, sc, id, nm, n, a);
		}
		if (ab.len)
			gp_table_set(s, L->nt, L->n_attrs, r, ab.buf);
	}
	/* outputs: every one must be defined here or outside */
	{
		char **on = gp_xcalloc((g ? g->n_output : fn->n_output) + 1, sizeof *on);
		size_t no = g ? g->n_output : fn->n_output;

		for (i = 0; i < no; i++) {
			on[i] = g ? g->output[i]->name : fn->output[i];
			if (!on[i] || !in_scope(sc, on[i]))
				LDIE(L, "graph '%s': output '%s' is not produced by any node", gname,
				    on[i] ? on[i] : "");
		}
		gp_table_set(s, L->gt, L->g_out, (size_t)id, list_text(L, on, no, 0));
		free(on);
	}
	free(order);
	free(nname);
	free(all);
	gp_map_release(&vi);
	gp_map_release(&outs);
	gp_buf_release(&dt);
	gp_buf_release(&sh);
	gp_buf_release(&ab);
}
