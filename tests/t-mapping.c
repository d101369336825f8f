/* t-mapping - lib/mapping.c on kernels given by hand, for tests/0020-mapping.bats
 *
 *   t-mapping PROFILE PRECISION [RUNTIME] < KERNELS
 *
 * Each input line is one kernel: FLOPS RD WR WT THREADS ELEM RESIDENT GEMM
 * [CLASS [OPS [ITEMS [COPY RUN]]]] (bytes read, written and of weights; bytes
 * per element; GEMM "." or BxMxNxK;...; its class as gp-partition writes it:
 * elementwise, row, ...; its op types as gp-partition's ops field, such as
 * Conv+Relu; the pieces a runtime that splits by op type divides it into;
 * gp-partition's copy_elems and copy_run).
 * Each output line: compute_s memory_s latency_s unit tiles
 * split fill tile limit, tab-separated, floats to 6 significant digits.
 */
#include <stdlib.h>
#include <string.h>

#include "gp.h"

int
main(int argc, char **argv)
{
	static const char *const units[] = {"none", "matrix", "vector"};
	struct gp_hw h;
	char line[4096];
	int prec;

	gp_init(argv);
	if (argc < 3 || argc > 4 || (prec = gp_prec_from_name(argv[2])) < 0)
		gp_die_usage("PROFILE PRECISION [RUNTIME] < KERNELS");
	gp_hw_load(&h, argv[1]);
	if (argc == 4)
		gp_hw_load_runtime(&h, argv[3]);
	while (fgets(line, sizeof line, stdin)) {
		struct gp_kernel k;
		struct gp_mapped m;
		struct gp_gemm g[GP_GEMM_MAX];
		char gemm[2048], cls[64], ops[256];
		int n;

		memset(&k, 0, sizeof k);
		k.rd_split = -1;
		n = sscanf(line, "%lf %lf %lf %lf %lf %lf %lf %2047s %63s %255s %lf %lf %lf %lf", &k.flops, &k.rd,
		    &k.wr, &k.wt, &k.threads, &k.elem, &k.resident, gemm, cls, ops, &k.items, &k.copy,
		    &k.copy_run, &k.rd_split);
		if (n < 8 || n == 12)
			gp_die("stdin: '%s' is not FLOPS RD WR WT THREADS ELEM RESIDENT GEMM "
			    "[CLASS [OPS [ITEMS [COPY RUN [RD_SPLIT]]]]]", line);
		if (n >= 9)
			k.cls = gp_kclass_from_name(cls);
		if (n >= 10)
			k.ops = ops;
		if (n < 11)
			k.items = -1;
		if ((k.ngemm = gp_gemm_parse(gemm, g, GP_GEMM_MAX)) < 0)
			gp_die("stdin: '%s' is not a GEMM list", gemm);
		k.gemm = g;
		gp_map_kernel(&h, prec, &k, &m);
		printf("%.6g\t%.6g\t%.6g\t%s\t%lld\t%lld\t%.6g\t%lldx%lldx%lld\t%s\n", m.compute_s,
		    m.memory_s, m.latency_s, units[m.unit], (long long)m.tiles, (long long)m.split, m.fill,
		    (long long)m.tile.m, (long long)m.tile.n, (long long)m.tile.k, m.limit);
	}
	gp_hw_release(&h);
	return gp_close_stdout();
}
