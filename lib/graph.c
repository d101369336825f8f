/* graph.c - the graph view of a stream: tensors and nodes with their links */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"

/* dec: the decoded field; the field itself when it has no escape (it lives
 * as long as the stream) */
static const char *
dec(struct gp_stream *s, const char *field, const char *what)
{
	char *v;

	if (!strchr(field, '%'))
		return field;
	v = gp_unesc(&s->arena, field, strlen(field));

	if (!v)
		gp_die("%s: bad escape in %s '%s'", s->src, what, field);
	return v;
}

/* parse_data reads "[v,v,...]" into t's values; a malformed list is fatal. */
static void
parse_data(struct gp_graph *g, struct gp_tensor *t, const char *field)
{
	struct gp_stream *s = g->s;
	size_t n = strlen(field), i, k, start;
	char *e;

	if (strcmp(field, ".") == 0 || (!gp_dtype_isint(t->dtype) && !gp_dtype_isfloat(t->dtype)))
		return;
	if (n < 2 || field[0] != '[' || field[n - 1] != ']')
		gp_die("%s: tensor '%s': malformed data '%.40s'", s->src, t->name, field);
	t->nval = 0;
	if (n == 2)
		return;
	for (i = 1, k = 1; i < n - 1; i++)
		k += field[i] == ',';
	if (gp_dtype_isint(t->dtype))
		t->iv = gp_arena_alloc(&s->arena, k * sizeof *t->iv);
	else
		t->fv = gp_arena_alloc(&s->arena, k * sizeof *t->fv);
	for (i = 0, start = 1; i < k; i++) {
		char tmp[64];
		size_t len = strcspn(field + start, ",]");

		if (len == 0 || len >= sizeof tmp)
			gp_die("%s: tensor '%s': malformed data", s->src, t->name);
		memcpy(tmp, field + start, len);
		tmp[len] = '\0';
		errno = 0;
		if (t->iv) {
			t->iv[i].sym = NULL;
			t->iv[i].known = 1;
			if (t->dtype == 13)
				t->iv[i].v = (int64_t)strtoull(tmp, &e, 10);
			else
				t->iv[i].v = strtoll(tmp, &e, 10);
		} else {
			t->fv[i] = strtod(tmp, &e);
		}
		if (*e || errno == EINVAL)
			gp_die("%s: tensor '%s': malformed data value '%s'", s->src, t->name, tmp);
		start += len + 1;
	}
	t->nval = (int)k;
}

/* findn: the tensor called name[0..n) (decoded) seen from graph gid; -1 */
static int
findn(const struct gp_graph *g, int gid, const char *name, size_t n)
{
	int64_t *p = gp_map_getn(&g->byname, name, n);
	int t;

	for (; p && gid >= 0 && gid < g->ngraph; gid = g->gparent[gid])
		for (t = (int)*p; t >= 0; t = g->tsame[t])
			if (g->t[t].graph == gid)
				return t;
	return -1;
}

int
gp_graph_find(const struct gp_graph *g, int gid, const char *name)
{
	return findn(g, gid, name, strlen(name));
}

/* hinted: the tensor called it[0..n) in graph gid if it is the one found
 * last or the one after it, with a name no other tensor has (as findn would
 * find it: records list tensors mostly in the order nodes make and read
 * them, so this spares most lookups in the map); else -1 */
static int
hinted(struct gp_graph *g, int gid, const char *it, size_t n)
{
	int t, k;

	for (k = 0; k < 2; k++) {
		t = g->hint + k;
		if (t >= 0 && (size_t)t < g->ntensor && !g->tdup[t] && g->t[t].graph == gid &&
		    strncmp(g->t[t].name, it, n) == 0 && g->t[t].name[n] == '\0')
			return t;
	}
	return -1;
}

