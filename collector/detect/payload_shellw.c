/* payload_shellw.c - how bash spells a word: the command injection
 * detector (payload_shell.c) asks what an ANSI-C quoted word ($'\x69\x64')
 * reads as and what a variable the value assigns itself holds; and the
 * shell grammar payload_shell_int.h lists (here-strings, interpreters
 * given code; cmd.exe's FOR /F, CALL and cmd,/c are in payload_shellw_win.c). */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_shell_int.h"

#include <string.h>

/* The shell assignments of s[0..n): "NAME=" whose name (1-32 bytes of
 * [A-Za-z0-9_], not digit-led) starts the value or follows one of
 * ";|&\n (`", and whose value (up to a blank or a separator) is not
 * empty. The first PAYLOAD_SHELL_ASSIGNS distinct names are kept, each at
 * its first assignment; one pass, each '=' read back at most 32 bytes. */
void payload_shell_assigns_build(const char *s, size_t n, struct payload_shell_assigns *t)
{
	t->n = 0;
	t->full = 0;
	for (const char *f = memchr(s, '=', n); f; f = memchr(f + 1, '=', n - (size_t)(f + 1 - s))) {
		size_t q = (size_t)(f - s), k = q, e;
		uint32_t j;

		while (k > 0 && q - k <= 32 && (payload_is_alnum((unsigned char)s[k - 1]) || s[k - 1] == '_'))
			k--;
		if (k == q || q - k > 32 || (s[k] >= '0' && s[k] <= '9') || (k > 0 && !strchr(";|&\n (`", s[k - 1])))
			continue;
		for (e = q + 1; e < n && !strchr(" ;|&\n", s[e]); e++)
			;
		if (e == q + 1)
			continue;
		for (j = 0; j < t->n; j++)
			if (t->a[j].nl == q - k && !memcmp(s + t->a[j].name, s + k, q - k))
				break;
		if (j < t->n)
			continue;
		if (t->n == PAYLOAD_SHELL_ASSIGNS) {
			t->full = 1;
			break;
		}
		t->a[t->n].name = (uint32_t)k;
		t->a[t->n].nl = (uint32_t)(q - k);
		t->a[t->n].end = (uint32_t)e;
		t->n++;
	}
}

/* The value assigned to name[0..l) at a command position of s[0..lim)
 * ("X=id;"): its offset, *vl its length; 0 when none. The value's
 * assignments are looked up in t (built once per scan: every expansion
 * at a command position asks, and a value of "&$x(" repeated once asked
 * over its whole length each time, 3 s of CPU for 64 KiB). Past t's
 * distinct names (t->full: decoys first), the 512 bytes before lim are
 * read as well. */
size_t payload_shell_var_value(const char *s, size_t lim, const struct payload_shell_assigns *t, const char *name,
			       size_t l, size_t *vl)
{
	for (uint32_t j = 0; j < t->n; j++) {
		size_t q = t->a[j].name + t->a[j].nl, e = t->a[j].end < lim ? t->a[j].end : lim;

		if (t->a[j].nl != l || memcmp(s + t->a[j].name, name, l))
			continue;
		/* the name's first assignment: none before lim if not this */
		if (q + 1 >= lim || e <= q + 1)
			return 0;
		*vl = e - q - 1;
		return q + 1;
	}
	if (!t->full)
		return 0;
	/* from each '=' (memchr: most windows hold none) back to the name */
	for (size_t q = (lim > 512 ? lim - 512 : 0) + l; q + 1 < lim; q++) {
		const char *f = memchr(s + q, '=', lim - q - 1);
		size_t k, e;

		if (!f)
			break;
		q = (size_t)(f - s);
		k = q - l;
		if (memcmp(s + k, name, l) || (k > 0 && !strchr(";|&\n (`", s[k - 1])))
			continue;
		for (e = q + 1; e < lim && !strchr(" ;|&\n", s[e]); e++)
			;
		if (e > q + 1) {
			*vl = e - q - 1;
			return q + 1;
		}
	}
	return 0;
}

