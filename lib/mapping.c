/* mapping.c - a kernel on a chip: tiles in waves over units, vector units, memory levels
 *
 * The model of docs/roofline.md, "Mapping". A matrix kernel (one with a
 * GEMM view, lib/gemm.c) runs as tiles of the chip's matrix unit: each
 * product is cut into ⌈M/tm⌉ × ⌈N/tn⌉ tiles of ⌈K/tk⌉ steps, the edge
 * tiles computing padding; the tiles run in waves over the units, and when
 * there are fewer tiles than units K may be split so that more units work
 * (split-K, with the partial sums written and read back). A kernel library
 * picks the tile, and whether to split, that finishes first; so does this
 * model. A product whose
 * shape wastes the matrix unit (a depthwise convolution: N = 1, K = 9) runs
 * on the vector unit instead, when that is faster. Everything else
 * (element-wise, reductions, data movement) runs on the vector unit at the
 * occupancy its outputs allow. Memory traffic comes from the levels that
 * hold it, each serving the part of the working set that fits in it and not
 * in the level inside it, so time grows smoothly across every capacity;
 * weights and the graph's inputs come from where they live between runs, by the same rule applied
 * to what the model keeps, at the memory efficiency the runtime gives the
 * kernel's class (gp-partition's, from the op table: element-wise, row,
 * pool, data movement; a GEMV by its products), else its one. Every number comes from the profile (cited) or its
 * runtime (measured or fitted); nothing here is tuned.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gp.h"

/* the runtime's efficiency, and the chip's own (1 unless cited) */
static double
eff_matrix(const struct gp_hw *h)
{
	return h->eff_compute * (h->rt ? h->rt->eff_matrix : 1);
}

static double
eff_vector(const struct gp_hw *h)
{
	return h->eff_compute * (h->rt ? h->rt->eff_vector : 1);
}

/* the runtime's memory efficiency is that of its vector kernels (element-wise
 * loops, reductions, data movement); a matrix kernel's operands stream through
 * its library's packed loads at the chip's own */
static double
eff_memory(const struct gp_hw *h)
{
	return h->eff_memory * (h->rt ? h->rt->eff_memory : 1);
}

static double stream(const struct gp_hw *h, double rd, double wr, double set, int *lvl, double e);

double
gp_map_stream(const struct gp_hw *h, double rd, double wr, double set, int *lvl)
{
	return stream(h, rd, wr, set, lvl, eff_memory(h));
}

/* gp_map_stream at memory efficiency e */
static double
stream(const struct gp_hw *h, double rd, double wr, double set, int *lvl, double e)
{
	double t = 0, inner = 0, best = -1, x;
	int i;

	if (lvl)
		*lvl = 0;
	if (rd + wr <= 0)
		return 0;
	if (set <= 0)
		set = rd + wr;
	/* innermost first: level i serves what fits in it beyond what the level inside it holds */
	for (i = h->nmem - 1; i >= 0; i--) {
		const struct gp_hw_mem *L = &h->mem[i];
		double fit = i == 0 || L->capacity < 0 ? set : fmin(set, L->capacity), share;

		share = (fit - inner) / set;
		inner = fit;
		if (share <= 0)
			continue;
		x = share * (rd / (L->read_bw * e) + wr / (L->write_bw * e));
		t += x;
		if (x > best) {
			best = x;
			if (lvl)
				*lvl = i;
		}
	}
	return t;
}

/* the fraction of the units a kernel of threads outputs keeps busy, in
 * whole waves of units x threads_per_unit */
static double
occupancy(const struct gp_hw *h, double threads)
{
	double blocks, waves;

	if (threads <= 0)
		return 1;
	blocks = ceil(threads / h->threads_per_unit);
	waves = ceil(blocks / h->units);
	return blocks / (waves * h->units);
}

static double
vector_peak(const struct gp_hw *h, int prec)
{
	return h->vpeak[prec] > 0 ? h->vpeak[prec] : h->peak[prec];
}

/* every product of k has one output column (N = 1): a depthwise convolution */
static int
depthwise(const struct gp_kernel *k)
{
	int i;

	for (i = 0; i < k->ngemm; i++)
		if (k->gemm[i].n != 1)
			return 0;
	return k->ngemm > 0;
}