int
gp_graph_item(struct gp_graph *g, int gid, const char *it, size_t n)
{
	const char *v;
	int t;

	if (!memchr(it, '%', n)) {
		if ((t = hinted(g, gid, it, n)) < 0)
			t = findn(g, gid, it, n);
	} else {
		if (!(v = gp_unesc(&g->s->arena, it, n)))
			return -2;
		t = gp_graph_find(g, gid, v);
	}
	if (t >= 0)
		g->hint = t;
	return t;
}

/* the tensor a list item it[0..n) (escaped) names, from graph gid; -1 */
static int
find_item(struct gp_graph *g, int gid, const char *it, size_t n, const char *what)
{
	int t = gp_graph_item(g, gid, it, n);

	if (t == -2)
		gp_die("%s: bad escape in %s '%.*s'", g->s->src, what, (int)n, it);
	return t;
}

static int
graph_id(struct gp_stream *s, const char *field, int ngraph)
{
	int64_t v;

	if (field[0] >= '0' && field[0] <= '9' && !field[1] && field[0] - '0' < ngraph)
		return field[0] - '0';          /* the common case, without strtoll */
	if (gp_parse_i64(field, &v) < 0 || v < 0 || v >= ngraph)
		gp_die("%s: graph id '%s' names no graph record", s->src, field);
	return (int)v;
}

