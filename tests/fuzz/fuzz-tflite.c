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
	struct gp_load_opts o = {16, 0};

	if (setjmp(fuzz_env) == 0) {
		gp_stream_init(&s, "fuzz");
		gp_load_tflite_buf(&s, "fuzz", data, size, &o);
		fuzz_filters(&s, &g, &p, 3);
	}
	gp_part_release(&p);
	gp_graph_release(&g);
	gp_stream_release(&s);
	return 0;
}
