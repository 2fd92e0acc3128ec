/* payload_pathenc.c - how a parent step is spelt: the traversal detector
 * (payload_path.c) asks whether a ".." step was written the way a client's
 * encoder writes one or the way a filter evasion does; and names for a file
 * that only file access uses (Windows device paths and admin shares, a
 * data: URL carrying PHP), and whether a name sits in the path of a web URL
 * inside a request path (a page's name, no file's); and the spellings of
 * '.', '/' and '\' a decoder folds (overlong UTF-8, look-alikes, "0x2e",
 * a lenient "%XY", the split "%2%e"), which payload_path.c's canonical
 * copy reads through. */
#include "collector/detect/payload_int.h"

#include <stdint.h>
#include <string.h>

static int hexv(unsigned char c)
{
	return c >= '0' && c <= '9' ? c - '0' : (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10 : -1;
}

#define DEPTH_ODD 0x80 /* spelt in a syntax no encoder writes */

/* One layer of percent-decoding of b[0..n) in place, keeping each byte's
 * depth in d: a byte decoded from %XX (or %uXXXX) is one deeper than the
 * deepest byte it was made of. %uXXXX and an escape whose hex digits were
 * themselves escaped (%%32%65, %25%32%65) mark the byte DEPTH_ODD. Returns the new
 * length; *changed is set when something was decoded. */
static size_t depth_layer(char *b, uint8_t *d, size_t n, int *changed)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++) {
		int h1, h2;

		if (b[i] == '%' && i + 2 < n && (h1 = hexv((unsigned char)b[i + 1])) >= 0 &&
		    (h2 = hexv((unsigned char)b[i + 2])) >= 0) {
			uint8_t m = d[i + 1] > d[i + 2] ? d[i + 1] : d[i + 2];
			/* hex digits are alphanumeric: no encoder escapes them */
			uint8_t odd = (uint8_t)(((d[i] | m) & DEPTH_ODD) | ((m & ~DEPTH_ODD) ? DEPTH_ODD : 0));
			if ((d[i] & ~DEPTH_ODD) > (m & ~DEPTH_ODD))
				m = d[i];
			b[w] = (char)(h1 * 16 + h2);
			d[w++] = (uint8_t)(((m & ~DEPTH_ODD) + 1) | odd);
			i += 2;
			*changed = 1;
		} else if (b[i] == '%' && i + 5 < n && (b[i + 1] | 32) == 'u' && hexv((unsigned char)b[i + 2]) == 0 &&
			   hexv((unsigned char)b[i + 3]) == 0 && (h1 = hexv((unsigned char)b[i + 4])) >= 0 &&
			   (h2 = hexv((unsigned char)b[i + 5])) >= 0) {
			/* %u00XX: IIS's spelling of an ASCII byte */
			b[w] = (char)(h1 * 16 + h2);
			d[w++] = (uint8_t)(((d[i] & ~DEPTH_ODD) + 1) | DEPTH_ODD);
			i += 5;
			*changed = 1;
		} else {
			b[w] = b[i];
			d[w++] = d[i];
		}
	}
	return w;
}

/* Does a ".." step of raw[0..n) climb in a spelling no client's encoder
 * writes? An URL or form encoder leaves '.' as it is (it is unreserved)
 * and encodes '/' once ("..%2F"), or, writing every byte escaped, writes
 * all three at one depth. A step whose dots and separator are decoded
 * from different depths ("%2e%2e/", "..%252f", ".%2e/"), or from %u00XX or
 * escaped hex digits, was written to pass a filter that looks for "../"
 * at one depth. Bounded: at most PAYLOAD_MAX_VALUE bytes, NORM_ROUNDS
 * layers. */
