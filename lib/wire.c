/* wire.c - a protobuf wire-level pass that copies an ONNX model without its weights
 *
 * protobuf-c copies every bytes field it unpacks, so handing it a 100 MB model
 * would copy 100 MB of weights that gp never looks at. This pass walks the
 * model's wire format, descending only into the messages that can hold
 * tensors, and writes a copy in which every tensor payload larger than a limit
 * is left out. The payload's size goes into the tensor instead, as an
 * external_data entry with key GP_STRIPPED_KEY and value "raw_data=BYTES" or
 * "elements=COUNT", so the loader can still check it against the dims. The
 * payload bytes themselves are skipped, never read: with the input mapped from
 * a file, their pages are never touched.
 */
#include <string.h>

#include "gp.h"

enum msg { M_NONE, M_MODEL, M_GRAPH, M_NODE, M_ATTR, M_TENSOR, M_SPARSE, M_FUNC, M_TRAIN };

/* child names the message type of field f of a message of type m, for the
 * fields on a path to a tensor; M_NONE for every other field. */
static enum msg
child(enum msg m, uint64_t f)
{
	switch (m) {
	case M_MODEL:
		return f == 7 ? M_GRAPH : f == 25 ? M_FUNC : f == 20 ? M_TRAIN : M_NONE;
	case M_TRAIN:
		return f == 1 || f == 2 ? M_GRAPH : M_NONE;
	case M_FUNC:
		return f == 7 ? M_NODE : M_NONE;
	case M_GRAPH:
		return f == 1 ? M_NODE : f == 5 ? M_TENSOR : f == 15 ? M_SPARSE : M_NONE;
	case M_NODE:
		return f == 5 ? M_ATTR : M_NONE;
	case M_ATTR:
		return f == 5 || f == 10 ? M_TENSOR : f == 6 || f == 11 ? M_GRAPH :
		    f == 22 || f == 23 ? M_SPARSE : M_NONE;
	case M_SPARSE:
		return f == 1 || f == 2 ? M_TENSOR : M_NONE;
	default:
		return M_NONE;
	}
}

struct walk {
	const uint8_t *base;
	struct gp_buf *out;
	size_t keep;
	const char *err;
	size_t at;
	int depth;
};

#define FAIL(w, p, msg) do { (w)->err = (msg); (w)->at = (size_t)((p) - (w)->base); return -1; } while (0)

static int
rd_varint(const uint8_t **pp, const uint8_t *end, uint64_t *v)
{
	const uint8_t *p = *pp;
	uint64_t x = 0;
	int shift;

	for (shift = 0; shift < 64; shift += 7) {
		if (p >= end)
			return -1;
		x |= (uint64_t)(*p & 0x7f) << shift;
		if (!(*p++ & 0x80)) {
			*v = x;
			*pp = p;
			return 0;
		}
	}
	return -1;
}

static size_t
varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

static void
put_varint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p = (uint8_t)v;
}

/* field reads one field's key and extent at *pp: its number, wire type and,
 * for length-delimited fields, the payload [*pay, *pay + *plen). */
static int
field(struct walk *w, const uint8_t **pp, const uint8_t *end, uint64_t *num, int *wt,
    const uint8_t **pay, uint64_t *plen)
{
	const uint8_t *p = *pp;
	uint64_t key, v;

	if (rd_varint(&p, end, &key) < 0)
		FAIL(w, *pp, "bad field key");
	*num = key >> 3;
	*wt = (int)(key & 7);
	if (*num == 0)
		FAIL(w, *pp, "field number 0");
	*pay = p;
	switch (*wt) {
	case 0:
		if (rd_varint(&p, end, &v) < 0)
			FAIL(w, *pp, "bad varint");
		break;
	case 1:
		if (end - p < 8)
			FAIL(w, *pp, "truncated fixed64 field");
		p += 8;
		break;
	case 5:
		if (end - p < 4)
			FAIL(w, *pp, "truncated fixed32 field");
		p += 4;
		break;
	case 2:
		if (rd_varint(&p, end, plen) < 0)
			FAIL(w, *pp, "bad length");
		if (*plen > (uint64_t)(end - p))
			FAIL(w, *pp, "length runs past the end (truncated file?)");
		*pay = p;
		p += *plen;
		break;
	default:
		FAIL(w, *pp, "unsupported wire type");
	}
	*pp = p;
	return 0;
}

static int walk(struct walk *w, enum msg m, const uint8_t *p, const uint8_t *end);

/* sub writes field key [k, kend) and the walked copy of child message
 * [p, p + n) with its new length. */