void
gp_graph_build(struct gp_graph *g, struct gp_stream *s)
{
	struct gp_table *gt = gp_table_get(s, "graph");
	int c_name, c_dtype, c_shape, c_kind, c_data, c_graph, c_op, c_dom, c_in, c_out, c_attrs;
	int c_gid, k;
	size_t r;
	const char *h;

	memset(g, 0, sizeof *g);
	g->s = s;
	g->tensor_table = gp_table_get(s, "tensor");
	g->node_table = gp_table_get(s, "node");
	if (!gt || !g->tensor_table || !g->node_table)
		gp_die("%s: no graph, tensor or node records: not a model stream (made by gp-load?)", s->src);
	/* graphs: ids 0..n-1 in order, a subgraph's parent graph is its node's graph */
	g->ngraph = (int)gt->nrow;
	g->gparent = gp_xcalloc(gt->nrow + 1, sizeof *g->gparent);
	c_gid = gp_table_need(s, gt, "id");
	for (r = 0; r < gt->nrow; r++) {
		if (graph_id(s, gp_val(gt, c_gid, r), g->ngraph) != (int)r)
			gp_die("%s: graph records are not numbered 0, 1, ... in order", s->src);
		g->gparent[r] = -1;
	}
	/* the default opset */
	g->opset = 0;
	for (k = 0; k < s->nhdr; k++) {
		h = s->hdr[k].val;
		if (strcmp(s->hdr[k].key, "opset") == 0 && strncmp(h, "ai.onnx\t", 8) == 0)
			g->opset = atoi(h + 8);
	}
	c_name = gp_table_need(s, g->tensor_table, "name");
	c_dtype = gp_table_need(s, g->tensor_table, "dtype");
	c_shape = gp_table_need(s, g->tensor_table, "shape");
	c_kind = gp_table_need(s, g->tensor_table, "kind");
	c_data = gp_table_need(s, g->tensor_table, "data");
	c_graph = gp_table_need(s, g->tensor_table, "graph");
	g->ntensor = g->tensor_table->nrow;
	g->t = gp_xcalloc(g->ntensor + 1, sizeof *g->t);
	g->tsame = gp_xcalloc(g->ntensor + 1, sizeof *g->tsame);
	g->tdup = gp_xcalloc(g->ntensor + 1, 1);
	g->hint = -1;
	gp_map_reserve(&g->byname, g->ntensor);
	for (r = 0; r < g->ntensor; r++) {
		struct gp_tensor *t = &g->t[r];
		const char *dt = gp_val(g->tensor_table, c_dtype, r);

		/* the slot a later tensor goes to, fetched while this one is read */
		if (r + 16 < g->ntensor)
			gp_map_prefetch(&g->byname, gp_val(g->tensor_table, c_name, r + 16));

		t->row = r;
		t->name = dec(s, gp_val(g->tensor_table, c_name, r), "tensor name");
		t->graph = graph_id(s, gp_val(g->tensor_table, c_graph, r), g->ngraph);
		t->dtype = gp_trec_dtype(s, t->name, dt);
		if (gp_shape_parse(&s->arena, gp_val(g->tensor_table, c_shape, r), &t->shape) < 0)
			gp_die("%s: tensor '%s': malformed shape '%s'", s->src, t->name,
			    gp_val(g->tensor_table, c_shape, r));
		t->kind = gp_trec_kind(gp_val(g->tensor_table, c_kind, r));
		t->producer = -1;
		t->nval = -1;
		parse_data(g, t, gp_val(g->tensor_table, c_data, r));
		/* one entry per name, the tensors of that name in other graphs chained */
		g->tsame[r] = -1;
		if (!gp_map_put(&g->byname, t->name, (int64_t)r)) {
			int64_t *p = gp_map_get(&g->byname, t->name);
			int o;

			for (o = (int)*p; o >= 0; o = g->tsame[o])
				if (g->t[o].graph == t->graph)
					gp_die("%s: tensor '%s' appears twice in graph %d", s->src, t->name,
					    t->graph);
			g->tdup[r] = g->tdup[*p] = 1;
			g->tsame[r] = (int)*p;
			*p = (int64_t)r;
		}
	}
	c_name = gp_table_need(s, g->node_table, "name");
	c_op = gp_table_need(s, g->node_table, "op");
	c_dom = gp_table_need(s, g->node_table, "domain");
	c_in = gp_table_need(s, g->node_table, "inputs");
	c_out = gp_table_need(s, g->node_table, "outputs");
	c_attrs = gp_table_need(s, g->node_table, "attrs");
	c_graph = gp_table_need(s, g->node_table, "graph");
	g->nn = g->node_table->nrow;
	g->n = gp_xcalloc(g->nn + 1, sizeof *g->n);
	/* the node that holds each subgraph, and so its enclosing graph: the
	 * parents are few, so the nodes are matched against them */
	g->gholder = gp_xcalloc((size_t)g->ngraph + 1, sizeof *g->gholder);
	{
		int c_gname = gp_table_need(s, gt, "parent");
		struct gp_map *par = &g->scratch;
		int *gnext = gp_arena_alloc(&s->arena, ((size_t)g->ngraph + 1) * sizeof *gnext);
		int64_t *p;
		int j;

		for (r = 0; r < gt->nrow; r++) {
			g->gholder[r] = gnext[r] = -1;
			if (strcmp(gp_val(gt, c_gname, r), ".") && !gp_map_put(par, gp_val(gt, c_gname, r), (int64_t)r)) {
				p = gp_map_get(par, gp_val(gt, c_gname, r));
				gnext[r] = (int)*p;     /* If: then_branch and else_branch */
				*p = (int64_t)r;
			}
		}
		for (r = 0; par->n && r < g->nn; r++)
			if ((p = gp_map_get(par, gp_val(g->node_table, c_name, r))))
				for (j = (int)*p; j >= 0; j = gnext[j])
					if (g->gholder[j] < 0)
						g->gholder[j] = (int)r;   /* the first node of that name */
		for (r = 0; r < gt->nrow; r++) {
			if (strcmp(gp_val(gt, c_gname, r), ".") == 0)
				continue;
			if (g->gholder[r] < 0)
				gp_die("%s: graph %zu: parent node '%s' does not exist", s->src, r,
				    gp_val(gt, c_gname, r));
			g->gparent[r] = graph_id(s, gp_val(g->node_table, c_graph, (size_t)g->gholder[r]), g->ngraph);
			if (g->gparent[r] >= (int)r)
				gp_die("%s: graph %zu is held by a node of a later graph", s->src, r);
		}
		gp_map_release(par);
	}
	/* every node's input and output lists, in one array */
	{
		size_t tot = 1, at = 0, a, e;
		int *pool;

		for (r = 0; r < g->nn; r++)
			for (k = 0; k < 2; k++) {
				const char *f = gp_val(g->node_table, k ? c_out : c_in, r);

				if (strcmp(f, ".") != 0)
					for (tot++; *f; f++)
						tot += *f == ',';
			}
		pool = gp_arena_alloc(&s->arena, tot * sizeof *pool);
		for (r = 0; r < g->nn; r++) {
			struct gp_node *n = &g->n[r];

			n->row = r;
			n->name = dec(s, gp_val(g->node_table, c_name, r), "node name");
			n->op = dec(s, gp_val(g->node_table, c_op, r), "op");
			n->domain = dec(s, gp_val(g->node_table, c_dom, r), "domain");
			n->attrs = gp_val(g->node_table, c_attrs, r);
			n->graph = graph_id(s, gp_val(g->node_table, c_graph, r), g->ngraph);
			for (k = 0; k < 2; k++) {
				const char *f = gp_val(g->node_table, k ? c_out : c_in, r);
				int cnt = 0;

				if (k)
					n->out = pool + at;
				else
					n->in = pool + at;
				for (a = 0; strcmp(f, ".") != 0; a = e + 1) {
					int ti;

					e = a + strcspn(f + a, ",");
					ti = e > a ? find_item(g, n->graph, f + a, e - a, "node list") : -1;
					if (e > a && ti < 0)
						gp_die("%s: node '%s': %s '%s' has no tensor record", s->src, n->name,
						    k ? "output" : "input", dec(s, gp_arena_strndup(&s->arena, f + a,
						    e - a), "node list"));
					pool[at + (size_t)cnt++] = ti;
					if (k && ti >= 0) {
						if (g->t[ti].producer >= 0)
							gp_die("%s: tensor '%s' is the output of two nodes", s->src,
							    g->t[ti].name);
						g->t[ti].producer = (int)r;
					}
					if (!f[e])
						break;
				}
				at += (size_t)cnt;
				if (k)
					n->nout = cnt;
				else
					n->nin = cnt;
			}
		}
	}
	/* records must be in topological order: every input made before it is read */
	for (r = 0; r < g->nn; r++)
		for (k = 0; k < g->n[r].nin; k++) {
			int ti = g->n[r].in[k];

			if (ti >= 0 && g->t[ti].producer >= (int)r)
				gp_die("%s: node '%s' reads '%s' before node '%s' makes it (not in "
				    "topological order, or a cycle)", s->src, g->n[r].name, g->t[ti].name,
				    g->n[g->t[ti].producer].name);
		}
	/* each graph's outputs, in order */
	g->gout = gp_xcalloc((size_t)g->ngraph + 1, sizeof *g->gout);
	g->ngout = gp_xcalloc((size_t)g->ngraph + 1, sizeof *g->ngout);
	c_out = gp_table_need(s, gt, "outputs");
	for (r = 0; r < gt->nrow; r++) {
		char **v;
		int cnt = gp_split_list(&s->arena, gp_val(gt, c_out, r), &v);

		if (cnt < 0)
			gp_die("%s: graph %zu: malformed outputs '%s'", s->src, r, gp_val(gt, c_out, r));
		g->gout[r] = gp_arena_alloc(&s->arena, (size_t)(cnt + 1) * sizeof **g->gout);
		for (k = 0; k < cnt; k++)
			g->gout[r][k] = gp_graph_find(g, (int)r, v[k]);
		g->ngout[r] = cnt;
	}
}

