/* payload_path_hdr.c - traversal in any header (payload_scan_any_header):
 * an application that takes a file's name or a path from a header of its
 * own (X-File-Name, X-Original-URL, Destination) opens what a query's
 * file parameter would. Real header values seldom hold a climb or an
 * encoded dot: a browser resolves dot segments before it sends a URL
 * (Referer, Origin), and User-Agents, Accept values, forwarding chains,
 * tracing ids, entity tags and cookies are tokens, lists and numbers. So
 * a header is read as a query value is (every encoding undone) only when
 * it holds a climb's or a path's mark, and only a finding at the kill
 * line is kept: what is told of a parameter (one "../", a bare setting's
 * path) is no news from a header. */
#include "collector/detect/payload_int.h"

#include "collector/detect/norm.h"

#include <string.h>
#include <strings.h>

/* s[i..i+l) equals w ignoring case */
static int at_ci(const char *s, size_t n, size_t i, const char *w, size_t l)
{
	return i + l <= n && !strncasecmp(s + i, w, l);
}

/* Does s[b..n) open at a tree every traversal list reaches for, after
 * its separators and "." steps ("////etc", "/./proc", "\\etc"): /etc,
 * /proc, /root, /home, a container's secrets; or at a drive, a UNC share,
 * a home ("~/"), a URL of a scheme that reads files, a separator spelt
 * "%2f" or "%5c"? */
static int hdr_lead(const char *s, size_t n, size_t b)
{
	static const char *const scheme[] = {"file:", "php:", "zip:", "phar:", "expect:", "glob:", "data:"};
	static const char *const tree[] = {"etc", "proc", "root", "home", "var/run/secrets", "run/secrets"};
	size_t p = b;

	if (b >= n)
		return 0;
	if (b + 2 < n && s[b + 1] == ':' && (s[b + 2] == '\\' || s[b + 2] == '/' || s[b + 2] == '%') &&
	    (unsigned)((s[b] | 0x20) - 'a') < 26u)
		return 1;
	for (size_t k = 0; k < sizeof(scheme) / sizeof(scheme[0]); k++)
		if ((s[b] | 0x20) == scheme[k][0] && at_ci(s, n, b, scheme[k], strlen(scheme[k])))
			return 1;
	if ((b + 1 < n && s[b] == '~' && s[b + 1] == '/') || (b + 1 < n && s[b] == '\\' && s[b + 1] == '\\') ||
	    (s[b] == '%' && (at_ci(s, n, b, "%2f", 3) || at_ci(s, n, b, "%5c", 3))))
		return 1;
	if (p >= n || (s[p] != '/' && s[p] != '\\'))
		return 0;
	while (p < n && (s[p] == '/' || s[p] == '\\' || s[p] == '.'))
		p++;
	for (size_t k = 0; k < sizeof(tree) / sizeof(tree[0]) && p < n; k++) {
		size_t l = strlen(tree[k]);
		if ((s[p] | 0x20) == tree[k][0] && at_ci(s, n, p, tree[k], l) && p + l < n && (s[p + l] == '/' || s[p + l] == '\\'))
			return 1;
	}
	return 0;
}

/* Does s[0..n) hold a mark of a climb: "..", an encoded dot or an
 * encoded '%' ("%2e", "%25", "%u", overlong "%c0"/"%c1"/"%e0"/"%f0",
 * full-width "%ef", the double nibble "%%"), "0x2e", or a byte from
 * 0xC0 (the overlong and full-width forms raw)? 1 then. Else 2 when it
 * opens at a tree every traversal list reaches for (hdr_lead), and 0
 * otherwise: a header's path under /var, /opt or /usr (a script's name
 * a proxy passes on) is the site's own. One pass. */
static const unsigned char opens_mark[256] = {
	['.'] = 1, ['%'] = 1, ['0'] = 1, [0xC0 ... 0xFF] = 1,
};

static int hdr_may(const char *s, size_t n)
{
	size_t i = 0, b;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	b = i;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		/* most bytes are none of the four that start a mark */
		if (!opens_mark[c])
			continue;
		if (c >= 0xC0)
			return 1;
		if (c == '.' && i + 1 < n && s[i + 1] == '.')
			return 1;
		if (c == '%' && i + 2 < n) {
			unsigned char d = (unsigned char)(s[i + 1] | 0x20), e = (unsigned char)(s[i + 2] | 0x20);
			if (d == 'u' || d == '%' || (d == '2' && (e == 'e' || e == '5')) ||
			    (d == 'c' && (e == '0' || e == '1')) || ((d == 'e' || d == 'f') && e == '0') ||
			    (d == 'e' && e == 'f'))
				return 1;
		}
		if (c == '0' && i + 3 < n && (s[i + 1] | 0x20) == 'x' && s[i + 2] == '2' &&
		    (s[i + 3] | 0x20) == 'e')
			return 1;
	}
	return hdr_lead(s, n, b) ? 2 : 0;
}

void payload_path_hdr_scan(const char *val, size_t len, struct payload_acc *a)
{
	struct payload_acc one;

	if (!hdr_may(val, len < PAYLOAD_MAX_SCAN ? len : PAYLOAD_MAX_SCAN))
		return;
	memset(&one, 0, sizeof(one));
	payload_scan_value(val, len, PAYLOAD_WHERE_HEADER, NORM_PERCENT | NORM_HTML | NORM_UNICODE, &one);
	if (one.score[PAYLOAD_TRAVERSAL] >= 60)
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, one.score[PAYLOAD_TRAVERSAL], one.why[PAYLOAD_TRAVERSAL]);
}
