/* payload_path_prose.c - a file's name inside a sentence. Documentation, a
 * forum post, an error message or a log line names /etc/hosts or
 * /proc/cmdline while telling the reader about it; a parameter that opens
 * a file holds the name alone, or with a prefix or suffix glued to it
 * (file=, %00, .jpg): words around a name make one no file system
 * resolves. payload_path.c asks this before it calls a named file without
 * a climb a target. */
#include "collector/detect/payload_int.h"

#include <string.h>

#define PROSE_WORDS 3 /* words a sentence holds at least */

static int blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* bytes no sentence around a file name holds but markup, a template, a
 * shell line or an XML declaration does (and a NUL, a truncation) */
static int markup(unsigned char c)
{
	return c == '<' || c == '>' || c == '{' || c == '}' || c == '`' || c == '|' || c == '$' || c == '=' ||
	       c == '\0';
}

/* what may close a token in a sentence: ".", ",", a quote, a paren */
static int closing(unsigned char c)
{
	return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' || c == '"' ||
	       c == '\'';
}

/* t[0..n) (lower-case, no blank) is a word: two letters or more, with an
 * inner '-' or '\'' ("don't", "per-user"), an opening paren or quote and
 * closing punctuation ("(see", "users;", "matter?") */
static int word_tok(const char *t, size_t n)
{
	size_t i = 0, e = n, letters = 0;

	if (i < e && (t[i] == '(' || t[i] == '"' || t[i] == '\''))
		i++;
	while (e > i && closing((unsigned char)t[e - 1]))
		e--;
	for (size_t k = i; k < e; k++) {
		if (t[k] >= 'a' && t[k] <= 'z')
			letters++;
		else if (!((t[k] == '-' || t[k] == '\'') && k > i && k + 1 < e))
			return 0;
	}
	return letters >= 2;
}

/* t[0..n), a token holding a separator, is a path as a sentence quotes
 * it: path bytes, with at most an opening quote or paren and closing
 * punctuation ('/app/.env', "/etc/shadow.", (C:\boot.ini)) - not a call,
 * an attribute or a declaration around it (open("/x"), "file:///x">) */
static int path_tok(const char *t, size_t n)
{
	size_t i = 0, e = n;

	if (i < e && (t[i] == '(' || t[i] == '"' || t[i] == '\''))
		i++;
	while (e > i && closing((unsigned char)t[e - 1]))
		e--;
	for (size_t k = i; k < e; k++) {
		unsigned char c = (unsigned char)t[k];
		if (!(payload_is_alnum(c) || c >= 0x80 || (c && strchr("/\\.-_~:@%#*?,", c))))
			return 0;
	}
	return e > i;
}

/* t[0..n), a line's first token, is an absolute path ('/', '\\', a drive
 * "c:\\" or "c:/", after at most an opening quote or paren) to one of the
 * files every traversal list reaches for: /etc/passwd, /etc/shadow,
 * /proc/self/environ, win.ini, boot.ini. A sentence may start with
 * /proc/cmdline or /etc/hosts when it explains them. */
static int classic_lead(const char *t, size_t n)
{
	static const char *const classic[] = {
		"etc/passwd", "etc/shadow", "etc/group", "etc/sudoers", "proc/self/environ", "proc/self/cmdline",
		"proc/1/environ", "windows/win.ini", "win.ini", "boot.ini", "windows/system32/config/sam",
		"windows/repair/sam",
	};
	size_t i = n > 0 && (t[0] == '(' || t[0] == '"' || t[0] == '\'') ? 1 : 0, e = n;

	if (i + 2 < n && t[i] >= 'a' && t[i] <= 'z' && t[i + 1] == ':')
		i += 2;
	if (i >= n || (t[i] != '/' && t[i] != '\\'))
		return 0;
	while (i < n && (t[i] == '/' || t[i] == '\\'))
		i++;
	while (e > i && closing((unsigned char)t[e - 1]))
		e--;
	for (size_t k = 0; k < sizeof(classic) / sizeof(classic[0]); k++) {
		size_t l = strlen(classic[k]), j;
		if (l != e - i)
			continue;
		for (j = 0; j < l && (t[i + j] == classic[k][j] || (classic[k][j] == '/' && t[i + j] == '\\')); j++)
			;
		if (j == l)
			return 1;
	}
	return 0;
}

