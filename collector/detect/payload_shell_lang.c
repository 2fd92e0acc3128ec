/* payload_shell_lang.c - code that runs a command in the languages an
 * eval-based injection targets, for the command injection detector
 * (payload_shell.c): Node's child_process with a method called on it,
 * Python's __import__ of a process module used, PHP's callbacks handed a
 * command function by name (array_map('system', ..)), PHP sinks given
 * request input (assert($_GET[c])), Java's exec of an argv array. Each scan is one pass over the lower-cased value. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_shell_int.h"

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

int payload_shell_child_call(const char *lo, size_t n, size_t p)
{
	static const char *const m[] = {"execsync", "execfilesync", "execfile", "exec", "spawnsync", "spawn", "fork"};

	if (p < n && (lo[p] == '\'' || lo[p] == '"' || lo[p] == '`'))
		p++;
	p = lang_blanks(lo, n, p, 4);
	if (p < n && lo[p] == ')')
		p = lang_blanks(lo, n, p + 1, 4);
	if (p >= n || lo[p] != '.')
		return 0;
	return lang_call(lo, n, lang_blanks(lo, n, p + 1, 4), m, sizeof(m) / sizeof(m[0]));
}

/* at p (after the quote that opens it) a PHP function that runs a
 * command, named as a string, the quote closing it */
static int lang_php_sink_name(const char *lo, size_t n, size_t p)
{
	static const char *const f[] = {"system", "passthru", "shell_exec", "exec", "popen", "proc_open",
					"pcntl_exec", "assert"};
	char q = lo[p - 1];

	for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
		size_t l = strlen(f[k]);
		if (payload_at(lo, n, p, f[k]) && p + l < n && lo[p + l] == q)
			return 1;
	}
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

/* PHP's eval-like sinks given request input: assert($_GET['c']),
 * eval($_POST[x]), system($_REQUEST[c]) */
static int lang_php_input(const char *lo, size_t n, size_t at)
{
	static const char *const f[] = {"assert", "eval", "system", "passthru", "shell_exec", "exec", "popen",
					"create_function", "preg_replace"};
	static const char *const in[] = {"$_get", "$_post", "$_request", "$_cookie", "$_server", "$_files"};
	size_t p;

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
		if (p < n && lo[p] == '@')
			p++;
		for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
			if (payload_at(lo, n, p, in[i]))
				return 1;
		return 0;
	}
	return 0;
}

/* Python's __import__ of a module that runs commands, then used:
 * __import__('os').system(..), getattr(__import__('os'),'system') */
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
		return e < n && (lo[e] == '.' || lo[e] == ',');
	}
	return 0;
}

/* Java: exec(new String[]{"/bin/sh","-c",..}), an argv array handed to
 * Runtime's exec (ProcessBuilder, which the docs show with "git",
 * is payload_shellc.c's: a probe or an interpreter only) */
static int lang_java(const char *lo, size_t n, size_t at)
{
	size_t p = lang_blanks(lo, n, at + 4, 4);

	if (p >= n || lo[p] != '(')
		return 0;
	p = lang_blanks(lo, n, p + 1, 4);
	if (!payload_at(lo, n, p, "new string[]"))
		return 0;
	p = lang_blanks(lo, n, p + 12, 4);
	return p < n && lo[p] == '{';
}

int payload_shell_lang(const char *lo, size_t n, const char **why)
{
	for (size_t i = 0; i < n; i++) {
		char c = lo[i];

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
		if ((c == 'a' || c == 'e' || c == 's' || c == 'p' || c == 'c') && lang_php_input(lo, n, i)) {
			*why = "php code sink given request input";
			return 85;
		}
		if (c == 'e' && payload_at(lo, n, i, "exec") && lang_java(lo, n, i)) {
			*why = "java starts a process";
			return 80;
		}
	}
	return 0;
}
