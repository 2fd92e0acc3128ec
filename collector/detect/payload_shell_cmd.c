/* payload_shell_cmd.c - command injection: is there a command at a
 * position after a separator? The command word (bare, pathed, spelt with
 * a drive, a PowerShell cmdlet, a word of payload_shellt.c's lists) and
 * what must follow it for it to be a command and not English: an argument
 * only a shell takes, the value's end, another separator. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_shell_int.h"

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
	/* a relative path: ./config.php, ../../etc/passwd */
	if (s[p] == '.' && (payload_at(s, n, p + 1, "/") || payload_at(s, n, p + 1, "./")))
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


/* what follows a command at p is a few plain words up to the value's end
 * ("& net user", "; ver"): how many, or -1 */
static int words_to_end(const char *s, size_t n, size_t p)
{
	int words = 0;

	while (p < n) {
		while (p < n && (s[p] == ' ' || s[p] == '\t'))
			p++;
		if (p >= n)
			break;
		/* what closes the payload: "& net user&'", "; ver #" */
		if (strchr(";&|'\"#", s[p])) {
			size_t q = p;
			while (q < n && strchr(";&|'\"# ", s[q]))
				q++;
			/* or cmd's comment: "& net user &rem " */
			if (q >= n || (s[q - 1] != '#' && payload_at(s, n, q, "rem") &&
				       (q + 3 >= n || s[q + 3] == ' ')))
				break;
		}
		if (!payload_is_alnum((unsigned char)s[p]))
			return -1;
		while (p < n && (payload_is_alnum((unsigned char)s[p]) || s[p] == '-' || s[p] == '.'))
			p++;
		if (++words > 2)
			return -1;
	}
	return words;
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

static int command_at_d(const char *s, size_t n, size_t p, int depth, int lead)
{
	int pathed = 0, brace = 0, sc;
	size_t wv = 0;

	while (p < n && (s[p] == ' ' || s[p] == '\t'))
		p++;
	if (payload_at(s, n, p, "${IFS}"))
		p += 6;
	if ((sc = shell_forms(s, n, p, depth, lead)) >= 0)
		return sc;
	/* a subshell, cmd's echo-off and blanks, redirections, exec/time/command before
	 * the command */
	if (depth < 2 && p < n && strchr("(@,=<>0123456789ect", s[p])) {
		size_t q = payload_shellc_prefix(s, n, p);
		if (q > p && (sc = command_at_d(s, n, q, depth + 1, lead)) > 0)
			return sc;
	}
	/* $0 is the shell itself: "$0 -c id", ";$0"; so are $SHELL, $BASH */
	if (payload_at(s, n, p, "$0") &&
	    ((lead & 1 && (p + 2 >= n || strchr(";|&#", s[p + 2]))) || payload_at(s, n, p + 2, " -")))
		return 80;
	if ((payload_at(s, n, p, "$SHELL -c") || payload_at(s, n, p, "${SHELL} -c") || payload_at(s, n, p, "$BASH -c")))
		return 80;
	/* brace expansion runs its first word: {cat,/etc/passwd} */
	if (p < n && s[p] == '{') {
		brace = 1;
		p++;
	}
	/* /usr/bin/id, /bin/ls: take the last path component */
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
			pathed = 1;
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
		pathed = 1;
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
		pathed = 1;
		p = last + 1;
	}
	/* a PowerShell cmdlet: Verb-Noun with the approved verbs attackers use */
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
			    (shell_arg(s, n, e) || ((lead & 1) && words_to_end(s, n, e) == 0)) &&
			    !(k >= 10 && ps_pipeline(s, n, p)))
				return 80;
		}
	}
	/* the words of each list that start with s[p], in list order (the
	 * others failed payload_at at their first byte) */
	for (int strong = 1; p < n && strong >= 0; strong--) {
		const struct payload_shellt_ix *ix =
			&payload_shellt_ix[strong ? PAYLOAD_SHELL_STRONG : PAYLOAD_SHELL_WEAK];
		unsigned char f = (unsigned char)s[p];

		for (size_t k = ix->from[f]; k < ix->to[f]; k++) {
			const char *word = ix->word[k];
			size_t l = ix->len[k];
			int wc;

			if (n - p < l || (l > 1 && s[p + 1] != word[1]) || memcmp(s + p, word, l) != 0 ||
			    ((lead & PAYLOAD_SHELL_LEAD_WIN) && !payload_shellt_listed(word, PAYLOAD_SHELL_WIN)))
				continue;
			if (brace && p + l < n && s[p + l] == ',')
				return 85;
			if (payload_at(s, n, p + l, ".exe"))
				l += 4;
			if (p + l < n && !payload_shell_word_end((unsigned char)s[p + l]) && !payload_shell_hash_end(s, n, p + l))
				continue;
			if (pathed)
				return 90;
			if (strong && depth < 2 && payload_shellt_listed(word, PAYLOAD_SHELL_WRAPPER) && p + l < n &&
			    (s[p + l] == ' ' || s[p + l] == '\t')) {
				int w = command_at_d(s, n, p + l, depth + 1, lead & (1 | PAYLOAD_SHELL_LEAD_TICK | PAYLOAD_SHELL_LEAD_BTICK));
				if (w)
					return w;
			}
			/* ps's BSD options: ps aux */
			if (!strcmp(word, "ps") && (payload_at(s, n, p + l, " aux") || payload_at(s, n, p + l, " axu")))
				return 80;
			if (strong && p + l + 1 < n && s[p + l] == ' ' && payload_is_alpha((unsigned char)s[p + l + 1]) &&
			    (payload_shellt_listed(word, PAYLOAD_SHELL_UNMISTAKABLE) || (!strcmp(word, "net") && (payload_shell_net_verb(s, n, p + l + 1) || payload_shellc_net_switch(s, n, p + l))) ||
			     (!strcmp(word, "reg") && payload_shellw_reg_verb(s, n, p + l + 1))))
				return 75;
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
				return 80;
			/* strong: a word or two may follow; English ones alone */
			if ((lead & 1) && (wc = words_to_end(s, n, p + l)) >= 0 &&
			    (strong || (((wc == 0 && !(lead & PAYLOAD_SHELL_LEAD_BTICK)) || !strcmp(word, "echo")) &&
					(!md_cell(s, n) || payload_shellt_listed(word, PAYLOAD_SHELL_WIN)))))
				return 75;
			if (strong)
				continue;
			if (shell_arg(s, n, p + l) || payload_shellw_later_path_arg(s, n, p + l, 0))
				return 75;
			/* echo x > /tmp/x: output redirected into a file */
			for (size_t r = p + l; r < n && r < p + l + 64 && !strchr(";|&`\n", s[r]); r++)
				if (s[r] == '>') {
					size_t t = r + 1;
					while (t < n && (s[t] == '>' || s[t] == ' '))
						t++;
					if (t < n && (s[t] == '/' || s[t] == '~' || (s[t] == '.' && t + 1 < n && s[t + 1] == '/')))
						return 75;
					break;
				}
			/* ; echo 'x' - a quoted argument after a leading separator */
			if ((lead & 1) && p + l + 1 < n && s[p + l] == ' ' &&
			    (s[p + l + 1] == '\'' || s[p + l + 1] == '"'))
				return 70;
		}
	}
	return (lead & 1) && !(lead & (PAYLOAD_SHELL_LEAD_TICK | PAYLOAD_SHELL_LEAD_BTICK)) ? payload_shellc_unlisted(s, n, p) : 0;
}

int payload_shell_command_at(const char *s, size_t n, size_t p, int lead)
{
	return command_at_d(s, n, p, 0, lead);
}