/* every product of k has one row (M = 1): a GEMV, which streams its weights once */
static int
gemv(const struct gp_kernel *k)
{
	int i;

	for (i = 0; i < k->ngemm; i++)
		if (k->gemm[i].m != 1)
			return 0;
	return k->ngemm > 0;
}

/* a GEMV whose rate the runtime gives (efficiency.gemv_compute: MLAS ran
 * one-row products at 0.11-0.16 of the FMA peak from the L2 and the L3,
 * docs/roofline.md); that measured rate, not the tiles, maps it */
static int
onerow(const struct gp_hw *h, const struct gp_kernel *k)
{
	return h->rt && h->rt->eff_gemv_compute > 0 && gemv(k);
}

/* the matrix efficiency kernel k sees without tiles: a GEMV's the runtime's
 * efficiency.gemv_compute when it gives one, any other's efficiency.matrix */
static double
eff_matrix_kernel(const struct gp_hw *h, const struct gp_kernel *k)
{
	return onerow(h, k) ? h->eff_compute * h->rt->eff_gemv_compute : eff_matrix(h);
}

/* The memory efficiency kernel k sees: a matrix kernel's the chip's own, a
 * GEMV's the runtime's efficiency.gemv when it gives one; a vector kernel's
 * (element-wise, reductions, data movement, a CPU's depthwise convolution) the
 * runtime's efficiency for its class when it gives one, else its
 * efficiency.memory */
static double
kernel_memory(const struct gp_hw *h, const struct gp_kernel *k, int cpu)
{
	const struct gp_runtime *rt = h->rt;

	if (k->ngemm != 0 && !(cpu && depthwise(k))) {
		if (rt && rt->eff_class[GP_KC_GEMV] > 0 && gemv(k))
			return h->eff_memory * rt->eff_class[GP_KC_GEMV];
		return h->eff_memory;
	}
	if (rt && k->cls > GP_KC_OTHER && k->cls < GP_KC_N && k->cls != GP_KC_GEMV &&
	    rt->eff_class[k->cls] > 0)
		return h->eff_memory * rt->eff_class[k->cls];
	return eff_memory(h);
}

/* The matrix unit on the products of k with tile t: the time into *out,
 * with the tiles (after split-K), the split, the fill and whether the
 * operand traffic of an inner level bounds it. */
struct mm {
	double time, fill, l2_s, mma_s;
	int64_t tiles, split;
};

static void
tiled(const struct gp_hw *h, int prec, const struct gp_kernel *k, const struct gp_hw_tile *t,
    double split, struct mm *o)
{
	double U = h->units, rate = h->peak[prec] / 2 / U * eff_matrix(h);
	double step = (double)t->m * (double)t->n * (double)t->k / rate;
	double base = 0, work = 0, longest = 0, ops = 0, red = 0, useful = 0, padded = 0, tiles = 0;
	int i;

	/* tiles before splitting */
	for (i = 0; i < k->ngemm; i++) {
		const struct gp_gemm *g = &k->gemm[i];

		base += (double)g->b * ceil((double)g->m / t->m) * ceil((double)g->n / t->n);
	}
	if (base <= 0) {
		memset(o, 0, sizeof *o);
		o->fill = 1;
		return;
	}
	/* split K (split > 1) only when there are fewer tiles than units */
	if (base >= U)
		split = 1;
	o->tiles = 0;
	o->split = 1;
	for (i = 0; i < k->ngemm; i++) {
		const struct gp_gemm *g = &k->gemm[i];
		double mt = (double)g->b * ceil((double)g->m / t->m) * ceil((double)g->n / t->n);
		double steps = ceil((double)g->k / t->k), s = fmin(split, steps), per;

		if (mt <= 0 || steps <= 0)
			continue;
		per = ceil(steps / s);                  /* steps of one split tile */
		tiles += mt * s;
		if (s > o->split)
			o->split = (int64_t)s;
		work += mt * s * per * step;
		longest = fmax(longest, per * step);
		/* each step loads a tm x tk block of A and a tk x tn block of B */
		ops += mt * s * per * ((double)t->m + (double)t->n) * (double)t->k * k->elem;
		/* split-K writes its partial sums (4-byte accumulators) and reads them back */
		if (s > 1)
			red += 2 * s * (double)g->b * (double)g->m * (double)g->n * 4;
		useful += (double)g->b * (double)g->m * (double)g->n * (double)g->k;
		padded += mt * steps * (double)t->m * (double)t->n * (double)t->k;
	}
	/* a count from a stream can be absurd: keep it in range */
	o->tiles = tiles < 9e18 ? (int64_t)tiles : INT64_MAX;
	if (tiles <= 0) {
		o->time = o->mma_s = o->l2_s = 0;
		o->fill = 1;
		return;
	}
	/* waves of the tiles over the units; a kernel lasts at least its longest tile */
	o->mma_s = fmax(ceil(tiles / U) * work / tiles, longest);
	o->l2_s = 0;
	/* a CPU's micro-kernel reads its operands from blocks packed into its own L1
	 * and L2 (BLIS's blocking), not through a shared level */
	if (h->nmem > 1 && strcmp(h->kind, "cpu")) {
		/* operands come through the level inside DRAM (a GPU's L2), each busy unit
		 * getting its share of that level's bandwidth */
		const struct gp_hw_mem *L = &h->mem[1];
		double busy = fmin(tiles, U);

		o->l2_s = ops / (busy * L->read_bw * h->eff_memory / U) +
		    red / (L->write_bw * h->eff_memory);
	}
	o->time = fmax(o->mma_s, o->l2_s);
	o->fill = padded > 0 ? useful / padded : 1;
}