/* The body of bash's $'...' from p (after the quote): escapes \xHH and
 * \NNN (octal) become their bytes, other bytes stay. Writes at most the
 * span's length into out (*ol bytes) and returns the index of the closing
 * quote, or 0 when there is none, it is empty, or an escape makes a byte
 * that is not printable ASCII. (An earlier decoding layer may already
 * have undone \xHH: $'id' is then read the same.) */
size_t payload_shell_ansi_c(const char *s, size_t n, size_t p, char *out, size_t *ol)
{
	size_t w = 0;

	for (size_t i = p; i < n && i < p + 256; i++) {
		unsigned v = 0, k = 0;

		if (s[i] == '\'') {
			*ol = w;
			return w ? i : 0;
		}
		if (s[i] != '\\' || i + 1 >= n) {
			out[w++] = s[i];
			continue;
		}
		if (s[i + 1] == 'x') {
			for (k = 0; k < 2 && i + 2 + k < n; k++) {
				char h = (char)(s[i + 2 + k] | 32);
				if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f')))
					break;
				v = v * 16 + (unsigned)(h <= '9' ? h - '0' : h - 'a' + 10);
			}
			if (!k)
				return 0;
			i += 1 + k;
		} else if (s[i + 1] >= '0' && s[i + 1] <= '7') {
			for (k = 0; k < 3 && i + 1 + k < n && s[i + 1 + k] >= '0' && s[i + 1 + k] <= '7'; k++)
				v = v * 8 + (unsigned)(s[i + 1 + k] - '0');
			i += k;
		} else {
			return 0;
		}
		if (v < 0x20 || v > 0x7e)
			return 0;
		out[w++] = (char)v;
	}
	return 0;
}

static int sep_byte(int c)
{
	return c == ';' || c == '|' || c == '&' || c == '\n' || c == '\r' || c == '`';
}

static int interp_word(const char *s, size_t n, size_t p, size_t *l)
{
	static const char *const in[] = {"python3", "python2", "python", "perl", "ruby", "php", "nodejs",
					 "node", "lua", "bash", "zsh", "dash", "ksh", "sh"};

	for (size_t k = 0; p < n && k < sizeof(in) / sizeof(in[0]); k++) {
		size_t w;
		/* the first byte decides most words */
		if (in[k][0] != s[p])
			continue;
		w = strlen(in[k]);
		if (p + w > n || memcmp(s + p, in[k], w) != 0)
			continue;
		/* named with its version: lua5.3, python3.11, php8.1 */
		if (p + w < n && s[p + w] >= '0' && s[p + w] <= '9') {
			size_t v = p + w;
			while (v < n && v < p + w + 6 && ((s[v] >= '0' && s[v] <= '9') || s[v] == '.'))
				v++;
			if (s[v - 1] != '.')
				w = v - p;
		}
		if (p + w == n || !payload_is_alnum((unsigned char)s[p + w])) {
			*l = w;
			return 1;
		}
	}
	return 0;
}

int payload_shellw_herestring(const char *s, size_t n, size_t i)
{
	size_t b = i, q = i + 3, l;

	if (i == 0 || i + 3 >= n || (i + 3 < n && s[i + 3] == '<') || s[i - 1] == '<')
		return 0;
	while (q < n && (s[q] == ' ' || s[q] == '\t'))
		q++;
	if (q >= n || sep_byte((unsigned char)s[q]))
		return 0;
	/* back to where this command line starts */
	while (b > 0 && b + 160 > i && !sep_byte((unsigned char)s[b - 1]) && s[b - 1] != '(')
		b--;
	if (b + 160 <= i)
		return 0;
	while (b < i && (s[b] == ' ' || s[b] == '\t'))
		b++;
	if (b >= i || !(payload_is_alpha((unsigned char)s[b]) || s[b] == '$' || s[b] == '/'))
		return 0;
	if (b > 0 && (sep_byte((unsigned char)s[b - 1]) || s[b - 1] == ' ' || s[b - 1] == '\t')) {
		size_t c = b;
		while (c > 0 && (s[c - 1] == ' ' || s[c - 1] == '\t'))
			c--;
		if (c > 0 && sep_byte((unsigned char)s[c - 1]))
			return 1;
	}
	/* "$(" or "<(" / ">(" open a command line */
	if (b > 1 && s[b - 1] == '(' && (s[b - 2] == '$' || s[b - 2] == '<' || s[b - 2] == '>'))
		return 1;
	/* the value's first word: only an interpreter or a variable */
	if (s[b] == '$')
		return 1;
	if (!interp_word(s, n, b, &l))
		return 0;
	/* ... given options only ("bash -s <<< id", "sh<<<id"): a word
	 * there is the script it runs, or a sentence ("Bash here-string:
	 * tr a-z A-Z <<< x") */
	for (b += l; b < i;) {
		if (s[b] == ' ' || s[b] == '\t') {
			b++;
			continue;
		}
		if (s[b] != '-' || b == 0 || (s[b - 1] != ' ' && s[b - 1] != '\t'))
			return 0;
		while (b < i && s[b] != ' ' && s[b] != '\t')
			b++;
	}
	return 1;
}

