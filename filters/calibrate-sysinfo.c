/* calibrate-sysinfo.c - what the system says: /proc/cpuinfo, /proc/meminfo, the caches in /sys */
#define _GNU_SOURCE             /* as gp-calibrate.c: the same declarations in every file */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "calibrate.h"

/* ---- what the system says ---- */

/* The first line of a file, without its newline; 0, or -1 if unreadable. */
int
read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Copy s to out (size bytes) with runs of white space made one space and trimmed. */
static void
squeeze(char *out, size_t size, const char *s)
{
	size_t n = 0;

	for (; *s && n + 1 < size; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			if (n > 0 && out[n - 1] != ' ')
				out[n++] = ' ';
		} else if ((unsigned char)*s >= 0x20 && *s != 0x7f) {
			out[n++] = *s;
		}
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
}

/* Read cpu0's block of /proc/cpuinfo: model name, vendor, clock. */
static void
read_cpuinfo(struct info *in)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char *line = NULL, *colon;
	size_t cap = 0;
	ssize_t len;

	if (!f)
		return;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[0] == '\n')
			break;                  /* the end of cpu0's block */
		if (!(colon = strchr(line, ':')))
			continue;
		*colon = '\0';
		squeeze(line, (size_t)len + 1, line);
		if (!strcmp(line, "model name") && !in->model[0])
			squeeze(in->model, sizeof in->model, colon + 1);
		else if (!strcmp(line, "vendor_id") && !in->vendor[0])
			squeeze(in->vendor, sizeof in->vendor, colon + 1);
		else if (!strcmp(line, "cpu MHz") && in->clock_hz <= 0) {
			char *e;
			double v = strtod(colon + 1, &e);

			if (e != colon + 1 && isfinite(v) && v > 0)
				in->clock_hz = v * 1e6;
		}
	}
	free(line);
	fclose(f);
}

/* The CPUs in a list such as "0-3,8-11"; 0 if it is not one. */
static int
count_cpus(const char *s)
{
	long a, b;
	char *e;
	int n = 0;

	while (*s) {
		a = strtol(s, &e, 10);
		if (e == s || a < 0)
			return 0;
		b = a;
		if (*e == '-') {
			s = e + 1;
			b = strtol(s, &e, 10);
			if (e == s || b < a)
				return 0;
		}
		n += (int)(b - a + 1);
		if (*e == ',')
			e++;
		else if (*e)
			return 0;
		s = e;
	}
	return n;
}

/* Cache sizes from /sys (the kernel's reading of the CPU), else sysconf. */
static void
read_caches(struct info *in)
{
	static const int sc[NLEVEL] = {_SC_LEVEL1_DCACHE_SIZE, _SC_LEVEL2_CACHE_SIZE, _SC_LEVEL3_CACHE_SIZE};
	char path[128], buf[256], *e;
	int i, lvl;
	long long v;
	long s;

	for (i = 0; i < 16; i++) {
		snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", i);
		if (read_line(path, buf, sizeof buf) < 0)
			break;
		lvl = atoi(buf);
		if (lvl < 1 || lvl > NLEVEL)
			continue;
		snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/type", i);
		if (read_line(path, buf, sizeof buf) < 0 || !strcmp(buf, "Instruction"))
			continue;
		snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
		if (read_line(path, buf, sizeof buf) < 0)
			continue;
		v = strtoll(buf, &e, 10);
		if (e == buf || v <= 0)
			continue;
		if (*e == 'K')
			v <<= 10;
		else if (*e == 'M')
			v <<= 20;
		else if (*e == 'G')
			v <<= 30;
		in->c[lvl - 1].size = v;
		in->c[lvl - 1].from_sys = 1;
		snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/shared_cpu_list", i);
		if (read_line(path, buf, sizeof buf) == 0)
			in->c[lvl - 1].shared = count_cpus(buf);
	}
	for (i = 0; i < NLEVEL; i++)
		if (in->c[i].size <= 0 && (s = sysconf(sc[i])) > 0)
			in->c[i].size = s;
}

void
read_info(struct info *in)
{
	char buf[256], *e;
	FILE *f;
	cpu_set_t set;
	long n;
	double v;

	memset(in, 0, sizeof *in);
	read_cpuinfo(in);
	in->clock_src = "/proc/cpuinfo \"cpu MHz\" of cpu0";
	/* intel_pstate knows the nominal clock; "cpu MHz" is the current one there */
	if (read_line("/sys/devices/system/cpu/cpu0/cpufreq/base_frequency", buf, sizeof buf) == 0 &&
	    (v = strtod(buf, &e)) > 0 && e != buf) {
		in->clock_hz = v * 1e3;
		in->clock_src = "/sys/devices/system/cpu/cpu0/cpufreq/base_frequency";
	} else if (in->clock_hz <= 0 &&
	    read_line("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", buf, sizeof buf) == 0 &&
	    (v = strtod(buf, &e)) > 0 && e != buf) {
		in->clock_hz = v * 1e3;
		in->clock_src = "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq";
	}
	if ((f = fopen("/proc/meminfo", "r"))) {
		while (fgets(buf, sizeof buf, f))
			if (!strncmp(buf, "MemTotal:", 9)) {
				in->memtotal = strtoll(buf + 9, &e, 10) * 1024;
				break;
			}
		fclose(f);
	}
	read_caches(in);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	in->ncpu = n > 0 ? (int)n : 1;
	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0 && CPU_COUNT(&set) < in->ncpu)
		in->ncpu = CPU_COUNT(&set);
}

/* Instances of cache level i that nthr threads spread over the CPUs use. */
long long
instances(const struct cache *c, int level, int nthr)
{
	if (c->shared > 0)
		return (nthr + c->shared - 1) / c->shared;
	return level < 2 ? nthr : 1;
}
