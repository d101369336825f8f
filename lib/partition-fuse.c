/* partition-fuse.c - gp-partition --fuse: which nodes merge into one kernel, never making a cycle */
#include <stdlib.h>
#include <string.h>

#include "partition.h"

#define DFS_BUDGET 4096         /* groups visited by one cycle check, at most */

/* reaches: is group h reachable from group s along tensors? (1 also when the
 * search is too long: the caller then does not fuse) */
static int
reaches(struct part *P, int s, int h)
{
	struct gp_graph *g = P->g;
	int *stack = gp_xcalloc((size_t)P->ngrp + 1, sizeof *stack), sp = 0, seen = 0, found = 0;

	P->stamp++;
	stack[sp++] = s;
	P->mark[s] = P->stamp;
	while (sp > 0 && !found) {
		int G = stack[--sp], m, j, c;

		if (++seen > DFS_BUDGET) {
			found = 1;
			break;
		}
		for (m = P->first[G]; m >= 0 && !found; m = P->next[m]) {
			struct gp_node *n = &g->n[m];

			for (j = 0; j < n->nout && !found; j++) {
				int t = n->out[j];

				if (t < 0)
					continue;
				for (c = P->cons0[t]; c < P->cons0[t + 1]; c++) {
					int H = P->grp[P->cons[c]];

					if (H < 0 || P->mark[H] == P->stamp)
						continue;
					if (H == h) {
						found = 1;
						break;
					}
					P->mark[H] = P->stamp;
					stack[sp++] = H;
				}
			}
		}
	}
	free(stack);
	return found;
}

static void
join(struct part *P, int i, int G)
{
	P->grp[i] = G;
	P->next[i] = -1;
	if (P->last[G] >= 0)
		P->next[P->last[G]] = i;
	else
		P->first[G] = i;
	P->last[G] = i;
}

int64_t
part_main_numel(struct part *P, int i)
{
	struct gp_node *n = &P->g->n[i];

	return n->nout > 0 && n->out[0] >= 0 ? numel(&P->g->t[n->out[0]]) : -1;
}

/* an activation a runtime fuses into the kernel before it under the "activation" rule */
static int
activation(const struct gp_node *n)
{
	static const char *const ops[] = {
		"Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Add", NULL,
	};
	int i;

	for (i = 0; ops[i]; i++)
		if (!strcmp(n->op, ops[i]))
			return 1;
	return 0;
}

const char *const gp_fuse_rule_names[] = {
	"conv-bn", "epilogue", "activation", "elementwise", "row", "attention", "matmul-transpose", "norm",
	"patterns", "matmul-scale", "reshape-shape", "shape-cse", NULL,
};

int
gp_fuse_rules(const char *list)
{
	unsigned r = 0;
	const char *p = list;
	int i;

	while (*p) {
		size_t n = strcspn(p, ",");

		for (i = 0; gp_fuse_rule_names[i]; i++)
			if (strlen(gp_fuse_rule_names[i]) == n && !strncmp(gp_fuse_rule_names[i], p, n))
				break;
		if (!gp_fuse_rule_names[i])
			return -1;
		r |= 1u << i;
		p += n;
		if (*p == ',')
			p++;
	}
	return (int)r;
}

/* node i is the one reader of what group G gives it, and none of that is a
 * graph output: a runtime that fuses only activations fuses one then
 * (onnxruntime's ConvActivationFusion wants a Conv of one output edge) */
static int
sole_reader(struct part *P, int i, int G)
{
	int *rd, nr, j;

	rd = part_reads(P, (size_t)i, &nr);
	for (j = 0; j < nr; j++) {
		int t = rd[j], p = P->g->t[t].producer;

		if (p >= 0 && P->grp[p] == G && (P->cons0[t + 1] - P->cons0[t] != 1 || P->escapes[t]))
			return 0;
	}
	return 1;
}

/* node i, an activation joining the dense kernel G under the activation
 * rule, is one a runtime fuses there: anything into a convolution (its
 * residual Add too: onnxruntime's NCHWc convolutions take a sum input);
 * into a MatMul or Gemm only a bias Add, whose other operand is a constant
 * (onnxruntime's MatMulAddFusion makes a Gemm of it; a residual Add stays),
 * and only into a MatMul whose second input is a matrix, and not into one
 * whose first input is not a matrix when the model's
 * shapes are fixed only at run time (MatMulAddFusion reshapes that input to
 * a matrix only when its shape is all numbers, matmul_add_fusion.cc); an
 * activation into a Gemm, or a MatMul that took its bias Add and so is one
 * (GemmActivationFusion), not into a bare MatMul; a HardSwish into a Conv only */
