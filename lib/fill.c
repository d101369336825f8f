/* fill.c - how much of a chip a model fills: its threads, and the batch
 * that fills the chip's units (by the graph's width) or its lanes (by each
 * kernel's threads); docs/concurrency.md */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"

/* ---- the batch that fills a chip, the user guide's way ---- */

int64_t
gp_batch_to_fill_graph(double units, int widest)
{
	return widest > 0 && units > 0 ? (int64_t)ceil(units / widest) : -1;
}

/* ---- thread-level parallelism ---- */

void
gp_dag_threads(const struct gp_dag *d, int64_t *avg, int64_t *max)
{
	double sum = 0;
	int v, n = 0;

	*max = -1;
	for (v = 0; v < d->n; v++) {
		if (d->threads[v] < 0)
			continue;
		n++;
		sum += (double)d->threads[v];
		if (d->threads[v] > *max)
			*max = d->threads[v];
	}
	*avg = n ? (int64_t)llround(sum / n) : -1;
}

/* ---- the batch that fills a chip ---- */

struct need {
	double batch;                   /* a distinct batch */
	int first, last;                /* its kernels, in record order (next[]) */
};

static int
cmp_need(const void *a, const void *b)
{
	const struct need *x = a, *y = b;

	return (x->batch > y->batch) - (x->batch < y->batch);
}

/* The batch at which half the FLOPs are in kernels that fill lanes: each
 * kernel's own (lanes over its threads a sample), the FLOPs summed in
 * ascending order of it, kernels of one batch in record order. The kernels
 * are grouped by their batch (a hash of its bits), and only the distinct
 * batches are sorted: a model's kernels share a few. */
double
gp_dag_batch_to_fill(const struct gp_dag *d, double lanes, int64_t batch)
{
	struct need *g;
	double *fl, tot = 0, acc = 0, ans = -1;
	int *next, *slot, m = 0, ng = 0, v, i, k, bits = 4;
	size_t cap;

	if (batch < 1)
		return -1;
	while (((size_t)1 << bits) < 2 * (size_t)d->n)
		bits++;
	cap = (size_t)1 << bits;
	fl = gp_xcalloc((size_t)d->n + 1, sizeof *fl);
	next = gp_xcalloc((size_t)d->n + 1, sizeof *next);
	g = gp_xcalloc((size_t)d->n + 1, sizeof *g);
	slot = gp_xcalloc(cap, sizeof *slot);   /* a group + 1; 0 empty */
	for (v = 0; v < d->n; v++) {
		double per, b;
		uint64_t h;
		size_t j;

		if (d->threads[v] <= 0 || d->flops[v] <= 0)
			continue;
		per = (double)d->threads[v] / (double)batch;
		b = ceil(lanes / per);
		memcpy(&h, &b, sizeof h);
		for (j = (size_t)((h * 0x9e3779b97f4a7c15ULL) >> (64 - bits));
		    slot[j] && g[slot[j] - 1].batch != b; j = (j + 1) & (cap - 1))
			;
		if (!slot[j]) {
			slot[j] = ++ng;
			g[ng - 1].batch = b;
			g[ng - 1].first = m;
		} else {
			next[g[slot[j] - 1].last] = m;
		}
		g[slot[j] - 1].last = m;
		next[m] = -1;
		fl[m++] = (double)d->flops[v];
		tot += (double)d->flops[v];
	}
	qsort(g, (size_t)ng, sizeof *g, cmp_need);
	for (i = 0; i < ng && ans < 0; i++)
		for (k = g[i].first; k >= 0 && ans < 0; k = next[k])
			if ((acc += fl[k]) * 2 >= tot)
				ans = g[i].batch;
	free(fl);
	free(next);
	free(g);
	free(slot);
	return ans;
}

