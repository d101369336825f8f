/* fuzz-tflite - libFuzzer target: the TFLite loader (the FlatBuffers reader,
 * the model's checks), then what every filter runs on its stream: the graph
 * view, shape inference with the tflite op table, partitioning, writing */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gp_stream s;
	static struct gp_graph g;
	static struct gp_part p;
	static int fuse;
	struct gp_load_opts o = {16, 0};

	if (setjmp(fuzz_env) == 0) {
		gp_stream_init(&s, "fuzz");
		gp_load_tflite_buf(&s, "fuzz", data, size, &o);
		gp_graph_build(&g, &s);
		gp_infer(&g, GP_INFER_QUIET);
		gp_graph_store(&g);
		for (fuse = 0; fuse < 2; fuse++) {
			struct gp_part_opts po = {.fuse = fuse, .dtype = fuse ? 3 : 0};

			gp_partition(&g, &po, &p);
			gp_part_release(&p);
		}
		gp_stream_write(&s, fuzz_null, 0, NULL);
	}
	gp_part_release(&p);
	gp_graph_release(&g);
	gp_stream_release(&s);
	return 0;
}