static int
dense_takes(struct part *P, int i, int G)
{
	const struct gp_node *n = &P->g->n[i], *d = &P->g->n[P->first[G]];
	int j, a = P->first[G];

	if (!strncmp(P->cost[a].kind, "conv", 4))
		return 1;
	/* a HardSwish only into a Conv: after a Gemm it stays apart (onnxruntime
	 * 1.30 runs MobileNet-V3's as a HardSigmoid and a Mul) */
	if (!strcmp(n->op, "HardSwish"))
		return 0;
	if (!strcmp(d->op, "MatMul") && strcmp(n->op, "Add"))
		return P->last[G] != a;
	if (strcmp(n->op, "Add"))
		return 1;
	if (!strcmp(d->op, "MatMul") && !(d->nin > 1 && d->in[1] >= 0 && P->g->t[d->in[1]].shape.rank == 2))
		return 0;
	if (!strcmp(d->op, "MatMul") && P->o->dynamic &&
	    !(d->nin > 0 && d->in[0] >= 0 && P->g->t[d->in[0]].shape.rank == 2))
		return 0;
	for (j = 0; j < n->nin; j++) {
		int t = n->in[j] >= 0 ? P->root[n->in[j]] : -1, p = t >= 0 ? P->g->t[t].producer : -1;

		if (t >= 0 && !(p >= 0 && P->grp[p] == G) && !P->isconst[t])
			return 0;
	}
	return 1;
}

/* scaled: the operand node i scales by a constant scalar, a Mul's either
 * factor or a Div's dividend, when i is such a scale of an activation that
 * has dims (onnxruntime's MatMulScaleFusion, GetScaleFromNode); else -1 */
static int
scaled(struct part *P, int i)
{
	const struct gp_node *n = &P->g->n[i];
	int j;

	if (n->nin != 2 || (strcmp(n->op, "Mul") && strcmp(n->op, "Div")))
		return -1;
	for (j = 0; j < 2; j++) {
		int t = n->in[j] >= 0 ? P->root[n->in[j]] : -1;
		int x = n->in[1 - j] >= 0 ? P->root[n->in[1 - j]] : -1;

		if (t < 0 || !P->isconst[t] || numel(&P->g->t[t]) != 1 || (j == 0 && strcmp(n->op, "Mul")))
			continue;
		if (x >= 0 && !P->isconst[x] && P->g->t[x].shape.rank > 0)
			return x;
	}
	return -1;
}

/* scale: node i, joining the bare MatMul G under the matmul-scale rule,
 * multiplies or divides its output by a constant scalar (onnxruntime's
 * MatMulScaleFusion makes a FusedMatMul of the two, its alpha the scale; a
 * MatMul that took its bias is a Gemm, which it leaves) */
static int
scale(struct part *P, int i, int G)
{
	int a = P->first[G], x;

	if (strcmp(P->g->n[a].op, "MatMul") || P->last[G] != a)
		return 0;
	x = scaled(P, i);
	return x >= 0 && P->g->t[x].producer == a;
}

/* lead_scale: MatMul i, joining group G under the matmul-scale rule, reads
 * what G's one node, a scale by a constant scalar, made of an activation,
 * and nothing else reads it: the same fusion, the scale before the product */
static int
lead_scale(struct part *P, int i, int G)
{
	int a = P->first[G];

	return !strcmp(P->g->n[i].op, "MatMul") && P->last[G] == a && scaled(P, a) >= 0 &&
	    sole_reader(P, i, G);
}

/* bias_add: node i is an Add of a constant (a bias) to an activation */
static int
bias_add(struct part *P, int i)
{
	const struct gp_node *n = &P->g->n[i];
	int j, c = 0, x = 0;

	for (j = 0; j < n->nin; j++) {
		int t = n->in[j] >= 0 ? P->root[n->in[j]] : -1;

		if (t >= 0 && P->isconst[t])
			c++;
		else if (t >= 0)
			x++;
	}
	return !strcmp(n->op, "Add") && c == 1 && x == 1;
}

/* gemm_reshaped: node i, joining the bare MatMul G, is its bias Add, and the
 * MatMul's first input has more than 2 dims: a runtime that makes a Gemm of
 * the two (onnxruntime's MatMulAddFusion) reshapes that input to a matrix
 * and the output back, two views it runs (matmul_add_fusion.cc:
 * gemm_input_reshape, gemm_output_reshape) */