/* after "powershell" / "pwsh" at p: a blank, then a quoted script, a
 * parenthesised expression, iex, or a Verb-Noun cmdlet */
static int ps_code(const char *s, size_t n, size_t p)
{
	static const char *const verbs[] = {"Invoke-", "Start-", "Get-", "New-", "Set-", "Remove-", "Stop-",
					    "Import-", "Add-", "Out-"};

	if (payload_at(s, n, p, ".exe"))
		p += 4;
	if (p >= n || (s[p] != ' ' && s[p] != '\t'))
		return 0;
	while (p < n && (s[p] == ' ' || s[p] == '\t'))
		p++;
	if (p + 1 >= n)
		return 0;
	if (s[p] == '"' || s[p] == '\'' || s[p] == '(' || payload_at(s, n, p, "iex") || payload_at(s, n, p, "IEX"))
		return 1;
	for (size_t k = 0; k < sizeof(verbs) / sizeof(verbs[0]); k++) {
		size_t l = strlen(verbs[k]);
		if (payload_at(s, n, p, verbs[k]) && p + l < n && s[p + l] >= 'A' && s[p + l] <= 'Z')
			return 1;
	}
	return 0;
}

int payload_shellw_interp_code(const char *s, size_t n, size_t p)
{
	size_t l, q;

	while (p < n && (s[p] == ' ' || s[p] == '\t'))
		p++;
	if (payload_at(s, n, p, "/usr/bin/"))
		p += 9;
	else if (payload_at(s, n, p, "/bin/"))
		p += 5;
	if (payload_at(s, n, p, "powershell") || payload_at(s, n, p, "pwsh"))
		return ps_code(s, n, p + (s[p + 1] == 'o' ? 10 : 4));
	if (!interp_word(s, n, p, &l))
		return 0;
	q = p + l;
	/* options first: perl -MIO -e, python3 -u -c */
	for (int opt = 0; opt < 4; opt++) {
		size_t e;

		while (q < n && (s[q] == ' ' || s[q] == '\t'))
			q++;
		if (q + 1 >= n || s[q] != '-')
			return 0;
		for (e = q + 1; e < n && payload_is_alnum((unsigned char)s[e]); e++)
			;
		if (e == q + 2 && strchr("ceEr", s[q + 1])) {
			while (e < n && (s[e] == ' ' || s[e] == '\t'))
				e++;
			return e > q + 2 && e + 1 < n && (s[e] == '\'' || s[e] == '"' || s[e] == '$');
		}
		q = e;
	}
	return 0;
}

