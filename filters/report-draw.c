/* report-draw.c - gp-report's pictures: the roofline chart, a gnuplot
 * script that gnuplot draws, and the subgraph DAG in Graphviz's DOT, which
 * dot draws; each written whole or not at all (outfile.c)
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report.h"

/* ---- pictures ---- */

/* Run argv with in[0..n) on its stdin and its stdout into path, written whole
 * or not at all. Dies naming path and the reason: prog missing, failing or
 * killed by a signal (a prog that stops reading is no SIGPIPE here), or the
 * file unwritable. */
static void
render(const char *prog, char *const argv[], const char *in, size_t n, const char *path, const char *what)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct gp_outfile o;
	struct sigaction ign, oldpipe;
	sigset_t block, old;
	int fd[2], st = 0, werr = 0, out, i;
	size_t off = 0;
	pid_t pid;

	out = gp_outfile_open(&o, path);
	if (pipe(fd) < 0)
		gp_die("pipe: %s", strerror(errno));
	fflush(NULL);
	/* the child is recorded, to be killed by a signal, before one can come */
	sigemptyset(&block);
	for (i = 0; i < 3; i++)
		sigaddset(&block, sigs[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	if ((pid = fork()) < 0)
		gp_die("fork: %s", strerror(errno));
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		dup2(fd[0], 0);
		dup2(out, 1);
		close(fd[0]);
		close(fd[1]);
		execvp(prog, argv);
		_exit(127);
	}
	gp_outfile_child(pid);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fd[0]);
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &oldpipe);
	while (off < n) {
		ssize_t w = write(fd[1], in + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			werr = errno;
			break;
		}
		off += (size_t)w;
	}
	close(fd[1]);
	sigaction(SIGPIPE, &oldpipe, NULL);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			gp_die("%s: waiting for %s: %s", path, prog, strerror(errno));
	gp_outfile_child(0);
	if (WIFSIGNALED(st))
		gp_die("%s: %s was killed by signal %d (%s) drawing %s", path, prog, WTERMSIG(st),
		    strsignal(WTERMSIG(st)), what);
	if (WEXITSTATUS(st) == 127)
		gp_die("%s: %s needs %s, which is not installed (apt-get install %s)", path, what, prog,
		    !strcmp(prog, "dot") ? "graphviz" : "gnuplot-nox");
	if (WEXITSTATUS(st) != 0)
		gp_die("%s: %s failed drawing %s (exit status %d)", path, prog, what, WEXITSTATUS(st));
	if (werr)
		gp_die("%s: %s stopped reading %s: %s", path, prog, what, strerror(werr));
	gp_outfile_commit(&o);
}

static const char *
ext(const char *path)
{
	const char *e = strrchr(path, '.');

	return e && !strchr(e, '/') ? e + 1 : "";
}

/* gnuplot's terminal for the chart's file, by its extension; dies for one it cannot draw */
static const char *
roof_term(const char *path)
{
	const char *e = ext(path);

	if (!strcmp(e, "svg"))
		return "svg size 900,600 dynamic font 'sans,12'";
	if (!strcmp(e, "png"))
		return "pngcairo size 1200,800 font 'sans,12'";
	if (!strcmp(e, "pdf"))
		return "pdfcairo size 9in,6in font 'sans,10'";
	gp_die("%s: --roofline draws .svg, .png or .pdf files", path);
}

/* what --dot writes, by the file's extension: DOT text (0) or a picture dot
 * draws (1); dies for an extension it cannot write */
static int
dot_drawn(const char *path)
{
	const char *e = ext(path);

	if (!strcmp(e, "dot") || !strcmp(e, "gv"))
		return 0;
	if (!strcmp(e, "svg") || !strcmp(e, "png") || !strcmp(e, "pdf"))
		return 1;
	gp_die("%s: --dot writes .dot, or .svg, .png or .pdf drawn with Graphviz", path);
}

/* gnuplot-safe: no quotes or backslashes in text that goes into a "..." string */
static void
gpstr(struct gp_buf *b, const char *s)
{
	for (; *s; s++)
		gp_buf_addc(b, *s == '"' || *s == '\\' ? '_' : *s);
}

