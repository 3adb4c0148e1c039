/* Log lines: lower-case, what failed first, subject quoted, no full stop.
 * Messages are sanitized (control characters replaced) before they are written. */
#ifndef FQ_LOG_H
#define FQ_LOG_H

enum fq_log_level { FQ_LOG_DEBUG, FQ_LOG_INFO, FQ_LOG_WARN, FQ_LOG_ERROR };

void fq_log_set_level(enum fq_log_level level);
void fq_log(enum fq_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define fq_log_debug(...) fq_log(FQ_LOG_DEBUG, __VA_ARGS__)
#define fq_log_info(...) fq_log(FQ_LOG_INFO, __VA_ARGS__)
#define fq_log_warn(...) fq_log(FQ_LOG_WARN, __VA_ARGS__)
#define fq_log_error(...) fq_log(FQ_LOG_ERROR, __VA_ARGS__)

#endif