/* Past the escape or empty expansion at s[i] the shell drops or rewrites (into d at *w): 0 if none. */
static size_t unobf_expansion(const char *s, size_t n, size_t i, char *d, size_t *w)
{
	char c = s[i];
	int prev_al = i > 0 && payload_is_alnum((unsigned char)s[i - 1]);
	int next_al = i + 1 < n && payload_is_alnum((unsigned char)s[i + 1]);

	/* not a drive's separator: type c:\windows\win.ini; before
	 * 'n' only inside a word (u\name; the raw scan still reads an
	 * escaped newline "x\nid") */
	if (c == '\\' && next_al && (s[i + 1] != 'n' || prev_al) && !(i > 0 && s[i - 1] == ':') &&
	    !(*w > 0 && d[*w - 1] == '\\'))
		return i + 1;
	/* a line continuation, backslash-newline, inside a word: the
	 * shell joins the lines (w\<LF>hoami), each of a run of them
	 * (wh\<LF>\<LF>oami) */
	if (c == '\\' && prev_al && i + 2 < n && s[i + 1] == '\n') {
		size_t j = i;
		while (j + 1 < n && s[j] == '\\' && s[j + 1] == '\n')
			j += 2;
		if (j < n && payload_is_alnum((unsigned char)s[j])) {
			return j;
		}
	}
	/* ... and so do $@, $*, and $1-$9 inside a word (wh$1oami) */
	if (c == '$' && i + 1 < n && ((s[i + 1] == '@' || s[i + 1] == '*') ? prev_al || next_al :
				       s[i + 1] >= '1' && s[i + 1] <= '9' && prev_al && i + 2 < n &&
					       payload_is_alpha((unsigned char)s[i + 2])))
		return i + 2;
	if (c == '$' && i + 2 < n && ((s[i + 1] == '(' && s[i + 2] == ')') ||
				      (s[i + 1] == '{' && s[i + 2] == '}')))
		return i + 3;
	/* an empty command substitution inside a word: who``ami */
	if (c == '`' && i + 1 < n && s[i + 1] == '`' && (prev_al || (i + 2 < n &&
		payload_is_alnum((unsigned char)s[i + 2]))) && !(i > 0 && s[i - 1] == '`'))
		return i + 2;
	/* an unset variable inside a word expands to nothing:
	 * who${x}ami (not ${IFS}, which is a blank) */
	if (c == '$' && prev_al && i + 3 < n && s[i + 1] == '{') {
		size_t e = i + 2;
		while (e < n && e < i + 34 && (payload_is_alnum((unsigned char)s[e]) || s[e] == '_'))
			e++;
		if (e > i + 2 && e + 1 < n && s[e] == '}' && payload_is_alnum((unsigned char)s[e + 1]) &&
		    !(e - i - 2 == 3 && !memcmp(s + i + 2, "IFS", 3)))
			return e + 1;
	}
	/* an empty brace alternative splits words: sleep{,}5 */
	if (c == '{' && i + 2 < n && s[i + 1] == ',' && s[i + 2] == '}' && prev_al) {
		d[(*w)++] = ' ';
		return i + 3;
	}
	/* the first character of a variable that holds an absolute
	 * path is a slash: ${PATH:0:1}bin${PATH:0:1}id */
	if (c == '$' && i + 1 < n && s[i + 1] == '{') {
		static const char *const abs_vars[] = {"PATH:0:1}", "HOME:0:1}", "PWD:0:1}", "SHELL:0:1}"};
		size_t k, l = 0;
		for (k = 0; k < sizeof(abs_vars) / sizeof(abs_vars[0]) && !l; k++)
			if (payload_at(s, n, i + 2, abs_vars[k]))
				l = strlen(abs_vars[k]);
		if (l) {
			d[(*w)++] = '/';
			return i + 2 + l;
		}
	}
	/* bash's ANSI-C quoting spells a word in escapes: $'\x69\x64' */
	if (c == '$' && i + 1 < n && s[i + 1] == '\'') {
		size_t dl = 0, e = payload_shell_ansi_c(s, n, i + 2, d + *w, &dl);
		if (e) {
			*w += dl;
			return e + 1;
		}
	}
	return 0;
}

