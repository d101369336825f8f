/* hw.h - what the profile readers share: the reading under way and the YAML
 * helpers of hw-yaml.c that the chip's fields (hw.c) and the runtime's
 * (hw-runtime.c) are read with. Private to lib/.
 *
 * Each helper reads one value of the YAML document, by its dotted path in the
 * profile ("memory.hbm.bandwidth"), and dies naming the file, the line and
 * column of the value, and the path when it is not what the schema wants.
 */
#ifndef GP_HW_H
#define GP_HW_H

#include <yaml.h>

struct srcs {
	char **cover;
	int ncover, cap;
};

/* A profile being read. */
struct rd {
	struct gp_hw *h;
	const char *file;
	yaml_parser_t parser;
	int parsing;                /* parser is initialised */
	yaml_event_t ev;
	int inev;                   /* ev holds an event */
	yaml_document_t doc;
	int loaded;                 /* doc holds a document */
	char **num;                 /* the dotted paths of every number read */
	int *numline;
	int nnum, capnum;
	struct srcs S;              /* every path a source covers */
};

/* f(R, key, v, path, arg) reads the value v of one key of a mapping */
typedef void (*pairfn)(struct rd *R, const char *key, yaml_node_t *v, const char *path, void *arg);

/* A kind of profile: its name for messages, its top-level keys, the
 * required ones (both NULL-ended), the function its pairs go to (arg NULL),
 * and a check of the whole before the sources check, or NULL. */
struct profile_kind {
	const char *what;
	const char *const *keys, *const *required;
	pairfn pair;
	void (*check)(struct rd *R);
};

void gp_yaml_parse(struct gp_hw *h, const char *file, const unsigned char *text, size_t len,
    const struct profile_kind *k);

/* die naming the file, and the line and column of n when given */
void gp_yaml_bad(struct rd *R, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
yaml_node_t *gp_yaml_node(struct rd *R, int i);     /* node i of the document */
/* a single value, in arena memory; dies on a list, a mapping or a NUL byte */
const char *gp_yaml_scalar(struct rd *R, yaml_node_t *n, const char *path);
const char *gp_yaml_text(struct rd *R, yaml_node_t *n, const char *path);   /* and not empty */
/* a number in [lo, hi] (a suffix k M G T, Ki Mi Gi, m u n allowed); a fact */
double gp_yaml_number(struct rd *R, yaml_node_t *n, const char *path, double lo, double hi);
void gp_yaml_fact(struct rd *R, const yaml_node_t *n, const char *path);   /* a source must cover path */
/* walk the pairs of mapping m; each key one of keys (NULL-ended; NULL: any), at most once */
void gp_yaml_map(struct rd *R, yaml_node_t *m, const char *path, const char *const *keys, pairfn f, void *arg);
void gp_yaml_sources(struct rd *R, yaml_node_t *seq, struct srcs *S);       /* the sources list */

#endif
