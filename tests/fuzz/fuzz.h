/* fuzz.h - what every libFuzzer target here shares: gp_die, which would end
 * the process, jumps back to the target's `if (setjmp(fuzz_env) == 0)`; and
 * what the filters run on a stream, written to /dev/null */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

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

/* fuzz_sub, gp_partition's emit: reads every list of subgraph sg, so that
 * the sanitizers see a bad one */
static inline void
fuzz_sub(void *arg, const struct gp_sub *sg)
{
	int64_t *sum = arg;
	int i;

	for (i = 0; i < sg->nnode; i++)
		*sum += sg->nodes[i];
	for (i = 0; i < sg->nin; i++)
		*sum += sg->in[i];
	for (i = 0; i < sg->nw; i++)
		*sum += sg->w[i];
	for (i = 0; i < sg->nout; i++)
		*sum += sg->out[i];
	*sum += sg->kcls + (sg->ops ? (int64_t)strlen(sg->ops) : 0);
	*sum += sg->reorders.n + sg->reorders.in + sg->reorders.out;
}

/* fuzz_filters runs on s what every filter runs on its input: the graph view
 * (in g, for the caller to release), KV-cache roles, shape inference,
 * partitioning into p (plain, fused at dtype, then fused for a runtime with
 * an NCHWc layout of blocks of 8: its reorders), and writing the stream */
static inline void
fuzz_filters(struct gp_stream *s, struct gp_graph *g, struct gp_part *p, int dtype)
{
	int fuse;
	int64_t sum = 0;

	gp_graph_build(g, s);
	gp_kv_roles(g);
	gp_infer(g, GP_INFER_QUIET);
	gp_graph_store(g);
	for (fuse = 0; fuse < 3; fuse++) {
		struct gp_part_opts o = {.fuse = fuse > 0, .dtype = fuse ? dtype : 0,
		    .nchwc_block = fuse == 2 ? 8 : 0};

		gp_partition(g, &o, p, fuzz_sub, &sum);
		gp_part_release(p);
	}
	fprintf(fuzz_null, "%lld\n", (long long)sum);
	gp_stream_write(s, fuzz_null, 0, NULL);
}
