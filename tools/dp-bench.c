/* dp-bench.c - CPU cost of the payload detectors per request, the way the
 * collector calls them: a query string, a Cookie header, User-Agent and
 * Referer, and a JSON body, filled to about SIZE bytes with the values of
 * tests/data/benign.txt (and, with -a, one attack value in the query).
 * Prints the median and p99 CPU time per request (thread CPU clock, so a
 * busy machine does not inflate it) in microseconds, with the cache of
 * findings off (every value scanned) and on (as in the collector).
 *
 *   cc -O2 -Icollector -o build/dp-bench tools/dp-bench.c collector/dp*.c collector/norm.c
 *   build/dp-bench [-a] [SIZE] [BENIGN_FILE]     (SIZE default 2048)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dp.h"

#define MAX_VALS 8192
#define REQS 3000

static char *vals[MAX_VALS];
static size_t nvals;

static const char *const attacks[] = {
	"1' AND 5678=5678 AND 'aBcD'='aBcD",
	"-1234) UNION ALL SELECT NULL,CONCAT(0x71,0x62,0x71),NULL-- -",
	"\"><svg/onload=alert(1)>",
	"<img src=x onerror=alert(document.cookie)>",
	"1 AND (SELECT 1 FROM (SELECT(SLEEP(5)))a)",
	"';alert(String.fromCharCode(88,83,83))//",
};

/* append v to buf, percent-encoding what a query string cannot carry;
 * a space is '+' in a query (form encoding) and %20 elsewhere */
static int plus_space = 1;

static size_t put_enc(char *buf, size_t w, size_t cap, const char *v)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *v && w + 4 < cap; v++) {
		unsigned char c = (unsigned char)*v;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-_.~", c)) {
			buf[w++] = (char)c;
		} else if (c == ' ' && plus_space) {
			buf[w++] = '+';
		} else {
			buf[w++] = '%';
			buf[w++] = hex[c >> 4];
			buf[w++] = hex[c & 15];
		}
	}
	return w;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* preemption on a shared machine is not our cost */
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static double t[REQS];
	static char q[1 << 17], ck[1 << 16], js[1 << 17];
	const char *path = "tests/data/benign.txt";
	size_t size = 2048, vi = 0;
	int attack = 0, argi = 1;
	char line[8192];
	FILE *f;

	if (argi < argc && !strcmp(argv[argi], "-a")) {
		attack = 1;
		argi++;
	}
	if (argi < argc)
		size = strtoul(argv[argi++], NULL, 10);
	if (argi < argc)
		path = argv[argi++];
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		return 1;
	}
	while (nvals < MAX_VALS && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0])
			vals[nvals++] = strdup(line);
	}
	fclose(f);
	if (!nvals)
		return 1;
	if (size * 2 > sizeof(q))
		size = sizeof(q) / 2;

	for (int cache = 0; cache < 2; cache++) {
		size_t total = 0;
		int flagged = 0;

		dp_cache_enable(cache);
		for (int r = 0; r < REQS; r++) {
			static const char ua[] = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";
			static const char ref[] = "https://shop.example.com/search?q=red+shoes&page=2";
			size_t qn = 0, cn = 0, jn = 0, budget = size - sizeof(ua) - sizeof(ref);
			struct dp_match m[8];
			int p = 0, hit = 0;

			/* a quarter each to the cookie and the JSON body, the rest
			 * to the query string */
			while (qn < budget / 2) {
				if (qn)
					q[qn++] = '&';
				qn += (size_t)snprintf(q + qn, 16, "p%d=", p++);
				plus_space = 1;
				qn = put_enc(q, qn, budget / 2 + 64,
					     attack && p == 1 ? attacks[r % 6] : vals[vi++ % nvals]);
			}
			while (cn < budget / 4 && cn + 80 < sizeof(ck)) {
				cn += (size_t)snprintf(ck + cn, 16, "%sc%d=", cn ? "; " : "", p++);
				plus_space = 0;
				cn = put_enc(ck, cn, cn + 64, vals[vi++ % nvals]);
			}
			js[jn++] = '{';
			while (jn < budget / 4) {
				const char *v = vals[vi++ % nvals];
				jn += (size_t)snprintf(js + jn, 16, "%s\"k%d\":\"", jn > 1 ? "," : "", p++);
				for (; *v && jn + 8 < budget / 4 + 512; v++) {
					if (*v == '"' || *v == '\\')
						js[jn++] = '\\';
					js[jn++] = *v;
				}
				js[jn++] = '"';
			}
			js[jn++] = '}';
			total += qn + cn + jn + sizeof(ua) + sizeof(ref);

			double t0 = now_us();
			hit += dp_scan_query(q, qn, DP_WHERE_QUERY, m, 8);
			hit += dp_scan_cookie(ck, cn, m, 8);
			hit += dp_scan(ua, sizeof(ua) - 1, DP_WHERE_HEADER, m, 8);
			hit += dp_scan(ref, sizeof(ref) - 1, DP_WHERE_HEADER, m, 8);
			hit += dp_scan_json(js, jn, m, 8);
			t[r] = now_us() - t0;
			flagged += hit > 0;
		}
		qsort(t, REQS, sizeof(t[0]), cmp_d);
		printf("%s requests of %zu B (mean), cache %s: median %.2f us, p99 %.2f us, %d/%d flagged\n",
		       attack ? "attack" : "benign", total / REQS, cache ? "on " : "off",
		       t[REQS / 2], t[REQS * 99 / 100], flagged, REQS);
	}
	return 0;
}
