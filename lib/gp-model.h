/* gp-model.h - the model layer of the gp library, included by gp.h (include
 * gp.h, not this): the op table, partitioning, the GEMM view, the subgraph
 * DAG and concurrency, hardware profiles and the mapping of a kernel onto a
 * chip, shape inference and its inputs (bind, rebatch, roles); each section
 * names its file */
#ifndef GP_MODEL_H
#define GP_MODEL_H
/* ---- ops.c: the op table (its functions in op-*.c, dims.c; private: op.h) ---- */
/* What a node costs when it runs, as its op's cost function counts it
 * (docs/counting.md). Counts are exact; a product that would overflow 64 bits
 * sets overflow instead of wrapping. */
struct gp_cost {
	int64_t macs, flops;                /* flops include 2 per MAC */
	int64_t batch, channels, spatial;   /* of the main output */
	int64_t threads;                    /* independent output elements */
	int64_t groups;
	/* the rows a normalization, softmax or reduction goes along, each a pass
	 * of its own (a LayerNorm's dims before its axis, a reduction's or a
	 * global pool's outputs); 0 for any other op */
	int64_t rows;
	/* what a Concat, Split or Transpose copies: the elements of its largest
	 * piece (a Concat's input, a Split's output, a Transpose's tensor), and a
	 * Transpose's contiguous run, the elements that keep their order
	 * together (1 when its innermost axis moves, all of them when only axes
	 * of size 1 do); 0 for any other op, -1 not known */
	int64_t copy, copy_run;
	const char *kind;                   /* op family: conv2d, linear, relu, ... */
	int64_t read0;                      /* elements read of input 0 when fewer than all (Gather, Slice); else -1 */
	int64_t alt_flops;                  /* If whose condition is not known: the other branch's FLOPs */
	/* flags, a byte each (gp-partition holds a cost per node) */
	signed char branch;                 /* If: the branch counted, 1 then_branch, 2 else_branch; else 0 */
	signed char cond;                   /* If: 1 when its condition's value chose it, 0 when the larger counts */
	signed char depthwise;
	signed char overflow;
};
/* What a runtime's generic Conv expands in its im2col (partition.h
 * conv_im2col), each -1 when not known: the floats it writes (and its GEMM
 * reads back), Cin / g x kernel x output positions a group and image, 0 for
 * a pointwise one, which multiplies its input as it is; the rows it copies
 * them in, each a loop of its own; and the floats it copies one at a time,
 * along a stride above 1 on the last axis. */
struct gp_im2col {
	int64_t floats, rows, strided;
};
/* The layout reorders a runtime's NCHWc transformer puts beside a kernel
 * (partition-nchwc.c): how many, and the bytes they read and write in all,
 * each -1 when not known. */
struct gp_reorders {
	int64_t n, in, out;
};
/* How an op runs, which decides how gp-partition treats it. */
enum gp_class {
	GP_C_UNKNOWN,                       /* no cost function: reported, never zero */
	GP_C_FREE,                          /* no kernel: Identity, Dropout, Shape, Size, Constant */
	GP_C_VIEW,                          /* a view of input 0, no data moved: Reshape, Flatten, ... */
	GP_C_ELEM,                          /* element-wise: fuses into its producer */
	GP_C_ROW,                           /* reductions and normalizations over rows: Softmax, Reduce*, ... */
	GP_C_POOL,                          /* windowed reductions: MaxPool, AveragePool, ... */
	GP_C_MOVE,                          /* moves data, computes (almost) nothing: Concat, Transpose, ... */
	GP_C_DENSE,                         /* multiply-accumulate: Conv, Gemm, MatMul, Einsum */
	GP_C_CONTROL,                       /* If, Loop, Scan: the cost of their bodies */
};
struct gp_op {
	const char *name;                   /* ONNX op type, default domain unless domain is set */
	const char *domain;
	/* infer the node's output dtypes, shapes and (small) values from its
	 * inputs; 0 done, -1 could not (an input unknown), -2 impossible; NULL
	 * when gp cannot (the outputs keep their declared shapes) */
	int (*shape)(struct gp_graph *g, struct gp_node *n);
	/* count the node's cost into c (zeroed, read0 = -1); 0 done, -1 a shape it needs is unknown */
	int (*cost)(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe);
	enum gp_class cls;
	int fpe;                            /* FLOPs per element, for the cost functions that use one */
	unsigned flags;                     /* GP_OP_* */
};
/* gp_op.flags */
enum {
	GP_OP_TRANS = 1,                    /* evaluates an exponential or its kin (Exp, Sigmoid, Erf, Sin...) */
};
/* The classes of kernels whose memory rate a runtime profile may give apart
 * (efficiency.CLASS, docs/roofline.md "Kernel classes"). gp-partition gives
 * each kernel its class from the op table (gp_sub.kcls); a GEMV is told by
 * its products, in the mapping. */
