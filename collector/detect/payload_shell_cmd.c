/* payload_shell_cmd.c - command injection: is there a command at a
 * position after a separator? The command word (bare, pathed, spelt with
 * a drive, a PowerShell cmdlet, a word of payload_shellt.c's lists) and
 * what must follow it for it to be a command and not English: an argument
 * only a shell takes, the value's end, another separator. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_shell_int.h"
#include "collector/detect/payload_shell_tool.h"

#include <string.h>
#include <strings.h>

static int shell_arg(const char *s, size_t n, size_t p)
{
	while (p < n && (s[p] == ' ' || s[p] == '\t'))
		p++;
	if (payload_at(s, n, p, "${IFS}") || payload_at(s, n, p, "$IFS"))
		return 1;
	/* an expansion inside the word: echo TAG$((1+2))$(echo TAG)TAG */
	for (size_t e = p; e < n && e < p + 64 && !payload_is_space((unsigned char)s[e]) && !strchr(";|&", s[e]); e++)
		if (s[e] == '$' && e + 1 < n && (s[e + 1] == '(' || s[e + 1] == '{'))
			return 1;
	if (p >= n)
		return 0;
	if (s[p] == '-' || s[p] == '/' || s[p] == '$' || s[p] == '>' || s[p] == '<' ||
	    s[p] == '~')
		return 1;
	/* a relative path: ./config.php, ../../etc/passwd, cmd's ..\web.config */
	if (s[p] == '.' && (payload_at(s, n, p + 1, "/") || payload_at(s, n, p + 1, "./") ||
			    payload_at(s, n, p + 1, ".\\")))
		return 1;
	/* a Windows drive (dir c:\, type C:/x) or %VARIABLE% */
	if (payload_is_alpha((unsigned char)s[p]) && p + 2 < n && s[p + 1] == ':' &&
	    (s[p + 2] == '\\' || s[p + 2] == '/'))
		return 1;
	if (s[p] == '%' && p + 2 < n && payload_is_alpha((unsigned char)s[p + 1])) {
		size_t e = p + 1;
		while (e < n && (payload_is_alnum((unsigned char)s[e])))
			e++;
		if (e < n && s[e] == '%')
			return 1;
	}
	/* a number or an address (sleep 5, ping 10.0.0.1), not "8h" */
	if (s[p] >= '0' && s[p] <= '9') {
		while (p < n && ((s[p] >= '0' && s[p] <= '9') || s[p] == '.'))
			p++;
		return p >= n || payload_shell_word_end((unsigned char)s[p]) || payload_shell_hash_end(s, n, p);
	}
	/* a file name with an extension: cat flag.txt */
	size_t e = p;
	while (e < n && (payload_is_alnum((unsigned char)s[e]) || s[e] == '-'))
		e++;
	return e < n && s[e] == '.' && e + 1 < n && payload_is_alpha((unsigned char)s[e + 1]);
}

/* a file name with an extension at p and nothing after it but the
 * value's end or a separator: notes.txt, x.php */
static int relative_file(const char *s, size_t n, size_t p)
{
	size_t e = p, dot = 0;

	while (e < n && e < p + 64 && (payload_is_alnum((unsigned char)s[e]) || s[e] == '_' || s[e] == '-' || s[e] == '.'))
		dot = s[e++] == '.' ? e : dot;
	return e > p && dot > p + 1 && dot < e && payload_is_alpha((unsigned char)s[dot]) &&
	       (e >= n || strchr(";|&\n'\"#", s[e]));
}

/* the next word is not English: a URL, host, file or key=value */
static int url_arg(const char *s, size_t n, size_t p)
{
	while (p < n && (s[p] == ' ' || s[p] == '\t'))
		p++;
	for (; p < n && !payload_is_space((unsigned char)s[p]) && !strchr(";|&`", s[p]); p++)
		if (strchr("/.:$=@", s[p]))
			return 1;
	return 0;
}

static int command_at_d(const char *s, size_t n, size_t p, int depth, int lead);

/* After a bare command ending at p: the value ends, or the next separator
 * leads to nothing, a quote, or another command ("|id|", ";id;'"); "name|id|
 * email" is a list of words. */
