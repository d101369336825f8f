/* map.c - a hash map from strings to 64-bit integers (open addressing) */
#include <stdlib.h>
#include <string.h>

#include "gp.h"

static uint64_t
hashn(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;    /* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static uint64_t
hash(const char *s)
{
	return hashn(s, strlen(s));
}

/* Each entry keeps its key's hash: a probe compares it before the key, and
 * growing the table moves entries without reading their keys. */
static void
rehash(struct gp_map *m, size_t cap)
{
	struct gp_map_ent *old = m->e;
	size_t oldcap = m->cap, i, j;

	m->cap = cap;
	m->e = gp_xcalloc(m->cap, sizeof *m->e);
	for (i = 0; i < oldcap; i++) {
		if (!old[i].k)
			continue;
		for (j = old[i].h & (m->cap - 1); m->e[j].k; j = (j + 1) & (m->cap - 1))
			;
		m->e[j] = old[i];
	}
	free(old);
}

void
gp_map_reserve(struct gp_map *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 64;

	while (2 * n > cap)
		cap *= 2;
	if (cap > m->cap)
		rehash(m, cap);
}

void
gp_map_prefetch(const struct gp_map *m, const char *k)
{
	if (m->cap)
		__builtin_prefetch(&m->e[hash(k) & (m->cap - 1)], 1);
}

void
gp_map_prefetchn(const struct gp_map *m, const char *k, size_t n)
{
	if (m->cap)
		__builtin_prefetch(&m->e[hashn(k, n) & (m->cap - 1)], 1);
}

int64_t *
gp_map_get(const struct gp_map *m, const char *k)
{
	uint64_t h;
	size_t j;

	if (!m->cap)
		return NULL;
	h = hash(k);
	for (j = h & (m->cap - 1); m->e[j].k; j = (j + 1) & (m->cap - 1))
		if (m->e[j].h == h && strcmp(m->e[j].k, k) == 0)
			return &m->e[j].v;
	return NULL;
}

int64_t *
gp_map_getn(const struct gp_map *m, const char *k, size_t n)
{
	uint64_t h;
	size_t j;

	if (!m->cap)
		return NULL;
	h = hashn(k, n);
	for (j = h & (m->cap - 1); m->e[j].k; j = (j + 1) & (m->cap - 1))
		if (m->e[j].h == h && strncmp(m->e[j].k, k, n) == 0 && m->e[j].k[n] == '\0')
			return &m->e[j].v;
	return NULL;
}

int
gp_map_put(struct gp_map *m, const char *k, int64_t v)
{
	uint64_t h = hash(k);
	size_t j;

	if (2 * (m->n + 1) > m->cap) {
		if (gp_map_get(m, k))
			return 0;               /* no growing for a key that is there */
		rehash(m, m->cap ? 2 * m->cap : 64);
	}
	for (j = h & (m->cap - 1); m->e[j].k; j = (j + 1) & (m->cap - 1))
		if (m->e[j].h == h && strcmp(m->e[j].k, k) == 0)
			return 0;
	m->e[j].k = k;
	m->e[j].v = v;
	m->e[j].h = h;
	m->n++;
	return 1;
}

void
gp_map_release(struct gp_map *m)
{
	free(m->e);
	memset(m, 0, sizeof *m);
}
