/* fuzz-hw - libFuzzer target: the hardware and runtime profile readers
 * (libyaml and the schema checks), seeded with the profiles in hw/ */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gp_hw h;

	if (setjmp(fuzz_env) == 0)
		gp_hw_parse(&h, "fuzz.yaml", (const char *)data, size);
	gp_hw_release(&h);
	/* the same bytes as a runtime profile (hw/runtime/) */
	if (setjmp(fuzz_env) == 0)
		gp_hw_parse_runtime(&h, "fuzz.yaml", (const char *)data, size);
	gp_hw_release(&h);
	return 0;
}
