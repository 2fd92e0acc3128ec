/* tools/payload-bench.c - the payload detectors' CPU per request: requests of a
 * given size built from tests/data/benign.txt (a path, a query of
 * form-encoded values, the five scanned headers, four other headers judged
 * by payload_scan_any_header, a JSON body with the rest), timed with the
 * thread's CPU clock; prints the median and p99 in microseconds. CORPUS:
 * tests/data/benign.txt by default (look-alikes, the worst case), or
 * bench/api-values.txt (ordinary API values).
 *   make build/payload-bench   (or: cc -O2 -I. tools/payload-bench.c
 *       build/libcollector.a build/libcommon.a -lz -o build/payload-bench)
 *   build/payload-bench SIZE [REQUESTS] [CACHE 0|1] [CORPUS]
 * `make bench` runs it through tools/bench-payload.sh (both corpora, 200 B,
 * 2 KiB and 64 KiB, cache off).
 * The values differ from request to request; CACHE 1 turns payload.c's cache of
 * findings by value on (as the collector runs), 0 measures the detectors. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "collector/detect/payload.h"

static char *words[4096];
static int nw;
static unsigned rs = 12345;
static unsigned rnd(void) { rs = rs * 1103515245u + 12345u; return rs >> 8; }
static const char *word(void) { return words[rnd() % nw]; }

static size_t enc(const char *v, char *o, size_t cap)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t w = 0;
	for (; *v && w + 4 < cap; v++) {
		unsigned char c = *v;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.')
			o[w++] = c;
		else { o[w++] = '%'; o[w++] = hx[c >> 4]; o[w++] = hx[c & 15]; }
	}
	o[w] = 0;
	return w;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	size_t target = argc > 1 ? strtoul(argv[1], 0, 10) : 2048;
	int iters = argc > 2 ? atoi(argv[2]) : 20000;
	int cache = argc > 3 ? atoi(argv[3]) : 0;
	FILE *f = fopen(argc > 4 ? argv[4] : "tests/data/benign.txt", "r");
	char line[4096];
	if (!f) {
		perror("corpus");
		return 1;
	}
	while (nw < 4096 && fgets(line, sizeof line, f)) {
		size_t l = strlen(line);
		while (l && line[l - 1] == '\n') line[--l] = 0;
		if (l && !strchr(line, '"') && !strchr(line, '\\')) words[nw++] = strdup(line);
	}
	payload_cache_enable(cache);
	double *t = malloc(sizeof(double) * iters);
	static char path[512], query[70000], ua[512], ref[512], cookie[1024], body[70000];
	struct payload_match m[32];
	long sink = 0;
	for (int it = 0; it < iters; it++) {
		size_t q = 0, b = 0;
		snprintf(path, sizeof path, "/api/v1/products/%u/reviews", rnd() % 100000);
		snprintf(ua, sizeof ua, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%u.0 Safari/537.36", 100 + rnd() % 30);
		snprintf(ref, sizeof ref, "https://shop.example.com/search?q=%u&page=%u", rnd() % 1000, rnd() % 9);
		snprintf(cookie, sizeof cookie, "sid=%08x%08x; theme=dark; cart=%u; _ga=GA1.2.%u.%u", rnd(), rnd(), rnd() % 99, rnd(), rnd());
		/* the rest of the size: a third in the query, the rest in the body */
		size_t fixed = strlen(path) + strlen(ua) + strlen(ref) + strlen(cookie) + 120;
		size_t left = target > fixed ? target - fixed : 64;
		while (q < left / 3) {
			q += snprintf(query + q, sizeof query - q, "%sp%d=", q ? "&" : "", (int)(q % 97));
			q += enc(word(), query + q, sizeof query - q);
		}
		b += snprintf(body + b, sizeof body - b, "{");
		while (b < left - left / 3) {
			b += snprintf(body + b, sizeof body - b, "%s\"k%d\": \"%s\"", b > 1 ? ", " : "", (int)b % 91, word());
		}
		snprintf(body + b, sizeof body - b, "}");
		struct timespec t0, t1;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
		sink += payload_scan(path, strlen(path), PAYLOAD_WHERE_PATH, m, 32);
		sink += payload_scan_query(query, strlen(query), PAYLOAD_WHERE_QUERY, m, 32);
		sink += payload_scan(ua, strlen(ua), PAYLOAD_WHERE_HEADER, m, 32);
		sink += payload_scan(ref, strlen(ref), PAYLOAD_WHERE_HEADER, m, 32);
		sink += payload_scan_cookie(cookie, strlen(cookie), m, 32);
		sink += payload_scan("203.0.113.7", 11, PAYLOAD_WHERE_HEADER, m, 32);
		sink += payload_scan_any_header("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 64, m, 32);
		sink += payload_scan_any_header("en-US,en;q=0.5", 14, m, 32);
		sink += payload_scan_any_header("shop.example.com", 16, m, 32);
		sink += payload_scan_any_header("application/json", 16, m, 32);
		sink += payload_scan_json(body, strlen(body), m, 32);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
		t[it] = (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3;
	}
	qsort(t, iters, sizeof(double), cmpd);
	printf("size %zu B cache %s: median %.2f us, p99 %.2f us (%d requests, sink %ld)\n", target,
	       cache ? "on" : "off", t[iters / 2], t[iters * 99 / 100], iters, sink);
	return 0;
}
