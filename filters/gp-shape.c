/* gp-shape - infer the dtype and shape of every tensor of a gp stream
 *
 * Exporters write few intermediate shapes; gp-shape computes them op by op
 * from the graph inputs and weights, carrying the values of small integer
 * tensors so that shape computations (Shape -> Gather -> Concat -> Reshape)
 * resolve, and symbolic dims (batch, seq) through every op that keeps them.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"

static const char usage[] = "[-D NAME=VALUE]... [--batch N] [--strict] < STREAM";

static void
help(void)
{
	printf("usage: %s %s\n\n"
	    "Read a gp stream (from gp-load) on standard input, infer the dtype and shape\n"
	    "of every tensor, and write the stream with its tensor records completed.\n\n"
	    "  -D NAME=VALUE   bind the symbolic dim NAME (e.g. batch, seq) to VALUE first\n"
	    "  --batch N       set the leading dim of every graph input to N\n"
	    "  --strict        an op without shape inference is an error, not a warning\n"
	    "  -h, --help      show this help\n"
	    "  -V, --version   show the version\n\n"
	    "Derived dims that are not a plain symbol (seq*2) are written '?'.\n",
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

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{"batch", required_argument, NULL, 'b'},
		{"strict", no_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct gp_stream s;
	struct gp_graph g;
	char **defs = NULL;
	int ndef = 0, c, i, strict = 0;
	int64_t batch = -1;
	size_t k;

	gp_init(argv);
	defs = gp_xcalloc((size_t)argc, sizeof *defs);
	while ((c = getopt_long(argc, argv, "D:hV", lo, NULL)) != -1) {
		switch (c) {
		case 'D':
			if (!strchr(optarg, '=') || optarg[0] == '=') {
				fprintf(stderr, "%s: -D: '%s' is not NAME=VALUE\n", gp_prog, optarg);
				free(defs);
				return GP_EXIT_USAGE;
			}
			count("-D", strchr(optarg, '=') + 1);
			defs[ndef++] = optarg;
			break;
		case 'b':
			batch = count("--batch", optarg);
			break;
		case 's':
			strict = 1;
			break;
		case 'h':
			free(defs);
			help();
			return gp_close_stdout();
		case 'V':
			free(defs);
			printf("%s %s\n", gp_prog, GP_VERSION);
			return gp_close_stdout();
		default:
			gp_die_usage(usage);
		}
	}
	if (optind != argc)
		gp_die_usage(usage);
	gp_stream_init(&s, "stdin");
	gp_stream_read(&s, stdin);
	gp_graph_build(&g, &s);
	if (batch >= 0) {
		/* a new batch makes the file's declared activation shapes stale */
		for (k = 0; k < g.nt_; k++) {
			struct gp_tensor *t = &g.t[k];

			if (t->graph != 0 || t->shape.rank < 1)
				continue;
			if (t->kind == GP_K_INPUT) {
				if (t->shape.d[0].sym)
					defs[ndef++] = gp_arena_printf(&s.arena, "%s=%lld", t->shape.d[0].sym,
					    (long long)batch);
				t->shape.d[0].sym = NULL;
				t->shape.d[0].v = batch;
				t->dirty = 1;
			} else if (t->kind == GP_K_INTER || t->kind == GP_K_OUTPUT) {
				t->shape.rank = -1;
				t->dirty = 1;
			}
		}
	}
	for (i = 0; i < ndef; i++) {
		char *eq = strchr(defs[i], '='), *name = gp_arena_strndup(&s.arena, defs[i], (size_t)(eq - defs[i]));

		if (gp_bind(&g, name, count("-D", eq + 1)) == 0 && batch < 0)
			gp_warn("stdin: -D %s: no dim is named '%s'", defs[i], name);
	}
	gp_infer(&g, strict ? GP_INFER_STRICT : 0);
	gp_graph_store(&g);
	gp_stream_write(&s, stdout, argc, argv);
	gp_graph_release(&g);
	gp_stream_release(&s);
	free(defs);
	return gp_close_stdout();
}
