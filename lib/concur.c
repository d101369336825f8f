/* concur.c - what can run at once: levels, width, the critical path, peak memory
 *
 * All on the DAG of subgraph records (dag.c), whose record order is a
 * topological order. Every function is linear or near it in the size of the
 * DAG, except the exact memory-aware order, which is bounded by a state limit.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"

int
gp_dag_stages(const struct gp_dag *d, int *stage)
{
	int v, k, most = 0;

	for (v = 0; v < d->n; v++) {
		stage[v] = 1;
		for (k = d->p0[v]; k < d->p0[v + 1]; k++)
			if (stage[d->p[k]] + 1 > stage[v])
				stage[v] = stage[d->p[k]] + 1;
		if (stage[v] > most)
			most = stage[v];
	}
	return most;
}

/* the widest ASAP stage */
int
gp_dag_widest(const struct gp_dag *d)
{
	int *stage = gp_xcalloc((size_t)d->n + 1, sizeof *stage), *width, ns, v, w = 0;

	ns = gp_dag_stages(d, stage);
	width = gp_xcalloc((size_t)ns + 1, sizeof *width);
	for (v = 0; v < d->n; v++)
		if (++width[stage[v]] > w)
			w = width[stage[v]];
	free(stage);
	free(width);
	return w;
}

/* ---- the largest antichain: Dilworth's theorem as a minimum flow ----
 *
 * The most subgraphs that can run at once is the largest set of which none
 * depends on another, a maximum antichain. By Dilworth it equals the fewest
 * paths, which may share subgraphs, that cover every subgraph: the minimum
 * flow through a network where every subgraph is an arc in(v) -> out(v) that
 * must carry at least 1, and every dependency u -> v an arc out(u) -> in(v).
 * Start from a greedy cover (k0 paths), then cancel as much flow as a maximum
 * flow from the sink back to the source can (Dinic): width = k0 - that flow.
 */
/* capacities fit 32 bits: what an arc can take back is at most the flow
 * through it, at most n <= 1,000,000 paths; "always more" is 2^30 */
#define FLOW_INF ((int32_t)1 << 30)

struct net {
	int nv, na;
	int *head, *next, *to;
	int32_t *cap;
	int *level, *it, *queue, *stack;
};

static void
arc(struct net *N, int a, int b, int32_t fwd, int32_t back)
{
	int e = N->na;

	N->to[e] = b;
	N->cap[e] = fwd;
	N->next[e] = N->head[a];
	N->head[a] = e;
	N->to[e + 1] = a;
	N->cap[e + 1] = back;
	N->next[e + 1] = N->head[b];
	N->head[b] = e + 1;
	N->na += 2;
}

/* arc pair for an original arc a -> b carrying f with lower bound lo: in the
 * residual network of the sink-to-source flow, a -> b can always take more
 * (FLOW_INF) and b -> a can take back what is above the bound */
static void
flowarc(struct net *N, int a, int b, int32_t f, int32_t lo)
{
	arc(N, a, b, FLOW_INF, f - lo);
}

static int
bfs(struct net *N, int src, int snk)
{
	int h = 0, t = 0, u, e;

	for (u = 0; u < N->nv; u++)
		N->level[u] = -1;
	N->level[src] = 0;
	N->queue[t++] = src;
	while (h < t) {
		u = N->queue[h++];
		for (e = N->head[u]; e >= 0; e = N->next[e])
			if (N->cap[e] > 0 && N->level[N->to[e]] < 0) {
				N->level[N->to[e]] = N->level[u] + 1;
				N->queue[t++] = N->to[e];
			}
	}
	return N->level[snk] >= 0;
}

