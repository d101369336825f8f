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
 * a file, their pages are never touched. An external_data entry with that key
 * in the file itself is dropped: only this pass may write one.
 *
 * The pass also bounds how deep messages nest, in every message and not only
 * on the paths it copies: protobuf-c unpacks, and the loader reads, nested
 * messages recursively, so depth is stack.
 */
#include <stdio.h>
#include <string.h>

#include "gp.h"
#include "onnx.pb-c.h"

const char gp_wire_deep[] = "messages nested too deep";

enum msg { M_NONE, M_MODEL, M_GRAPH, M_NODE, M_ATTR, M_TENSOR, M_SPARSE, M_FUNC, M_TRAIN };

static const ProtobufCMessageDescriptor *const desc[] = {
	[M_MODEL] = &onnx__model_proto__descriptor,
	[M_GRAPH] = &onnx__graph_proto__descriptor,
	[M_NODE] = &onnx__node_proto__descriptor,
	[M_ATTR] = &onnx__attribute_proto__descriptor,
	[M_TENSOR] = &onnx__tensor_proto__descriptor,
	[M_SPARSE] = &onnx__sparse_tensor_proto__descriptor,
	[M_FUNC] = &onnx__function_proto__descriptor,
	[M_TRAIN] = &onnx__training_info_proto__descriptor,
};

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

/* submsg is the descriptor of field num of a message of type d when that
 * field holds a message, else NULL. */
static const ProtobufCMessageDescriptor *
submsg(const ProtobufCMessageDescriptor *d, uint64_t num)
{
	const ProtobufCFieldDescriptor *fd;

	if (num > 0x1fffffff)
		return NULL;
	fd = protobuf_c_message_descriptor_get_field(d, (unsigned)num);
	return fd && fd->type == PROTOBUF_C_TYPE_MESSAGE ? fd->descriptor : NULL;
}

/* nest walks [p, end), a message of type d that is copied whole, only to
 * bound how deep the messages in it nest. */
static int
nest(struct walk *w, const ProtobufCMessageDescriptor *d, const uint8_t *p, const uint8_t *end)
{
	const ProtobufCMessageDescriptor *c;
	const uint8_t *pay;
	uint64_t num, plen = 0;
	int wt;

	if (++w->depth > GP_NEST_MAX)
		FAIL(w, p, gp_wire_deep);
	while (p < end) {
		if (field(w, &p, end, &num, &wt, &pay, &plen) < 0)
			return -1;
		if (wt == 2 && (c = submsg(d, num)) && nest(w, c, pay, pay + plen) < 0)
			return -1;
	}
	w->depth--;
	return 0;
}

/* ours reports whether the StringStringEntryProto [p, end) has the key
 * GP_STRIPPED_KEY (its last key field, as protobuf reads it). */
