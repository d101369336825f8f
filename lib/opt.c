/* opt.c - option values: counts, sizes, real numbers and names from a list, or a usage error */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"

int64_t
gp_opt_count(const char *opt, const char *s, int64_t lo, int64_t hi, const char *what)
{
	int64_t v;

	if (gp_parse_i64(s, &v) < 0 || v < lo || v > hi) {
		if (what)
			gp_die_optval(opt, s, "%s (%" PRId64 " to %" PRId64 ")", what, lo, hi);
		gp_die_optval(opt, s, "a count from %" PRId64 " to %" PRId64, lo, hi);
	}
	return v;
}

int64_t
gp_opt_pcount(const char *opt, const char *s, int64_t hi, const char *what)
{
	return gp_opt_count(opt, s, 1, hi, what);
}

double
gp_opt_size(const char *opt, const char *s, double lo, double hi, const char *what)
{
	double v;

	if (gp_parse_si(s, &v) || !(v >= lo) || v > hi) {
		if (what)
			gp_die_optval(opt, s, "%s", what);
		gp_die_optval(opt, s, "a number from %g to %g", lo, hi);
	}
	return v;
}

double
gp_opt_real(const char *opt, const char *s, double lo, double hi, const char *what)
{
	char *e;
	double v = strtod(s, &e);

	if (e == s || *e || !(v >= lo) || v > hi) {
		if (what)
			gp_die_optval(opt, s, "%s", what);
		gp_die_optval(opt, s, "a number from %g to %g", lo, hi);
	}
	return v;
}

/* choices writes "a, b or c" into b */
static void
choices(struct gp_buf *b, const char *const *names)
{
	int i;

	for (i = 0; names[i]; i++) {
		if (i)
			gp_buf_adds(b, names[i + 1] ? ", " : " or ");
		gp_buf_adds(b, names[i]);
	}
}

int
gp_opt_enum(const char *opt, const char *s, const char *const *names)
{
	struct gp_buf b = {0};
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(s, names[i]))
			return i;
	choices(&b, names);
	gp_die_optval(opt, s, "%s", b.buf ? b.buf : "(no choices)");
}
