/* gp.h - the gp library: the gp stream and the graph it holds, ONNX and TFLite
 * loading, shape inference, the op table, partitioning, concurrency, hardware
 * profiles and the roofline mapping; each section names its file */
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
void gp_init(char **argv);                  /* set gp_prog from argv[0] (and shorten argv[0]) */
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
 * shared, so a stream costs about 4 bytes a field and its distinct text. */
struct gp_table {
	char *type;
	int ncol;
	char **col;                         /* column names */
	uint32_t **val;                     /* val[c][r]: handle of the text of column c, row r */
	char **text;                        /* the stream's text segments, which handles index */
	size_t nrow, cap;
};
/* A handle: the segment in its top 10 bits (GP_TEXT_SEGS of them), the offset
 * in it in the low GP_TEXT_OFFBITS; handle 0 is ".". A stream holds at most
 * 4 GiB of distinct text. */
#define GP_TEXT_OFFBITS 22
#define GP_TEXT_SEGS 1024
/* The text of field c of row r: NUL-terminated, as long as the stream lives. */
static inline char *
gp_val(const struct gp_table *t, int c, size_t r)
{
	uint32_t h = t->val[c][r];

	return t->text[h >> GP_TEXT_OFFBITS] + (h & ((1u << GP_TEXT_OFFBITS) - 1));
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
/* Headers: the first with this key, or NULL; set replaces it (or appends); add appends. */
const char *gp_hdr_get(const struct gp_stream *s, const char *key);
void gp_hdr_set(struct gp_stream *s, const char *key, const char *val);
void gp_hdr_add(struct gp_stream *s, const char *key, const char *val);
/* The value of NAME in a "##KEY<TAB>name=value<TAB>..." header, in arena memory; NULL if absent. */
const char *gp_hdr_field(struct gp_stream *s, const char *key, const char *name);
/* Tables: find by type, or create one with these columns (NULL-terminated). */
struct gp_table *gp_table_get(const struct gp_stream *s, const char *type);
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
	int graph;
	int dtype;                          /* ONNX number; 0 unknown; -1 not a tensor type */
	struct gp_shape shape;
	enum gp_kind kind;
	int producer;                       /* node index, or -1 */
	int nval;                           /* values, when known: -1 none */
	struct gp_ival *iv;                 /* for integer and bool dtypes */
	double *fv;                         /* for float dtypes */
	size_t row;
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
/* The raw text of an attribute's value, or NULL. */
const char *gp_attr_raw(struct gp_arena *a, const struct gp_node *n, const char *key);

/* ---- ops.c: the op table (its functions in op-*.c, dims.c; private: op.h) ---- */
/* What a node costs when it runs, as its op's cost function counts it
 * (docs/counting.md). Counts are exact; a product that would overflow 64 bits
 * sets overflow instead of wrapping. */
struct gp_cost {
	int64_t macs, flops;                /* flops include 2 per MAC */
	int64_t batch, channels, spatial;   /* of the main output */
	int64_t threads;                    /* independent output elements */
	int64_t groups;
	int depthwise;
	const char *kind;                   /* op family: conv2d, linear, relu, ... */
	int64_t read0;                      /* elements read of input 0 when fewer than all (Gather, Slice); else -1 */
	int branch;                         /* If: the branch counted, 1 then_branch, 2 else_branch; else 0 */
	int cond;                           /* If: 1 when its condition's value chose it, 0 when the larger counts */
	int64_t alt_flops;                  /* If whose condition is not known: the other branch's FLOPs */
	int overflow;
	/* the registry, handed to a cost function by gp_op_cost so that If, Loop
	 * and Scan cost their bodies' nodes without naming ops.c (which names
	 * them: no import cycle) */
	const struct gp_op *(*find)(const char *domain, const char *op);
	int (*cost)(struct gp_graph *g, struct gp_node *n, struct gp_cost *c);
};
/* How an op runs, which decides how gp-partition treats it. */
enum gp_class {
	GP_C_UNKNOWN,                       /* no cost function: reported, never zero */
	GP_C_FREE,                          /* no kernel: Identity, Dropout, Shape, Size, Constant */
	GP_C_VIEW,                          /* a view of input 0, no data moved: Reshape, Flatten, ... */
	GP_C_ELEM,                          /* element-wise: fuses into its producer */
	GP_C_ROW,                           /* reductions and normalizations over rows: Softmax, Reduce*, ... */
	GP_C_POOL,                          /* windowed reductions: MaxPool, AveragePool, ... */
	GP_C_MOVE,                          /* moves data, computes (almost) nothing: Concat, Transpose, ... */
	GP_C_DENSE,                         /* multiply-accumulate: Conv, Gemm, MatMul, Einsum */
	GP_C_CONTROL,                       /* If, Loop, Scan: the cost of their bodies */
};
struct gp_op {
	const char *name;                   /* ONNX op type, default domain unless domain is set */
	const char *domain;
	/* infer the node's output dtypes, shapes and (small) values from its
	 * inputs; 0 done, -1 could not (an input unknown), -2 impossible; NULL
	 * when gp cannot (the outputs keep their declared shapes) */
	int (*shape)(struct gp_graph *g, struct gp_node *n);
	/* count the node's cost into c (zeroed, read0 = -1); 0 done, -1 a shape it needs is unknown */
	int (*cost)(struct gp_graph *g, struct gp_node *n, struct gp_cost *c, int fpe);
	enum gp_class cls;
	int fpe;                            /* FLOPs per element, for the cost functions that use one */
};
const struct gp_op *gp_op_find(const char *domain, const char *op);
const struct gp_op *gp_op_at(size_t i);     /* the table's i-th entry, NULL past the end */
/* Count node n's cost: 0 done, -1 unknown (no cost function, or shapes
 * unknown), with c's parallelism filled from its main output. */
int gp_op_cost(struct gp_graph *g, struct gp_node *n, struct gp_cost *c);
/* 1 if node n's output 0 is its input 0 under another name or shape (a view,
 * Identity, Dropout): no kernel, no data moved. */
int gp_op_passes(const struct gp_node *n);
/* The tensor t is a view of, through every node that passes its input on. */
int gp_tensor_root(const struct gp_graph *g, int t);
/* Set by shape functions on an impossible node: a message, for the caller to report. */
extern char gp_op_err[256];

/* ---- partition.c: subgraphs, the kernels a graph runs as ---- */
struct gp_part_opts {
	int fuse;                           /* fuse as an inference compiler would */
	int dtype;                          /* count floating tensors at this dtype; 0: as they are */
	unsigned rules;                     /* with fuse: the GP_FUSE_* rules to apply; 0: all */
};
/* The fusion rules of --fuse (docs/counting.md), which a runtime profile names. */
enum {
	GP_FUSE_CONVBN = 1,                 /* "conv-bn": BatchNormalization folded into its Conv/Gemm */
	GP_FUSE_EPILOGUE = 2,               /* "epilogue": element-wise ops into the MAC or pool kernel */
	GP_FUSE_ACTIVATION = 4,             /* "activation": only one-input activations and Add */
	GP_FUSE_ELEMWISE = 8,               /* "elementwise": element-wise ops into element-wise/row kernels */
	GP_FUSE_ROW = 16,                   /* "row": row reductions into element-wise/row kernels */
	GP_FUSE_ATTENTION = 32,             /* "attention": scores, Softmax and the weighted sum in one */
};
/* The rules a comma-separated list of their names makes; -1 if a name is not one. */
int gp_fuse_rules(const char *list);
struct gp_sub {
	int id;                             /* 1, 2, ... in topological order */
	int anchor;                         /* the node it is named after (its first) */
	int *nodes;                         /* the nodes it holds, in order */
	int *in;                            /* activation tensors it reads (views resolved) */
	int *w;                             /* weights (and other constants) it reads */
	int *out;                           /* tensors it writes that others read */
	int nnode, nin, nw, nout;           /* how many of each */
	int known;                          /* macs and flops are known */
	int ngemm;                          /* matrix products; 0 none (not a matrix kernel), -1 unknown */
	const char *ops;                    /* op types joined by '+' */
	struct gp_cost c;                   /* macs, flops (-1 unknown) and the anchor's parallelism */
	int64_t bytes_in, bytes_out, bytes_weight;  /* -1 unknown */
	/* of floating tensors (what a precision change scales): elements and
	 * bytes read, written and of weights; -1 unknown */
	int64_t felem[3], fbytes[3];
	struct gp_gemm *gemm;               /* its matrix products (gemm.c), arena memory */
};
/* An If node gp-partition costed (in the main graph, or in a body that counts). */
struct gp_branch {
	int node;
	int branch;                         /* counted: 1 then_branch, 2 else_branch; 0 cost unknown */
	int cond;                           /* 1: its condition's value chose it; 0: the larger counts */
	int64_t flops, alt_flops;           /* of the branch counted, of the other (-1 unknown or not costed) */
};
struct gp_part {
	struct gp_sub *sg;
	int nsg;
	struct gp_branch *br;               /* the If nodes costed, outer ones first */
	int nbr;
	int *node_sg;                       /* node -> subgraph id, 0 if in none */
	int64_t params;                     /* elements of the model's weights */
	int64_t buffers;                    /* elements of BatchNormalization running statistics */
	int64_t weight_bytes;               /* bytes of both */
	int64_t folded_macs, folded_flops;  /* of nodes computed from constants only, once */
	int shape_nodes;                    /* of those, the nodes computing from activations' shapes
	                                     * (Shape, Size and what follows them): folded by gp,
	                                     * run by a runtime that does not know the shapes */
};
/* Partition the main graph of g; dies on overflow. Arena memory of g's stream. */
void gp_partition(struct gp_graph *g, const struct gp_part_opts *o, struct gp_part *p);
void gp_part_release(struct gp_part *p);

/* ---- gemm.c: the GEMM view of matrix nodes (docs/counting.md) ---- */
/* b independent products of an m x k by a k x n matrix: b x m x n x k MACs */
struct gp_gemm {
	int64_t b, m, n, k;
};
#define GP_GEMM_MAX 16                      /* products one subgraph lists, at most */
/* The products node n (of class GP_C_DENSE) runs as, into out[0 .. max):
 * their count, or -1 when a shape is unknown, the op is not one gp knows as
 * products (an Einsum of three operands), or there are more than max. */
int gp_node_gemms(struct gp_graph *g, struct gp_node *n, struct gp_gemm *out, int max);
/* "BxMxNxK;BxMxNxK..." ("." for none), and back: the count, or -1 if malformed. */
void gp_gemm_fmt(struct gp_buf *b, const struct gp_gemm *v, int n);
int gp_gemm_parse(const char *s, struct gp_gemm *out, int max);

/* ---- dag.c: the subgraph records, as numbers and as a dependency DAG ---- */
/* Subgraphs are v = 0 .. n-1 in record order (ids 1 .. n, a topological
 * order); v depends on u when v reads a tensor u writes. Lists are CSR: the
 * predecessors of v are p[p0[v] .. p0[v+1]), ascending and unique. */
struct gp_dag {
	struct gp_graph *g;                 /* NULL unless gp_dag_build */
	struct gp_stream *stream;
	const char *src;
	struct gp_table *t;                 /* the subgraph records */
	int n;
	int c_id;                           /* the id column: gp_dag_id */
	int *p0, *p;                        /* predecessors */
	int *s0, *s;                        /* successors */
	int64_t *flops;                     /* per subgraph; -1 unknown (or no column) */
	double *lat;                        /* latency_s; NULL without the column; -1 unknown */
	int64_t *bin, *bout, *bw;           /* bytes_in, bytes_out, bytes_weight; -1 unknown */
	int64_t *bytes;                     /* bytes_in + bytes_out + bytes_weight; -1 unknown */
	int64_t *io;                        /* bytes_in + bytes_out; -1 unknown */
	int64_t *threads;                   /* -1 unknown */
	int64_t weight_bytes;               /* from ##partition; -1 if absent */
	int dtype;                          /* the ##partition dtype floating tensors were counted at; 0 as they are */
	/* the activation tensors subgraphs read and write */
	int nt;
	const char **tname;
	int64_t *tbytes;                    /* whole tensor, at the ##partition dtype; -1 unknown */
	int *tprod;                         /* the subgraph writing it, -1 none (a graph input) */
	int *tg;                            /* its tensor in the graph (gp_dag_build), else -1 */
	int *gidx;                          /* graph tensor -> DAG tensor, -1 (gp_dag_build) */
	char *tkeep;                        /* a graph output (after views): lives to the end */
	int *i0, *in;                       /* v's input tensors, ascending, unique */
	int *o0, *out;                      /* v's output tensors */
	int *c0, *cons;                     /* tensor -> the subgraphs reading it, ascending */
	struct gp_map names;                /* tensor name -> index */
};
/* The subgraph records of s as numbers: id, flops ... io, dtype and
 * weight_bytes, no edges and no tensors; dies if there are none (gp-partition
 * has not run) or a field is not a number. */
void gp_dag_records(struct gp_dag *d, struct gp_stream *s);
/* Then the edges: the tensors (nt, tname, tprod, i0/in, o0/out, c0/cons,
 * names) and p0/p, s0/s; dies if the lists are malformed or the records are
 * not in topological order. */
void gp_dag_edges(struct gp_dag *d);
/* Both, and the tensors' sizes (tbytes) and graph outputs (tkeep) from g's
 * tensor records: the whole DAG of the subgraph records of g's stream. The
 * DAG needs g no more once built: a program may release g (and set d->g to
 * NULL) before its analyses. */
void gp_dag_build(struct gp_dag *d, struct gp_graph *g);
void gp_dag_release(struct gp_dag *d);
/* The id field of subgraph v, as written. */
static inline const char *
gp_dag_id(const struct gp_dag *d, int v)
{
	return gp_val(d->t, d->c_id, (size_t)v);
}
/* A column of the subgraph records as counts (-1 where '.'), or as numbers
 * (unknown where '.'); NULL if there is no such column; dies on a field that
 * is not one. The caller frees the array. */
int64_t *gp_dag_counts(const struct gp_dag *d, const char *col);
double *gp_dag_values(const struct gp_dag *d, const char *col, double unknown);

/* ---- concur.c: what can run at once, on a gp_dag ---- */
/* ASAP levels: stage[v] = 1 + the highest stage of v's predecessors; returns
 * the number of stages (the longest chain, in subgraphs). */
int gp_dag_stages(const struct gp_dag *d, int *stage);
/* The most subgraphs that can run at once: the largest antichain (Dilworth,
 * as a minimum flow). Never less than the widest stage. */
int gp_dag_width(const struct gp_dag *d);
/* The heaviest path by w, ties broken by w2, then by the lowest ids; marks
 * on[v] = 1 for the subgraphs on it and returns how many there are. */
int gp_dag_path(const struct gp_dag *d, const double *w, const double *w2, char *on);
/* Simulate running the subgraphs in order[] (a topological order), every
 * activation freed after its last reader: the peak of live activation bytes,
 * -1 when a tensor's size is unknown. live[v] (if not NULL) is what is live
 * while v runs; *at the subgraph at the (first) peak. */
int64_t gp_dag_peak(const struct gp_dag *d, const int *order, int64_t *live, int *at);
/* A topological order of low peak: the exact lowest when the search stays
 * within max_states states (returns 1), else a greedy order or the record
 * order, whichever peaks lower (returns 0); -1 if sizes are unknown. */
int gp_dag_best_order(const struct gp_dag *d, int *order, size_t max_states);
/* The most subgraphs in one ASAP stage (gp_dag_stages): the widest stage. */
int gp_dag_widest(const struct gp_dag *d);
/* The user guide's batch to fill units compute units: (subgraphs at once) x
 * batch >= units, with widest the widest stage; -1 if either is not positive. */
int64_t gp_batch_to_fill_graph(double units, int widest);
/* The mean (rounded) and the largest threads of the subgraphs that say; -1 if none does. */
void gp_dag_threads(const struct gp_dag *d, int64_t *avg, int64_t *max);
/* The smallest batch at which the subgraphs holding half the FLOPs each have
 * at least lanes threads (units x threads per unit), a subgraph's threads
 * per sample being its threads / batch (the model's); -1 if none can say. */
double gp_dag_batch_to_fill(const struct gp_dag *d, double lanes, int64_t batch);

/* ---- hw.c, hw-runtime.c, hw-find.c: hardware profiles (docs/hardware.md) ---- */
enum gp_prec {
	GP_PREC_FP64, GP_PREC_FP32, GP_PREC_TF32, GP_PREC_FP16, GP_PREC_BF16, GP_PREC_FP8,
	GP_PREC_INT8, GP_PREC_INT4, GP_PREC_N
};
/* (dtype.c) */
extern const char *const gp_prec_names[GP_PREC_N + 1];  /* "fp64", ... "int4", NULL */
const char *gp_prec_name(int p);            /* "fp16", ...; NULL if out of range */
int gp_prec_from_name(const char *s);       /* one of gp_prec_names, or -1 */
int gp_prec_dtype(int p);                   /* the ONNX dtype tensors are counted at */
int gp_prec_of_dtype(int dt);               /* the precision of an ONNX dtype, or -1 */
/* The one reading of a precision named on a command line: a precision name
 * (fp16, tf32, ...), half, float or double, or an ONNX dtype name of a
 * numeric type (float16, int32, ...). 0 with *prec (-1 when the dtype has no
 * precision a profile rates, as int32) and *dtype (tf32: float32) set; -1 if
 * s is none of them. */
int gp_prec_parse(const char *s, int *prec, int *dtype);
/* gp_prec_parse for an option: a precision (gp-roofline -p), or a numeric
 * dtype (gp-partition --dtype); a usage error (gp_die_optval) otherwise. */
int gp_prec_arg(const char *opt, const char *s);
int gp_dtype_arg(const char *opt, const char *s);
struct gp_hw_mem {
	const char *level;
	double capacity;                    /* bytes; -1 not given (the outermost level only) */
	double bandwidth;                   /* bytes/s */
	double pj_per_byte;                 /* -1 not given */
	double read_bw, write_bw;           /* achievable bytes/s reading, writing; bandwidth if not given */
};
struct gp_hw {
	struct gp_arena arena;
	const char *path, *name, *title, *vendor, *kind, *unit;
	double units, clock_hz, threads_per_unit;
	double peak[GP_PREC_N];             /* ops/s; 0 when the chip has none */
	double pj_per_flop[GP_PREC_N];      /* -1 not given */
	struct gp_hw_mem *mem;              /* outermost (largest) first */
	int nmem;
	double tdp_w, idle_w;               /* -1 not given */
	double eff_compute, eff_memory;     /* fractions of peak real kernels reach; 1 if not given */
	double launch_s;
	int launch_per_model;               /* launch_s is paid once per run, not per kernel */
	double run_s;                       /* paid once per run: the runtime's call overhead; 0 if not given */
	/* how kernels map onto the chip (lib/mapping.c, docs/hardware.md); all optional */
	struct gp_hw_tile *tile[GP_PREC_N]; /* the matrix unit's tiles per precision */
	int ntile[GP_PREC_N];               /* 0: no tile model for that precision */
	double vpeak[GP_PREC_N];            /* the vector unit's ops/s; 0: the same as peak */
	double host_link;                   /* host <-> device bytes/s; -1 none (the host itself) */
	/* the runtime (hw/runtime/NAME.yaml), when gp_hw_load_runtime applied one */
	struct gp_runtime *rt;
};
/* One tile of the matrix unit: an m x n x k block of products one unit
 * computes at a time (a GPU's CTA tile, a CPU's register block x its K
 * step, a systolic array's rows x columns x one pass). */
struct gp_hw_tile {
	int64_t m, n, k;
};
/* The classes of kernels whose memory rate a runtime profile may give apart
 * (efficiency.CLASS, docs/roofline.md "Kernel classes"). */
enum gp_kclass {
	GP_KC_OTHER,                        /* none of these: the runtime's efficiency.memory */
	GP_KC_ELEMENTWISE,                  /* element-wise arithmetic, comparisons, batchnorm */
	GP_KC_TRANSCENDENTAL,               /* element-wise with an exp, erf, tanh, sigmoid, ... */
	GP_KC_ROW,                          /* over rows: softmax, layernorm, reductions */
	GP_KC_POOL,                         /* pools: max, average, global */
	GP_KC_MOVE,                         /* data movement: transpose, concat, slice, cast, resize, ... */
	GP_KC_GEMV,                         /* a matrix kernel whose every product has one row */
	GP_KC_N
};
extern const char *const gp_kclass_names[GP_KC_N + 1];  /* "other", "elementwise", ... NULL */
/* A runtime: what executing a model costs on top of its kernels, and the
 * kernels' achieved efficiency, measured or fitted (docs/hardware.md). */
struct gp_runtime {
	const char *path, *name, *title, *runs_on;  /* runs_on: a chip kind, or "any" */
	double kernel_s;                    /* per kernel, on the device (seconds) */
	double kernel_cycles;               /* per kernel, in the chip's clock cycles */
	double run_s;                       /* per run: the call, its synchronisation */
	int copy_inputs, copy_outputs;      /* inputs and outputs cross the host link each run */
	int shape_nodes;                    /* it executes the shape computations gp folds */
	double eff_matrix, eff_vector;      /* achieved fraction of a unit's matrix and vector peak; 1 */
	double eff_memory;                  /* achieved fraction of the memory levels' bandwidth; 1 */
	double eff_class[GP_KC_N];          /* per kernel class (GP_KC_*): the fraction of the levels'
	                                     * bandwidth its kernels of that class reach; 0: not given
	                                     * (eff_memory, or the chip's for a GEMV) */
	const char *fuse;                   /* its fusions, gp-partition --fuse=RUNTIME: a list */
};
/* Load the profile spec names: a path (with a '/' or ending in .yaml), or a
 * name looked up in $GP_HW_PATH, hw/ beside the programs' directory, and the
 * installed share/gp/hw. Dies naming the file, line and field on any error. */
void gp_hw_load(struct gp_hw *h, const char *spec);
/* Read and validate a profile from text (file names it in errors). */
void gp_hw_parse(struct gp_hw *h, const char *file, const char *text, size_t len);
void gp_hw_release(struct gp_hw *h);
/* The paths of every profile there is, one per name, sorted by name; returns the count. */
int gp_hw_list(char ***paths);
/* Load the runtime spec names (a path, or a name looked up in the runtime/
 * directory of every profile directory) into h->rt, in h's arena; dies on
 * any error as gp_hw_load does. h may be a zeroed gp_hw (no chip). */
void gp_hw_load_runtime(struct gp_hw *h, const char *spec);
/* Read and validate a runtime profile from text into h->rt. */
void gp_hw_parse_runtime(struct gp_hw *h, const char *file, const char *text, size_t len);
/* The paths of every runtime profile there is, as gp_hw_list. */
int gp_hw_list_runtimes(char ***paths);

/* ---- mapping.c: a kernel on a chip's units and memory levels (docs/roofline.md) ---- */
/* The class of a kernel from gp-partition's kind and ops ('+'-joined op
 * types; NULL or "." if not known): GP_KC_OTHER for a matrix kernel (the
 * mapping tells a GEMV by its products) and for kinds it does not know. */
int gp_kernel_class(const char *kind, const char *ops);
/* A kernel as the mapping sees it, its bytes at the precision used. */
struct gp_kernel {
	double flops;                       /* FLOPs, MACs counted 2 */
	double rd, wr;                      /* activation bytes read and written */
	double wt;                          /* weight bytes read */
	double threads;                     /* independent outputs; <= 0 unknown */
	const struct gp_gemm *gemm;         /* its products, or NULL */
	int ngemm;                          /* 0: not a matrix kernel; -1: one whose products are not known */
	double elem;                        /* bytes of one operand element at the precision */
	double resident;                    /* bytes the model keeps across a run (weights + largest
	                                     * activations): where weights live between runs */
	int cls;                            /* gp_kernel_class (0: other) */
};
/* Where the time of a kernel goes. */
struct gp_mapped {
	double compute_s;                   /* its compute on the unit it maps to, waves and waste included */
	double memory_s;                    /* its traffic from the levels it comes from */
	double overhead_s;                  /* per kernel: the runtime's dispatch, or the chip's launch */
	double latency_s;                   /* the kernel's time */
	double work_s;                      /* the same work with the whole chip to itself (no waves) */
	int unit;                           /* 0 none (no FLOPs), 1 matrix, 2 vector */
	int64_t tiles, split;               /* matrix: tiles (after split-K), K split factor */
	struct gp_hw_tile tile;             /* matrix: the tile chosen */
	double fill;                        /* matrix: useful MACs / MACs the tiles compute */
	int act_level, wt_level;            /* the memory levels serving most activation and weight bytes */
	const char *bound;                  /* compute, memory or launch */
	char limit[64];                     /* what limits it, in words: "tiles 8/108 SM", "l2", ... */
};
/* Map kernel k onto chip h at precision prec (h->rt, if set, adds its
 * dispatch cost and efficiencies); fills m. */
void gp_map_kernel(const struct gp_hw *h, int prec, const struct gp_kernel *k, struct gp_mapped *m);
/* Seconds to move rd bytes in and wr bytes out of memory whose working set
 * is set bytes: each level serves what fits in it and not in the level
 * inside it (a smooth transition across each capacity); *lvl is set to the
 * level whose share takes the most time. */
double gp_map_stream(const struct gp_hw *h, double rd, double wr, double set, int *lvl);

/* ---- infer.c: shape inference over a graph ---- */
enum { GP_INFER_STRICT = 1, GP_INFER_QUIET = 2, GP_INFER_TRY = 4 };
/* Infer every node's outputs; STRICT: an op without shape inference is an
 * error; QUIET: not even a warning; TRY (rebatch.c's): an impossible node
 * stops it, returning -1, instead of an error. Returns the count of tensors
 * still not fully known. */
int gp_infer(struct gp_graph *g, int flags);
int gp_bind(struct gp_graph *g, const char *name, int64_t value); /* symbol := value; count replaced */

/* ---- bind.c: the shapes of the inputs, set before inference ---- */
/* Parse --input's DIMS ("1x512", "2x?x128", "[batch,512]"); 0, or -1 on bad syntax. */
int gp_dims_parse(struct gp_arena *a, const char *text, struct gp_shape *s);
/* Set input name's dims (arg names the option in messages); dies on a contradiction. */
void gp_bind_input(struct gp_graph *g, const char *arg, const char *name, const struct gp_shape *want);
/* Set the batch of every input but those in fixed; dies naming an input whose batch dim cannot be told. */
void gp_bind_batch(struct gp_graph *g, int64_t batch, const char *const *fixed, int nfixed);

/* ---- rebatch.c: --batch on an export that fixes its batch in shape constants ---- */
/* Before gp_bind_batch changes the inputs' batch from `from` to `to`: keep the graph as it was. */
void gp_rebatch_begin(struct gp_graph *g, int64_t from, int64_t to);
/* What gp_infer calls on such a graph, and from inside it (rebatch.c sets
 * g->hooks, so that infer.c never names rebatch.c, which calls gp_infer:
 * no import cycle): whether to hand the whole inference over, the inference
 * that takes it, a node's shape function's result to amend, an impossible
 * node during a try (1: the try stops there), and what to add to the error. */
struct gp_infer_hooks {
	int (*active)(const struct gp_graph *g);
	int (*infer)(struct gp_graph *g, int flags);
	int (*node)(struct gp_graph *g, struct gp_node *n, int rc);
	int (*fail)(struct gp_graph *g, int ni, int flags);
	const char *(*why)(struct gp_graph *g);
};

/* ---- role.c: what tensors are for, from the graph's structure ---- */
/* Mark the KV-cache pairs of g's main graph (a graph output that is a Concat
 * of a graph input along a symbolic axis) in the tensor records' role column
 * (kv_past, kv_present; "." for the others) and seq_axis column; records that
 * have a role column keep it. Returns the pairs marked (docs/shapes.md). */
int gp_kv_roles(struct gp_graph *g);

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
