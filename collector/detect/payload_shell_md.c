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