/* one blocking flow of the level graph, found path by path without recursion */
static int64_t
block(struct net *N, int src, int snk)
{
	int64_t total = 0;
	int depth = 0, u = src, e, k;

	for (u = 0; u < N->nv; u++)
		N->it[u] = N->head[u];
	u = src;
	for (;;) {
		if (u == snk) {
			int32_t b = FLOW_INF;
			int cut = 0;

			for (k = 0; k < depth; k++)
				if (N->cap[N->stack[k]] < b)
					b = N->cap[N->stack[k]];
			for (k = depth - 1; k >= 0; k--) {
				N->cap[N->stack[k]] -= b;
				N->cap[N->stack[k] ^ 1] += b;
				if (N->cap[N->stack[k]] == 0)
					cut = k;
			}
			total += b;
			/* go back to the tail of the first saturated arc */
			depth = cut;
			u = depth ? N->to[N->stack[depth - 1]] : src;
			continue;
		}
		for (e = N->it[u]; e >= 0; e = N->next[e])
			if (N->cap[e] > 0 && N->level[N->to[e]] == N->level[u] + 1)
				break;
		N->it[u] = e;
		if (e >= 0) {
			N->stack[depth++] = e;
			u = N->to[e];
			continue;
		}
		/* a dead end: never come here again in this phase */
		N->level[u] = -1;
		if (!depth)
			break;
		depth--;
		u = depth ? N->to[N->stack[depth - 1]] : src;
	}
	return total;
}

int
gp_dag_width(const struct gp_dag *d)
{
	struct net N;
	int n = d->n, v, k, chains = 0;
	int S = 2 * n, T = 2 * n + 1;
	char *open;
	int *pred;
	int64_t cancel = 0;
	size_t narc;

	if (n == 0)
		return 0;
	/* the greedy cover: in topological order, continue the path of a
	 * predecessor that no one has continued yet, else start a new one */
	open = gp_xcalloc((size_t)n, 1);
	pred = gp_xcalloc((size_t)n, sizeof *pred);
	for (v = 0; v < n; v++) {
		pred[v] = -1;
		for (k = d->p0[v]; k < d->p0[v + 1]; k++)
			if (open[d->p[k]]) {
				pred[v] = d->p[k];
				open[d->p[k]] = 0;
				break;
			}
		open[v] = 1;
		chains += pred[v] < 0;
	}
	/* a stage is an antichain: when one is as wide as the cover has paths,
	 * that is the width, and no flow is needed (a chain, most CNNs) */
	if (gp_dag_widest(d) == chains) {
		free(open);
		free(pred);
		return chains;
	}
	memset(&N, 0, sizeof N);
	N.nv = 2 * n + 2;
	narc = 2 * (3 * (size_t)n + (size_t)d->p0[n]);
	N.head = gp_xcalloc((size_t)N.nv, sizeof *N.head);
	N.level = gp_xcalloc((size_t)N.nv, sizeof *N.level);
	N.it = gp_xcalloc((size_t)N.nv, sizeof *N.it);
	N.queue = gp_xcalloc((size_t)N.nv, sizeof *N.queue);
	N.stack = gp_xcalloc((size_t)N.nv, sizeof *N.stack);
	N.next = gp_xcalloc(narc, sizeof *N.next);
	N.to = gp_xcalloc(narc, sizeof *N.to);
	N.cap = gp_xcalloc(narc, sizeof *N.cap);
	for (v = 0; v < N.nv; v++)
		N.head[v] = -1;

	/* node in(v) is 2v, out(v) is 2v+1 */
	for (v = 0; v < n; v++) {
		flowarc(&N, S, 2 * v, pred[v] < 0, 0);
		flowarc(&N, 2 * v, 2 * v + 1, 1, 1);
		flowarc(&N, 2 * v + 1, T, open[v], 0);
		for (k = d->p0[v]; k < d->p0[v + 1]; k++)
			flowarc(&N, 2 * d->p[k] + 1, 2 * v, pred[v] == d->p[k], 0);
	}
	while (bfs(&N, T, S))
		cancel += block(&N, T, S);
	free(open);
	free(pred);
	free(N.head);
	free(N.level);
	free(N.it);
	free(N.queue);
	free(N.stack);
	free(N.next);
	free(N.to);
	free(N.cap);
	return chains - (int)cancel;
}