static int
gemm_reshaped(struct part *P, int i, int G)
{
	const struct gp_node *a = &P->g->n[P->first[G]];
	int x = a->nin > 0 ? a->in[0] : -1;

	return P->first[G] == P->last[G] && !strcmp(a->op, "MatMul") && bias_add(P, i) && x >= 0 &&
	    P->g->t[x].shape.rank > 2;
}

/* group G starts a LayerNorm written out, as onnxruntime's LayerNormFusion
 * finds one: with a ReduceMean (the norm rule lets its ops join it) */
static int
layernorm(struct part *P, int G)
{
	return !strcmp(P->g->n[P->first[G]].op, "ReduceMean");
}

/* node i, element-wise, continues group G along an activation onnxruntime
 * fuses by name, written out: GELU (Div, Erf, Add, Mul, Mul: GeluFusion,
 * a Gelu kernel), the same after the Add of a bias (a constant operand:
 * BiasGeluFusion, a BiasGelu kernel; it runs after MatMulAddFusion, and
 * finds the Adds that did not become a Gemm's) or SiLU (Sigmoid, Mul:
 * QuickGeluFusion), the group's ops and i's a prefix of one; or i is an
 * activation after a BatchNormalization, which onnxruntime's NCHWc
 * transformer makes a depthwise convolution with the activation fused */
static int
along_pattern(struct part *P, int i, int G)
{
	static const char *const pats[][7] = {
		{"Div", "Erf", "Add", "Mul", "Mul", NULL},
		{"Add", "Div", "Erf", "Add", "Mul", "Mul", NULL},
		{"Sigmoid", "Mul", NULL},
	};
	const struct gp_node *f = &P->g->n[P->first[G]];
	size_t p;
	int m, k;

	if (!strcmp(f->op, "BatchNormalization") && P->first[G] == P->last[G])
		return activation(&P->g->n[i]) && strcmp(P->g->n[i].op, "Add") && sole_reader(P, i, G);
	if (!strcmp(f->op, "Add") && !bias_add(P, P->first[G]))
		return 0;
	for (p = 0; p < sizeof pats / sizeof *pats; p++) {
		for (m = P->first[G], k = 0; m >= 0 && pats[p][k]; m = P->next[m], k++)
			if (strcmp(P->g->n[m].op, pats[p][k]))
				break;
		if (m < 0 && pats[p][k] && !strcmp(P->g->n[i].op, pats[p][k]))
			return 1;
	}
	return 0;
}

/* can node i join group G (which produces one of the tensors it reads)? */
static int
fits(struct part *P, int i, int G)
{
	struct gp_node *n = &P->g->n[i];
	int a = P->first[G], *rd, nr, j;
	enum gp_class ca = cls(P, &P->g->n[a]), ci = cls(P, n);
	int64_t e = part_main_numel(P, i);

	if (e < 0 || n->nout != 1)
		return 0;
	if (P->att[G] == 1 && ci == GP_C_ROW && !strcmp(n->op, "Softmax")) {
		/* attention: the Softmax of the scores stays on chip */
		if (e != part_main_numel(P, a))
			return 0;
	} else if (P->att[G] == 2 && ci == GP_C_DENSE) {
		/* and so do the probabilities the second MatMul reads */
		int x = n->nin > 0 && n->in[0] >= 0 ? P->root[n->in[0]] : -1;
		int p = x >= 0 ? P->g->t[x].producer : -1;

		if (strcmp(P->cost[i].kind, "matmul") || p < 0 || P->grp[p] != G)
			return 0;
	} else if (ci == GP_C_ELEM) {
		if (ca == GP_C_DENSE || ca == GP_C_POOL) {
			if (e != part_main_numel(P, a))
				return 0;
			if (!rule(P, GP_FUSE_EPILOGUE) && !(rule(P, GP_FUSE_ACTIVATION) && activation(n) &&
			    sole_reader(P, i, G) && dense_takes(P, i, G)) &&
			    !(rule(P, GP_FUSE_SCALE) && sole_reader(P, i, G) && scale(P, i, G)))
				return 0;
		} else if (ca != GP_C_ELEM && ca != GP_C_ROW) {
			return 0;
		} else if (e > P->ext[G]) {
			return 0;
		} else if (!rule(P, GP_FUSE_ELEMWISE) && !(rule(P, GP_FUSE_NORM) && layernorm(P, G)) &&
		    !(rule(P, GP_FUSE_PATTERNS) && along_pattern(P, i, G))) {
			return 0;
		}
	} else if (ci == GP_C_ROW) {
		if (e > P->ext[G])
			return 0;
		if (!(rule(P, GP_FUSE_ROW) && (ca == GP_C_ELEM || ca == GP_C_ROW)) &&
		    !(rule(P, GP_FUSE_NORM) && layernorm(P, G)))
			return 0;
	} else if (ci == GP_C_DENSE && ca == GP_C_ELEM && P->o->rules && rule(P, GP_FUSE_SCALE)) {
		if (!lead_scale(P, i, G))
			return 0;
	} else {
		return 0;
	}
	/* every other tensor it reads must not depend on G */
	rd = part_reads(P, (size_t)i, &nr);
	for (j = 0; j < nr; j++) {
		struct gp_tensor *t = &P->g->t[rd[j]];
		int H = t->producer >= 0 ? P->grp[t->producer] : -1;

		if (H >= 0 && H != G && reaches(P, G, H))
			return 0;
	}
	return 1;
}