/* Past the cmd caret, inner quote or glued substitution at s[i] a word loses: 0 if none. */
static size_t unobf_quote(const char *s, size_t n, size_t i, int *dropped)
{
	char c = s[i];
	int prev_al = i > 0 && payload_is_alnum((unsigned char)s[i - 1]);
	int next_al = i + 1 < n && payload_is_alnum((unsigned char)s[i + 1]);

	/* cmd's escape: w^h^o^a^m^i, c^m^d^.^e^x^e, one opening a word
	 * (^w^h^o) where cmd starts a command: after a blank or a
	 * separator, a block's '(', echo-off's '@', and ',' '=' that
	 * cmd reads as blanks */
	if (c == '^' && (prev_al || (i > 0 && s[i - 1] == '.') || (next_al && (i == 0 || strchr(" \t;|&(@,=", s[i - 1])))) &&
	    (next_al || (i + 1 < n && s[i + 1] == '.')))
		return i + 1;
	/* a quoted piece that a word goes on after opens it:
	 * "w"h"o"a"m"i, 'i'd (a quote at the edge of a whole
	 * word stays) */
	if ((c == '\'' || c == '"') && !prev_al && next_al) {
		size_t e = i + 1;
		while (e < n && e < i + 33 && payload_is_alnum((unsigned char)s[e]))
			e++;
		if (e + 1 < n && s[e] == c && payload_is_alnum((unsigned char)s[e + 1])) {
			*dropped = 1;
			return i + 1;
		}
	}
	/* a substitution glued inside a word runs first, and one that
	 * prints nothing leaves the word whole: w`true`hoami */
	if (c == '`' && prev_al && i + 2 < n && s[i + 1] != '`') {
		size_t e = i + 1;
		while (e < n && e < i + 25 && (payload_is_alnum((unsigned char)s[e]) || s[e] == ' ' || s[e] == ':'))
			e++;
		if (e + 1 < n && s[e] == '`' && payload_is_alnum((unsigned char)s[e + 1]))
			return e + 1;
	}
	/* an empty pair after a word: cat""</etc/passwd */
	if ((c == '\'' || c == '"') && prev_al && i + 1 < n && s[i + 1] == c) {
		*dropped = 1;
		return i + 2;
	}
	if ((c == '\'' || c == '"') && (prev_al || (*dropped && next_al))) {
		*dropped = 1;
		return i + 1;
	}
	return 0;
}

/* The command words as the shell reads them: quotes inside a word (c'a't,
 * ca''t), a backslash before a letter (c\at) and empty expansions ($@, $*,
 * $(), ${}) vanish. Quotes at a word's edge stay: they are the quoted
 * context a payload breaks out of. Returns the length, 0 if nothing
 * changed. */
size_t payload_shellw_unobfuscate(const char *s, size_t n, char *d)
{
	size_t w = 0, e;
	int changed = 0, dropped = 0;

	for (size_t i = 0; i < n; i++) {
		if ((e = unobf_expansion(s, n, i, d, &w)) > 0 || (e = unobf_quote(s, n, i, &dropped)) > 0) {
			i = e - 1;
			changed = 1;
			continue;
		}
		dropped = 0;
		d[w++] = s[i];
	}
	return changed ? w : 0;
}

/* Length of an IFS reference at lo[i] ("$ifs", "${ifs}", "${ifs%??}",
 * each with an optional "$9" after it, the empty positional that ends the
 * name), or 0 */
size_t payload_shellw_ifs_ref(const char *lo, size_t n, size_t i)
{
	size_t e;

	if (payload_at(lo, n, i, "${ifs")) {
		for (e = i + 5; e < n && e < i + 14 && lo[e] != '}'; e++)
			;
		if (e >= n || lo[e] != '}')
			return 0;
		e++;
	} else if (payload_at(lo, n, i, "$ifs") &&
		   !(i + 4 < n && (payload_is_alnum((unsigned char)lo[i + 4]) || lo[i + 4] == '_'))) {
		e = i + 4;
	} else {
		return 0;
	}
	if (e + 1 < n && lo[e] == '$' && lo[e + 1] >= '0' && lo[e + 1] <= '9')
		e += 2;
	return e - i;
}

/* an identifier at p followed by '(': the index of the '(' or 0 */
static size_t call_at(const char *lo, size_t n, size_t p)
{
	size_t e = p;

	while (e < n && e < p + 32 && (payload_is_alnum((unsigned char)lo[e]) || lo[e] == '_'))
		e++;
	return e > p && e < n && lo[e] == '(' && payload_is_alpha((unsigned char)lo[p]) ? e : 0;
}

