/* payload_shell_run.c - programs that run the command given them, for the
 * command injection detector's prefix reading (payload_shellc.c's
 * prefix_word): the schedulers' wrappers before a command line (nice -n
 * 19 id, stdbuf -o0 id, ionice -c3 id, timeout 7 id), script's -c
 * (script -qc /bin/sh /dev/null), and an editor's or debugger's shell
 * escape given on its command line (vim -c ':!sh', vi -c ':!id', gdb -nx
 * -ex '!sh', gdb -ex 'shell id'): GTFOBins' ways to a shell. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_shell_int.h"

#include <string.h>

/* the word at p is w and a blank follows it: the position after the blanks, or 0 */
static size_t run_word(const char *s, size_t n, size_t p, const char *w)
{
	size_t l = strlen(w);

	if (!payload_at(s, n, p, w) || p + l >= n || (s[p + l] != ' ' && s[p + l] != '\t'))
		return 0;
	for (p += l; p < n && (s[p] == ' ' || s[p] == '\t'); p++)
		;
	return p;
}

/* the token at p (to a blank): its end */
static size_t token_end(const char *s, size_t n, size_t p)
{
	while (p < n && s[p] != ' ' && s[p] != '\t' && !strchr(";|&`\n", s[p]))
		p++;
	return p;
}

static size_t skip_blanks(const char *s, size_t n, size_t p)
{
	while (p < n && (s[p] == ' ' || s[p] == '\t'))
		p++;
	return p;
}

/* a wrapper's options and numbers (-n 19, -o0, -c3, 7, 5s, --foreground)
 * at most four tokens of 16 bytes, then a command word's first byte (a
 * letter or '/'): its position, or 0 */
static size_t wrapper_args(const char *s, size_t n, size_t p)
{
	for (int k = 0; k < 4 && p < n && (s[p] == '-' || (s[p] >= '0' && s[p] <= '9')); k++) {
		size_t e = token_end(s, n, p);
		if (e == p || e > p + 16 || e >= n)
			return 0;
		p = skip_blanks(s, n, e);
	}
	return p < n && (payload_is_alpha((unsigned char)s[p]) || s[p] == '/') ? p : 0;
}

/* an editor's or debugger's option token at p that runs an ex or gdb
 * command (-c, -ex, --cmd, or +cmd in one token): after it, a quote may open, then ":!" or
 * "!" or "shell ": the shell command's position, or 0 */
static size_t escape_arg(const char *s, size_t n, size_t p)
{
	size_t e = token_end(s, n, p), q;

	/* vim's +{command} holds its command in the token: vim +':!sh' */
	if (s[p] == '+')
		q = p + 1;
	else if (!((e == p + 2 && payload_at(s, n, p, "-c")) || (e == p + 3 && payload_at(s, n, p, "-ex")) ||
		   (e == p + 5 && payload_at(s, n, p, "--cmd"))))
		return 0;
	else
		q = skip_blanks(s, n, e);
	if (q < n && (s[q] == '\'' || s[q] == '"'))
		q++;
	if (q < n && s[q] == ':')
		q++;
	if (q < n && s[q] == '!')
		return skip_blanks(s, n, q + 1);
	if (payload_at(s, n, q, "shell "))
		return skip_blanks(s, n, q + 6);
	return 0;
}

/* the wrapper or editor whose name starts with the two bytes at p: one
 * switch at each command position (every separator of a value reaches
 * here), NULL for most words */
static const char *run_name(const char *s, size_t p, int *editor)
{
	*editor = 0;
	switch (s[p]) {
	case 'n':
		*editor = s[p + 1] == 'v';
		return s[p + 1] == 'i' ? "nice" : s[p + 1] == 'v' ? "nvim" : NULL;
	case 's':
		return s[p + 1] == 't' ? "stdbuf" : s[p + 1] == 'c' ? "script" : NULL;
	case 'i':
		return s[p + 1] == 'o' ? "ionice" : NULL;
	case 't':
		return s[p + 1] == 'i' ? "timeout" : s[p + 1] == 'a' ? "taskset" : NULL;
	case 'c':
		return s[p + 1] == 'h' ? "chrt" : NULL;
	case 'v':
		*editor = 1;
		return s[p + 1] != 'i' ? NULL : s[p + 2] == 'm' ? "vim" : s[p + 2] == 'e' ? "view" : "vi";
	case 'e':
		*editor = 1;
		return s[p + 1] == 'x' ? "ex" : NULL;
	case 'r':
		*editor = 1;
		return s[p + 1] == 'v' ? "rvim" : NULL;
	case 'g':
		*editor = 1;
		return s[p + 1] == 'd' ? "gdb" : NULL;
	default:
		return NULL;
	}
}

size_t payload_shell_run_prefix(const char *s, size_t n, size_t p)
{
	const char *w;
	int editor;
	size_t q;

	if (p + 3 >= n || (w = run_name(s, p, &editor)) == NULL || (q = run_word(s, n, p, w)) == 0)
		return p;
	/* script -c CMD, -qc CMD: the command is -c's argument, perhaps
	 * after the typescript's file or other options (script -q /dev/null
	 * -c bash, GTFOBins' form): at most four tokens read */
	if (w[0] == 's' && w[1] == 'c') {
		for (int t = 0; t < 4 && q < n && (s[q] == '-' || s[q] == '/'); t++) {
			size_t e = token_end(s, n, q);
			if (s[q] == '-' && e < n && e <= q + 6 && s[e - 1] == 'c' && s[q + 1] != '-') {
				e = skip_blanks(s, n, e);
				if (e < n && (s[e] == '\'' || s[e] == '"'))
					e++;
				return e;
			}
			if (e >= n || e > q + 64)
				break;
			q = skip_blanks(s, n, e);
		}
		return p;
	}
	if (!editor)
		return (q = wrapper_args(s, n, q)) > 0 ? q : p;
	/* the editor's escape may follow other options: vi -n -c ':!sh' */
	for (int t = 0; t < 4 && q < n && (s[q] == '-' || s[q] == '+'); t++) {
		size_t c = escape_arg(s, n, q);
		if (c > 0)
			return c;
		q = skip_blanks(s, n, token_end(s, n, q));
	}
	return p;
}