/* Is lo[0..n) (decoded, lower-case) sentences around file names? Every
 * line that names a file (a token holding a separator or an inner dot)
 * is a sentence: at least PROSE_WORDS words (word_tok), more words than
 * other tokens (numbers and single letters count for neither), each token
 * with a separator a quoted path (path_tok), the line's first token no
 * absolute path to a classic target (classic_lead); and no markup byte
 * anywhere.
 * A command line ("type c:\\boot.ini rem" after a newline) or a DTD in
 * UTF-7 has too few words. One pass over the value. */
/* prose_read: payload_path_prose with a classic lead refused (led 0),
 * or taken as a sentence's subject (led 1: "/etc/passwd is the user
 * database", two words after it enough) */
static int prose_read(const char *lo, size_t n, int led)
{
	size_t words = 0, other = 0, lines = 0, need = PROSE_WORDS;
	int named = 0, lead = 1;

	for (size_t i = 0; i <= n;) {
		size_t s;
		int sep = 0, dot = 0, letter = 0, line_end;

		while (i < n && (lo[i] == ' ' || lo[i] == '\t'))
			i++;
		for (s = i; i < n && !blank((unsigned char)lo[i]); i++) {
			unsigned char c = (unsigned char)lo[i];
			if (c == '/' || c == '\\')
				sep = 1;
			else if (c == '.' && i + 1 < n && !blank((unsigned char)lo[i + 1]) &&
				 (i > s || payload_is_alpha((unsigned char)lo[i + 1])))
				/* an inner dot, or a dotfile's (".env files") */
				dot = 1;
			else if (markup(c))
				return 0;
			letter += c >= 'a' && c <= 'z';
		}
		if (sep && !path_tok(lo + s, i - s))
			return 0;
		/* a line that starts with an absolute path to a file every
		 * traversal list reaches for: words after it cost the
		 * attacker nothing where the value is cut at its first blank
		 * or made an argv */
		if (lead && i > s && classic_lead(lo + s, i - s)) {
			if (!led)
				return 0;
			need = 2;
		}
		lead &= i == s;
		named |= sep || dot;
		if (i > s && !sep && word_tok(lo + s, i - s))
			words++;
		else if (i > s && !sep && letter > 1)
			other++;
		/* a line ends at a newline or the value's end */
		line_end = i >= n || lo[i] == '\n' || lo[i] == '\r';
		if (line_end) {
			if (named && (words < need || words <= other))
				return 0;
			lines += (size_t)named;
			words = other = 0;
			need = PROSE_WORDS;
			named = 0;
			lead = 1;
		}
		i++;
	}
	return lines > 0;
}

int payload_path_prose(const char *lo, size_t n)
{
	return prose_read(lo, n, 0);
}

/* A sentence whose subject is a classic target: a doc or an error line
 * ("/etc/passwd: No such file or directory") - or words an attacker
 * pads a name with where the value is cut at a blank; told, not killed.
 * Two passes over lo, each linear. */
int payload_path_prose_led(const char *lo, size_t n)
{
	return !prose_read(lo, n, 0) && prose_read(lo, n, 1);
}

/* From s, the words of a directive line: one of them, and only one, is a
 * path (holds '/' or '\\'): "xx /var/log/x /etc/shadow" names a second
 * file the log's exemption must not cover; and no word is a directive
 * that includes or runs the file it names (.htaccess's
 * "php_value auto_prepend_file /var/log/apache2/access.log": log
 * poisoning) */
