/* t-stream - test driver for the stream reader and writer
 *
 * t-stream            read a stream on stdin, write it to stdout unchanged
 * t-stream --names    print the decoded name of every tensor, then every node,
 *                     as hex, one a line
 * t-stream --ops FILE read a stream on stdin, make the changes FILE lists, one
 *                     a line, through the library's setters, and write it:
 *                       row TYPE               append a row ("." in every column)
 *                       set TYPE COL ROW TEXT  set a field (COL added if new)
 *                       count TYPE COL ROW N   the same with a count (-1: ".")
 */
#include <stdio.h>
#include <stdlib.h>
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
	} else if (argc > 2 && strcmp(argv[1], "--ops") == 0) {
		FILE *f = fopen(argv[2], "r");
		char line[4096], type[64], col[64], text[4096];
		unsigned long long row;
		long long v;
		struct gp_table *t;

		if (!f)
			gp_die("%s:", argv[2]);
		while (fgets(line, sizeof line, f)) {
			if (sscanf(line, "row %63s", type) == 1) {
				if (!(t = gp_table_get(&s, type)))
					gp_die("%s: no table %s", argv[2], type);
				gp_table_addrow(&s, t);
			} else if (sscanf(line, "set %63s %63s %llu %4095s", type, col, &row, text) == 4 ||
			    sscanf(line, "count %63s %63s %llu %lld", type, col, &row, &v) == 4) {
				if (!(t = gp_table_get(&s, type)) || row >= t->nrow)
					gp_die("%s: no row %llu in %s", argv[2], row, type);
				c = gp_table_addcol(&s, t, col);
				if (line[0] == 's')
					gp_table_set(&s, t, c, row, text);
				else
					gp_table_set_count(&s, t, c, row, v);
			} else {
				gp_die("%s: bad line: %s", argv[2], line);
			}
		}
		fclose(f);
		gp_stream_write(&s, stdout, argc, argv);
	} else {
		gp_stream_write(&s, stdout, argc, argv);
	}
	gp_stream_release(&s);
	return gp_close_stdout();
}