static int tail_ok(const char *s, size_t n, size_t p, int depth)
{
	while (p < n && s[p] == ' ')
		p++;
	if (p >= n)
		return 1;
	/* an English word right after the command: "; id card" */
	if (!strchr(";|&\n`)'\"\\#", s[p]))
		return 0;
	size_t run = p;
	/* ... a '(' in the run reopens a call the value closed before the
	 * command: "');id;('" */
	while (p < n && (strchr(";|&\n`) '\"\\#", s[p]) || (s[p] == '(' && p > run && memchr(s, ')', run)))) {
		if (s[p] == '\\' && p + 1 < n && s[p + 1] == 'n')
			p++; /* an escaped newline */
		p++;
	}
	/* a separator and the quote the value broke out of before the
	 * command, reopened after it (a"|id|"b), or a substitution holding
	 * a command list closed right after the command (`npm test && id`;
	 * markdown's `` `pwd` `` holds none) */
	for (size_t k = run; k < p; k++) {
		const char *o = memrchr(s, s[k], run);
		if (o && s[k] == '`' && k == run && memchr(o, ';', run - (size_t)(o - s)) == NULL &&
		    memchr(o, '|', run - (size_t)(o - s)) == NULL && memchr(o, '&', run - (size_t)(o - s)) == NULL)
			o = NULL;
		if (o && (s[k] == '`' ? k == run : (s[k] == '"' || s[k] == '\'') && k > run && strchr(";|&\n", s[k - 1])))
			return 1;
		/* ... through the call's '(' again: "');id;('" */
		if (o && (s[k] == '"' || s[k] == '\'') && k > run && s[k - 1] == '(') {
			size_t b = k - 1;
			while (b > run && s[b - 1] == '(')
				b--;
			if (b > run && strchr(";|&\n", s[b - 1]))
				return 1;
		}
	}
	/* a line comment of the code the value broke out of, after the
	 * separator: "');whoami;//" */
	if (p + 1 < n && s[p] == '/' && s[p + 1] == '/' && p > run && strchr(";\n", s[p - 1]) &&
	    (memchr(s, '\'', run) || memchr(s, '"', run)))
		return 1;
	/* a compound command's end: "; then id; fi", "{ id; }" */
	{
		size_t l = payload_at(s, n, p, "fi") ? 2 : payload_at(s, n, p, "done") ? 4 :
			   payload_at(s, n, p, "esac") ? 4 : s[p] == '}' ? 1 : 0;
		if (l && p > run && (p + l >= n || strchr(" ;|&)'\"#\n", s[p + l])))
			return 1;
	}
	/* cmd's comment closes it: "&whoami &rem " */
	if (p >= n || (s[p - 1] != '#' && payload_at(s, n, p, "rem") && (p + 3 >= n || s[p + 3] == ' ')))
		return 1;
	if (depth < 2 && command_at_d(s, n, p, depth, 0) > 0)
		return 1;
	/* ... or a command word of any list ends the next segment or opens
	 * it before an argument: "; id; echo ok", "| id | cat" */
	{
		char w[16];
		size_t l = 0;
		while (p + l < n && l < sizeof(w) - 1 && payload_is_alpha((unsigned char)s[p + l])) {
			w[l] = s[p + l];
			l++;
		}
		w[l] = '\0';
		return l > 1 && (p + l >= n || payload_shell_word_end((unsigned char)s[p + l])) &&
		       (payload_shellt_listed(w, PAYLOAD_SHELL_STRONG) || payload_shellt_listed(w, PAYLOAD_SHELL_WEAK));
	}
}



/* the value opens with an address or a file's name before its first
 * separator ("127.0.0.1 && ", "a.txt; "): an application's expected
 * value, which a payload follows, not prose */
int payload_shell_address_lead(const char *s, size_t n)
{
	size_t e = 0;
	int dot = 0;

	while (e < n && e < 64 && (payload_is_alnum((unsigned char)s[e]) || strchr(".:-_@", s[e]))) {
		dot |= s[e] == '.' || s[e] == ':';
		e++;
	}
	while (e < n && e < 80 && s[e] == ' ')
		e++;
	return dot && e < n && strchr(";|&", s[e]);
}

/* After a command that reads a file at p: one name, then only what
 * closes a payload; the value opened with the separator: a score, or 0
 * (spaced: a blank stands before the reader's name). cat, tac and
 * nl take a plain name (";cat flag"); the readers that are English
 * nouns (head, tail, more, less, type, sort: "& type ahead", "; head
 * count") a pattern (";more f*", "|type *.config") or the separator
 * glued to them (";head flag", ";rev flag") */
static int reader_arg(const char *word, const char *s, size_t n, size_t p, int spaced)
{
	static const char *const rd[] = {"cat", "tac", "nl", "head", "tail", "more", "less", "type", "sort", "rev"};
	size_t k, e;
	int glob = 0, file = 0;

	for (k = 0; k < sizeof(rd) / sizeof(rd[0]) && strcmp(rd[k], word); k++)
		;
	if (k == sizeof(rd) / sizeof(rd[0]) || p >= n || (s[p] != ' ' && s[p] != '\t'))
		return 0;
	/* (a tab is the shell's blank as well: ";cat\tflag") */
	while (p < n && (s[p] == ' ' || s[p] == '\t'))
		p++;
	for (e = p; e < n && e < p + 64 && (payload_is_alnum((unsigned char)s[e]) || strchr("._*?", s[e])); e++) {
		glob |= s[e] == '*' || s[e] == '?';
		/* a file's name: an extension, a dot file, an underscore */
		file |= (s[e] == '.' && e + 1 < n && payload_is_alnum((unsigned char)s[e + 1])) || s[e] == '_';
	}
	if (e == p || !(k < 3 || glob || !spaced) || payload_shell_tool_words_to_end(s, n, e) != 0)
		return 0;
	/* a plain word after cat with a blank before it ("; cat toys", "1 &
	 * cat book", "1 || cat colors") is a list's or a search's as often as
	 * "; cat flag": a finding, no kill; glued to the separator (";cat
	 * flag", "$(cat flag)"), after an address, or tac and nl (no English
	 * words) it is a payload's */
	return glob || file || !spaced || k > 0 || payload_shell_address_lead(s, n) ? 70 : 55;
}