int payload_odd_climb(const char *raw, size_t n)
{
	char b[PAYLOAD_MAX_VALUE];
	uint8_t d[PAYLOAD_MAX_VALUE];
	int changed = 1;

	if (n > sizeof(b))
		n = sizeof(b);
	if (!memchr(raw, '%', n))
		return 0;
	memcpy(b, raw, n);
	memset(d, 0, n);
	for (int r = 0; r < 5 && changed; r++) {
		changed = 0;
		n = depth_layer(b, d, n, &changed);
	}
	for (size_t i = 0; i + 1 < n; i++) {
		uint8_t d1, d2, ds;

		if (b[i] != '.' || b[i + 1] != '.' || (i > 0 && b[i - 1] != '/' && b[i - 1] != '\\'))
			continue;
		if (i + 2 < n && b[i + 2] != '/' && b[i + 2] != '\\')
			continue;
		d1 = d[i];
		d2 = d[i + 1];
		ds = i + 2 < n ? d[i + 2] : d1;
		if ((d1 | d2 | ds) & DEPTH_ODD)
			return 1;
		if (d1 != d2 || (ds != d1 && !(d1 == 0 && ds == 1)))
			return 1;
	}
	return 0;
}

/* A ".." step written with Windows' separator ("..\secret") in a value that
 * is one path (no blank): a file name on a Windows server, never a link */
int payload_windows_climb(const char *lo, size_t n)
{
	if (memchr(lo, ' ', n))
		return 0;
	for (size_t at = payload_find(lo, n, 0, "..\\"); at < n; at = payload_find(lo, n, at + 1, "..\\"))
		if (at == 0 || lo[at - 1] == '\\' || lo[at - 1] == '/')
			return 1;
	return 0;
}

/* Windows names for a file that no link spells, on the canonical path
 * ('\\' read as '/'): the device namespace (//?/C:/..., //./C:/...,
 * //?/UNC/host/...) and a host's administrative share (//host/c$/...) */
const char *payload_windows_name(const char *c, size_t n)
{
	size_t h, e;

	if (n < 6 || c[0] != '/' || c[1] != '/')
		return NULL;
	if ((c[2] == '?' || c[2] == '.') && c[3] == '/' &&
	    ((payload_is_alpha((unsigned char)c[4]) && c[5] == ':') || payload_at(c, n, 4, "unc/")))
		return "windows device path";
	/* a raw disk or volume (\\.\PhysicalDrive0, \\?\GLOBALROOT\...);
	 * not a named pipe (\\.\pipe\docker_engine), a configuration's */
	if ((c[2] == '?' || c[2] == '.') && c[3] == '/' &&
	    (payload_at(c, n, 4, "physicaldrive") || payload_at(c, n, 4, "harddisk") ||
	     payload_at(c, n, 4, "globalroot")))
		return "windows raw disk or volume path";
	for (h = 2; h < n && h < 260 && c[h] != '/'; h++)
		;
	e = h + 1;
	if (h > 2 && e + 1 < n && payload_is_alpha((unsigned char)c[e]) && c[e + 1] == '$' &&
	    (e + 2 == n || c[e + 2] == '/'))
		return "administrative share of a host";
	return NULL;
}

/* a data: URL (RFC 2397) whose body is PHP source, plain or base64
 * ("<?php", "<?=" as "PD9waHA", "PD89"): code for an include to run */
int payload_data_php(const char *lo, size_t n)
{
	size_t at = payload_find(lo, n, 0, "data:");

	if (at >= n || (at > 0 && payload_is_alnum((unsigned char)lo[at - 1])))
		return 0;
	if (payload_find(lo, n, at, "<?php") < n || payload_find(lo, n, at, "<?=") < n)
		return 1;
	/* base64: the PHP tag opens the encoded body, right after the comma
	 * (inside an image's base64 four letters occur by chance) */
	at = payload_find(lo, n, at, "base64,");
	return at < n && (payload_at(lo, n, at + 7, "pd9wah") || payload_at(lo, n, at + 7, "pd89"));
}

/* Does an http(s) URL with a host begin in t[0..at), a whole component
 * of a request path ("/search/https://example.com/etc/kubernetes", its
 * '/' escaped as %2F in a segment)? Then the name at t[at] is in that
 * URL's path: a page's, as in payload_path.c's web_url. */
