/* payload_shell_code.c - code execution in the forms the command
 * injection collections carry, for payload_shell.c: Ruby's and Perl's
 * command literals (%x(id), qx{whoami}), PHP code that runs a command
 * (<?php system($_GET[c]); ?>, <?=`$_GET[0]`?>, phpinfo() as a whole
 * value), server-side include directives that run or print the server's
 * state (<!--#printenv -->), and a binary's name found by a wildcard
 * pattern in a system directory (/b??/c?t, /usr/bin/wh?ami). */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_shell_int.h"

#include <string.h>

/* %x or qx at p and its delimiter: what it holds is a command line
 * ("%x(id)", "qx{whoami}", "%x|uname -a|", "qx (id)", "qx#id#") */
static int cmd_literal(const char *s, size_t n, size_t p)
{
	static const char open[] = "({<|/[!", close[] = ")}>|/]!";
	/* Perl's qx takes any punctuation as its delimiter, the same byte
	 * closing it: qx'id', qx"id", qx#id#, qx~id~, qx:id:. A value whose
	 * only punctuation is one of these reaches here through payload.c's
	 * "q and x" opening of the cmdi gate (review rev5 G2) */
	static const char qsame[] = "'\"#~^:.@+%-,=;*&?";
	const char *o;
	size_t e, d;
	char cl;

	/* Ruby's %x where code stands (the value's start, after ; = ( { |
	 * &): in text it is printf's hex ("%x(id)", "%x[id] for ids") */
	if (s[p] == '%' && p > 0 && !strchr(";=({|&`$", s[p - 1]))
		return 0;
	if (p + 3 >= n || (p > 0 && (payload_is_alnum((unsigned char)s[p - 1]) || s[p - 1] == '_')) || !s[p + 2])
		return 0;
	/* Perl allows blanks between qx and its delimiter (not before '#',
	 * which opens a comment there): qx (id), qx\t{id} */
	for (d = p + 2; s[p] == 'q' && d < n && d < p + 6 && (s[d] == ' ' || s[d] == '\t'); d++)
		;
	if (d + 1 >= n || !s[d] || (d > p + 2 && s[d] == '#'))
		return 0;
	if ((o = strchr(open, s[d])) != NULL)
		cl = close[o - open];
	else if (s[p] == 'q' && strchr(qsame, s[d]))
		cl = s[d];
	else
		return 0;
	for (e = d + 1; e < n && e < d + 256 && s[e] != cl; e++)
		;
	if (e >= n || s[e] != cl || e <= d + 1)
		return 0;
	/* a delimiter that is no quote or bracket also joins names
	 * (qooxdoo's qx.ui.form, qx-id-list): the literal must end the
	 * value or its statement */
	if (!o && s[d] != '\'' && s[d] != '"' && e + 1 < n && !strchr(" \t;|&)}'\"`,", s[e + 1]))
		return 0;
	/* with blanks before the delimiter it is prose's as much ("qx (ls
	 * -l) returns the output"): the literal must end the value or its
	 * statement */
	if (d > p + 2) {
		size_t f = e + 1;

		while (f < n && f < e + 16 && (s[f] == ' ' || s[f] == '\t'))
			f++;
		if (f < n && !strchr(";|&)}'\"`,", s[f]))
			return 0;
	}
	return payload_shell_command_at(s + d + 1, e - d - 1, 0, 1);
}

/* PHP's functions that run a command, or show the server's state */
static const char *const php_run[] = {"system", "exec", "passthru", "shell_exec", "popen", "proc_open",
				      "pcntl_exec", "phpinfo"};

/* at p (lower-cased) one of php_run called: the index after its '(' */
static size_t php_run_call(const char *lo, size_t n, size_t p)
{
	if (p > 0 && (payload_is_alnum((unsigned char)lo[p - 1]) || lo[p - 1] == '_' || lo[p - 1] == '>' ||
		      lo[p - 1] == ':'))
		return 0;
	for (size_t k = 0; k < sizeof(php_run) / sizeof(php_run[0]); k++) {
		size_t l = strlen(php_run[k]), q;
		if (!payload_at(lo, n, p, php_run[k]))
			continue;
		/* blanks, tabs and C comments PHP skips before the call's ( */
		for (q = p + l; q < n && q < p + l + 24;) {
			if (lo[q] == ' ' || lo[q] == '\t') {
				q++;
			} else if (lo[q] == '/' && q + 1 < n && lo[q + 1] == '*') {
				size_t c = q + 2;
				while (c + 1 < n && c < p + l + 24 && !(lo[c] == '*' && lo[c + 1] == '/'))
					c++;
				if (c + 1 >= n || lo[c] != '*' || lo[c + 1] != '/')
					break;
				q = c + 2;
			} else {
				break;
			}
		}
		/* with blanks before '(' an argument must follow, a string
		 * or a variable: "the system (Apache 2.4)" is prose */
		if (q < n && lo[q] == '(' && (q == p + l || (q + 1 < n && strchr("'\"$`", lo[q + 1]))))
			return q + 1;
	}
	return 0;
}

