/* fuzz-load - libFuzzer target: the ONNX loader (wire pass, protobuf-c, checks) */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gp_stream s;
	struct gp_load_opts o = {16, 0};

	if (setjmp(fuzz_env) == 0) {
		gp_stream_init(&s, "fuzz");
		gp_load_onnx_buf(&s, "fuzz", data, size, &o);
	}
	gp_stream_release(&s);
	return 0;
}
