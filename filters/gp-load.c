/* gp-load - read an ONNX or TFLite model and write it as a gp stream
 *
 * Every graph, node and tensor of the model becomes a record; weights are
 * described by dtype and shape, never read (external data files need not
 * exist). Nodes come out in topological order. A TFLite model is told by
 * its file identifier, whatever the file's name.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"

static const char usage[] = "[--hash] [--data-limit N] FILE.onnx | -";

static const char help[] =
    "Write the ONNX or TFLite model FILE (or standard input, '-') to standard\n"
    "output as a gp stream (docs/format.md): graph, tensor and node records, nodes\n"
    "in topological order. Weights are described, not read: external data files\n"
    "need not exist. A TFLite model is told by its file identifier (TFL3).\n\n"
    "  --data-limit N  write the values of tensors with at most N elements\n"
    "                  (shape constants, scales; default 16, at most 1048576)\n"
    "  --hash          add ##source_sha256, the SHA-256 of the whole file\n"
    "                  (reads every weight byte; off by default for speed)\n"
    "  -h, --help      show this help\n"
    "  -V, --version   show the version\n";

struct job {
	struct gp_stream *s;
	const char *path;
	struct gp_file *f;
	const struct gp_load_opts *o;
};

/* load the model in J->f, by its format */
static void
load(void *arg)
{
	struct job *J = arg;

	if (gp_is_tflite(J->f->p, J->f->n))
		gp_load_tflite_buf(J->s, J->path, J->f->p, J->f->n, J->o);
	else
		gp_load_onnx_buf(J->s, J->path, J->f->p, J->f->n, J->o);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{"hash", no_argument, NULL, 'H'},
		{"data-limit", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	static const struct gp_cmd cmd = {usage, help, "", lo};
	struct gp_load_opts o = {16, 0};
	struct gp_stream s;
	struct gp_model_head mh = {0};
	struct gp_file f;
	struct job J;
	int c;

	gp_init(argv);
	while ((c = gp_getopt(argc, argv, &cmd)) != -1) {
		switch (c) {
		case 'H':
			o.hash_file = 1;
			break;
		case 'd':
			o.data_limit = (int)gp_opt_count("--data-limit", optarg, 0, 1 << 20, NULL);
			break;
		}
	}
	if (argc - optind != 1)
		gp_die_usage(usage);
	gp_stream_init(&s, argv[optind]);
	gp_err_src = argv[optind];
	gp_file_open(&f, argv[optind], gp_model_head, &mh, GP_PIPE_MAX);
	J.s = &s;
	J.path = argv[optind];
	J.f = &f;
	J.o = &o;
	gp_file_guard(&f, argv[optind], load, &J);
	gp_file_close(&f);
	gp_stream_write(&s, stdout, argc, argv);
	gp_stream_release(&s);
	return gp_close_stdout();
}