/* Append to the plot command in b the roofs a kernel class reaches below
 * the chip's: the vector unit's peak (what has no GEMM view, depthwise
 * convolutions) when it is lower than peak, and each memory level inside
 * the outermost, read bandwidth against peak: from gp-roofline's
 * vector_ops, roof_levels and roof_bandwidths; and, when the runtime
 * gives them, the roofs of its kernel classes (roof_classes,
 * roof_class_bandwidths, roof_gemv_ops). An older stream without them draws the one roof. */
static void
class_roofs(struct rep *R, struct gp_buf *b, double peak)
{
	static const char *const color[] = {"#1e8449", "#d68910", "#5d6d7e", "#a04000"};
	static const char *const ccolor[] = {"#117864", "#b9770e", "#6c3483", "#1f618d", "#922b21", "#7d6608"};
	char *end2;
	const char *names = fact(&R->F, "roof_levels"), *bws = fact(&R->F, "roof_bandwidths");
	double v = fact_n(&R->F, "vector_ops"), gv;
	int i;

	if (v > 0 && v < peak) {
		gp_buf_printf(b, ", \\\n  %g with lines dt 2 lw 1.5 lc rgb '#8e44ad' title 'vector unit: %s OP/s'",
		    v, hcount(&R->s.arena, v));
	}
	if (!names || !bws)
		return;
	for (i = 0; *names && *bws; i++) {
		size_t nn = strcspn(names, ","), nb = strcspn(bws, ",");
		char *name = gp_unesc(&R->s.arena, names, nn), *end;
		double bw = strtod(bws, &end);

		if (i > 0 && name && end == bws + nb && bw > 0) {
			gp_buf_printf(b, ", \\\n  (x * %g < %g ? x * %g : %g) with lines dt 3 lw 1.5 lc rgb '%s' title \"",
			    bw, peak, bw, peak, color[(i - 1) % 4]);
			gpstr(b, name);
			gp_buf_printf(b, ": %s B/s\"", hcount(&R->s.arena, bw));
		}
		names += nn + (names[nn] == ',');
		bws += nb + (bws[nb] == ',');
	}
	/* the runtime's kernel classes: from the outermost level, up to the
	 * vector unit (a GEMV's products, to the chip's peak, or to what the
	 * runtime's one-row products reach, roof_gemv_ops) */
	gv = fact_n(&R->F, "roof_gemv_ops");
	names = fact(&R->F, "roof_classes");
	bws = fact(&R->F, "roof_class_bandwidths");
	for (i = 0; names && bws && *names && *bws; i++) {
		size_t nn = strcspn(names, ","), nb = strcspn(bws, ",");
		double bw = strtod(bws, &end2), top;
		int gemv = nn == 4 && !strncmp(names, "gemv", 4);

		top = gemv && gv > 0 && gv < peak ? gv : gemv || !(v > 0 && v < peak) ? peak : v;
		if (end2 == bws + nb && bw > 0) {
			gp_buf_printf(b, ", \\\n  (x * %g < %g ? x * %g : %g) with lines dt 4 lw 1 lc rgb '%s' title \"",
			    bw, top, bw, top, ccolor[i % 6]);
			gp_buf_add(b, names, nn);
			gp_buf_adds(b, " kernels (");
			gpstr(b, fact(&R->F, "runtime") ? fact(&R->F, "runtime") : "runtime");
			gp_buf_printf(b, "): %s B/s\"", hcount(&R->s.arena, bw));
		}
		names += nn + (names[nn] == ',');
		bws += nb + (bws[nb] == ',');
	}
}

/* The roofline chart of R into path, drawn by gnuplot: one dot per
 * subgraph, under the chip's roof and the roofs of its vector unit and
 * inner memory levels. Dies when gp-roofline has not run or nothing can be
 * plotted. */
