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
    "[-D NAME=VALUE]... [--sweep NAME=V1,V2,...]... [--batch N] [--strict] < STREAM";

static void
help(void)
{
	printf("usage: %s %s\n\n"
	    "Read a gp stream (from gp-load) on standard input, infer the dtype and shape\n"
	    "of every tensor, and write the stream with its tensor records completed.\n\n"
	    "  -D NAME=VALUE        bind the symbolic dim NAME (e.g. batch, seq) to VALUE first\n"
	    "  --sweep NAME=V,V,... write one stream per value, each with NAME bound to it\n"
	    "                       and a ##sweep header; several --sweep options go in step\n"
	    "                       (--sweep seq=512,1 --sweep past=0,512: prefill, then decode)\n"
	    "  --batch N            set the leading dim of every graph input to N\n"
	    "  --strict             an op without shape inference is an error, not a warning\n"
	    "  -h, --help           show this help\n"
	    "  -V, --version        show the version\n\n"
	    "Derived dims that are not a plain symbol (seq*2) are written '?'. An input of\n"
	    "several streams (from another --sweep) gives as many outputs, each swept.\n",
	    gp_prog, usage);
}

static int64_t
count(const char *opt, const char *s)
{
	int64_t v;

	if (gp_parse_i64(s, &v) < 0 || v < 0 || v > ((int64_t)1 << 40)) {
		fprintf(stderr, "%s: %s: '%s' is not a dim size\n", gp_prog, opt, s);
		exit(GP_EXIT_USAGE);
	}
	return v;
}

/* a binding: a symbolic dim and its value */
struct def {
	char *name;
	int64_t v;
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
		fprintf(stderr, "%s: %s: '%s' is not NAME=VALUE\n", gp_prog, opt, arg);
		exit(GP_EXIT_USAGE);
	}
	d.name = arg;
	d.v = count(opt, eq + 1);
	*eq = '\0';
	return d;
}

static struct sweep
parse_sweep(const char *a)
{
	struct sweep w = {NULL, NULL, 0};
	char *arg = gp_xstrdup(a), *eq = strchr(arg, '='), *p, *save = NULL;

	if (!eq || eq == arg || !eq[1]) {
		fprintf(stderr, "%s: --sweep: '%s' is not NAME=V1,V2,...\n", gp_prog, arg);
		exit(GP_EXIT_USAGE);
	}
	*eq = '\0';
	w.name = arg;
	w.v = gp_xcalloc(strlen(eq + 1) + 1, sizeof *w.v);
	for (p = strtok_r(eq + 1, ",", &save); p; p = strtok_r(NULL, ",", &save))
		w.v[w.n++] = count("--sweep", p);
	if (!w.n) {
		fprintf(stderr, "%s: --sweep %s: no values\n", gp_prog, arg);
		exit(GP_EXIT_USAGE);
	}
	return w;
}

/* Infer one stream with the bindings defs (and, with batch >= 0, a new
 * batch); add the ##sweep header if given. */
static void
shape(struct gp_stream *s, const struct def *defs, int ndef, int64_t batch, int strict,
    const char *sweephdr)
{
	struct gp_graph g;
	struct def *all = gp_xcalloc((size_t)ndef + 1, sizeof *all);
	int nall = 0, i, j, unknown;
	size_t k;

	gp_graph_build(&g, s);
	for (i = 0; i < ndef; i++)
		all[nall++] = defs[i];
	if (batch >= 0) {
		/* a new batch makes the file's declared activation shapes stale */
		for (k = 0; k < g.ntensor; k++) {
			struct gp_tensor *t = &g.t[k];

			if (t->graph != 0 || t->shape.rank < 1)
				continue;
			if (t->kind == GP_K_INPUT) {
				const char *sym = t->shape.d[0].sym;

				for (j = 0; sym && j < nall && strcmp(all[j].name, sym); j++)
					;
				if (sym && j == nall) {
					all = gp_xreallocarray(all, (size_t)nall + 2, sizeof *all);
					all[nall].name = gp_arena_strdup(&s->arena, sym);
					all[nall++].v = batch;
				}
				t->shape.d[0].sym = NULL;
				t->shape.d[0].v = batch;
				t->dirty = 1;
			} else if (t->kind == GP_K_INTER || t->kind == GP_K_OUTPUT) {
				t->shape.rank = -1;
				t->dirty = 1;
			}
		}
	}
	for (i = 0; i < nall; i++)
		if (gp_bind(&g, all[i].name, all[i].v) == 0 && i < ndef && batch < 0)
			gp_warn("%s: -D %s=%lld: no dim is named '%s'", s->src, all[i].name,
			    (long long)all[i].v, all[i].name);
	unknown = gp_infer(&g, strict ? GP_INFER_STRICT : 0);
	gp_graph_store(&g);
	/* what tells gp-partition that shapes were inferred (docs/format.md) */
	gp_hdr_set(s, "shape", gp_arena_printf(&s->arena, "unknown=%d", unknown));
	if (sweephdr) {
		/* a sweep of a sweep: both sets of dims */
		const char *had = gp_hdr_get(s, "sweep");

		gp_hdr_set(s, "sweep", had && *had ? gp_arena_printf(&s->arena, "%s\t%s", had, sweephdr) :
		    sweephdr);
	}
	gp_graph_release(&g);
	free(all);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{"batch", required_argument, NULL, 'b'},
		{"sweep", required_argument, NULL, 'w'},
		{"strict", no_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct gp_input in;
	struct gp_stream s;
	struct def *defs;
	struct sweep *sw;
	int ndef = 0, nsw = 0, c, i, j, strict = 0, npt = 1;
	int64_t batch = -1;

	gp_init(argv);
	defs = gp_xcalloc((size_t)argc + 1, sizeof *defs);
	sw = gp_xcalloc((size_t)argc + 1, sizeof *sw);
	while ((c = getopt_long(argc, argv, "D:hV", lo, NULL)) != -1) {
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
		case 's':
			strict = 1;
			break;
		case 'h':
			help();
			exit(gp_close_stdout());
		case 'V':
			printf("%s %s\n", gp_prog, GP_VERSION);
			exit(gp_close_stdout());
		default:
			gp_die_usage(usage);
		}
	}
	if (optind != argc)
		gp_die_usage(usage);
	for (i = 0; i < nsw; i++) {
		if (i && sw[i].n != sw[0].n) {
			fprintf(stderr, "%s: --sweep %s has %d values and --sweep %s %d: swept dims go "
			    "in step\n", gp_prog, sw[i].name, sw[i].n, sw[0].name, sw[0].n);
			exit(GP_EXIT_USAGE);
		}
		for (j = 0; j < ndef; j++)
			if (!strcmp(defs[j].name, sw[i].name)) {
				fprintf(stderr, "%s: %s is both bound (-D) and swept\n", gp_prog, sw[i].name);
				exit(GP_EXIT_USAGE);
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
	free(sw);
	free(defs);
	return gp_close_stdout();
}
