/* human.c - numbers for people: counts with SI prefixes, bytes with binary
 * ones, times, shares; and the one syntax people write sizes and rates in
 *
 * Streams never hold these (their numbers are exact, esc.c); reports, lists
 * and comments do. Every program that shows a number to people scaled takes
 * it from here, so 3.64 G, 44.6 MiB and 133 us read the same everywhere.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"

/* v with digits significant digits; a value that %g would write with an
 * exponent for want of digits (999.7 at 3: "1e+03") is written whole */
static void
sig(struct gp_buf *b, double v, int digits)
{
	if (fabs(v) >= pow(10, digits) - 0.5)
		gp_buf_printf(b, "%.0f", v);
	else
		gp_buf_printf(b, "%.*g", digits, v);
}

void
gp_human_si(struct gp_buf *b, double v, int digits, const char *sep)
{
	static const char *const suf[] = {"", "k", "M", "G", "T", "P", "E"};
	/* the least value that rounds to 1000 at digits */
	double top = 1000 - 0.5 * pow(10, 3 - digits);
	int i = 0;

	if (isnan(v)) {
		gp_buf_adds(b, "?");
		return;
	}
	if (fabs(v) < 1000 && v == floor(v)) {
		gp_buf_printf(b, "%.0f", v);
		return;
	}
	while (fabs(v) >= top && i < 6) {
		v /= 1000;
		i++;
	}
	sig(b, v, digits);
	if (i)
		gp_buf_printf(b, "%s%s", sep, suf[i]);
}

void
gp_human_bytes(struct gp_buf *b, double v, int digits)
{
	static const char *const suf[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
	int i = 0;

	if (isnan(v)) {
		gp_buf_adds(b, "?");
		return;
	}
	if (v < 1024) {
		gp_buf_printf(b, "%.0f B", v);
		return;
	}
	/* 1023.7 KiB is 1024 KiB rounded: say 1 MiB */
	while (v >= 1023.5 && i < 5) {
		v /= 1024;
		i++;
	}
	sig(b, v, digits);
	gp_buf_printf(b, " %s", suf[i]);
}

void
gp_human_time(struct gp_buf *b, double s, int digits)
{
	static const struct {
		double scale;
		const char *unit;
	} u[] = {{1, "s"}, {1e-3, "ms"}, {1e-6, "us"}, {1e-9, "ns"}};
	int i;

	if (isnan(s)) {
		gp_buf_adds(b, "?");
		return;
	}
	for (i = 0; i < 3 && s < u[i].scale; i++)
		;
	sig(b, s / u[i].scale, digits);
	gp_buf_printf(b, " %s", u[i].unit);
}

void
gp_human_pct(struct gp_buf *b, double frac)
{
	if (isnan(frac))
		gp_buf_adds(b, "?");
	else
		gp_buf_printf(b, "%.1f%%", 100 * frac);
}

/* gp_parse_si reads a whole string as a number with an optional SI or IEC
 * suffix, the one syntax of sizes and rates everywhere in gp: k M G T P E
 * (powers of 1000), Ki Mi Gi Ti Pi Ei (powers of 1024), m u n p (1000^-n).
 * Returns 0, or -1 if s is not such a number or is not finite. */
int
gp_parse_si(const char *s, double *v)
{
	static const struct {
		const char *suf;
		double mul;
	} sufs[] = {
		{"Ki", 1024.0}, {"Mi", 1048576.0}, {"Gi", 1073741824.0}, {"Ti", 1099511627776.0},
		{"Pi", 1125899906842624.0}, {"Ei", 1152921504606846976.0},
		{"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"P", 1e15}, {"E", 1e18},
		{"m", 1e-3}, {"u", 1e-6}, {"n", 1e-9}, {"p", 1e-12}, {"", 1.0},
	};
	char *end;
	double x;
	size_t i;

	if (!*s || !strchr("+-.0123456789", *s) || strpbrk(s, "xX \t\n"))
		return -1;
	errno = 0;
	x = strtod(s, &end);
	if (end == s || errno == ERANGE)
		return -1;
	for (i = 0; i < sizeof sufs / sizeof sufs[0]; i++)
		if (!strcmp(end, sufs[i].suf)) {
			x *= sufs[i].mul;
			if (!isfinite(x))
				return -1;
			*v = x;
			return 0;
		}
	return -1;
}
