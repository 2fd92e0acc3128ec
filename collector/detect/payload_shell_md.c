/* payload_shell_md.c - command injection: what Markdown and
 * reStructuredText write with backticks in prose, which the separator scan
 * (payload_shell.c) must not read as a substitution. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_shell_int.h"

#include <string.h>
#include <strings.h>

/* a word a proof of injection runs */
static int md_probe_word(const char *w, size_t l)
{
	static const char *const probe[] = { "whoami", "id", "uname", "ifconfig", "ipconfig",
					     "systeminfo" };

	for (size_t k = 0; k < sizeof probe / sizeof probe[0]; k++)
		if (strlen(probe[k]) == l && !strncasecmp(w, probe[k], l))
			return 1;
	return 0;
}

/* The backtick run at s[i] (one or two, `x` or ``x``) opens inline code
 * around one lone word in prose: opened at the value's start, after a
 * blank or after a blank's '(' (not a call's: print(`id`)); the word of
 * letters, digits and . _ - only, closed by the same run; after it,
 * punctuation prose puts there (. , : ) ! ? and the plural's s) before a
 * blank or the end, or a blank and more text. Docs write a field or a
 * tool so (`hostname`. On success, the current value of `ps`.); measured
 * on 92,834 Markdown lines: 111 hold a bare command word (id, env,
 * hostname, ps...) in a pair, main flagged 34; a handful end the line on
 * the pair, none is the pair alone. A pair that ends the value or comes
 * before a '#' (`id`, foo `id`, `id` #: what payload lists write) stays a
 * substitution. The index of the closing run's last byte, or 0. */
size_t payload_shell_md_pair(const char *s, size_t n, size_t i)
{
	size_t r = 1, b, j, e, tail;

	if (i > 0 && s[i - 1] != ' ' && s[i - 1] != '\t' &&
	    (s[i - 1] != '(' || (i > 1 && s[i - 2] != ' ' && s[i - 2] != '\t')))
		return 0;
	if (i + 1 < n && s[i + 1] == '`')
		r = 2;
	b = i + r;
	for (j = b; j < n && j < b + 64 && (payload_is_alnum((unsigned char)s[j]) || (s[j] && strchr("._-", s[j]))); j++)
		;
	if (j == b || j + r > n || s[j] != '`' || (r == 2 && s[j + 1] != '`'))
		return 0;
	/* the words a proof of injection runs (test `whoami`. x) stay a
	 * substitution wherever they sit: docs name them in prose rarely,
	 * payloads always */
	if (md_probe_word(s + b, j - b))
		return 0;
	e = j + r;
	if (e < n && s[e] == '`')
		return 0;
	tail = e;
	if (tail < n && strchr(".,:)!?s", s[tail]))
		tail++;
	/* (a path's '/' ends the segment: /search/Use `dmesg`./results) */
	if (tail < n && s[tail] != ' ' && s[tail] != '\t' && !(tail > e && s[tail] == '/'))
		return 0;
	/* a pair ending the value, or before a comment, is a substitution
	 * as payloads place it (foo `id`, `id` #, the pair alone); prose
	 * goes on after it or ends on punctuation */
	if (tail == e) {
		size_t t = e;
		while (t < n && (s[t] == ' ' || s[t] == '\t'))
			t++;
		if (t >= n || s[t] == '#')
			return 0;
	}
	return e - 1;
}

/* The process substitution at s[i] ("<(" or ">(") is an argument in a
 * shell line that prose quotes: after a word and a blank, it and any
 * substitutions after it closed with no separator inside, then a
 * sentence goes on to the value's end ("diff <(sort a.txt) <(sort b.txt)
 * compares sorted files"): two words at least, no shell syntax. A
 * payload ends there ("x <(sleep 5)") or goes on in shell. 1, else 0;
 * *end: the answer holds for every substitution of the chain before it
 * (the caller asks once per chain: a value of many stays one pass). */
int payload_shell_md_subst_prose(const char *s, size_t n, size_t i, size_t *end)
{
	size_t p = i, words = 0;

	*end = i + 2;

	/* the substitutions, one after another */
	while (p + 1 < n && (s[p] == '<' || s[p] == '>') && s[p + 1] == '(') {
		size_t e = p + 2;
		while (e < n && e < p + 130 && !strchr("()`;|&\n$", s[e]))
			e++;
		if (e >= n || s[e] != ')')
			return 0;
		for (p = e + 1; p < n && s[p] == ' '; p++)
			;
		*end = p;
	}
	/* back over the substitutions before it, to the word they follow
	 * (once per chain: *end already covers the chain's rest) */
	while (i >= 4 && s[i - 1] == ' ' && s[i - 2] == ')') {
		size_t b = i - 2;
		while (b > 0 && i - b < 130 && !strchr("()`;|&\n$", s[b - 1]))
			b--;
		if (b < 2 || s[b - 1] != '(' || (s[b - 2] != '<' && s[b - 2] != '>'))
			return 0;
		i = b - 2;
	}
	if (i < 2 || s[i - 1] != ' ' || !payload_is_alnum((unsigned char)s[i - 2]))
		return 0;
	/* the sentence */
	for (; p < n; words++) {
		size_t b = p;
		while (p < n && payload_is_alpha((unsigned char)s[p]))
			p++;
		if (p == b)
			return 0;
		if (p < n && strchr(".,:", s[p]))
			p++;
		if (p < n && s[p] != ' ')
			return 0;
		while (p < n && s[p] == ' ')
			p++;
	}
	return words >= 2;
}
