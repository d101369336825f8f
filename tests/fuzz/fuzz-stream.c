/* fuzz-stream - libFuzzer target: the stream reader (one stream or several in
 * a row), the graph view, KV-cache roles, shape inference and partitioning,
 * as every filter runs them on its input */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gp_input in;
	static struct gp_stream s;
	static struct gp_graph g;
	static struct gp_part p;
	static int fuse;
	FILE *f;

	if (size == 0 || !(f = fmemopen((void *)data, size, "r")))
		return 0;
	gp_input_init(&in, f, "fuzz");
	if (setjmp(fuzz_env) == 0) {
		while (gp_stream_next(&in, &s)) {
			gp_graph_build(&g, &s);
			gp_kv_roles(&g);
			gp_infer(&g, GP_INFER_QUIET);
			gp_graph_store(&g);
			for (fuse = 0; fuse < 2; fuse++) {
				struct gp_part_opts o = {fuse, fuse ? 10 : 0, 0};

				gp_partition(&g, &o, &p);
				gp_part_release(&p);
			}
			gp_stream_write(&s, fuzz_null, 0, NULL);
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
