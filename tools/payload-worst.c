/* tools/payload-worst.c - the payload detectors' worst case: how much more
 * CPU an attacker can make one value cost than an ordinary value of the
 * same size. sidewatch judges a copy out of band, so a value built to be
 * slow does not slow the app; it slows the collector, which then sheds
 * what it cannot keep up with: CPU amplification is a way to blind it.
 *
 * For each construct in the table below (every printable byte alone, and
 * the openers and pieces the detectors start work on), a value of
 * WORST_BYTES bytes is the construct repeated; it is judged in five
 * places (a query value, a whole query "q=...", a JSON body {"q":"..."},
 * an XML body, a header value), each RUNS times, and the median CPU time
 * of the thread (CLOCK_THREAD_CPUTIME_ID) is kept. The baseline is an
 * ordinary value of the same size built from a corpus of API values
 * (default bench/api-values.txt), judged the same way. The cache of
 * findings is off. Prints a markdown section: the worst constructs by
 * amplification: CPU per byte of the request piece judged (a JSON body
 * of newlines is six times the value, escaped) in the construct's
 * costliest place, over the ordinary value's CPU per byte as a query
 * value (a header's ordinary cost is near zero, so a ratio within the
 * header place would say little).
 *   build/payload-worst [-n BYTES] [-r RUNS] [-t TOP] [CORPUS]
 * Bounded: about 150 constructs x 5 places x RUNS scans. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "collector/detect/payload.h"

enum { PLACE_VALUE, PLACE_QUERY, PLACE_JSON, PLACE_XML, PLACE_HEADER, PLACE__N };
static const char *const place_names[PLACE__N] = {
	"value", "q=", "JSON", "XML", "header"
};

/* The multi-byte constructs: openers of every detector (markup, template
 * and lookup openers, shell separators and substitutions, SQL pieces,
 * escapes the decoders reread, path climbs) and their usual neighbours. */
static const char *const multi[] = {
	"<s", "<s ", "<a ", "<x:", "<svg/", "<a href=", "<!", "<!E", "<!ENTITY ",
	"<?", "</", "<!--", "\\74\\163", "\\x3c", "\\u003c", "+ADw-s", "&lt;s",
	"&#60;", "&#x3c;", "on", " on", "=a", "a=", "\"a", "'a", "`a", "javascript:",
	"{{", "${", "#{", "%{", "@{", "*{", "[[", "{%", "<%", "$(", "((", "))",
	"(a", "a(", "()", "() {", "{ ", "[$", "__", "__proto__", "||", "&&",
	" | ", "|a", "$a", "a$", "$IFS", ";a", "; ", "a;", "\\\\", "..", "../",
	"..\\", "%2e", "%2e%2e%2f", "%c0%ae", "%25", "%u002e", "0x2e", "/.",
	"\\x", "\\u", "&#", "/*", "*/", "--", "-- ", "#a", "0x", "or 1=",
	"' or '", "SELECT ", "UNION ", "a)", "')", "\")", "(|", ")(", "*)",
	"'][", "']", "@", "@@", "://", "http://", "file:", "127.", "::",
	"a.b", "jndi:", "${jndi:", "${::-", "%0a", "%00", "\r\n", "\n",
	";$a ", "&$x(",
};

#define NCONS (95 + sizeof multi / sizeof multi[0])
#define WORST_MAX (1u << 20)

static char cons[NCONS][24];
static double cost[NCONS][PLACE__N];
static size_t clen[NCONS][PLACE__N]; /* bytes of the request piece judged */
static double base[PLACE__N];
static size_t blen[PLACE__N];

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The value v (n bytes) placed in p: writes the request piece into buf,
 * returns its length. JSON escapes '"', '\\' and control bytes; the XML
 * body wraps the value as element text, as a form post of XML would. */
