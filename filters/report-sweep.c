/* report-sweep.c - several streams in one table: a sweep of one model (how
 * its costs grow with the swept dim, prefill against decode) and --compare
 * (models side by side, a latency column per chip)
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* ---- a sweep: several streams of one model ---- */

/* the value of dim name in a ##sweep header, NAN if absent */
static double
sweep_value(struct rep *R, const char *name)
{
	int i;

	for (i = 0; i < R->nsw; i++)
		if (!strcmp(R->swname[i], name))
			return (double)R->swval[i];
	return NAN;
}

/* How y grows with x: a least-squares fit of a + b x + c x^2, said in words. */
static const char *
growth(struct gp_arena *a, const double *x, const double *y, int n)
{
	double S[5] = {0, 0, 0, 0, 0}, T[3] = {0, 0, 0}, M[3][4], xmax = 0, ymax = 0, c[3];
	int i, j, k, distinct = 0;

	for (i = 0; i < n; i++) {
		if (isnan(x[i]) || isnan(y[i]))
			return "?";
		for (j = 0; j < i && x[j] != x[i]; j++)
			;
		distinct += j == i;
		xmax = fmax(xmax, fabs(x[i]));
		ymax = fmax(ymax, fabs(y[i]));
	}
	if (distinct < 3)
		return distinct == 2 ? gp_arena_printf(a, "x%.3g from %g to %g", y[n - 1] / y[0], x[0],
		    x[n - 1]) : "?";
	for (i = 0; i < n; i++) {
		double p = 1;

		for (k = 0; k < 5; k++, p *= x[i])
			S[k] += p;
		T[0] += y[i];
		T[1] += y[i] * x[i];
		T[2] += y[i] * x[i] * x[i];
	}
	for (i = 0; i < 3; i++) {
		for (j = 0; j < 3; j++)
			M[i][j] = S[i + j];
		M[i][3] = T[i];
	}
	/* Gaussian elimination with partial pivoting */
	for (i = 0; i < 3; i++) {
		int p = i;

		for (j = i + 1; j < 3; j++)
			if (fabs(M[j][i]) > fabs(M[p][i]))
				p = j;
		for (k = 0; k < 4; k++) {
			double t = M[i][k];

			M[i][k] = M[p][k];
			M[p][k] = t;
		}
		if (M[i][i] == 0)
			return "?";
		for (j = i + 1; j < 3; j++) {
			double f = M[j][i] / M[i][i];

			for (k = i; k < 4; k++)
				M[j][k] -= f * M[i][k];
		}
	}
	for (i = 2; i >= 0; i--) {
		c[i] = M[i][3];
		for (j = i + 1; j < 3; j++)
			c[i] -= M[i][j] * c[j];
		c[i] /= M[i][i];
	}
	if (ymax == 0)
		return "constant";
	if (fabs(c[2]) * xmax * xmax > 0.02 * ymax)
		return gp_arena_printf(a, "quadratic (the x^2 term is %.0f%% at %g)",
		    100 * fabs(c[2]) * xmax * xmax / ymax, xmax);
	if (fabs(c[1]) * xmax > 0.02 * ymax)
		return "linear";
	return "constant";
}

/* prefill and decode side by side, when the streams are a decoder's */
static void
phases(struct out *O, struct rep **R, int n)
{
	struct gp_arena *a = O->a;
	struct gp_grid T;
	int i, np = 0;

	for (i = 0; i < n; i++)
		np += fact(&R[i]->F, "phase") && fact(&R[i]->F, "time_per_token_s");
	if (!np)
		return;
	if (!O->md)
		printf("\n");
	gp_grid_init(&T, 7, "lrrrrrr");
	gp_grid_row(&T, "phase", "tokens", "context", "latency", "per token", "tokens/s", "memory-bound");
	for (i = 0; i < n; i++) {
		struct facts *F = &R[i]->F;

		if (!fact(F, "phase") || !fact(F, "time_per_token_s"))
			continue;
		gp_grid_row(&T, fact(F, "phase"), fact(F, "tokens"), fact(F, "context"),
		    htime(a, fact_n(F, "latency_s")), htime(a, fact_n(F, "time_per_token_s")),
		    hcount(a, fact_n(F, "tokens_per_s")), hpct(a, fact_n(F, "memory_bound_share")));
	}
	tprint(O, &T);
}

