/* calibrate-profile.c - writing gp-calibrate's measurements as a hardware profile (YAML) */
#define _GNU_SOURCE             /* as gp-calibrate.c: the same declarations in every file */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calibrate.h"

/* ---- the profile ---- */

/* The fp32 register block of a GEMM micro-kernel for the kernel set k, M x N x K,
 * or NULL: for AVX2 with FMA, BLIS's (6 rows of A x 16 columns of B, 12 ymm
 * accumulators: the 12 independent FMA chains the peak needs). None is given
 * for the others: no cited micro-kernel of that shape for gp's GEMM view. */
static const char *
gemm_tile(const struct kern *k)
{
	return !strcmp(k->name, "avx2+fma") ? "6x16x1" : NULL;
}

/* A number as YAML 1.1 reads a float: %.4g, with a '.' before any exponent. */
static void
num(struct gp_buf *b, double v)
{
	char t[64], *e;

	snprintf(t, sizeof t, "%.4g", v);
	if (!strchr(t, '.') && (e = strchr(t, 'e'))) {
		gp_buf_add(b, t, (size_t)(e - t));
		gp_buf_adds(b, ".0");
		gp_buf_adds(b, e);
	} else {
		gp_buf_adds(b, t);
	}
}

/* A string as a YAML scalar: plain when that is safe, else double-quoted. */
static void
str(struct gp_buf *b, const char *s)
{
	static const char *const special[] = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", NULL};
	const char *p;
	int plain = ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) && s[strlen(s) - 1] != ' ';
	int i;

	for (p = s; *p && plain; p++)
		plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._()+,/@-", *p) != NULL;
	for (i = 0; special[i] && plain; i++)
		plain = strcasecmp(s, special[i]) != 0;
	if (plain) {
		gp_buf_adds(b, s);
		return;
	}
	gp_buf_addc(b, '"');
	for (p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			gp_buf_printf(b, "\\%c", *p);
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			gp_buf_printf(b, "\\x%02x", (unsigned char)*p);
		else
			gp_buf_addc(b, *p);
	}
	gp_buf_addc(b, '"');
}

/* End a line, with a comment at column 32 if there is one. */
static void
eol(struct gp_buf *b, size_t start, const char *comment)
{
	if (comment) {
		do
			gp_buf_addc(b, ' ');
		while (b->len - start < 32);
		gp_buf_adds(b, "# ");
		gp_buf_adds(b, comment);
	}
	gp_buf_addc(b, '\n');
}

static void
kv_num(struct gp_buf *b, const char *key, double v, const char *comment)
{
	size_t start = b->len;

	gp_buf_printf(b, "%s: ", key);
	num(b, v);
	eol(b, start, comment);
}

static void
cite(struct gp_buf *b, const char *text)
{
	gp_buf_adds(b, "  - cite: ");
	str(b, text);
	gp_buf_addc(b, '\n');
}

const char *const level_name[NLEVEL] = {"l1", "l2", "l3"};

/* bytes as every gp program shows them (human.c), to 6 digits, into t */
static const char *
hbytes(char *t, size_t size, double bytes)
{
	struct gp_buf b = {0};

	gp_human_bytes(&b, bytes, 6);
	snprintf(t, size, "%s", b.buf);
	gp_buf_release(&b);
	return t;
}

/* is level i's capacity the probed one: smaller than the system says in most runs */
int
probed(const struct info *in, const struct result *r, int i)
{
	const struct cache *c = &in->c[i];

	return c->eff > 0 && c->eff < c->size * instances(c, i, r->units);
}

