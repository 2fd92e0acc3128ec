/* payload_shell_lang.c - code that runs a command in the languages an
 * eval-based injection targets, for the command injection detector
 * (payload_shell.c): Node's child_process with a method called on it,
 * Python's __import__ of a process module used, PHP's callbacks handed a
 * command function by name (array_map('system', ..)), PHP sinks given
 * request input (assert($_GET[c])), Java's exec of an argv array, .NET's
 * Process.Start of an interpreter, Perl's open of a pipe. Each scan is one pass over the lower-cased value. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_shell_int.h"
#include "common/digit.h"

#include <string.h>

static size_t lang_blanks(const char *lo, size_t n, size_t p, size_t max)
{
	size_t e = p + max;

	while (p < n && p < e && (lo[p] == ' ' || lo[p] == '\t'))
		p++;
	return p;
}

/* the name at p is one of the words, then (blanks) '(' */
static int lang_call(const char *lo, size_t n, size_t p, const char *const *w, size_t nw)
{
	for (size_t k = 0; k < nw; k++) {
		size_t l, q;
		/* the first two bytes decide most names (one call per word
		 * start of the value: no strlen before them) */
		if (w[k][0] != lo[p] || p + 1 >= n || w[k][1] != lo[p + 1])
			continue;
		l = strlen(w[k]);
		if (!payload_at(lo, n, p, w[k]))
			continue;
		q = lang_blanks(lo, n, p + l, 4);
		if (q < n && lo[q] == '(')
			return 1;
	}
	return 0;
}

/* after "child_process" (p): the module used, not named in a sentence.
 * Prose has the closed name, then a blank and a word, or nothing
 * (require('child_process') is only allowed in build scripts); code
 * goes on with a member (.exec(, ['exec'](, .exec.call(, ?.), a ';' or
 * ',' of a statement (const { spawn } = require('child_process');
 * spawn(..)), or a ')' of a call around it: those are what main
 * counted, the sentence is what the merge's method-only reading took
 * out. Without the closing ')' the name itself is a sentence's word
 * unless a method call follows it. */
int payload_shell_child_call(const char *lo, size_t n, size_t p)
{
	static const char *const m[] = {"execsync", "execfilesync", "execfile", "exec", "spawnsync", "spawn", "fork"};
	int closed = 0;

	if (p < n && (lo[p] == '\'' || lo[p] == '"' || lo[p] == '`'))
		p++;
	p = lang_blanks(lo, n, p, 4);
	if (p < n && lo[p] == ')') {
		closed = 1;
		p++;
		if (p < n && (lo[p] == ' ' || lo[p] == '\t')) {
			size_t w = lang_blanks(lo, n, p, 4);
			if (w >= n || payload_is_alpha((unsigned char)lo[w]))
				return 0; /* a sentence goes on */
			p = w;
		}
		if (p >= n)
			return 0;
		if (lo[p] != '.')
			return lo[p] == '[' || lo[p] == '?' || lo[p] == ';' || lo[p] == ',' || lo[p] == ')';
	}
	if (p >= n || lo[p] != '.')
		return 0;
	if (closed)
		return 1;
	return lang_call(lo, n, lang_blanks(lo, n, p + 1, 4), m, sizeof(m) / sizeof(m[0]));
}

/* at p (after the quote that opens it) a PHP function that runs a
 * command, named as a string: one literal or literals joined by '.'
 * ('sys'.'tem'), 32 bytes of name and 64 of source at most */
static int lang_php_sink_name(const char *lo, size_t n, size_t p)
{
	static const char *const f[] = {"system", "passthru", "shell_exec", "exec", "popen", "proc_open",
					"pcntl_exec", "assert"};
	char name[33], q = lo[p - 1];
	size_t len = 0, end = p + 64;

	for (;;) {
		while (p < n && p < end && lo[p] != q && len < 32)
			name[len++] = lo[p++];
		if (p >= n || p >= end || lo[p] != q)
			return 0;
		p = lang_blanks(lo, n, p + 1, 4);
		if (p >= n || lo[p] != '.')
			break;
		p = lang_blanks(lo, n, p + 1, 4);
		if (p >= n || p >= end || (lo[p] != '\'' && lo[p] != '"'))
			return 0;
		q = lo[p++];
	}
	for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++)
		if (len == strlen(f[k]) && !memcmp(name, f[k], len))
			return 1;
	return 0;
}

