/* flatbuf.c - a FlatBuffers reader that never reads outside its buffer
 *
 * A FlatBuffer is a tree of tables. A table starts with a signed 32-bit
 * offset back (or forward) to its vtable; the vtable holds its own length,
 * the table's inline length, then one 16-bit offset per field id, 0 for a
 * field left at its default. A field that refers to a table, a vector or a
 * string holds an unsigned 32-bit offset from the field itself to it; a
 * vector is a 32-bit element count followed by the elements, a string a
 * vector of bytes (with a NUL after it). Everything is little-endian.
 *
 * Every offset, vtable and vector length is checked against the buffer before
 * it is followed. A malformed reference records the first thing found wrong
 * in f->err (with its byte offset in f->at) and reads as absent, so a caller
 * walks a damaged file to the end without a crash and then says what was
 * wrong. Scalars are read with memcpy: no alignment is assumed.
 */
#include <string.h>

#include "gp.h"

static uint64_t
rd(const uint8_t *p, int size)
{
	uint64_t v = 0;
	int i;

	for (i = size - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* bad records the first error and returns 0, for the caller to return */
static int
bad(struct gp_fb *f, size_t at, const char *what)
{
	if (!f->err) {
		f->err = what;
		f->at = at;
	}
	return 0;
}

/* in: is [pos, pos + len) inside the buffer? (no overflow) */
static int
in(const struct gp_fb *f, size_t pos, size_t len)
{
	return pos <= f->n && len <= f->n - pos;
}

void
gp_fb_init(struct gp_fb *f, const uint8_t *p, size_t n)
{
	memset(f, 0, sizeof *f);
	f->p = p;
	f->n = n;
}

/* table_at checks the table at pos and its vtable, filling t; 0 if malformed */
static int
table_at(struct gp_fb *f, size_t pos, struct gp_fbt *t)
{
	int64_t vt;
	int32_t so;

	memset(t, 0, sizeof *t);
	if (!in(f, pos, 4))
		return bad(f, pos, "a table lies outside the file");
	so = (int32_t)(uint32_t)rd(f->p + pos, 4);
	vt = (int64_t)pos - so;
	if (vt < 0 || !in(f, (size_t)vt, 4))
		return bad(f, pos, "a table's vtable lies outside the file");
	t->vt = (size_t)vt;
	t->vtlen = (unsigned)rd(f->p + vt, 2);
	t->tlen = (unsigned)rd(f->p + vt + 2, 2);
	if (t->vtlen < 4 || t->vtlen % 2 || !in(f, t->vt, t->vtlen))
		return bad(f, (size_t)vt, "a vtable has a bad length");
	if (t->tlen < 4 || !in(f, pos, t->tlen))
		return bad(f, pos, "a table's inline data lies outside the file");
	t->pos = pos;
	return 1;
}

int
gp_fb_root(struct gp_fb *f, struct gp_fbt *t)
{
	memset(t, 0, sizeof *t);
	if (!in(f, 0, 8))
		return bad(f, 0, "shorter than a FlatBuffer header");
	return table_at(f, (size_t)rd(f->p, 4), t);
}

/* field: the byte position of field id of t, of size bytes; 0 when the
 * field is absent (or t is), and on a malformed vtable entry */
static size_t
field(struct gp_fb *f, const struct gp_fbt *t, int id, size_t size)
{
	size_t slot = 4 + 2 * (size_t)id;
	unsigned vo;

	if (!t->pos || id < 0 || slot + 2 > t->vtlen)
		return 0;
	vo = (unsigned)rd(f->p + t->vt + slot, 2);
	if (vo == 0)
		return 0;
	if (vo < 4 || vo + size > t->tlen) {
		bad(f, t->vt + slot, "a field lies outside its table");
		return 0;
	}
	return t->pos + vo;
}

int
gp_fb_has(struct gp_fb *f, const struct gp_fbt *t, int id)
{
	return field(f, t, id, 1) != 0;
}

uint64_t
gp_fb_uint(struct gp_fb *f, const struct gp_fbt *t, int id, int size, uint64_t def)
{
	size_t p = field(f, t, id, (size_t)size);

	return p ? rd(f->p + p, size) : def;
}

int64_t
gp_fb_int(struct gp_fb *f, const struct gp_fbt *t, int id, int size, int64_t def)
{
	size_t p = field(f, t, id, (size_t)size);
	uint64_t v;

	if (!p)
		return def;
	v = rd(f->p + p, size);
	if (size < 8 && (v >> (8 * size - 1) & 1))
		v |= ~(uint64_t)0 << (8 * size);     /* sign-extend */
	return (int64_t)v;
}

float
gp_fb_float(struct gp_fb *f, const struct gp_fbt *t, int id, float def)
{
	size_t p = field(f, t, id, 4);
	uint32_t u;
	float v;

	if (!p)
		return def;
	u = (uint32_t)rd(f->p + p, 4);
	memcpy(&v, &u, 4);
	return v;
}

/* ref: the position an offset field (or vector element) at p points to */
static size_t
ref(struct gp_fb *f, size_t p)
{
	uint64_t to = (uint64_t)p + rd(f->p + p, 4);

	if (to >= f->n) {
		bad(f, p, "an offset points outside the file");
		return 0;
	}
	return (size_t)to;
}

int
gp_fb_table(struct gp_fb *f, const struct gp_fbt *t, int id, struct gp_fbt *out)
{
	size_t p = field(f, t, id, 4), to;

	memset(out, 0, sizeof *out);
	if (!p || !(to = ref(f, p)))
		return 0;
	return table_at(f, to, out);
}

/* vec_at checks the vector at pos, of elements of esize bytes */
static int
vec_at(struct gp_fb *f, size_t pos, size_t esize, struct gp_fbv *v)
{
	uint32_t len;

	memset(v, 0, sizeof *v);
	if (!in(f, pos, 4))
		return bad(f, pos, "a vector lies outside the file");
	len = (uint32_t)rd(f->p + pos, 4);
	if ((f->n - pos - 4) / esize < len)
		return bad(f, pos, "a vector's length runs past the end of the file");
	v->pos = pos + 4;
	v->len = len;
	v->esize = esize;
	return 1;
}

int
gp_fb_vector(struct gp_fb *f, const struct gp_fbt *t, int id, size_t esize, struct gp_fbv *v)
{
	size_t p = field(f, t, id, 4), to;

	memset(v, 0, sizeof *v);
	if (!p || !(to = ref(f, p)))
		return 0;
	return vec_at(f, to, esize, v);
}

const char *
gp_fb_string(struct gp_fb *f, const struct gp_fbt *t, int id, size_t *len)
{
	struct gp_fbv v;

	*len = 0;
	if (!gp_fb_vector(f, t, id, 1, &v))
		return NULL;
	*len = v.len;
	return (const char *)f->p + v.pos;
}

/* element i of v, or NULL when i is out of range (a caller's bug, not the file's) */
static const uint8_t *
elem(const struct gp_fb *f, const struct gp_fbv *v, size_t i, size_t size)
{
	if (i >= v->len || size > v->esize)
		return NULL;
	return f->p + v->pos + i * v->esize;
}

uint64_t
gp_fb_vuint(struct gp_fb *f, const struct gp_fbv *v, size_t i)
{
	const uint8_t *p = elem(f, v, i, v->esize);

	return p && v->esize <= 8 ? rd(p, (int)v->esize) : 0;
}

int64_t
gp_fb_vint(struct gp_fb *f, const struct gp_fbv *v, size_t i)
{
	uint64_t u = gp_fb_vuint(f, v, i);
	int size = (int)v->esize;

	if (size > 0 && size < 8 && (u >> (8 * size - 1) & 1))
		u |= ~(uint64_t)0 << (8 * size);
	return (int64_t)u;
}

float
gp_fb_vfloat(struct gp_fb *f, const struct gp_fbv *v, size_t i)
{
	uint32_t u = v->esize == 4 ? (uint32_t)gp_fb_vuint(f, v, i) : 0;
	float x;

	memcpy(&x, &u, 4);
	return x;
}

int
gp_fb_vtable(struct gp_fb *f, const struct gp_fbv *v, size_t i, struct gp_fbt *out)
{
	const uint8_t *p = elem(f, v, i, 4);
	size_t to;

	memset(out, 0, sizeof *out);
	if (!p || v->esize != 4 || !(to = ref(f, (size_t)(p - f->p))))
		return 0;
	return table_at(f, to, out);
}

const char *
gp_fb_vstring(struct gp_fb *f, const struct gp_fbv *v, size_t i, size_t *len)
{
	const uint8_t *p = elem(f, v, i, 4);
	struct gp_fbv s;
	size_t to;

	*len = 0;
	if (!p || v->esize != 4 || !(to = ref(f, (size_t)(p - f->p))) || !vec_at(f, to, 1, &s))
		return NULL;
	*len = s.len;
	return (const char *)f->p + s.pos;
}
