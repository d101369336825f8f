/* fuzz.h - what every libFuzzer target here shares: gp_die, which would end
 * the process, jumps back to the target's `if (setjmp(fuzz_env) == 0)`; and
 * /dev/null, for the targets that write a stream */
#include <setjmp.h>
#include <stdio.h>

#include "gp.h"

static jmp_buf fuzz_env;
static FILE *fuzz_null;

static void
fuzz_back(void)
{
	longjmp(fuzz_env, 1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

/* libFuzzer calls it once, before the first input */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	gp_die_hook = fuzz_back;
	if (!(fuzz_null = fopen("/dev/null", "w")))
		gp_die("/dev/null:");
	return 0;
}
