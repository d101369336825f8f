/* init.c - what every gp program does first (gp_init) */
#include <string.h>

#include "gp.h"

/* gp_init names the program after argv[0]'s last component, for its
 * messages (err.c). gp never calls setlocale, so numbers are always read
 * and written in the C locale.
 * It also sets the allocator's policy (mem.c, gp_mem_init). */
void
gp_init(char **argv)
{
	const char *p;

	gp_mem_init();
	if (argv[0] && *argv[0]) {
		p = strrchr(argv[0], '/');
		gp_prog = p ? p + 1 : argv[0];
		argv[0] = (char *)gp_prog;      /* getopt's messages name it too */
	}
}
