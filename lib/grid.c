/* grid.c - aligned tables for people: columns padded to their widest cell,
 * as plain text (bold headings and names clipped to a terminal's width when
 * asked) or as Markdown
 *
 * Not the stream's record tables (stream.c): a grid holds text already
 * formatted for reading, and is printed once.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gp.h"

void
gp_grid_init(struct gp_grid *t, int ncol, const char *align)
{
	memset(t, 0, sizeof *t);
	t->ncol = ncol;
	t->align = align;
}

const char **
gp_grid_addrow(struct gp_grid *t)
{
	const char **r;
	int c;

	if (t->nrow + 1 > t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->cell = gp_xreallocarray(t->cell, (size_t)t->cap * (size_t)t->ncol, sizeof *t->cell);
	}
	r = &t->cell[(size_t)t->nrow++ * (size_t)t->ncol];
	for (c = 0; c < t->ncol; c++)
		r[c] = ".";
	return r;
}

void
gp_grid_row(struct gp_grid *t, ...)
{
	const char **r = gp_grid_addrow(t);
	va_list ap;
	int c;

	va_start(ap, t);
	for (c = 0; c < t->ncol; c++)
		r[c] = va_arg(ap, const char *);
	va_end(ap);
}

int
gp_text_width(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* the first w code points of s, "..." in place of the rest if it is longer;
 * *held is set to what the caller frees, if anything */
static const char *
clip(const char *s, int w, char **held)
{
	const char *p = s;
	int n = 0;
	size_t k;

	*held = NULL;
	if (gp_text_width(s) <= w || w < 4)
		return s;
	while (*p && n < w - 3) {
		p++;
		while (((unsigned char)*p & 0xC0) == 0x80)
			p++;
		n++;
	}
	k = (size_t)(p - s);
	*held = gp_xmalloc(k + 4);
	memcpy(*held, s, k);
	memcpy(*held + k, "...", 4);
	return *held;
}

static void
markdown(const struct gp_grid *t, FILE *f)
{
	int r, c;

	for (r = 0; r < t->nrow; r++) {
		for (c = 0; c < t->ncol; c++) {
			const char *p;

			fputs("| ", f);
			for (p = t->cell[r * t->ncol + c]; *p; p++)
				if (*p == '|')
					fputs("\\|", f);
				else
					putc(*p, f);
			putc(' ', f);
		}
		fputs("|\n", f);
		if (r == 0) {
			for (c = 0; c < t->ncol; c++)
				fprintf(f, "|%s", t->align[c] == 'r' ? "---:" : "---");
			fputs("|\n", f);
		}
	}
	putc('\n', f);
}

/* gp_grid_print writes t, row 0 its heading, and frees its rows (not the
 * text in them). In text, each cell is preceded by two spaces and padded to
 * its column's widest (left or right by align); with st->width > 0 a table
 * wider than that clips its widest left-aligned column's cells to fit (no
 * fewer than 8 columns wide). A key-value grid (t->kv) prints no heading in
 * text, is never clipped, and its widths are those of the rows below the
 * heading. */
void
gp_grid_print(struct gp_grid *t, const struct gp_grid_style *st, FILE *f)
{
	int *w, c, r, total = 0, wide = -1, first = t->kv ? 1 : 0;
	char **held;

	if (st->md) {
		markdown(t, f);
		free(t->cell);
		t->cell = NULL;
		return;
	}
	w = gp_xcalloc((size_t)t->ncol + 1, sizeof *w);
	held = gp_xcalloc((size_t)t->nrow + 1, sizeof *held);
	for (c = 0; c < t->ncol; c++) {
		for (r = first; r < t->nrow; r++)
			if (gp_text_width(t->cell[r * t->ncol + c]) > w[c])
				w[c] = gp_text_width(t->cell[r * t->ncol + c]);
		total += w[c] + 2;
		if (t->align[c] == 'l' && (wide < 0 || w[c] > w[wide]))
			wide = c;
	}
	/* on a terminal, clip the widest text column to fit */
	if (!t->kv && st->width > 0 && total > st->width && wide >= 0) {
		int nw = w[wide] - (total - st->width);

		w[wide] = nw < 8 ? 8 : nw;
		for (r = 1; r < t->nrow; r++)
			t->cell[r * t->ncol + wide] = clip(t->cell[r * t->ncol + wide], w[wide], &held[r]);
	}
	for (r = first; r < t->nrow; r++) {
		for (c = 0; c < t->ncol; c++) {
			const char *s = t->cell[r * t->ncol + c];
			int pad = w[c] - gp_text_width(s), last = c == t->ncol - 1;

			if (r == 0 && st->color)
				fputs("\033[1m", f);
			if (t->align[c] == 'r')
				fprintf(f, "  %*s%s", pad, "", s);
			else
				fprintf(f, "  %s%*s", s, last ? 0 : pad, "");
			if (r == 0 && st->color)
				fputs("\033[0m", f);
		}
		putc('\n', f);
	}
	for (r = 0; r < t->nrow; r++)
		free(held[r]);
	free(held);
	free(w);
	free(t->cell);
	t->cell = NULL;
}