/* One row per stream: the swept dims, the costs, and how they grow; then
 * prefill and decode side by side. */
void
sweep_section(struct out *O, struct rep **R, int n)
{
	struct gp_arena *a = O->a;
	struct gp_grid T, K;
	char **dims, *al;
	const char **rc;
	int nd = 0, i, j, c, ncol, xd = -1, nvary = 0, roof = 1, conc = 1, hwb = 1;
	double *x, *y;
	const char *keys[] = {"flops", "macs", "bytes", "peak_bytes", "latency_s"};
	const char *names[] = {"FLOPs", "MACs", "bytes moved", "peak memory", "latency"};

	/* the swept dims, those of the first stream */
	dims = R[0]->swname;
	nd = R[0]->nsw;
	for (i = 0; i < n; i++) {
		roof &= fact(&R[i]->F, "latency_s") != NULL;
		conc &= fact(&R[i]->F, "peak_bytes") != NULL;
		hwb &= fact(&R[i]->F, "hw_bytes") != NULL;
	}
	/* on a chip, the bytes at the precision gp-roofline counted them in,
	 * beside the latency they take there (as the heaviest subgraphs' table) */
	if (roof && hwb)
		keys[2] = "hw_bytes";
	/* x: the dim that varies, if one does */
	for (j = 0; j < nd; j++)
		for (i = 1; i < n; i++)
			if (sweep_value(R[i], dims[j]) != sweep_value(R[0], dims[j])) {
				nvary++;
				xd = j;
				break;
			}
	section(O, gp_arena_printf(a, "Sweep: %d streams%s%s", n, nvary == 1 ? " over " : "",
	    nvary == 1 ? dims[xd] : ""));
	ncol = nd + 3 + conc + roof;
	al = gp_arena_alloc(a, (size_t)ncol + 1);
	memset(al, 'r', (size_t)ncol);
	al[ncol] = 0;
	gp_grid_init(&T, ncol, al);
	rc = gp_grid_addrow(&T);
	c = 0;
	for (j = 0; j < nd; j++)
		rc[c++] = dims[j];
	rc[c++] = "FLOPs";
	rc[c++] = "MACs";
	rc[c++] = !strcmp(keys[2], "hw_bytes") && fact(&R[0]->F, "precision") ?
	    gp_arena_printf(a, "bytes at %s", fact(&R[0]->F, "precision")) : "bytes";
	if (conc)
		rc[c++] = "peak memory";
	if (roof)
		rc[c++] = "latency";
	for (i = 0; i < n; i++) {
		struct facts *F = &R[i]->F;

		rc = gp_grid_addrow(&T);
		c = 0;
		for (j = 0; j < nd; j++)
			rc[c++] = gp_arena_printf(a, "%g", sweep_value(R[i], dims[j]));
		rc[c++] = hcount(a, fact_n(F, "flops"));
		rc[c++] = hcount(a, fact_n(F, "macs"));
		rc[c++] = hbytes(a, fact_n(F, keys[2]));
		if (conc)
			rc[c++] = hbytes(a, fact_n(F, "peak_bytes"));
		if (roof)
			rc[c++] = htime(a, fact_n(F, "latency_s"));
	}
	tprint(O, &T);
	phases(O, R, n);
	if (nvary != 1)
		return;
	x = gp_xcalloc((size_t)n + 1, sizeof *x);
	y = gp_xcalloc((size_t)n + 1, sizeof *y);
	for (i = 0; i < n; i++)
		x[i] = sweep_value(R[i], dims[xd]);
	if (!O->md)
		printf("\n");
	kv_begin(&K);
	for (j = 0; j < 5; j++) {
		if ((j == 3 && !conc) || (j == 4 && !roof))
			continue;
		for (i = 0; i < n; i++)
			y[i] = fact_n(&R[i]->F, keys[j]);
		kv(&K, gp_arena_printf(a, "%s grow with %s", names[j], dims[xd]), growth(a, x, y, n));
	}
	tprint(O, &K);
	free(x);
	free(y);
}

