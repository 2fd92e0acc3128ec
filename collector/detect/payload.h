/* payload.h - payload attack detectors: local verdicts on request values.
 *
 * Pure functions over bytes: no transport, no configuration, no I/O, no
 * allocation. Each detector is a small tokenizer for the language the value
 * would be injected into (SQL, HTML, shell, template, URL, path), scoring
 * token sequences that only an injection produces; keywords alone never
 * match. Values are decoded with norm_decode() first (percent, HTML, JS
 * escapes, up to five layers); values longer than PAYLOAD_MAX_VALUE bytes are
 * judged in windows of PAYLOAD_MAX_VALUE bytes that overlap by PAYLOAD_OVERLAP (a
 * payload of up to PAYLOAD_OVERLAP bytes is seen whole wherever it sits), up to
 * PAYLOAD_MAX_SCAN bytes of one value.
 */
#ifndef SW_DP_H
#define SW_DP_H

#include <stddef.h>

#ifndef PAYLOAD_MAX_VALUE
#define PAYLOAD_MAX_VALUE 4096
#endif
#ifndef PAYLOAD_OVERLAP
#define PAYLOAD_OVERLAP 1024
#endif
#ifndef PAYLOAD_MAX_SCAN
#define PAYLOAD_MAX_SCAN (2 * 1024 * 1024)
#endif
#ifndef PAYLOAD_MIN_SCORE
#define PAYLOAD_MIN_SCORE 50 /* matches below this confidence are not reported */
#endif

enum payload_kind {
	PAYLOAD_NONE,
	PAYLOAD_SQLI,
	PAYLOAD_XSS,
	PAYLOAD_TRAVERSAL,
	PAYLOAD_CMDI,
	PAYLOAD_SSRF,
	PAYLOAD_JNDI,
	PAYLOAD_SSTI,
	PAYLOAD_XXE,
	PAYLOAD_NOSQLI,
	PAYLOAD_PROTO_POLLUTION,
	PAYLOAD_SHELLSHOCK,
	PAYLOAD_LDAPI,
	PAYLOAD_XPATHI,
	PAYLOAD__COUNT
};

/* "none", "sqli", "xss", "path_traversal", "cmd_injection", "ssrf", "jndi",
 * "ssti", "xxe", "nosqli", "proto_pollution", "shellshock",
 * "ldapi", "xpathi" */
extern const char *const payload_kind_names[PAYLOAD__COUNT];

struct payload_match {
	enum payload_kind kind;
	int score;     /* confidence 0..100 */
	char why[96];  /* short reason; never contains input bytes */
};

/* Where a value came from: '../' inside a path that stays under the root is
 * normal, the same in a file parameter is not. */
#define PAYLOAD_WHERE_PATH   1u
#define PAYLOAD_WHERE_QUERY  2u
#define PAYLOAD_WHERE_HEADER 3u
#define PAYLOAD_WHERE_COOKIE 4u
#define PAYLOAD_WHERE_BODY   5u

/* Scan one value. Returns the number of matches written to out (at most
 * max, one per kind, best first), 0 for benign. */
/* The per-thread cache of findings by value (payload.c) on or off, emptied
 * either way: tests compare cached results against fresh scans. On by
 * default. */
void payload_cache_enable(int on);

int payload_scan(const char *val, size_t len, unsigned where,
	    struct payload_match *out, int max);

/* Split a query string / form body (a=b&c=d), scan every name and value
 * (form-decoded: '+' is a space). Matches are merged: best per kind. */
int payload_scan_query(const char *q, size_t len, unsigned where,
		  struct payload_match *out, int max);

/* Scan every string (keys and values) of a JSON body; JSON escapes are
 * undone first. Iterative, bounded, no allocation; malformed JSON is
 * scanned as far as it goes and the rest as one raw value. */
int payload_scan_json(const char *body, size_t len, struct payload_match *out, int max);

/* Scan an XML body: the prolog and DTD whole (external entities, XInclude,
 * XSLT), then every attribute value and text run as a value (entities
 * undone). Bounded like payload_scan_json; no allocation. */
int payload_scan_xml(const char *body, size_t len, struct payload_match *out, int max);

/* For a header not in the scanned list: only the constructs that hurt in
 * any header whatever the application does with it - a bash function
 * definition (Shellshock, through CGI's environment) and a log4j lookup
 * (through a log line) - and a climb or a sensitive file, or a markup
 * declaration (XXE), read as a query value is, in a value that holds a
 * climb's or a path's mark or "<!" (a custom header naming a file or
 * carrying XML). Cheap: other values cost two passes and a memchr. */
int payload_scan_any_header(const char *val, size_t len, struct payload_match *out, int max);

/* Scan every cookie value (and name) of a Cookie header "a=b; c=d". */
int payload_scan_cookie(const char *hdr, size_t len, struct payload_match *out, int max);

#endif /* SW_DP_H */
