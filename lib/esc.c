/* esc.c - percent-encoding of stream fields and deterministic number text */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"

static const char hexdig[] = "0123456789ABCDEF";

/* reserved reports whether byte c must be percent-encoded anywhere in a field:
 * it would break a line or a field, or it separates items inside one (NUL
 * too: a field holds none). */
static inline int
reserved(unsigned char c)
{
	return c < 0x20 || c == 0x7f || c == '%' || c == ',' || c == ';' || c == '=' ||
	    c == '[' || c == ']' || c == '"';
}

static void
hex(struct gp_buf *b, unsigned char c)
{
	char e[3] = { '%', hexdig[c >> 4], hexdig[c & 15] };

	gp_buf_add(b, e, 3);
}

/* esc1 appends s[0..n) encoded: each run of bytes that need no escape in one
 * copy. Besides the reserved bytes, a first byte is encoded when the field
 * would read as something else: "." or "?" alone (none, unknown), or, for a
 * symbol (sym), a digit or sign, which would read as a number. */
static void
esc1(struct gp_buf *b, const char *s, size_t n, int sym)
{
	size_t i = 0, j;
	unsigned char c;

	if (n && ((n == 1 && (s[0] == '.' || s[0] == '?')) ||
	    (sym && ((s[0] >= '0' && s[0] <= '9') || s[0] == '-' || s[0] == '+')))) {
		hex(b, (unsigned char)s[0]);
		i = 1;
	}
	while (i < n) {
		for (j = i; j < n && !reserved((unsigned char)s[j]); j++)
			;
		if (j > i)
			gp_buf_add(b, s + i, j - i);
		if (j == n)
			break;
		c = (unsigned char)s[j];
		hex(b, c);
		i = j + 1;
	}
}

void
gp_esc(struct gp_buf *b, const char *s, size_t n)
{
	esc1(b, s, n, 0);
}

void
gp_esc_sym(struct gp_buf *b, const char *s, size_t n)
{
	esc1(b, s, n, 1);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

char *
gp_unesc(struct gp_arena *a, const char *s, size_t n)
{
	char *out = gp_arena_alloc(a, n + 1), *p = out;
	size_t i;
	int h, l;

	for (i = 0; i < n; i++) {
		if (s[i] != '%') {
			*p++ = s[i];
			continue;
		}
		if (n - i < 3)
			return NULL;
		h = hexval((unsigned char)s[i + 1]);
		l = hexval((unsigned char)s[i + 2]);
		if (h < 0 || l < 0)
			return NULL;
		*p++ = (char)(h << 4 | l);
		i += 2;
	}
	*p = '\0';
	return out;
}

/* A float is written with the fewest significant digits that read back as the
 * same value, then given a ".0" if it would otherwise look like an integer. */
static void
fmt_real(struct gp_buf *b, double d, int isfloat)
{
	char tmp[64];
	int prec;

	if (isnan(d)) {
		gp_buf_adds(b, "nan");
		return;
	}
	if (isinf(d)) {
		gp_buf_adds(b, d < 0 ? "-inf" : "inf");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, d);
		if (isfloat ? strtof(tmp, NULL) == (float)d : strtod(tmp, NULL) == d)
			break;
	}
	if (!strpbrk(tmp, ".e"))
		strcat(tmp, ".0");
	gp_buf_adds(b, tmp);
}

void
gp_fmt_float(struct gp_buf *b, float f)
{
	fmt_real(b, f, 1);
}

void
gp_fmt_double(struct gp_buf *b, double d)
{
	fmt_real(b, d, 0);
}

int
gp_parse_i64(const char *s, int64_t *v)
{
	char *end;
	long long x;

	if (!*s || (*s != '-' && (*s < '0' || *s > '9')))
		return -1;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*v = x;
	return 0;
}