/* is (a, a2) heavier than (b, b2)? */
static int
heavier(double a, double a2, double b, double b2)
{
	return a > b || (a == b && a2 > b2);
}

int
gp_dag_path(const struct gp_dag *d, const double *w, const double *w2, char *on)
{
	double *dist = gp_xcalloc((size_t)d->n + 1, sizeof *dist);
	double *dist2 = gp_xcalloc((size_t)d->n + 1, sizeof *dist2);
	int *via = gp_xcalloc((size_t)d->n + 1, sizeof *via);
	int v, k, end = -1, len = 0;

	/* predecessors ascend, so the first of equals (the lowest id) is kept */
	for (v = 0; v < d->n; v++) {
		int b = -1;

		for (k = d->p0[v]; k < d->p0[v + 1]; k++) {
			int u = d->p[k];

			if (b < 0 || heavier(dist[u], dist2[u], dist[b], dist2[b]))
				b = u;
		}
		via[v] = b;
		dist[v] = w[v] + (b >= 0 ? dist[b] : 0);
		dist2[v] = w2[v] + (b >= 0 ? dist2[b] : 0);
		if (end < 0 || heavier(dist[v], dist2[v], dist[end], dist2[end]))
			end = v;
		on[v] = 0;
	}
	for (v = end; v >= 0; v = via[v]) {
		on[v] = 1;
		len++;
	}
	free(dist);
	free(dist2);
	free(via);
	return len;
}

/* ---- peak memory ---- */

/* bytes of v's outputs; -1 unknown */
static int64_t
outbytes(const struct gp_dag *d, int v)
{
	int64_t s = 0;
	int k;

	for (k = d->o0[v]; k < d->o0[v + 1] && s >= 0; k++)
		s = gp_count_add(s, d->tbytes[d->out[k]]);
	return s;
}

/* activation bytes live before anything runs: the tensors no subgraph writes */
static int64_t
initial(const struct gp_dag *d)
{
	int64_t s = 0;
	int t;

	for (t = 0; t < d->nt && s >= 0; t++)
		if (d->tprod[t] < 0)
			s = gp_count_add(s, d->tbytes[t]);
	return s;
}

/* bytes freed once v has run, given left[t]: readers of t yet to run (v included) */
static int64_t
freed(const struct gp_dag *d, int v, const int *left)
{
	int64_t s = 0;
	int k, t;

	for (k = d->i0[v]; k < d->i0[v + 1]; k++) {
		t = d->in[k];
		if (left[t] == 1 && !d->tkeep[t])
			s += d->tbytes[t];
	}
	for (k = d->o0[v]; k < d->o0[v + 1]; k++) {
		t = d->out[k];
		if (d->c0[t + 1] == d->c0[t] && !d->tkeep[t])
			s += d->tbytes[t];      /* written, never read */
	}
	return s;
}

static int *
readers(const struct gp_dag *d)
{
	int *left = gp_xcalloc((size_t)d->nt + 1, sizeof *left);
	int t;

	for (t = 0; t < d->nt; t++)
		left[t] = d->c0[t + 1] - d->c0[t];
	return left;
}

static void
ran(const struct gp_dag *d, int v, int *left)
{
	int k;

	for (k = d->i0[v]; k < d->i0[v + 1]; k++)
		left[d->in[k]]--;
}

int64_t
gp_dag_peak(const struct gp_dag *d, const int *order, int64_t *live, int *at)
{
	int64_t cur = initial(d), peak, step, ob;
	int *left, k, v;

	*at = -1;
	if (cur < 0)
		return -1;
	for (k = 0; k < d->nt; k++)
		if (d->tbytes[k] < 0)
			return -1;
	left = readers(d);
	peak = cur;
	for (k = 0; k < d->n; k++) {
		v = order[k];
		ob = outbytes(d, v);
		if (ob < 0 || __builtin_add_overflow(cur, ob, &step)) {
			free(left);
			return -1;
		}
		if (live)
			live[v] = step;
		/* the first step is never below what was live before it */
		if (*at < 0 || step > peak) {
			peak = step;
			*at = v;
		}
		cur = step - freed(d, v, left);
		ran(d, v, left);
	}
	free(left);
	return peak;
}