static int lead_one_path(const char *lo, size_t s, size_t n)
{
	static const char *const runs[] = {"auto_prepend_file", "auto_append_file", "include", "include_once",
					   "require", "require_once", "source", "import", "load", "eval"};
	size_t paths = 0;

	for (size_t i = s; i < n;) {
		size_t b, e;

		while (i < n && blank((unsigned char)lo[i]))
			i++;
		for (b = i; i < n && !blank((unsigned char)lo[i]); i++)
			;
		e = i;
		while (b < e && (lo[b] == '"' || lo[b] == '\'' || lo[b] == '#'))
			b++;
		if (memchr(lo + b, '/', e - b) || memchr(lo + b, '\\', e - b))
			paths++;
		for (size_t k = 0; k < sizeof(runs) / sizeof(runs[0]); k++)
			if (strlen(runs[k]) == e - b && !memcmp(lo + b, runs[k], e - b))
				return 0;
	}
	return paths == 1;
}

/* Does lo[0..n) (decoded, lower-case) start with a word - letters, digits
 * and "_-.#", two letters at least, no separator - and a blank before
 * more? A configuration directive ("access_log /var/log/x.log;"), a
 * macro ("#define _PATH_WTMP ..."), a man page's ".B" or a command line
 * ("ls /var/log/..."): a path after it is an argument, which no open()
 * or include() of the whole value reaches (a shell would: that is
 * command injection's to judge). */
int payload_path_lead_word(const char *lo, size_t n)
{
	size_t i = 0, s, letters = 0;

	while (i < n && (lo[i] == ' ' || lo[i] == '\t'))
		i++;
	for (s = i; i < n && !blank((unsigned char)lo[i]); i++) {
		unsigned char c = (unsigned char)lo[i];
		if (c >= 'a' && c <= 'z')
			letters++;
		else if (!payload_is_alnum(c) && c != '_' && c != '-' && c != '.' && c != '#')
			return 0;
	}
	/* a roff request (".B", ".I") has one letter */
	/* a tab after a directive's word only when it is commented out or
	 * a macro ("#define\t"): a table's label is no such word */
	if (letters < 1u + (s < n && lo[s] != '.') || i >= n || (lo[i] != ' ' && !(lo[i] == '\t' && lo[s] == '#')))
		return 0;
	while (i < n && (lo[i] == ' ' || lo[i] == '\t'))
		i++;
	if (i >= n)
		return 0;
	/* the rest holds no option ("tail -n 5") and nothing a shell
	 * chains or substitutes with; a directive's closing ';' may end it */
	for (size_t k = i; k < n; k++) {
		unsigned char c = (unsigned char)lo[k];
		if ((c == '-' && blank((unsigned char)lo[k - 1])) || (c && strchr("|&`$(){}<>\n\r", c)) ||
		    (c == ';' && k + 1 < n) || !c)
			return 0;
	}
	return lead_one_path(lo, s, n);
}

/* Does lo[0..n) start with a command that sets a file's mode, owner or
 * key use (chmod 600 ~/.ssh/id_rsa, ssh-add ~/.ssh/id_ed25519, icacls
 * key.pem /inheritance:r), with nothing a shell chains or substitutes
 * with after it? Setup steps write a key's path so; the command opens
 * no content a response could carry (a shell running it would be
 * command injection's to judge). */
int payload_path_perm_cmd(const char *lo, size_t n)
{
	static const char *const cmd[] = {"chmod ", "chown ", "chgrp ", "setfacl ", "icacls ", "ssh-add ",
					  "ssh-keygen "};
	size_t i = 0;
	int ok = 0;

	while (i < n && (lo[i] == ' ' || lo[i] == '\t'))
		i++;
	for (size_t k = 0; k < sizeof(cmd) / sizeof(cmd[0]) && !ok; k++)
		ok = payload_at(lo, n, i, cmd[k]);
	if (!ok)
		return 0;
	for (size_t k = i; k < n; k++) {
		unsigned char c = (unsigned char)lo[k];
		if ((c && strchr("|&`$(){}<>\n\r;", c)) || !c)
			return 0;
	}
	return 1;
}

