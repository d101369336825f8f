/* gp-report - the report people read: text, Markdown, a summary for scripts,
 * the heaviest subgraphs, model comparisons, a roofline chart, a graph drawing
 *
 * Reads the gp stream at the end of a pipeline and says what the filters
 * before it found, in sections; a section whose data is not in the stream
 * (no gp-concur, no gp-roofline) is left out, never printed as zeros. The
 * --summary keys and the sections are documented in docs/report.md. This
 * file is the command line; report.h says which file does the rest.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "report.h"

static const char usage[] =
    "[--summary | --top N [--by flops|bytes|time]] [--format text|md]\n"
    "       [--roofline FILE] [--dot FILE [--dot-limit N]] < STREAM\n"
    "       gp-report --compare [--format text|md] FILE...";

static const char help[] =
    "Read a gp stream (after gp-partition, and gp-concur and gp-roofline if they\n"
    "ran) and write a report: the model's FLOPs, MACs, parameters and bytes, its\n"
    "op types and bottlenecks, depthwise convolutions, parallelism, critical path,\n"
    "peak memory and, on a chip, latency, throughput and energy.\n\n"
    "  --summary           key<TAB>value lines with exact numbers, for scripts\n"
    "  --top N             only the N heaviest subgraphs\n"
    "  --by WHAT           what --top ranks by: flops (default), bytes or time\n"
    "  --format F          text (default) or md (Markdown)\n"
    "  --roofline FILE     also draw the roofline chart (gnuplot) into FILE: .svg,\n"
    "                      .png or .pdf; needs gp-roofline's data\n"
    "  --dot FILE          also write the subgraph DAG for Graphviz, the critical\n"
    "                      path in red; .dot, or .svg/.png/.pdf drawn with dot\n"
    "  --dot-limit N       --dot shows at most the N heaviest subgraphs (default\n"
    "                      2000; 0: all of them)\n"
    "  --compare           a side-by-side table of the analysed streams in FILEs\n"
    "  -h, --help          show this help\n"
    "  -V, --version       show the version\n\n"
    "Colour only on a terminal, and never with NO_COLOR set. Keys and sections:\n"
    "docs/report.md.\n";

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"summary", no_argument, NULL, 's'},
		{"top", required_argument, NULL, 't'},
		{"by", required_argument, NULL, 'b'},
		{"format", required_argument, NULL, 'f'},
		{"roofline", required_argument, NULL, 'r'},
		{"dot", required_argument, NULL, 'd'},
		{"dot-limit", required_argument, NULL, 'l'},
		{"compare", no_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	static const struct gp_cmd cmd = {usage, help, "", opts};
	static const char *const bys[] = {"flops", "bytes", "time", NULL};
	static const char *const formats[] = {"text", "md", NULL};
	const char *by = "flops", *roof = NULL, *dot = NULL;
	int c, sum = 0, ntop = 0, cmp = 0, dotlimit = 2000;
	struct out O = {0};
	struct rep **R = NULL;
	int n, i;

	gp_init(argv);
	while ((c = gp_getopt(argc, argv, &cmd)) != -1) {
		switch (c) {
		case 's':
			sum = 1;
			break;
		case 't':
			ntop = (int)gp_opt_pcount("--top", optarg, 1000000, NULL);
			break;
		case 'b':
			by = bys[gp_opt_enum("--by", optarg, bys)];
			break;
		case 'f':
			O.md = gp_opt_enum("--format", optarg, formats) == 1;
			break;
		case 'r':
			roof = optarg;
			break;
		case 'd':
			dot = optarg;
			break;
		case 'l':
			dotlimit = (int)gp_opt_count("--dot-limit", optarg, 0, 100000000, NULL);
			break;
		case 'c':
			cmp = 1;
			break;
		}
	}
	if ((cmp && (optind == argc || sum || ntop || roof || dot)) || (!cmp && optind != argc) ||
	    (sum && ntop))
		gp_die_usage(usage);
	if (!O.md && isatty(1)) {
		struct winsize ws;
		const char *cols = getenv("COLUMNS");

		O.color = !getenv("NO_COLOR") && !(getenv("TERM") && !strcmp(getenv("TERM"), "dumb"));
		O.width = cols && atoi(cols) > 20 ? atoi(cols) :
		    ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20 ? ws.ws_col : 80;
	}
	gp_stdout_hold();       /* a later stream may still fail: nothing on stdout then */
	if (cmp) {
		struct gp_arena a = {0};

		O.a = &a;
		compare(&O, argc - optind, argv + optind);
		gp_arena_release(&a);
		gp_stdout_release();
		return gp_close_stdout();
	}
	/* a picture that cannot be written is said before the work */
	draw_check(roof, dot);
	n = read_all(stdin, "stdin", &R, 0);
	if ((roof || dot) && n > 1)
		gp_die("stdin: --roofline and --dot draw one stream; this input holds %d (a sweep?)", n);
	O.a = &R[0]->s.arena;
	/* the pictures first: an error there leaves stdout empty */
	if (roof)
		roofline_chart(R[0], roof);
	if (dot)
		dot_graph(R[0], dot, dotlimit);
	if (n > 1 && !sum && !ntop) {
		if (O.md)
			printf("# gp report: %s, %d streams\n\n", fact(&R[0]->F, "model"), n);
		else
			printf("gp report: %s, %d streams\n\n", fact(&R[0]->F, "model"), n);
		sweep_section(&O, R, n);
	}
	for (i = 0; i < n; i++) {
		O.a = &R[i]->s.arena;
		if (i && (sum || ntop))
			printf("\n");
		if (sum) {
			summary(&R[i]->F);
		} else if (ntop) {
			if (n > 1)
				printf("%s%s\n", O.md ? "## " : "", fact(&R[i]->F, "sweep") ?
				    fact(&R[i]->F, "sweep") : "");
			top(&O, R[i], ntop, by);
		} else {
			if (n > 1)
				printf("\n%s\n", O.md ? "---\n" : "----");
			report(&O, R[i]);
		}
	}
	for (i = 0; i < n; i++)
		release(R[i]);
	free(R);
	gp_stdout_release();
	return gp_close_stdout();
}
