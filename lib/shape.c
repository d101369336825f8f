/* shape.c - tensor shapes: text form, element counts and byte sizes */
#include <string.h>

#include "gp.h"

void
gp_shape_fmt(struct gp_buf *b, const struct gp_shape *s)
{
	int i;

	if (s->rank < 0) {
		gp_buf_addc(b, '?');
		return;
	}
	gp_buf_addc(b, '[');
	for (i = 0; i < s->rank; i++) {
		if (i)
			gp_buf_addc(b, ',');
		if (s->d[i].sym)
			gp_esc_sym(b, s->d[i].sym, strlen(s->d[i].sym));
		else if (s->d[i].v >= 0) {
			char num[24], *q = num + sizeof num;    /* printf was most of gp-shape's time */
			int64_t v = s->d[i].v;

			do
				*--q = (char)('0' + v % 10);
			while (v /= 10);
			gp_buf_add(b, q, (size_t)(num + sizeof num - q));
		}
		else
			gp_buf_addc(b, '?');
	}
	gp_buf_addc(b, ']');
}

/* gp_shape_parse reads "?" (unknown rank) or "[d,d,...]" where each d is a
 * non-negative integer, "?" or an escaped symbol that does not start with a
 * digit, '-' or '+'. */
int
gp_shape_parse(struct gp_arena *a, const char *text, struct gp_shape *s)
{
	size_t n = strlen(text), i, start;
	int rank = 0, k;
	const char *p;

	if (strcmp(text, "?") == 0) {
		s->rank = -1;
		s->d = NULL;
		return 0;
	}
	if (n < 2 || text[0] != '[' || text[n - 1] != ']')
		return -1;
	if (n > 2)
		for (rank = 1, i = 1; i < n - 1; i++)
			rank += text[i] == ',';
	s->rank = rank;
	s->d = rank ? gp_arena_alloc(a, sizeof *s->d * (size_t)rank) : NULL;
	for (k = 0, start = 1; k < rank; k++) {
		p = text + start;
		for (i = start; text[i] != ',' && i < n - 1; i++)
			;
		if (i == start)
			return -1;
		s->d[k].v = -1;
		s->d[k].sym = NULL;
		if (*p >= '0' && *p <= '9') {
			int64_t v = 0;
			size_t j;

			for (j = start; j < i; j++) {
				if (text[j] < '0' || text[j] > '9' ||
				    __builtin_mul_overflow(v, 10, &v) ||
				    __builtin_add_overflow(v, text[j] - '0', &v))
					return -1;
			}
			s->d[k].v = v;
		} else if (i - start == 1 && *p == '?') {
			/* unknown */
		} else if (*p == '-' || *p == '+') {
			return -1;
		} else {
			s->d[k].sym = gp_unesc(a, p, i - start);
			if (!s->d[k].sym)
				return -1;
		}
		start = i + 1;
	}
	return 0;
}

int64_t
gp_shape_numel(const struct gp_shape *s)
{
	int64_t n = 1;
	int i;

	if (s->rank < 0)
		return -1;
	for (i = 0; i < s->rank; i++) {
		if (s->d[i].sym || s->d[i].v < 0)
			return -1;
	}
	for (i = 0; i < s->rank; i++)
		if (__builtin_mul_overflow(n, s->d[i].v, &n))
			return -2;
	return n;
}

int64_t
gp_tensor_bytes(int dt, int64_t numel)
{
	int64_t bits;
	int eb = gp_dtype_bits(dt);

	if (numel < 0 || eb == 0)
		return numel == -2 ? -2 : -1;
	/* whole bytes of the multiples of 8 elements, then the rest: no
	 * intermediate count of bits that could overflow first */
	if (__builtin_mul_overflow(numel / 8, (int64_t)eb, &bits))
		return -2;
	return bits + ((numel % 8) * eb + 7) / 8 < bits ? -2 : bits + ((numel % 8) * eb + 7) / 8;
}