enum gp_kclass {
	GP_KC_OTHER,                        /* none of these: the runtime's efficiency.memory */
	GP_KC_ELEMENTWISE,                  /* element-wise arithmetic, comparisons, batchnorm */
	GP_KC_TRANSCENDENTAL,               /* element-wise with an exp, erf, tanh, sigmoid, ... */
	GP_KC_ROW,                          /* over rows: softmax, layernorm, reductions */
	GP_KC_POOL,                         /* pools: max, average, global */
	GP_KC_MOVE,                         /* data movement: transpose, concat, slice, cast, resize, ... */
	GP_KC_GEMV,                         /* a matrix kernel whose every product has one row */
	GP_KC_N
};
extern const char *const gp_kclass_names[GP_KC_N + 1];  /* "other", "elementwise", ... NULL */
/* The class named name (gp_kclass_names), GP_KC_OTHER for NULL, "." or a name it does not know. */
int gp_kclass_from_name(const char *name);
const struct gp_op *gp_op_find(const char *domain, const char *op);
const struct gp_op *gp_op_at(size_t i);     /* the table's i-th entry, NULL past the end */
size_t gp_op_index(const struct gp_op *op); /* i such that gp_op_at(i) is op (an entry it returned) */
/* Count node n's cost: 0 done, -1 unknown (no cost function, or shapes
 * unknown), with c's parallelism filled from its main output. */
int gp_op_cost(struct gp_graph *g, struct gp_node *n, struct gp_cost *c);
/* trips of a Loop or Scan body, -1 unknown (op-control.c) */
int64_t gp_loop_trips(struct gp_graph *g, struct gp_node *n);
/* 1 if node n's output 0 is its input 0 under another name or shape (a view,
 * Identity, Dropout): no kernel, no data moved. */
int gp_op_passes(const struct gp_node *n);
int gp_op_passes_on(const char *domain, const char *op);   /* the same by op type */
/* The tensor t is a view of, through every node that passes its input on. */
int gp_tensor_root(const struct gp_graph *g, int t);
/* Set by shape functions on an impossible node: a message, for the caller to report. */
extern char gp_op_err[256];

