/* sw_emit_inv.c - scenario -> endpoint table -> uplink; see sw_emit_inv.h. */
#include "tools/sw_emit_inv.h"
#include "common/digit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collector/inventory/endpoint.h"
#include "collector/uplink/uplink_inventory.h"

#define MAX_LINES 4096
#define MAX_LINE 8192
#define NFIELDS 10 /* and an eleventh, optional: a JSON response body */

/* Unescape s in place; returns its new length. */
static size_t unescape(char *s)
{
	size_t i = 0, k = 0;

	if (strcmp(s, "-") == 0) {
		s[0] = '\0';
		return 0;
	}
	while (s[i]) {
		if (s[i] != '\\' || !s[i + 1]) {
			s[k++] = s[i++];
			continue;
		}
		i++;
		switch (s[i]) {
		case 't': s[k++] = '\t'; i++; break;
		case 'n': s[k++] = '\n'; i++; break;
		case 'r': s[k++] = '\r'; i++; break;
		case 'x':
			if (digit_hex((unsigned char)s[i + 1]) >= 0 && digit_hex((unsigned char)s[i + 2]) >= 0) {
				s[k++] = (char)(digit_hex((unsigned char)s[i + 1]) * 16 + digit_hex((unsigned char)s[i + 2]));
				i += 3;
				break;
			}
			/* fallthrough */
		default: s[k++] = s[i++]; break;
		}
	}
	s[k] = '\0';
	return k;
}

static uint64_t now_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void set(char *dst, size_t cap, const char *s, size_t n,
		struct sess_event *ev, uint32_t bit)
{
	dst[0] = '\0';
	sess_append(dst, cap, s, n, ev, bit);
}

/* One scenario line into the table, n times. */
static int play(struct endpoint_table *t, struct sess_event *ev,
		struct sess_conn *c, char *line, uint64_t off)
{
	char *f[NFIELDS + 1], *sp = line, none[] = "-";
	size_t len[NFIELDS + 1];
	unsigned i, n;

	for (i = 0; i < NFIELDS; i++) {
		f[i] = strsep(&sp, "\t");
		if (!f[i])
			return -EINVAL;
	}
	f[NFIELDS] = sp ? strsep(&sp, "\t") : none;
	for (i = 0; i <= NFIELDS; i++)
		len[i] = unescape(f[i]);
	n = (unsigned)strtoul(f[0], NULL, 10);
	if (n > 100000)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		uint64_t lat = strtoull(f[7], NULL, 10) * 1000;
		char *colon = strchr(f[8], ':');

		sess_event_init(ev, SESS_PROTO_HTTP1, c);
		ev->req_ns = now_ns(CLOCK_BOOTTIME);
		ev->resp_ns = ev->req_ns + lat;
		ev->end_ns = ev->resp_ns;
		set(ev->method, sizeof(ev->method), f[1], len[1], ev, SESS_TRUNC_METHOD);
		set(ev->authority, sizeof(ev->authority), f[2], len[2], ev,
		    SESS_TRUNC_AUTHORITY);
		set(ev->path, sizeof(ev->path), f[3], len[3], ev, SESS_TRUNC_PATH);
		set(ev->query, sizeof(ev->query), f[5], len[5], ev, SESS_TRUNC_QUERY);
		ev->status = atoi(f[6]);
		ev->req_bytes = 100 + len[9];
		ev->resp_bytes = 200;
		if (colon) {
			const char *v = colon + 1;

			while (*v == ' ')
				v++;
			sess_add_hdr(ev, f[8], (size_t)(colon - f[8]), v,
				     len[8] - (size_t)(v - f[8]));
		}
		if (len[9])
			sess_add_body(ev, f[9], len[9]);
		if (len[NFIELDS]) {
			sess_resp_hdr(ev, "content-type", 12, "application/json", 16);
			sess_add_resp_body(ev, f[NFIELDS], len[NFIELDS]);
		}
		endpoint_observe(t, ev, f[4], (ev->req_ns + off) / 1000);
	}
	return 0;
}

int sw_emit_inv_run(struct uplink *u, struct sess_conn *c, const char *path,
		    unsigned passes, uint64_t off, unsigned *bad_line)
{
	/* SW_EMIT_INV_MAX: a smaller table, for tests of eviction */
	const char *max = getenv("SW_EMIT_INV_MAX");
	struct endpoint_config cfg = { .max_endpoints = max ? (uint32_t)atoi(max) : 0 };
	struct endpoint_table *t = endpoint_new(&cfg);
	struct sess_event *ev = malloc(sizeof(*ev));
	char *line = malloc(MAX_LINE);
	uint64_t since = 0;
	unsigned pass, no;
	int rc = 0, total = 0;

	*bad_line = 0;
	if (!t || !ev || !line) {
		rc = -ENOMEM;
		goto out;
	}
	for (pass = 0; pass < passes && rc >= 0; pass++) {
		FILE *fp = fopen(path, "re");

		if (!fp) {
			rc = -errno;
			break;
		}
		for (no = 1; no <= MAX_LINES && fgets(line, MAX_LINE, fp); no++) {
			line[strcspn(line, "\n")] = '\0';
			if (!line[0] || line[0] == '#')
				continue;
			if (play(t, ev, c, line, off) < 0) {
				*bad_line = no;
				rc = -EINVAL;
				break;
			}
		}
		fclose(fp);
		if (rc < 0)
			break;
		rc = uplink_inventory_push(u, t, since, &since);
		if (rc > 0)
			total += rc;
		uplink_poll(u, 0);
	}
out:
	endpoint_free(t);
	free(ev);
	free(line);
	return rc < 0 ? rc : total;
}
