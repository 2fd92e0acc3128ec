/* payload_shell_glob.c - a binary named by the shell's other wildcards:
 * bracket expressions and '*' (/usr/bin/w[h]oami, /b[i]n/c[a]t,
 * /b*\/c?t, /usr/bin/wh*mi), also after a leading separator
 * (;/b[a-z]n/i[d]). payload_shell_code.c's glob_binary keeps the '?'-only
 * forms at the value's start; this file adds what it refuses. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_shell_int.h"

#include <string.h>

#define GLOB_MAX 64

/* does pattern g[0..gl) ('?' one byte, '*' any run) match w[0..wl)?
 * Both are short (at most GLOB_MAX, a word at most 255): one '*' is
 * tried at every split, a second one's backtracking is bounded by the
 * word's length. */
static int glob_match(const char *g, size_t gl, const char *w, size_t wl)
{
	size_t i = 0, j = 0, star = (size_t)-1, mark = 0;

	while (j < wl) {
		if (i < gl && (g[i] == '?' || g[i] == w[j])) {
			i++;
			j++;
		} else if (i < gl && g[i] == '*') {
			star = i++;
			mark = j;
		} else if (star != (size_t)-1) {
			i = star + 1;
			j = ++mark;
		} else {
			return 0;
		}
	}
	while (i < gl && g[i] == '*')
		i++;
	return i == gl;
}

/* a word of the strong or weak lists the pattern names */
static int glob_names(const char *g, size_t l)
{
	static const int lists[] = {PAYLOAD_SHELL_STRONG, PAYLOAD_SHELL_WEAK};

	for (size_t li = 0; li < 2; li++) {
		const struct payload_shellt_ix *ix = &payload_shellt_ix[lists[li]];
		unsigned b0 = (g[0] == '?' || g[0] == '*') ? 1 : (unsigned char)g[0];
		unsigned b1 = (g[0] == '?' || g[0] == '*') ? 255 : b0;
		for (unsigned b = b0; b <= b1; b++)
			for (size_t k = ix->from[b]; k < ix->to[b]; k++)
				if (ix->len[k] >= 2 && glob_match(g, l, ix->word[k], ix->len[k]))
					return 1;
	}
	return 0;
}

/* the word at s[p..) folded into g: a bracket expression ([h], [a-z],
 * [!x]) becomes '?'; its length, 0 when the word is no path pattern */
static size_t glob_fold(const char *s, size_t n, size_t p, char *g, int *brackets, int *dirglob, int *nameglob)
{
	size_t w = 0;
	int seg = 0;

	for (; p < n && !payload_is_space((unsigned char)s[p]) && !strchr(";|&", s[p]); p++) {
		unsigned char c = (unsigned char)s[p];
		if (w >= GLOB_MAX)
			return 0;
		if (c == '[') {
			size_t e = p + 1 + (p + 1 < n && (s[p + 1] == '!' || s[p + 1] == '^'));
			size_t stop = e + 12 < n ? e + 12 : n;
			while (e < stop && s[e] != ']' && (payload_is_alnum((unsigned char)s[e]) || s[e] == '-'))
				e++;
			if (e >= stop || s[e] != ']' || e == p + 1)
				return 0;
			/* digits only after a letter name a version, as docs and
			 * audit rules write python[23], python[0-9]: no byte hidden */
			if (e > p + 2 && w > 0 && payload_is_alpha((unsigned char)g[w - 1])) {
				size_t d = p + 1;

				while (d < e && ((s[d] >= '0' && s[d] <= '9') || s[d] == '-'))
					d++;
				if (d == e)
					return 0;
			}
			/* one byte in the brackets is that byte: [1] is '1' */
			g[w++] = e == p + 2 ? s[p + 1] : '?';
			*brackets = seg = 1;
			p = e;
			continue;
		}
		if (!payload_is_alnum(c) && !strchr("/?*", c))
			return 0;
		seg |= c == '?' || c == '*';
		if (c == '/') {
			*dirglob |= seg;
			seg = 0;
		}
		g[w++] = (char)c;
	}
	*nameglob = seg;
	return w;
}

/* a name pattern with '*' must hold literal bytes on both sides of each
 * star (wh*mi, c*t): /usr/bin/py* in a doc names many binaries */
static int star_anchored(const char *g, size_t l)
{
	for (size_t i = 0; i < l; i++)
		if (g[i] == '*' && (i == 0 || i + 1 == l || g[i - 1] == '*' || g[i + 1] == '*' || g[i - 1] == '?' ||
				    g[i + 1] == '?'))
			return 0;
	return 1;
}

int payload_shell_glob(const char *s, size_t n)
{
	char g[GLOB_MAX];
	size_t p = 0, l, b = 0;
	int brackets = 0, lead = 0, qdir = 0, named = 0, sysdir;

	/* the value's start, or a separator opening it (;/b[i]n/i[d]) */
	while (p < n && p < 8 && (s[p] == ' ' || s[p] == ';' || s[p] == '|' || s[p] == '&' || s[p] == '\n')) {
		lead |= s[p] != ' ';
		p++;
	}
	if (p >= n || s[p] != '/' || (p > 0 && !lead))
		return 0;
	l = glob_fold(s, n, p, g, &brackets, &qdir, &named);
	if (l < 4)
		return 0;
	/* what glob_binary already judges: '?' only, at the start */
	if (!brackets && !lead && !memchr(g, '*', l))
		return 0;
	for (size_t e = 0; e < l; e++)
		if (g[e] == '/')
			b = e + 1;
	if (b >= l || b < 2 || l - b > 16 || !named)
		return 0;
	if (memchr(g + b, '*', l - b) && !star_anchored(g + b, l - b))
		return 0;
	sysdir = (b == 5 && !memcmp(g, "/bin/", 5)) || (b == 6 && !memcmp(g, "/sbin/", 6)) ||
		 (b == 9 && !memcmp(g, "/usr/bin/", 9)) || (b == 10 && !memcmp(g, "/usr/sbin/", 10));
	return (qdir || sysdir) && glob_names(g + b, l - b);
}
