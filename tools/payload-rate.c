/* tools/payload-rate.c - how many lines of a table the payload detectors
 * flag, one value a line as it would arrive in a query parameter
 * (payload_scan at PAYLOAD_WHERE_QUERY, as the unit tests' tables are
 * judged), and also as a whole query string "q=<line>" (payload_scan_query)
 * and as a JSON string value. Prints, per file, the lines flagged as KIND,
 * as any kind, and with -v each line missed (or, for KIND "none", each
 * line flagged, with the reason):
 *   cc -O1 -I. tools/payload-rate.c build/libcollector.a build/libcommon.a -o build/payload-rate
 *   build/payload-rate [-v] [-q] KIND FILE...
 * -q: each line is a whole query string, judged by payload_scan_query;
 * -p: each line is a request path, judged at PAYLOAD_WHERE_PATH.
 * KIND is a payload_kind_names entry ("sqli", "xss", ...) or "none" for a
 * benign table. Lines up to 64 KiB; the cache of findings is off. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "collector/detect/payload.h"

static int has(const struct payload_match *m, int n, int kind)
{
	for (int i = 0; i < n; i++)
		if (kind < 0 || (int)m[i].kind == kind)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct payload_match m[PAYLOAD__COUNT];
	int verbose = 0, kind = -2, a = 1, wholeq = 0;
	unsigned where = PAYLOAD_WHERE_QUERY;
	static char line[65536], q[65536 + 8];

	for (; a < argc && argv[a][0] == '-'; a++) {
		verbose |= !strcmp(argv[a], "-v");
		wholeq |= !strcmp(argv[a], "-q");
		if (!strcmp(argv[a], "-p"))
			where = PAYLOAD_WHERE_PATH;
	}
	if (argc < a + 2) {
		fprintf(stderr, "usage: %s [-v] KIND FILE...\n", argv[0]);
		return 2;
	}
	for (int k = 0; k < PAYLOAD__COUNT; k++)
		if (!strcmp(argv[a], payload_kind_names[k]))
			kind = k;
	if (kind == -2) {
		fprintf(stderr, "unknown kind %s\n", argv[a]);
		return 2;
	}
	payload_cache_enable(0);
	for (int f = a + 1; f < argc; f++) {
		FILE *fp = fopen(argv[f], "r");
		long total = 0, hit = 0, any = 0, qhit = 0;

		if (!fp) {
			perror(argv[f]);
			return 1;
		}
		while (fgets(line, sizeof(line), fp)) {
			size_t l = strcspn(line, "\r\n");
			int n, nq, h;

			if (!l)
				continue;
			line[l] = '\0';
			total++;
			n = wholeq ? payload_scan_query(line, l, PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT) :
				     payload_scan(line, l, where, m, PAYLOAD__COUNT);
			h = kind == PAYLOAD_NONE ? n > 0 : has(m, n, kind);
			hit += h;
			any += n > 0;
			if (verbose && kind != PAYLOAD_NONE && !h)
				printf("  miss: %s\n", line);
			if (verbose && kind == PAYLOAD_NONE && n > 0)
				printf("  flagged [%s %d %s]: %s\n", payload_kind_names[m[0].kind],
				       m[0].score, m[0].why, line);
			snprintf(q, sizeof(q), "q=%s", line);
			nq = payload_scan_query(q, strlen(q), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
			qhit += kind == PAYLOAD_NONE ? nq > 0 : has(m, nq, kind);
		}
		fclose(fp);
		printf("%-48s %s %ld/%ld (%.1f%%), any kind %ld, as q= %ld\n", argv[f],
		       payload_kind_names[kind], hit, total, total ? 100.0 * hit / total : 0.0,
		       any, qhit);
	}
	return 0;
}