/* ---- comparing models ---- */

/* --compare: the streams of several files in one table, one row per model,
 * batch, mode and sweep point, a latency column per chip. */
void
compare(struct out *O, int nfiles, char **files)
{
	struct rep **R = NULL;
	struct gp_arena a = {0};
	const char **hw;
	int *row, nhw = 0, nrow = 0, i, j, k, n = 0;
	struct gp_grid T;
	const char **cells;
	char *al;

	for (i = 0; i < nfiles; i++) {
		FILE *f = fopen(files[i], "r");

		if (!f)
			gp_die("%s: cannot open: %s", files[i], strerror(errno));
		n = read_all(f, files[i], &R, n);
		fclose(f);
	}
	hw = gp_xcalloc((size_t)n + 1, sizeof *hw);
	row = gp_xcalloc((size_t)n + 1, sizeof *row);
	for (i = 0; i < n; i++) {
		/* the chips, in the order met */
		if (fact(&R[i]->F, "hw")) {
			for (k = 0; k < nhw && strcmp(hw[k], fact(&R[i]->F, "hw")); k++)
				;
			if (k == nhw)
				hw[nhw++] = fact(&R[i]->F, "hw");
		}
		/* one row per model, batch, mode and sweep point: streams of one
		 * model on several chips share it */
		row[i] = -1;
		for (j = 0; j < i && row[i] < 0; j++) {
			const char *keys[] = {"model", "batch", "mode", "flops", "sweep"};
			int same = 1;

			for (k = 0; k < 5 && same; k++) {
				const char *x = fact(&R[i]->F, keys[k]), *y = fact(&R[j]->F, keys[k]);

				same = (!x && !y) || (x && y && !strcmp(x, y));
			}
			if (same)
				row[i] = row[j];
		}
		if (row[i] < 0)
			row[i] = nrow++;
	}
	al = gp_arena_alloc(&a, (size_t)nhw + 10);
	memset(al, 'r', (size_t)nhw + 9);
	al[0] = 'l';
	al[nhw + 9] = 0;
	gp_grid_init(&T, 9 + nhw, al);
	cells = gp_grid_addrow(&T);
	cells[0] = "model";
	cells[1] = "batch";
	cells[2] = "FLOPs";
	cells[3] = "MACs";
	cells[4] = "params";
	cells[5] = "AI";
	cells[6] = "max parallel";
	cells[7] = "critical path";
	cells[8] = "peak memory";
	for (k = 0; k < nhw; k++)
		cells[9 + k] = gp_arena_printf(&a, "latency %s", hw[k]);
	for (j = 0; j < nrow; j++)
		gp_grid_addrow(&T);
	for (i = 0; i < n; i++) {
		struct facts *F = &R[i]->F;
		const char **rc = &T.cell[(row[i] + 1) * T.ncol];

		rc[0] = fact(F, "sweep") ? gp_arena_printf(&a, "%s (%s)", fact(F, "model"),
		    fact(F, "sweep")) : fact(F, "model");
		rc[1] = fact(F, "batch") ? fact(F, "batch") : "?";
		rc[2] = hcount(&a, fact_n(F, "flops"));
		rc[3] = hcount(&a, fact_n(F, "macs"));
		rc[4] = hcount(&a, fact_n(F, "params"));
		rc[5] = fact(F, "ai") ? gp_arena_printf(&a, "%.3g", fact_n(F, "ai")) : "?";
		if (fact(F, "max_parallel"))
			rc[6] = fact(F, "max_parallel");
		if (fact(F, "critical_ops"))
			rc[7] = fact(F, "critical_ops");
		if (fact(F, "peak_bytes"))
			rc[8] = hbytes(&a, fact_n(F, "peak_bytes"));
		for (k = 0; k < nhw; k++)
			if (fact(F, "hw") && !strcmp(fact(F, "hw"), hw[k]))
				rc[9 + k] = htime(&a, fact_n(F, "latency_s"));
	}
	if (O->md)
		printf("# gp compare: %d streams\n\n", n);
	tprint(O, &T);
	for (i = 0; i < n; i++)
		release(R[i]);
	free(R);
	free(hw);
	free(row);
	gp_arena_release(&a);
}