int payload_web_url_before(const char *t, size_t at)
{
	size_t s = payload_find(t, at, 0, "://");

	for (; s < at; s = payload_find(t, at, s + 3, "://")) {
		size_t b = s >= 5 && payload_at(t, at, s - 5, "https") ? s - 5 :
			   s >= 4 && payload_at(t, at, s - 4, "http") ? s - 4 : at;

		if (b < at && (b == 0 || t[b - 1] == '/') && s + 3 < at &&
		    payload_is_alnum((unsigned char)t[s + 3]) && memchr(t + s + 3, '/', at - s - 3))
			return 1;
	}
	return 0;
}

/* A name with an NTFS stream suffix: "::$data" made IIS send a script's
 * source, "::$index_allocation" opens a directory past a name filter
 * (/admin::$index_allocation/login.php). The name before it is a file's:
 * it has an extension (index.php::$data), or for a directory's stream it
 * follows a separator. PHP's self::$data, Config::$data is a static
 * property: a bare word before "::". */
int payload_ntfs_stream(const char *c, size_t n)
{
	for (size_t at = payload_find(c, n, 0, "::$"); at < n; at = payload_find(c, n, at + 3, "::$")) {
		size_t b = at;
		int dir = payload_at(c, n, at + 3, "index_allocation");

		if (!dir && !payload_at(c, n, at + 3, "data"))
			continue;
		while (b > 0 && (payload_is_alnum((unsigned char)c[b - 1]) || c[b - 1] == '_' || c[b - 1] == '-'))
			b--;
		if (b == at)
			continue;
		/* the extension's dot, with a name before it */
		if (b > 1 && c[b - 1] == '.' && c[b - 2] != '.' && c[b - 2] != '/' && c[b - 2] != ':' &&
		    c[b - 2] != ' ')
			return 1;
		if (dir && b > 0 && c[b - 1] == '/')
			return 1;
	}
	return 0;
}

/* A file named by its absolute path (canonical c[0..n), no blanks) under a
 * tree the system or a server's own software keeps - /usr/, /var/, /opt/,
 * /srv/, /root/, macOS's /private/ - that is a configuration, code or log
 * file (srv_file: its extension says so) or sits in a logs or conf
 * directory: /usr/local/nginx/conf/nginx.conf, /var/cpanel/cpanel.config.
 * 1 when so. */
int payload_system_file(const char *c, size_t n, int srv_file)
{
	static const char *const top[] = {"usr/", "var/", "opt/", "srv/", "root/", "private/"};
	size_t s = 0;

	/* a glob (a '*' anywhere) is a listing's pattern, no one file */
	if (n < 8 || c[0] != '/' || memchr(c, ' ', n) || memchr(c, '*', n) || !payload_is_alnum((unsigned char)c[n - 1]))
		return 0;
	for (size_t k = 0; k < sizeof(top) / sizeof(top[0]) && !s; k++)
		if (payload_at(c, n, 1, top[k]))
			s = 1 + strlen(top[k]);
	/* /usr/x and /var/x are directories; a file is one level further
	 * down, except in root's home and /private (macOS's /etc lives there) */
	if (!s || (c[1] != 'r' && c[1] != 'p' && !memchr(c + s, '/', n - s)))
		return 0;
	/* macOS's /tmp and per-user temporary tree are /private/tmp and
	 * /private/var/folders, and /var/tmp is /tmp kept across boots: a
	 * build's or a test's files, as /tmp's */
	if ((c[1] == 'p' && (payload_at(c, n, 9, "tmp/") || payload_at(c, n, 9, "var/folders/"))) ||
	    payload_at(c, n, 1, "var/tmp/"))
		return 0;
	return srv_file || payload_find(c, n, s - 1, "/logs/") < n || payload_find(c, n, s - 1, "/log/") < n ||
	       payload_find(c, n, s - 1, "/conf/") < n;
}

