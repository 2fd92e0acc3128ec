/* payload_shellw_win.c - cmd.exe's and the interpreters' grammar, moved
 * out of payload_shellw.c unchanged: FOR /F loops, CALL of a variable,
 * cmd,/c, cmd's substring expansion as a command word, an interpreter given the switch that runs its next words (cmd /c,
 * powershell -enc, bash -c) and the verbs that make Windows words commands
 * (reg query, route print, sc query). */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_shell_int.h"

#include <string.h>

static int sep_byte(int c)
{
	return c == ';' || c == '|' || c == '&' || c == '\n' || c == '\r' || c == '`';
}

/* the word at p starts a command line: the value's start or a separator
 * before it, blanks aside */
static int line_start(const char *lo, size_t p)
{
	while (p > 0 && (lo[p - 1] == ' ' || lo[p - 1] == '\t'))
		p--;
	return p == 0 || sep_byte((unsigned char)lo[p - 1]) || lo[p - 1] == '(' || lo[p - 1] == '\'' ||
	       lo[p - 1] == '"';
}

/* At i, the ":~" of cmd's substring expansion %NAME:~a[,b]% (a and b
 * numbers, either negative): the index after its closing '%', or 0 */
static size_t slice_end(const char *lo, size_t n, size_t i)
{
	size_t e = i + 2;

	for (int part = 0; part < 2; part++) {
		size_t d;
		if (e < n && lo[e] == '-')
			e++;
		for (d = e; e < n && e < d + 4 && lo[e] >= '0' && lo[e] <= '9'; e++)
			;
		if (e == d)
			return 0;
		if (part == 0 && e < n && lo[e] == ',')
			e++;
		else
			break;
	}
	if (e < n && lo[e] == '%')
		return e + 1;
	/* the closing '%' read as an escape with the two digits after it
	 * by a decoding layer ("%127.0.0.1" after ":~10,-5"): a control byte */
	return e < n && (unsigned char)lo[e] >= 1 && (unsigned char)lo[e] < 0x20 && lo[e] != '\t' && lo[e] != '\n' ? e + 1 : 0;
}

/* The substring expansion lo[b..e) is (a piece of) a command word: glued
 * to a command word opening a line, as the blank it cuts out
 * (ping%PROGRAMFILES:~10,-5%127.0.0.1); or opening a line itself, after a
 * separator, or at the value's start glued to more of the word
 * (%COMSPEC:~-7,1%%COMSPEC:~-5,1%hoami). A batch file's "set
 * d=%date:~-4,4%" or "echo %DATE:~10,4%" has it as an argument. */
static int slice_word(const char *lo, size_t n, size_t b, size_t e)
{
	size_t w = b;

	while (w > 0 && b - w < 16 && payload_is_alpha((unsigned char)lo[w - 1]))
		w--;
	if (w < b)
		return (w == 0 || !payload_is_alnum((unsigned char)lo[w - 1])) && line_start(lo, w) &&
		       (payload_shellt_listed_n(lo + w, b - w, PAYLOAD_SHELL_WIN) ||
			payload_shellt_listed_n(lo + w, b - w, PAYLOAD_SHELL_STRONG) ||
			payload_shellt_listed_n(lo + w, b - w, PAYLOAD_SHELL_WEAK));
	if (!line_start(lo, b))
		return 0;
	for (w = b; w > 0 && (lo[w - 1] == ' ' || lo[w - 1] == '\t'); w--)
		;
	return (w > 0 && sep_byte((unsigned char)lo[w - 1])) || (e < n && (payload_is_alpha((unsigned char)lo[e]) || lo[e] == '%'));
}