/* listed: whether s[0..n) is an item of the comma-separated list (NULL: none) */
static int
listed(const char *list, const char *s, size_t n)
{
	while (list && *list) {
		size_t l = strcspn(list, ",");

		if (l == n && !strncmp(list, s, n))
			return 1;
		list += l + (list[l] == ',');
	}
	return 0;
}

/* op_rule: how runtime rt splits a kernel whose op types are ops (its
 * first op decides): 1 over every thread (split_always), -1 never
 * (split_never), 0 by its cost */
static int
op_rule(const struct gp_runtime *rt, const char *ops)
{
	size_t n;

	if (!ops)
		return 0;
	n = strcspn(ops, "+");
	if (listed(rt->split_always, ops, n))
		return 1;
	if (listed(rt->split_never, ops, n))
		return -1;
	return 0;
}

/* opsec_of: the seconds o gives op type p[0..n), or -1 when it gives none */
static double
opsec_of(const struct gp_opsec *o, const char *p, size_t n)
{
	int i;

	for (i = 0; i < o->n; i++)
		if (strlen(o->name[i]) == n && !strncmp(o->name[i], p, n))
			return o->sec[i];
	return -1;
}

/* op_sec: the seconds o gives the op type of a kernel whose op types are
 * ops (its first op decides, as for op_rule); 0 when it gives none */
static double
op_sec(const struct gp_opsec *o, const char *ops)
{
	double x;

	if (!ops || !o->n)
		return 0;
	x = opsec_of(o, ops, strcspn(ops, "+"));
	return x > 0 ? x : 0;
}

/* act_sec: the seconds an output element costs for the activation o names
 * among the ops after the first of a kernel whose first op is a Conv (the
 * first such op); 0 when it names none */
static double
act_sec(const struct gp_opsec *o, const char *ops)
{
	const char *p;
	double x;
	size_t n;

	if (!ops || !o->n || strncmp(ops, "Conv+", 5))
		return 0;
	for (p = ops + 4; *p == '+'; p += n) {
		n = strcspn(++p, "+");
		if ((x = opsec_of(o, p, n)) >= 0)
			return x;
	}
	return 0;
}

/* copy_threads: the threads runtime rt (split_copy) gives copy kernel k on
 * a CPU of units threads: a Transpose of one run (only axes of size 1 move)
 * is a plain copy, on one; one whose runs are single elements a matrix
 * transpose, on all of them; any other copy asks the runtime's cost model
 * (Eigen's TensorCostModel, which onnxruntime's thread pool asks) with the
 * cycles of its largest piece (a Concat's input, a Split's output, the
 * Transpose's tensor), each of its elements element_cycles plus
 * byte_cycles a byte */
