/* payload_shell_sub.c - words the shell builds before it runs them, for
 * the command injection detector (payload_shell.c) to judge the command
 * line the shell runs: the default of an unset variable (${x:-cat}), the
 * output of echo or printf in a substitution (`echo id`, $(printf
 * '\151\144')), and a word spelt in quoted pieces of either kind or led by
 * an empty pair ("w"'h'oami, ""whoami, "i"'d'). Each form is replaced by
 * the word it makes; what stands around it is copied as it is. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_shell_int.h"

#include <string.h>

/* a byte of a word these forms may make: a command name or a path */
static int word_byte(int c)
{
	return payload_is_alnum(c) || c == '_' || c == '.' || c == '/' || c == '-';
}

static size_t printf_word(const char *q, size_t l, char *out);

/* ${NAME:-word}, ${NAME-word}, ${NAME:=word}, ${NAME=word} at s[i], the
 * name also led by '!' (bash's indirection: ${!x:-uname} runs the default
 * too), the word bare, quoted whole or in bash's $'..' (escapes made:
 * ${x:-$'\x69d'}): the word into out (room for its source's length),
 * its length in *ol, and the index after the '}' in *e; 0 if the form
 * is not there, else 1 */
static int default_word(const char *s, size_t n, size_t i, char *out, size_t *ol, size_t *e)
{
	size_t p = i + 2, b, wl;
	char q = 0;
	int ansi = 0;

	if (p < n && s[p] == '!')
		p++;
	/* a name or a positional parameter: ${x:-id}, ${9:-uname} */
	if (p + 3 >= n || s[i] != '$' || s[i + 1] != '{' || !(payload_is_alnum((unsigned char)s[p]) || s[p] == '_'))
		return 0;
	for (b = p; p < n && p < b + 32 && (payload_is_alnum((unsigned char)s[p]) || s[p] == '_');)
		p++;
	if (p < n && s[p] == ':')
		p++;
	if (p >= n || (s[p] != '-' && s[p] != '='))
		return 0;
	/* the word quoted whole: ${x:-"id"}, ${x:-'id'}, ${x:-$'id'} */
	if (p + 2 < n && s[p + 1] == '$' && s[p + 2] == '\'')
		ansi = 1, p++;
	if (p + 1 < n && (s[p + 1] == '"' || s[p + 1] == '\''))
		q = s[++p];
	b = ++p;
	while (p < n && p < b + 64 && (word_byte((unsigned char)s[p]) || (ansi && s[p] == '\\')))
		p++;
	if (q && p < n && s[p] == q)
		p++;
	else if (q)
		return 0;
	if (p == b + (q != 0) || p >= n || s[p] != '}')
		return 0;
	wl = p - b - (q != 0);
	if (ansi) {
		if ((*ol = printf_word(s + b, wl, out)) == 0)
			return 0;
	} else {
		memcpy(out, s + b, wl);
		*ol = wl;
	}
	*e = p + 1;
	return 1;
}

/* printf's escapes in q[0..l): \NNN octal, \xHH; the word into out
 * (at most l bytes), its length, or 0 when a byte made is no word byte */
static size_t printf_word(const char *q, size_t l, char *out)
{
	size_t w = 0;

	for (size_t i = 0; i < l; i++) {
		unsigned v = 0, k;

		if (q[i] != '\\') {
			if (!word_byte((unsigned char)q[i]))
				return 0;
			out[w++] = q[i];
			continue;
		}
		if (i + 1 < l && q[i + 1] == 'x') {
			for (k = 0; k < 2 && i + 2 + k < l; k++) {
				char h = (char)(q[i + 2 + k] | 32);
				if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f')))
					break;
				v = v * 16 + (unsigned)(h <= '9' ? h - '0' : h - 'a' + 10);
			}
			i += 1 + k;
		} else {
			for (k = 0; k < 4 && i + 1 + k < l && q[i + 1 + k] >= '0' && q[i + 1 + k] <= '7'; k++)
				v = v * 8 + (unsigned)(q[i + 1 + k] - '0');
			i += k;
		}
		if (!k || !word_byte((int)v))
			return 0;
		out[w++] = (char)v;
	}
	return w;
}