static size_t place(int p, const char *v, size_t n, char *buf, size_t cap)
{
	size_t w = 0;

	switch (p) {
	case PLACE_QUERY:
		w = (size_t)snprintf(buf, cap, "q=");
		break;
	case PLACE_JSON:
		w = (size_t)snprintf(buf, cap, "{\"q\":\"");
		break;
	case PLACE_XML:
		w = (size_t)snprintf(buf, cap, "<?xml version=\"1.0\"?><r><q>");
		break;
	default:
		break;
	}
	for (size_t i = 0; i < n && w + 8 < cap; i++) {
		unsigned char c = (unsigned char)v[i];

		if (p == PLACE_JSON && (c == '"' || c == '\\'))
			buf[w++] = '\\';
		if (p == PLACE_JSON && c < 0x20) {
			w += (size_t)snprintf(buf + w, cap - w, "\\u%04x", c);
			continue;
		}
		buf[w++] = (char)c;
	}
	if (p == PLACE_JSON)
		w += (size_t)snprintf(buf + w, cap - w, "\"}");
	if (p == PLACE_XML)
		w += (size_t)snprintf(buf + w, cap - w, "</q></r>");
	return w;
}

static long judge(int p, const char *b, size_t n)
{
	struct payload_match m[PAYLOAD__COUNT];

	switch (p) {
	case PLACE_VALUE:
		return payload_scan(b, n, PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
	case PLACE_QUERY:
		return payload_scan_query(b, n, PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
	case PLACE_JSON:
		return payload_scan_json(b, n, m, PAYLOAD__COUNT);
	case PLACE_XML:
		return payload_scan_xml(b, n, m, PAYLOAD__COUNT);
	default:
		return payload_scan_any_header(b, n, m, PAYLOAD__COUNT);
	}
}

/* Median CPU microseconds of runs judgements of v in place p; *len is
 * the size of the request piece judged (JSON escapes make it larger). */
static double measure(int p, const char *v, size_t n, int runs, char *buf, long *sink,
		      size_t *len)
{
	double t[16];
	size_t bl = place(p, v, n, buf, 7 * WORST_MAX);

	*len = bl;

	for (int r = 0; r < runs; r++) {
		double t0 = now();

		*sink += judge(p, buf, bl);
		t[r] = now() - t0;
	}
	qsort(t, (size_t)runs, sizeof t[0], cmpd);
	return t[runs / 2];
}

static void fill(char *v, size_t n, const char *unit)
{
	size_t l = strlen(unit);

	for (size_t i = 0; i < n; i++)
		v[i] = unit[i % l];
}

/* An ordinary value: the corpus's lines joined by spaces, in order,
 * again from the top until n bytes. */
static int ordinary(const char *path, char *v, size_t n)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	size_t w = 0;

	if (!f) {
		perror(path);
		return -1;
	}
	while (w < n) {
		if (!fgets(line, sizeof line, f)) {
			if (w == 0 || fseek(f, 0, SEEK_SET) != 0)
				break;
			continue;
		}
		for (size_t i = 0; line[i] && line[i] != '\n' && w < n; i++)
			v[w++] = line[i];
		if (w < n)
			v[w++] = ' ';
	}
	fclose(f);
	if (w < n) {
		fprintf(stderr, "payload-worst: corpus %s is empty\n", path);
		return -1;
	}
	return 0;
}

static double worst_of(int c, int *at)
{
	double w = 0;

	for (int p = 0; p < PLACE__N; p++) {
		/* CPU per byte sent, over an ordinary query value's */
		double r = base[PLACE_VALUE] > 0 && clen[c][p] ?
			   (cost[c][p] / (double)clen[c][p]) /
			   (base[PLACE_VALUE] / (double)blen[PLACE_VALUE]) : 0;

		if (r > w) {
			w = r;
			*at = p;
		}
	}
	return w;
}

static int order[NCONS];
static int cmp_worst(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b, p;
	double rx = worst_of(x, &p), ry = worst_of(y, &p);

	return rx < ry ? 1 : rx > ry ? -1 : x - y;
}

/* The construct as a markdown code span: control bytes spelt as escapes,
 * '|' escaped (it separates table cells), backticks put in a double span. */
static void show(const char *s, char *o, size_t cap)
{
	size_t w = 0;
	int tick = strchr(s, '`') != NULL;

	w += (size_t)snprintf(o, cap, tick ? "`` " : "`");
	for (; *s && w + 8 < cap; s++) {
		if (*s == '\n' || *s == '\r')
			w += (size_t)snprintf(o + w, cap - w, *s == '\n' ? "\\n" : "\\r");
		else if (*s == '|')
			w += (size_t)snprintf(o + w, cap - w, "\\|");
		else
			o[w++] = *s;
	}
	snprintf(o + w, cap - w, tick ? " ``" : "`");
}

int main(int argc, char **argv)
{
	size_t n = 65536;
	int runs = 3, top = 20, a = 1;
	const char *corpus = "bench/api-values.txt";
	long sink = 0;

	for (; a + 1 < argc && argv[a][0] == '-'; a += 2) {
		if (!strcmp(argv[a], "-n"))
			n = strtoul(argv[a + 1], NULL, 10);
		else if (!strcmp(argv[a], "-r"))
			runs = atoi(argv[a + 1]);
		else if (!strcmp(argv[a], "-t"))
			top = atoi(argv[a + 1]);
		else
			break;
	}
	if (a < argc && argv[a][0] == '-') {
		fprintf(stderr, "usage: %s [-n BYTES] [-r RUNS] [-t TOP] [CORPUS]\n", argv[0]);
		return 2;
	}
	if (a < argc)
		corpus = argv[a];
	if (n < 64 || n > WORST_MAX || runs < 1 || runs > 15 || top < 1) {
		fprintf(stderr, "payload-worst: -n 64..%u, -r 1..15, -t >= 1\n", WORST_MAX);
		return 2;
	}
	char *v = malloc(n), *buf = malloc(7 * WORST_MAX);

	if (!v || !buf || ordinary(corpus, v, n) < 0)
		return 1;
	payload_cache_enable(0);
	for (int p = 0; p < PLACE__N; p++)
		base[p] = measure(p, v, n, runs, buf, &sink, &blen[p]);
	for (int c = 0; c < 95; c++) {
		cons[c][0] = (char)(32 + c);
		cons[c][1] = 0;
	}
	for (size_t c = 95; c < NCONS; c++)
		snprintf(cons[c], sizeof cons[c], "%s", multi[c - 95]);
	for (size_t c = 0; c < NCONS; c++) {
		fill(v, n, cons[c]);
		for (int p = 0; p < PLACE__N; p++)
			cost[c][p] = measure(p, v, n, runs, buf, &sink, &clen[c][p]);
		order[c] = (int)c;
	}
	qsort(order, NCONS, sizeof order[0], cmp_worst);

	printf("### Worst case: CPU amplification per %zu-byte value\n\n", n);
	printf("One construct repeated to %zu bytes, judged as a query value, a whole query, "
	       "a JSON body, an XML body and a header value; median of %d runs each, "
	       "thread CPU time, cache off (`build/payload-worst`). The baseline is an "
	       "ordinary value of the same size from `%s`: ", n, runs, corpus);
	/* the ratio column: CPU per byte in the construct's costliest place
	 * over the ordinary query value's */
	for (int p = 0; p < PLACE__N; p++)
		printf("%s %.0f us%s", place_names[p], base[p], p + 1 < PLACE__N ? ", " : ".\n\n");
	printf("| construct | value us | q= us | JSON us | XML us | header us | worst CPU per byte / ordinary |\n");
	printf("|---|---:|---:|---:|---:|---:|---:|\n");
	for (int i = 0; i < top && i < (int)NCONS; i++) {
		int c = order[i], at = 0;
		double r = worst_of(c, &at);
		char s[64];

		show(cons[c], s, sizeof s);
		printf("| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f (%s) |\n", s, cost[c][0],
		       cost[c][1], cost[c][2], cost[c][3], cost[c][4], r, place_names[at]);
	}
	int at = 0;
	double w = worst_of(order[0], &at);
	char s[64];

	show(cons[order[0]], s, sizeof s);
	printf("\nWorst: %s as %s, %.1fx an ordinary value's CPU per byte (%zu constructs measured; "
	       "sink %ld).\n\n", s, place_names[at], w, (size_t)NCONS, sink);
	free(v);
	free(buf);
	return 0;
}