/* An absolute path ("/..", "c:/..") whose first step climbs: above the
 * root there is nothing a link could mean */
int payload_root_climb(const char *c, size_t n)
{
	size_t p = c[0] == '/' ? 1 : 3;

	while (p < n && c[p] == '/')
		p++;
	return p + 1 < n && c[p] == '.' && c[p + 1] == '.' && (p + 2 == n || c[p + 2] == '/');
}

/* An escape at lo[i] ('\\') that an unescaping layer (stripcslashes, a
 * JSON or JS string, printf) reads as '.', '/' or '\\': "\x2e", "\u002e"
 * (lower-case: lo is), and two-digit octal "\56" "\57" when a dot is
 * beside it (dot: the byte written last is one, or another "\56" or '.'
 * follows): "c:\\data\\56" is a folder. Returns the byte and sets
 * *used, or 0. */
int payload_path_esc(const char *lo, size_t n, size_t i, int dot, size_t *used)
{
	const unsigned char *p = (const unsigned char *)lo + i;
	size_t a = n - i;
	int v = -1;

	if (a >= 4 && p[1] == 'x' && hexv(p[2]) >= 0 && hexv(p[3]) >= 0) {
		v = hexv(p[2]) * 16 + hexv(p[3]);
		*used = 4;
	} else if (a >= 6 && p[1] == 'u' && p[2] == '0' && p[3] == '0' && hexv(p[4]) >= 0 && hexv(p[5]) >= 0) {
		v = hexv(p[4]) * 16 + hexv(p[5]);
		*used = 6;
	} else if (a >= 3 && p[1] == '5' && (p[2] == '6' || p[2] == '7') && (a == 3 || p[3] < '0' || p[3] > '9')) {
		int next_dot = (a > 3 && p[3] == '.') || (a >= 6 && p[3] == '\\' && p[4] == '5' && p[5] == '6');
		if (!dot && !next_dot)
			return 0;
		*used = 3;
		return p[2] == '6' ? '.' : '/';
	}
	return v == '.' ? '.' : v == '/' || v == '\\' ? '/' : 0;
}

/* the length of a '.' spelt at raw[i] as an escape a decoder before us
 * undid: "\x2e" or "\u002e" (either case), its '\\' written plain or as
 * "%5c" / "%255c"; 0 if none */
static size_t esc_dot_at(const char *raw, size_t n, size_t i)
{
	size_t b = 0;

	if (raw[i] == '\\')
		b = 1;
	else if (raw[i] == '%' && i + 2 < n && raw[i + 1] == '5' && (raw[i + 2] | 32) == 'c')
		b = 3;
	else if (raw[i] == '%' && i + 4 < n && raw[i + 1] == '2' && raw[i + 2] == '5' && raw[i + 3] == '5' &&
		 (raw[i + 4] | 32) == 'c')
		b = 5;
	if (!b)
		return 0;
	i += b;
	if (i + 3 <= n && (raw[i] | 32) == 'x' && raw[i + 1] == '2' && (raw[i + 2] | 32) == 'e')
		return b + 3;
	if (i + 5 <= n && (raw[i] | 32) == 'u' && raw[i + 1] == '0' && raw[i + 2] == '0' && raw[i + 3] == '2' &&
	    (raw[i + 4] | 32) == 'e')
		return b + 5;
	return 0;
}

/* Does the raw value spell a pair of dots with one of them an escape
 * ("\x2e\x2e", "\u002e.", ".\x2e") and a separator plainly or
 * percent-encoded? The decoded value shows a plain ".."
 * there: this tells the evasion from a link. One pass. */
