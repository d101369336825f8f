/* file.c - a whole input file in memory: mapped when it is a regular file,
 * read when it is a pipe, so that a loader's memory does not grow with the
 * weights it never reads; and a guard for the mapping of a file that shrinks
 *
 * The one way gp reads a whole file: models (gp-load) and hardware profiles
 * (hw.c). A gp stream is the exception, read by stream.c from a FILE into a
 * buffer it cuts in place; a file is written by outfile.c, whole or not at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gp.h"

#define CHUNK (1 << 16)

/* gp_file_open maps path, or reads it whole when it cannot be mapped
 * (standard input as "-", a pipe, a device, an empty file). What is read is
 * passed to head, when given, after every read, so that input that cannot
 * be a model is refused at its first bytes instead of filling memory (an
 * endless /dev/zero); and no more than max bytes are read. Dies naming path
 * on any error. */
void
gp_file_open(struct gp_file *f, const char *path, gp_file_head_fn *head, void *arg, size_t max)
{
	struct stat st;
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY);
	struct gp_buf b = {0};
	const char *err;
	size_t want;
	ssize_t k;
	char extra;

	memset(f, 0, sizeof *f);
	if (fd < 0)
		gp_die("%s: cannot open:", path);
	if (fstat(fd, &st) < 0)
		gp_die("%s: cannot stat:", path);
	if (S_ISDIR(st.st_mode))
		gp_die("%s: is a directory", path);
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);

		if (m != MAP_FAILED) {
			f->map = m;
			f->p = m;
			f->n = (size_t)st.st_size;
			if (fd)
				close(fd);
			return;
		}
	}
	for (;;) {
		want = max - b.len < CHUNK ? max - b.len : CHUNK;
		gp_buf_grow(&b, want);
		k = want ? read(fd, b.buf + b.len, want) : read(fd, &extra, 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			gp_die("%s: read error:", path);
		if (k == 0)
			break;
		if (!want)
			gp_die("%s: input larger than %zu bytes, the most gp reads from a pipe "
			    "(a larger model maps only from a regular file)", path, max);
		b.len += (size_t)k;
		if (head && (err = head(arg, (const uint8_t *)b.buf, b.len)))
			gp_die("%s: %s", path, err);
	}
	if (fd)
		close(fd);
	f->owned = (uint8_t *)b.buf;
	f->p = f->owned;
	f->n = b.len;
}

void
gp_file_close(struct gp_file *f)
{
	if (f->map)
		munmap(f->map, f->n);
	free(f->owned);
	memset(f, 0, sizeof *f);
}

/* A mapped file that shrinks while it is read: reading a page past its new
 * end raises SIGBUS, which gp_file_guard turns into an error. */
static sigjmp_buf bus_env;
static uintptr_t bus_lo, bus_hi;

static void
on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	uintptr_t a = (uintptr_t)si->si_addr;

	(void)ctx;
	if (a >= bus_lo && a < bus_hi)
		siglongjmp(bus_env, 1);
	signal(sig, SIG_DFL);   /* not ours: the access faults again, with the default action */
}

/* gp_file_guard runs fn(arg), which reads f's bytes; a fault in f's mapping
 * dies "PATH: file changed while being read" instead of killing the program. */
void
gp_file_guard(struct gp_file *f, const char *path, void (*fn)(void *), void *arg)
{
	struct sigaction sa, old;
	void (*cleanup)(void) = gp_die_cleanup;

	if (!f->map) {
		fn(arg);
		return;
	}
	bus_lo = (uintptr_t)f->p;
	bus_hi = bus_lo + f->n;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &old) < 0)
		gp_die("%s: cannot catch SIGBUS:", path);
	if (sigsetjmp(bus_env, 1)) {
		/* what fn registered to free lived in the frames just left */
		gp_die_cleanup = cleanup;
		sigaction(SIGBUS, &old, NULL);
		gp_die("%s: file changed while being read", path);
	}
	fn(arg);
	sigaction(SIGBUS, &old, NULL);
}