/* the word after blanks at p is a program name no list holds: letters,
 * digits, '-' '_' '.' then a blank or the end (apt-get, node, systemctl) */
static int wrapped_unlisted(const char *s, size_t n, size_t p)
{
	size_t e;

	while (p < n && s[p] == ' ')
		p++;
	if (p >= n || !payload_is_alpha((unsigned char)s[p]))
		return 0;
	for (e = p; e < n && e < p + 32 && (payload_is_alnum((unsigned char)s[e]) || strchr("-_.", s[e])); e++)
		;
	return (e >= n || s[e] == ' ') && !payload_shellt_listed_n(s + p, e - p, PAYLOAD_SHELL_STRONG) &&
	       !payload_shellt_listed_n(s + p, e - p, PAYLOAD_SHELL_WEAK);
}

/* The value opens with a command line of its own before the separator
 * that comes ahead of p: a program word, a blank, more words ("python
 * manage.py migrate && ..", "$ sudo apt update && ..", "cd api && .."),
 * not one word an attacker's payload follows ("abc;python3 x.py"). A
 * command opening a code span (after '`') is such a line when it chains
 * another before the span closes ("I ran `python3 -m venv .venv &&
 * source ..`", or one the value ends inside); alone in a closed span
 * ("x`python3 -m pty`") it is a substitution */
static int line_sep(char c)
{
	return c == ';' || c == '|' || c == '&' || c == '\n' || c == '\r' || c == '`';
}

static int build_line(const char *s, size_t n, size_t p)
{
	size_t b = 0, e, lim, q = p;
	int span;

	while (q > 0 && p - q < 16 && s[q - 1] == ' ')
		q--;
	span = q > 0 && s[q - 1] == '`';
	if (span) {
		b = p;
		lim = n < p + 256 ? n : p + 256;
	} else {
		while (b < p && b < 16 && s[b] == ' ')
			b++;
		if (payload_at(s, n, b, "$ "))
			b += 2;
		/* (the first line read to 256 bytes at most: each call is bounded) */
		lim = p < b + 256 ? p : b + 256;
	}
	if (b >= lim || !((s[b] >= 'a' && s[b] <= 'z') || s[b] == '.'))
		return 0;
	for (e = b; e < lim && e < b + 32 &&
		    (payload_is_alnum((unsigned char)s[e]) || s[e] == '.' || s[e] == '_' || s[e] == '/' || s[e] == '-');
	     e++)
		;
	if (e >= lim || s[e] != ' ')
		return 0;
	while (e < lim && s[e] == ' ')
		e++;
	/* a second word, then the separator, all before p (or the span's end) */
	if (e >= lim || line_sep(s[e]))
		return 0;
	while (e < lim && !line_sep(s[e]))
		e++;
	/* (a span the value ends inside is no substitution: the shell
	 * would stop at the missing '`'; a query's '&' cut it there) */
	return span ? (e < lim ? s[e] != '`' : lim == n) : e < lim;
}

/* the unlisted program after blanks at p is given nothing: only what
 * closes a payload follows ("; sudo sugar" is a word, ";sudo vim -c
 * ':!sh'" a command line) */
static int unlisted_alone(const char *s, size_t n, size_t p)
{
	while (p < n && s[p] == ' ')
		p++;
	while (p < n && (payload_is_alnum((unsigned char)s[p]) || s[p] == '-' || s[p] == '_' || s[p] == '.'))
		p++;
	return payload_shell_tool_words_to_end(s, n, p) == 0;
}

/* tee's argument at p is a relative file of text or a log (build.log,
 * out.txt), to the value's end or a separator, no script a server runs */
static int tee_log(const char *s, size_t n, size_t p)
{
	static const char *const ext[] = {".log", ".txt", ".out", ".json", ".csv"};
	size_t e;

	while (p < n && s[p] == ' ')
		p++;
	if (payload_at(s, n, p, "-a "))
		p += 3;
	for (e = p; e < n && e < p + 64 && (payload_is_alnum((unsigned char)s[e]) || strchr("._-", s[e])); e++)
		;
	if (e < n && !strchr(" ;|&\n", s[e]))
		return 0;
	for (size_t k = 0; k < sizeof(ext) / sizeof(ext[0]); k++)
		if (e - p > strlen(ext[k]) && !memcmp(s + e - strlen(ext[k]), ext[k], strlen(ext[k])))
			return 1;
	return 0;
}

/* the value is a Markdown table's cell or row ("| date |"): it opens and
 * closes with a pipe; an English word between is a column's name (cmd's
 * "|dir|", "| ver |" stay probes) */