/* ---- partition.c: subgraphs, the kernels a graph runs as ---- */
struct gp_part_opts {
	int fuse;                           /* fuse as an inference compiler would */
	int dtype;                          /* count floating tensors at this dtype; 0: as they are */
	unsigned rules;                     /* with fuse: the GP_FUSE_* rules to apply; 0: all */
	int dynamic;                        /* the model's input dims are not all numbers (##shape
	                                     * dynamic=1): a runtime's fusions that need fixed
	                                     * shapes do not apply */
	int nchwc_block;                    /* with --fuse=RUNTIME, its nchwc_block: a 2-D Conv its
	                                     * NCHWc layout does not take runs as its generic Conv
	                                     * (conv_calls), and the layout's reorders are counted
	                                     * (partition-nchwc.c); 0: only 1-D ones do, none */
};
/* The fusion rules of --fuse (docs/counting.md), which a runtime profile names. */
enum {
	GP_FUSE_CONVBN = 1,                 /* "conv-bn": BatchNormalization folded into its Conv/Gemm */
	GP_FUSE_EPILOGUE = 2,               /* "epilogue": element-wise ops into the MAC or pool kernel */
	GP_FUSE_ACTIVATION = 4,             /* "activation": only one-input activations and Add */
	GP_FUSE_ELEMWISE = 8,               /* "elementwise": element-wise ops into element-wise/row kernels */
	GP_FUSE_ROW = 16,                   /* "row": row reductions into element-wise/row kernels */
	GP_FUSE_ATTENTION = 32,             /* "attention": scores, Softmax and the weighted sum in one */
	GP_FUSE_TRANSPOSE = 64,             /* "matmul-transpose": a Transpose of the last two axes read
	                                     * only by MatMuls is their operand's layout, no kernel */
	GP_FUSE_NORM = 128,                 /* "norm": a LayerNorm written out is one kernel, from its
	                                     * first ReduceMean, not the element-wise op before it */
	GP_FUSE_PATTERNS = 256,             /* "patterns": element-wise ops join an element-wise kernel
	                                     * only along the activations a runtime fuses by name (GELU,
	                                     * SiLU), and an activation a BatchNormalization */
	GP_FUSE_SCALE = 512,                /* "matmul-scale": a Mul or Div by a constant scalar of a
	                                     * MatMul's output, its only reader, into the MatMul */
	GP_FUSE_RESHAPE = 1024,             /* "reshape-shape": a Reshape's shape made of constants and
	                                     * its input's own dims (Shape, Gather, Unsqueeze, Concat)
	                                     * is a constant: those shape nodes are not run */
	GP_FUSE_CSE = 2048,                 /* "shape-cse": a shape node that repeats one before it
	                                     * (op, attributes, inputs) is not run */
};
/* The rules' names, bit i's at i: "conv-bn", "epilogue", ... NULL. */
extern const char *const gp_fuse_rule_names[];
/* The rules a comma-separated list of their names makes; -1 if a name is not one. */
int gp_fuse_rules(const char *list);
struct gp_sub {
	int id;                             /* 1, 2, ... in topological order */
	int anchor;                         /* the node it is named after (its first) */
	int *nodes;                         /* the nodes it holds, in order */
	int *in;                            /* activation tensors it reads (views resolved) */
	int *w;                             /* weights (and other constants) it reads */
	int *out;                           /* tensors it writes that others read */
	int nnode, nin, nw, nout;           /* how many of each */
	int known;                          /* macs and flops are known */
	int ngemm;                          /* matrix products; 0 none (not a matrix kernel), -1 unknown */
	int kcls;                           /* enum gp_kclass: for a runtime's per-class memory rate */
	const char *ops;                    /* op types joined by '+' */
	struct gp_cost c;                   /* macs, flops (-1 unknown) and the anchor's parallelism */
	int64_t bytes_in, bytes_out, bytes_weight;  /* -1 unknown */
	/* of bytes_in, what the graph's inputs hold (the caller's tensors, which
	 * live between runs as the weights do, not where a kernel left them) */
	int64_t bytes_input;
	/* of floating tensors (what a precision change scales): elements and
	 * bytes read, written and of weights; -1 unknown */
	int64_t felem[3], fbytes[3];
	struct gp_gemm *gemm;               /* its matrix products (gemm.c), arena memory */
	/* of its control nodes (If, Loop, Scan) per run: the nodes of the bodies
	 * that count that would be kernels (nested control nodes too), and how
	 * many times a body runs (an If's branch once, a Loop's body per trip);
	 * 0 without control nodes, -1 unknown (a trip count) */
	int64_t body_kernels, body_runs;
	/* generic Conv nodes (its own and its bodies', per run) and their
	 * groups: what a runtime's generic Conv pays per call and per group */
	int64_t conv_calls, conv_groups;
	/* what their im2col expands (struct gp_im2col) */
	struct gp_im2col im2col;
	/* the NCHWc layout reorders the runtime runs for its tensors (struct
	 * gp_reorders): of its inputs, before it, and of its outputs, after it */
	struct gp_reorders reorders;
	/* their GEMMs as a runtime's generic Conv runs them (NCHW): per image and
	 * group, Cout / g x output positions x Cin / g x kernel, b = images x
	 * groups x runs; malloc'd, valid during emit */
	struct gp_gemm *conv_gemm;
	int nconv_gemm;
};
/* An If node gp-partition costed (in the main graph, or in a body that counts). */
struct gp_branch {
	int node;
	int branch;                         /* counted: 1 then_branch, 2 else_branch; 0 cost unknown */
	int cond;                           /* 1: its condition's value chose it; 0: the larger counts */
	int64_t flops, alt_flops;           /* of the branch counted, of the other (-1 unknown or not costed) */
};
struct gp_part {
	int nsg;                            /* subgraphs, each handed to gp_partition's emit */
	int bodies;                         /* some subgraph has runs of control nodes' bodies:
	                                     * set before the first is handed to emit */
	int convs;                          /* some subgraph has 1-D Conv calls (conv_calls): the same */
	int reorders;                       /* some subgraph has NCHWc reorders (struct gp_reorders): the same */
	int rows;                           /* some subgraph has rows (a normalization, softmax or
	                                     * reduction's, struct gp_cost): the same */
	int copies;                         /* some subgraph copies (a Concat, Split or Transpose's
	                                     * copy, struct gp_cost): the same */
	struct gp_branch *br;               /* the If nodes costed, outer ones first */
	int nbr;
	int *node_sg;                       /* node -> subgraph id, 0 if in none */
	int64_t params;                     /* elements of the model's weights */
	int64_t buffers;                    /* elements of BatchNormalization running statistics */
	int64_t weight_bytes;               /* bytes of both */
	int weights_prec;                   /* the precision most MACs read their weights in; -1 none known */
	int64_t folded_macs, folded_flops;  /* of nodes computed from constants only, once */
	int shape_nodes;                    /* of those, the nodes computing from activations' shapes
	                                     * (Shape, Size and what follows them): folded by gp,
	                                     * run by a runtime that does not know the shapes */
	int view_nodes;                     /* the views of activations (Reshape, Flatten, Squeeze,
	                                     * Unsqueeze) in the main graph: free in gp, run as
	                                     * nodes by some runtimes */
};
/* Partition the main graph of g into p, handing each subgraph to emit (with
 * arg) in topological order, as it is made: they are not kept, so memory
 * does not grow with them. A subgraph, its lists and its ops live until
 * emit returns: emit copies what it keeps. Dies on overflow. */
typedef void gp_part_emit(void *arg, const struct gp_sub *s);
void gp_partition(struct gp_graph *g, const struct gp_part_opts *o, struct gp_part *p, gp_part_emit *emit,
    void *arg);
void gp_part_release(struct gp_part *p);

