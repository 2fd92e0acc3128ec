/* blocklist.c - block-list entries: CIDR text, host bits, protobuf
 * encoding of deltas and snapshots, decoding of one entry. */
#include "common/blocklist.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <pb_encode.h>

#include "common/cidr.h"
#include "common/pbfield.h"

size_t blocklist_addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

void blocklist_clear_host_bits(struct blocklist_entry *e)
{
	unsigned bits = (unsigned)blocklist_addr_len(e->family) * 8;

	/* and every byte past the family's address */
	cidr_clear_host_bits(e->addr, e->prefix_len < bits ? e->prefix_len : bits);
}

int blocklist_entry_from_pb(const sidewatch_BlockEntry *p, struct blocklist_entry *e)
{
	memset(e, 0, sizeof(*e));
	if (p->addr.size == 4)
		e->family = AF_INET;
	else if (p->addr.size == 16)
		e->family = AF_INET6;
	else if (p->addr.size != 0)
		return -EBADMSG;
	if (p->prefix_len > blocklist_addr_len(e->family) * 8)
		return -EBADMSG;
	memcpy(e->addr, p->addr.bytes, p->addr.size);
	e->prefix_len = (uint8_t)(e->family ? p->prefix_len : 0);
	blocklist_clear_host_bits(e);
	if (p->identity.size >= sizeof(e->identity) ||
	    memchr(p->identity.bytes, 0, p->identity.size))
		return -EBADMSG;
	memcpy(e->identity, p->identity.bytes, p->identity.size);
	if (!e->family && !e->identity[0])
		return -EBADMSG; /* no subject */
	pbfield_str(e->rule, sizeof(e->rule), p->rule);
	e->expires_us = p->expires_us;
	return 0;
}

static void entry_to_pb(const struct blocklist_entry *e, sidewatch_BlockEntry *p)
{
	size_t n = blocklist_addr_len(e->family);

	memset(p, 0, sizeof(*p));
	memcpy(p->addr.bytes, e->addr, n);
	p->addr.size = (pb_size_t)n;
	p->prefix_len = n ? e->prefix_len : 0;
	pbfield_bytes(p->identity.bytes, &p->identity.size, sizeof(p->identity.bytes),
		     e->identity, strnlen(e->identity, sizeof(e->identity)));
	pbfield_str(p->rule, sizeof(p->rule), e->rule);
	p->expires_us = e->expires_us;
}

struct earr {
	const struct blocklist_entry *v;          /* either an array ... */
	const struct blocklist_entry *const *pv;  /* ... or pointers */
	size_t n;
};

static bool enc_entries(pb_ostream_t *os, const pb_field_t *f, void *const *arg)
{
	const struct earr *a = *arg;
	sidewatch_BlockEntry p;
	size_t i;

	for (i = 0; i < a->n; i++) {
		entry_to_pb(a->v ? &a->v[i] : a->pv[i], &p);
		if (!pb_encode_tag_for_field(os, f) ||
		    !pb_encode_submessage(os, sidewatch_BlockEntry_fields, &p))
			return false;
	}
	return true;
}

size_t blocklist_msg_bound(size_t n)
{
	return 64 + n * (sidewatch_BlockEntry_size + 8);
}

int blocklist_encode_delta(void *buf, size_t cap, size_t *len, uint64_t from,
			  uint64_t to, const struct blocklist_entry *add,
			  size_t nadd, const struct blocklist_entry *del,
			  size_t ndel)
{
	sidewatch_BlockDelta m = sidewatch_BlockDelta_init_zero;
	struct earr a = { .v = add, .n = nadd }, d = { .v = del, .n = ndel };
	pb_ostream_t os;

	if (cap < 1)
		return -ENOSPC;
	((char *)buf)[0] = BLOCKLIST_TOPIC_DELTA[0];
	m.version = sidewatch_Const_PROTO_VERSION;
	m.from_version = from;
	m.to_version = to;
	m.add.funcs.encode = enc_entries;
	m.add.arg = &a;
	m.remove.funcs.encode = enc_entries;
	m.remove.arg = &d;
	os = pb_ostream_from_buffer((pb_byte_t *)buf + 1, cap - 1);
	if (!pb_encode(&os, sidewatch_BlockDelta_fields, &m))
		return -ENOSPC;
	*len = os.bytes_written + 1;
	return 0;
}

int blocklist_encode_snapshot(void *buf, size_t cap, size_t *len,
			     uint64_t version,
			     const struct blocklist_entry *const *e, size_t n)
{
	sidewatch_BlockSnapshot m = sidewatch_BlockSnapshot_init_zero;
	struct earr a = { .pv = e, .n = n };
	pb_ostream_t os;

	if (cap < 1)
		return -ENOSPC;
	((char *)buf)[0] = BLOCKLIST_TAG_SNAPSHOT;
	m.version = sidewatch_Const_PROTO_VERSION;
	m.list_version = version;
	m.entries.funcs.encode = enc_entries;
	m.entries.arg = &a;
	os = pb_ostream_from_buffer((pb_byte_t *)buf + 1, cap - 1);
	if (!pb_encode(&os, sidewatch_BlockSnapshot_fields, &m))
		return -ENOSPC;
	*len = os.bytes_written + 1;
	return 0;
}

int blocklist_parse_cidr(const char *s, struct blocklist_entry *e)
{
	struct cidr x;
	int rc = cidr_parse(s, &x);

	if (rc)
		return rc;
	e->family = x.family;
	e->prefix_len = x.prefixlen;
	memcpy(e->addr, x.addr, sizeof(e->addr));
	blocklist_clear_host_bits(e);
	return 0;
}

void blocklist_format_cidr(const struct blocklist_entry *e, char *out, size_t cap)
{
	char a[INET6_ADDRSTRLEN];

	if (!e->family || !inet_ntop(e->family, e->addr, a, sizeof(a))) {
		snprintf(out, cap, "%s", "");
		return;
	}
	snprintf(out, cap, "%s/%u", a, e->prefix_len);
}
