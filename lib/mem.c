/* mem.c - allocation that cannot fail, an arena, and a growable buffer */
#define _DEFAULT_SOURCE         /* sbrk, madvise and MADV_HUGEPAGE */
#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <sha2.h>

#include "gp.h"

/* oom dies saying how much was asked for, and while reading what. */
static void __attribute__((noreturn))
oom(size_t n, size_t size)
{
	char what[64];

	if (size == 1)
		snprintf(what, sizeof what, "%zu bytes", n);
	else
		snprintf(what, sizeof what, "%zu x %zu bytes", n, size);
	if (gp_err_src)
		gp_die("%s: out of memory (%s)", gp_err_src, what);
	gp_die("out of memory (%s)", what);
}

/* huge asks the kernel to back p, a block of n bytes just allocated, with
 * transparent huge pages where it does so only when asked (enabled is
 * "madvise" in /sys/kernel/mm/transparent_hugepage, Debian's default). A
 * block of 1 MiB or more has a mapping of its own (gp_init), which is
 * advised whole, so that realloc can still move it with mremap; a block in
 * the heap is left alone. A filter's memory is a few hundred MiB of arrays
 * touched once: in 2 MiB pages it takes fewer page faults and TLB misses
 * (make bench's million-node chain: gp-partition's page faults 127k ->
 * 41k, gp-roofline's 92k -> 39k; each filter's CPU time 0.64-0.83 of what
 * it was, peak memory within 6 MiB). It is advice: where it fails, nothing
 * changes. */
static void *
huge(void *p, size_t n)
{
#if defined(MADV_HUGEPAGE) && defined(__GLIBC__)
	static uintptr_t page;
	uintptr_t a;

	if (n < 1u << 20 || (uintptr_t)p <= (uintptr_t)sbrk(0))
		return p;
	if (!page) {
		long ps = sysconf(_SC_PAGESIZE);

		page = ps > 0 ? (uintptr_t)ps : 4096;
	}
	a = (uintptr_t)p & ~(page - 1);
	madvise((void *)a, (uintptr_t)p + malloc_usable_size(p) - a, MADV_HUGEPAGE);
#else
	(void)n;
#endif
	return p;
}

void *
gp_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom(n, 1);
	return huge(p, n);
}

void *
gp_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom(n, size);
	return huge(p, n * size);
}

void *
gp_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom(n, 1);
	return huge(p, n);
}

void *
gp_xreallocarray(void *p, size_t n, size_t size)
{
	size_t t;

	if (__builtin_mul_overflow(n, size, &t))
		oom(n, size);
	return gp_xrealloc(p, t);
}

char *
gp_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(gp_xmalloc(n), s, n);
}

/* The arena hands out memory from blocks of at least 64 KiB; a request larger
 * than a block gets a block of its own. Nothing is freed before release. */
struct gp_arena_block {
	struct gp_arena_block *next;
	size_t used, size;
	_Alignas(16) unsigned char mem[];
};

#define ARENA_BLOCK (64 * 1024)

void *
gp_arena_alloc(struct gp_arena *a, size_t n)
{
	struct gp_arena_block *b = a->head;
	size_t size;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (!b || b->size - b->used < n) {
		size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		b = gp_xmalloc(sizeof *b + size);
		b->used = 0;
		b->size = size;
		b->next = a->head;
		a->head = b;
	}
	p = b->mem + b->used;
	b->used += n;
	return p;
}

char *
gp_arena_strndup(struct gp_arena *a, const char *s, size_t n)
{
	char *p = gp_arena_alloc(a, n + 1);

	if (n)
		memcpy(p, s, n);        /* s may be NULL when n is 0 */
	p[n] = '\0';
	return p;
}

char *
gp_arena_strdup(struct gp_arena *a, const char *s)
{
	return gp_arena_strndup(a, s, strlen(s));
}

char *
gp_arena_printf(struct gp_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		gp_die("bad format '%s'", fmt);
	p = gp_arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
gp_arena_release(struct gp_arena *a)
{
	struct gp_arena_block *b, *next;

	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}

void
gp_buf_grow(struct gp_buf *b, size_t extra)
{
	size_t need;

	if (__builtin_add_overflow(b->len, extra + 1, &need))
		oom(SIZE_MAX, 1);
	if (need <= b->cap)
		return;
	b->cap = b->cap ? b->cap : 64;
	while (b->cap < need)
		b->cap = b->cap > SIZE_MAX / 2 ? need : b->cap * 2;
	b->buf = gp_xrealloc(b->buf, b->cap);
}

void
gp_buf_add(struct gp_buf *b, const void *p, size_t n)
{
	gp_buf_grow(b, n);
	if (n)
		memcpy(b->buf + b->len, p, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void
gp_buf_adds(struct gp_buf *b, const char *s)
{
	gp_buf_add(b, s, strlen(s));
}

void
gp_buf_addc(struct gp_buf *b, int c)
{
	gp_buf_grow(b, 1);
	b->buf[b->len++] = (char)c;
	b->buf[b->len] = '\0';
}

void
gp_buf_printf(struct gp_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		gp_die("bad format '%s'", fmt);
	gp_buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
gp_buf_reset(struct gp_buf *b)
{
	b->len = 0;
	if (b->buf)
		b->buf[0] = '\0';
}

void
gp_buf_release(struct gp_buf *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
}

/* gp_sha256_hex writes the SHA-256 of p[0..n) as 64 lowercase hex digits. */
void
gp_sha256_hex(const void *p, size_t n, char hex[65])
{
	SHA2_CTX c;

	SHA256Init(&c);
	SHA256Update(&c, p, n);
	SHA256End(&c, hex);
}