/* ---- gemm.c: the GEMM view of matrix nodes (docs/counting.md) ---- */
/* b independent products of an m x k by a k x n matrix: b x m x n x k MACs */
struct gp_gemm {
	int64_t b, m, n, k;
};
#define GP_GEMM_MAX 16                      /* products one subgraph lists, at most */
/* The products node n (of class GP_C_DENSE) runs as, into out[0 .. max):
 * their count, or -1 when a shape is unknown, the op is not one gp knows as
 * products (an Einsum of three operands), or there are more than max. */
int gp_node_gemms(struct gp_graph *g, struct gp_node *n, struct gp_gemm *out, int max);
/* "BxMxNxK;BxMxNxK..." ("." for none), and back: the count, or -1 if malformed. */
void gp_gemm_fmt(struct gp_buf *b, const struct gp_gemm *v, int n);
int gp_gemm_parse(const char *s, struct gp_gemm *out, int max);

/* ---- dag.c: the subgraph records, as numbers and as a dependency DAG ---- */
/* Subgraphs are v = 0 .. n-1 in record order (ids 1 .. n, a topological
 * order); v depends on u when v reads a tensor u writes. Lists are CSR: the
 * predecessors of v are p[p0[v] .. p0[v+1]), ascending and unique. */
struct gp_dag {
	struct gp_stream *stream;
	const char *src;
	struct gp_table *t;                 /* the subgraph records */
	int n;
	int c_id;                           /* the id column: gp_dag_id */
	int *p0, *p;                        /* predecessors */
	int *s0, *s;                        /* successors */
	int64_t *flops;                     /* per subgraph; -1 unknown (or no column) */
	double *lat;                        /* latency_s; NULL without the column; -1 unknown */
	int64_t *bin, *bout, *bw;           /* bytes_in, bytes_out, bytes_weight; -1 unknown */
	int64_t *bytes;                     /* bytes_in + bytes_out + bytes_weight; -1 unknown */
	int64_t *io;                        /* bytes_in + bytes_out; -1 unknown */
	int64_t *threads;                   /* -1 unknown */
	int64_t weight_bytes;               /* from ##partition; -1 if absent */
	int64_t batch;                      /* the model's, from ##partition; -1 if absent or unknown */
	int weights_prec;                   /* the MACs' precision, from ##partition; -1 if absent or unknown */
	int dtype;                          /* the ##partition dtype floating tensors were counted at; 0 as they are */
	/* the activation tensors subgraphs read and write */
	int nt;
	const char **tname;
	int64_t *tbytes;                    /* whole tensor, at the ##partition dtype; -1 unknown */
	int *tprod;                         /* the subgraph writing it, -1 none (a graph input) */
	char *tkeep;                        /* a graph output (after views): lives to the end */
	int *i0, *in;                       /* v's input tensors, ascending, unique */
	int *o0, *out;                      /* v's output tensors */
	int *c0, *cons;                     /* tensor -> the subgraphs reading it, ascending */
	struct gp_map names;                /* tensor name -> index (gp_dag_edges; gp_dag_build releases it) */
};
/* The subgraph records of s as numbers: id, flops ... io, dtype and
 * weight_bytes, no edges and no tensors; dies if there are none (gp-partition
 * has not run) or a field is not a number. */
void gp_dag_records(struct gp_dag *d, struct gp_stream *s);
/* Then the edges: the tensors (nt, tname, tprod, i0/in, o0/out, c0/cons,
 * names) and p0/p, s0/s; dies if the lists are malformed or the records are
 * not in topological order. */
void gp_dag_edges(struct gp_dag *d);
/* Both, and the tensors' sizes (tbytes) and graph outputs (tkeep, through
 * the views that pass them on) from the main graph's tensor and node
 * records, without building the graph: the whole DAG of s's subgraph
 * records. Dies on a subgraph tensor with no tensor record. */
void gp_dag_build(struct gp_dag *d, struct gp_stream *s);
void gp_dag_release(struct gp_dag *d);
/* The id field of subgraph v, as written. */
static inline const char *
gp_dag_id(const struct gp_dag *d, int v)
{
	return gp_val(d->t, d->c_id, (size_t)v);
}
/* A column of the subgraph records as counts (-1 where '.'), or as numbers
 * (unknown where '.'); NULL if there is no such column; dies on a field that
 * is not one. The caller frees the array. */
int64_t *gp_dag_counts(const struct gp_dag *d, const char *col);
double *gp_dag_values(const struct gp_dag *d, const char *col, double unknown);

/* ---- concur.c: what can run at once, on a gp_dag ---- */
/* ASAP levels: stage[v] = 1 + the highest stage of v's predecessors; returns
 * the number of stages (the longest chain, in subgraphs). */
int gp_dag_stages(const struct gp_dag *d, int *stage);
/* The most subgraphs that can run at once: the largest antichain (Dilworth,
 * as a minimum flow). Never less than the widest stage. */
