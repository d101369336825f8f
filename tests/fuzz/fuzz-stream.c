/* fuzz-stream - libFuzzer target: the stream reader (one stream or several in
 * a row), the graph view, KV-cache roles, shape inference and partitioning,
 * as every filter runs them on its input; an input of odd size is read with
 * every table kept as lines (gp_stream_lazy) until the filters ask for it */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gp_input in;
	static struct gp_stream s;
	static struct gp_graph g;
	static struct gp_part p;
	static const char *const none[] = {NULL};
	FILE *f;

	if (size == 0 || !(f = fmemopen((void *)data, size, "r")))
		return 0;
	gp_stream_lazy(size & 1 ? none : NULL, 1);
	gp_input_init(&in, f, "fuzz");
	if (setjmp(fuzz_env) == 0) {
		while (gp_stream_next(&in, &s)) {
			fuzz_filters(&s, &g, &p, 10);
			gp_graph_release(&g);
			gp_stream_release(&s);
		}
	}
	gp_part_release(&p);
	fclose(f);
	gp_graph_release(&g);
	gp_stream_release(&s);
	gp_input_release(&in);
	return 0;
}