void
gp_graph_release(struct gp_graph *g)
{
	free(g->t);
	free(g->n);
	free(g->gparent);
	free(g->gout);
	free(g->gholder);
	free(g->ngout);
	free(g->tsame);
	free(g->tdup);
	gp_map_release(&g->byname);
	gp_map_release(&g->scratch);
	memset(g, 0, sizeof *g);
}

void
gp_graph_store(struct gp_graph *g)
{
	struct gp_stream *s = g->s;
	int c_dtype = gp_table_col(g->tensor_table, "dtype");
	int c_shape = gp_table_col(g->tensor_table, "shape");
	int c_bytes = gp_table_addcol(s, g->tensor_table, "bytes");
	int c_data = gp_table_col(g->tensor_table, "data");
	struct gp_buf b = {0};
	size_t i;
	int k;

	for (i = 0; i < g->ntensor; i++) {
		struct gp_tensor *t = &g->t[i];
		int64_t bytes;

		if (!t->dirty)
			continue;
		if (gp_dtype_name(t->dtype) && t->dtype > 0)
			gp_table_set(s, g->tensor_table, c_dtype, t->row, gp_dtype_name(t->dtype));
		gp_buf_reset(&b);
		gp_shape_fmt(&b, &t->shape);
		gp_table_set(s, g->tensor_table, c_shape, t->row, b.buf);
		bytes = gp_tensor_bytes(t->dtype, gp_shape_numel(&t->shape));
		gp_table_set_count(s, g->tensor_table, c_bytes, t->row, bytes);
		if (t->nval >= 0 && t->nval <= 16 && t->iv && strcmp(gp_val(g->tensor_table, c_data, t->row), ".") == 0) {
			for (k = 0; k < t->nval && t->iv[k].known; k++)
				;
			if (k == t->nval) {
				gp_buf_reset(&b);
				gp_buf_addc(&b, '[');
				for (k = 0; k < t->nval; k++)
					gp_buf_printf(&b, "%s%lld", k ? "," : "", (long long)t->iv[k].v);
				gp_buf_addc(&b, ']');
				gp_table_set(s, g->tensor_table, c_data, t->row, b.buf);
			}
		}
	}
	gp_buf_release(&b);
}

