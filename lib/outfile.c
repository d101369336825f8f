/* outfile.c - a file written whole or not at all: checked first, written to a
 * temporary beside its target, renamed over it, removed on a signal */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gp.h"

/* The one temporary file held at a time, and the child writing it, for the
 * signal handler: it may only read these and call async-signal-safe functions. */
static char *volatile live_tmp;
static volatile pid_t live_child;
static void (*prev_cleanup)(void);
static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
static int handlers;

static void
remove_live(void)
{
	if (live_child > 0)
		kill(live_child, SIGTERM);
	if (live_tmp)
		unlink(live_tmp);
}

static void
on_signal(int sig)
{
	remove_live();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* what gp_die does first while a temporary is held */
static void
die_cleanup(void)
{
	remove_live();
	if (prev_cleanup)
		prev_cleanup();
}

/* the file a path names, its symbolic links followed, even to a target that
 * does not exist yet; NULL (errno set) after too many links */
static char *
target(const char *path)
{
	char *cur = gp_xstrdup(path), buf[PATH_MAX];
	struct stat st;
	int hops;

	for (hops = 0; hops < 40; hops++) {
		ssize_t n;
		char *t, *slash;

		if (lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode))
			return cur;
		if ((n = readlink(cur, buf, sizeof buf - 1)) < 0)
			return cur;
		buf[n] = 0;
		if (buf[0] == '/' || !(slash = strrchr(cur, '/'))) {
			t = gp_xstrdup(buf);
		} else {
			t = gp_xmalloc((size_t)(slash - cur) + 2 + (size_t)n);
			memcpy(t, cur, (size_t)(slash - cur) + 1);
			strcpy(t + (slash - cur) + 1, buf);
		}
		free(cur);
		cur = t;
	}
	free(cur);
	errno = ELOOP;
	return NULL;
}

/* the directory of path, as a new string ("." for a bare name) */
static char *
dir_of(const char *path)
{
	const char *s = strrchr(path, '/');
	char *d;

	if (!s)
		return gp_xstrdup(".");
	if (s == path)
		return gp_xstrdup("/");
	d = gp_xmalloc((size_t)(s - path) + 1);
	memcpy(d, path, (size_t)(s - path));
	d[s - path] = 0;
	return d;
}

static void __attribute__((noreturn))
cannot(const char *path, int err)
{
	gp_die("%s: cannot write: %s", path, strerror(err));
}

/* Check that path can be written: its target (symbolic links followed) is not
 * a directory, and the target's directory exists and may be written. Dies
 * "PATH: cannot write: REASON"; returns the target, to free, or NULL when path
 * is a device, a FIFO or a socket (/dev/null, /dev/stdout): that is written
 * in place, never replaced by a file. */
static char *
check(const char *path)
{
	char *t, *d;
	struct stat st;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			cannot(path, EISDIR);
		if (access(path, W_OK) < 0)
			cannot(path, errno);
		return NULL;
	}
	if (!(t = target(path)))
		cannot(path, errno);
	d = dir_of(t);
	if (stat(d, &st) < 0)
		cannot(path, errno);
	if (!S_ISDIR(st.st_mode))
		cannot(path, ENOTDIR);
	if (access(d, W_OK | X_OK) < 0)
		cannot(path, errno);
	free(d);
	return t;
}

void
gp_outfile_check(const char *path)
{
	free(check(path));
}

int
gp_outfile_open(struct gp_outfile *o, const char *path)
{
	struct stat st;
	sigset_t block, old;
	int i, fd = -1, err = 0;

	memset(o, 0, sizeof *o);
	o->path = path;
	if (!(o->target = check(path))) {
		if ((fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)) < 0)
			cannot(path, errno);
		return o->fd = fd;
	}
	o->tmp = gp_xmalloc(strlen(o->target) + 48);
	if (!handlers) {
		for (i = 0; i < (int)(sizeof sigs / sizeof *sigs); i++) {
			struct sigaction sa, cur;

			/* a signal the caller ignores (nohup) stays ignored */
			if (sigaction(sigs[i], NULL, &cur) == 0 && cur.sa_handler == SIG_IGN)
				continue;
			memset(&sa, 0, sizeof sa);
			sa.sa_handler = on_signal;
			sigemptyset(&sa.sa_mask);
			sigaction(sigs[i], &sa, NULL);
		}
		handlers = 1;
	}
	/* no signal between creating the temporary and recording it */
	sigemptyset(&block);
	for (i = 0; i < (int)(sizeof sigs / sizeof *sigs); i++)
		sigaddset(&block, sigs[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	for (i = 0; i < 100 && fd < 0; i++) {
		if (i == 0)
			sprintf(o->tmp, "%s.tmp.%ld", o->target, (long)getpid());
		else
			sprintf(o->tmp, "%s.tmp.%ld.%d", o->target, (long)getpid(), i);
		fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		err = errno;
		if (fd < 0 && err != EEXIST)
			break;
	}
	if (fd >= 0) {
		live_tmp = o->tmp;
		prev_cleanup = gp_die_cleanup;
		gp_die_cleanup = die_cleanup;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (fd < 0)
		cannot(path, err);
	/* a file replaced keeps its permissions */
	if (stat(o->target, &st) == 0)
		fchmod(fd, st.st_mode & 07777);
	o->fd = fd;
	return fd;
}

void
gp_outfile_child(long pid)
{
	live_child = (pid_t)pid;
}

/* forget the temporary: it is renamed or removed */
static void
drop(struct gp_outfile *o)
{
	sigset_t block, old;
	int i;

	sigemptyset(&block);
	for (i = 0; i < (int)(sizeof sigs / sizeof *sigs); i++)
		sigaddset(&block, sigs[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	live_tmp = NULL;
	live_child = 0;
	gp_die_cleanup = prev_cleanup;
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(o->tmp);
	free(o->target);
	o->tmp = o->target = NULL;
	o->fd = -1;
}

void
gp_outfile_write(struct gp_outfile *o, const void *p, size_t n)
{
	const char *s = p;

	while (n > 0) {
		ssize_t w = write(o->fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			cannot(o->path, errno);
		s += w;
		n -= (size_t)w;
	}
}

void
gp_outfile_commit(struct gp_outfile *o)
{
	int err;

	if (!o->tmp) {
		if (close(o->fd) < 0)
			cannot(o->path, errno);
		o->fd = -1;
		return;
	}
	if (fsync(o->fd) < 0 && errno != EINVAL && errno != EROFS) {
		err = errno;
		close(o->fd);
		cannot(o->path, err);
	}
	if (close(o->fd) < 0)
		cannot(o->path, errno);
	o->fd = -1;
	if (rename(o->tmp, o->target) < 0)
		cannot(o->path, errno);
	drop(o);
}

void
gp_outfile_abort(struct gp_outfile *o)
{
	if (o->fd >= 0)
		close(o->fd);
	if (!o->tmp) {
		o->fd = -1;
		return;
	}
	unlink(o->tmp);
	drop(o);
}

void
gp_outfile_save(const char *path, const void *p, size_t n)
{
	struct gp_outfile o;

	gp_outfile_open(&o, path);
	gp_outfile_write(&o, p, n);
	gp_outfile_commit(&o);
}