/* Is lo[0..n) one statement of code importing a module by a relative
 * specifier: require('../../../lib/utils'), import x from "../../a",
 * import('../x'), @import "../../scss/base"? The specifier (starting
 * "./" or "../") is resolved against the importing file by the bundler
 * or the runtime, at build time; no server opens it from a request. One
 * quoted string only, and nothing after its close but ")" and ";". The
 * caller still judges a climb to a sensitive file or spelt evasively. */
int payload_path_module_spec(const char *lo, size_t n)
{
	static const char *const lead[] = {"require(", "import(", " from", "import", "@import", "@use", "@forward"};
	size_t q = 0, e, b;
	char qc;

	while (q < n && lo[q] != '\'' && lo[q] != '"' && lo[q] != '`')
		q++;
	if (q >= n || q > 256)
		return 0;
	qc = lo[q];
	for (b = q; b > 0 && lo[b - 1] == ' '; b--)
		;
	int ok = 0;
	for (size_t k = 0; k < sizeof(lead) / sizeof(lead[0]) && !ok; k++) {
		size_t l = strlen(lead[k]);
		ok = b >= l && !memcmp(lo + b - l, lead[k], l) &&
		     (b == l || !payload_is_alnum((unsigned char)lo[b - l - 1]) || lead[k][0] == ' ');
	}
	if (!ok || !(payload_at(lo, n, q + 1, "./") || payload_at(lo, n, q + 1, "../")))
		return 0;
	for (e = q + 1; e < n && lo[e] != qc; e++)
		if (!payload_is_alnum((unsigned char)lo[e]) && !strchr("./_-@", lo[e]))
			return 0;
	if (e >= n)
		return 0;
	for (e++; e < n && (lo[e] == ')' || lo[e] == ';' || lo[e] == ' '); e++)
		;
	return e == n;
}

/* Is lo[0..n) a sentence whose subject is a wrapper's URL ("php://input
 * is how you read the raw body", in a query or in a search page's path)?
 * The wrapper reads its whole token, so the words after it make a stream
 * no wrapper opens; except expect:// and ssh2's, which run a command line
 * (words are its arguments), and data:, whose payload may hold blanks. */
int payload_path_wrapper_told(const char *lo, size_t n)
{
	size_t e = payload_find(lo, n, 0, "://");

	while (e < n && !blank((unsigned char)lo[e]))
		e++;
	if (e >= n || payload_find(lo, n, 0, "expect:") < n || payload_find(lo, n, 0, "ssh2.") < n ||
	    payload_find(lo, n, 0, "data:") < n)
		return 0;
	return payload_path_prose(lo, n);
}

/* Is lo[0..n) (decoded, lower-case) a file's name and then words: a
 * search or a subject line about it (".htaccess redirect", "php.ini
 * location", ".env vs .env.local")? One line, no separator anywhere (no
 * path), the first token a name, every later token a word (word_tok), a
 * number or another name (letters, digits, '.', '-', '_'), one word at
 * least. A reader opens the value whole, and no file is so named. One
 * pass. */
int payload_path_name_words(const char *lo, size_t n)
{
	size_t i = 0, words = 0, tok = 0;

	while (i < n) {
		size_t s;
		int plain = 1;

		while (i < n && (lo[i] == ' ' || lo[i] == '\t'))
			i++;
		for (s = i; i < n && lo[i] != ' ' && lo[i] != '\t'; i++) {
			unsigned char c = (unsigned char)lo[i];
			if (c == '/' || c == '\\' || c == '\n' || c == '\r' || markup(c))
				return 0;
			plain &= payload_is_alnum(c) || c == '.' || c == '-' || c == '_';
		}
		if (i == s)
			break;
		if (tok++ == 0)
			continue; /* the name (the caller found it there) */
		if (word_tok(lo + s, i - s))
			words++;
		else if (!plain)
			return 0;
	}
	return words > 0;
}