/* a PHP function that prints, runs or evaluates, named at p */
static int php_fn(const char *lo, size_t n, size_t p)
{
	static const char *const fn[] = {"print(", "echo(", "system(", "exec(", "passthru(", "phpinfo(",
					 "eval(", "assert(", "shell_exec(", "file_put_contents(", "die(",
					 "var_dump(", "base64_decode(", "include(", "require("};
	for (size_t k = 0; k < sizeof(fn) / sizeof(fn[0]); k++)
		if (payload_at(lo, n, p, fn[k]))
			return 1;
	return 0;
}

int payload_shellw_php_eval(const char *lo, size_t n, int marks, const char **why)
{
	/* the loop acts at "{$", '$', or a quote */
	for (size_t i = 0; marks && i + 3 < n; i++) {
		size_t c;

		/* {${f(...)}} and ${@f(...)}: a call where a string interpolates */
		if ((lo[i] == '{' && lo[i + 1] == '$' && lo[i + 2] == '{' && call_at(lo, n, i + 3)) ||
		    (lo[i] == '$' && lo[i + 1] == '{' && lo[i + 2] == '@' && call_at(lo, n, i + 3))) {
			*why = "php call in string interpolation";
			return 85;
		}
		/* '.f(...).': a string closed, concatenated with a call, reopened */
		if ((lo[i] == '\'' || lo[i] == '"') && lo[i + 1] == '.' && (c = call_at(lo, n, i + 2)) > 0 &&
		    php_fn(lo, n, i + 2)) {
			for (size_t e = c; e + 2 < n && e < c + 200; e++)
				if (lo[e] == ')' && lo[e + 1] == '.' && lo[e + 2] == lo[i]) {
					*why = "php string break around a call";
					return 80;
				}
		}
	}
	/* ;print(...) opening the value, after a quote or not */
	{
		size_t p = 0;
		while (p < n && (lo[p] == '\'' || lo[p] == '"' || lo[p] == ' '))
			p++;
		if (p < n && lo[p] == ';') {
			for (p++; p < n && lo[p] == ' '; p++)
				;
			if (php_fn(lo, n, p)) {
				*why = "php statement after separator";
				return 75;
			}
		}
	}
	return 0;
}

/* Does the command segment that ends at the pipe at i (from the previous
 * separator or the value's start) read as a command: shell syntax in it
 * (a quote, redirection, expansion, option, path) or a command word first
 * that is not English? "birthday party|bash" is a list of tags. */
static int segment_is_command(const char *s, size_t i, int win)
{
	size_t b = i;

	while (b > 0 && !strchr(";|&\n`(", s[b - 1]))
		b--;
	/* rev alone reverses what the segment before it wrote: that one
	 * decides (echo di | rev | sh); a few such filters at most */
	for (int k = 0; k < 4 && b > 0 && s[b - 1] == '|'; k++) {
		size_t w = b, e = i;
		while (w < e && s[w] == ' ')
			w++;
		while (e > w && s[e - 1] == ' ')
			e--;
		if (e - w != 3 || memcmp(s + w, "rev", 3) != 0)
			break;
		i = b - 1;
		for (b = i; b > 0 && !strchr(";|&\n`(", s[b - 1]); b--)
			;
	}
	for (size_t k = b; k < i; k++)
		if (strchr("'\"<>$=/\\", s[k]) || (s[k] == '-' && k > b && s[k - 1] == ' '))
			return 1;
	while (b < i && s[b] == ' ')
		b++;
	/* a command word that is not also English ("cat lovers|bash"), or
	 * one that writes a script out for the interpreter */
	if ((payload_at(s, i, b, "printf ") || payload_at(s, i, b, "echo ")))
		return 1;
	{
		char w[24];
		size_t l = 0;
		while (b + l < i && s[b + l] != ' ' && l < sizeof(w) - 1) {
			w[l] = s[b + l];
			l++;
		}
		w[l] = '\0';
		return l > 0 && (b + l == i || s[b + l] == ' ') && payload_shellt_listed(w, win ? PAYLOAD_SHELL_WIN : PAYLOAD_SHELL_STRONG);
	}
}

/* A pipe at i into an interpreter that runs what it reads (sh, bash,
 * python, ...; with options only) at the value's end or before another
 * separator, after a segment that is a command: "echo aWQ=|base64 -d|sh" */