void
profile(struct gp_buf *b, const char *name, double tdp, const struct info *in, const struct result *r)
{
	char c1[512], t1[64], t2[64];
	size_t start;
	int i;

	gp_buf_printf(b, "# %s.yaml - measured by %s %s\n", name, gp_prog, GP_VERSION);
	gp_buf_printf(b, "# kernels: %s, %d fp32 lanes; best of %d runs each\n", r->k->name, r->k->lanes,
	    r->reps);
	gp_buf_printf(b, "# one thread did %.3g fp32 FLOPs per cycle of clock_hz (turbo raises it)\n",
	    r->fma1 / in->clock_hz);
	if (r->runs > 1)
		gp_buf_printf(b, "# the median of %d runs; the figures spread at most %.1f%% (%s)\n", r->runs,
		    100 * r->spread, r->spread_of);
	if (r->busy)
		gp_buf_printf(b, "# warning: measured on %s machine (load average %.2f before, %.2f after, on %d "
		    "CPUs%s): every figure is a lower bound, not this machine's; measure it again idle\n",
		    r->busy == 1 ? "a busy" : "an unsteady", r->load0, r->load1, in->ncpu,
		    r->runs > 1 && r->spread > 0.10 ? ", figures spreading over 10%" : "");
	gp_buf_adds(b, "name: ");
	str(b, name);
	snprintf(c1, sizeof c1, "%s, %d thread%s", in->model[0] ? in->model : "this machine", r->units,
	    r->units == 1 ? "" : "s");
	gp_buf_adds(b, "\ntitle: ");
	str(b, c1);
	gp_buf_adds(b, "\nvendor: ");
	str(b, in->vendor[0] ? in->vendor : "unknown");
	gp_buf_adds(b, "\nkind: cpu\n");
	start = b->len;
	gp_buf_printf(b, "units: %d", r->units);
	eol(b, start, "the threads measured");
	gp_buf_adds(b, "unit: core\n");
	kv_num(b, "clock_hz", in->clock_hz, in->clock_src);
	start = b->len;
	gp_buf_printf(b, "threads_per_unit: %d", r->k->lanes * 2);
	snprintf(c1, sizeof c1, "fp32 lanes of the %s kernel (%d) x 2 FMA pipes, assumed", r->k->name,
	    r->k->lanes);
	eol(b, start, c1);
	gp_buf_adds(b, "peak_ops:\n");
	snprintf(c1, sizeof c1, "FLOP/s: %d independent FMA chains on %d thread%s, 2 FLOPs per lane",
	    FMA_ACC, r->units, r->units == 1 ? "" : "s");
	kv_num(b, "  fp32", r->fman, c1);
	if (gemm_tile(r->k)) {
		/* the register block of a GEMM micro-kernel that reaches this peak */
		gp_buf_adds(b, "matrix:\n");
		start = b->len;
		gp_buf_printf(b, "  fp32: [%s]", gemm_tile(r->k));
		eol(b, start, "a GEMM micro-kernel's register block: 6 rows x 2 vectors, K one at a time");
	}
	gp_buf_adds(b, "memory:\n");
	gp_buf_adds(b, "  - level: dram\n");
	start = b->len;
	gp_buf_printf(b, "    capacity: %lld", in->memtotal);
	eol(b, start, "MemTotal of /proc/meminfo");
	snprintf(c1, sizeof c1, "bytes/s: triad on %d thread%s, 24 bytes per element, arrays of %s",
	    r->units, r->units == 1 ? "" : "s", hbytes(t1, sizeof t1, (double)r->triad_bytes));
	kv_num(b, "    bandwidth", r->triadn, c1);
	snprintf(c1, sizeof c1, "bytes/s: reading the first array on %d thread%s, %s each", r->units,
	    r->units == 1 ? "" : "s", hbytes(t2, sizeof t2, (double)r->read_bytes));
	kv_num(b, "    read_bandwidth", r->dram_read, c1);
	kv_num(b, "    write_bandwidth", r->dram_write, "bytes/s: what the triad implies: 24 / triad = 16 / read + 8 / write");
	for (i = NLEVEL - 1; i >= 0; i--) {
		const struct cache *c = &in->c[i];
		long long ni = instances(c, i, r->units);

		if (c->size <= 0)
			continue;
		gp_buf_printf(b, "  - level: %s\n", level_name[i]);
		start = b->len;
		if (probed(in, r, i)) {
			gp_buf_printf(b, "    capacity: %lld", c->eff);
			snprintf(c1, sizeof c1, "measured: read bandwidth falls to DRAM's past %s%s (the system says %lld x %s)",
			    hbytes(t1, sizeof t1, (double)c->eff / ni),
			    r->busy == 1 ? " on a busy machine" : r->busy ? " on an unsteady machine" : "", ni,
			    hbytes(t2, sizeof t2, (double)c->size));
		} else {
			gp_buf_printf(b, "    capacity: %lld", c->size * ni);
			snprintf(c1, sizeof c1, "%lld x %s", ni, hbytes(t1, sizeof t1, (double)c->size));
		}
		eol(b, start, c1);
		if (i == 2 && r->units > 1)
			snprintf(c1, sizeof c1, "bytes/s read, %d threads all reading one buffer of %s; 1 thread: %.4g",
			    r->units, hbytes(t1, sizeof t1, (double)c->bufn), c->bw1);
		else if (r->units > 1)
			snprintf(c1, sizeof c1, "bytes/s read, %d threads each reading its own %s; 1 thread (%s): %.4g",
			    r->units, hbytes(t1, sizeof t1, (double)c->bufn), hbytes(t2, sizeof t2, (double)c->buf1), c->bw1);
		else
			snprintf(c1, sizeof c1, "bytes/s read, 1 thread reading %s", hbytes(t1, sizeof t1, (double)c->buf1));
		kv_num(b, "    bandwidth", c->bwn, c1);
		kv_num(b, "    read_bandwidth", c->bwn, "bytes/s: the read above");
		snprintf(c1, sizeof c1, "bytes/s: triad inside the level on %d thread%s, %.4g, implies", r->units,
		    r->units == 1 ? "" : "s", c->triad);
		kv_num(b, "    write_bandwidth", c->wbw, c1);
	}
	if (tdp > 0) {
		gp_buf_adds(b, "power:\n");
		kv_num(b, "  tdp_w", tdp, "given with --tdp");
	}
	if (r->units > 1 && r->cross > 0) {
		snprintf(c1, sizeof c1, "bytes/s: %d threads each reading the %s the next thread wrote", r->units,
		    hbytes(t1, sizeof t1, (double)r->cross_bytes));
		kv_num(b, "cross_core_bandwidth", r->cross, c1);
	}
	if (r->units > 1) {
		snprintf(c1, sizeof c1, "wake %d %s worker%s, empty kernel, join; from sleep: %.4g",
		    r->units - 1, r->spin ? "spinning" : "sleeping", r->units == 2 ? "" : "s", r->launch_cold);
		kv_num(b, "launch_s", r->launch, c1);
	} else {
		kv_num(b, "launch_s", r->launch, "one thread: an empty call through a pointer");
	}
	gp_buf_adds(b, "per_thread:\n");
	kv_num(b, "  fp32", r->fma1, "FLOP/s on 1 thread");
	kv_num(b, "  dram_bandwidth", r->triad1, "bytes/s, triad on 1 thread");
	gp_buf_adds(b, "sources:\n");
	snprintf(c1, sizeof c1, "measured by %s %s on this machine (%d thread%s, best of %d runs%s)",
	    gp_prog, GP_VERSION, r->units, r->units == 1 ? "" : "s", r->reps,
	    r->busy == 1 ? "; busy: lower bounds" : r->busy ? "; unsteady: lower bounds" : "");
	cite(b, c1);
	gp_buf_adds(b, "    covers: [peak_ops, memory.dram.bandwidth, memory.dram.read_bandwidth, "
	    "memory.dram.write_bandwidth");
	for (i = NLEVEL - 1; i >= 0; i--) {
		if (in->c[i].size <= 0)
			continue;
		gp_buf_printf(b, ", memory.%s.bandwidth, memory.%s.read_bandwidth, memory.%s.write_bandwidth",
		    level_name[i], level_name[i], level_name[i]);
		if (probed(in, r, i))
			gp_buf_printf(b, ", memory.%s.capacity", level_name[i]);
	}
	gp_buf_adds(b, r->units > 1 && r->cross > 0 ? ", cross_core_bandwidth, launch_s, per_thread]\n" :
	    ", launch_s, per_thread]\n");
	snprintf(c1, sizeof c1, "/proc/cpuinfo, /proc/meminfo and the cache sizes of %s",
	    in->c[0].from_sys || in->c[1].from_sys || in->c[2].from_sys ?
	    "/sys/devices/system/cpu/cpu0/cache" : "sysconf(3)");
	cite(b, c1);
	gp_buf_adds(b, "    covers: [title, vendor, clock_hz, memory.dram.capacity");
	for (i = NLEVEL - 1; i >= 0; i--)
		if (in->c[i].size > 0 && !probed(in, r, i))
			gp_buf_printf(b, ", memory.%s.capacity", level_name[i]);
	gp_buf_adds(b, "]\n");
	snprintf(c1, sizeof c1, "%s's choices: the threads it ran and its kernels' SIMD width", gp_prog);
	cite(b, c1);
	gp_buf_adds(b, "    covers: [units, threads_per_unit]\n");
	if (gemm_tile(r->k)) {
		cite(b, "BLIS, config/haswell/bli_cntx_init_haswell.c: the AVX2/FMA sgemm micro-kernel "
		    "bli_sgemm_haswell_asm_6x16 (MR 6, NR 16)");
		gp_buf_adds(b, "    url: https://github.com/flame/blis\n");
		gp_buf_adds(b, "    covers: [matrix]\n");
	}
	if (tdp > 0) {
		cite(b, "given with --tdp");
		gp_buf_adds(b, "    covers: [power.tdp_w]\n");
	}
}