/* A binary min-heap of ready subgraphs, by (growth, outputs, id). */
struct rq {
	int64_t dd, o;              /* what running it adds to what is live; its outputs */
	int v;
};

static int
rq_less(const struct rq *a, const struct rq *b)
{
	return a->dd != b->dd ? a->dd < b->dd : a->o != b->o ? a->o < b->o : a->v < b->v;
}

static void
rq_push(struct rq *h, int *n, struct rq e)
{
	int i = (*n)++;

	for (; i > 0 && rq_less(&e, &h[(i - 1) / 2]); i = (i - 1) / 2)
		h[i] = h[(i - 1) / 2];
	h[i] = e;
}

static struct rq
rq_pop(struct rq *h, int *n)
{
	struct rq top = h[0], e = h[--*n];
	int i = 0, c;

	for (; (c = 2 * i + 1) < *n; i = c) {
		if (c + 1 < *n && rq_less(&h[c + 1], &h[c]))
			c++;
		if (!rq_less(&h[c], &e))
			break;
		h[i] = h[c];
	}
	h[i] = e;
	return top;
}

/* a greedy memory-aware order: of the subgraphs that are ready, run the one
 * that adds least to what is live (outputs less what it frees), then the one
 * with the lowest peak while it runs, then the lowest id. A ready subgraph's
 * growth only falls, when another reader of one of its inputs runs and leaves
 * it the last: it is pushed again then, and the stale entry skipped, so a
 * step costs O(log n), not a pass over every ready subgraph. */
static void
greedy(const struct gp_dag *d, int *order)
{
	int *left = readers(d), *npred = gp_xcalloc((size_t)d->n + 1, sizeof *npred);
	char *done = gp_xcalloc((size_t)d->n + 1, 1), *isready = gp_xcalloc((size_t)d->n + 1, 1);
	/* each subgraph is pushed once when ready and at most once per input after */
	struct rq *h = gp_xcalloc((size_t)d->n + (size_t)d->i0[d->n] + 1, sizeof *h), e;
	int nh = 0, k = 0, j, c, v, w, t;

	for (v = 0; v < d->n; v++) {
		if (!(npred[v] = d->p0[v + 1] - d->p0[v])) {
			e.o = outbytes(d, v);
			e.dd = e.o - freed(d, v, left);
			e.v = v;
			isready[v] = 1;
			rq_push(h, &nh, e);
		}
	}
	while (k < d->n) {
		e = rq_pop(h, &nh);
		v = e.v;
		if (done[v] || e.dd != e.o - freed(d, v, left))
			continue;       /* run already, or pushed again since with less growth */
		done[v] = 1;
		order[k++] = v;
		ran(d, v, left);
		/* an input now read by one subgraph more: running that one frees it */
		for (j = d->i0[v]; j < d->i0[v + 1]; j++) {
			t = d->in[j];
			if (left[t] != 1)
				continue;
			for (c = d->c0[t]; c < d->c0[t + 1] && done[d->cons[c]]; c++)
				;
			if (c < d->c0[t + 1] && isready[w = d->cons[c]]) {
				e.o = outbytes(d, w);
				e.dd = e.o - freed(d, w, left);
				e.v = w;
				rq_push(h, &nh, e);
			}
		}
		for (j = d->s0[v]; j < d->s0[v + 1]; j++) {
			if (--npred[w = d->s[j]] == 0) {
				e.o = outbytes(d, w);
				e.dd = e.o - freed(d, w, left);
				e.v = w;
				isready[w] = 1;
				rq_push(h, &nh, e);
			}
		}
	}
	free(left);
	free(npred);
	free(done);
	free(isready);
	free(h);
}

