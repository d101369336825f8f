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

/* The allocator's policy, for a program that lives for one stream. A
 * filter's memory is a few hundred MiB of arrays, and on a virtual machine
 * the kernel's first touch of a page costs far more than the program's
 * later ones. So:
 *
 * Blocks come from the heap up to MAPPED, glibc's largest threshold: what
 * a filter frees there (a graph's scratch arrays, a DAG's temporaries) is
 * used again for the next block instead of going back to the kernel, to be
 * faulted in and zeroed again (the heap is trimmed only past 1 GiB free).
 * Once the heap has grown past HEAP_HUGE it is advised for transparent huge
 * pages (which the kernel gives only where asked when
 * /sys/kernel/mm/transparent_hugepage/enabled is "madvise", Debian's
 * default), and from then on grows 64 MiB at a time, so that only the page
 * holding malloc's next header is touched before the advice: fewer page
 * faults and TLB misses (make bench's million-node chain, with the mappings
 * below: gp-partition's faults 40k -> 4.5k, gp-concur's 42k -> 14k). A
 * small model's run stays below it, in 4 KiB pages and its few
 * milliseconds.
 *
 * A block of MAPPED or more has a mapping of its own: calloc need not zero
 * it and realloc moves it with mremap. A 2 MiB page can back it only where
 * it covers an aligned 2 MiB whole, so the request is rounded up to fill its
 * mapping's last 2 MiB page (the kernel places a mapping of whole 2 MiB
 * pages on a 2 MiB boundary), the mapping is advised (MADV_HUGEPAGE), and
 * its first 2 MiB, which malloc's header has touched already in a 4 KiB
 * page, is collapsed into one (MADV_COLLAPSE, Linux 6.1).
 *
 * All of it is advice: where it fails (another kernel, another libc),
 * nothing changes but the speed. What it buys on make bench's million-node
 * chain: README.md, "Speed and memory" (the sixth round). */
#if defined(__linux__) && !defined(MADV_COLLAPSE)
#define MADV_COLLAPSE 25                /* Linux's <asm-generic/mman-common.h> */
#endif
#define HUGE_PAGE ((uintptr_t)2 << 20)
#define HEAP_HUGE ((uintptr_t)8 << 20)
#define MAPPED ((size_t)32 << 20)

static uintptr_t heap0, advised;        /* the heap's start, and how far it is advised */

/* pagesize: the system's page size, asked once */
static size_t
pagesize(void)
{
	static size_t page;

	if (!page) {
		long ps = sysconf(_SC_PAGESIZE);

		page = ps > 0 ? (size_t)ps : 4096;
	}
	return page;
}

/* gp_mem_init sets the policy above (gp_init calls it). */
void
gp_mem_init(void)
{
#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, (int)MAPPED);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
#if defined(MADV_HUGEPAGE) && defined(__GLIBC__)
	heap0 = advised = (uintptr_t)sbrk(0);
#endif
}

/* whole: the size to ask malloc for n bytes, a mapping's rounded up as above. */
static size_t
whole(size_t n)
{
#if defined(MADV_HUGEPAGE) && defined(__GLIBC__)
	if (n >= MAPPED && n <= SIZE_MAX / 2)
		return (n + 32 + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE - 32;
#endif
	return n ? n : 1;
}

/* huge gives the advice above: for the heap when it has grown, and for p,
 * a block of n bytes just allocated, when it has a mapping of its own. */
static void *
huge(void *p, size_t n)
{
#if defined(MADV_HUGEPAGE) && defined(__GLIBC__)
	uintptr_t a, brk = (uintptr_t)sbrk(0), page = pagesize();

	if (heap0 && brk > advised && brk - heap0 >= HEAP_HUGE) {
		if (advised - heap0 < HEAP_HUGE)
			mallopt(M_TOP_PAD, 64 << 20);
		a = (advised + page - 1) & ~(page - 1);
		if (brk > a)
			madvise((void *)a, brk - a, MADV_HUGEPAGE);
		advised = brk;
	}
	if (n < MAPPED || (uintptr_t)p <= brk)
		return p;
	a = (uintptr_t)p & ~(page - 1);
	madvise((void *)a, (uintptr_t)p + malloc_usable_size(p) - a, MADV_HUGEPAGE);
#ifdef MADV_COLLAPSE
	if (!(a & (HUGE_PAGE - 1)))
		madvise((void *)a, HUGE_PAGE, MADV_COLLAPSE);
#endif
#else
	(void)n;
#endif
	return p;
}

void *
gp_xmalloc(size_t n)
{
	void *p = malloc(whole(n));

	if (!p)
		oom(n, 1);
	return huge(p, n);
}

void *
gp_xcalloc(size_t n, size_t size)
{
	size_t t;
	void *p;

	if (__builtin_mul_overflow(n, size, &t))
		oom(n, size);
	if (!(p = calloc(whole(t), 1)))
		oom(n, size);
	return huge(p, t);
}

void *
gp_xrealloc(void *p, size_t n)
{
	if (!(p = realloc(p, whole(n))))
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

/* A benchmark's buffer (gp-calibrate's) must be what a program that knows
 * nothing of the policy above gets: fresh pages, first touched by the
 * threads that use them, in the pages the system gives unasked (4 KiB where
 * transparent huge pages are "madvise"), never memory the heap had before.
 * So it is mapped on its own, whatever its size, one page before it holding
 * the mapping's length. */
void *
gp_pages(size_t n)
{
	size_t page = pagesize(), len;
	unsigned char *p;

	if (n > SIZE_MAX - 2 * page)
		oom(n, 1);
	len = page + (n + page - 1) / page * page;
	if ((p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		oom(n, 1);
	memcpy(p, &len, sizeof len);
	return p + page;
}

void
gp_pages_free(void *q)
{
	size_t page = pagesize(), len;
	unsigned char *p;

	if (!q)
		return;
	p = (unsigned char *)q - page;
	memcpy(&len, p, sizeof len);
	munmap(p, len);
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