/* foldable: is node i a BatchNormalization right after the Conv/Gemm that
 * alone makes group G? */
static int
foldable(struct part *P, int i, int G)
{
	struct gp_node *n = &P->g->n[i], *a = &P->g->n[P->first[G]];
	int x = n->nin > 0 && n->in[0] >= 0 ? P->root[n->in[0]] : -1;

	int k;

	if (!rule(P, GP_FUSE_CONVBN) || strcmp(n->op, "BatchNormalization") != 0 || n->nin < 5 ||
	    n->nout < 1 || P->first[G] != P->last[G] || a->nout < 1 || n->in[0] != a->out[0])
		return 0;       /* right after the conv, not through a view */
	for (k = 1; k < 5; k++)
		if (n->in[k] < 0 || !P->isconst[P->root[n->in[k]]])
			return 0;       /* its statistics must be constants to fold */
	return (!strcmp(a->op, "Conv") || !strcmp(a->op, "Gemm") || !strcmp(a->op, "ConvTranspose")) &&
	    P->cons0[x + 1] - P->cons0[x] == 1 && !P->escapes[x];
}

void
part_group(struct part *P)
{
	struct gp_graph *g = P->g;
	size_t i;
	int j, *rd, nr;

	for (i = 0; i < g->nn; i++) {
		int G = -1;

		if (!P->member[i])
			continue;
		if (P->o->fuse) {
			int nc = 0;

			/* the groups that make what it reads: join the first that fits */
			rd = part_reads(P, i, &nr);
			for (j = 0; j < nr; j++) {
				int p = g->t[rd[j]].producer;

				if (p >= 0 && P->grp[p] >= 0 && !P->isconst[rd[j]])
					P->cand[nc++] = P->grp[p];
			}
			for (j = 0; j < nc && G < 0; j++) {
				if (foldable(P, (int)i, P->cand[j])) {
					P->folded[i] = 1;
					G = P->cand[j];
				} else if (fits(P, (int)i, P->cand[j])) {
					G = P->cand[j];
				}
			}
		}
		if (G < 0) {
			G = P->ngrp++;
			P->first[G] = P->last[G] = -1;
			P->ext[G] = 0;
			/* a MatMul of two activations may be attention's scores */
			P->att[G] = P->o->fuse && rule(P, GP_FUSE_ATTENTION) && cls(P, &g->n[i]) == GP_C_DENSE &&
			    P->cost[i].kind && !strcmp(P->cost[i].kind, "matmul");
		} else if (P->att[G] == 1 && !strcmp(g->n[i].op, "Softmax")) {
			P->att[G] = 2;
		} else if (P->att[G] == 2 && cls(P, &g->n[i]) == GP_C_DENSE) {
			P->att[G] = 3;
		} else if (gemm_reshaped(P, (int)i, G)) {
			P->view_nodes += 2;
		}
		join(P, (int)i, G);
		rd = part_reads(P, i, &nr);
		for (j = 0; j < nr; j++)
			if (!P->isconst[rd[j]] && numel(&g->t[rd[j]]) > P->ext[G])
				P->ext[G] = numel(&g->t[rd[j]]);
		if (part_main_numel(P, (int)i) > P->ext[G])
			P->ext[G] = part_main_numel(P, (int)i);
	}
}