/* ---- attributes ---- */

/* find returns the escaped value text of attribute key in n->attrs, with its
 * length, or NULL. */
static const char *
find(const struct gp_node *n, const char *k, size_t *len)
{
	const char *p = n->attrs, *e;
	size_t kl = strlen(k);

	if (strcmp(p, ".") == 0)
		return NULL;
	while (*p) {
		e = strchr(p, ';');
		if (!e)
			e = p + strlen(p);
		if ((size_t)(e - p) > kl && strncmp(p, k, kl) == 0 && p[kl] == '=') {
			*len = (size_t)(e - p) - kl - 1;
			return p + kl + 1;
		}
		p = *e ? e + 1 : e;
	}
	return NULL;
}

const char *
gp_attr_raw(struct gp_arena *a, const struct gp_node *n, const char *k)
{
	size_t len;
	const char *v = find(n, k, &len);

	return v ? gp_arena_strndup(a, v, len) : NULL;
}

int
gp_attr_int(const struct gp_node *n, const char *k, int64_t *v)
{
	char tmp[32];
	size_t len;
	const char *p = find(n, k, &len);

	if (!p || len == 0 || len >= sizeof tmp)
		return -1;
	memcpy(tmp, p, len);
	tmp[len] = '\0';
	return gp_parse_i64(tmp, v);
}

int
gp_attr_float(const struct gp_node *n, const char *k, double *v)
{
	char tmp[64], *e;
	size_t len;
	const char *p = find(n, k, &len);

	if (!p || len == 0 || len >= sizeof tmp)
		return -1;
	memcpy(tmp, p, len);
	tmp[len] = '\0';
	*v = strtod(tmp, &e);
	return *e ? -1 : 0;
}

int
gp_attr_str(struct gp_arena *a, const struct gp_node *n, const char *k, const char **v)
{
	size_t len;
	const char *p = find(n, k, &len);

	if (!p || len < 2 || p[0] != '"' || p[len - 1] != '"')
		return -1;
	*v = gp_unesc(a, p + 1, len - 2);
	return *v ? 0 : -1;
}