int payload_shellw_win_grammar(const char *lo, size_t n, int pct, int slash, const char **why)
{
	/* a FOR loop's variable and CALL's are %...% */
	for (size_t i = pct ? payload_find(lo, n, 0, "for") : n; i < n; i = payload_find(lo, n, i + 3, "for")) {
		size_t p = i + 3, e;

		if (!line_start(lo, i) || p + 3 >= n || lo[p] != ' ')
			continue;
		while (p < n && lo[p] == ' ')
			p++;
		if (p + 2 < n && lo[p] == '/' && strchr("flrd", lo[p + 1]) && lo[p + 2] == ' ')
			p += 3;
		while (p < n && lo[p] == ' ')
			p++;
		/* the options string: for /f "tokens=*" %i */
		if (p < n && lo[p] == '"') {
			e = p + 1;
			while (e < n && e < p + 64 && lo[e] != '"')
				e++;
			if (e >= n || lo[e] != '"')
				continue;
			for (p = e + 1; p < n && lo[p] == ' '; p++)
				;
		}
		/* the loop variable: %i, %%i */
		if (p + 1 >= n || lo[p] != '%')
			continue;
		p += 1 + (lo[p + 1] == '%');
		if (p >= n || !payload_is_alpha((unsigned char)lo[p]) ||
		    (p + 1 < n && lo[p + 1] != ' '))
			continue;
		e = payload_find(lo, n < p + 200 ? n : p + 200, p, " in (");
		if (e < n && e < p + 200) {
			size_t d = payload_find(lo, n < e + 200 ? n : e + 200, e, ") do ");
			size_t m = e + 5;

			if (d >= n || d >= e + 200)
				continue;
			while (m < d && lo[m] == ' ')
				m++;
			/* the set a command in quotes ('whoami', usebackq's
			 * `whoami`), whose output the loop reads, or a
			 * command in the body: a loop over a file's lines or
			 * a list ("in (data.csv) do echo %b") runs nothing */
			if ((m < d && (lo[m] == '\'' || lo[m] == '`')) || payload_shell_command_at(lo, n, d + 5, 0)) {
				*why = "cmd for-loop running a command";
				return 85;
			}
		}
	}
	for (size_t i = pct ? payload_find(lo, n, 0, "call %") : n; i < n; i = payload_find(lo, n, i + 6, "call %")) {
		size_t e = i + 6;
		while (e < n && e < i + 40 && (payload_is_alnum((unsigned char)lo[e]) || lo[e] == '_'))
			e++;
		size_t b = i;
		while (b > 0 && lo[b - 1] == ' ')
			b--;
		/* after a separator: "Call %PHONE% today" is a template */
		if (b > 0 && sep_byte((unsigned char)lo[b - 1]) && e > i + 6 && e < n && (lo[e] == '%' || lo[e] == ':')) {
			*why = "cmd call of a variable";
			return 80;
		}
	}
	/* %NAME:~a,b% cuts letters out of a variable */
	for (size_t i = pct ? payload_find(lo, n, 0, ":~") : n; i < n; i = payload_find(lo, n, i + 2, ":~")) {
		size_t e, b;
		if ((e = slice_end(lo, n, i)) == 0)
			continue;
		for (b = i; b > 0 && i - b < 33 && (payload_is_alnum((unsigned char)lo[b - 1]) || lo[b - 1] == '_'); b--)
			;
		if (b == i || b == 0 || lo[b - 1] != '%')
			continue;
		b--;
		if (slice_word(lo, n, b, e)) {
			*why = "cmd substring expansion spelling a command";
			return 80;
		}
	}
	/* cmd,/c cmd;/c cmd=/c */
	for (size_t i = slash ? payload_find(lo, n, 0, "cmd") : n; i < n; i = payload_find(lo, n, i + 3, "cmd")) {
		size_t p = i + 3;
		if (!line_start(lo, i))
			continue;
		if (payload_at(lo, n, p, ".exe"))
			p += 4;
		if (p + 2 < n && (lo[p] == ',' || lo[p] == ';' || lo[p] == '=') && lo[p + 1] == '/' &&
		    strchr("ckr", lo[p + 2]) && (p + 3 == n || !payload_is_alnum((unsigned char)lo[p + 3]))) {
			*why = "cmd told to run a command";
			return 85;
		}
	}
	return 0;
}

static size_t skip_sp(const char *lo, size_t n, size_t p)
{
	while (p < n && (lo[p] == ' ' || lo[p] == '\t'))
		p++;
	return p;
}

/* PowerShell's switch that runs what follows, by any prefix it accepts
 * (-c, -com, -command, -e, -enc, -encodedcommand) or the alias -ec */
static int ps_run_switch(const char *o, size_t l)
{
	return (l >= 1 && l <= 7 && !memcmp(o, "command", l)) ||
	       (l >= 1 && l <= 14 && !memcmp(o, "encodedcommand", l)) || (l == 2 && !memcmp(o, "ec", 2));
}

/* At q, what cmd /c runs is a quoted build step: a program no list holds
 * given plain words ("npm run build", "yarn install --frozen-lockfile"
 * is not: an option), the quote closing it. A package.json
 * script's or a CI step's line; cmd's own start and call run the next
 * word, and a listed word ("net user") is a command. */
static int build_step(const char *lo, size_t n, size_t q)
{
	size_t p = q + 1, e, words = 0;

	if (q >= n || lo[q] != '"')
		return 0;
	for (;;) {
		while (p < n && lo[p] == ' ')
			p++;
		if (p >= n)
			return 0;
		if (lo[p] == '"')
			break;
		for (e = p; e < n && e < p + 32 && ((lo[e] >= 'a' && lo[e] <= 'z') || (lo[e] >= '0' && lo[e] <= '9') ||
						  (e > p && strchr("-_.:", lo[e]))); e++)
			;
		if (e == p || e >= n || (lo[e] != ' ' && lo[e] != '"') || !payload_is_alpha((unsigned char)lo[p]))
			return 0;
		if (!words && (payload_at(lo, n, p, "start ") || payload_at(lo, n, p, "call ") ||
			       payload_shellt_listed_n(lo + p, e - p, PAYLOAD_SHELL_STRONG) ||
			       payload_shellt_listed_n(lo + p, e - p, PAYLOAD_SHELL_WEAK) ||
			       payload_shellt_listed_n(lo + p, e - p, PAYLOAD_SHELL_WIN)))
			return 0;
		words++;
		p = e;
	}
	return words >= 2;
}

/* An interpreter named first, given the switch that makes it run the
 * next words as a command: cmd /c, cmd.exe /k, powershell [-nop -w hidden]
 * -c or -enc, pwsh -command, bash -c, /bin/sh -c; something must follow */