int payload_shellw_piped_interp(const char *s, size_t n, size_t i, int win)
{
	static const char *const interp[] = {"sh", "bash", "zsh", "dash", "ksh", "csh", "tcsh",
					     "python", "python2", "python3", "perl", "ruby", "php",
					     "node", "lua", "pwsh", "powershell", "iex", "cmd.exe", "cmd"};
	size_t p = i + 1, l = 0;

	while (p < n && s[p] == ' ')
		p++;
	if (payload_at(s, n, p, "/bin/"))
		p += 5;
	else if (payload_at(s, n, p, "/usr/bin/"))
		p += 9;
	for (size_t k = 0; k < sizeof(interp) / sizeof(interp[0]) && !l; k++)
		if (payload_at(s, n, p, interp[k]) && (p + strlen(interp[k]) >= n ||
						      payload_shell_word_end((unsigned char)s[p + strlen(interp[k])])))
			l = strlen(interp[k]);
	if (!l)
		return 0;
	p += l;
	for (;;) {
		while (p < n && s[p] == ' ')
			p++;
		if (p < n && s[p] == '-') {
			while (p < n && s[p] != ' ' && !strchr(";|&\n'\"#", s[p]))
				p++;
			continue;
		}
		break;
	}
	if (p < n && !strchr(";|&\n'\"#`)", s[p]))
		return 0;
	return segment_is_command(s, i, win);
}

/* The backtick at s[i] opens inline code in prose, as markdown writes it:
 * after a word and a blank, closed within the line by a backtick that a
 * blank and a word follow, no separator or expansion inside ("The command
 * `ls -la` lists files"). A substitution glued to a word (x`id`,
 * `whoami`.evil.example) is not. */
/* Opening the value, the pair is a sentence's subject: two words at
 * least follow it ("`ls -la` shows hidden files"), where a payload puts
 * nothing or a comment ("`ls -la`", "`id` #"). */
int payload_shellw_md_code(const char *s, size_t n, size_t i)
{
	size_t j = i + 1, b = 0;

	while (b < i && s[b] == ' ')
		b++;
	if (b < i && (i < 2 || s[i - 1] != ' ' || !payload_is_alpha((unsigned char)s[i - 2])))
		return 0;
	while (j < n && j < i + 128 && s[j] != '`') {
		if (strchr(";|&$\n", s[j]))
			return 0;
		j++;
	}
	if (!(j + 2 < n && s[j] == '`' && j > i + 1 && s[j + 1] == ' ' && payload_is_alpha((unsigned char)s[j + 2])))
		return 0;
	if (b < i)
		return 1;
	/* the subject's verb, then another word */
	for (j += 2; j < n && payload_is_alpha((unsigned char)s[j]); j++)
		;
	return j + 1 < n && s[j] == ' ' && payload_is_alpha((unsigned char)s[j + 1]);
}

/* After a pipe, at p: a filter that only reads what the pipe gives it
 * (head, sort, wc, ...) with no file, redirection or expansion in its
 * arguments: "git log --oneline | head -5" does nothing a shell user
 * could not; "|sort /etc/passwd" names a file. */
int payload_shellw_pipe_filter(const char *s, size_t n, size_t p)
{
	static const char *const f[] = {"head", "tail", "sort", "uniq", "wc", "cut", "nl", "tac", "more", "less",
					"grep", "column", "tr"};
	size_t l = 0;

	while (p < n && s[p] == ' ')
		p++;
	for (size_t k = 0; k < sizeof(f) / sizeof(f[0]) && !l; k++)
		if (payload_at(s, n, p, f[k]) && (p + strlen(f[k]) >= n || s[p + strlen(f[k])] == ' '))
			l = strlen(f[k]);
	if (!l)
		return 0;
	for (p += l; p < n && !strchr(";|&\n\r", s[p]); p++)
		if (strchr("/$`<>~\\'\"#", s[p]))
			return 0;
	return 1;
}

/* $( at s[i]: a substitution whose output the shell runs as the command,
 * the substitution standing where a command goes (cmd_pos): printf or
 * echo writing the command ("$(printf 'id')"), one command word alone
 * ("$(dir)") or one that is no English with words after it ("$(getent
 * passwd)"); jQuery's $(this) names no command. */