/* PHP's callbacks given a command function by name: array_map('system',
 * ..), call_user_func('passthru', ..), usort($_GET, 'system'); the
 * name in the call's first arguments (64 bytes at most) */
static int lang_php_callback(const char *lo, size_t n, size_t at)
{
	static const char *const cb[] = {"array_map", "call_user_func_array", "call_user_func", "usort", "uasort",
					 "uksort", "array_filter", "array_walk", "array_reduce",
					 "register_shutdown_function", "register_tick_function", "iterator_apply",
					 "forward_static_call", "ob_start", "preg_replace_callback"};
	size_t q;

	if (!lang_call(lo, n, at, cb, sizeof(cb) / sizeof(cb[0])))
		return 0;
	/* to the next '(' at most: no byte is read for two calls */
	q = payload_find(lo, n, at, "(");
	for (size_t i = q + 1; i + 1 < n && i < q + 64 && !strchr("();", lo[i]); i++)
		if ((lo[i] == '\'' || lo[i] == '"') && lang_php_sink_name(lo, n, i + 1))
			return 1;
	return 0;
}

/* the request superglobal at p ($_get, or ${'_get'} as a variable
 * variable) and its subscripts: the end, or n if none */
static size_t lang_php_superglobal(const char *lo, size_t n, size_t p)
{
	static const char *const in[] = {"_get", "_post", "_request", "_cookie", "_server", "_files"};
	size_t e = n;

	if (p + 1 >= n || lo[p] != '$')
		return n;
	p++;
	if (lo[p] == '{') { /* ${'_get'} */
		p = lang_blanks(lo, n, p + 1, 4);
		if (p >= n || (lo[p] != '\'' && lo[p] != '"'))
			return n;
		p++;
	}
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]) && e == n; i++)
		if (payload_at(lo, n, p, in[i]))
			e = p + strlen(in[i]);
	if (e < n && lo[p - 1] != '$') { /* the variable variable's quote and brace */
		if (lo[e] != lo[p - 1])
			return n;
		e = lang_blanks(lo, n, e + 1, 4);
		if (e >= n || lo[e] != '}')
			return n;
		e++;
	}
	/* its subscripts, 64 bytes each at most */
	for (int k = 0; k < 4 && e < n && lo[e] == '['; k++) {
		size_t c = e + 1;
		while (c < n && c < e + 64 && lo[c] != ']')
			c++;
		if (c >= n || lo[c] != ']')
			return n;
		e = c + 1;
	}
	return e;
}

/* PHP's eval-like sinks given request input as the whole argument:
 * assert($_GET['c']), eval($_POST[x]), system($_REQUEST[c]),
 * assert(stripslashes($_REQUEST[c])) (up to three wrapping calls),
 * assert(${'_REQUEST'}['c']); assert($_SERVER['X'] === 'y') compares,
 * it runs nothing. preg_replace's pattern from input is told (50): the
 * /e modifier is gone since PHP 7 */
static int lang_php_input(const char *lo, size_t n, size_t at)
{
	static const char *const f[] = {"assert", "eval", "system", "passthru", "shell_exec", "exec", "popen",
					"create_function", "preg_replace"};
	size_t p, e;
	int depth = 0;

	for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
		size_t l;
		if (f[k][0] != lo[at] || at + 1 >= n || f[k][1] != lo[at + 1])
			continue;
		l = strlen(f[k]);
		if (!payload_at(lo, n, at, f[k]))
			continue;
		p = lang_blanks(lo, n, at + l, 4);
		if (p >= n || lo[p] != '(')
			return 0;
		p = lang_blanks(lo, n, p + 1, 4);
		/* @ silences errors; stripslashes( and the like wrap it */
		for (;;) {
			size_t w;
			if (p < n && lo[p] == '@')
				p++;
			for (w = p; w < n && w < p + 24 && (payload_is_alnum((unsigned char)lo[w]) || lo[w] == '_'); w++)
				;
			if (depth >= 3 || w == p || w >= n || lo[w] != '(')
				break;
			p = lang_blanks(lo, n, w + 1, 4);
			depth++;
		}
		if ((e = lang_php_superglobal(lo, n, p)) >= n)
			return 0;
		/* the argument ends there: its wrappers close, then the call */
		for (int d = 0; d <= depth; d++) {
			e = lang_blanks(lo, n, e, 4);
			if (e >= n || (lo[e] != ')' && !(d == depth && lo[e] == ',')))
				return 0;
			e++;
		}
		return k == 8 ? 50 : 85;
	}
	return 0;
}