/* ---- the exact lowest-peak order: dynamic programming over the sets of
 * subgraphs that can have run (the down-sets of the DAG), one layer per
 * count. The live bytes after a set has run depend on the set alone, so
 * best(S + v) = min over ready v of max(best(S), live(S) + outputs(v)). */
struct state {
	int64_t live, best;
	int prev, last;             /* the state it came from, and the subgraph run last */
	int ready, nready;          /* its ready subgraphs: pool[ready .. ready+nready) */
};

struct dp {
	const struct gp_dag *d;
	size_t words, nst, cap, max;
	uint64_t *bits;             /* words per state */
	struct state *st;
	int *pool;
	size_t npool, cappool;
	int *slot;                  /* open-addressing table of state indices, -1 empty */
	size_t nslot;
};

static uint64_t
hashbits(const uint64_t *b, size_t w)
{
	uint64_t h = 1469598103934665603u;
	size_t i;

	for (i = 0; i < w; i++) {
		h ^= b[i];
		h *= 1099511628211u;
		h ^= h >> 29;
	}
	return h;
}

static void
rehash(struct dp *D)
{
	size_t i, j;

	free(D->slot);
	D->nslot = D->nslot ? 2 * D->nslot : 1024;
	D->slot = gp_xcalloc(D->nslot, sizeof *D->slot);
	for (i = 0; i < D->nslot; i++)
		D->slot[i] = -1;
	for (i = 0; i < D->nst; i++) {
		j = hashbits(D->bits + i * D->words, D->words) & (D->nslot - 1);
		while (D->slot[j] >= 0)
			j = (j + 1) & (D->nslot - 1);
		D->slot[j] = (int)i;
	}
}

/* the state with bits b: its index, or a new one (-2 when past the limit) */
static int
lookup(struct dp *D, const uint64_t *b, int *isnew)
{
	size_t j;

	*isnew = 0;
	if (2 * (D->nst + 1) > D->nslot)
		rehash(D);
	j = hashbits(b, D->words) & (D->nslot - 1);
	for (; D->slot[j] >= 0; j = (j + 1) & (D->nslot - 1))
		if (!memcmp(D->bits + (size_t)D->slot[j] * D->words, b, D->words * 8))
			return D->slot[j];
	if (D->nst >= D->max)
		return -2;
	if (D->nst == D->cap) {
		D->cap = D->cap ? 2 * D->cap : 1024;
		D->bits = gp_xreallocarray(D->bits, D->cap, D->words * 8);
		D->st = gp_xreallocarray(D->st, D->cap, sizeof *D->st);
	}
	memcpy(D->bits + D->nst * D->words, b, D->words * 8);
	D->slot[j] = (int)D->nst;
	*isnew = 1;
	return (int)D->nst++;
}

static void
pool_add(struct dp *D, int v)
{
	if (D->npool == D->cappool) {
		D->cappool = D->cappool ? 2 * D->cappool : 1024;
		D->pool = gp_xreallocarray(D->pool, D->cappool, sizeof *D->pool);
	}
	D->pool[D->npool++] = v;
}

#define EXACT_BYTES ((size_t)64 << 20)    /* memory the exact search may take */
#define HAS(b, v) ((b)[(v) >> 6] >> ((v) & 63) & 1)