int payload_path_esc_pair(const char *raw, size_t n)
{
	/* only where a separator is spelt otherwise ('/', "%2f"): an
	 * encoder that escapes every byte (\u002f\u002e\u002e) writes
	 * a link, the evasion escapes the dots a filter looks for */
	int sep = memchr(raw, '/', n) != NULL;
	for (const char *p = memchr(raw, '%', n); p && !sep; p = memchr(p + 1, '%', n - (size_t)(p + 1 - raw)))
		sep = (size_t)(p - raw) + 2 < n && p[1] == '2' && (p[2] | 32) == 'f';
	if (!sep)
		return 0;
	for (size_t i = 0; i < n; i++) {
		size_t l;
		if ((raw[i] != '\\' && raw[i] != '%') || !(l = esc_dot_at(raw, n, i)))
			continue;
		if ((i > 0 && raw[i - 1] == '.') || (i + l < n && raw[i + l] == '.') || (i + l < n && esc_dot_at(raw, n, i + l)) ||
		    (i + l + 2 < n && raw[i + l] == '%' && raw[i + l + 1] == '2' && (raw[i + l + 2] | 32) == 'e'))
			return 1;
		i += l - 1;
	}
	return 0;
}

/* Program Files and ProgramData hold every installed program, a user's
 * own ("c:/program files/myapp/app.config" in a support form) as much as
 * a server's: the tree is the system's when the directory under it is a
 * web, database or FTP server's install (c[0..n) starts there) or an 8.3
 * short name ("micros~1"), which only an evasion spells out. */
static int win_product(const char *c, size_t n)
{
	static const char *const product[] = {
		"apache", "mysql", "mariadb", "filezilla", "xampp", "wamp", "php", "nginx", "tomcat",
		"microsoft sql server", "postgresql", "jboss", "wildfly", "glassfish", "coldfusion",
		"iis", "easyphp", "appserv", "zend", "mongodb", "redis", "jenkins", "microsoft/exchange",
		"exchsrvr", "common files/microsoft shared/web server extensions",
		/* the credential and session stores LFI lists name */
		"winscp", "smartertools", "teamviewer", "vmware", "openvpn", "putty", "mremoteng", "atlassian",
		"rabbitmq", "elastic",
	};
	size_t e = 0;

	for (size_t k = 0; k < sizeof(product) / sizeof(product[0]); k++)
		if (payload_at(c, n, 0, product[k]))
			return 1;
	while (e < n && e < 64 && c[e] != '/')
		e++;
	return e > 2 && e < n && memchr(c, '~', e) && c[e - 1] >= '0' && c[e - 1] <= '9';
}

/* The first directory of a drive path (c[0..n) after "x:/") is a tree
 * the system or a server's software keeps: Windows, IIS, Program Files,
 * a WAMP/XAMPP stack, a web server's or database's own install, a
 * profile's AppData; not a user's documents or a project folder. 1 when
 * so. */
int payload_path_win_tree(const char *c, size_t n)
{
	static const char *const tree[] = {
		"windows/", "winnt/", "inetpub/", "program files/", "program files (x86)/", "progra~1/",
		"progra~2/", "programdata/", "xampp/", "xampplite/", "wamp/", "wamp64/", "apache/",
		"apache2/", "apache24/", "apache group/", "php/", "php5/", "php7/", "php8/", "mysql/",
		"nginx/", "tomcat/", "iis/", "sysprep/", "system32/", "appserv/", "easyphp/", "laragon/",
		"mariadb/", "postgresql/", "jboss/", "wildfly/", "glassfish/", "coldfusion",
	};

	size_t p;

	/* the system's scratch directory, where installers and updates
	 * write the logs support tickets quote (C:\Windows\Temp\x.log) */
	if (payload_at(c, n, 0, "windows/temp/") || payload_at(c, n, 0, "winnt/temp/"))
		return 0;
	for (size_t k = 0; k < sizeof(tree) / sizeof(tree[0]); k++)
		if (payload_at(c, n, 0, tree[k]))
			return (k != 3 && k != 4 && k != 7) || win_product(c + strlen(tree[k]), n - strlen(tree[k]));
	/* a profile's roaming application data: where programs keep their
	 * settings and saved credentials (FileZilla's recentservers.xml,
	 * WinSCP.ini); not the user's own documents, nor AppData\Local's
	 * logs and caches that support tickets quote */
	if (payload_at(c, n, 0, "users/"))
		p = 6;
	else if (payload_at(c, n, 0, "documents and settings/"))
		p = 23;
	else
		return 0;
	while (p < n && p < 128 && c[p] != '/')
		p++;
	return p + 1 < n && (payload_at(c, n, p + 1, "appdata/roaming/") || payload_at(c, n, p + 1, "application data/"));
}