int payload_shellw_subst_word(const char *s, size_t n, size_t i, int cmd_pos)
{
	char w[24];
	size_t p = i + 2, l = 0, e;

	/* a word opens it (64 KiB of "$(" looked 96 bytes on from each) */
	if (p >= n || !(payload_is_alnum((unsigned char)s[p]) || s[p] == '.'))
		return 0;
	for (e = p; e < n && e < p + 96 && s[e] != ')'; e++)
		;
	if (e >= n || s[e] != ')')
		return 0;
	/* ... its output a command: at a command position or closing
	 * where the payload does ("$(dir)", "'$(id);"), not "$(pwd) to" nor
	 * markdown's `$(pwd)` */
	cmd_pos |= e + 1 >= n || strchr(";|&'\"#", s[e + 1]) != NULL;
	/* ... or glued inside a word, as no prose writes it: a$(id)b */
	cmd_pos |= i > 0 && payload_is_alnum((unsigned char)s[i - 1]) && e + 1 < n &&
		   payload_is_alnum((unsigned char)s[e + 1]);
	if (!cmd_pos)
		return 0;
	if (payload_at(s, e, p, "printf ") || payload_at(s, e, p, "echo "))
		return 1;
	while (p + l < e && l < sizeof(w) - 1 && (payload_is_alnum((unsigned char)s[p + l]) || s[p + l] == '.')) {
		w[l] = (char)(s[p + l] >= 'A' && s[p + l] <= 'Z' ? s[p + l] + 32 : s[p + l]);
		l++;
	}
	w[l] = '\0';
	if (l == 0)
		return 0;
	/* a command no English shares, with plain words after it:
	 * '$(getent passwd)" */
	if (p + l < e && s[p + l] == ' ' && payload_shellt_listed(w, PAYLOAD_SHELL_STRONG))
		return 1;
	return p + l == e &&
	       (payload_shellt_listed(w, PAYLOAD_SHELL_STRONG) || payload_shellt_listed(w, PAYLOAD_SHELL_WEAK) ||
		payload_shellt_listed(w, PAYLOAD_SHELL_WIN));
}

/* A later argument of the command whose name ends at p, within its
 * segment (a few words, quoted ones skipped whole), names a file under a
 * system directory: grep root /etc/passwd, awk '{print}' /etc/passwd; with
 * opt, or is an option: openssl s_client -connect x:443 */
int payload_shellw_later_path_arg(const char *s, size_t n, size_t p, int opt)
{
	static const char *const dirs[] = {"/etc/", "/proc/", "/var/", "/tmp/", "/dev/", "/bin/",
					   "/usr/", "/home/", "/root/", "/sys/", "/boot/"};
	size_t end = p + 128 < n ? p + 128 : n;

	for (int words = 0; p < end && words < 6; words++) {
		while (p < end && (s[p] == ' ' || s[p] == '\t'))
			p++;
		if (p >= end || strchr(";|&\n`", s[p]))
			return 0;
		if (s[p] == '\'' || s[p] == '"') {
			char q = s[p++];
			while (p < end && s[p] != q)
				p++;
			p++;
			continue;
		}
		if (opt && s[p] == '-' && p + 1 < n && payload_is_alpha((unsigned char)s[p + 1]))
			return 1;
		for (size_t k = 0; s[p] == '/' && k < sizeof(dirs) / sizeof(dirs[0]); k++)
			if (payload_at(s, n, p, dirs[k]))
				return 1;
		while (p < end && !payload_is_space((unsigned char)s[p]) && !strchr(";|&\n`", s[p]))
			p++;
	}
	return 0;
}

/* ip's objects, alone after "ip ": ip a, ip addr, ip route */
int payload_shellw_ip_object(const char *s, size_t n, size_t p)
{
	static const char *const v[] = {"a", "addr", "address", "link", "route", "r", "neigh"};
	for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
		size_t e = p + strlen(v[k]);
		if (payload_at(s, n, p, v[k]) && (e >= n || payload_shell_word_end((unsigned char)s[e]) || payload_shell_hash_end(s, n, e)))
			return 1;
	}
	return 0;
}
