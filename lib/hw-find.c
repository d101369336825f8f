/* hw-find.c - finding a hardware or runtime profile by name or path, reading
 * it whole, and listing the profiles there are
 *
 * Profiles are looked up in $GP_HW_PATH, then beside the programs (hw/ of the
 * source tree, or an install's share/gp/hw), then GP_SHAREDIR/hw; runtimes
 * in the runtime/ directory of each.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gp.h"

#ifndef GP_SHAREDIR
#define GP_SHAREDIR "/usr/local/share/gp"
#endif

/* the directories profiles are looked up in, in order, as one string "a:b:c" */
static char *
dirs(void)
{
	struct gp_buf b = {0};
	const char *env = getenv("GP_HW_PATH");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env)
		gp_buf_printf(&b, "%s:", env);
	/* beside the programs: hw/ of the source tree (bin/..), or an install's share dir */
	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
		char *s;

		exe[n] = 0;
		if ((s = strrchr(exe, '/'))) {
			*s = 0;
			if ((s = strrchr(exe, '/'))) {
				*s = 0;
				gp_buf_printf(&b, "%s/hw:%s/share/gp/hw:", exe, exe);
			}
		}
	}
	gp_buf_printf(&b, "%s/hw", GP_SHAREDIR);
	return b.buf;
}

#define PROFILE_MAX (1 << 20)

/* a profile read from a pipe: no more than PROFILE_MAX bytes */
static const char *
small(void *arg, const uint8_t *p, size_t n)
{
	(void)arg;
	(void)p;
	return n > PROFILE_MAX ? "more than 1 MiB: not a hardware profile" : NULL;
}

struct load {
	struct gp_hw *h;
	const char *path;
	const struct gp_file *f;
	int runtime;                        /* a runtime profile, not a chip's */
};

/* parse_file parses the file a struct load holds (for gp_file_guard) */
static void
parse_file(void *arg)
{
	struct load *L = arg;

	if (L->runtime)
		gp_hw_parse_runtime(L->h, L->path, L->f->n ? (const char *)L->f->p : "", L->f->n);
	else
		gp_hw_parse(L->h, L->path, L->f->n ? (const char *)L->f->p : "", L->f->n);
}

/* Read and parse the profile in path, whole, as every gp program reads a
 * whole file (file.c: mapped, and a file that shrinks meanwhile is an
 * error); dies naming path. */
static void
load_file(struct gp_hw *h, const char *path, int runtime)
{
	struct gp_file f;
	struct load L = {h, path, &f, runtime};

	gp_file_open(&f, path, small, NULL, 2 * PROFILE_MAX);
	if (f.n > PROFILE_MAX)
		gp_die("%s: more than 1 MiB: not a hardware profile", path);
	gp_file_guard(&f, path, parse_file, &L);
	gp_file_close(&f);
}

/* find: the file spec names, a path (with a '/' or ending in .yaml) or a
 * name looked up in the profile directories (under sub/ for a runtime, sub
 * "" for a chip); *byname says which. Dies on a bad or unknown name. */