static int
sub(struct walk *w, enum msg m, const uint8_t *k, const uint8_t *kend, const uint8_t *p, uint64_t n)
{
	size_t start, len, vl;

	gp_buf_add(w->out, k, (size_t)(kend - k));
	gp_buf_grow(w->out, 10);
	start = w->out->len;
	w->out->len += 10;           /* room for the longest length varint */
	if (walk(w, m, p, p + n) < 0)
		return -1;
	len = w->out->len - start - 10;
	vl = varint_len(len);
	memmove(w->out->buf + start + vl, w->out->buf + start + 10, len);
	put_varint((uint8_t *)w->out->buf + start, len);
	w->out->len = start + vl + len;
	w->out->buf[w->out->len] = '\0';
	return 0;
}

static int
is_payload(uint64_t f)
{
	return (f >= 4 && f <= 7) || f == 9 || f == 10 || f == 11;
}

/* tensor copies a TensorProto, leaving out its payload if it is larger than
 * w->keep bytes and noting its size instead. */
static int
tensor(struct walk *w, const uint8_t *p, const uint8_t *end)
{
	const uint8_t *q, *f, *pay;
	uint64_t num, plen = 0, bytes = 0, elems = 0, raw = 0;
	int wt, hasraw = 0;
	char note[64];
	size_t i, kl, vl;

	for (q = p; q < end;) {
		f = q;
		if (field(w, &q, end, &num, &wt, &pay, &plen) < 0)
			return -1;
		if (is_payload(num))
			bytes += (uint64_t)(q - f);
	}
	if (bytes <= w->keep) {
		gp_buf_add(w->out, p, (size_t)(end - p));
		return 0;
	}
	for (q = p; q < end;) {
		f = q;
		field(w, &q, end, &num, &wt, &pay, &plen);
		if (!is_payload(num)) {
			gp_buf_add(w->out, f, (size_t)(q - f));
			continue;
		}
		if (num == 9 && wt == 2) {
			hasraw = 1;
			raw += plen;
		} else if (wt != 2 || num == 6) {
			elems++;                     /* one unpacked element or string */
		} else if (num == 4) {
			elems += plen / 4;           /* packed float */
		} else if (num == 10) {
			elems += plen / 8;           /* packed double */
		} else {
			for (i = 0; i < plen; i++)   /* packed varints: count the last bytes */
				elems += !(pay[i] & 0x80);
		}
	}
	if (hasraw)
		snprintf(note, sizeof note, "raw_data=%llu", (unsigned long long)raw);
	else
		snprintf(note, sizeof note, "elements=%llu", (unsigned long long)elems);
	/* external_data (13) { key (1): GP_STRIPPED_KEY, value (2): note } */
	kl = strlen(GP_STRIPPED_KEY);
	vl = strlen(note);
	{
		uint8_t hdr[32];
		size_t inner = 2 + kl + 1 + varint_len(vl) + vl;

		hdr[0] = 13 << 3 | 2;
		put_varint(hdr + 1, inner);
		gp_buf_add(w->out, hdr, 1 + varint_len(inner));
		hdr[0] = 1 << 3 | 2;
		hdr[1] = (uint8_t)kl;
		gp_buf_add(w->out, hdr, 2);
		gp_buf_add(w->out, GP_STRIPPED_KEY, kl);
		hdr[0] = 2 << 3 | 2;
		put_varint(hdr + 1, vl);
		gp_buf_add(w->out, hdr, 1 + varint_len(vl));
		gp_buf_add(w->out, note, vl);
	}
	return 0;
}

static int
walk(struct walk *w, enum msg m, const uint8_t *p, const uint8_t *end)
{
	const uint8_t *f, *k, *pay;
	uint64_t num, plen = 0;
	int wt, r;
	enum msg c;

	if (++w->depth > 64)
		FAIL(w, p, "messages nested too deep");
	if (m == M_TENSOR) {
		r = tensor(w, p, end);
		w->depth--;
		return r;
	}
	while (p < end) {
		f = p;
		if (field(w, &p, end, &num, &wt, &pay, &plen) < 0)
			return -1;
		c = wt == 2 ? child(m, num) : M_NONE;
		if (c == M_NONE) {
			gp_buf_add(w->out, f, (size_t)(p - f));
			continue;
		}
		k = f;
		{
			uint64_t key;
			const uint8_t *kend = f;

			rd_varint(&kend, end, &key);
			if (sub(w, c, k, kend, pay, plen) < 0)
				return -1;
		}
	}
	w->depth--;
	return 0;
}

const char *
gp_wire_prune(const uint8_t *in, size_t n, size_t keep, struct gp_buf *out, size_t *at)
{
	struct walk w = {in, out, keep, NULL, 0, 0};

	gp_buf_reset(out);
	gp_buf_grow(out, n < (1 << 20) ? n : (1 << 20));
	if (walk(&w, M_MODEL, in, in + n) < 0) {
		*at = w.at;
		return w.err;
	}
	return NULL;
}
