/* report.h - what the files of gp-report share: the facts a stream states,
 * the output's form, and each file's entry points
 *
 *   gp-report.c      the command line; one stream's report, or several
 *   report-facts.c   reading a stream: headers and records into facts; --summary
 *   report-text.c    the sections of one stream's report; --top
 *   report-sweep.c   several streams: a sweep and how it grows; --compare
 *   report-draw.c    the pictures: gnuplot's roofline chart, Graphviz's DAG
 */
#ifndef REPORT_H
#define REPORT_H

#include "gp.h"

/* ---- report-facts.c ---- */

/* What the stream says, as exact text by key, in the order first put. */
struct fact {
	const char *k, *v;
};
struct facts {
	struct gp_arena *a;
	struct fact *f;
	int n, cap;
};
void fact_put(struct facts *F, const char *k, const char *v);      /* v copied; NULL: nothing */
void fact_putf(struct facts *F, const char *k, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *fact(const struct facts *F, const char *k);        /* NULL if absent or "." */
double fact_n(const struct facts *F, const char *k);             /* NAN if absent or not a number */

/* One stream read: its records as they are, and its facts. */
struct rep {
	struct gp_stream s;
	const char *sweep;              /* its ##sweep header (gp-shape --sweep), or NULL */
	char **swname;                  /* its swept dims */
	int64_t *swval;                 /* and their values */
	int nsw;
	struct gp_dag d;                /* the subgraph records as numbers (gp_dag_records) */
	struct gp_table *t;             /* the subgraph records */
	struct facts F;
	int has_concur, has_roof;
};
/* Read every stream of f (named src), each with its facts, appending to *R
 * (n so far, NULL-terminated); returns the new count. Dies on bad input. */
int read_all(FILE *f, const char *src, struct rep ***R, int n);
void release(struct rep *r);
double *column(struct rep *R, const char *name);    /* a subgraph column, NAN where '.'; NULL if none */
void summary(const struct facts *F);                /* the --summary lines */

/* ---- report-text.c ---- */

/* How the report is written: text (colour, clipping to width on a
 * terminal) or Markdown; sections are counted to space them. */
struct out {
	int md, color, width;
	struct gp_arena *a;             /* the text of the tables being written */
	int nsec;
};
/* numbers for people (human.c), as text in a */
const char *hcount(struct gp_arena *a, double v);   /* 3.64 G */
const char *hbytes(struct gp_arena *a, double v);   /* 44.6 MiB */
const char *htime(struct gp_arena *a, double v);    /* 133 us */
const char *hpct(struct gp_arena *a, double v);     /* 42.2% */
void section(struct out *O, const char *title);
void tprint(struct out *O, struct gp_grid *T);      /* print T and free its rows */
void kv_begin(struct gp_grid *K);                   /* key-value lines */
void kv(struct gp_grid *K, const char *k, const char *v);
double known(int64_t x);                            /* a count, NAN when unknown (< 0) */
const char *cell(const struct gp_table *t, const char *col, size_t r);       /* escaped, "." if none */
const char *field(struct gp_arena *a, const struct gp_table *t, const char *col, size_t r); /* decoded */
/* subgraphs ordered by a key, heaviest first, then by record */
struct row {
	size_t r;
	double key;
};
int cmp_row(const void *a, const void *b);
void top(struct out *O, struct rep *R, int n, const char *by);  /* --top N --by flops|bytes|time */
void report(struct out *O, struct rep *R);                      /* the report of one stream */

/* ---- report-sweep.c ---- */

void sweep_section(struct out *O, struct rep **R, int n);       /* several streams of one model */
void compare(struct out *O, int nfiles, char **files);          /* --compare */

/* ---- report-draw.c ---- */

void draw_check(const char *roof, const char *dot);     /* dies unless each (if given) can be written */
void roofline_chart(struct rep *R, const char *path);
void dot_graph(struct rep *R, const char *path, int limit);

#endif