/* "rev" at p as the shell reads it: quoted or escaped ('rev', "rev",
 * r\ev, r''ev), up to a blank or the substitution's close: the index
 * after it, or 0 */
static size_t rev_word(const char *s, size_t n, size_t p, char close)
{
	char w[3];
	size_t l = 0;

	for (size_t e = p + 12; p < n && p < e && s[p] != close && s[p] != ' '; p++) {
		if (s[p] == '\'' || s[p] == '"' || s[p] == '\\')
			continue;
		if (l == 3)
			return 0;
		w[l++] = s[p];
	}
	return l == 3 && !memcmp(w, "rev", 3) ? p : 0;
}

/* `echo WORD`, $(echo WORD), `printf 'WORD'`, $(printf "\151\144"), any of
 * them piped through rev ($(echo imaohw|rev)) at
 * s[i] (the backtick or the '$'): the word into out, its length in *ol,
 * *built whether the value never spells it (escapes, rev), and the index
 * after the closing byte; 0 if the form is not there */
static size_t echo_word(const char *s, size_t n, size_t i, char *out, size_t *ol, int *built)
{
	size_t p = i + 1, b, e;
	char close = '`', q = 0;
	int pf, rev = 0;

	if (s[i] == '$') {
		if (p >= n || s[p] != '(')
			return 0;
		p++;
		close = ')';
	}
	while (p < n && s[p] == ' ')
		p++;
	pf = payload_at(s, n, p, "printf ");
	if (!pf && !payload_at(s, n, p, "echo "))
		return 0;
	p += pf ? 7 : 5;
	while (p < n && s[p] == ' ')
		p++;
	if (!pf && p + 3 < n && s[p] == '-' && (s[p + 1] == 'n' || s[p + 1] == 'e') && s[p + 2] == ' ')
		p += 3;
	if (p < n && (s[p] == '\'' || s[p] == '"'))
		q = s[p++];
	b = p;
	while (p < n && p < b + 160 && s[p] != close && s[p] != ' ' && (q ? s[p] != q : s[p] != '|'))
		p++;
	e = p;
	if (q) {
		if (p >= n || s[p] != q)
			return 0;
		p++;
	}
	while (p < n && s[p] == ' ')
		p++;
	/* the word piped through rev, written backwards: $(echo imaohw|rev) */
	if (p < n && s[p] == '|') {
		for (p++; p < n && s[p] == ' '; p++)
			;
		if (!(p = rev_word(s, n, p, close)))
			return 0;
		for (rev = 1; p < n && s[p] == ' '; p++)
			;
	}
	if (e == b || p >= n || s[p] != close)
		return 0;
	*ol = pf ? printf_word(s + b, e - b, out) : printf_word(s + b, e - b, out) * !memchr(s + b, '\\', e - b);
	*built = rev || memchr(s + b, '\\', e - b) != NULL;
	for (size_t k = 0; rev && k < *ol / 2; k++) {
		char t = out[k];
		out[k] = out[*ol - 1 - k];
		out[*ol - 1 - k] = t;
	}
	return *ol ? p + 1 : 0;
}

/* A word of quoted pieces and bare runs from s[i] (a word's start): the
 * pieces' letters into out, *ol their length, the index after the word;
 * 0 unless it has two pieces at least and one of them is quoted */
