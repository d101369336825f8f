/* err.c - the one error path of every gp program */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gp.h"

const char *gp_prog = "gp";
const char *gp_err_src;
void (*gp_die_hook)(void);
void (*gp_die_cleanup)(void);
int gp_warn_off;

/* A message longer than this is cut: a name or a shape in it can be
 * megabytes long, and a message is one line for a person to read. */
#define MSG_MAX 4096

/* vmsg writes "PROG: PREFIXmessage" as one line, the message cut after
 * MSG_MAX bytes (at a UTF-8 character's start) with the length it had. It
 * allocates nothing: it reports running out of memory too. */
static void
vmsg(const char *prefix, const char *fmt, va_list ap)
{
	char m[MSG_MAX + 1];
	int n = vsnprintf(m, sizeof m, fmt, ap);
	size_t k = MSG_MAX;

	if (n < 0)
		n = snprintf(m, sizeof m, "(cannot format the message '%.100s')", fmt);
	if ((size_t)n <= MSG_MAX) {
		fprintf(stderr, "%s: %s%s\n", gp_prog, prefix, m);
		return;
	}
	while (k > 0 && ((unsigned char)m[k] & 0xc0) == 0x80)
		k--;
	fprintf(stderr, "%s: %s%.*s... (a message of %d bytes, cut)\n", gp_prog, prefix, (int)k, m, n);
}

static void
msg(const char *prefix, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(prefix, fmt, ap);
	va_end(ap);
}

/* die writes the message, with ": " and strerror(errno) appended when fmt
 * ends in ':' (as sbase's eprintf does), and ends the program with status.
 * It uses _exit, not exit: whatever stdout still holds is a partial result
 * and must not reach the next filter, and the memory the dying program holds
 * is the kernel's to free. */
static void __attribute__((noreturn))
die(int status, const char *fmt, va_list ap)
{
	char m[MSG_MAX + 1];
	size_t n = strlen(fmt);
	int e = errno;

	if (n > 0 && fmt[n - 1] == ':') {
		if (vsnprintf(m, sizeof m, fmt, ap) < 0)
			snprintf(m, sizeof m, "(cannot format the message '%.100s')", fmt);
		msg("", "%s %s", m, strerror(e));
	} else {
		vmsg("", fmt, ap);
	}
	fflush(stderr);
	if (gp_die_cleanup)
		gp_die_cleanup();
	if (gp_die_hook)
		gp_die_hook();          /* a fuzz harness: it does not return */
	_exit(status);
}

void
gp_die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	die(GP_EXIT_FAIL, fmt, ap);
}

void
gp_die_status(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	die(status, fmt, ap);
}

/* gp_die_optval reports an option's bad value, a usage error. */
void
gp_die_optval(const char *opt, const char *val, const char *fmt, ...)
{
	char m[MSG_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(m, sizeof m, fmt, ap) < 0)
		snprintf(m, sizeof m, "valid");
	va_end(ap);
	gp_die_status(GP_EXIT_USAGE, "%s: '%s' is not %s", opt, val, m);
}

void
gp_die_usage(const char *usage)
{
	fprintf(stderr, "usage: %s %s\n", gp_prog, usage);
	exit(GP_EXIT_USAGE);
}

void
gp_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void
gp_warn(const char *fmt, ...)
{
	va_list ap;

	if (gp_warn_off)
		return;
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
		gp_die("write error on stdout:");
	return GP_EXIT_OK;
}
