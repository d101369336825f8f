/* roofline.h - what the files of gp-roofline share
 *
 *   gp-roofline.c      the command line; one stream on a chip: estimates and totals
 *   roofline-kernel.c  what the subgraph records give each kernel (struct gp_kernel)
 */
#ifndef ROOFLINE_H
#define ROOFLINE_H

#include "gp.h"

/* What the subgraph records give each kernel, read once per pass: the
 * columns and whether bytes are scaled to the precision's element size. */
struct kcols {
	const struct gp_dag *d;
	int64_t *macs;        /* or NULL */
	int64_t *bi;          /* bytes_input, or NULL (a stream from before it) */
	int64_t *bk, *br;     /* body_kernels, body_runs, or NULL */
	int64_t *cc, *cg, *cx, *cw, *cs; /* conv_calls, conv_groups, conv_im2col,
	                                   * conv_im2col_rows, conv_im2col_strided, or NULL */
	int64_t *ro, *ri, *rx; /* reorders, reorder_bytes_in and _out, when the runtime
	                              * has an NCHWc layout; or NULL */
	int c_cm;                   /* conv_gemm, when the runtime has conv_columns; or -1 */
	struct gp_gemm *cm;         /* its products, parsed */
	int ncm;
	int bodies;                 /* the runtime runs bodies as graphs (they count) */
	int scale, c_fe, c_fb, c_gemm, c_class;
	int c_ops, c_kind;          /* ops and kind, when the runtime splits or costs by op type; or -1 */
	int64_t *bt, *ch, *sp; /* then batch, channels, spatial too (or NULL) */
	int64_t *rw;          /* and rows (or NULL) */
	int64_t *cp, *cr;     /* copy_elems and copy_run, when the runtime splits copies by
	                       * their size (or NULL) */
	double bits;
	int classify;               /* read each kernel's class (the estimates' pass) */
	const char *cname;          /* the class field read last, */
	int cls;                    /* and its class: rows alike need no new search */
};

/* kcols_open reads into K the columns of d's subgraph records that chip h
 * and its runtime use, bytes scaled to bits an element when scale is set;
 * kcols_close frees them */
void kcols_open(struct kcols *K, const struct gp_dag *d, const struct gp_hw *h, int scale, double bits);
void kcols_close(struct kcols *K);
/* kernel_at fills k with subgraph r as the mapping sees it, its products
 * in gm (GP_GEMM_MAX of them): 1, or 0 when its counts are not known; dies
 * on a malformed float_elems, float_bytes or gemm field. */
int kernel_at(struct kcols *K, size_t r, struct gp_kernel *k, struct gp_gemm *gm);

#endif