static int md_cell(const char *s, size_t n)
{
	size_t b = 0;

	while (b < n && (s[b] == ' ' || s[b] == '\t'))
		b++;
	while (n > b && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	/* "|| who ||" is the shell's or, no table */
	return n > b + 3 && s[b] == '|' && s[b + 1] != '|' && s[n - 1] == '|' && s[n - 2] != '|';
}

/* At p (after blanks): a reserved word before a command (then, else,
 * do), a test ("if ["), a variable given a command's output; the score,
 * or -1 when none of these is there */
static int shell_forms(const char *s, size_t n, size_t p, int depth, int lead)
{
	/* what follows then/else/do is a command; "if [" a test */
	if ((payload_at(s, n, p, "then ") || payload_at(s, n, p, "else ")) && depth < 2)
		return command_at_d(s, n, p + 5, depth + 1, lead);
	if (payload_at(s, n, p, "do ") && depth < 2)
		return command_at_d(s, n, p + 3, depth + 1, lead);
	if (payload_at(s, n, p, "if [ ") || payload_at(s, n, p, "if [[ "))
		return 75;
	/* '.' or source reading a process substitution runs its output:
	 * ". <(echo id)", "source <(curl -s URL)" */
	if ((payload_at(s, n, p, ". <(") || payload_at(s, n, p, "source <(")) && depth < 2) {
		size_t b = p + (s[p] == '.' ? 4 : 9), c = b;
		/* (a separator or another opener ends the search: a run of
		 * ";. <(" costs a few bytes each) */
		while (c < n && c < b + 128 && !strchr(");|&(<", s[c]))
			c++;
		/* what it holds is a command line of its own */
		if (c < n && s[c] == ')' && c > b && command_at_d(s + b, c - b, 0, depth + 1, 1))
			return 85;
	}
	/* a variable given a command's output: str=$(echo x) */
	{
		size_t e = p;
		while (e < n && e < p + 32 && (payload_is_alnum((unsigned char)s[e]) || s[e] == '_'))
			e++;
		/* ... a command, not jQuery's el=$('.nav') or x=$(this) */
		if (e > p && e + 2 < n && s[e] == '=' && (s[e + 1] == '`' || (s[e + 1] == '$' && s[e + 2] == '(')) &&
		    depth < 2) {
			size_t b = e + 2 + (s[e + 1] == '$'), c = b;
			char close = s[e + 1] == '`' ? '`' : ')';
			while (c < n && c < b + 128 && s[c] != close)
				c++;
			if (c < n && s[c] == close && c > b && command_at_d(s + b, c - b, 0, depth + 1, 1))
				return 80;
		}
	}
	return -1;
}

/* cmd's %NAME% opening a path at p (%SystemRoot%\system32\cmd.exe): the
 * offset of the separator after it, or 0 */
static size_t win_var_dir(const char *s, size_t n, size_t p)
{
	size_t e = p + 1;

	if (p >= n || s[p] != '%')
		return 0;
	while (e < n && e < p + 33 && (payload_is_alnum((unsigned char)s[e]) || s[e] == '_'))
		e++;
	/* only the system's own trees: %ProgramFiles%\Git\bin\bash.exe and
	 * %LOCALAPPDATA%\...\python.exe fill CI scripts and READMEs, while
	 * what an attacker reaches for lives under the Windows directory */
	if (!(e - p - 1 == 10 && !strncasecmp(s + p + 1, "systemroot", 10)) &&
	    !(e - p - 1 == 6 && !strncasecmp(s + p + 1, "windir", 6)) &&
	    !(e - p - 1 == 11 && !strncasecmp(s + p + 1, "systemdrive", 11)))
		return 0;
	return e > p + 1 && e + 1 < n && s[e] == '%' && (s[e + 1] == '\\' || s[e + 1] == '/') ? e + 1 : 0;
}

/* A command word at p (after a separator). Returns a score, 0 if none. */
/* the cmdlet at p takes a pipe from the value's own first cmdlet
 * (Get-ChildItem | Copy-Item -Destination D:\\x): a how-to's PowerShell
 * line, no break out of anything, unless it sends to a share (\\\\host) */
static int ps_pipeline(const char *s, size_t n, size_t p)
{
	size_t i = p, h;

	while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
		i--;
	if (i == 0 || s[i - 1] != '|' || i > 256)
		return 0;
	for (h = 0; h + 1 < i; h++)
		if (strchr(";&|`$\n\r'\"", s[h]))
			return 0;
	for (h = 0; h < 12 && payload_is_alpha((unsigned char)s[h]); h++)
		;
	if (!(s[0] >= 'A' && s[0] <= 'Z') || h < 3 || s[h] != '-' || !(s[h + 1] >= 'A' && s[h + 1] <= 'Z'))
		return 0;
	for (h = p; h + 2 < n; h++)
		if (s[h] == '\\' && s[h + 1] == '\\' && payload_is_alnum((unsigned char)s[h + 2]))
			return 0;
	return 1;
}

/* cmd's START or CALL at p (any case) given a program to run, after its
 * switches: a name ending in an executable's extension, a share's path
 * (\\host\x), an interpreter ("& start /b calc.exe", "|call x.bat",
 * "& start cmd"); "& call 911", "start the car" are English */
static int win_launch(const char *s, size_t n, size_t p)
{
	/* (1: a name with an executable's extension; 2: an interpreter or a
	 * share's path) */
	static const char *const ext[] = {".exe", ".bat", ".cmd", ".com", ".ps1", ".vbs", ".hta", ".scr"};
	size_t e;

	if (!((p + 6 < n && !strncasecmp(s + p, "start ", 6)) || (p + 5 < n && !strncasecmp(s + p, "call ", 5))))
		return 0;
	p += s[p] == 's' || s[p] == 'S' ? 6 : 5;
	for (int sw = 0; sw < 4; sw++) {
		while (p < n && s[p] == ' ')
			p++;
		if (p + 1 < n && s[p] == '/' && payload_is_alpha((unsigned char)s[p + 1])) {
			while (p < n && s[p] != ' ')
				p++;
		} else if (payload_at(s, n, p, "\"\" ")) {
			p += 2; /* start's empty window title */
		} else {
			break;
		}
	}
	if (payload_at(s, n, p, "\\\\") && p + 2 < n && payload_is_alnum((unsigned char)s[p + 2]))
		return 2;
	for (e = p; e < n && e < p + 64 && !payload_is_space((unsigned char)s[e]) && !strchr(";|&`'\"<>", s[e]); e++)
		;
	if (e == p)
		return 0;
	for (size_t k = 0; k < sizeof(ext) / sizeof(ext[0]); k++)
		if (e - p > 4 && !strncasecmp(s + e - 4, ext[k], 4))
			return 1;
	return 2 * payload_shellt_listed_n(s + p, e - p, PAYLOAD_SHELL_INTERP);
}

/* the share path at p (\\host\share\x.exe) names a program: its last
 * name ends in an executable's extension */
static int unc_program(const char *s, size_t n, size_t p)
{
	size_t e = p;

	while (e < n && e < p + 200 && !payload_is_space((unsigned char)s[e]) && !strchr(";|&`'\"<>", s[e]))
		e++;
	return e - p > 6 && (!strncasecmp(s + e - 4, ".exe", 4) || !strncasecmp(s + e - 4, ".bat", 4) ||
			     !strncasecmp(s + e - 4, ".ps1", 4) || !strncasecmp(s + e - 4, ".cmd", 4));
}

/* At p: cmd's START or CALL given a program (80), a program run from a
 * share, \\10.0.0.1\s\nc.exe -e cmd (85); else 0. A program named
 * only by its .exe after a separator inside prose ("Tom & call me.exe",
 * "run setup & start setup.exe") is an instruction as often: 55 */
static int win_program(const char *s, size_t n, size_t p, int lead)
{
	int w;

	if ((s[p] == 's' || s[p] == 'S' || s[p] == 'c' || s[p] == 'C') && (w = win_launch(s, n, p)) > 0)
		return w == 2 || (lead & 1) ? 80 : 55;
	if (s[p] == '\\' && s[p + 1] == '\\' && payload_is_alnum((unsigned char)s[p + 2]) && unc_program(s, n, p))
		return 85;
	return 0;
}

/* the cmdlet s[p..e) runs a string as code and is given one:
 * Invoke-Expression 'whoami', Invoke-Command "net user" */
static int iex_string(const char *s, size_t n, size_t p, size_t e)
{
	if (!((e - p == 17 && payload_at(s, n, p, "Invoke-Expression")) || (e - p == 14 && payload_at(s, n, p, "Invoke-Command"))))
		return 0;
	while (e < n && s[e] == ' ')
		e++;
	return e + 1 < n && (s[e] == '\'' || s[e] == '"') && payload_is_alpha((unsigned char)s[e + 1]);
}

/* $0 is the shell itself: "$0 -c id", ";$0"; so are $SHELL, $BASH */
static int shell_self(const char *s, size_t n, size_t p, int lead)
{
	if (payload_at(s, n, p, "$0") &&
	    ((lead & 1 && (p + 2 >= n || strchr(";|&#", s[p + 2]))) || payload_at(s, n, p + 2, " -")))
		return 1;
	return payload_at(s, n, p, "$SHELL -c") || payload_at(s, n, p, "${SHELL} -c") || payload_at(s, n, p, "$BASH -c");
}

/* The listed word s[p..p+l) as an interpreter named with its version
 * (python3.11, php8.1, perl5.36): the length with the version, else l */
static size_t interp_version(const char *s, size_t n, size_t p, size_t l, const char *word)
{
	size_t v = p + l;

	if (v >= n || !((s[v] >= '0' && s[v] <= '9') || s[v] == '.') || !payload_shellt_listed(word, PAYLOAD_SHELL_INTERP))
		return l;
	while (v < n && v < p + l + 6 && ((s[v] >= '0' && s[v] <= '9') || s[v] == '.'))
		v++;
	return s[v - 1] != '.' && (v >= n || payload_shell_word_end((unsigned char)s[v])) ? v - p : l;
}

/* A command word spelt with its path at *pp: /usr/bin/id, /bin/ls, a
 * drive's C:\Windows\System32\cmd.exe or %SystemRoot%\system32\cmd.exe,
 * a relative system path (bin/sh). *pp moves to the path's last name,
 * *pathed says it was a system tree's; 85 when the shell finds the
 * binary by pattern (/???/??t), else 0. */
static int command_path(const char *s, size_t n, size_t *pp, int *pathed)
{
	size_t p = *pp, wv = 0;

	if (p < n && s[p] == '/') {
		size_t e = p, last = p;
		int glob = 0, slashes = 0;
		while (e < n && !payload_shell_word_end((unsigned char)s[e]) && s[e] != ',') {
			if (s[e] == '/') {
				last = e;
				slashes++;
			}
			glob |= s[e] == '?' || s[e] == '*' || s[e] == '[';
			e++;
		}
		/* /???/??t, /bin/c?t: the shell finds the binary by pattern */
		if (glob && slashes >= 2 && e > last + 1)
			return 85;
		if (payload_at(s, n, p, "/bin/") || payload_at(s, n, p, "/usr/") || payload_at(s, n, p, "/sbin/"))
			*pathed = 1;
		p = last + 1;
	} else if ((p + 3 < n && payload_is_alpha((unsigned char)s[p]) && s[p + 1] == ':' &&
		    (s[p + 2] == '\\' || s[p + 2] == '/')) ||
		   (wv = win_var_dir(s, n, p)) > 0) {
		/* C:\Windows\System32\cmd.exe, %SystemRoot%\system32\cmd.exe:
		 * a drive path's last name */
		size_t e = wv ? wv : p + 2, last = e;
		while (e < n && !payload_is_space((unsigned char)s[e]) && !strchr(";|&`\"'<>", s[e])) {
			if (s[e] == '\\' || s[e] == '/')
				last = e;
			e++;
		}
		*pathed = 1;
		p = last + 1;
	} else if (payload_at(s, n, p, "usr/bin/") || payload_at(s, n, p, "bin/") ||
		   payload_at(s, n, p, "usr/sbin/") || payload_at(s, n, p, "sbin/")) {
		/* a relative system path resolves the same from / */
		size_t e = p, last = p;
		while (e < n && !payload_shell_word_end((unsigned char)s[e])) {
			if (s[e] == '/')
				last = e;
			e++;
		}
		*pathed = 1;
		p = last + 1;
	}
	*pp = p;
	return 0;
}

/* Whether the PowerShell cmdlet at s[p] runs as a command: with an argument, alone, or fed to iex. */
static int ps_cmdlet(const char *s, size_t n, size_t p, int lead)
{
	static const char *const verbs[] = {"Get-", "Set-", "Invoke-", "Start-", "New-",
					    "Remove-", "Add-", "Out-", "Import-", "Stop-",
					    "Test-", "Resolve-", "Enter-", "Register-", "Copy-"};
	/* every verb starts with a capital: one test for most words */
	for (size_t k = 0; p < n && s[p] >= 'A' && s[p] <= 'Z' && k < sizeof(verbs) / sizeof(verbs[0]); k++) {
		size_t l, e;
		if (!payload_at(s, n, p, verbs[k]))
			continue;
		l = strlen(verbs[k]);
		if (p + l >= n || s[p + l] < 'A' || s[p + l] > 'Z')
			continue;
		for (e = p + l; e < n && payload_is_alpha((unsigned char)s[e]); e++)
			;
		/* with a PowerShell-looking argument, or alone after a
		 * leading separator: "Get-Started guide" is English */
		if (e > p + l + 2 && (e >= n || payload_shell_word_end((unsigned char)s[e])) &&
		    (shell_arg(s, n, e) || ((lead & 1) && payload_shell_tool_words_to_end(s, n, e) == 0) || iex_string(s, n, p, e)) &&
		    !(k >= 10 && ps_pipeline(s, n, p)))
			return 1;
	}
	return 0;
}

/* The score the listed word at s[p] (l bytes) earns from its kind and next words (0: none yet). */
static int word_first(const char *s, size_t n, size_t p, size_t l, const char *word, int strong, int depth, int lead)
{
	int wc;

	/* a build line's next step, not a payload: "python
	 * manage.py migrate && python manage.py runserver" */
	if (strong && !(lead & 1) && payload_shellt_listed(word, PAYLOAD_SHELL_INTERP) &&
	    payload_shellc_project_script(s, n, p, l) && build_line(s, n, p))
		return 0;
	if (strong && depth < 2 && payload_shellt_listed(word, PAYLOAD_SHELL_WRAPPER) && p + l < n &&
	    (s[p + l] == ' ' || s[p + l] == '\t')) {
		int w = command_at_d(s, n, p + l, depth + 1, lead & (1 | PAYLOAD_SHELL_LEAD_TICK | PAYLOAD_SHELL_LEAD_BTICK));
		if (w)
			return w;
		/* sudo or nohup before a program no list holds
		 * (sudo apt upgrade -y, nohup node server.js):
		 * that program is the command, as judged */
		if ((!strcmp(word, "sudo") || !strcmp(word, "nohup")) && wrapped_unlisted(s, n, p + l) &&
		    ((!(lead & 1) && build_line(s, n, p)) || unlisted_alone(s, n, p + l)))
			return 0;
	}
	/* ps's BSD options: ps aux */
	if (!strcmp(word, "ps") && (payload_at(s, n, p + l, " aux") || payload_at(s, n, p + l, " axu")))
		return 80;
	if (strong && p + l + 1 < n && s[p + l] == ' ' && payload_is_alpha((unsigned char)s[p + l + 1]) &&
	    (payload_shellt_listed(word, PAYLOAD_SHELL_UNMISTAKABLE) || (!strcmp(word, "net") && (payload_shell_net_verb(s, n, p + l + 1) || payload_shellc_net_switch(s, n, p + l))) ||
	     (!strcmp(word, "reg") && payload_shellw_reg_verb(s, n, p + l + 1))))
		/* (the tools that take a verb keep it: "| wevtutil cl security") */
		return (!(lead & PAYLOAD_SHELL_LEAD_WIN) && (payload_shellt_listed(word, PAYLOAD_SHELL_BARE) || strstr(word, "user")) &&
			payload_shellc_english_tail(s, n, p, p + l)) ? 55 : 75;
	if (!strcmp(word, "ip") && (lead & 1) && p + l + 1 < n && s[p + l] == ' ' &&
	    payload_shellw_ip_object(s, n, p + l + 1))
		return 75;
	if (!strong && (lead & 1) && !(lead & PAYLOAD_SHELL_LEAD_BTICK) && p + l + 1 < n && s[p + l] == ' ' &&
	    payload_shellw_win_verb(word, l, s, n, p + l + 1))
		return 75;
	if (strong && (shell_arg(s, n, p + l) || url_arg(s, n, p + l) || payload_shellw_later_path_arg(s, n, p + l, 1) ||
		       (payload_shellt_listed(word, PAYLOAD_SHELL_BARE) &&
			tail_ok(s, n, p + l, depth + 1))))
		return 80;
	/* an interpreter opening the value runs whatever
	 * follows it: "| powershell IEX (iwr ...)" */
	if (strong && (lead & 1) && payload_shellt_listed(word, PAYLOAD_SHELL_INTERP) && p + l + 1 < n &&
	    s[p + l] == ' ' && s[p + l + 1] != ' ')
		return (!(lead & PAYLOAD_SHELL_LEAD_WIN) && payload_shellc_english_tail(s, n, p, p + l)) ? 55 : 80;
	/* a quoted argument after a leading separator: ";awk
	 * '{..}' /dev/null", "| ncat \"x\" 1" */
	if (strong && (lead & 1) && !(lead & (PAYLOAD_SHELL_LEAD_TICK | PAYLOAD_SHELL_LEAD_BTICK)) &&
	    p + l + 1 < n && s[p + l] == ' ' && (s[p + l + 1] == '\'' || s[p + l + 1] == '"'))
		return 75;
	/* strong: a word or two may follow; English ones alone */
	if ((lead & 1) && (wc = payload_shell_tool_words_to_end(s, n, p + l)) >= 0 &&
	    (strong || (((wc == 0 && !(lead & PAYLOAD_SHELL_LEAD_BTICK)) || !strcmp(word, "echo")) &&
			(!md_cell(s, n) || payload_shellt_listed(word, PAYLOAD_SHELL_WIN)))))
		return (!(lead & PAYLOAD_SHELL_LEAD_WIN) && payload_shellc_english_tail(s, n, p, p + l)) ? 55 : 75;
	return 0;
}

/* The score the weak listed word at s[p] (l bytes) earns from its arguments (0: none). */
static int weak_args(const char *s, size_t n, size_t p, size_t l, const char *word, int lead)
{
	int sc;

	/* a build's log kept by tee (./gradlew build | tee
	 * build.log), inside the value's own command line */
	if (!(lead & 1) && !strcmp(word, "tee") && tee_log(s, n, p + l))
		return 0;
	if (shell_arg(s, n, p + l) || payload_shellw_later_path_arg(s, n, p + l, 0))
		return 75;
	if ((lead & 1) && !(lead & (PAYLOAD_SHELL_LEAD_TICK | PAYLOAD_SHELL_LEAD_BTICK)) && !md_cell(s, n) &&
	    (sc = reader_arg(word, s, n, p + l, p > 0 && (s[p - 1] == ' ' || s[p - 1] == '\t'))) > 0)
		return sc;
	/* echo x > /tmp/x: output redirected into a file */
	for (size_t r = p + l; r < n && r < p + l + 64 && !strchr(";|&`\n", s[r]); r++)
		if (s[r] == '>') {
			size_t t = r + 1;
			while (t < n && (s[t] == '>' || s[t] == ' '))
				t++;
			if (t < n && (s[t] == '/' || s[t] == '~' || (s[t] == '.' && t + 1 < n && s[t + 1] == '/')))
				return 75;
			/* ... or a file of the directory the server
			 * runs in, after a leading separator: commix's
			 * ";echo TAG>TAG.txt" */
			if ((lead & 1) && !(lead & (PAYLOAD_SHELL_LEAD_TICK | PAYLOAD_SHELL_LEAD_BTICK)) &&
			    !strcmp(word, "echo") && relative_file(s, n, t))
				return 75;
			break;
		}
	/* ; echo 'x' - a quoted argument after a leading separator */
	if ((lead & 1) && p + l + 1 < n && s[p + l] == ' ' &&
	    (s[p + l + 1] == '\'' || s[p + l + 1] == '"'))
		return 70;
	return 0;
}

static int command_at_d(const char *s, size_t n, size_t p, int depth, int lead)
{
	int pathed = 0, brace = 0, sc;

	while (p < n && (s[p] == ' ' || s[p] == '\t'))
		p++;
	if (payload_at(s, n, p, "${IFS}"))
		p += 6;
	if ((sc = shell_forms(s, n, p, depth, lead)) >= 0)
		return sc;
	/* a subshell, cmd's echo-off and blanks, redirections, exec/time/eval/command before
	 * the command */
	if (depth < 2 && p < n && (strchr("(@,=<>0123456789!_", s[p]) || payload_is_alpha((unsigned char)s[p]))) {
		size_t q = payload_shellc_prefix(s, n, p);
		if (q > p && (sc = command_at_d(s, n, q, depth + 1, lead)) > 0)
			return sc;
	}
	if (p < n && s[p] == '$' && shell_self(s, n, p, lead))
		return 80;
	/* brace expansion runs its first word: {cat,/etc/passwd}; a group
	 * "{ id; }" its commands */
	if (p < n && s[p] == '{') {
		brace = 1;
		p++;
		if (p < n && s[p] == ' ') {
			brace = 0;
			while (p < n && s[p] == ' ')
				p++;
		}
	}
	/* /usr/bin/id, C:\Windows\System32\cmd.exe: the path's last name */
	if ((sc = command_path(s, n, &p, &pathed)) > 0)
		return sc;
	/* cmd's START and CALL, a program run from a share */
	if (p + 2 < n && (sc = win_program(s, n, p, lead)) > 0)
		return sc;
	/* a PowerShell cmdlet: Verb-Noun with the approved verbs attackers use */
	if (ps_cmdlet(s, n, p, lead))
		return 80;
	/* a tool's verbs and options (payload_shell_tool.c) */
	/* ... not in a Markdown table's row ("| kubectl get pods | lists
	 * pods |"): a line of documentation */
	if ((sc = payload_shell_tool_at(s, n, p, lead)) > 0 && !md_cell(s, n))
		return sc;
	/* the words of each list that start with s[p], in list order (the
	 * others failed payload_at at their first byte) */
	for (int strong = 1; p < n && strong >= 0; strong--) {
		const struct payload_shellt_ix *ix =
			&payload_shellt_ix[strong ? PAYLOAD_SHELL_STRONG : PAYLOAD_SHELL_WEAK];
		unsigned char f = (unsigned char)s[p];

		for (size_t k = ix->from[f]; k < ix->to[f]; k++) {
			const char *word = ix->word[k];
			size_t l = ix->len[k];

			if (n - p < l || (l > 1 && s[p + 1] != word[1]) || memcmp(s + p, word, l) != 0 ||
			    ((lead & PAYLOAD_SHELL_LEAD_WIN) && !payload_shellt_listed(word, PAYLOAD_SHELL_WIN)))
				continue;
			if (brace && p + l < n && s[p + l] == ',')
				return 85;
			if (payload_at(s, n, p + l, ".exe"))
				l += 4;
			else if (strong)
				l = interp_version(s, n, p, l, word);
			if (p + l < n && !payload_shell_word_end((unsigned char)s[p + l]) && !payload_shell_hash_end(s, n, p + l))
				continue;
			if (pathed)
				return 90;
			if ((sc = word_first(s, n, p, l, word, strong, depth, lead)) > 0)
				return sc;
			if (strong)
				continue;
			if ((sc = weak_args(s, n, p, l, word, lead)) > 0)
				return sc;
		}
	}
	return (lead & 1) && !(lead & (PAYLOAD_SHELL_LEAD_TICK | PAYLOAD_SHELL_LEAD_BTICK)) ? payload_shellc_unlisted(s, n, p) : 0;
}

int payload_shell_command_at(const char *s, size_t n, size_t p, int lead)
{
	return command_at_d(s, n, p, 0, lead);
}