int gp_dag_width(const struct gp_dag *d);
/* The heaviest path by w, ties broken by w2, then by the lowest ids; marks
 * on[v] = 1 for the subgraphs on it and returns how many there are. */
int gp_dag_path(const struct gp_dag *d, const double *w, const double *w2, char *on);
/* Simulate running the subgraphs in order[] (a topological order), every
 * activation freed after its last reader: the peak of live activation bytes,
 * -1 when a tensor's size is unknown. live[v] (if not NULL) is what is live
 * while v runs; *at the subgraph at the (first) peak. */
int64_t gp_dag_peak(const struct gp_dag *d, const int *order, int64_t *live, int *at);
/* A topological order of low peak: the exact lowest when the search stays
 * within max_states states (returns 1), else a greedy order or the record
 * order, whichever peaks lower (returns 0); -1 if sizes are unknown. */
int gp_dag_best_order(const struct gp_dag *d, int *order, size_t max_states);
/* The most subgraphs in one ASAP stage (gp_dag_stages): the widest stage. */
int gp_dag_widest(const struct gp_dag *d);

/* ---- fill.c: how much of a chip a model fills ---- */
/* The user guide's batch to fill units compute units: (subgraphs at once) x
 * batch >= units, with widest the widest stage; -1 if either is not positive. */
int64_t gp_batch_to_fill_graph(double units, int widest);
/* The mean (rounded) and the largest threads of the subgraphs that say; -1 if none does. */
void gp_dag_threads(const struct gp_dag *d, int64_t *avg, int64_t *max);
/* The smallest batch at which the subgraphs holding half the FLOPs each have
 * at least lanes threads (units x threads per unit), a subgraph's threads
 * per sample being its threads / batch (the model's); -1 if none can say. */
double gp_dag_batch_to_fill(const struct gp_dag *d, double lanes, int64_t batch);

/* ---- hw.c, hw-runtime.c, hw-find.c: hardware profiles (docs/hardware.md) ---- */
enum gp_prec {
	GP_PREC_FP64, GP_PREC_FP32, GP_PREC_TF32, GP_PREC_FP16, GP_PREC_BF16, GP_PREC_FP8,
	GP_PREC_INT8, GP_PREC_INT4, GP_PREC_N
};
/* (dtype.c) */
extern const char *const gp_prec_names[GP_PREC_N + 1];  /* "fp64", ... "int4", NULL */
const char *gp_prec_name(int p);            /* "fp16", ...; NULL if out of range */
int gp_prec_from_name(const char *s);       /* one of gp_prec_names, or -1 */
int gp_prec_dtype(int p);                   /* the ONNX dtype tensors are counted at */
int gp_prec_of_dtype(int dt);               /* the precision of an ONNX dtype, or -1 */
/* The one reading of a precision named on a command line: a precision name
 * (fp16, tf32, ...), half, float or double, or an ONNX dtype name of a
 * numeric type (float16, int32, ...). 0 with *prec (-1 when the dtype has no
 * precision a profile rates, as int32) and *dtype (tf32: float32) set; -1 if
 * s is none of them. */
int gp_prec_parse(const char *s, int *prec, int *dtype);
/* gp_prec_parse for an option: a precision (gp-roofline -p), or a numeric
 * dtype (gp-partition --dtype); a usage error (gp_die_optval) otherwise. */
int gp_prec_arg(const char *opt, const char *s);
int gp_dtype_arg(const char *opt, const char *s);
struct gp_hw_mem {
	const char *level;
	double capacity;                    /* bytes; -1 not given (the outermost level only) */
	double bandwidth;                   /* bytes/s */
	double pj_per_byte;                 /* -1 not given */
	double read_bw, write_bw;           /* achievable bytes/s reading, writing; bandwidth if not given */
};
struct gp_hw {
	struct gp_arena arena;
	const char *path, *name, *title, *vendor, *kind, *unit;
	double units, clock_hz, threads_per_unit;
	double peak[GP_PREC_N];             /* ops/s; 0 when the chip has none */
	double pj_per_flop[GP_PREC_N];      /* -1 not given */
	struct gp_hw_mem *mem;              /* outermost (largest) first */
	int nmem;
	double tdp_w, idle_w;               /* -1 not given */
	double eff_compute, eff_memory;     /* fractions of peak real kernels reach; 1 if not given */
	double launch_s;
	int launch_per_model;               /* launch_s is paid once per run, not per kernel */
	double run_s;                       /* paid once per run: the runtime's call overhead; 0 if not given */
	/* how kernels map onto the chip (lib/mapping.c, docs/hardware.md); all optional */
	struct gp_hw_tile *tile[GP_PREC_N]; /* the matrix unit's tiles per precision */
	int ntile[GP_PREC_N];               /* 0: no tile model for that precision */
	double vpeak[GP_PREC_N];            /* the vector unit's ops/s; 0: the same as peak */
	double host_link;                   /* host <-> device bytes/s; -1 none (the host itself) */
	double cross_bw;                    /* bytes/s the units read of what other units wrote; -1 not given */
	/* the runtime (hw/runtime/NAME.yaml), when gp_hw_load_runtime applied one */
	struct gp_runtime *rt;
};
/* One tile of the matrix unit: an m x n x k block of products one unit
 * computes at a time (a GPU's CTA tile, a CPU's register block x its K
 * step, a systolic array's rows x columns x one pass). */
