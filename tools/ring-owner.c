/* ring-owner - which shard of a ring (common/ring.h) owns an address.
 *
 *   ring-owner RING ADDR   print the owner's name and endpoint
 *   ring-owner RING -      read lines "ADDR [anything]" from stdin, print
 *                          one owner name a line (the rest of a line,
 *                          e.g. an identity, is ignored: it never keys)
 *
 *   ring-owner RING --endpoint AUTHORITY PATH
 *                          the owner of an endpoint's key (projkey.h:
 *                          where its projections go)
 *   ring-owner RING --identity ID
 *                          the owner of an identity's key
 *
 * ADDR is an IPv4 or IPv6 address (its /24 or /48 is the whole key).
 * Exit codes: 0 done, 1 a bad address (stdin mode: the line is named and
 * the rest still read), 2 bad usage or ring. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "common/projkey.h"
#include "common/ring.h"
#include "common/textesc.h"

/* The owner of the address addr in *o; -1 when it is not one. */
static int owner_of(const struct ring *r, const char *addr, size_t *o)
{
	uint8_t ip[16];
	size_t len = 4;

	if (inet_pton(AF_INET, addr, ip) != 1) {
		if (inet_pton(AF_INET6, addr, ip) != 1)
			return -1;
		len = 16;
	}
	*o = ring_owner(r, ring_key(ip, len));
	return 0;
}

static int from_stdin(const struct ring *r)
{
	char line[512], esc[80];
	unsigned long no = 0;
	int rc = 0;

	while (fgets(line, sizeof(line), stdin)) {
		char *addr, *save = NULL;
		size_t o;

		no++;
		line[strcspn(line, "\r\n")] = '\0';
		addr = strtok_r(line, " \t", &save);
		if (!addr || owner_of(r, addr, &o)) {
			tx_printable(esc, sizeof(esc), line, strlen(line));
			fprintf(stderr, "ring-owner: line %lu: not an address: '%s'\n", no, esc);
			puts("-");
			rc = 1;
			continue;
		}
		puts(ring_shard_name(r, o));
	}
	return rc;
}

int main(int argc, char **argv)
{
	char err[512], esc[80];
	struct ring *r;
	size_t o;
	int rc = 0;

	if (argc != 3 && !(argc == 4 && !strcmp(argv[2], "--identity")) &&
	    !(argc == 5 && !strcmp(argv[2], "--endpoint"))) {
		fprintf(stderr, "usage: ring-owner RING ADDR | ring-owner RING - | "
			"ring-owner RING --endpoint AUTHORITY PATH | "
			"ring-owner RING --identity ID\n");
		return 2;
	}
	r = ring_load(argv[1], err, sizeof(err));
	if (!r) {
		fprintf(stderr, "ring-owner: %s\n", err);
		return 2;
	}
	if (argc > 3) {
		o = ring_owner(r, argc == 5 ? projkey_endpoint(argv[3], strlen(argv[3]),
							       argv[4], strlen(argv[4]))
					    : projkey_identity(argv[3], strlen(argv[3])));
		printf("%s %s\n", ring_shard_name(r, o), ring_shard_endpoint(r, o));
	} else if (!strcmp(argv[2], "-")) {
		rc = from_stdin(r);
	} else if (owner_of(r, argv[2], &o)) {
		tx_printable(esc, sizeof(esc), argv[2], strlen(argv[2]));
		fprintf(stderr, "ring-owner: not an address: '%s'\n", esc);
		rc = 1;
	} else {
		printf("%s %s\n", ring_shard_name(r, o), ring_shard_endpoint(r, o));
	}
	ring_free(r);
	return rc;
}