/* a backtick at i where PHP takes it as shell_exec: as an expression
 * (after = ( , . ; or echo, print, return; "<?=" ends in '='), not a
 * Markdown pair around the tag ("`<?php` opens the file") */
static int tick_expr(const char *lo, size_t i)
{
	static const char *const w[] = {"echo", "print", "return"};
	size_t j = i;

	while (j > 0 && (lo[j - 1] == ' ' || lo[j - 1] == '\t'))
		j--;
	if (j > 0 && strchr("=(,.;", lo[j - 1]))
		return 1;
	for (size_t k = 0; k < 3; k++) {
		size_t l = strlen(w[k]);
		if (j >= l && !memcmp(lo + j - l, w[k], l) && (j == l || !payload_is_alnum((unsigned char)lo[j - l - 1])))
			return 1;
	}
	return 0;
}

/* PHP's opening tag (<?php, <?=) and in the code it opens (to "?>") a
 * call that runs a command, or a backtick pair (PHP's shell_exec) outside
 * the code's strings and comments (MySQL quotes names with backticks in
 * SQL strings): 85; phpinfo() in a tag that is the whole value: 70. One
 * pass. */
static int php_tag(const char *lo, size_t n)
{
	const char *lt = memrchr(lo, '`', n);
	size_t last_tick = lt ? (size_t)(lt - lo) : 0, first_tag = (size_t)-1;
	int code = 0;
	char in = 0; /* inside a string (its quote), a comment ('/' or '#') */

	for (size_t i = 0; i + 1 < n; i++) {
		size_t q;

		if (code && in) {
			if ((in == '\'' || in == '"') && lo[i] == '\\')
				i++;
			else if (lo[i] == in || (in == '/' && lo[i] == '*' && lo[i + 1] == '/') ||
				 (in == '#' && lo[i] == '\n'))
				in = 0;
			continue;
		}
		if (lo[i] == '<' && lo[i + 1] == '?') {
			/* the short tag too: "<? echo `$_GET[c]`; ?>" */
			code = payload_at(lo, n, i + 2, "php") || payload_at(lo, n, i + 2, "=") ||
			       (i + 2 < n && (lo[i + 2] == ' ' || lo[i + 2] == '\t' || lo[i + 2] == '\n'));
			if (first_tag == (size_t)-1)
				first_tag = i;
			i++;
		} else if (lo[i] == '?' && lo[i + 1] == '>') {
			code = 0;
		} else if (!code) {
			continue;
		} else if (lo[i] == '\'' || lo[i] == '"') {
			in = lo[i];
		} else if (lo[i] == '/' && lo[i + 1] == '*') {
			in = '/';
			i++;
		} else if ((lo[i] == '/' && lo[i + 1] == '/') || lo[i] == '#') {
			in = '#';
		} else if (lo[i] == '`' && last_tick > i && tick_expr(lo, i)) {
			const char *e = memchr(lo + i + 1, '`', n - i - 1);
			/* a command line between the pair, or a variable's
			 * (`$_GET[0]`: the request's text run) */
			if (e && (lo[i + 1] == '$' || payload_shell_command_at(lo + i + 1, (size_t)(e - lo) - i - 1, 0, 1)))
				return 85;
			i = e ? (size_t)(e - lo) : i;
		} else if ((lo[i] == 's' || lo[i] == 'e' || lo[i] == 'p') && (q = php_run_call(lo, n, i)) > 0) {
			size_t c;
			if (!(lo[i] == 'p' && payload_at(lo, n, i, "phpinfo")))
				return 85;
			/* phpinfo() shows, runs nothing: only the tag as the
			 * whole value ("use <?php phpinfo(); ?> on a dev box"
			 * is advice) */
			for (c = q; c + 1 < n && !(lo[c] == '?' && lo[c + 1] == '>'); c++)
				;
			for (c += 2; c < n && strchr(" \t\r\n'\"", lo[c]); c++)
				;
			return first_tag <= 2 && c >= n ? 70 : 0;
		}
	}
	return 0;
}

/* the whole value phpinfo() as an eval-based injection writes it: after
 * a quote, ';' or '.', with a ';', quote, '.' or comment after */
static int php_info_value(const char *lo, size_t n)
{
	size_t p = 0, e;

	while (p < n && p < 4 && strchr("'\";. ", lo[p]))
		p++;
	if (!payload_at(lo, n, p, "phpinfo()"))
		return 0;
	for (e = p + 9; e < n && strchr("'\";.# /", lo[e]); e++)
		;
	return e == n;
}