struct gp_hw_tile {
	int64_t m, n, k;
};
/* Seconds per op type: name[i] costs sec[i]. */
struct gp_opsec {
	int n;
	const char **name;
	double *sec;
};
/* A runtime: what executing a model costs on top of its kernels, and the
 * kernels' achieved efficiency, measured or fitted (docs/hardware.md). */
struct gp_runtime {
	const char *path, *name, *title, *runs_on;  /* runs_on: a chip kind, or "any" */
	double kernel_s;                    /* per kernel, on the device (seconds) */
	double kernel_cycles;               /* per kernel, in the chip's clock cycles */
	double run_s;                       /* per run: the call, its synchronisation */
	double input_s, output_s;           /* per run, each of the graph's inputs and outputs past
					     * the first (run_s holds one of each) */
	int copy_inputs, copy_outputs;      /* inputs and outputs cross the host link each run */
	int shape_nodes;                    /* it executes the shape computations gp folds */
	int view_nodes;                     /* it runs the views of activations as nodes */
	double eff_matrix, eff_vector;      /* achieved fraction of a unit's matrix and vector peak; 1 */
	double eff_gemv_compute;            /* a GEMV's (every product one row): the fraction of the
	                                     * matrix peak its kernels reach; 0: not given (eff_matrix) */
	double eff_memory;                  /* achieved fraction of the memory levels' bandwidth; 1 */
	double eff_class[GP_KC_N];          /* per kernel class (GP_KC_*): the fraction of the levels'
	                                     * bandwidth its kernels of that class reach; 0: not given
	                                     * (eff_memory, or the chip's for a GEMV) */
	const char *fuse;                   /* its fusions, gp-partition --fuse=RUNTIME: a list */
	/* a CPU with more than one thread (units > 1): a kernel whose time on one
	 * thread is below parallel_min_s runs on one thread; one it splits pays
	 * parallel_s; 0: not given (every kernel splits, for nothing) */
	double parallel_min_s, parallel_s;
	/* the ops whose kernels it splits over all its threads whatever their
	 * size, and those it never splits (each a list of op types, matched
	 * against a kernel's first op; NULL: none): neither follows
	 * parallel_min_s */
	const char *split_always, *split_never;
	/* a copy kernel's (a Concat, Split or Transpose: gp-partition's
	 * copy_elems and copy_run) threads by a cost model in cycles, its largest
	 * piece's elements at element_cycles each and byte_cycles a byte of one:
	 * floor((cost - startup_cycles) / thread_cycles + 0.9) of them; a
	 * Transpose of one run a plain copy, on one thread, one of runs of a
	 * single element on every thread (split_copy set: given) */
	int split_copy;
	double copy_byte_cycles, copy_element_cycles, copy_startup_cycles, copy_thread_cycles;
	/* a matrix kernel (one with products) not in either list splits as
	 * MLAS's GEMM does: floor(M N K / split_gemm_macs) + 1 pieces a product,
	 * at least one a product of a batch; 0: not given (its cost decides) */
	double split_gemm_macs;
	/* it runs a control node's bodies as graphs of their own (subgraph_s
	 * given): every node of a body is a kernel (kernel_s), and every run of a
	 * body costs subgraph_s more; else a control node is one kernel */
	int bodies;
	double subgraph_s;
	/* its generic Conv (a 1-D one: no NCHWc rewrite) costs conv_call_s a
	 * call and conv_group_s a group (an im2col and a GEMM each) beyond its
	 * work, conv_row_s a row its im2col copies (a loop of its own:
	 * gp-partition's conv_im2col_rows) and conv_gather_s a float it copies
	 * one at a time (conv_im2col_strided); 0: not given */
	double conv_call_s, conv_group_s, conv_row_s, conv_gather_s;
	/* its GEMM computes a generic Conv's output positions (the product's N)
	 * in blocks of conv_columns (MLAS: 16), the rest wasted; 0: not given */
	double conv_columns;
	/* the channel block of its NCHWc layout, into which it rewrites the 2-D
	 * convolutions whose channels fit it (docs/counting.md); 0: not given */
	int nchwc_block;
	/* per op type, what its kernel costs beyond kernel_s and its work (its
	 * own set-up: a Slice's steps, a Transpose's strides), matched against
	 * a kernel's first op; none given: n 0 */
	struct gp_opsec op_s;
	/* per op type, what each of its kernel's rows costs beyond its bytes
	 * (gp-partition's rows: a LayerNorm's or a Softmax's loop over them),
	 * matched the same way; none given: n 0 */
	struct gp_opsec row_s;
	/* per op type, what each element its kernel's rows read costs beyond
	 * its bytes, where the runtime reduces a row in one loop of dependent
	 * steps (onnxruntime's global pool in NCHW, MlasPoolGlobalKernel: one
	 * running vector of 4 a channel), matched the same way, of a kernel with
	 * rows (in the NCHWc layout a global pool has none); none given: n 0 */
	struct gp_opsec row_elem_s;
	/* per op type of an activation fused into a convolution that it runs
	 * after the convolution's kernel, in place (MLAS: every one but Relu),
	 * what each output element costs; matched against the ops after a
	 * kernel's first, a Conv; none given: n 0 */
	struct gp_opsec act_s;
	/* per op type, what each output element of its kernel costs beyond its
	 * bytes where the runtime computes the element in a loop of its own,
	 * one at a time (onnxruntime's bilinear Resize: four inputs gathered
	 * through index tables an output), matched against a kernel's first op,
	 * of a kernel that computes (FLOPs above 0: an interpolating Resize, not
	 * a nearest one, which copies); none given: n 0 */
	struct gp_opsec elem_s;
};
/* Load the profile spec names: a path (with a '/' or ending in .yaml), or a
 * name looked up in $GP_HW_PATH, hw/ beside the programs' directory, and the
 * installed share/gp/hw. Dies naming the file, line and field on any error. */