/* does raw[0..n) hold "%u" (either case), its '%' itself escaped or not
 * ("%25u", "%2525u")? */
int payload_path_percent_u(const char *raw, size_t n)
{
	const char *end = raw + n;

	for (const char *p = memchr(raw, '%', n); p; p = memchr(p + 1, '%', (size_t)(end - p) - 1)) {
		const char *q = p + 1;
		while (end - q >= 2 && q[0] == '2' && q[1] == '5')
			q += 2;
		if (q < end && (*q | 32) == 'u')
			return 1;
		if (q >= end)
			break;
	}
	return 0;
}

/* Path spellings of '.', '/' and '\' that some decoder between the
 * client and the file system accepts. Returns the ASCII byte and sets *used
 * to the bytes consumed, or returns 0.
 * - overlong UTF-8 of any length (c0 ae, e0 80 ae, f0 80 80 ae, ... fc 80
 *   80 80 80 af), also with broken continuation bytes (c0 2e, e0 40 ae,
 *   c1 1c), as decoders that only mask the low six bits read them; valid
 *   UTF-8 never encodes these bytes in more than one, so no text is folded
 * - look-alikes that NFKC folds or a lenient decoder maps: full-width
 *   (U+FF0E, U+FF0F, U+FF3C), division slash U+2215, set minus U+2216,
 *   fraction slash U+2044, one dot leader U+2024, small full stop U+FE52
 * - "0x2e", "0x2f", "0x5c" spelled out */
int payload_path_char(const unsigned char *p, size_t avail, size_t *used)
{
	static const struct {
		unsigned char b[3];
		char c;
	} alike[] = {
		{{0xEF, 0xBC, 0x8E}, '.'}, {{0xEF, 0xBC, 0x8F}, '/'}, {{0xEF, 0xBC, 0xBC}, '/'},
		{{0xE2, 0x88, 0x95}, '/'}, {{0xE2, 0x88, 0x96}, '/'}, {{0xE2, 0x81, 0x84}, '/'},
		{{0xE2, 0x80, 0xA4}, '.'}, {{0xEF, 0xB9, 0x92}, '.'},
	};
	unsigned c = p[0], len, cp;

	if (c == '0' && avail >= 4 && p[1] == 'x' && p[2] >= '2' && p[2] <= '5') {
		if (p[2] == '2' && (p[3] == 'e' || p[3] == 'f')) {
			*used = 4;
			return p[3] == 'e' ? '.' : '/';
		}
		if (p[2] == '5' && p[3] == 'c') {
			*used = 4;
			return '/';
		}
		return 0;
	}
	if (c < 0xC0)
		return 0;
	for (size_t k = 0; k < sizeof(alike) / sizeof(alike[0]); k++)
		if (avail >= 3 && !memcmp(p, alike[k].b, 3)) {
			*used = 3;
			return alike[k].c;
		}
	if (c == 0xC0 || c == 0xC1)
		len = 2, cp = c & 0x1F;
	else if (c == 0xE0)
		len = 3, cp = 0;
	else if (c == 0xF0)
		len = 4, cp = 0;
	else if (c == 0xF8)
		len = 5, cp = 0;
	else if (c == 0xFC)
		len = 6, cp = 0;
	else
		return 0;
	if (avail < len)
		return 0;
	/* a decoder that drops a lead byte it cannot use: %c0%2e, %c0%5c */
	if (p[1] == '.' || p[1] == '/' || p[1] == '\\') {
		*used = 2;
		return p[1] == '.' ? '.' : '/';
	}
	/* a two-byte form whose decoder keeps only the continuation's six
	 * bits: %c1%af, %c1%ae, %c0%9c */
	if (len == 2 && ((p[1] & 0x3F) == '.' || (p[1] & 0x3F) == '/' || (p[1] & 0x3F) == 0x1C)) {
		*used = 2;
		return (p[1] & 0x3F) == '.' ? '.' : '/';
	}
	for (unsigned k = 1; k < len; k++) {
		if (p[k] == 0)
			return 0;
		cp = (cp << 6) | (p[k] & 0x3F);
	}
	if (cp != '.' && cp != '/' && cp != '\\')
		return 0;
	*used = len;
	return cp == '.' ? '.' : '/';
}