/* server-side include directives beyond exec (payload_shell.c): what
 * prints the server's environment or sets what a later one runs */
static int ssi_directive(const char *lo, size_t n)
{
	/* the directive, then (blanks between, as Apache reads them) its
	 * attribute: printenv takes none */
	static const char *const d[][2] = {{"printenv", ""}, {"echo", "var="}, {"set", "var="}, {"config", "errmsg="}};
	size_t t = payload_find(lo, n, 0, "<!--#");

	while (t < n) {
		for (size_t k = 0; k < sizeof(d) / sizeof(d[0]); k++) {
			size_t e = t + 5 + strlen(d[k][0]), b = e;
			if (!payload_at(lo, n, t + 5, d[k][0]))
				continue;
			while (e < n && e < b + 8 && (lo[e] == ' ' || lo[e] == '\t' || lo[e] == '\n'))
				e++;
			if (k == 0 ? (e >= n || e > b || lo[e] == '-') : (e > b && payload_at(lo, n, e, d[k][1])))
				return 1;
		}
		t = payload_find(lo, n, t + 5, "<!--#");
	}
	return 0;
}

/* does the pattern g[0..l) ('?' any one byte) name a command word of the
 * strong or weak lists (as long, the same elsewhere)? */
static int glob_names_command(const char *g, size_t l)
{
	static const int lists[] = {PAYLOAD_SHELL_STRONG, PAYLOAD_SHELL_WEAK};

	for (size_t li = 0; li < 2; li++) {
		const struct payload_shellt_ix *ix = &payload_shellt_ix[lists[li]];
		unsigned b0 = g[0] == '?' ? 1 : (unsigned char)g[0], b1 = g[0] == '?' ? 255 : b0;
		for (unsigned b = b0; b <= b1; b++)
			for (size_t k = ix->from[b]; k < ix->to[b]; k++) {
				size_t j = 0;
				if (ix->len[k] != l || ix->len[k] < 2)
					continue;
				while (j < l && (g[j] == '?' || g[j] == ix->word[k][j]))
					j++;
				if (j == l)
					return 1;
			}
	}
	return 0;
}

/* The value's first word a path in a system directory (or one spelt by
 * '?' patterns) whose binary name is a pattern naming a command:
 * /b??/c?t /e?c/pa??wd, /usr/bin/wh?ami */
static int glob_binary(const char *s, size_t n)
{
	size_t e, b = 0;
	int qdir = 0, sysdir;

	if (n < 4 || s[0] != '/')
		return 0;
	for (e = 0; e < n && !payload_is_space((unsigned char)s[e]); e++) {
		if (!payload_is_alnum((unsigned char)s[e]) && !strchr("/?", s[e]))
			return 0;
		if (s[e] == '/') {
			qdir |= b < e && memchr(s + b, '?', e - b) != NULL;
			b = e + 1;
		}
	}
	if (b >= e || !memchr(s + b, '?', e - b) || e - b > 12)
		return 0;
	sysdir = (b == 5 && !memcmp(s, "/bin/", 5)) || (b == 6 && !memcmp(s, "/sbin/", 6)) ||
		 (b == 9 && (!memcmp(s, "/usr/bin/", 9) || !memcmp(s, "/usr/sbin/", 9)));
	return (qdir || sysdir) && b > 1 && glob_names_command(s + b, e - b);
}

int payload_shell_code(const char *s, const char *lo, size_t n, const char **why)
{
	int sc;

	/* %x needs its '%', qx its 'q' (cmd_literal reads any delimiter) */
	if (memchr(lo, 'x', n) && (memchr(lo, '%', n) || memchr(s, 'q', n))) {
		/* a few literals tried at most: each reads up to 256 bytes */
		for (size_t p = 0, tries = 0; p + 3 < n && tries < 16; p++)
			if ((lo[p] == '%' || lo[p] == 'q') && lo[p + 1] == 'x' && ++tries && cmd_literal(s, n, p)) {
				*why = "ruby or perl command literal";
				return 85;
			}
	}
	if (memchr(lo, '<', n)) {
		if ((sc = php_tag(lo, n)) > 0) {
			*why = "php code running a command";
			return sc;
		}
		if (ssi_directive(lo, n)) {
			*why = "server-side include directive";
			return 75;
		}
	}
	if (memchr(lo, '(', n) && php_info_value(lo, n)) {
		*why = "php code running a command";
		return 70;
	}
	if (s[0] == '/' && memchr(lo, '?', n) && glob_binary(s, n)) {
		*why = "command path found by wildcards";
		return 85;
	}
	return 0;
}