void gp_hw_load(struct gp_hw *h, const char *spec);
/* Read and validate a profile from text (file names it in errors). */
void gp_hw_parse(struct gp_hw *h, const char *file, const char *text, size_t len);
void gp_hw_release(struct gp_hw *h);
/* The paths of every profile there is, one per name, sorted by name; returns the count. */
int gp_hw_list(char ***paths);
/* Load the runtime spec names (a path, or a name looked up in the runtime/
 * directory of every profile directory) into h->rt, in h's arena; dies on
 * any error as gp_hw_load does. h may be a zeroed gp_hw (no chip). */
void gp_hw_load_runtime(struct gp_hw *h, const char *spec);
/* Read and validate a runtime profile from text into h->rt. */
void gp_hw_parse_runtime(struct gp_hw *h, const char *file, const char *text, size_t len);
/* The paths of every runtime profile there is, as gp_hw_list. */
int gp_hw_list_runtimes(char ***paths);

/* ---- mapping.c: a kernel on a chip's units and memory levels (docs/roofline.md) ---- */
/* A kernel as the mapping sees it, its bytes at the precision used. */
struct gp_kernel {
	double flops;                       /* FLOPs, MACs counted 2 */
	double rd, wr;                      /* activation bytes read and written */
	double rd_split;                    /* of rd, what kernels run on more than one unit wrote
	                                     * (gp-roofline's); -1 not known */
	double wt;                          /* weight bytes read */
	double inp;                         /* of rd, the graph's inputs: they live between runs
	                                     * where the weights do (resident) */
	double threads;                     /* independent outputs; <= 0 unknown */
	const struct gp_gemm *gemm;         /* its products, or NULL */
	int ngemm;                          /* 0: not a matrix kernel; -1: one whose products are not known */
	double elem;                        /* bytes of one operand element at the precision */
	double resident;                    /* bytes a weight shares the memory levels with between
	                                     * runs (weights and the graph's inputs + what the run
	                                     * writes; a TPU's: + its largest activations): where
	                                     * weights and inputs live */
	int cls;                            /* enum gp_kclass, gp-partition's (0: other) */
	const char *ops;                    /* its op types, gp-partition's ops field ("Conv+Relu"), or
	                                     * the op a LayerNorm or Softmax written out runs as; NULL */
	double items;                       /* the pieces a runtime that splits by op type divides it
	                                     * into: rows of a row kernel (its rows, else batch x
	                                     * spatial), else batch x channels; <= 0 unknown */
	double rows;                        /* of its normalization, softmax or reduction
	                                     * (gp-partition's rows); 0 none or not given */
	double copy, copy_run;              /* of its Concat, Split or Transpose (gp-partition's
	                                     * copy_elems, copy_run); 0 none or not given */
	double body_kernels, body_runs;     /* of its control nodes' bodies (struct gp_sub) */
	double conv_calls, conv_groups;     /* generic Conv calls and their groups (struct gp_sub) */
	double conv_im2col;                 /* the floats their im2col writes (struct gp_sub) */
	double conv_im2col_rows;            /* and the rows it copies them in (struct gp_sub) */
	double conv_im2col_strided;         /* and those it copies one at a time (struct gp_sub) */
	const struct gp_gemm *conv_gemm;    /* its generic Convs' products as they run them (struct
	                                     * gp_sub's conv_gemm), or NULL */
	int nconv_gemm;
	double reorders;                    /* the NCHWc layout reorders the runtime runs beside it */
	double reorder_rd, reorder_wr;      /* and the bytes they read and write (struct gp_reorders) */
};
/* Where the time of a kernel goes. */
struct gp_mapped {
	double compute_s;                   /* its compute on the unit it maps to, waves and waste included */
	double memory_s;                    /* its traffic from the levels it comes from */
	double overhead_s;                  /* per kernel: the runtime's dispatch, or the chip's launch */
	double latency_s;                   /* the kernel's time */
	double work_s;                      /* the same work with the whole chip to itself (no waves) */
	double reorder_s;                   /* of latency_s, its NCHWc reorders' (kernels of their own) */
	int unit;                           /* 0 none (no FLOPs), 1 matrix, 2 vector */
	double threads;                     /* a CPU runtime's: the units it splits it over; 0 not split by one */
	int64_t tiles, split;               /* matrix: tiles (after split-K), K split factor */
	struct gp_hw_tile tile;             /* matrix: the tile chosen */
	double fill;                        /* matrix: useful MACs / MACs the tiles compute */
	int act_level, wt_level;            /* the memory levels serving most activation bytes, and most weight and input bytes */
	const char *bound;                  /* compute, memory or launch */
	char limit[64];                     /* what limits it, in words: "tiles 8/108 SM", "l2", ... */
};
/* Map kernel k onto chip h at precision prec (h->rt, if set, adds its
 * dispatch cost and efficiencies); fills m. */
