/* gp-shape - infer the dtype and shape of every tensor of a gp stream
 *
 * Exporters write few intermediate shapes; gp-shape computes them op by op
 * from the graph inputs and weights, carrying the values of small integer
 * tensors so that shape computations (Shape -> Gather -> Concat -> Reshape)
 * resolve, and symbolic dims (batch, seq) through every op that keeps them.
 * With --sweep it writes one stream per value of a symbolic dim, so that the
 * filters after it show how cost grows with it.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"

static const char usage[] =
    "[-D NAME=VALUE]... [--input NAME=DIMS]... [--sweep NAME=V1,V2,...]... [--batch N] [--strict] < STREAM";

static const char help[] =
    "Read a gp stream (from gp-load) on standard input, infer the dtype and shape\n"
    "of every tensor, and write the stream with its tensor records completed.\n\n"
    "  -D NAME=VALUE        bind the symbolic dim NAME (e.g. batch, seq) to VALUE first\n"
    "  --sweep NAME=V,V,... write one stream per value, each with NAME bound to it\n"
    "                       and a ##sweep header; several --sweep options go in step\n"
    "                       (--sweep seq=512,1 --sweep past=0,512: prefill, then decode)\n"
    "  --input NAME=DIMS    set graph input NAME's dims: 1x512, 2x?x128 ('?' as the\n"
    "                       model has it, a name keeps the dim symbolic), or\n"
    "                       [batch,512]; a dim the model fixes must agree\n"
    "  --batch N            set the batch of every graph input to N: the dims named\n"
    "                       as a batch (batch, batch_size, N, ...), else the symbol\n"
    "                       leading every input, else dim 0 where the inputs agree;\n"
    "                       not the inputs set with --input\n"
    "  --strict             an op without shape inference is an error, not a warning\n"
    "  -h, --help           show this help\n"
    "  -V, --version        show the version\n\n"
    "Derived dims that are not a plain symbol (seq*2) are written '?'. An input of\n"
    "several streams (from another --sweep) gives as many outputs, each swept.\n";

static int64_t
count(const char *opt, const char *s)
{
	return gp_opt_count(opt, s, 0, (int64_t)1 << 40, "a dim size");
}

/* a binding: a symbolic dim and its value */
struct def {
	char *name;
	int64_t v;
};

/* an input's shape: --input NAME=DIMS */
struct inshape {
	char *arg, *name;
	struct gp_shape d;
};

/* a sweep: one dim, its values */
struct sweep {
	char *name;
	int64_t *v;
	int n;
};

/* (the argument is copied: argv stays as it was, for the ##prog line) */
static struct def
parse_def(const char *opt, const char *a)
{
	struct def d;
	char *arg = gp_xstrdup(a), *eq = strchr(arg, '=');

	if (!eq || eq == arg) {
		gp_die_optval(opt, arg, "NAME=VALUE");
	}
	d.name = arg;
	d.v = count(opt, eq + 1);
	*eq = '\0';
	return d;
}

/* (the dims live in arena a, the names in memory of their own, until exit) */
static struct inshape
parse_input(struct gp_arena *a, const char *arg)
{
	struct inshape r;
	char *eq;

	r.arg = gp_xstrdup(arg);
	r.name = gp_xstrdup(arg);
	eq = strchr(r.name, '=');
	if (!eq || eq == r.name || gp_dims_parse(a, eq + 1, &r.d) < 0) {
		gp_die_optval("--input", arg, "NAME=DIMS (DIMS like 1x512, 2x?x128 or [batch,512])");
	}
	*eq = '\0';
	return r;
}

static struct sweep
parse_sweep(const char *a)
{
	struct sweep w = {NULL, NULL, 0};
	char *arg = gp_xstrdup(a), *eq = strchr(arg, '='), *p, *save = NULL;

	if (!eq || eq == arg || !eq[1]) {
		gp_die_optval("--sweep", arg, "NAME=V1,V2,...");
	}
	*eq = '\0';
	w.name = arg;
	w.v = gp_xcalloc(strlen(eq + 1) + 1, sizeof *w.v);
	for (p = strtok_r(eq + 1, ",", &save); p; p = strtok_r(NULL, ",", &save))
		w.v[w.n++] = count("--sweep", p);
	if (!w.n) {
		gp_die_status(GP_EXIT_USAGE, "--sweep %s: no values", arg);
	}
	return w;
}

/* the inputs set with --input, and their count */
static struct inshape *inputs;
static int ninput;

/* Infer one stream with the bindings defs, the --input shapes and (with
 * batch >= 0) a new batch, in that order; add the ##sweep header if given. */