static double
copy_threads(const struct gp_runtime *rt, const struct gp_kernel *k, double units)
{
	double b = k->threads > 0 && k->wr > 0 ? k->wr / k->threads : k->elem, c;

	if (k->copy_run > 0 && k->copy_run >= k->copy)
		return 1;
	if (k->copy_run == 1)
		return units;
	c = k->copy * (rt->copy_element_cycles + b * rt->copy_byte_cycles);
	return fmin(units, fmax(1, floor((c - rt->copy_startup_cycles) / rt->copy_thread_cycles + 0.9)));
}

/* gemm_pieces: the pieces runtime rt splits matrix kernel k into, as MLAS's
 * GEMM does (sgemm.cpp MlasGemmBatch): floor(M N K / split_gemm_macs) + 1
 * for one product, shared among a batch of them but at least one each; the
 * most of its products' */
static double
gemm_pieces(const struct gp_runtime *rt, const struct gp_kernel *k)
{
	double most = 1, p;
	int i;

	for (i = 0; i < k->ngemm; i++) {
		const struct gp_gemm *g = &k->gemm[i];
		double b = g->b > 0 ? (double)g->b : 1;

		p = floor((double)g->m * (double)g->n * (double)g->k / rt->split_gemm_macs) + 1;
		p = ceil(p / b) * b;
		most = fmax(most, p);
	}
	return most;
}

/* Between two runs' reads of a weight, a cache (a CPU's, a GPU's L2) holds
 * it beside the model's other weights and everything the run writes, which
 * passes through the cache on its way out (on the validation VM's CPU a
 * CNN's classifier reads its weights at DRAM's rate, docs/roofline.md); the
 * on-chip memory a TPU's compiler places the weights in holds them beside
 * the largest activation set only. The graph's inputs, which the caller
 * hands in and the run only reads (an image, a decoder's past keys and
 * values), live beside the weights and count with them. */
double
gp_map_resident(const struct gp_hw *h, double weights, double written, double largest)
{
	return weights + (!strcmp(h->kind, "tpu") ? largest : written);
}

double
gp_map_dispatch(const struct gp_hw *h)
{
	return h->rt->kernel_s + (h->clock_hz > 0 ? h->rt->kernel_cycles / h->clock_hz : 0);
}

/* say: m's limit is a then b, cut as snprintf would cut it (most kernels'
 * limit is a word or a level's name: no format to parse, a kernel at a time) */
static void
say(struct gp_mapped *m, const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b), n = sizeof m->limit - 1;

	na = na < n ? na : n;
	nb = nb < n - na ? nb : n - na;
	memcpy(m->limit, a, na);
	memcpy(m->limit + na, b, nb);
	m->limit[na + nb] = '\0';
}