void
roofline_chart(struct rep *R, const char *path)
{
	struct gp_buf b = {0};
	struct gp_table *t = R->t;
	const int64_t *fl = R->d.flops;
	const double *lat = R->d.lat;
	double *ai = column(R, "ai_hw");
	double peak = fact_n(&R->F, "peak_ops"), bw = fact_n(&R->F, "bandwidth");
	double ridge, xmin = 1e30, xmax = 0;
	const char *term = roof_term(path);
	char *argv[] = {"gnuplot", NULL};
	size_t r;
	int k, have[3] = {0, 0, 0};

	if (!R->has_roof || !lat || !ai || isnan(peak) || isnan(bw))
		gp_die("%s: --roofline needs gp-roofline's data (gp-roofline -H PROFILE before gp-report)", R->s.src);
	ridge = peak / bw;
	for (k = 0; k < 3; k++) {
		static const char *const kinds[] = {"compute", "memory", "launch"};

		gp_buf_printf(&b, "$bound%d << EOD\n", k);
		for (r = 0; r < t->nrow; r++) {
			double x = ai[r], y;

			if (strcmp(cell(t, gp_table_col(t, "bound_hw") >= 0 ? "bound_hw" : "bound", r), kinds[k]) || isnan(x) || x <= 0 || fl[r] <= 0 ||
			    lat[r] <= 0)
				continue;
			y = (double)fl[r] / lat[r];
			have[k]++;
			xmin = fmin(xmin, x);
			xmax = fmax(xmax, x);
			gp_buf_printf(&b, "%.6g %.6g\n", x, y);
		}
		gp_buf_adds(&b, "EOD\n");
	}
	if (xmax <= 0)
		gp_die("%s: --roofline: no subgraph has FLOPs, bytes and a latency to plot", R->s.src);
	xmin = fmin(xmin, ridge) / 10;
	xmax = fmax(xmax, ridge) * 10;
	gp_buf_printf(&b, "set terminal %s\nset output '/dev/stdout'\n", term);
	gp_buf_adds(&b, "set title \"");
	gpstr(&b, fact(&R->F, "model"));
	gp_buf_printf(&b, " on %s (%s), batch %s: one dot per subgraph\" noenhanced\n",
	    fact(&R->F, "hw"), fact(&R->F, "precision"), fact(&R->F, "batch") ?
	    fact(&R->F, "batch") : "?");
	gp_buf_printf(&b, "set logscale xy\nset xrange [%g:%g]\nset yrange [%g:%g]\n", xmin, xmax,
	    peak * 1e-6, peak * 3);
	gp_buf_adds(&b, "set xlabel 'arithmetic intensity (FLOPs/byte)'\n"
	    "set ylabel 'attained (FLOP/s)'\nset grid\nset key bottom right\n"
	    "set format y '%.0s%c'\nset format x '%g'\n");
	gp_buf_printf(&b, "set arrow from %g,%g to %g,%g nohead dt 2 lc rgb 'gray'\n", ridge, peak * 1e-6,
	    ridge, peak);
	gp_buf_printf(&b, "set label 'ridge %.3g' at %g,%g offset 0.5,1\n", ridge, ridge, peak * 1e-5);
	gp_buf_printf(&b, "roof(x) = x * %g < %g ? x * %g : %g\n", bw, peak, bw, peak);
	gp_buf_printf(&b, "plot roof(x) with lines lw 2 lc rgb 'black' title 'roofline: %s OP/s, %s B/s'",
	    hcount(&R->s.arena, peak), hcount(&R->s.arena, bw));
	class_roofs(R, &b, peak);
	for (k = 0; k < 3; k++) {
		static const char *const style[] = {
			"lc rgb '#c0392b' title 'compute-bound'", "lc rgb '#2471a3' title 'memory-bound'",
			"lc rgb '#7f8c8d' title 'launch-bound'",
		};

		if (have[k])
			gp_buf_printf(&b, ", \\\n  $bound%d with points pt 7 ps 0.8 %s", k, style[k]);
	}
	gp_buf_adds(&b, "\n");
	render("gnuplot", argv, b.buf, b.len, path, "the roofline chart");
	gp_buf_release(&b);
	free(ai);
}

static void
dotstr(struct gp_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			gp_buf_addc(b, '\\');
		gp_buf_addc(b, *s);
	}
}

/* the subgraphs --dot shows when there are more than limit: the limit
 * heaviest, by time on a chip, else by FLOPs (ties: the first) */
static char *
dot_pick(const struct gp_dag *d, int limit)
{
	struct row *rows = gp_xcalloc((size_t)d->n + 1, sizeof *rows);
	char *keep = gp_xcalloc((size_t)d->n + 1, 1);
	int v;

	for (v = 0; v < d->n; v++) {
		rows[v].r = (size_t)v;
		rows[v].key = d->lat ? d->lat[v] : known(d->flops[v]);
		if (isnan(rows[v].key) || rows[v].key < 0)
			rows[v].key = -1;
	}
	qsort(rows, (size_t)d->n, sizeof *rows, cmp_row);
	for (v = 0; v < limit && v < d->n; v++)
		keep[rows[v].r] = 1;
	free(rows);
	return keep;
}