void gp_map_kernel(const struct gp_hw *h, int prec, const struct gp_kernel *k, struct gp_mapped *m);
/* One dispatch of runtime h->rt (h->rt set): its kernel_s, and its
 * kernel_cycles at the chip's clock. */
double gp_map_dispatch(const struct gp_hw *h);
/* Seconds to move rd bytes in and wr bytes out of memory whose working set
 * is set bytes: each level serves what fits in it and not in the level
 * inside it (a smooth transition across each capacity); *lvl is set to the
 * level whose share takes the most time. */
double gp_map_stream(const struct gp_hw *h, double rd, double wr, double set, int *lvl);
/* The bytes a model's weights share chip h's memory levels with between two
 * runs (its resident set, gp_kernel.resident), from the model's weight
 * bytes, the bytes its kernels write and the largest kernel's reads and
 * writes. */
double gp_map_resident(const struct gp_hw *h, double weights, double written, double largest);

/* ---- infer.c: shape inference over a graph ---- */
enum { GP_INFER_STRICT = 1, GP_INFER_QUIET = 2, GP_INFER_TRY = 4 };
/* Infer every node's outputs; STRICT: an op without shape inference is an
 * error; QUIET: not even a warning; TRY (rebatch.c's): an impossible node
 * stops it, returning -1, instead of an error. Returns the count of tensors
 * still not fully known. */
int gp_infer(struct gp_graph *g, int flags);
int gp_bind(struct gp_graph *g, const char *name, int64_t value); /* symbol := value; count replaced */

/* ---- bind.c: the shapes of the inputs, set before inference ---- */
/* Parse --input's DIMS ("1x512", "2x?x128", "[batch,512]"); 0, or -1 on bad syntax. */
int gp_dims_parse(struct gp_arena *a, const char *text, struct gp_shape *s);
/* Set input name's dims (arg names the option in messages); dies on a contradiction. */
void gp_bind_input(struct gp_graph *g, const char *arg, const char *name, const struct gp_shape *want);
/* Set the batch of every input but those in fixed; dies naming an input whose batch dim cannot be told. */
void gp_bind_batch(struct gp_graph *g, int64_t batch, const char *const *fixed, int nfixed);

/* ---- rebatch.c: --batch on an export that fixes its batch in shape constants ---- */
/* Before gp_bind_batch changes the inputs' batch from `from` to `to`: keep the graph as it was. */
void gp_rebatch_begin(struct gp_graph *g, int64_t from, int64_t to);
/* What gp_infer calls on such a graph, and from inside it (rebatch.c sets
 * g->hooks, so that infer.c never names rebatch.c, which calls gp_infer:
 * no import cycle): whether to hand the whole inference over, the inference
 * that takes it, a node's shape function's result to amend, an impossible
 * node during a try (1: the try stops there), and what to add to the error. */
struct gp_infer_hooks {
	int (*active)(const struct gp_graph *g);
	int (*infer)(struct gp_graph *g, int flags);
	int (*node)(struct gp_graph *g, struct gp_node *n, int rc);
	int (*fail)(struct gp_graph *g, int ni, int flags);
	const char *(*why)(struct gp_graph *g);
};

/* ---- role.c: what tensors are for, from the graph's structure ---- */
/* Mark the KV-cache pairs of g's main graph (a graph output that is a Concat
 * of a graph input along a symbolic axis) in the tensor records' role column
 * (kv_past, kv_present; "." for the others) and seq_axis column; records that
 * have a role column keep it. Returns the pairs marked (docs/shapes.md). */
int gp_kv_roles(struct gp_graph *g);

#endif
