/* log.h - one levelled logger for every sidewatch program.
 * Lines go to stderr as "LEVEL component: message" or, with log_set_json(1),
 * as one JSON object per line. log_sig() is safe in signal handlers.
 */
#ifndef SW_LOG_H
#define SW_LOG_H

#include <stdarg.h>

enum log_level { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);
void log_set_json(int on);
/* Parse "error|warn|info|debug"; returns -EINVAL when unknown. */
int log_parse_level(const char *s, enum log_level *out);

void log_msg(enum log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level lvl, const char *fmt, va_list ap);
/* Async-signal-safe: a constant string, written with write(2). */
void log_sig(const char *msg);

#define log_err(...)   log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
