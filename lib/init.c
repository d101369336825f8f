/* init.c - what every gp program does first (gp_init) */
#include <malloc.h>
#include <string.h>

#include "gp.h"

/* gp_init names the program after argv[0]'s last component, for its
 * messages (err.c). gp never calls setlocale, so numbers are always read
 * and written in the C locale.
 *
 * It also sets the allocator's policy for a program that lives for one
 * stream: blocks up to the largest threshold glibc allows (32 MiB) come
 * from the heap, and what is freed stays there for the next allocation
 * instead of going back to the kernel. A filter frees arrays of a row a
 * record and then allocates others of the same size; handed back and asked
 * for again, each page would be faulted in and zeroed by the kernel a
 * second time (on make bench's million-node chain, gp-concur's page faults
 * fall from 130k to 106k). Where mallopt is not glibc's, none of this is
 * done. */
void
gp_init(char **argv)
{
	const char *p;

#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
	if (argv[0] && *argv[0]) {
		p = strrchr(argv[0], '/');
		gp_prog = p ? p + 1 : argv[0];
		argv[0] = (char *)gp_prog;      /* getopt's messages name it too */
	}
}