static char *
find(const char *spec, const char *sub, int *byname)
{
	const char *what = *sub ? "runtime profile" : "hardware profile", *list = *sub ? "--list-runtimes" : "--list";
	char *all, *d, *save = NULL, *path = NULL;
	int found = 0;

	*byname = !(strchr(spec, '/') || (strlen(spec) > 5 && !strcmp(spec + strlen(spec) - 5, ".yaml")));
	if (!*byname)
		return gp_xstrdup(spec);
	if (!*spec || strspn(spec, "abcdefghijklmnopqrstuvwxyz0123456789-_.") != strlen(spec))
		gp_die("'%s' is not a %s name (gp-roofline %s) or a path to a .yaml file",
		    spec, *sub ? "runtime" : "profile", list);
	all = dirs();
	/* the first directory that has a profile of that name we may read */
	for (d = strtok_r(all, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		free(path);
		path = gp_xmalloc(strlen(d) + strlen(sub) + strlen(spec) + 8);
		sprintf(path, "%s/%s%s.yaml", d, sub, spec);
		found = access(path, R_OK) == 0;
	}
	free(all);
	if (!found)
		gp_die("no %s '%s' (gp-roofline %s shows the %ss there are; GP_HW_PATH adds directories%s)",
		    what, spec, list, *sub ? "runtime" : "profile", *sub ? ", each with a runtime/ directory" : "");
	return path;
}

/* gp_hw_load: see gp.h; a profile found by name must be named so */
void
gp_hw_load(struct gp_hw *h, const char *spec)
{
	int byname;
	char *path = find(spec, "", &byname);

	load_file(h, path, 0);
	/* found by name: it must be that profile */
	if (byname && strcmp(h->name, spec))
		gp_die("%s: the profile is named '%s', not '%s'", path, h->name, spec);
	free(path);
}

/* gp_hw_load_runtime: see gp.h; a runtime found by name must be named so,
 * and run on the kind of chip h is */
void
gp_hw_load_runtime(struct gp_hw *h, const char *spec)
{
	int byname;
	char *path = find(spec, "runtime/", &byname);

	load_file(h, path, 1);
	if (byname && strcmp(h->rt->name, spec))
		gp_die("%s: the runtime is named '%s', not '%s'", path, h->rt->name, spec);
	if (h->kind && strcmp(h->rt->runs_on, "any") && strcmp(h->rt->runs_on, h->kind))
		gp_die("%s: %s runs on a %s, and %s is a %s", path, h->rt->name, h->rt->runs_on, h->name,
		    h->kind);
	free(path);
}

/* by name: the file names less ".yaml" */
static int
cmp_base(const void *a, const void *b)
{
	const char *x = strrchr(*(char *const *)a, '/') + 1, *y = strrchr(*(char *const *)b, '/') + 1;
	size_t nx = strlen(x) - 5, ny = strlen(y) - 5;
	int c = strncmp(x, y, nx < ny ? nx : ny);

	return c ? c : (nx > ny) - (nx < ny);
}

/* the .yaml files of the directories in all ("a:b:c", freed), one per name, sorted */
static int
list_in(char *all, char ***out)
{
	char *d, *save = NULL;
	char **v = NULL;
	int n = 0, cap = 0, i, k;

	for (d = strtok_r(all, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		DIR *dir = opendir(d);
		struct dirent *e;

		if (!dir)
			continue;
		while ((e = readdir(dir))) {
			size_t l = strlen(e->d_name);

			if (l <= 5 || strcmp(e->d_name + l - 5, ".yaml") || e->d_name[0] == '.')
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 32;
				v = gp_xreallocarray(v, (size_t)cap, sizeof *v);
			}
			v[n] = gp_xmalloc(strlen(d) + l + 2);
			sprintf(v[n++], "%s/%s", d, e->d_name);
		}
		closedir(dir);
	}
	free(all);
	/* one per name: the first directory wins */
	for (i = 0, k = 0; i < n; i++) {
		int j, dup = 0;
		const char *bi = strrchr(v[i], '/') + 1;

		for (j = 0; j < k && !dup; j++)
			dup = !strcmp(strrchr(v[j], '/') + 1, bi);
		if (dup)
			free(v[i]);
		else
			v[k++] = v[i];
	}
	n = k;
	qsort(v, (size_t)n, sizeof *v, cmp_base);
	*out = v;
	return n;
}

/* gp_hw_list, gp_hw_list_runtimes: see gp.h */
int
gp_hw_list(char ***out)
{
	return list_in(dirs(), out);
}

int
gp_hw_list_runtimes(char ***out)
{
	char *all = dirs(), *d, *save = NULL;
	struct gp_buf b = {0};

	/* the runtime/ directory of every profile directory, in the same order */
	for (d = strtok_r(all, ":", &save); d; d = strtok_r(NULL, ":", &save))
		gp_buf_printf(&b, "%s%s/runtime", b.len ? ":" : "", d);
	free(all);
	return list_in(b.buf ? b.buf : gp_xstrdup(""), out);
}
