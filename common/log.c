/* log.c - levelled logger. */
#include "common/log.h"
#include "common/json.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static enum log_level cur_level = LOG_INFO;
static int as_json;
static const char *const level_names[] = { "error", "warn", "info", "debug" };

void log_set_level(enum log_level lvl) { cur_level = lvl; }
enum log_level log_get_level(void) { return cur_level; }
void log_set_json(int on) { as_json = on; }

int log_parse_level(const char *s, enum log_level *out)
{
	for (int i = 0; i <= LOG_DEBUG; i++) {
		if (strcasecmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

void log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
{
	char msg[1024];
	int saved = errno;

	if (lvl > cur_level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (as_json) {
		char line[2300];
		char ts[40];
		struct json_buf jb;
		struct timeval tv;

		gettimeofday(&tv, NULL);
		json_rfc3339(ts, sizeof(ts), (uint64_t)tv.tv_sec * 1000000000ull +
						     (uint64_t)tv.tv_usec * 1000ull);
		json_init(&jb, line, sizeof(line));
		json_obj_open(&jb);
		json_kv_str(&jb, "ts", ts);
		json_kv_str(&jb, "level", level_names[lvl]);
		json_kv_str(&jb, "msg", msg);
		json_obj_close(&jb);
		fprintf(stderr, "%s\n", json_str(&jb));
	} else {
		fprintf(stderr, "%-5s %s\n", level_names[lvl], msg);
	}
	errno = saved;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(lvl, fmt, ap);
	va_end(ap);
}

void log_sig(const char *msg)
{
	ssize_t r = write(STDERR_FILENO, msg, strlen(msg));
	(void)r;
}
