/* fuzz-concur - libFuzzer target: what gp-concur runs on its input (the
 * stream reader, the subgraph DAG with its tensor and node records, every
 * analysis of it), seeded with partitioned streams so that mutations reach
 * the DAG */
#include <stdlib.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gp_stream s;
	static struct gp_dag d;
	static int *stage, *order;
	static int64_t *live;
	static double *w;
	static char *on;
	FILE *f;
	int v, at;

	if (size == 0 || !(f = fmemopen((void *)data, size, "r")))
		return 0;
	if (setjmp(fuzz_env) == 0) {
		gp_stream_init(&s, "fuzz");
		gp_stream_read(&s, f);
		gp_dag_build(&d, &s);
		stage = calloc((size_t)d.n + 1, sizeof *stage);
		order = calloc((size_t)d.n + 1, sizeof *order);
		live = calloc((size_t)d.n + 1, sizeof *live);
		w = calloc((size_t)d.n + 1, sizeof *w);
		on = calloc((size_t)d.n + 1, 1);
		gp_dag_stages(&d, stage);
		gp_dag_width(&d);
		for (v = 0; v < d.n; v++) {
			w[v] = 1;
			order[v] = v;
		}
		gp_dag_path(&d, w, w, on);
		gp_dag_peak(&d, order, live, &at);
		if (gp_dag_best_order(&d, order, 1000) >= 0)
			gp_dag_peak(&d, order, live, &at);
	}
	free(stage);
	free(order);
	free(live);
	free(w);
	free(on);
	stage = order = NULL;
	live = NULL;
	w = NULL;
	on = NULL;
	fclose(f);
	gp_dag_release(&d);
	gp_stream_release(&s);
	return 0;
}
