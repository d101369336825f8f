/* init.c - what every gp program does first (gp_init) */
#include <malloc.h>
#include <string.h>

#include "gp.h"

/* gp_init names the program after argv[0]'s last component, for its
 * messages (err.c). gp never calls setlocale, so numbers are always read
 * and written in the C locale.
 *
 * It also sets the allocator's policy for a program that lives for one
 * stream. A block of 1 MiB or more gets a mapping of its own: calloc need
 * not zero it, realloc moves it with mremap instead of copying it, and
 * mem.c can ask for it in huge pages. What is freed of the heap stays there
 * for the next allocation instead of going back to the kernel, to be
 * faulted in and zeroed again. Where mallopt is not glibc's, none of this
 * is done. */
void
gp_init(char **argv)
{
	const char *p;

#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
	if (argv[0] && *argv[0]) {
		p = strrchr(argv[0], '/');
		gp_prog = p ? p + 1 : argv[0];
		argv[0] = (char *)gp_prog;      /* getopt's messages name it too */
	}
}
