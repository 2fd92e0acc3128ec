/* invcheck.c - an EndpointSummary's rules; see invcheck.h. */
#include "correlator/invcheck.h"

#include <errno.h>
#include <string.h>

#define PG_EPOCH_US 946684800000000ull /* 2000-01-01, as ingest.c */
#define DAY_US 86400000000ull

static const char *const wheres[] = { "path", "query", "form", "json" };

/* [a-z0-9_]+, the collector's enum names */
static int plain_name(const char *s, size_t cap)
{
	size_t i, n = strnlen(s, cap);

	if (!n || n == cap)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_'))
			return 0;
	return 1;
}

static int known_where(const char *w, size_t cap)
{
	size_t i;

	for (i = 0; i < sizeof(wheres) / sizeof(wheres[0]); i++)
		if (strncmp(w, wheres[i], cap) == 0)
			return 1;
	return 0;
}

/* No honest count comes near 2^48 (a million calls a second for nine
 * years); clamping there keeps the merge's sums over incarnations and hosts
 * inside bigint, so one forged summary cannot make every later merge of
 * its endpoint fail. */
#define INVCHECK_MAX_COUNT (1ull << 48)

static void clamp(uint64_t *v)
{
	if (*v > INVCHECK_MAX_COUNT)
		*v = INVCHECK_MAX_COUNT;
}

static void clamp_counts(sidewatch_EndpointSummary *e)
{
	size_t i;

	clamp(&e->calls);
	clamp(&e->ok);
	clamp(&e->ok_no_auth);
	clamp(&e->jwt_exp);
	clamp(&e->jwt_no_exp);
	clamp(&e->jwt_none_ok);
	clamp(&e->jwt_no_exp_ok);
	clamp(&e->tls_calls);
	clamp(&e->params_dropped);
	for (i = 0; i < e->status_count; i++)
		clamp(&e->status[i]);
	for (i = 0; i < e->auth_count; i++)
		clamp(&e->auth[i].count);
	for (i = 0; i < e->data_count; i++)
		clamp(&e->data[i].count);
	for (i = 0; i < e->params_count; i++)
		clamp(&e->params[i].seen);
	if (e->ok_no_auth > e->ok)
		e->ok_no_auth = e->ok;
}

/* One authority, one spelling: host names are case-insensitive, "a." is
 * "a", and ":80"/":443" name the default port. Without this each variant
 * was an authority of its own, with a quota of its own (sql/005). */
static void canon_authority(uint8_t *a, pb_size_t *len)
{
	size_t i, n = *len, host = n;

	for (i = 0; i < n; i++)
		if (a[i] >= 'A' && a[i] <= 'Z')
			a[i] = (uint8_t)(a[i] - 'A' + 'a');
	/* the port follows the last ':' unless it is inside an IPv6 literal */
	for (i = n; i > 0; i--) {
		if (a[i - 1] == ']')
			break;
		if (a[i - 1] == ':') {
			host = i - 1;
			break;
		}
	}
	if (host < n && ((n - host == 3 && !memcmp(a + host, ":80", 3)) ||
			 (n - host == 4 && !memcmp(a + host, ":443", 4))))
		n = host;
	if (host > n)
		host = n;
	if (host > 1 && a[host - 1] == '.') {
		memmove(a + host - 1, a + host, n - host);
		host--;
		n--;
	}
	*len = (pb_size_t)n;
}

int invcheck_summary(sidewatch_EndpointSummary *e, uint64_t recv_us)
{
	size_t i, j;

	if (!e->version || !e->gen_us || !e->tmpl.size || !e->method.size ||
	    (unsigned)e->proto > sidewatch_Proto_PROTO_WEBSOCKET)
		return -EPROTO;
	for (i = 0; i < e->auth_count; i++)
		if (!plain_name(e->auth[i].name, sizeof(e->auth[i].name)))
			return -EPROTO;
	for (i = 0; i < e->data_count; i++)
		if (!plain_name(e->data[i].name, sizeof(e->data[i].name)))
			return -EPROTO;
	/* a parameter without a name (a key that began with NUL) or of an
	 * unknown place is dropped alone: one crafted request must not hide
	 * its whole endpoint from the inventory */
	for (i = 0, j = 0; i < e->params_count; i++) {
		if (!known_where(e->params[i].where, sizeof(e->params[i].where)) ||
		    !e->params[i].name.size) {
			e->params_dropped++;
			continue;
		}
		if (j != i)
			e->params[j] = e->params[i];
		j++;
	}
	e->params_count = (pb_size_t)j;
	canon_authority(e->authority.bytes, &e->authority.size);
	clamp_counts(e);
	if (e->last_us < PG_EPOCH_US || e->last_us > recv_us + DAY_US)
		e->last_us = recv_us;
	if (e->first_us < PG_EPOCH_US || e->first_us > e->last_us)
		e->first_us = e->last_us;
	return 0;
}
