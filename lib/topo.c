/* topo.c - a topological order of numbered items, the smallest ready one first
 *
 * Both loaders sort a graph's nodes so that each comes after the nodes whose
 * outputs it reads, and among the nodes ready at once take the one first in
 * the file: a file in execution order keeps it. Kahn's algorithm over the
 * edges grouped by their source, with a heap of the ready items.
 */
#include <stdlib.h>

#include "gp.h"

/* push appends v to heap h of *n items, the smallest on top */
static void
push(size_t *h, size_t *n, size_t v)
{
	size_t i = (*n)++;

	while (i > 0 && h[(i - 1) / 2] > v) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = v;
}

/* pop takes the smallest item off heap h of *n items */
static size_t
pop(size_t *h, size_t *n)
{
	size_t top = h[0], v = h[--*n], i = 0, c;

	while ((c = 2 * i + 1) < *n) {
		if (c + 1 < *n && h[c + 1] < h[c])
			c++;
		if (h[c] >= v)
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n > 0)
		h[i] = v;
	return top;
}

/* gp_topo_order: see gp.h */
size_t
gp_topo_order(size_t n, const size_t *edge, size_t ne, size_t *order)
{
	size_t *deg = gp_xcalloc(n + 1, sizeof *deg), *start = gp_xcalloc(n + 2, sizeof *start);
	size_t *adj = gp_xcalloc(ne + 1, sizeof *adj), *heap = gp_xcalloc(n + 1, sizeof *heap);
	size_t nh = 0, no = 0, i, k;

	/* the edges grouped by source: i's targets are adj[start[i] .. start[i + 1]) */
	for (k = 0; k < ne; k++) {
		start[edge[2 * k] + 2]++;
		deg[edge[2 * k + 1]]++;
	}
	for (i = 0; i < n; i++)
		start[i + 2] += start[i + 1];
	for (k = 0; k < ne; k++)
		adj[start[edge[2 * k] + 1]++] = edge[2 * k + 1];
	for (i = 0; i < n; i++)
		if (deg[i] == 0)
			push(heap, &nh, i);
	while (nh > 0) {
		i = pop(heap, &nh);
		order[no++] = i;
		for (k = start[i]; k < start[i + 1]; k++)
			if (--deg[adj[k]] == 0)
				push(heap, &nh, adj[k]);
	}
	/* the rest, on or after a cycle */
	for (i = 0, k = no; i < n; i++)
		if (deg[i] > 0)
			order[k++] = i;
	free(deg);
	free(start);
	free(adj);
	free(heap);
	return no;
}