/* "%XY" that is not hex ("%bg", "%9v") but that a decoder computing
 * X*16+Y from any letter turns into a byte (fuzzdb's "..%bg%qf" is
 * "..%c0%af"): sets *b and returns 3, or returns 0 */
static size_t lenient_pct(const char *lo, size_t n, size_t i, unsigned char *b)
{
	unsigned v = 0;
	int hex = 1;

	if (i + 2 >= n || lo[i] != '%')
		return 0;
	for (size_t k = i + 1; k <= i + 2; k++) {
		char ch = lo[k];
		if (ch >= '0' && ch <= '9')
			v = v * 16 + (unsigned)(ch - '0');
		else if (ch >= 'a' && ch <= 'z')
			v = v * 16 + (unsigned)(ch - 'a' + 10);
		else
			return 0;
		hex &= (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
	}
	if (hex)
		return 0;
	*b = (unsigned char)v;
	return 3;
}

/* A two-byte overlong spelt with a lenient "%XY" in either byte: the
 * folded character, *used set to the value's bytes it spans; or 0 */
int payload_path_lenient_char(const char *lo, size_t n, size_t i, size_t *used)
{
	unsigned char t[2];
	size_t a, b, u;
	int pc;

	if ((unsigned char)lo[i] >= 0xC0) {
		a = 1;
		t[0] = (unsigned char)lo[i];
	} else if (!(a = lenient_pct(lo, n, i, &t[0]))) {
		return 0;
	}
	if ((b = lenient_pct(lo, n, i + a, &t[1])) == 0) {
		if (a == 1 || i + a >= n)
			return 0;
		t[1] = (unsigned char)lo[i + a];
		b = 1;
	}
	pc = payload_path_char(t, 2, &u);
	if (!pc || u != 2)
		return 0;
	*used = a + b;
	return pc;
}

/* "%X%Y" at lo[i]: an escape whose two hex digits were each escaped
 * with a '%' of its own ("%%32%%65" decodes once to "%2%e"), which a
 * decoder that gathers the digits across the stray '%' reads as %XY.
 * When a hex digit followed, our own next round joined the pair into an
 * escape ("%2%ee" to "%2" and 0xEE): "%X" and a byte whose high nibble is
 * Y; that byte's low nibble is the digit that followed (*tail, else -1).
 * Returns the '.' or '/' so spelt ('\\' folded), or 0; *used the bytes
 * of lo. Nothing else writes a '%' between the digits of an escape. */
int payload_path_split_esc(const char *lo, size_t n, size_t i, size_t *used, int *tail)
{
	int h1, h2, b;

	if (i + 2 >= n || (h1 = hexv((unsigned char)lo[i + 1])) < 0)
		return 0;
	*tail = -1;
	if (lo[i + 2] == '%' && i + 3 < n && (h2 = hexv((unsigned char)lo[i + 3])) >= 0) {
		*used = 4;
	} else if ((unsigned char)lo[i + 2] >= 0xC0) {
		h2 = (unsigned char)lo[i + 2] >> 4;
		*tail = "0123456789abcdef"[(unsigned char)lo[i + 2] & 15];
		*used = 3;
	} else {
		return 0;
	}
	b = h1 * 16 + h2;
	return b == '.' ? '.' : b == '/' || b == '\\' ? '/' : 0;
}