static size_t piece_word(const char *s, size_t n, size_t i, char *out, size_t *ol)
{
	size_t p = i, w = 0;
	int pieces = 0, quoted = 0;

	while (p < n && p < i + 48) {
		if (s[p] == '\'' || s[p] == '"') {
			size_t e = p + 1;
			while (e < n && e < p + 34 && payload_is_alnum((unsigned char)s[e]))
				e++;
			if (e >= n || s[e] != s[p])
				break;
			memcpy(out + w, s + p + 1, e - p - 1);
			w += e - p - 1;
			p = e + 1;
			quoted = 1;
		} else if (payload_is_alnum((unsigned char)s[p])) {
			while (p < n && payload_is_alnum((unsigned char)s[p]))
				out[w++] = s[p++];
		} else {
			break;
		}
		pieces++;
	}
	*ol = w;
	return pieces >= 2 && quoted && w > 0 && (p >= n || !payload_is_alnum((unsigned char)s[p])) ? p : 0;
}

/* Could payload_shell_sub_expand change the value? "${", echo or printf
 * after a substitution's opening, or a quote glued to a quoted piece or
 * a letter the way piece_word reads; most values (prose with quotes,
 * JSON) stop here at the cost of a memchr per quote */
int payload_shell_sub_may(const char *s, const char *lo, size_t n)
{
	if (payload_find(lo, n, 0, "${") < n || ((memchr(lo, '`', n) || memchr(lo, '(', n)) &&
						  (payload_find(lo, n, 0, "echo ") < n || payload_find(lo, n, 0, "printf ") < n)))
		return 1;
	for (size_t i = 0; i + 1 < n; i++) {
		size_t e;

		if (s[i] != '\'' && s[i] != '"')
			continue;
		if (s[i + 1] == '\'' || s[i + 1] == '"')
			return 1;
		for (e = i + 1; e < n && e < i + 34 && payload_is_alnum((unsigned char)s[e]); e++)
			;
		if (e > i + 1 && e < n && s[e] == s[i] &&
		    ((e + 1 < n && (payload_is_alnum((unsigned char)s[e + 1]) || s[e + 1] == '\'' || s[e + 1] == '"')) ||
		     (i > 0 && payload_is_alnum((unsigned char)s[i - 1]))))
			return 1;
		/* the next quote is at e at the earliest */
		i = e - 1;
	}
	return 0;
}

size_t payload_shell_sub_expand(const char *s, size_t n, char *d)
{
	size_t w = 0, e, wl;
	int changed = 0, built = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '$' && i + 1 < n && s[i + 1] == '{' && default_word(s, n, i, d + w, &wl, &e)) {
			w += wl;
			i = e - 1;
			changed = 1;
			continue;
		}
		if ((c == '`' || c == '$') && (e = echo_word(s, n, i, d + w + 1, &wl, &built)) > 0) {
			/* a word built in backticks with no argument after it
			 * stays a substitution there: `echo imaohw|rev` runs as
			 * `whoami` would where the value is run (with arguments
			 * it is the command: `echo tac|rev` /etc/passwd);
			 * $(..) is read by its own rule */
			if (built && c == '`' && (e >= n || strchr(";|&'\"\n)`", s[e]))) {
				d[w] = '`';
				d[w + 1 + wl] = '`';
				wl += 2;
			} else {
				memmove(d + w, d + w + 1, wl);
			}
			w += wl;
			i = e - 1;
			changed = 1;
			continue;
		}
		/* a word's start: not inside a word nor after a quote (a
		 * quote's closing piece was read with its opening one) */
		if ((c == '\'' || c == '"' || payload_is_alnum((unsigned char)c)) &&
		    (i == 0 || !(payload_is_alnum((unsigned char)s[i - 1]) || s[i - 1] == '\'' || s[i - 1] == '"'))) {
			if ((e = piece_word(s, n, i, d + w, &wl)) > 0) {
				w += wl;
				i = e - 1;
				changed = 1;
				continue;
			}
			/* not a word of pieces: its bare run is copied here,
			 * once (each byte is read twice at most) */
			if (payload_is_alnum((unsigned char)c)) {
				while (i + 1 < n && payload_is_alnum((unsigned char)s[i + 1]))
					d[w++] = s[i++];
			}
		}
		d[w++] = s[i];
	}
	return changed ? w : 0;
}