/* list: attribute k of node n, a "[a,b,...]" list, as integers into *iv or
 * as floats into *fv (arena memory of a): the count, or -1 if it is absent
 * or a value is malformed */
static int
list(struct gp_arena *a, const struct gp_node *n, const char *k, int64_t **iv, double **fv)
{
	size_t len, i, cnt = 1, start;
	const char *p = find(n, k, &len);
	char tmp[64], *e;

	if (!p || len < 2 || p[0] != '[' || p[len - 1] != ']')
		return -1;
	if (len == 2) {
		if (iv)
			*iv = NULL;
		else
			*fv = NULL;
		return 0;
	}
	for (i = 1; i < len - 1; i++)
		cnt += p[i] == ',';
	if (iv)
		*iv = gp_arena_alloc(a, cnt * sizeof **iv);
	else
		*fv = gp_arena_alloc(a, cnt * sizeof **fv);
	for (i = 0, start = 1; i < cnt; i++) {
		size_t l = 0;

		while (start + l < len - 1 && p[start + l] != ',')
			l++;
		if (l == 0 || l >= sizeof tmp)
			return -1;
		memcpy(tmp, p + start, l);
		tmp[l] = '\0';
		if (iv) {
			if (gp_parse_i64(tmp, &(*iv)[i]) < 0)
				return -1;
		} else {
			(*fv)[i] = strtod(tmp, &e);
			if (*e)
				return -1;
		}
		start += l + 1;
	}
	return (int)cnt;
}

int
gp_attr_ints(struct gp_arena *a, const struct gp_node *n, const char *k, int64_t **v)
{
	return list(a, n, k, v, NULL);
}

int
gp_attr_floats(struct gp_arena *a, const struct gp_node *n, const char *k, double **v)
{
	return list(a, n, k, NULL, v);
}

/* gp_node_graph: the id of the graph that node n's attribute key (then_branch,
 * else_branch, body) names, if n is the node that holds it; else -1. A body
 * can only be held by one node, so following it never loops. */
int
gp_node_graph(struct gp_graph *g, const struct gp_node *n, const char *key)
{
	const char *v = gp_attr_raw(&g->s->arena, n, key);
	int64_t id;

	if (!v || strncmp(v, "G:", 2) != 0 || gp_parse_i64(v + 2, &id) < 0 || id <= 0 || id >= g->ngraph ||
	    g->gholder[id] != (int)(n - g->n))
		return -1;
	return (int)id;
}

/* Input or output i of node n, or NULL if n has none there (an absent optional one). */
struct gp_tensor *
gp_node_in(const struct gp_graph *g, const struct gp_node *n, int i)
{
	return i >= 0 && i < n->nin && n->in[i] >= 0 ? &g->t[n->in[i]] : NULL;
}

struct gp_tensor *
gp_node_out(const struct gp_graph *g, const struct gp_node *n, int i)
{
	return i >= 0 && i < n->nout && n->out[i] >= 0 ? &g->t[n->out[i]] : NULL;
}

int
gp_graph_dynamic(const struct gp_graph *g)
{
	size_t i;
	int j;

	for (i = 0; i < g->ntensor; i++) {
		const struct gp_tensor *t = &g->t[i];

		if (t->graph != 0 || t->kind != GP_K_INPUT)
			continue;
		if (t->shape.rank < 0)
			return 1;
		for (j = 0; j < t->shape.rank; j++)
			if (t->shape.d[j].v < 0)
				return 1;
	}
	return 0;
}

int64_t
gp_graph_batch(const struct gp_graph *g)
{
	size_t i;

	for (i = 0; i < g->ntensor; i++) {
		const struct gp_tensor *t = &g->t[i];

		if (t->graph == 0 && t->kind == GP_K_INPUT && t->shape.rank >= 1)
			return t->shape.d[0].v >= 0 ? t->shape.d[0].v : -1;
	}
	return -1;
}
