/* opt.c - the command line: -h, -V and usage errors of every program, and
 * option values (counts, sizes, real numbers and names from a list) */
#include <getopt.h>
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

/* the most long options a program has, with help, version and the end */
#define OPTS_MAX 32

int
gp_getopt(int argc, char **argv, const struct gp_cmd *c)
{
	static const struct gp_cmd *made;
	static struct option lo[OPTS_MAX];
	static char so[OPTS_MAX * 3];
	int n, r;

	if (made != c) {
		for (n = 0; c->opts[n].name; n++)
			;
		if (n + 3 > OPTS_MAX || strlen(c->shortopts) + 3 > sizeof so)
			gp_die("%d options: more than gp_getopt holds", n);
		memcpy(lo, c->opts, (size_t)n * sizeof *lo);
		lo[n++] = (struct option){"help", no_argument, NULL, 'h'};
		lo[n++] = (struct option){"version", no_argument, NULL, 'V'};
		lo[n] = (struct option){NULL, 0, NULL, 0};
		strcpy(so, c->shortopts);
		strcat(so, "hV");
		made = c;
	}
	switch (r = getopt_long(argc, argv, so, lo, NULL)) {
	case 'h':
		printf("usage: %s %s\n\n", gp_prog, c->usage);
		fputs(c->help, stdout);
		exit(gp_close_stdout());
	case 'V':
		printf("%s %s\n", gp_prog, GP_VERSION);
		exit(gp_close_stdout());
	case '?':
	case ':':
		gp_die_usage(c->usage);
	}
	return r;
}
