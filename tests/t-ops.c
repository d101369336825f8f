/* t-ops - print the op table as docs/counting.md lists it: one line per op,
 * "| op | class | FLOPs |" (a com.microsoft op as "com.microsoft.Op", a TFLite
 * one as "tflite.OP" or "tflite.custom.Op"), so a
 * test can check that the docs say what the code does; dies if an op's
 * gp_op_index is not its place in the table */
#include <stdio.h>
#include <string.h>

#include "gp.h"
#include "op.h"

int
main(int argc, char **argv)
{
	static const char *const cls[] = {
		[GP_C_UNKNOWN] = "unknown", [GP_C_FREE] = "free", [GP_C_VIEW] = "view",
		[GP_C_ELEM] = "element-wise", [GP_C_ROW] = "row", [GP_C_POOL] = "pool",
		[GP_C_MOVE] = "move", [GP_C_DENSE] = "MAC", [GP_C_CONTROL] = "control",
	};
	const struct gp_op *op;
	size_t i;

	(void)argc;
	gp_init(argv);
	for (i = 0; (op = gp_op_at(i)); i++) {
		char per[96];
		int k = op->fpe;

		/* gp-partition keeps each node's op as gp_op_index + 1 in 2 bytes */
		if (gp_op_index(op) != i || i + 1 > UINT16_MAX)
			gp_die("op %zu (%s): gp_op_index gives %zu, or more ops than 2 bytes number",
			    i, op->name, gp_op_index(op));

		if (op->domain && !strncmp(op->domain, "tflite", 6))
			snprintf(per, sizeof per, "%s", gp_tflite_op_doc(op));
		else if (op->cost == gp_cost_elem && k == -1)
			snprintf(per, sizeof per, "n-1 per output element (n inputs)");
		else if (op->cost == gp_cost_elem && k == -2)
			snprintf(per, sizeof per, "n per output element (n inputs)");
		else if (op->cost == gp_cost_elem || op->cost == gp_cost_softmax)
			snprintf(per, sizeof per, "%d per output element", k);
		else if (op->cost == gp_cost_biaselem)
			snprintf(per, sizeof per, "%d per output element; + 1 with a bias", k);
		else if (op->cost == gp_cost_rotary)
			snprintf(per, sizeof per, "%d per rotated element", k);
		else if (op->cost == gp_cost_norm)
			snprintf(per, sizeof per, "%d per element", k);
		else if (op->cost == gp_cost_skipnorm)
			snprintf(per, sizeof per, "%d per element; + 1 with a bias", k);
		else if (op->cost == gp_cost_embedln)
			snprintf(per, sizeof per, "%d per element; + 1 with segments, + 1 per mask element", k);
		else if (op->cost == gp_cost_reduce)
			snprintf(per, sizeof per, "%d per input element", k);
		else if (op->cost == gp_cost_pool)
			snprintf(per, sizeof per, "%d per window element per output", k);
		else if (op->cost == gp_cost_lrn)
			snprintf(per, sizeof per, "2 size + 3 per element");
		else if (op->cost == gp_cost_topk)
			snprintf(per, sizeof per, "log2(K), rounded up, at least 1, per input element");
		else if (op->cost == gp_cost_resize)
			snprintf(per, sizeof per, "0 nearest; linear, cubic: see Resize");
		else if (op->cost == gp_cost_move || op->cost == gp_cost_concat || op->cost == gp_cost_split ||
		    op->cost == gp_cost_transpose || op->cost == gp_cost_none)
			snprintf(per, sizeof per, "0");
		else if (op->cost == gp_cost_control)
			snprintf(per, sizeof per, "its bodies: see control flow");
		else if (op->cost == gp_cost_gemm)
			snprintf(per, sizeof per, "2 per MAC; + 1 per output for C, + 1 each if alpha, beta != 1");
		else if (op->cost == gp_cost_fusedmatmul)
			snprintf(per, sizeof per, "2 per MAC; + 1 per output if alpha != 1");
		else if (op->cost == gp_cost_qmatmul && k)
			snprintf(per, sizeof per, "2 per MAC; + %d per element of A, + 1 per output, + 1 for a bias", k);
		else if (op->cost == gp_cost_qmatmul)
			snprintf(per, sizeof per, "2 per MAC; + 1 per output, + 1 for a bias");
		else if (op->cost == gp_cost_matmulnbits)
			snprintf(per, sizeof per, "2 per MAC; + %d per weight (K x N), + 1 per output for a bias", k);
		else if (op->cost == gp_cost_attention)
			snprintf(per, sizeof per, "2 per MAC; + %d per score, + 1 if masked: see contrib ops", k);
		else if (op->cost == gp_cost_rnn)
			snprintf(per, sizeof per, "2 per MAC; + the gates' element-wise work: see recurrent ops");
		else if (op->cost == gp_cost_conv || op->cost == gp_cost_convtranspose)
			snprintf(per, sizeof per, "2 per MAC; + 1 per output for a bias");
		else
			snprintf(per, sizeof per, "2 per MAC");
		if (op->domain)
			printf("| %s.%s | %s | %s |\n", op->domain, op->name, cls[op->cls], per);
		else
			printf("| %s | %s | %s |\n", op->name, cls[op->cls], per);
	}
	return gp_close_stdout();
}
