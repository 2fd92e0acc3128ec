/* payload_path_glob.c - questions payload_path.c asks of a value:
 * does it name one of PHP's (or Java's) stream wrappers (and is it only a
 * local Java archive's directory), and is its canonical path a glob
 * pattern aimed at a known file. Moved out of payload_path.c. */
#include "collector/detect/payload_int.h"

#include <stdint.h>
#include <string.h>

/* PHP's stream wrappers that read files or run code wherever a file name
 * is expected (include, file_get_contents): local file inclusion without a
 * single "../" */
static const char *const wrappers[] = {
	"php://filter", "php://input", "php://fd", "php://stdin",
	"zip://", "phar://", "compress.zlib://", "compress.bzip2://", "expect://",
	"data://", "glob://", "rar://", "ogg://", "ssh2.sftp://", "ssh2.exec://",
	"ssh2.shell://", "ssh2.scp://",
	/* Java's archive URL and its local-file scheme (sun.net.www) */
	"jar:file:", "jar:http:", "jar:https:", "jar:ftp:", "netdoc:",
};

#define NW (sizeof(wrappers) / sizeof(wrappers[0]))
_Static_assert(NW <= 32, "a bit per wrapper");
static uint8_t wrap_colon[NW], wrap_len[NW];

__attribute__((constructor)) static void wrap_index(void)
{
	for (size_t k = 0; k < NW; k++) {
		wrap_colon[k] = (uint8_t)(strchr(wrappers[k], ':') - wrappers[k]);
		wrap_len[k] = (uint8_t)strlen(wrappers[k]);
	}
}

/* Is one of the wrappers named where its first occurrence starts the
 * value or follows a byte that is no letter or digit? Each holds a ':'
 * (at wrap_colon[k] of it): an occurrence's colon is one of lo's, so the
 * colons in order meet each wrapper's occurrences in order, its first
 * one first. */
int payload_path_wrapper_named(const char *lo, size_t n)
{
	uint32_t seen = 0;

	for (const char *q = memchr(lo, ':', n); q; q = memchr(q + 1, ':', n - (size_t)(q - lo) - 1)) {
		size_t qi = (size_t)(q - lo);
		for (size_t k = 0; k < NW; k++) {
			size_t at = qi - wrap_colon[k];
			if ((seen >> k & 1) || qi < wrap_colon[k] || n - at < wrap_len[k] || lo[at] != wrappers[k][0] ||
			    memcmp(lo + at, wrappers[k], wrap_len[k]) != 0)
				continue;
			seen |= 1u << k;
			if (at == 0 || !payload_is_alnum((unsigned char)lo[at - 1]))
				return 1;
		}
		if (qi + 1 >= n)
			break;
	}
	return 0;
}

/* Is lo[0..n) (blanks around it aside) a local Java archive's directory
 * URL: "jar:file:/app.jar!/BOOT-INF/classes!/", the class path entry a
 * Spring Boot stack trace or a startup log prints? A directory entry
 * reads as an empty stream: nothing of a file is handed over. Only
 * names, '/', '.', '-', '_' and "!/" in it, an archive (.jar .war .ear)
 * before the first "!/", no climb, and the URL ends at a '/'. */
int payload_path_jar_dir(const char *lo, size_t n)
{
	size_t p = 0, bang = 0;

	while (n > 0 && (lo[n - 1] == ' ' || lo[n - 1] == '\t'))
		n--;
	while (p < n && (lo[p] == ' ' || lo[p] == '\t'))
		p++;
	if (!payload_at(lo, n, p, "jar:file:") || n == 0 || lo[n - 1] != '/')
		return 0;
	for (p += 9; p < n; p++) {
		if (lo[p] == '!' && p + 1 < n && lo[p + 1] == '/') {
			if (!bang && !(p >= 4 && (!memcmp(lo + p - 4, ".jar", 4) || !memcmp(lo + p - 4, ".war", 4) ||
						  !memcmp(lo + p - 4, ".ear", 4))))
				return 0;
			bang = 1;
			continue;
		}
		if (lo[p] == '.' && p + 1 < n && lo[p + 1] == '.')
			return 0;
		if (!payload_is_alnum((unsigned char)lo[p]) && !strchr("/.-_", lo[p]))
			return 0;
	}
	return bang;
}

/* Files a glob pattern is written to reach without spelling them: a
 * shell expands "/e??/p*d" (and PHP's glob:// does), Windows'
 * FindFirstFile reads '<', '>' and '"' as '*', '?' and '.' in a drive path
 * ("c:/boot.in>", "win.i<<"). */
static const char *const glob_targets[] = {
	"etc/passwd", "etc/shadow", "etc/hosts", "etc/group", "etc/issue", "etc/hostname",
	"etc/sudoers", "proc/self/environ", "proc/self/cmdline", "proc/version",
	"windows/win.ini", "win.ini", "boot.ini", "windows/system32/config/sam",
};

/* Does pattern p[0..pn) match all of s ('*' and '?' never span a '/')? */
static int glob_match(const char *p, size_t pn, const char *s, int dos)
{
	uint32_t row = 1; /* bit j: p[0..i) matches s[0..j) */
	size_t sn = strlen(s);

	for (size_t i = 0; i < pn && row; i++) {
		char c = p[i];
		uint32_t next = 0;

		if (dos)
			c = c == '<' ? '*' : c == '>' ? '?' : c == '"' ? '.' : c;
		for (size_t j = 0; j <= sn; j++) {
			if (!(row >> j & 1))
				continue;
			if (c == '*') {
				/* stays, or eats bytes up to the next '/' */
				for (size_t k = j; k <= sn && (k == j || s[k - 1] != '/'); k++)
					next |= 1u << k;
			} else if (j < sn && (c == s[j] || (c == '?' && s[j] != '/'))) {
				next |= 1u << (j + 1);
			}
		}
		row = next;
	}
	return (int)(row >> sn & 1);
}

/* Is c[0..n), an absolute or drive path with a wildcard, a pattern that
 * names one of glob_targets from a component on? At least two letters or
 * digits of it are written out, one in its last name (a star for the
 * whole last name is a listing's glob; "/???/??ss??" is aimed). */
int payload_path_glob_target(const char *c, size_t n)
{
	int dos = n > 2 && payload_is_alpha((unsigned char)c[0]) && c[1] == ':' && c[2] == '/';
	size_t lit = 0, last_lit = 0, wild = 0;

	if ((c[0] != '/' && !dos) || n > 96 || memchr(c, ' ', n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)c[i];
		if (ch == '/')
			last_lit = 0;
		else if (payload_is_alnum(ch))
			lit++, last_lit++;
		else
			wild += ch == '*' || ch == '?' || (dos && (ch == '<' || ch == '>'));
	}
	if (!wild || lit < 2 || !last_lit)
		return 0;
	for (size_t at = 0; at < n; at++) {
		if (at > 0 && c[at - 1] != '/')
			continue;
		for (size_t k = 0; k < sizeof(glob_targets) / sizeof(glob_targets[0]); k++)
			if (glob_match(c + at, n - at, glob_targets[k], dos))
				return 1;
	}
	return 0;
}
