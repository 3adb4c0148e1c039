/* Log lines to standard error, with a level. */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>

#include "core/str.h"
#include "core/time.h"

static enum fq_log_level log_level = FQ_LOG_INFO;

void fq_log_set_level(enum fq_log_level level)
{
	log_level = level;
}

void fq_log(enum fq_log_level level, const char *fmt, ...)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	char line[2048], when[32];
	va_list ap;

	if (level < log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fq_str_sanitize(line);
	fq_time_format(fq_time_now_ms(), when, sizeof(when));
	/* One write per line so concurrent threads do not interleave. */
	fprintf(stderr, "%s %s %s\n", when, names[level], line);
}