/* a Python function that starts a process, at p: os's system, popen,
 * exec*, spawn*, fork*, posix_spawn*, startfile; subprocess's run,
 * call, check_*, Popen, getoutput; pty's spawn (not os.path, environ,
 * getcwd: docs and notebooks import os for those) */
static int lang_py_runs(const char *lo, size_t n, size_t p)
{
	static const char *const fn[] = {"system", "popen", "exec", "spawn", "fork", "posix_spawn", "startfile",
					 "run", "call", "check_", "getoutput", "getstatusoutput"};

	for (size_t k = 0; k < sizeof(fn) / sizeof(fn[0]); k++) {
		size_t l = strlen(fn[k]);
		if (payload_at(lo, n, p, fn[k]) &&
		    (fn[k][l - 1] == '_' || k < 7 || p + l >= n || !payload_is_alnum((unsigned char)lo[p + l])))
			return 1;
	}
	return 0;
}

/* Python's __import__ of a module that runs commands, then a process
 * function of it: __import__('os').system(..),
 * getattr(__import__('os'),'system') */
static int lang_py_import(const char *lo, size_t n, size_t at)
{
	static const char *const mod[] = {"os", "subprocess", "pty", "posix", "commands"};
	size_t p = lang_blanks(lo, n, at + 10, 4);
	char q;

	if (p >= n || lo[p] != '(')
		return 0;
	p = lang_blanks(lo, n, p + 1, 4);
	if (p >= n || (lo[p] != '\'' && lo[p] != '"'))
		return 0;
	q = lo[p++];
	for (size_t k = 0; k < sizeof(mod) / sizeof(mod[0]); k++) {
		size_t l = strlen(mod[k]), e;
		if (!payload_at(lo, n, p, mod[k]) || p + l >= n || lo[p + l] != q)
			continue;
		e = lang_blanks(lo, n, p + l + 1, 4);
		if (e >= n || lo[e] != ')')
			return 0;
		e = lang_blanks(lo, n, e + 1, 4);
		if (e >= n || (lo[e] != '.' && lo[e] != ','))
			return 0;
		if (lo[e] == ',') { /* getattr(__import__('os'), 'system') */
			e = lang_blanks(lo, n, e + 1, 4);
			if (e >= n || (lo[e] != '\'' && lo[e] != '"'))
				return 0;
			e++;
		} else {
			e = lang_blanks(lo, n, e + 1, 4);
		}
		return e < n && lang_py_runs(lo, n, e);
	}
	return 0;
}

/* A quoted program at lo[p] ('"' or '\''): its first word from *b to *w
 * (at most 200 bytes, up to the quote or a blank), and *c where its last
 * path component begins (the program by its path: that names it);
 * 0 when no quote opens at p */
static int lang_quoted_program(const char *lo, size_t n, size_t p, size_t *b, size_t *c, size_t *w)
{
	char q;

	if (p >= n || (lo[p] != '"' && lo[p] != '\''))
		return 0;
	q = lo[p];
	*b = p + 1;
	for (*w = *b; *w < n && *w < *b + 200 && lo[*w] != q && lo[*w] != ' '; (*w)++)
		;
	for (*c = *w; *c > *b && lo[*c - 1] != '/' && lo[*c - 1] != '\\'; (*c)--)
		;
	return 1;
}

/* Java: exec(new String[]{"/bin/sh","-c",..}), an argv array handed to
 * Runtime's exec whose program is an interpreter or a probe, as
 * ProcessBuilder's is judged in payload_shellc.c (the docs run "git";
 * exec(new String[]{"git", "status"}) starts no shell) */
