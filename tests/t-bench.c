/* t-bench - run a command N times; print its best and median wall time, its peak RSS and its best CPU time
 *
 * t-bench N [-i FILE] CMD [ARG...]
 *
 * Standard output of the command goes to /dev/null; with -i, standard input
 * comes from FILE. Prints "best_ms<TAB>median_ms<TAB>max_rss_kib<TAB>best_cpu_ms",
 * the CPU time being user + system of the command and its children (on a
 * shared machine it says more than the wall time).
 */
#define _DEFAULT_SOURCE       /* wait4 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gp.h"

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	const char *in = NULL;
	double *ms, cpu, best_cpu = -1;
	long maxrss = 0;
	int64_t n;
	int i, st, a = 2;
	pid_t pid;

	gp_init(argv);
	if (argc < 3 || gp_parse_i64(argv[1], &n) < 0 || n < 1 || n > 10000)
		gp_die_usage("N [-i FILE] CMD [ARG...]");
	if (strcmp(argv[2], "-i") == 0) {
		if (argc < 5)
			gp_die_usage("N [-i FILE] CMD [ARG...]");
		in = argv[3];
		a = 4;
	}
	ms = gp_xcalloc((size_t)n, sizeof *ms);
	for (i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		pid = fork();
		if (pid < 0)
			gp_die("fork failed");
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);

			dup2(fd, 1);
			if (in) {
				fd = open(in, O_RDONLY);
				if (fd < 0)
					_exit(126);
				dup2(fd, 0);
			}
			execvp(argv[a], argv + a);
			_exit(127);
		}
		if (wait4(pid, &st, 0, &ru) < 0)
			gp_die("wait failed");
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			gp_die("'%s' failed (status %d)", argv[a], WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		ms[i] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
		cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
		    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
		if (best_cpu < 0 || cpu < best_cpu)
			best_cpu = cpu;
	}
	qsort(ms, (size_t)n, sizeof *ms, cmp);
	printf("%.2f\t%.2f\t%ld\t%.2f\n", ms[0], ms[n / 2], maxrss, best_cpu);
	free(ms);
	return gp_close_stdout();
}
