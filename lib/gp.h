/* gp.h - the gp library: errors, options, memory, numbers and names, the gp
 * stream and the graph it holds, ONNX and TFLite loading; the model layer
 * (the op table, partitioning, concurrency, hardware profiles, the roofline
 * mapping, shape inference) is in gp-model.h, which it includes; each section
 * names its file */
#ifndef GP_H
#define GP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define GP_VERSION "0.1.0"
#define GP_STREAM_VERSION "1"

/* Exit statuses of every gp program. */
enum gp_exit {
	GP_EXIT_OK = 0,
	GP_EXIT_FAIL = 1,   /* bad input, or a run-time failure */
	GP_EXIT_USAGE = 2,  /* bad command line */
	GP_EXIT_BUDGET = 3, /* gp-concur: the stream is whole, but its peak does not fit --budget */
};

/* ---- err.c: the one error path ---- */
extern const char *gp_prog;                 /* program name, set by gp_init() */
extern void (*gp_die_hook)(void);           /* if set, gp_die calls it (a fuzzer longjmps out) */
extern void (*gp_die_cleanup)(void);        /* if set, gp_die calls it first: free what is held */
extern const char *gp_err_src;              /* the input being read, named when memory runs out */
void gp_init(char **argv);                  /* init.c: set gp_prog from argv[0] (and shorten
                                             * argv[0]), and the allocator's policy */
/* A format ending in ':' has ": " and strerror(errno) appended (as sbase's eprintf). */
void gp_die(const char *fmt, ...)           /* "PROG: msg\n" on stderr, exit 1 */
	__attribute__((noreturn, format(printf, 1, 2)));
void gp_die_status(int status, const char *fmt, ...)  /* the same, exit status */
	__attribute__((noreturn, format(printf, 2, 3)));