static int lang_java(const char *lo, size_t n, size_t at)
{
	static const char *const probes[] = {"id", "whoami", "uname", "hostname", "ifconfig", "ipconfig",
					     "netstat", "systeminfo", "printenv", "nc", "ncat", "curl", "wget"};
	size_t p = lang_blanks(lo, n, at + 4, 4), b, w, c;

	if (p >= n || lo[p] != '(')
		return 0;
	p = lang_blanks(lo, n, p + 1, 4);
	if (!payload_at(lo, n, p, "new"))
		return 0;
	p = lang_blanks(lo, n, p + 3, 4);
	if (payload_at(lo, n, p, "java.lang."))
		p += 10;
	if (!payload_at(lo, n, p, "string"))
		return 0;
	p = lang_blanks(lo, n, p + 6, 4);
	if (p >= n || lo[p] != '[')
		return 0;
	p = lang_blanks(lo, n, p + 1, 4);
	if (p >= n || lo[p] != ']')
		return 0;
	p = lang_blanks(lo, n, p + 1, 4);
	if (p >= n || lo[p] != '{')
		return 0;
	if (!lang_quoted_program(lo, n, lang_blanks(lo, n, p + 1, 4), &b, &c, &w))
		return 0;
	if (c >= w)
		return 0;
	for (size_t k = 0; k < sizeof(probes) / sizeof(probes[0]); k++)
		if (w - c == strlen(probes[k]) && !memcmp(lo + c, probes[k], w - c))
			return 1;
	return payload_shellt_listed_n(lo + c, w - c, PAYLOAD_SHELL_INTERP);
}

/* PHP's name of a command function spelt as a string and called, read
 * back from the '(' at j: "\x73\x79stem"("id"), ${"sys"."tem"}('id'),
 * ('sys'.'tem')('id'), (system)('id'). A double-quoted piece's \xHH and
 * octal escapes are made; 96 bytes back at most, so each '(' costs a
 * bounded read. */
static int lang_php_string_call(const char *lo, size_t j)
{
	static const char *const f[] = {"system", "passthru", "shell_exec", "exec", "popen", "proc_open",
					"pcntl_exec", "assert"};
	char piece[4][40], name[48];
	size_t k = j, lim = j > 96 ? j - 96 : 0, np = 0, len = 0;

	/* glued to the '(' (prose puts a blank there: the "system" (os)) */
	if (k > lim && (lo[k - 1] == ')' || lo[k - 1] == '}'))
		k--;
	/* (system)('id'): a bare name in parentheses */
	if (k < j && lo[k] == ')' && k > lim && payload_is_alpha((unsigned char)lo[k - 1])) {
		size_t b = k;
		while (b > lim && k - b < 16 && (payload_is_alpha((unsigned char)lo[b - 1]) || lo[b - 1] == '_'))
			b--;
		if (b == lim || lo[b - 1] != '(')
			return 0;
		for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
			if (k - b == strlen(f[i]) && !memcmp(lo + b, f[i], k - b))
				return 1;
		return 0;
	}
	for (;;) {
		size_t e, o, w = 0;
		char q;

		/* a name's last letter or an escape's digit before the quote */
		if (k <= lim + 1 || (lo[k - 1] != '"' && lo[k - 1] != '\'') || np == 4 || !payload_is_alnum((unsigned char)lo[k - 2]))
			return 0;
		q = lo[k - 1];
		e = k - 1;
		for (o = e; o > lim && lo[o - 1] != q; o--)
			;
		if (o == lim || e - o > 39)
			return 0;
		o--; /* the opening quote */
		/* the piece, its escapes made in a double-quoted one */
		for (size_t i = o + 1; i < e && w < 39; i++) {
			if (q == '"' && lo[i] == '\\' && i + 2 < e && lo[i + 1] == 'x' && digit_hex((unsigned char)lo[i + 2]) >= 0) {
				int v = digit_hex((unsigned char)lo[i + 2]);
				i += 2;
				if (i + 1 < e && digit_hex((unsigned char)lo[i + 1]) >= 0)
					v = v * 16 + digit_hex((unsigned char)lo[++i]);
				piece[np][w++] = (char)(v >= 'A' && v <= 'Z' ? v + 32 : v);
			} else if (q == '"' && lo[i] == '\\' && i + 1 < e && lo[i + 1] >= '0' && lo[i + 1] <= '7') {
				int v = 0, d = 0;
				while (d < 3 && i + 1 < e && lo[i + 1] >= '0' && lo[i + 1] <= '7')
					v = v * 8 + (lo[++i] - '0'), d++;
				piece[np][w++] = (char)(v >= 'A' && v <= 'Z' ? v + 32 : v);
			} else {
				piece[np][w++] = lo[i];
			}
		}
		piece[np][w] = '\0';
		np++;
		/* a concatenation before it: 'sys'.'tem' */
		k = o;
		while (k > lim && lo[k - 1] == ' ')
			k--;
		if (k <= lim || lo[k - 1] != '.')
			break;
		k--;
		while (k > lim && lo[k - 1] == ' ')
			k--;
	}
	for (size_t i = np; i-- > 0;) {
		size_t l = strlen(piece[i]);
		if (len + l >= sizeof(name))
			return 0;
		memcpy(name + len, piece[i], l);
		len += l;
	}
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (len == strlen(f[i]) && !memcmp(name, f[i], len))
			return 1;
	return 0;
}