/* 1 and order[] filled if the search finished within D->max states */
static int
exact(const struct gp_dag *d, int *order, size_t max)
{
	struct dp D;
	uint64_t *nb;
	size_t lo, hi, i;
	int v, k, j, ok = 1, isnew;

	memset(&D, 0, sizeof D);
	D.d = d;
	D.words = ((size_t)d->n + 63) / 64;
	/* at most max states, and at most EXACT_BYTES of them */
	/* half for the states and their hash slots, half for their ready lists */
	D.max = EXACT_BYTES / 2 / (D.words * 8 + sizeof(struct state) + 4 * sizeof(int));
	if (max < D.max)
		D.max = max;
	nb = gp_xcalloc(D.words + 1, 8);
	/* the empty set */
	lookup(&D, nb, &isnew);
	D.st[0].live = D.st[0].best = initial(d);
	D.st[0].prev = D.st[0].last = -1;
	D.st[0].ready = 0;
	for (v = 0; v < d->n; v++)
		if (d->p0[v + 1] == d->p0[v])
			pool_add(&D, v);
	D.st[0].nready = (int)D.npool;
	for (lo = 0, hi = 1; lo < hi && ok; lo = hi, hi = D.nst) {
		for (i = lo; i < hi && ok; i++) {
			for (j = 0; j < D.st[i].nready; j++) {
				struct state s = D.st[i];
				int64_t ob, fr = 0, step;
				int r;

				v = D.pool[s.ready + j];
				memcpy(nb, D.bits + i * D.words, D.words * 8);
				nb[v >> 6] |= (uint64_t)1 << (v & 63);
				ob = outbytes(d, v);
				for (k = d->i0[v]; k < d->i0[v + 1]; k++) {
					int t = d->in[k], c, all = 1;

					if (d->tkeep[t])
						continue;
					for (c = d->c0[t]; c < d->c0[t + 1] && all; c++)
						all = HAS(nb, d->cons[c]);
					if (all)
						fr += d->tbytes[d->in[k]];
				}
				for (k = d->o0[v]; k < d->o0[v + 1]; k++)
					if (d->c0[d->out[k] + 1] == d->c0[d->out[k]] && !d->tkeep[d->out[k]])
						fr += d->tbytes[d->out[k]];
				step = s.live + ob;
				r = lookup(&D, nb, &isnew);
				if (r == -2) {
					ok = 0;
					break;
				}
				if (isnew) {
					struct state *n = &D.st[r];
					int rs;

					n->live = step - fr;
					n->best = s.best > step ? s.best : step;
					n->prev = (int)i;
					n->last = v;
					n->ready = rs = (int)D.npool;
					for (k = 0; k < s.nready; k++)
						if (D.pool[s.ready + k] != v)
							pool_add(&D, D.pool[s.ready + k]);
					for (k = d->s0[v]; k < d->s0[v + 1]; k++) {
						int w = d->s[k], c, all = 1;

						for (c = d->p0[w]; c < d->p0[w + 1] && all; c++)
							all = HAS(nb, d->p[c]);
						if (all)
							pool_add(&D, w);
					}
					D.st[r].nready = (int)D.npool - rs;
					if (D.npool * sizeof *D.pool > EXACT_BYTES / 2) {
						ok = 0;
						break;
					}
				} else if ((s.best > step ? s.best : step) < D.st[r].best) {
					D.st[r].best = s.best > step ? s.best : step;
					D.st[r].prev = (int)i;
					D.st[r].last = v;
				}
			}
		}
	}
	if (ok) {
		/* the last state holds every subgraph */
		int at = (int)D.nst - 1;

		for (k = d->n - 1; k >= 0; k--) {
			order[k] = D.st[at].last;
			at = D.st[at].prev;
		}
	}
	free(nb);
	free(D.bits);
	free(D.st);
	free(D.pool);
	free(D.slot);
	return ok;
}

int
gp_dag_best_order(const struct gp_dag *d, int *order, size_t max_states)
{
	int *topo, v, at;
	int64_t a, b;

	if (d->n == 0)
		return 1;
	if (initial(d) < 0)
		return -1;
	for (v = 0; v < d->nt; v++)
		if (d->tbytes[v] < 0)
			return -1;
	if (exact(d, order, max_states))
		return 1;
	/* the greedy order, unless the topological one is no worse */
	topo = gp_xcalloc((size_t)d->n, sizeof *topo);
	for (v = 0; v < d->n; v++)
		topo[v] = v;
	greedy(d, order);
	a = gp_dag_peak(d, order, NULL, &at);
	b = gp_dag_peak(d, topo, NULL, &at);
	if (b <= a)
		memcpy(order, topo, (size_t)d->n * sizeof *order);
	free(topo);
	return 0;
}