/* the word at q is a sentence's verb or a noun for the switch: "sh -c
 * is used to run a string", "cmd /c means close", "-c option" */
int payload_shellw_run_prose(const char *lo, size_t n, size_t q)
{
	static const char *const w[] = {"is ", "are ", "was ", "means ", "runs ", "tells ", "will ", "does ",
					"can ", "option", "flag", "switch", "and ", "or ", "not "};
	for (size_t k = 0; k < sizeof(w) / sizeof(w[0]); k++)
		if (payload_at(lo, n, q, w[k]))
			return 1;
	return 0;
}

int payload_shellw_interpreter_run(const char *lo, size_t n, size_t p)
{
	static const char *const sh[] = {"/bin/bash ", "/bin/sh ", "bash ", "sh ", "zsh ", "dash ", "ksh "};
	static const char *const ps[] = {"powershell.exe ", "powershell ", "pwsh.exe ", "pwsh "};
	size_t q;

	/* the first bytes of the names below: most words stop here */
	if (p >= n || !(lo[p] == 'c' || lo[p] == 'p' || lo[p] == '/' || lo[p] == 'b' || lo[p] == 's' ||
			lo[p] == 'z' || lo[p] == 'd' || lo[p] == 'k' || lo[p] == '%'))
		return 0;
	/* %COMSPEC% is cmd.exe's path */
	if (payload_at(lo, n, p, "cmd ") || payload_at(lo, n, p, "cmd.exe ") || payload_at(lo, n, p, "%comspec% ")) {
		q = skip_sp(lo, n, p + (lo[p] == '%' ? 10 : lo[p + 3] == '.' ? 8 : 4));
		/* %comspec% /k is Visual Studio's developer prompt (its
		 * shortcut's and Windows Terminal profile's target): /c only */
		return q + 2 < n && lo[q] == '/' &&
		       (lo[q + 1] == 'c' || (lo[p] != '%' && (lo[q + 1] == 'k' || lo[q + 1] == 'r'))) &&
		       lo[q + 2] == ' ' && skip_sp(lo, n, q + 3) < n && !build_step(lo, n, skip_sp(lo, n, q + 3)) &&
		       !payload_shellw_run_prose(lo, n, skip_sp(lo, n, q + 3));
	}
	for (size_t k = 0; k < sizeof(ps) / sizeof(ps[0]); k++) {
		if (!payload_at(lo, n, p, ps[k]))
			continue;
		q = p + strlen(ps[k]);
		/* other options first, some with a value: -nop -w hidden */
		for (int opt = 0; opt < 8; opt++) {
			size_t e;

			q = skip_sp(lo, n, q);
			if (q >= n)
				return 0;
			for (e = q + (lo[q] == '-'); e < n && lo[e] != ' ' && lo[e] != '\t'; e++)
				;
			if (lo[q] == '-' && e < n && ps_run_switch(lo + q + 1, e - q - 1))
				return skip_sp(lo, n, e) < n && !payload_shellw_run_prose(lo, n, skip_sp(lo, n, e));
			q = e;
		}
		return 0;
	}
	for (size_t k = 0; k < sizeof(sh) / sizeof(sh[0]); k++) {
		if (!payload_at(lo, n, p, sh[k]))
			continue;
		q = skip_sp(lo, n, p + strlen(sh[k]));
		return payload_at(lo, n, q, "-c ") && skip_sp(lo, n, q + 3) < n && !payload_shellw_run_prose(lo, n, skip_sp(lo, n, q + 3));
	}
	return 0;
}

/* reg's verbs, which read or change the Windows registry: reg query */
int payload_shellw_reg_verb(const char *s, size_t n, size_t p)
{
	static const char *const v[] = {"query", "add", "delete", "save", "export"};
	for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
		if (payload_at(s, n, p, v[k]) && p + strlen(v[k]) + 1 < n && s[p + strlen(v[k])] == ' ')
			return 1;
	return 0;
}

/* The verb that makes an English-looking Windows command word a command
 * (route print, sc query, query user), the verb ending the value or its
 * word: 1 when the word w[0..l) at the command position is given one */
int payload_shellw_win_verb(const char *w, size_t l, const char *s, size_t n, size_t p)
{
	static const struct {
		const char *cmd, *verbs[6];
	} t[] = {
		{"route", {"print", "add", "delete", "change", "-n", NULL}},
		{"sc", {"query", "qc", "queryex", "create", "config", "stop"}},
		{"query", {"user", "session", "process", "termserver", NULL, NULL}},
	};
	for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		if (strlen(t[k].cmd) != l || memcmp(t[k].cmd, w, l))
			continue;
		for (size_t v = 0; v < 6 && t[k].verbs[v]; v++) {
			size_t e = p + strlen(t[k].verbs[v]);
			if (payload_at(s, n, p, t[k].verbs[v]) &&
			    (e >= n || payload_shell_word_end((unsigned char)s[e]) || payload_shell_hash_end(s, n, e)))
				return 1;
		}
	}
	return 0;
}