/* the quoted string at lo[p] (bounded), its content's bounds in *b, *e */
static int lang_quoted(const char *lo, size_t n, size_t p, size_t *b, size_t *e)
{
	size_t c;

	if (p >= n || (lo[p] != '"' && lo[p] != '\''))
		return 0;
	for (c = p + 1; c < n && c < p + 130 && lo[c] != lo[p]; c++)
		;
	if (c >= n || lo[c] != lo[p])
		return 0;
	*b = p + 1;
	*e = c;
	return 1;
}

/* Perl's open of a pipe at at ("open"): open(F, "id|"), open(F, "|sh"),
 * open(my $f, "-|", "id"); the command judged as after a separator
 * (open(F, "<data.txt") reads a file) */
static int lang_perl_open(const char *lo, size_t n, size_t at)
{
	size_t p = lang_blanks(lo, n, at + 4, 4), b, e;

	if (p >= n || lo[p] != '(')
		return 0;
	/* the handle: a word, "my $x", "$x", up to the ',' */
	for (p++; p < n && p < at + 48 && lo[p] != ','; p++)
		if (!payload_is_alnum((unsigned char)lo[p]) && !strchr(" \t$_", lo[p]))
			return 0;
	if (p >= n || lo[p] != ',')
		return 0;
	if (!lang_quoted(lo, n, lang_blanks(lo, n, p + 1, 4), &b, &e) || e == b)
		return 0;
	/* the three-argument form: the mode, then the command */
	if (e - b == 2 && (!memcmp(lo + b, "-|", 2) || !memcmp(lo + b, "|-", 2))) {
		p = lang_blanks(lo, n, e + 1, 4);
		if (p >= n || lo[p] != ',' || !lang_quoted(lo, n, lang_blanks(lo, n, p + 1, 4), &b, &e))
			return 0;
		return e > b && payload_shell_command_at(lo + b, e - b, 0, 1) > 0;
	}
	if (lo[b] == '|')
		return payload_shell_command_at(lo + b + 1, e - b - 1, 0, 1) > 0;
	while (e > b && lo[e - 1] == ' ')
		e--;
	return e > b + 1 && lo[e - 1] == '|' && payload_shell_command_at(lo + b, e - b - 1, 0, 1) > 0;
}

/* .NET: Process.Start("cmd.exe", "/c ..") at at ("start"), the program
 * an interpreter or a probe (Process.Start("notepad.exe") opens a file's
 * editor, as the docs show) */
static int lang_dotnet(const char *lo, size_t n, size_t at)
{
	size_t p = lang_blanks(lo, n, at + 5, 4), b, w, c;

	if (at < 8 || memcmp(lo + at - 8, "process.", 8) != 0 || p >= n || lo[p] != '(')
		return 0;
	if (!lang_quoted_program(lo, n, lang_blanks(lo, n, p + 1, 4), &b, &c, &w))
		return 0;
	if (w - c > 4 && !memcmp(lo + w - 4, ".exe", 4))
		w -= 4;
	return w > c && (payload_shellt_listed_n(lo + c, w - c, PAYLOAD_SHELL_INTERP) ||
			 payload_shellt_listed_n(lo + c, w - c, PAYLOAD_SHELL_BARE));
}