/* An option's bad value: "PROG: OPT: 'VAL' is not WHAT" (WHAT from fmt), exit 2. */
void gp_die_optval(const char *opt, const char *val, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
void gp_die_usage(const char *usage)        /* the usage line on stderr, exit 2 */
	__attribute__((noreturn));
void gp_warn(const char *fmt, ...)          /* "PROG: warning: msg\n" on stderr */
	__attribute__((format(printf, 1, 2)));
extern int gp_warn_off;                     /* while > 0, gp_warn writes nothing */
void gp_note(const char *fmt, ...)          /* "PROG: msg\n" on stderr: a finding or progress, not an error */
	__attribute__((format(printf, 1, 2)));
int gp_close_stdout(void);                  /* flush and close stdout; die on write error */

/* ---- opt.c: the command line and option values; a bad one is a usage error (gp_die_optval) ---- */
/* A whole decimal count from lo to hi; else "'S' is not WHAT (LO to HI)",
 * or "a count from LO to HI" when what is NULL. pcount: from 1. */
int64_t gp_opt_count(const char *opt, const char *s, int64_t lo, int64_t hi, const char *what);
int64_t gp_opt_pcount(const char *opt, const char *s, int64_t hi, const char *what);
/* A number from lo to hi: size takes gp_parse_si's suffixes, real is a plain
 * strtod number. Else "'S' is not WHAT", or "a number from LO to HI" when
 * what is NULL. NaN is never in range. */
double gp_opt_size(const char *opt, const char *s, double lo, double hi, const char *what);
double gp_opt_real(const char *opt, const char *s, double lo, double hi, const char *what);
/* The index of s in the NULL-terminated names; else "'S' is not A, B or C". */
int gp_opt_enum(const char *opt, const char *s, const char *const *names);

/* A program's command line: what its main states, gp_getopt does the rest. */
struct option;                              /* <getopt.h>'s */
struct gp_cmd {
	const char *usage;                  /* the usage line after "usage: PROG " */
	const char *help;                   /* --help's text after the usage line and a blank line */
	const char *shortopts;              /* the program's own short options ("H:p:"), or "" */
	const struct option *opts;          /* its own long options, {0}-terminated */
};
/* getopt_long over c's options and -h/--help, -V/--version, which print and
 * exit 0; an unknown option, or one without its value, is getopt's message,
 * the usage line and exit 2. Returns the next option of c's own (optarg,
 * optind as getopt's), or -1 after the last. */
int gp_getopt(int argc, char **argv, const struct gp_cmd *c);

/* ---- count.c: counts (elements, bytes, FLOPs) where -1 means unknown ---- */
/* a + b, a * b, the larger: -1 when either is unknown (< 0) or the result
 * overflows 64 bits (a caller for whom overflow is an error checks first). */
int64_t gp_count_add(int64_t a, int64_t b);
int64_t gp_count_mul(int64_t a, int64_t b);
int64_t gp_count_max(int64_t a, int64_t b);

/* ---- mem.c: allocation, an arena, a growable buffer ---- */
void *gp_xmalloc(size_t n);                 /* malloc or die */
void *gp_xcalloc(size_t n, size_t size);    /* calloc or die, overflow checked */
void *gp_xrealloc(void *p, size_t n);       /* realloc or die */
void *gp_xreallocarray(void *p, size_t n, size_t size); /* realloc n*size or die */
char *gp_xstrdup(const char *s);
void gp_mem_init(void);                     /* the allocator's policy (gp_init calls it) */
void *gp_pages(size_t n);                   /* fresh pages of its own, page-aligned, or die: a benchmark's buffer */
void gp_pages_free(void *p);

/* An arena: many small objects freed together. */
struct gp_arena {
	struct gp_arena_block *head;
};
void *gp_arena_alloc(struct gp_arena *a, size_t n);        /* 16-aligned, never NULL */
char *gp_arena_strdup(struct gp_arena *a, const char *s);
char *gp_arena_strndup(struct gp_arena *a, const char *s, size_t n);
char *gp_arena_printf(struct gp_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void gp_arena_release(struct gp_arena *a);                 /* free everything */

/* A growable byte buffer. Invariant: buf[len] == '\0' whenever buf != NULL. */
struct gp_buf {
	char *buf;
	size_t len, cap;
};
void gp_buf_grow(struct gp_buf *b, size_t extra);          /* room for extra more bytes */
void gp_buf_add(struct gp_buf *b, const void *p, size_t n);
void gp_buf_adds(struct gp_buf *b, const char *s);
void gp_buf_addc(struct gp_buf *b, int c);
void gp_buf_printf(struct gp_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void gp_buf_reset(struct gp_buf *b);                       /* len = 0, keep memory */
void gp_buf_release(struct gp_buf *b);

/* ---- outfile.c: a file written whole or not at all ---- */
struct gp_outfile {
	const char *path;                   /* as given: errors name it */
	char *target, *tmp;                 /* path, symbolic links followed; the temporary beside it */
	int fd;
};
/* Die "PATH: cannot write: REASON" unless path can be written now: it is not
 * a directory, its directory exists and is writable. A symbolic link is
 * followed: its target is what is written. A device, FIFO or socket
 * (/dev/null, /dev/stdout) is written in place. Call it before the work. */
void gp_outfile_check(const char *path);
/* Create a temporary file beside path's target (dying as gp_outfile_check
 * does); until committed, gp_die and SIGINT, SIGTERM and SIGHUP remove it.
 * One at a time. Returns its descriptor. */
int gp_outfile_open(struct gp_outfile *o, const char *path);
void gp_outfile_child(long pid);            /* a child writing it: killed on those signals */
void gp_outfile_write(struct gp_outfile *o, const void *p, size_t n); /* all of it, or die */
void gp_outfile_commit(struct gp_outfile *o);  /* close, rename over the target; or die */
void gp_outfile_abort(struct gp_outfile *o);   /* remove the temporary */
void gp_outfile_save(const char *path, const void *p, size_t n); /* open, write, commit */

/* ---- map.c: string -> int64 hash map; keys are not copied, they must outlive it ---- */
struct gp_map_ent {
	const char *k;
	int64_t v;
	uint64_t h;                         /* the hash of k */
};
struct gp_map {
	size_t n, cap;
	struct gp_map_ent *e;
};
int64_t *gp_map_get(const struct gp_map *m, const char *k); /* the value's slot, or NULL */
int64_t *gp_map_getn(const struct gp_map *m, const char *k, size_t n); /* the same, key k[0..n) */
int gp_map_put(struct gp_map *m, const char *k, int64_t v); /* 1 if added, 0 if k was there */
void gp_map_reserve(struct gp_map *m, size_t n);            /* room for n keys without growing */
void gp_map_prefetch(const struct gp_map *m, const char *k); /* k's slot on its way to the cache */
void gp_map_prefetchn(const struct gp_map *m, const char *k, size_t n);
void gp_map_release(struct gp_map *m);

/* ---- esc.c: percent-encoding of fields, number formatting ---- */
/* Append s[0..n) to b percent-encoded: control bytes, DEL, and % , ; = [ ] " are
 * written %XX (uppercase hex); a whole value that is "." or "?" or that starts
 * with a digit, '-' or '+' (when symbolic is set) has its first byte encoded. */
void gp_esc(struct gp_buf *b, const char *s, size_t n);
void gp_esc_sym(struct gp_buf *b, const char *s, size_t n); /* gp_esc, plus numeric-looking starts */
/* Decode s[0..n) into a new arena string; NULL if an escape is malformed. */
char *gp_unesc(struct gp_arena *a, const char *s, size_t n);
/* Shortest text that reads back as the same float (or double); always has a '.',
 * an 'e', or is nan/inf/-inf, so it never looks like an integer. */
void gp_fmt_float(struct gp_buf *b, float f);
void gp_fmt_double(struct gp_buf *b, double d);
/* Parse a whole string as a signed 64-bit integer; 0 on success, -1 if not one. */
int gp_parse_i64(const char *s, int64_t *v);

/* ---- human.c: numbers for people (never in a stream), and sizes people write ---- */
/* Append v scaled by 1000s with digits significant digits and an SI prefix
 * after sep: "3.64 G" (3, " "), "1.248P" (4, ""); an integer below 1000 as
 * it is; "?" for NaN. */
void gp_human_si(struct gp_buf *b, double v, int digits, const char *sep);
void gp_human_bytes(struct gp_buf *b, double v, int digits); /* "512 B", "44.6 MiB" (by 1024s) */
void gp_human_time(struct gp_buf *b, double s, int digits);  /* "133 us", "1.5 ms", "2 s" */
void gp_human_pct(struct gp_buf *b, double frac);            /* 0.4217: "42.2%" */
/* Parse a whole string as a number with an optional suffix: k M G T P E
 * (x1000^n), Ki Mi Gi Ti Pi Ei (x1024^n), m u n p (x1000^-n); 0, or -1 if not one. */
int gp_parse_si(const char *s, double *v);

/* ---- grid.c: aligned tables for people, as text or Markdown ---- */
struct gp_grid {
	int ncol, nrow, cap;
	const char **cell;                  /* row-major, row 0 the heading; text that outlives the grid */
	const char *align;                  /* 'l' or 'r' per column */
	int kv;                             /* key-value lines: in text no heading, no clipping */
};
struct gp_grid_style {
	int md;                             /* Markdown, else text */
	int color;                          /* text: a bold heading (ANSI) */
	int width;                          /* text: > 0, clip the widest left-aligned column to fit */
};
void gp_grid_init(struct gp_grid *t, int ncol, const char *align);
void gp_grid_row(struct gp_grid *t, ...);           /* append a row of ncol strings */
const char **gp_grid_addrow(struct gp_grid *t);     /* append a row of "." to fill in */
void gp_grid_print(struct gp_grid *t, const struct gp_grid_style *st, FILE *f); /* and free the rows */
int gp_text_width(const char *s);                   /* columns UTF-8 text takes: its code points */

/* ---- dtype.c: element types, by their ONNX TensorProto.DataType number ---- */
enum { GP_DTYPE_UNKNOWN = 0, GP_DTYPE_MAX = 26 };
const char *gp_dtype_name(int dt);          /* "float32", ...; NULL if unknown number */
int gp_dtype_from_name(const char *name);   /* ONNX number, or -1 */
int gp_dtype_bits(int dt);                  /* element size in bits; 0 for string/unknown */
int gp_dtype_isfloat(int dt);               /* a floating-point type */
int gp_dtype_isint(int dt);                 /* an integer or bool type */
/* The dtype a tensor of dt is counted at when floating tensors are counted as
 * as (gp-partition --dtype); as <= 0: dt itself. */
int gp_dtype_as(int dt, int as);

/* ---- value.c: one tensor element from its bits, as the stream writes it ---- */
/* Append the element of number dtype dt whose bits are u (gp_value_at) to b:
 * a float as the shortest round trip, an integer in decimal, a bool 0 or 1.
 * -1, and nothing written, for a string, a complex or an unknown dtype. */
int gp_value_fmt(struct gp_buf *b, int dt, uint64_t u);
/* The bits of element i of dtype dt in data p laid out as ONNX's raw_data
 * and TFLite's buffers are: little-endian, elements under 8 bits packed into
 * bytes from the low bits up. Not for strings. */
uint64_t gp_value_at(const uint8_t *p, int dt, int64_t i);

/* ---- topo.c: a topological order of items 0 .. n-1 ---- */
/* Write to order[0..n) items 0 .. n-1 so that for each of the ne edges
 * (edge[2k], edge[2k + 1]) the first comes before the second, the smallest
 * item first among those ready. Returns how many it could order: n, or fewer
 * on a cycle, and then order[ret..n) holds the others, smallest first. */
size_t gp_topo_order(size_t n, const size_t *edge, size_t ne, size_t *order);

/* ---- shape.c: tensor shapes ---- */
struct gp_dim {
	int64_t v;                          /* >= 0 when known */
	const char *sym;                    /* symbolic name, or NULL */
};                                          /* v < 0 and sym == NULL: unknown ('?') */
struct gp_shape {
	int rank;                           /* -1: unknown rank */
	struct gp_dim *d;
};
void gp_shape_fmt(struct gp_buf *b, const struct gp_shape *s);   /* [1,3,224,224] */
/* Parse "[...]" or "?" into s with arena memory; 0 on success, -1 on bad syntax. */
int gp_shape_parse(struct gp_arena *a, const char *text, struct gp_shape *s);
/* Number of elements; -1 if any dim is not known, -2 on overflow. */
int64_t gp_shape_numel(const struct gp_shape *s);
/* Bytes of a tensor of numel elements of dtype dt; -1 if unknown, -2 on overflow. */
int64_t gp_tensor_bytes(int dt, int64_t numel);

/* ---- stream.c, stream-read.c, stream-write.c: the gp stream (docs/format.md) ---- */
/* A record table: every record of one type, stored column by column so that a
 * filter can add a column cheaply. Fields are kept exactly as read (escaped), so
 * records and columns a filter does not touch pass through byte for byte. A
 * field is a 4-byte handle into its stream's text (gp_val reads it): the text
 * is copied out of the input as it is read, a field equal to the one above it
 * shared. A column's rows are held in blocks of GP_BLOCK: a block whose rows
 * so far are all one handle (a constant column, a long run) holds that handle
 * alone, any other a handle a row. So a stream costs at most 4 bytes a field
 * and its distinct text, and a column that repeats one value almost nothing. */
#define GP_BLOCK_BITS 10
#define GP_BLOCK ((size_t)1 << GP_BLOCK_BITS)
struct gp_block {
	uint32_t *h;                        /* a handle a row (GP_BLOCK, or the table's cap
	                                     * when smaller), or NULL: */
	uint32_t same, n;                   /* the handle of the block's first n rows; the
	                                     * others are "." (handle 0) */
};
struct gp_table {
	char *type;
	int ncol;
	char **col;                         /* column names */
	struct gp_block **val;              /* val[c][r >> GP_BLOCK_BITS]: the block of column c
	                                     * that holds row r (stream.c, gp_table_put) */
	char **text;                        /* the stream's text segments, which handles index */
	size_t nrow, cap;
	uint32_t *last;                     /* the reader's: each column's handle in the row it
	                                     * read last (stream-read.c, record) */
	char *raw;                          /* or, before gp_table_get asks for the table (see
	                                     * gp_stream_lazy), its nrow lines as read, rawlen bytes */
	size_t rawlen, rawcap;
	int skipped;                        /* or its nrow lines were checked and not kept */
};
/* A handle: the segment in its top 10 bits (GP_TEXT_SEGS of them), the offset
 * in it in the low GP_TEXT_OFFBITS; handle 0 is ".". A stream holds at most
 * 4 GiB of distinct text. */
#define GP_TEXT_OFFBITS 22
#define GP_TEXT_SEGS 1024
/* The handle of row r in block b, the block of its column that holds it. */
static inline uint32_t
gp_block_handle(const struct gp_block *b, size_t r)
{
	uint32_t i = (uint32_t)(r & (GP_BLOCK - 1));

	return b->h ? b->h[i] : i < b->n ? b->same : 0;
}
/* The handle of field c of row r. */
static inline uint32_t
gp_handle(const struct gp_table *t, int c, size_t r)
{
	return gp_block_handle(&t->val[c][r >> GP_BLOCK_BITS], r);
}
/* The text of a handle of t: NUL-terminated, as long as the stream lives. */
static inline char *
gp_text(const struct gp_table *t, uint32_t h)
{
	return t->text[h >> GP_TEXT_OFFBITS] + (h & ((1u << GP_TEXT_OFFBITS) - 1));
}
/* The text of field c of row r. */
static inline char *
gp_val(const struct gp_table *t, int c, size_t r)
{
	return gp_text(t, gp_handle(t, c, r));
}
/* A reader of t row by row (gp_stream_write, gp-table) reads every column
 * at once. For each row r in order it calls gp_table_row, which copies into
 * b (t->ncol blocks) the blocks of every column that hold the rows from r
 * on, when r starts them, side by side where they stay in the cache, and
 * starts the handles of a later row on their way to it; the reader then
 * takes field c's handle with gp_block_handle(&b[c], r). */
static inline void
gp_table_row(const struct gp_table *t, size_t r, struct gp_block *b)
{
	size_t i = r & (GP_BLOCK - 1);
	int c;

	if (!i)
		for (c = 0; c < t->ncol; c++)
			b[c] = t->val[c][r >> GP_BLOCK_BITS];
	if (i % 16 == 0 && i + 32 < GP_BLOCK && r + 32 < t->nrow)
		for (c = 0; c < t->ncol; c++)
			if (b[c].h)
				__builtin_prefetch(&b[c].h[i + 32]);
}
struct gp_hdr {
	char *key;
	char *val;                          /* the rest of the line after "##key\t", or "" */
};
struct gp_stream {
	const char *src;                    /* name for errors: a file or "stdin" */
	struct gp_arena arena;
	struct gp_hdr *hdr;
	int nhdr, caphdr;
	struct gp_table **tab;
	int ntab, captab;
	char **text;                        /* GP_TEXT_SEGS segments of field text; [0] is static */
	int ntext;                          /* segments in use */
	size_t tused, tsize;                /* bytes used and held in the last one */
	unsigned gen;                       /* a number no other stream has (stream.c's cache) */
	char *buf;                          /* freed with the stream (an input's buffer given to it) */
};
void gp_stream_init(struct gp_stream *s, const char *src);
/* A filter that reads some tables of the streams it reads calls this once,
 * before reading, with the types of those (NULL-terminated; NULL, the
 * default: all): the lines of any other table are checked as they are read,
 * as every line is, and kept as they are, to be written back unchanged or
 * cut into fields when gp_table_get first asks for their table. With keep
 * 0 (a program that writes no stream) they are only counted (nrow), and
 * gp_table_get must not ask for their table. */
void gp_stream_lazy(const char *const *types, int keep);
/* Read a whole stream from f, and nothing after it; on any error, die naming src and the line. */
void gp_stream_read(struct gp_stream *s, FILE *f);
/* An input of one or more streams, one after another (gp-shape --sweep
 * writes several); every filter reads them in turn with gp_stream_next. */
struct gp_input {
	FILE *f;
	const char *src;
	char *buf;                          /* a window on the input: bytes read, not yet parsed */
	size_t len, pos, cap;               /* bytes in buf; where the next line starts; its size */
	int eof;                            /* nothing more to read */
	size_t line;                        /* lines before pos */
	int n;                              /* streams read */
	int give, given;                    /* give buf to the first stream read; done */
};
void gp_input_init(struct gp_input *in, FILE *f, const char *src);
/* Read the next stream of in into s (initialising s): 1 if there was one, 0
 * at the end of the input; an empty input, or text after a stream's ##end
 * that is not another stream, is an error. s lives until gp_input_release. */
int gp_stream_next(struct gp_input *in, struct gp_stream *s);
void gp_input_release(struct gp_input *in);
/* 1 if more of the input follows the stream gp_stream_next read last. */
int gp_input_more(const struct gp_input *in);
/* Write s to f with a "##prog NAME VERSION ARGS" line appended to the headers
 * (none when argv is NULL: a copy a program makes for itself). */
void gp_stream_write(struct gp_stream *s, FILE *f, int argc, char **argv);
/* The one output of a filter: write s to standard output as gp_stream_write
 * does. With more set (another stream may follow) s waits in a spool, an
 * unlinked temporary file, and reaches standard output, after the streams
 * spooled before it, only when a stream is emitted with more unset; so a
 * program that fails on a later stream writes nothing on standard output. */
void gp_stream_emit(struct gp_stream *s, int argc, char **argv, int more);
/* The same for a program that writes text (gp-report): between hold and
 * release, standard output goes to an unlinked temporary file, copied to the
 * real one on release; a program that dies before writes nothing there. */
void gp_stdout_hold(void);
void gp_stdout_release(void);
void gp_stream_release(struct gp_stream *s);
/* Headers: the first with this key, or NULL; set replaces it (or appends); add appends;
 * drop removes every one with this key. */
const char *gp_hdr_get(const struct gp_stream *s, const char *key);
void gp_hdr_set(struct gp_stream *s, const char *key, const char *val);
void gp_hdr_add(struct gp_stream *s, const char *key, const char *val);
void gp_hdr_drop(struct gp_stream *s, const char *key);
/* The value of NAME in a "##KEY<TAB>name=value<TAB>..." header, in arena memory; NULL if absent. */
const char *gp_hdr_field(struct gp_stream *s, const char *key, const char *name);
/* Tables: find by type (cutting a table kept as lines into fields: the
 * stream is changed only in how it holds them), or create one with these
 * columns (NULL-terminated). */
struct gp_table *gp_table_get(const struct gp_stream *s, const char *type);
/* The table of type type as s holds it, or NULL: its rows are counted, but
 * it may be kept as lines (gp_table_get cuts it; this does not). */
struct gp_table *gp_table_find(const struct gp_stream *s, const char *type);
struct gp_table *gp_table_new(struct gp_stream *s, const char *type, const char *const *cols);
void gp_table_drop(struct gp_stream *s, const char *type);   /* remove a table, if there is one */
/* Index of a column, or -1; gp_table_addcol finds it or appends it filled with ".". */
int gp_table_col(const struct gp_table *t, const char *name);
int gp_table_need(const struct gp_stream *s, const struct gp_table *t, const char *name); /* or die */
int gp_table_addcol(struct gp_stream *s, struct gp_table *t, const char *name);
/* Append a row of "." fields; returns its index. */
size_t gp_table_addrow(struct gp_stream *s, struct gp_table *t);
/* Set a field: the text is copied into the arena as it is (already escaped). */
void gp_table_set(struct gp_stream *s, struct gp_table *t, int col, size_t row, const char *text);
/* Set a field to the text of field fcol of row frow of table from, a table
 * of the same stream: shared, not copied. */
void gp_table_share(struct gp_table *t, int col, size_t row, const struct gp_table *from, int fcol, size_t frow);
void gp_table_setn(struct gp_stream *s, struct gp_table *t, int col, size_t row, const char *text, size_t n);
/* Set a field to a count, or to '.' when v < 0 (unknown). */
void gp_table_set_count(struct gp_stream *s, struct gp_table *t, int col, size_t row, int64_t v);
/* Set a field to v as printf's "%.*g" writes it with prec significant digits
 * (1 to 17), or to '.' when v < 0, NaN or infinite (unknown). */
void gp_table_set_g(struct gp_stream *s, struct gp_table *t, int col, size_t row, double v, int prec);
/* The one writer of a stream's non-negative numbers, '.' for unknown:
 * gp_fmt_num writes v as gp_table_set_g does with digits significant digits,
 * or the shortest round trip (gp_fmt_double) when digits is 0; '.' when v < 0,
 * NaN or infinite. gp_fmt_count writes v exactly, '.' when v < 0. */
void gp_fmt_num(struct gp_buf *b, double v, int digits);
void gp_fmt_count(struct gp_buf *b, int64_t v);
/* Split an escaped list field ("a,b,,c"; "." is the empty list) into decoded
 * arena strings; returns the count, or -1 on a malformed escape. */
int gp_split_list(struct gp_arena *a, const char *field, char ***out);

/* ---- onnx.c: ONNX -> gp stream ---- */
struct gp_load_opts {
	int data_limit;                     /* write values of tensors with at most this many elements */
	int hash_file;                      /* also hash the whole file (reads the weights) */
};
/* Load the ONNX model in path ("-" for stdin) into a new stream s: headers,
 * tensor, node and graph tables, nodes in topological order. Dies on bad input
 * with "PROG: FILE: what is wrong". */
/* The state of gp_model_head: zero it before the first call. */
struct gp_model_head {
	size_t pos;
	char msg[160];
};
/* A gp_file_head_fn (arg: struct gp_model_head) for a model on a pipe:
 * bytes that begin like a TFLite file ("TFL3" at 4..7), or a ModelProto
 * whose top-level fields parse so far. */
const char *gp_model_head(void *arg, const uint8_t *p, size_t n);
#define GP_PIPE_MAX ((size_t)INT32_MAX)  /* the most read from a pipe: a protobuf message's limit */
/* The same from the bytes p[0..n) of a model named name. */
void gp_load_onnx_buf(struct gp_stream *s, const char *name, const uint8_t *p, size_t n,
    const struct gp_load_opts *o);

/* ---- wire.c: protobuf wire-level pass ---- */
/* Copy the ModelProto in in[0..n) to out, leaving out every tensor payload
 * larger than keep bytes and recording its size in the tensor as an
 * external_data entry "gp:stripped". Returns NULL on success or a static
 * message saying what is malformed; *at is set to the byte offset. */
const char *gp_wire_prune(const uint8_t *in, size_t n, size_t keep, struct gp_buf *out, size_t *at);
#define GP_STRIPPED_KEY "gp:stripped"
/* The deepest protobuf messages nest in a model gp reads (a nested If takes
 * three levels): protobuf-c unpacks them recursively, so this bounds the stack. */
#define GP_NEST_MAX 1000
extern const char gp_wire_deep[];           /* gp_wire_prune's message when they nest deeper */
/* Check the top-level fields of a ModelProto in in[*pos..n), the part of a
 * model read so far: each key is valid and a known field has its wire type.
 * Advances *pos to the next field's key (beyond n when a field is not all
 * there yet). Returns NULL, or a static message with *at set to the offset. */
const char *gp_wire_head(const uint8_t *in, size_t n, size_t *pos, size_t *at);

/* ---- graph.c: the graph held in a stream's graph, tensor and node records ---- */
/* A known integer value, as shape computations carry them: a number, a
 * symbolic dim name, or unknown. */
struct gp_ival {
	int64_t v;
	const char *sym;
	int known;                          /* 1: v is the value */
};
enum gp_kind { GP_K_OTHER, GP_K_INPUT, GP_K_INIT, GP_K_CONST, GP_K_OUTPUT, GP_K_INTER };
struct gp_tensor {
	const char *name;                   /* decoded */
	struct gp_shape shape;
	struct gp_ival *iv;                 /* for integer and bool dtypes */
	double *fv;                         /* for float dtypes */
	size_t row;
	int graph;
	int dtype;                          /* ONNX number; 0 unknown; -1 not a tensor type */
	enum gp_kind kind;
	int producer;                       /* node index, or -1 */
	int nval;                           /* values, when known: -1 none */
	int dirty;                          /* changed: write it back */
};
struct gp_node {
	const char *name, *op, *domain;     /* decoded */
	const char *attrs;                  /* escaped attrs field */
	int graph;
	int nin, nout;
	int *in, *out;                      /* tensor indices; -1 for an absent optional one */
	size_t row;
};
struct gp_op;
struct gp_cost;
struct gp_graph {
	struct gp_stream *s;
	struct gp_table *tensor_table;      /* the stream's tensor records */
	struct gp_table *node_table;        /* the stream's node records */
	struct gp_tensor *t;                /* the tensors, one per tensor record */
	size_t ntensor;
	struct gp_node *n;                  /* the nodes, one per node record */
	size_t nn;
	int ngraph;
	int *gparent;                       /* graph id -> enclosing graph id, -1 for main/functions */
	int **gout, *ngout;                 /* graph id -> its output tensors (-1: none by that name) */
	int *gholder;                       /* graph id -> the node holding it, -1 for main/functions */
	struct gp_map byname;               /* name -> a tensor of that name */
	int *tsame;                         /* tensor -> the next of the same name (another graph's), -1 */
	char *tdup;                         /* tensor -> another tensor has its name */
	int hint;                           /* the tensor gp_graph_item found last */
	struct gp_map scratch;              /* gp_graph_build's own (released by gp_graph_release if it dies) */
	int opset;                          /* of the default domain */
	int rebatched;                      /* --batch set dim 0 of every input from batch_from to batch_to */
	int64_t batch_from, batch_to;
	struct gp_rebatch *rb;              /* how, when rebatched (rebatch.c) */
	const struct gp_infer_hooks *hooks; /* what gp_infer calls on it, when rebatched */
	/* the op registry, set by gp_op_cost (ops.c) before a cost function
	 * runs, so that If, Loop and Scan cost their bodies' nodes without
	 * naming ops.c, which names them (no import cycle) */
	const struct gp_op *(*op_find)(const char *domain, const char *op);
	int (*op_cost)(struct gp_graph *g, struct gp_node *n, struct gp_cost *c);
};
/* Build the graph view of stream s; dies on a malformed record or a name
 * that refers to no tensor. */
void gp_graph_build(struct gp_graph *g, struct gp_stream *s);
void gp_graph_release(struct gp_graph *g);
/* The tensor called name, seen from graph gid (then its enclosing graphs); -1 if none. */
int gp_graph_find(const struct gp_graph *g, int gid, const char *name);
/* The same for a list item it[0..n), escaped: -1 if none, -2 if the escape is malformed. */
int gp_graph_item(struct gp_graph *g, int gid, const char *it, size_t n);
/* Write every dirty tensor's dtype, shape, bytes and (small, known) data back to its record. */
void gp_graph_store(struct gp_graph *g);
/* Attributes of a node: 0 and *v set if present, else -1 (and *v untouched). */
int gp_attr_int(const struct gp_node *n, const char *key, int64_t *v);
int gp_attr_float(const struct gp_node *n, const char *key, double *v);
int gp_attr_str(struct gp_arena *a, const struct gp_node *n, const char *key, const char **v);
/* An INTS/FLOATS attribute: the count (>= 0) with the values in arena memory, or -1. */
int gp_attr_ints(struct gp_arena *a, const struct gp_node *n, const char *key, int64_t **v);
int gp_attr_floats(struct gp_arena *a, const struct gp_node *n, const char *key, double **v);
/* Input or output i of node n, or NULL if there is none there. */
struct gp_tensor *gp_node_in(const struct gp_graph *g, const struct gp_node *n, int i);
struct gp_tensor *gp_node_out(const struct gp_graph *g, const struct gp_node *n, int i);
/* The graph a node's graph attribute (then_branch, body) names, if the node holds it; else -1. */
int gp_node_graph(struct gp_graph *g, const struct gp_node *n, const char *key);
/* The batch the model runs at: the leading dim of the main graph's first input; -1 if not known. */
int64_t gp_graph_batch(const struct gp_graph *g);
/* Whether a dim of the main graph's inputs is not a number (a name, or '?'): 1 or 0. */
int gp_graph_dynamic(const struct gp_graph *g);
/* The raw text of an attribute's value, or NULL. */
const char *gp_attr_raw(struct gp_arena *a, const struct gp_node *n, const char *key);

/* ---- trec.c: the main graph's tensor records, one by one, without the graph ---- */
/* A record's kind and dtype fields, as every reader parses them: the dtype's
 * ONNX number, 0 for '?', -1 for a type that is not a tensor's ("seq(...)");
 * an unknown name is fatal, naming the tensor. */
enum gp_kind gp_trec_kind(const char *field);
int gp_trec_dtype(struct gp_stream *s, const char *name, const char *field);
/* A reader of the tensor records of graph 0, for the programs after
 * gp-partition (gp-concur, gp-roofline), which need their sizes and kinds
 * but not the graph: gp_trec_next reads the next one (1), or says there are
 * no more (0); gp_trec_numel is its element count (-1 unknown). Dies on a
 * malformed dtype or shape. */
struct gp_trec {
	struct gp_stream *s;
	const struct gp_table *t;
	int c_name, c_dtype, c_shape, c_kind, c_graph;
	size_t row;                         /* the record read last */
	const char *name;                   /* its name as written (escaped) */
	int dtype;
	enum gp_kind kind;
	const char *dt_text, *kind_text, *sh_text;  /* the fields those were read from */
	int64_t numel;
	size_t parsed;
	struct gp_arena a;
};
void gp_trec_init(struct gp_trec *tr, struct gp_stream *s);   /* dies without tensor records */
int gp_trec_next(struct gp_trec *tr);
int64_t gp_trec_numel(struct gp_trec *tr);
void gp_trec_release(struct gp_trec *tr);

/* the model layer: ops, partition, gemm, dag, concur, hw, mapping, infer, bind, rebatch, role */
#include "gp-model.h"

/* ---- mem.c, continued: a digest ---- */
/* The SHA-256 of p[0..n) (libmd) as 64 hex digits and a NUL, into hex. */
void gp_sha256_hex(const void *p, size_t n, char hex[65]);

/* ==== TFLite: flatbuf.c, tflite.c (and the tflite-*.c beside it), tflite-ops.c, file.c ==== */

/* ---- flatbuf.c: a bounds-checked FlatBuffers reader ---- */
/* Every accessor checks what it follows against the buffer; a malformed
 * reference reads as absent (0, NULL, the default) and records the first
 * error in err, with its byte offset in at. */
struct gp_fb {
	const uint8_t *p;
	size_t n;
	const char *err;                    /* the first thing found malformed, or NULL */
	size_t at;
};
struct gp_fbt {                             /* a table; pos 0 when absent */
	size_t pos, vt;
	unsigned vtlen, tlen;
};
struct gp_fbv {                             /* a vector of len elements of esize bytes at pos */
	size_t pos, esize;
	uint32_t len;
};
void gp_fb_init(struct gp_fb *f, const uint8_t *p, size_t n);
int gp_fb_root(struct gp_fb *f, struct gp_fbt *t);          /* the root table: 1, or 0 */
int gp_fb_has(struct gp_fb *f, const struct gp_fbt *t, int id); /* field id is present */
/* Scalar field id of t (size 1, 2, 4 or 8 bytes), or def when absent. */
uint64_t gp_fb_uint(struct gp_fb *f, const struct gp_fbt *t, int id, int size, uint64_t def);
int64_t gp_fb_int(struct gp_fb *f, const struct gp_fbt *t, int id, int size, int64_t def);
float gp_fb_float(struct gp_fb *f, const struct gp_fbt *t, int id, float def);
/* Table, vector (of esize-byte elements) and string fields: 1 (or the
 * string, *len bytes, not NUL-terminated) when present and sound, else 0 (NULL). */
int gp_fb_table(struct gp_fb *f, const struct gp_fbt *t, int id, struct gp_fbt *out);
int gp_fb_vector(struct gp_fb *f, const struct gp_fbt *t, int id, size_t esize, struct gp_fbv *v);
const char *gp_fb_string(struct gp_fb *f, const struct gp_fbt *t, int id, size_t *len);
/* Element i of a vector: a number (0 past the end), a table, a string. */
uint64_t gp_fb_vuint(struct gp_fb *f, const struct gp_fbv *v, size_t i);
int64_t gp_fb_vint(struct gp_fb *f, const struct gp_fbv *v, size_t i);
float gp_fb_vfloat(struct gp_fb *f, const struct gp_fbv *v, size_t i);
int gp_fb_vtable(struct gp_fb *f, const struct gp_fbv *v, size_t i, struct gp_fbt *out);
const char *gp_fb_vstring(struct gp_fb *f, const struct gp_fbv *v, size_t i, size_t *len);

/* ---- file.c: a whole input file, mapped (or read, from a pipe) ---- */
struct gp_file {
	const uint8_t *p;
	size_t n;
	void *map;
	uint8_t *owned;
};
/* Checks the first bytes p[0..n) of an input as they arrive: NULL while they
 * may be a model, else what is wrong with them (a message held in arg). */
typedef const char *gp_file_head_fn(void *arg, const uint8_t *p, size_t n);
/* Map path ("-": read standard input, checked by head as it arrives, at most
 * max bytes); dies "PROG: PATH: cannot open: ..." on error. */
void gp_file_open(struct gp_file *f, const char *path, gp_file_head_fn *head, void *arg, size_t max);
/* Run fn(arg) reading f: a file that shrinks under its mapping is an error, not SIGBUS. */
void gp_file_guard(struct gp_file *f, const char *path, void (*fn)(void *), void *arg);
void gp_file_close(struct gp_file *f);

/* ---- tflite.c: TFLite -> gp stream ---- */
/* 1 if p[0..n) is a TFLite model: the file identifier "TFL3" at bytes 4..7. */
int gp_is_tflite(const uint8_t *p, size_t n);
/* Load the TFLite model in p[0..n), named name, into a new stream s: every
 * subgraph, tensor and operator (docs/format.md); buffers are described by
 * their sizes, never read (but for values of at most o->data_limit
 * elements). Dies on bad input with "PROG: NAME: what is wrong". */
void gp_load_tflite_buf(struct gp_stream *s, const char *name, const uint8_t *p, size_t n,
    const struct gp_load_opts *o);

/* ---- tflite-ops.c: the op tables of the "tflite" and "tflite.custom" domains ---- */
/* Each sorted by name; gp_op_find (ops.c) searches the one of a node's domain. */
extern const struct gp_op gp_tflite_ops[];          /* the builtin ops, by BuiltinOperator name */
extern const size_t gp_tflite_nops;
extern const struct gp_op gp_tflite_custom_ops[];   /* the custom ops gp knows, by custom_code */
extern const size_t gp_tflite_ncustom;
/* What one of these ops costs, in the words of docs/counting.md's table. */
const char *gp_tflite_op_doc(const struct gp_op *op);

/* ==== end of TFLite ==== */

#endif
