/* t-stream - test driver for the stream reader and writer
 *
 * t-stream            read a stream on stdin, write it to stdout unchanged
 * t-stream --names    print the decoded name of every tensor, then every node,
 *                     as hex, one a line
 */
#include <string.h>

#include "gp.h"

int
main(int argc, char **argv)
{
	struct gp_stream s;
	const char *types[] = {"tensor", "node"};
	int i, c;
	size_t r;

	gp_init(argv);
	gp_stream_init(&s, "stdin");
	gp_stream_read(&s, stdin);
	if (argc > 1 && strcmp(argv[1], "--names") == 0) {
		for (i = 0; i < 2; i++) {
			struct gp_table *t = gp_table_get(&s, types[i]);

			if (!t || (c = gp_table_col(t, "name")) < 0)
				gp_die("stdin: no %s names", types[i]);
			for (r = 0; r < t->nrow; r++) {
				const char *f = gp_val(t, c, r);
				char *n = gp_unesc(&s.arena, f, strlen(f));
				const unsigned char *p;

				if (!n)
					gp_die("stdin: bad escape in '%s'", f);
				for (p = (const unsigned char *)n; *p; p++)
					printf("%02x", *p);
				putchar('\n');
			}
		}
	} else {
		gp_stream_write(&s, stdout, argc, argv);
	}
	gp_stream_release(&s);
	return gp_close_stdout();
}