static int
ours(struct walk *w, const uint8_t *p, const uint8_t *end)
{
	const uint8_t *pay, *key = NULL;
	uint64_t num, plen = 0, klen = 0;
	int wt;

	while (p < end) {
		if (field(w, &p, end, &num, &wt, &pay, &plen) < 0)
			return 0;
		if (num == 1 && wt == 2) {
			key = pay;
			klen = plen;
		}
	}
	return key && klen == strlen(GP_STRIPPED_KEY) && memcmp(key, GP_STRIPPED_KEY, klen) == 0;
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
 * w->keep bytes and noting its size instead, and leaving out any note of that
 * kind the file holds itself. */
static int
tensor(struct walk *w, const uint8_t *p, const uint8_t *end)
{
	const ProtobufCMessageDescriptor *c;
	const uint8_t *q, *f, *pay;
	uint64_t num, plen = 0, bytes = 0, elems = 0, raw = 0;
	int wt, hasraw = 0, forged = 0, strip;
	char note[64];
	size_t i, kl, vl;

	for (q = p; q < end;) {
		f = q;
		if (field(w, &q, end, &num, &wt, &pay, &plen) < 0)
			return -1;
		if (is_payload(num))
			bytes += (uint64_t)(q - f);
		else if (wt == 2 && (c = submsg(desc[M_TENSOR], num))) {
			if (nest(w, c, pay, pay + plen) < 0)
				return -1;
			forged |= num == 13 && ours(w, pay, pay + plen);
		}
	}
	strip = bytes > w->keep;
	if (!strip && !forged) {
		gp_buf_add(w->out, p, (size_t)(end - p));
		return 0;
	}
	for (q = p; q < end;) {
		f = q;
		field(w, &q, end, &num, &wt, &pay, &plen);
		if (num == 13 && wt == 2 && ours(w, pay, pay + plen))
			continue;
		if (!strip || !is_payload(num)) {
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
	if (!strip)
		return 0;
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

	if (++w->depth > GP_NEST_MAX)
		FAIL(w, p, gp_wire_deep);
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
			const ProtobufCMessageDescriptor *d = wt == 2 ? submsg(desc[m], num) : NULL;

			if (d && nest(w, d, pay, pay + plen) < 0)
				return -1;
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

/* more reads a varint at p[*i..n): 0 and *v set, 1 if it runs past n (more
 * input may complete it), -1 if it is longer than ten bytes. */
static int
more(const uint8_t *p, size_t n, size_t *i, uint64_t *v)
{
	uint64_t x = 0;
	size_t k;
	int shift;

	for (k = *i, shift = 0; shift < 70; shift += 7, k++) {
		if (k >= n)
			return 1;
		if (shift < 64)
			x |= (uint64_t)(p[k] & 0x7f) << shift;
		if (!(p[k] & 0x80)) {
			*v = x;
			*i = k + 1;
			return 0;
		}
	}
	return -1;
}

/* wire_ok reports whether wire type wt can carry field fd. */
static int
wire_ok(const ProtobufCFieldDescriptor *fd, int wt)
{
	if (wt == 2)
		return 1;       /* a string, bytes, a message, or a packed repeated field */
	switch (fd->type) {
	case PROTOBUF_C_TYPE_STRING: case PROTOBUF_C_TYPE_BYTES: case PROTOBUF_C_TYPE_MESSAGE:
		return 0;
	case PROTOBUF_C_TYPE_FIXED64: case PROTOBUF_C_TYPE_SFIXED64: case PROTOBUF_C_TYPE_DOUBLE:
		return wt == 1;
	case PROTOBUF_C_TYPE_FIXED32: case PROTOBUF_C_TYPE_SFIXED32: case PROTOBUF_C_TYPE_FLOAT:
		return wt == 5;
	default:
		return wt == 0;
	}
}

const char *
gp_wire_head(const uint8_t *p, size_t n, size_t *pos, size_t *at)
{
	static char msg[96];
	const ProtobufCFieldDescriptor *fd;
	uint64_t key, v;
	size_t i;
	int wt, r;

	while (*pos < n) {
		i = *at = *pos;
		if ((r = more(p, n, &i, &key)) > 0)
			return NULL;
		if (r < 0)
			return "bad field key";
		wt = (int)(key & 7);
		if (key >> 3 == 0)
			return "field number 0";
		if (wt != 0 && wt != 1 && wt != 2 && wt != 5)
			return "unsupported wire type";
		fd = key >> 3 <= 0x1fffffff ? protobuf_c_message_descriptor_get_field(
		    &onnx__model_proto__descriptor, (unsigned)(key >> 3)) : NULL;
		if (fd && (!wire_ok(fd, wt) || (wt == 2 && fd->label != PROTOBUF_C_LABEL_REPEATED &&
		    fd->type != PROTOBUF_C_TYPE_STRING && fd->type != PROTOBUF_C_TYPE_BYTES &&
		    fd->type != PROTOBUF_C_TYPE_MESSAGE))) {
			snprintf(msg, sizeof msg, "ModelProto field %u (%s) with wire type %d",
			    fd->id, fd->name, wt);
			return msg;
		}
		switch (wt) {
		case 0:
			if ((r = more(p, n, &i, &v)) > 0)
				return NULL;
			if (r < 0)
				return "bad varint";
			break;
		case 1:
			i += 8;
			break;
		case 5:
			i += 4;
			break;
		default:
			if ((r = more(p, n, &i, &v)) > 0)
				return NULL;
			if (r < 0)
				return "bad length";
			if (v > SIZE_MAX - i)
				return "length runs past the end (truncated file?)";
			i += v;
			break;
		}
		*pos = i;
	}
	return NULL;
}
