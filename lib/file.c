/* file.c - a whole input file in memory: mapped when it is a regular file,
 * read when it is a pipe, so that a loader's memory does not grow with the
 * weights it never reads */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gp.h"

/* gp_file_open maps path, or reads it whole when it cannot be mapped
 * (standard input as "-", a pipe, an empty file); dies naming path on any
 * error. */
void
gp_file_open(struct gp_file *f, const char *path)
{
	struct stat st;
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY);
	struct gp_buf b = {0};
	ssize_t k;

	memset(f, 0, sizeof *f);
	if (fd < 0)
		gp_die("%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0)
		gp_die("%s: cannot stat: %s", path, strerror(errno));
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
		gp_buf_grow(&b, 1 << 16);
		k = read(fd, b.buf + b.len, b.cap - b.len - 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			gp_die("%s: read error: %s", path, strerror(errno));
		if (k == 0)
			break;
		b.len += (size_t)k;
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