/* PHP: a variable assigned a command function's name as a string, then
 * called: $f='sys'.'tem';$f('id'). At i a '$': the assignment, its name
 * checked by lang_php_sink_name, then "$name(" in the 256 bytes after it */
static int lang_php_var_call(const char *lo, size_t n, size_t i)
{
	char call[40];
	size_t e = i + 1, p, l;

	while (e < n && e < i + 33 && (payload_is_alnum((unsigned char)lo[e]) || lo[e] == '_'))
		e++;
	if (e == i + 1 || e >= n)
		return 0;
	p = lang_blanks(lo, n, e, 4);
	if (p + 2 >= n || lo[p] != '=' || lo[p + 1] == '=')
		return 0;
	p = lang_blanks(lo, n, p + 1, 4);
	if (p + 1 >= n || (lo[p] != '\'' && lo[p] != '"') || !lang_php_sink_name(lo, n, p + 1))
		return 0;
	/* ... the call in the next 256 bytes (each assignment reads a
	 * bounded window: many of them cost no re-scan of the value) */
	l = e - i;
	memcpy(call, lo + i, l);
	call[l++] = '(';
	e = p + 256 < n ? p + 256 : n;
	if (payload_find_len(lo, e, p, call, l) < e)
		return 1;
	/* ... or with a blank before its '(' (PHP takes $f ('id')) */
	call[l - 1] = ' ';
	call[l++] = '(';
	return payload_find_len(lo, e, p, call, l) < e;
}

int payload_shell_lang(const char *lo, size_t n, const char **why)
{
	int sc;

	for (size_t i = 0; i < n; i++) {
		char c = lo[i];

		/* a string or a request variable called: "\x73ystem"('id'),
		 * $_GET['a']($_GET['b']) */
		if (c == '(' && i > 1 && strchr("'\")}", lo[i - 1]) &&
		    (payload_is_alnum((unsigned char)lo[i - 2]) || lo[i - 2] == '\'' || lo[i - 2] == '"') &&
		    lang_php_string_call(lo, i)) {
			*why = "php calls a command function named by a string";
			return 80;
		}
		if (c == '$' && i + 4 < n && payload_is_alpha((unsigned char)lo[i + 1]) && lang_php_var_call(lo, n, i)) {
			*why = "php calls a variable holding a command function's name";
			return 80;
		}
		if (c == '$' && i + 2 < n && (lo[i + 1] == '_' || lo[i + 1] == '{')) {
			size_t e = lang_php_superglobal(lo, n, i);
			if (e < n && e > i + 1 && (lo[e - 1] == ']' || lo[e - 1] == '}') && lo[e] == '(') {
				*why = "php calls a function named by request input";
				return 80;
			}
		}
		/* a name starts here: not inside another word */
		if (i > 0 && (payload_is_alnum((unsigned char)lo[i - 1]) || lo[i - 1] == '_'))
			continue;
		if (c == '_' && payload_at(lo, n, i, "__import__") && lang_py_import(lo, n, i)) {
			*why = "python imports a process module and uses it";
			return 80;
		}
		if ((c == 'a' || c == 'c' || c == 'u' || c == 'r' || c == 'i' || c == 'f' || c == 'o' || c == 'p') &&
		    lang_php_callback(lo, n, i)) {
			*why = "php callback given a command function";
			return 80;
		}
		if ((c == 'a' || c == 'e' || c == 's' || c == 'p' || c == 'c') && (sc = lang_php_input(lo, n, i)) > 0) {
			*why = "php code sink given request input";
			return sc;
		}
		if (c == 'e' && payload_at(lo, n, i, "exec") && lang_java(lo, n, i)) {
			*why = "java starts a process";
			return 80;
		}
		if (c == 'o' && payload_at(lo, n, i, "open") && lang_perl_open(lo, n, i)) {
			*why = "perl opens a pipe to a command";
			return 80;
		}
		if (c == 's' && payload_at(lo, n, i, "start") && lang_dotnet(lo, n, i)) {
			*why = ".net starts a shell or a probe";
			return 80;
		}
	}
	return 0;
}