/* Write the DAG as DOT into path, or a picture of it drawn by dot. More than
 * limit subgraphs (limit > 0) are too many to lay out in reasonable time
 * (Graphviz takes minutes on 100,000): the limit heaviest are shown, with the
 * arrows between them, and the picture's title and stderr say so. */
void
dot_graph(struct rep *R, const char *path, int limit)
{
	struct gp_buf b = {0};
	const struct gp_dag *d = &R->d;
	struct gp_table *t = R->t;
	int c_crit = gp_table_col(t, "critical"), v, k, *prev, drawn = dot_drawn(path);
	char *keep = NULL;
	const char *by = d->lat ? "time" : "FLOPs";

	/* the arrows: who reads what another writes, from the records' inputs and outputs */
	gp_dag_edges(&R->d);
	if (limit > 0 && d->n > limit) {
		keep = dot_pick(d, limit);
		gp_warn("%s: %d subgraphs are too many to draw: showing the %d heaviest (by %s); "
		    "--dot-limit 0 shows all", path, d->n, limit, by);
	}
	gp_buf_adds(&b, "digraph gp {\n\tgraph [rankdir=TB, fontname=\"sans\", label=\"");
	dotstr(&b, fact(&R->F, "model"));
	if (keep)
		gp_buf_printf(&b, ": the %d heaviest of %d subgraphs (by %s), arrows only between them",
		    limit, d->n, by);
	else
		gp_buf_printf(&b, ": %d subgraphs", d->n);
	gp_buf_printf(&b, "%s\", labelloc=t];\n", c_crit >= 0 ? ", the critical path in red" : "");
	gp_buf_adds(&b, "\tnode [shape=box, style=\"rounded,filled\", fillcolor=\"#f4f6f7\", "
	    "fontname=\"sans\", fontsize=10];\n\tedge [color=\"#566573\"];\n");
	for (v = 0; v < d->n; v++) {
		int crit = c_crit >= 0 && !strcmp(gp_val(t, c_crit, v), "1");

		if (keep && !keep[v])
			continue;
		gp_buf_printf(&b, "\ts%s [label=\"%s ", gp_dag_id(d, v), gp_dag_id(d, v));
		dotstr(&b, field(&R->s.arena, t, "kind", (size_t)v));
		gp_buf_adds(&b, "\\n");
		dotstr(&b, field(&R->s.arena, t, "name", (size_t)v));
		gp_buf_printf(&b, "\\n%s FLOPs\"%s];\n", hcount(&R->s.arena, d->flops[v] < 0 ? NAN :
		    (double)d->flops[v]), crit ? ", color=\"#c0392b\", penwidth=2, fillcolor=\"#fadbd8\"" : "");
	}
	/* an edge is on the critical path when it joins two of its subgraphs
	 * that follow each other on it (its subgraphs ascend along it) */
	prev = gp_xcalloc((size_t)d->n + 1, sizeof *prev);
	for (v = 0, k = -1; v < d->n; v++) {
		prev[v] = k;
		if (c_crit >= 0 && !strcmp(gp_val(t, c_crit, v), "1"))
			k = v;
	}
	for (v = 0; v < d->n; v++)
		for (k = d->p0[v]; k < d->p0[v + 1]; k++) {
			int u = d->p[k];
			int crit = c_crit >= 0 && !strcmp(gp_val(t, c_crit, v), "1") && prev[v] == u;

			if (keep && (!keep[u] || !keep[v]))
				continue;
			gp_buf_printf(&b, "\ts%s -> s%s%s;\n", gp_dag_id(d, u), gp_dag_id(d, v),
			    crit ? " [color=\"#c0392b\", penwidth=2]" : "");
		}
	free(prev);
	free(keep);
	gp_buf_adds(&b, "}\n");
	if (drawn) {
		char fmt[8];
		char *argv[] = {"dot", fmt, NULL};

		snprintf(fmt, sizeof fmt, "-T%s", ext(path));
		render("dot", argv, b.buf, b.len, path, "the graph");
	} else {
		gp_outfile_save(path, b.buf, b.len);
	}
	gp_buf_release(&b);
}

void
draw_check(const char *roof, const char *dot)
{
	if (roof) {
		roof_term(roof);
		gp_outfile_check(roof);
	}
	if (dot) {
		dot_drawn(dot);
		gp_outfile_check(dot);
	}
}