static void
shape(struct gp_stream *s, const struct def *defs, int ndef, int64_t batch, int strict,
    const char *sweephdr)
{
	struct gp_graph g;
	const char **fixed = gp_xcalloc((size_t)ninput + 1, sizeof *fixed);
	const char *was = gp_hdr_field(s, "shape", "dynamic");
	int i, unknown, dynamic;

	gp_graph_build(&g, s);
	gp_kv_roles(&g);        /* from the graph as it came: before dims are bound */
	/* the model's shapes as a runtime loading it sees them: fixed, or not
	 * before it runs (what a gp-shape before this one bound counts too) */
	dynamic = gp_graph_dynamic(&g) || (was && !strcmp(was, "1"));
	for (i = 0; i < ndef; i++)
		if (gp_bind(&g, defs[i].name, defs[i].v) == 0 && batch < 0)
			gp_warn("%s: -D %s=%lld: no dim is named '%s'", s->src, defs[i].name,
			    (long long)defs[i].v, defs[i].name);
	for (i = 0; i < ninput; i++) {
		gp_bind_input(&g, inputs[i].arg, inputs[i].name, &inputs[i].d);
		fixed[i] = inputs[i].name;
	}
	if (batch >= 0)
		gp_bind_batch(&g, batch, fixed, ninput);
	free(fixed);
	unknown = gp_infer(&g, strict ? GP_INFER_STRICT : 0);
	gp_graph_store(&g);
	/* what tells gp-partition that shapes were inferred (docs/format.md) */
	gp_hdr_set(s, "shape", gp_arena_printf(&s->arena, "unknown=%d\tdynamic=%d", unknown, dynamic));
	if (sweephdr) {
		/* a sweep of a sweep: both sets of dims */
		const char *had = gp_hdr_get(s, "sweep");

		gp_hdr_set(s, "sweep", had && *had ? gp_arena_printf(&s->arena, "%s\t%s", had, sweephdr) :
		    sweephdr);
	}
	gp_graph_release(&g);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{"batch", required_argument, NULL, 'b'},
		{"input", required_argument, NULL, 'i'},
		{"sweep", required_argument, NULL, 'w'},
		{"strict", no_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	static const struct gp_cmd cmd = {usage, help, "D:", lo};
	struct gp_input in;
	struct gp_stream s;
	struct def *defs;
	struct sweep *sw;
	struct gp_arena dims = {0};
	int ndef = 0, nsw = 0, c, i, j, strict = 0, npt = 1;
	int64_t batch = -1;

	gp_init(argv);
	defs = gp_xcalloc((size_t)argc + 1, sizeof *defs);
	inputs = gp_xcalloc((size_t)argc + 1, sizeof *inputs);
	sw = gp_xcalloc((size_t)argc + 1, sizeof *sw);
	while ((c = gp_getopt(argc, argv, &cmd)) != -1) {
		switch (c) {
		case 'D':
			defs[ndef++] = parse_def("-D", optarg);
			break;
		case 'w':
			sw[nsw++] = parse_sweep(optarg);
			break;
		case 'b':
			batch = count("--batch", optarg);
			break;
		case 'i':
			inputs[ninput++] = parse_input(&dims, optarg);
			break;
		case 's':
			strict = 1;
			break;
		}
	}
	if (optind != argc)
		gp_die_usage(usage);
	for (i = 0; i < nsw; i++) {
		if (i && sw[i].n != sw[0].n) {
			gp_die_status(GP_EXIT_USAGE, "--sweep %s has %d values and --sweep %s %d: swept dims go "
			    "in step", sw[i].name, sw[i].n, sw[0].name, sw[0].n);
		}
		for (j = 0; j < ndef; j++)
			if (!strcmp(defs[j].name, sw[i].name)) {
				gp_die_status(GP_EXIT_USAGE, "%s is both bound (-D) and swept", sw[i].name);
			}
		npt = sw[i].n;
	}

	gp_input_init(&in, stdin, "stdin");
	while (gp_stream_next(&in, &s)) {
		struct gp_buf text = {0}, hdr = {0};
		int p;

		if (!nsw) {
			shape(&s, defs, ndef, batch, strict, NULL);
			gp_stream_emit(&s, argc, argv, gp_input_more(&in));
			gp_stream_release(&s);
			continue;
		}
		/* each point of the sweep starts from the stream as it came */
		{
			char *mem = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&mem, &len);

			if (!f)
				gp_die("open_memstream: out of memory");
			gp_stream_write(&s, f, 0, NULL);
			fclose(f);
			gp_buf_add(&text, mem, len);
			free(mem);
		}
		gp_stream_release(&s);
		for (p = 0; p < npt; p++) {
			struct def *d = gp_xcalloc((size_t)(ndef + nsw) + 1, sizeof *d);
			struct gp_stream one;
			FILE *f = fmemopen(text.buf, text.len, "r");

			if (!f)
				gp_die("fmemopen: out of memory");
			memcpy(d, defs, (size_t)ndef * sizeof *d);
			gp_buf_reset(&hdr);
			for (i = 0; i < nsw; i++) {
				d[ndef + i].name = sw[i].name;
				d[ndef + i].v = sw[i].v[p];
				gp_buf_printf(&hdr, "%s%s=%lld", i ? "\t" : "", sw[i].name, (long long)sw[i].v[p]);
			}
			gp_stream_init(&one, in.src);
			gp_stream_read(&one, f);
			fclose(f);
			shape(&one, d, ndef + nsw, batch, strict, hdr.buf);
			gp_stream_emit(&one, argc, argv, p < npt - 1 || gp_input_more(&in));
			gp_stream_release(&one);
			free(d);
		}
		gp_buf_release(&text);
		gp_buf_release(&hdr);
	}
	gp_input_release(&in);
	for (i = 0; i < nsw; i++) {
		free(sw[i].v);
		free(sw[i].name);
	}
	for (i = 0; i < ndef; i++)
		free(defs[i].name);
	for (i = 0; i < ninput; i++) {
		free(inputs[i].arg);
		free(inputs[i].name);
	}
	free(inputs);
	gp_arena_release(&dims);
	free(sw);
	free(defs);
	return gp_close_stdout();
}