void
gp_map_kernel(const struct gp_hw *h, int prec, const struct gp_kernel *k, struct gp_mapped *m)
{
	double peak = h->peak[prec], vpeak = vector_peak(h, prec), occ = occupancy(h, k->threads);
	double vec_s, act_s, wt_s, em, nth = 0, rows_s = 0, elems_s = 0, pass_s = 0, loop_s = 0;
	double ard = fmax(k->rd - k->inp, 0), lives = k->wt + fmin(k->inp, k->rd);
	int alvl = 0, wlvl = 0, plvl = 0, loops = 0, cpu = !strcmp(h->kind, "cpu"), lim = 0, xlim = 0, i;
	struct mm best = {0}, o;
	const char *unit = h->unit;

	memset(m, 0, sizeof *m);
	m->split = 1;
	m->fill = 1;
	/* memory: activations from where the previous kernel left them, weights and the
	 * graph's inputs from where they live between runs; at the runtime's memory
	 * efficiency for what runs on the vector unit */
	em = kernel_memory(h, k, cpu);
	act_s = stream(h, ard, k->wr, k->rd + k->wr, &alvl, em);
	wt_s = stream(h, lives, 0, fmax(k->resident, lives), &wlvl, em);
	m->memory_s = act_s + wt_s;
	m->act_level = alvl;
	m->wt_level = wlvl;
	/* compute: the vector unit at the occupancy the outputs allow */
	vec_s = k->flops > 0 ? k->flops / (vpeak * eff_vector(h) * occ) : 0;
	m->compute_s = vec_s;
	m->unit = k->flops > 0 ? 2 : 0;
	if (k->ngemm > 0 && h->ntile[prec] > 0 && !onerow(h, k)) {
		/* the matrix unit: the tile that finishes first */
		best.time = -1;
		for (i = 0; i < h->ntile[prec]; i++) {
			int sk;

			/* whole K, and K split so that one wave of tiles fills the units
			 * (not on a CPU: its GEMMs divide M and N among the threads) */
			for (sk = 0; sk < 2 - cpu; sk++) {
				double base = 0;
				int j;

				for (j = 0; sk && j < k->ngemm; j++)
					base += (double)k->gemm[j].b * ceil((double)k->gemm[j].m / h->tile[prec][i].m) *
					    ceil((double)k->gemm[j].n / h->tile[prec][i].n);
				if (sk && (base <= 0 || base >= h->units))
					continue;
				tiled(h, prec, k, &h->tile[prec][i], sk ? floor(h->units / base) : 1, &o);
				if (best.time < 0 || o.time < best.time) {
					best = o;
					m->tile = h->tile[prec][i];
				}
			}
		}
		if (!(best.time >= 0 && best.time <= vec_s))
			memset(&m->tile, 0, sizeof m->tile);
		if (best.time >= 0 && best.time <= vec_s) {
			m->compute_s = best.time;
			m->unit = 1;
			m->tiles = best.tiles;
			m->split = best.split;
			m->fill = best.fill;
			lim = best.l2_s > best.mma_s;
		}
	} else if (k->ngemm > 0 && k->flops > 0 && cpu && depthwise(k)) {
		/* a CPU without a tile model: a depthwise convolution (one output channel per
		 * group) has no product for the register-blocked GEMM to block; it runs on
		 * the vector unit, at the rate the runtime's vector kernels reach */
		m->unit = 2;
	} else if (k->ngemm != 0 && k->flops > 0) {
		/* no tile model for this precision: the peak at the occupancy of the outputs */
		m->compute_s = k->flops / (peak * eff_matrix_kernel(h, k) * occ);
		m->unit = 1;
	}
	/* per kernel: the runtime's dispatch, else the chip's launch */
	if (h->rt)
		m->overhead_s = gp_map_dispatch(h) + op_sec(&h->rt->op_s, k->ops);
	else
		m->overhead_s = h->launch_per_model ? 0 : h->launch_s;
	/* A runtime that runs a control node's bodies as graphs of their own
	 * (onnxruntime: If, Loop and Scan call utils::ExecuteSubgraph, whose
	 * executor dispatches each node of the body as a kernel) pays the dispatch
	 * of every kernel of the bodies, and subgraph_s for every run of a body
	 * (its feeds, fetches and frame); their work is the control node's own */
	if (h->rt && h->rt->bodies && k->body_kernels > 0)
		m->overhead_s += k->body_kernels * gp_map_dispatch(h);
	if (h->rt && h->rt->bodies && k->body_runs > 0)
		m->overhead_s += k->body_runs * h->rt->subgraph_s;
	/* A runtime's generic Conv (onnxruntime's Conv<float>::Compute on a 1-D
	 * convolution, which no NCHWc rewrite takes: MlasConvPrepare, then MlasConv
	 * loops over the groups, an im2col and a GEMM each) costs a call and a
	 * group more than its work: its own and its bodies' calls (gp-partition's
	 * conv_calls, conv_groups) */
	if (h->rt)
		m->overhead_s += k->conv_calls * h->rt->conv_call_s + k->conv_groups * h->rt->conv_group_s;
	/* and moves its im2col: each group's expanded input written, and read
	 * back by its GEMM, from the level a group's buffer fits in
	 * (gp-partition's conv_im2col, in elements of the precision's size).
	 * It is a pass of its own, before the GEMM and not under it: MLAS's
	 * MlasConvOperation expands a slice of columns (MlasConvIm2Col), then
	 * multiplies it (MlasSgemmOperation, which packs it first), one after
	 * the other; its time adds to the kernel's. MlasConvIm2Col copies
	 * each row of the column matrix in pieces, one an output row a slice
	 * spans, each a loop of its own with its padding tests: conv_row_s a
	 * piece (gp-partition's conv_im2col_rows), which at a few output
	 * columns costs more than the bytes; and along a stride it copies one
	 * float at a time: conv_gather_s each (conv_im2col_strided) */
	if (h->rt && k->conv_im2col > 0) {
		double b = k->conv_im2col * (k->elem > 0 ? k->elem : 4), set = b / fmax(1, k->conv_groups);

		pass_s = gp_map_stream(h, b, b, set, &plvl) / kernel_memory(h, k, cpu);
		loop_s = k->conv_im2col_rows * h->rt->conv_row_s +
		    k->conv_im2col_strided * h->rt->conv_gather_s;
	}
	/* and its GEMM (MLAS's SGEMM) computes the output positions, the
	 * product's N, in blocks of conv_columns: a convolution of 4 positions
	 * pays for 16, at the rate of its matrix kernels; a product of one row or
	 * one column runs as a vector product (MlasSgemmOperation's M == 1 and
	 * N == 1 cases) */
	if (h->rt && h->rt->conv_columns > 0) {
		double waste = 0, c = h->rt->conv_columns;

		for (i = 0; i < k->nconv_gemm; i++) {
			const struct gp_gemm *x = &k->conv_gemm[i];

			if (x->m > 1 && x->n > 1)
				waste += 2.0 * (double)x->b * (double)x->m * (double)x->k *
				    (ceil((double)x->n / c) * c - (double)x->n);
		}
		m->compute_s += waste / (peak * h->eff_compute * h->rt->eff_matrix);
	}
	/* A CPU runtime on several threads splits a kernel over as many as its
	 * work pays for: onnxruntime's cost model (Eigen's TensorCostModel) gives
	 * a loop of cost c cycles floor((c - 100000) / 100000 + 0.9) threads, two
	 * from 210,000 on; parallel_min_s is that threshold as one thread's time,
	 * so a kernel taking t on one thread gets floor(2.1 t / parallel_min_s -
	 * 0.1) of the units, each with its share of the units and bandwidths. One
	 * it splits pays for handing the work to the others and joining them.
	 * Its kernels of some ops follow no cost model: those of split_always
	 * take every unit (one a piece at most: a row of a LayerNorm, a channel
	 * of a pool), those of split_never one, and its other matrix kernels
	 * the pieces its GEMM makes of them (split_gemm_macs). */
	if (cpu && h->rt && h->units > 1 && (h->rt->parallel_min_s > 0 || h->rt->parallel_s > 0 ||
	    h->rt->split_always || h->rt->split_never || h->rt->split_gemm_macs > 0 || h->rt->split_copy)) {
		double t1 = fmax(m->compute_s, m->memory_s) * h->units;
		int rule = op_rule(h->rt, k->ops);

		nth = h->units;
		if (rule > 0)
			nth = k->items >= 1 ? fmin(h->units, k->items) : h->units;
		else if (rule < 0)
			nth = 1;
		else if (h->rt->split_copy && k->copy > 0)
			nth = copy_threads(h->rt, k, h->units);
		else if (h->rt->split_gemm_macs > 0 && k->ngemm > 0 && k->gemm)
			nth = fmin(h->units, gemm_pieces(h->rt, k));
		else if (h->rt->parallel_min_s > 0)
			nth = fmin(h->units, fmax(1, floor(2.1 * t1 / h->rt->parallel_min_s - 0.1)));
		if (t1 <= 0)
			nth = 1;
		/* What one core reads of what another wrote comes from that core's
		 * cache, at cross_core_bandwidth: of a tensor a kernel split over the
		 * units wrote, the others' share, and of one a kernel on one unit
		 * wrote, what the units a kernel split over other than that one read
		 * (its thread pool hands out the pieces as the threads come, so a
		 * piece is any thread's); not faster than its own level would serve it */
		if (h->cross_bw > 0 && k->rd_split >= 0 && ard > 0) {
			double x = fmin(ard, fmin(k->rd_split, ard) * (h->units - 1) / h->units +
			    fmax(ard - k->rd_split, 0) * (nth > 1 ? (nth - 1) / nth : 0));

			if (x > 0) {
				double set = k->rd + k->wr, rest = stream(h, ard - x, k->wr, set, NULL, em);
				double own = stream(h, x, 0, set, NULL, em), xs = x / (h->cross_bw * em);

				m->memory_s += rest + fmax(xs, own) - act_s;
				/* its limit where the way between the cores takes most of the traffic's time */
				xlim = xs > own && xs > rest + wt_s;
			}
		}
		m->threads = nth;
		if (nth < h->units) {
			m->compute_s *= h->units / nth;
			m->memory_s *= h->units / nth;
			wt_s *= h->units / nth;
			pass_s *= h->units / nth;
		}
		if (nth > 1)
			m->overhead_s += h->rt->parallel_s;
	}
	/* The loops of an im2col are a thread's work, shared among the threads
	 * the kernel runs on (MLAS gives each its groups, or its slice of the
	 * positions) */
	if (loop_s > 0) {
		loop_s /= nth >= 1 ? nth : 1;
		loops = loop_s > pass_s;
		pass_s += loop_s;
	}
	/* Each row of a normalization, softmax or reduction costs the runtime's
	 * row_s for its op beyond its bytes (its loop's set-up and reductions,
	 * which a row of a few dozen elements does not amortize), the rows
	 * shared among the threads it runs on */
	if (h->rt && k->rows > 0) {
		rows_s = k->rows * op_sec(&h->rt->row_s, k->ops) / (nth >= 1 ? nth : 1);
		/* and each element they read row_elem_s, where the runtime reduces
		 * a row in one loop of dependent steps (a global pool in NCHW):
		 * the loops are the rows' too */
		if (k->elem > 0)
			rows_s += k->rd / k->elem * op_sec(&h->rt->row_elem_s, k->ops) / (nth >= 1 ? nth : 1);
		m->overhead_s += rows_s;
	}
	/* An output element the runtime computes in a loop of its own, one at a
	 * time (onnxruntime's bilinear Resize, upsample.h UpsampleBilinear: four
	 * inputs gathered through index tables an output, weighted and summed),
	 * costs elem_s for the kernel's first op beyond its bytes, the elements
	 * shared among the threads it runs on; only where the kernel computes
	 * (a nearest Resize copies: its bytes are its cost) */
	if (h->rt && k->elem > 0 && k->wr > 0 && k->flops > 0) {
		elems_s = k->wr / k->elem * op_sec(&h->rt->elem_s, k->ops) / (nth >= 1 ? nth : 1);
		m->overhead_s += elems_s;
	}
	/* A convolution's fused activation that the runtime runs after the
	 * convolution's kernel (MLAS's NCHWc and generic Conv: every one but
	 * Relu, snchwc.cpp DoActivation) costs act_s a written element, the
	 * elements shared among the threads it runs on */
	if (h->rt && k->elem > 0 && k->wr > 0)
		m->overhead_s += k->wr / k->elem * act_sec(&h->rt->act_s, k->ops) / (nth >= 1 ? nth : 1);
	/* The layout reorders a runtime's NCHWc transformer runs beside the
	 * kernel (gp-partition's reorders: a ReorderInput before it, a
	 * ReorderOutput after it) are kernels of their own, data movement: each
	 * its dispatch, their bytes moved as the runtime moves that class's,
	 * split over the threads as such a kernel is */
	if (h->rt && k->reorders > 0 && k->reorder_rd + k->reorder_wr > 0) {
		struct gp_kernel x;
		struct gp_mapped mx;

		memset(&x, 0, sizeof x);
		x.rd = k->reorder_rd;
		x.wr = k->reorder_wr;
		x.elem = k->elem;
		x.threads = k->elem > 0 ? k->reorder_wr / k->elem : -1;
		x.items = -1;
		x.rd_split = -1;
		x.cls = GP_KC_MOVE;
		gp_map_kernel(h, prec, &x, &mx);
		m->reorder_s = mx.latency_s + (k->reorders - 1) * gp_map_dispatch(h);
	}
	/* a CPU dispatches on the core that then runs the kernel, and a runtime's
	 * cost is between kernels: both add; an accelerator launches
	 * asynchronously: a kernel takes at least its launch */
	if (cpu || h->rt)
		m->latency_s = fmax(m->compute_s, m->memory_s) + m->overhead_s + pass_s;
	else
		m->latency_s = fmax(fmax(m->compute_s, m->memory_s), m->overhead_s);
	m->work_s = fmax(k->flops / ((m->unit == 1 ? peak * (m->tiles > 0 ? eff_matrix(h) :
	    eff_matrix_kernel(h, k)) : vpeak * eff_vector(h))),
	    m->memory_s) + (cpu || h->rt ? m->overhead_s + pass_s : 0);
	if (k->flops <= 0)
		m->work_s = m->memory_s + (cpu || h->rt ? m->overhead_s + pass_s : 0);
	m->latency_s += m->reorder_s;
	m->work_s += m->reorder_s;
	/* (an im2col whose loops cost more than its bytes is bound by them: its compute) */
	m->bound = m->overhead_s > fmax(fmax(m->compute_s, m->memory_s), pass_s) ? "launch" :
	    pass_s > fmax(m->compute_s, m->memory_s) ? (loops ? "compute" : "memory") :
	    m->compute_s >= m->memory_s ? "compute" : "memory";
	/* a kernel whose rows cost most of its overhead, and more than its
	 * compute or its memory, is bound by its row loops: its compute */
	if (!strcmp(m->bound, "launch") && rows_s > m->overhead_s - rows_s)
		m->bound = "compute";
	/* and so is one whose element loop costs most of its overhead */
	if (!strcmp(m->bound, "launch") && elems_s > m->overhead_s - elems_s)
		m->bound = "compute";
	/* what limits it, in words */
	if (rows_s > 0 && !strcmp(m->bound, "compute") && rows_s >= m->compute_s) {
		snprintf(m->limit, sizeof m->limit, "%.0f rows", k->rows);
	} else if (elems_s > 0 && !strcmp(m->bound, "compute") && elems_s >= m->compute_s) {
		say(m, "element loop", "");
	} else if (!strcmp(m->bound, "launch")) {
		say(m, h->rt ? "dispatch" : "launch", "");
	} else if (!strcmp(m->bound, "compute") && pass_s > m->compute_s && loops) {
		say(m, "im2col rows", "");
	} else if (!strcmp(m->bound, "memory") && pass_s > m->memory_s) {
		say(m, "im2col from ", h->mem[plvl].level);
	} else if (!strcmp(m->bound, "memory") && xlim) {
		say(m, "cross-core", " bandwidth");
	} else if (!strcmp(m->bound, "memory")) {
		int l = wt_s > m->memory_s - wt_s ? wlvl : alvl;

		say(m, h->mem[l].level, " bandwidth");
	} else if (m->unit == 1 && lim) {
		say(m, h->mem[1].level, " bandwidth");
	} else if (m->unit == 1 && m->tiles > 0 && (m->tiles < h->units || m->split > 1)) {
		if (m->split > 1)
			snprintf(m->limit, sizeof m->limit, "tiles %lld/%.0f %s split-k %lld",
			    (long long)m->tiles, h->units, unit, (long long)m->split);
		else
			snprintf(m->limit, sizeof m->limit, "tiles %lld/%.0f %s", (long long)m->tiles,
			    h->units, unit);
	} else if (m->unit == 1 && m->fill < 0.5) {
		snprintf(m->limit, sizeof m->limit, "edge tiles fill %.2f", m->fill);
	} else if (m->unit == 1) {
		say(m, "matrix unit", onerow(h, k) ? " (one row)" : "");
	} else if (occ < 0.5) {
		snprintf(m->limit, sizeof m->limit, "vector unit occupancy %.2f", occ);
	} else {
		say(m, "vector unit", "");
	}
	/* a kernel the runtime does not split over every thread says on how many it runs */
	if (nth > 0 && nth < h->units && strcmp(m->bound, "launch")) {
		size_t n = strlen(m->limit);

		snprintf(m->limit + n, sizeof m->limit - n, " on %.0f thread%s", nth, nth == 1 ? "" : "s");
	}
}
