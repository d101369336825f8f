/* err.c - the one error path of every gp program */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gp.h"

const char *gp_prog = "gp";
void (*gp_die_hook)(void);
void (*gp_die_cleanup)(void);

/* gp_init names the program after argv[0]'s last component. gp never calls
 * setlocale, so numbers are always read and written in the C locale. */
void
gp_init(char **argv)
{
	const char *p;

	if (argv[0] && *argv[0]) {
		p = strrchr(argv[0], '/');
		gp_prog = p ? p + 1 : argv[0];
		argv[0] = (char *)gp_prog;      /* getopt's messages name it too */
	}
}

static void
vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", gp_prog, prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* gp_die ends the program with _exit, not exit: whatever stdout still holds
 * is a partial result and must not reach the next filter, and the memory the
 * dying program holds is the kernel's to free. */
void
gp_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	fflush(stderr);
	if (gp_die_cleanup)
		gp_die_cleanup();
	if (gp_die_hook)
		gp_die_hook();          /* a fuzz harness: it does not return */
	_exit(GP_EXIT_FAIL);
}

void
gp_die_usage(const char *usage)
{
	fprintf(stderr, "usage: %s %s\n", gp_prog, usage);
	exit(GP_EXIT_USAGE);
}

void
gp_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

/* gp_close_stdout flushes and closes stdout, so that a full disk or a closed
 * pipe is an error exit rather than silently truncated output. */
int
gp_close_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0)
		gp_die("write error on stdout: %s", strerror(errno));
	return GP_EXIT_OK;
}
