/* tools/payload-dump.c - what the payload detectors say about every value of
 * some files, one line per value: each file whole, then each of its lines,
 * scanned by payload_scan at every place (path, query, header, cookie,
 * body) and by payload_scan_query / _json / _xml / _any_header / _cookie,
 * with kind, score and reason of each match. A refactoring of the detectors
 * that changes no behaviour leaves this output byte for byte the same:
 *   make build/payload-dump   (or: cc -O1 -I. tools/payload-dump.c
 *       build/libcollector.a build/libcommon.a -lz -o build/payload-dump)
 *   build/payload-dump FILE... > before.txt
 *   (change, make build/libcollector.a, link again, same FILEs) > after.txt
 *   cmp before.txt after.txt
 * FILEs: every file of tests/data and of ../shared/data/payloads.
 * With -m first, each line is also dumped in five mutated forms (every
 * non-alphanumeric byte as %XX, as %25XX, as &#xXX;, as \uXXXX, and the
 * line upper-cased), so encodings the detectors undo are exercised too.
 * The cache of findings is off: every value is scanned. Files up to 16 MiB;
 * the count of values goes to stderr. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "collector/detect/payload.h"

static long nvals;

static void print_matches(const char *tag, const struct payload_match *m, int n)
{
	printf(" %s:%d", tag, n);
	for (int i = 0; i < n; i++)
		printf(" [%s %d %s]", payload_kind_names[m[i].kind], m[i].score, m[i].why);
}

static void dump_value(const char *v, size_t l)
{
	struct payload_match m[16];

	nvals++;
	printf("%ld", nvals);
	for (unsigned w = PAYLOAD_WHERE_PATH; w <= PAYLOAD_WHERE_BODY; w++) {
		char tag[8];

		snprintf(tag, sizeof(tag), "w%u", w);
		print_matches(tag, m, payload_scan(v, l, w, m, 16));
	}
	print_matches("q", m, payload_scan_query(v, l, PAYLOAD_WHERE_QUERY, m, 16));
	print_matches("j", m, payload_scan_json(v, l, m, 16));
	print_matches("x", m, payload_scan_xml(v, l, m, 16));
	print_matches("h", m, payload_scan_any_header(v, l, m, 16));
	print_matches("c", m, payload_scan_cookie(v, l, m, 16));
	putchar('\n');
}

/* -m: one mutated form of v[0..l) into o (room for 8 * l bytes) */
static size_t mutate(const char *v, size_t l, int how, char *o)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t w = 0;

	for (size_t i = 0; i < l; i++) {
		unsigned char c = (unsigned char)v[i];

		if (how == 4) {
			o[w++] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
			continue;
		}
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
			o[w++] = (char)c;
			continue;
		}
		if (how == 1) {
			memcpy(o + w, "%25", 3);
			w += 3;
		} else if (how == 2) {
			memcpy(o + w, "&#x", 3);
			w += 3;
		} else if (how == 3) {
			memcpy(o + w, "\\u00", 4);
			w += 4;
		} else {
			o[w++] = '%';
		}
		o[w++] = hx[c >> 4];
		o[w++] = hx[c & 15];
		if (how == 2)
			o[w++] = ';';
	}
	return w;
}

int main(int argc, char **argv)
{
	static char buf[1 << 24], mut[1 << 16];
	int mutated = argc > 1 && strcmp(argv[1], "-m") == 0;

	payload_cache_enable(0);
	for (int a = 1 + mutated; a < argc; a++) {
		FILE *f = fopen(argv[a], "r");
		size_t whole;

		if (!f) {
			perror(argv[a]);
			return 1;
		}
		printf("# %s\n", argv[a]);
		whole = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		dump_value(buf, whole);
		for (char *p = buf, *e = buf + whole; p < e;) {
			char *nl = memchr(p, '\n', (size_t)(e - p));
			size_t l = nl ? (size_t)(nl - p) : (size_t)(e - p);

			dump_value(p, l);
			for (int how = 0; mutated && how < 5 && l * 8 < sizeof(mut); how++)
				dump_value(mut, mutate(p, l, how, mut));
			p += l + 1;
		}
	}
	fprintf(stderr, "values %ld\n", nvals);
	return 0;
}
