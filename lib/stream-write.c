/* stream-write.c - writing the gp stream, and holding a filter's output until its input went through */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stream.h"

/* Writing. Lines are put together in a buffer of OUTBUF bytes, small enough
 * to stay in the cache until it is written (a megabyte was slower), and
 * handed to stdio whole; the caller checks the final flush with
 * gp_close_stdout(). */

#define OUTBUF ((size_t)1 << 17)

/* out appends p[0..n) to o, handing o to f first when it is full (o's text
 * is not NUL-terminated meanwhile) */
static void
out(struct gp_buf *o, FILE *f, const char *p, size_t n)
{
	if (o->len + n >= o->cap) {
		fwrite(o->buf, 1, o->len, f);
		o->len = 0;
		gp_buf_grow(o, n);
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

static void
outs(struct gp_buf *o, FILE *f, const char *p)
{
	out(o, f, p, strlen(p));
}

void
gp_stream_write(struct gp_stream *s, FILE *f, int argc, char **argv)
{
	struct gp_buf b = {0}, o = {0};
	size_t r, nrec = 0;
	int i, c;
	char num[32];

	for (i = 0; i < s->ntab; i++)   /* (a program that writes no stream counts them only) */
		if (s->tab[i]->skipped)
			gp_die("%s: the %s records were counted, not kept: the stream cannot be written",
			    s->src, s->tab[i]->type);
	gp_buf_grow(&o, OUTBUF - 1);    /* OUTBUF bytes in all */
	outs(&o, f, "##gp\t" GP_STREAM_VERSION "\n");
	for (i = 0; i < s->nhdr; i++) {
		outs(&o, f, "##");
		outs(&o, f, s->hdr[i].key);
		if (*s->hdr[i].val) {
			outs(&o, f, "\t");
			outs(&o, f, s->hdr[i].val);
		}
		outs(&o, f, "\n");
	}
	/* our own provenance: arguments escaped, spaces too, joined by spaces
	 * (none for a copy made inside a program: argv NULL) */
	for (i = 1; argv && i < argc; i++) {
		struct gp_buf e = {0};
		size_t k;

		if (i > 1)
			gp_buf_addc(&b, ' ');
		gp_esc(&e, argv[i], strlen(argv[i]));
		for (k = 0; k < e.len; k++) {
			if (e.buf[k] == ' ')
				gp_buf_adds(&b, "%20");
			else
				gp_buf_addc(&b, e.buf[k]);
		}
		if (!*argv[i])
			gp_buf_adds(&b, "\"\"");
		gp_buf_release(&e);
	}
	if (argv) {
		outs(&o, f, "##prog\t");
		outs(&o, f, gp_prog);
		outs(&o, f, "\t" GP_VERSION "\t");
		outs(&o, f, b.len ? b.buf : ".");
		outs(&o, f, "\n");
	}
	gp_buf_release(&b);
	for (i = 0; i < s->ntab; i++) {
		struct gp_table *t = s->tab[i];
		size_t tl = strlen(t->type);
		/* (in locals: a byte stored in the buffer might be any of t's,
		 * so that t's would be read again for every field) */
		char *const *text = t->text;
		int ncol = t->ncol;
		struct gp_block *b = gp_xreallocarray(NULL, (size_t)ncol + 1, sizeof *b);

		outs(&o, f, "#");
		out(&o, f, t->type, tl);
		for (c = 0; c < t->ncol; c++) {
			outs(&o, f, "\t");
			outs(&o, f, t->col[c]);
		}
		outs(&o, f, "\n");
		if (t->raw)                     /* its lines as they were read */
			out(&o, f, t->raw, t->rawlen);
		for (r = 0; r < t->nrow && !t->raw; r++) {
			char *q, *e;

			gp_table_row(t, r, b);
			/* the type, and the fields copied a word at a time while
			 * there is room (the text has slack), the rest by out */
			if (o.len + tl + 8 >= o.cap) {
				out(&o, f, t->type, tl);
			} else {
				memcpy(o.buf + o.len, t->type, tl);
				o.len += tl;
			}
			q = o.buf + o.len;
			e = o.buf + o.cap - 2;
			for (c = 0; c < ncol; c++) {
				uint32_t h = gp_block_handle(&b[c], r);
				const char *v = text[h >> GP_TEXT_OFFBITS] + (h & ((1u << GP_TEXT_OFFBITS) - 1));

				*q++ = '\t';
				for (;; q += 8, v += 8) {
					uint64_t w, m;

					if (q + 8 > e) {
						o.len = (size_t)(q - o.buf);
						outs(&o, f, v);
						q = o.buf + o.len;
						e = o.buf + o.cap - 2;
						break;
					}
					w = gp_load8(v);
					m = gp_zero8(w);
					memcpy(q, &w, 8);
					if (m) {
						q += __builtin_ctzll(m) >> 3;
						break;
					}
				}
			}
			*q++ = '\n';
			o.len = (size_t)(q - o.buf);
		}
		nrec += t->nrow;
		free(b);
	}
	snprintf(num, sizeof num, "##end\t%zu\n", nrec);
	outs(&o, f, num);
	fwrite(o.buf, 1, o.len, f);
	gp_buf_release(&o);
}

/* The spool: streams written while more may follow. A temporary file (memory
 * stays the same whatever the streams' size), or memory if none can be made. */
static FILE *spool;
static char *spool_mem;
static size_t spool_len;

static void
spool_close(void)
{
	if (spool)
		fclose(spool);
	free(spool_mem);
	spool = NULL;
	spool_mem = NULL;
	spool_len = 0;
}

void
gp_spool_out(void)
{
	char buf[1 << 16];
	size_t n;

	if (!spool)
		return;
	if (spool_mem) {
		fclose(spool);
		spool = NULL;
		fwrite(spool_mem, 1, spool_len, stdout);
	} else {
		rewind(spool);
		while ((n = fread(buf, 1, sizeof buf, spool)) > 0)
			fwrite(buf, 1, n, stdout);
		if (ferror(spool))
			gp_die("reading a temporary file for the output:");
	}
	spool_close();
}

void
gp_stream_emit(struct gp_stream *s, int argc, char **argv, int more)
{
	if (more) {
		if (!spool && !(spool = tmpfile()) && !(spool = open_memstream(&spool_mem, &spool_len)))
			gp_die("cannot make a temporary file for the output:");
		gp_stream_write(s, spool, argc, argv);
		if (fflush(spool) == EOF || ferror(spool))
			gp_die("writing a temporary file for the output:");
		return;
	}
	gp_spool_out();            /* every input was good: what waited goes out first */
	gp_stream_write(s, stdout, argc, argv);
}

static FILE *held;              /* where standard output goes while held */
static int held_fd = -1;        /* the real standard output meanwhile */

void
gp_stdout_hold(void)
{
	if (held)
		return;
	if (fflush(stdout) == EOF)
		gp_die("write error on stdout:");
	if (!(held = tmpfile()))
		gp_die("cannot make a temporary file for the output:");
	if ((held_fd = dup(1)) < 0 || dup2(fileno(held), 1) < 0)
		gp_die("cannot hold the output:");
}

void
gp_stdout_release(void)
{
	char buf[1 << 16];
	ssize_t n, w, k;

	if (!held)
		return;
	if (fflush(stdout) == EOF || ferror(stdout))
		gp_die("writing a temporary file for the output:");
	if (lseek(fileno(held), 0, SEEK_SET) < 0)
		gp_die("reading a temporary file for the output:");
	while ((n = read(fileno(held), buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			gp_die("reading a temporary file for the output:");
		for (k = 0; k < n; k += w) {
			w = write(held_fd, buf + k, (size_t)(n - k));
			if (w < 0 && errno == EINTR)
				w = 0;
			else if (w < 0)
				gp_die("write error on stdout:");
		}
	}
	if (dup2(held_fd, 1) < 0)
		gp_die("cannot restore the output:");
	close(held_fd);
	fclose(held);
	held = NULL;
	held_fd = -1;
}
