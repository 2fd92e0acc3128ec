/* payload_shell.c - OS command injection: a shell separator or substitution
 * (; | || & && newline ` $( ) followed by a command word. Shell commands are
 * case-sensitive, so the match is on the decoded, not lower-cased, value:
 * "Name|ID" is a table header, "x|id" is a command. Words that are also
 * English (cat, echo, ping, sleep) need shell-looking arguments. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_shell_int.h"
#include "collector/detect/payload_b64.h"

#include <string.h>

int payload_shell_word_end(int c)
{
	return c == '\0' || payload_is_space(c) || strchr(";|&`)<>$'\"\\(", c) != NULL;
}

/* '#' glued to the end of a word and ending the value or followed by a
 * blank or a quote: payload lists end a command so ("|id#", ";sleep 5#"),
 * for the application's rest of the line to be a comment */
int payload_shell_hash_end(const char *s, size_t n, size_t p)
{
	return p < n && s[p] == '#' && (p + 1 >= n || strchr(" \t'\"\r\n", s[p + 1]));
}

/* net's subcommands that are no English after "net": net localgroup */
int payload_shell_net_verb(const char *s, size_t n, size_t p)
{
	static const char *const v[] = {"localgroup", "share", "session", "accounts", "config", "view"};
	for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++)
		if (payload_at(s, n, p, v[k]) && (p + strlen(v[k]) >= n || payload_shell_word_end((unsigned char)s[p + strlen(v[k])])))
			return 1;
	return 0;
}

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

static int command_at(const char *s, size_t n, size_t p, int lead);
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
	while (p < n && strchr(";|&\n`) '\"\\#", s[p])) {
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

/* lead: bit 0, the separator opened the value (";id", "| dir"), as a
 * payload written to follow whatever the application puts before it does;
 * bit 1 (LEAD_WIN), only Windows' command words count (win_cmd); bit 2
 * (LEAD_TICK), the value is what a pair of backticks holds, where
 * Markdown writes a command it names ("similar to `man -S`."): a word no
 * list holds does not count there (payload_shellc_unlisted) */
#define LEAD_WIN 2
#define LEAD_TICK 4
/* bit 3 (LEAD_BTICK): the separator is a backtick: no English command
 * word alone, no Windows word with its verb */
#define LEAD_BTICK 8
static int command_at(const char *s, size_t n, size_t p, int lead)
{
	return command_at_d(s, n, p, 0, lead);
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

/* A command word at p (after a separator). Returns a score, 0 if none. */
static int command_at_d(const char *s, size_t n, size_t p, int depth, int lead)
{
	int pathed = 0, brace = 0, sc;

	while (p < n && (s[p] == ' ' || s[p] == '\t'))
		p++;
	if (payload_at(s, n, p, "${IFS}"))
		p += 6;
	if ((sc = shell_forms(s, n, p, depth, lead)) >= 0)
		return sc;
	/* a subshell, redirections, exec/time/command before the command */
	if (depth < 2 && p < n && strchr("(<>0123456789ect", s[p])) {
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
	} else if (p + 3 < n && payload_is_alpha((unsigned char)s[p]) && s[p + 1] == ':' &&
		   (s[p + 2] == '\\' || s[p + 2] == '/')) {
		/* C:\Windows\System32\cmd.exe: a drive path's last name */
		size_t e = p + 2, last = p + 2;
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
						    "Remove-", "Add-", "Out-", "Import-", "Stop-"};
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
			    (shell_arg(s, n, e) || ((lead & 1) && words_to_end(s, n, e) == 0)))
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
			    ((lead & LEAD_WIN) && !payload_shellt_listed(word, PAYLOAD_SHELL_WIN)))
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
				int w = command_at_d(s, n, p + l, depth + 1, lead & (1 | LEAD_TICK | LEAD_BTICK));
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
			if (!strong && (lead & 1) && !(lead & LEAD_BTICK) && p + l + 1 < n && s[p + l] == ' ' &&
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
			    (strong || (((wc == 0 && !(lead & LEAD_BTICK)) || !strcmp(word, "echo")) &&
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
	return (lead & 1) && !(lead & (LEAD_TICK | LEAD_BTICK)) ? payload_shellc_unlisted(s, n, p) : 0;
}

/* At p (a command position): a word made of $NAME / ${NAME} expansions of
 * variables the value assigns itself, and letters (X=id;$X,
 * a=who;b=ami;$a$b, P=/bin/sh;$P -c id). The word is expanded as the
 * shell would and judged as a command with what follows it. */
static int var_command(const char *s, size_t n, size_t p)
{
	char buf[320];
	size_t w = 0, q, vars = 0;

	while (p < n && s[p] == ' ')
		p++;
	q = p;
	while (q < n && w < 200 && !strchr(" ;|&\n'\"`", s[q])) {
		size_t b, e, vo, vl = 0;

		if (s[q] != '$') {
			if (!payload_is_alnum((unsigned char)s[q]) && s[q] != '/' && s[q] != '.')
				return 0;
			buf[w++] = s[q++];
			continue;
		}
		b = q + 1 + (q + 1 < n && s[q + 1] == '{');
		for (e = b; e < n && e < b + 32 && (payload_is_alnum((unsigned char)s[e]) || s[e] == '_'); e++)
			;
		if (e == b || (s[b] >= '0' && s[b] <= '9') || !(vo = payload_shell_var_value(s, p, s + b, e - b, &vl)) ||
		    vl > 64 || w + vl > 200)
			return 0;
		memcpy(buf + w, s + vo, vl);
		w += vl;
		vars++;
		q = e + (s[b - 1] == '{' && e < n && s[e] == '}');
	}
	if (!vars)
		return 0;
	for (; q < n && w < sizeof(buf) - 1 && q < p + 96; q++)
		buf[w++] = s[q];
	return command_at(buf, w, 0, 1);
}

/* the bytes scan_seps acts at: separators, '`', '$', '<' '>' (before
 * '(', or "<<<"), '\\' (before 'n') */
static const unsigned char seps_act[256] = {
	['`'] = 1, [';'] = 1, ['|'] = 1, ['&'] = 1, ['\n'] = 1, ['\r'] = 1,
	['$'] = 1, ['<'] = 1, ['>'] = 1, ['\\'] = 1,
};

/* Separators and substitutions in s, each followed by a command word. */
static void scan_seps(const char *s, size_t n, int win, struct payload_acc *a, const char *why)
{
	size_t first = 0;
	int dollar = memchr(s, '$', n) != NULL;

	while (first < n && (s[first] == ' ' || s[first] == '\t' || s[first] == '\'' ||
			     s[first] == '"'))
		first++;
	/* a payload written to follow an address the application expects
	 * ("127.0.0.1; id", "localhost|ps aux", "a_b@example.com; df -h")
	 * leads as much as a bare one */
	{
		size_t e = first;
		int hostish = 0;
		while (e < n && (payload_is_alnum((unsigned char)s[e]) || s[e] == '.' || s[e] == '-' ||
				 s[e] == ':' || s[e] == '@' || s[e] == '_')) {
			hostish |= s[e] == '.' || (s[e] >= '0' && s[e] <= '9');
			e++;
		}
		hostish |= e - first == 9 && !memcmp(s + first, "localhost", 9);
		/* a word that closes the quote it was placed in (x'|net user)
		 * leaves the rest of the value to the shell as well */
		hostish |= e > first && e < n && (s[e] == '\'' || s[e] == '"');
		if (hostish && e < n) {
			while (e < n && (s[e] == ' ' || s[e] == '\'' || s[e] == '"'))
				e++;
			if (e < n && strchr(";|&\n\r", s[e]))
				first = e;
		}
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		size_t p = i + 1;
		int sc = 0, lead;

		/* every branch below starts at one of these bytes; the
		 * others (most of a value) leave no trace */
		if (!seps_act[(unsigned char)c])
			continue;
		lead = (i == first) | win;
		/* a backtick opening the value is Markdown's inline code as
		 * often as a substitution: an English word alone there names
		 * a thing ("`date`", "`users`" in API docs; LEAD_BTICK) */
		if (c == '`')
			lead |= LEAD_BTICK;

		/* markdown's code fence: ```lang */
		if (c == '`' && i + 2 < n && s[i + 1] == '`' && s[i + 2] == '`') {
			while (i + 1 < n && s[i + 1] == '`')
				i++;
			continue;
		}
		if (c == '`' && payload_shellw_md_code(s, n, i)) {
			while (++i < n && s[i] != '`')
				;
			continue;
		}
		if (c == ';' || c == '|' || c == '&' || c == '\n' || c == '\r' || c == '`') {
			size_t q;
			/* a run of separators ("\r\n", "\n\n", "& |") leads as
			 * its first does */
			if (i == first && p < n && strchr(";|&\n\r ", s[p]))
				first = p;
			while (p < n && (s[p] == '|' || s[p] == '&'))
				p++;
			/* "; 'id'", ";\"id\"" and "&& \"net\" user" are still
			 * commands */
			for (q = p; q < n && s[q] == ' '; q++)
				;
			/* ... after blanks only a quoted word: '; "ls t/" now
			 * gives' quotes a whole command line in prose */
			if (q < n && (s[q] == '\'' || s[q] == '"')) {
				size_t e = q + 1;
				while (e < n && e < q + 32 && payload_is_alnum((unsigned char)s[e]))
					e++;
				if (q == p) {
					p = q + 1;
				} else if (e < n && s[e] == s[q] && e > q + 1) {
					/* "net" user: the word without its quotes */
					char t[256];
					size_t tl = e - q - 1, rest = n - e - 1 < sizeof(t) - tl ? n - e - 1 : sizeof(t) - tl;
					memcpy(t, s + q + 1, tl);
					memcpy(t + tl, s + e + 1, rest);
					sc = command_at(t, tl + rest, 0, lead);
				}
			}
			if (!sc)
				sc = command_at(s, n, p, lead);
			if (sc && c == '|' && p == i + 1 && payload_shellw_pipe_filter(s, n, p))
				sc = 0;
			if (!sc && c != '`' && payload_shellw_interp_code(s, n, p))
				sc = 85;
			if (sc && c == '`')
				sc += 5; /* substitution */
			/* `cmd` opening a value or after ( = . $ or a quote
			 * (print(`id`), x=`id`): its content is a command line
			 * of its own; a `word` in prose is markdown */
			if (!sc && c == '`') {
				size_t j = i + 1;
				while (j < n && j < i + 128 && s[j] != '`')
					j++;
				/* ... and closes where code goes on: print(`id`); */
				int glued = i == 0 || strchr("(=.$'\"", s[i - 1]) || payload_is_alnum((unsigned char)s[i - 1]) ||
					    (j + 1 < n && (s[j + 1] == '.' || payload_is_alnum((unsigned char)s[j + 1])));
				if (glued && j < n && s[j] == '`' && j > i + 1 && (j + 1 >= n || strchr(");'\"|&}.#", s[j + 1]) ||
								    payload_is_alnum((unsigned char)s[j + 1])) &&
				    command_at(s + i + 1, j - i - 1, 0,
					       1 | LEAD_TICK | (i == 0 || s[i - 1] == ' ' ? LEAD_BTICK : 0)))
					sc = 80;
			}
		} else if (c == '$' && payload_at(s, n, i, "${IFS}")) {
			/* $IFS is the field separator: only a shell reads it so */
			sc = command_at(s, n, i + 6, lead);
		} else if ((c == '$' || c == '<' || c == '>') && i + 1 < n && s[i + 1] == '(') {
			/* $(cmd), and process substitution <(cmd) >(cmd) */
			sc = command_at(s, n, i + 2, lead);
			if (sc)
				sc += 5;
			else if (c == '$' && payload_shellw_subst_word(s, n, i, i == first || (i > 0 && strchr(";|&\n'\"", s[i - 1]))))
				sc = 80;
		} else if (c == '<' && payload_at(s, n, i, "<<<") && payload_shellw_herestring(s, n, i)) {
			payload_acc_hit(a, PAYLOAD_CMDI, 80, "here-string fed to a command");
		} else if (c == '\\' && i + 1 < n && s[i + 1] == 'n') {
			/* an escaped newline a later layer turns into a real one */
			sc = command_at(s, n, i + 2, 0);
			if (sc)
				sc -= 5;
		}
		if (sc)
			payload_acc_hit(a, PAYLOAD_CMDI, sc, why);
		if (c == '|' && (i + 1 >= n || s[i + 1] != '|') && payload_shellw_piped_interp(s, n, i, win & LEAD_WIN))
			payload_acc_hit(a, PAYLOAD_CMDI, 80, "output piped into a shell");
		/* a variable's expansion needs a '$' after the separator */
		if (dollar &&
		    (c == ';' || c == '|' || c == '&' || c == '\n' || c == '`' || (c == '$' && i + 1 < n && s[i + 1] == '(')) &&
		    var_command(s, n, i + 1 + (c == '$')))
			payload_acc_hit(a, PAYLOAD_CMDI, 75, "command named by variables the value assigns");
	}
}

/* A value whose first word carries cmd's escape between letters
 * (n^e^t user): only cmd reads ^ inside a word, so the word leads a
 * command line as a separator would. d has room for n bytes. */
static void caret_lead(const char *s, size_t n, char *d, struct payload_acc *a)
{
	size_t p = 0, e, dn;
	int caret = 0;

	while (p < n && (s[p] == ' ' || s[p] == '\t'))
		p++;
	for (e = p; e < n && !payload_is_space((unsigned char)s[e]); e++)
		caret |= s[e] == '^' && e > p && payload_is_alpha((unsigned char)s[e - 1]) &&
			 e + 1 < n && payload_is_alpha((unsigned char)s[e + 1]);
	if (!caret || (dn = payload_shellw_unobfuscate(s + p, n - p, d)) == 0)
		return;
	for (size_t i = 0; i < dn; i++)
		d[i] = (char)(d[i] >= 'A' && d[i] <= 'Z' ? d[i] + 32 : d[i]);
	if (command_at(d, dn, 0, 1 | LEAD_WIN))
		payload_acc_hit(a, PAYLOAD_CMDI, 75, "caret-escaped windows command word");
}

/* A value whose first word is spelt the way only a shell reads it:
 * quotes inside it (c'a't, wh""oami, w'h'o'am'i), a glued substitution
 * (w`true`hoami), a backslash between letters (c\at) or $@ (w$@hoami).
 * One quote is an apostrophe (I'd, don't): it takes two marks, or one
 * of the others. The word, read as the shell reads it, leads a command
 * line as a separator would. d has room for n bytes. */
static void spelt_lead(const char *s, size_t n, char *d, struct payload_acc *a)
{
	size_t p = 0, e, dn;
	int quotes = 0, other = 0;

	while (p < n && (s[p] == ' ' || s[p] == '\t'))
		p++;
	/* the word is the command's name: letters and the marks alone */
	if (p >= n || !payload_is_alpha((unsigned char)s[p]))
		return;
	for (e = p; e < n && !payload_is_space((unsigned char)s[e]) && !strchr(";|&<>", s[e]); e++) {
		int pa = e > p && payload_is_alpha((unsigned char)s[e - 1]);
		if (s[e] == '\'' || s[e] == '"')
			quotes += e > p;
		else if (pa && e + 1 < n && ((s[e] == '\\' && payload_is_alpha((unsigned char)s[e + 1])) ||
					     (s[e] == '$' && (s[e + 1] == '@' || s[e + 1] == '*')) || s[e] == '`'))
			other = 1;
		else if (!payload_is_alnum((unsigned char)s[e]) && !strchr("'\"`\\$@*", s[e]))
			return;
		if (e > p + 40)
			return;
	}
	if ((quotes < 2 && !other) || (dn = payload_shellw_unobfuscate(s + p, n - p, d)) == 0)
		return;
	if (command_at(d, dn, 0, 1))
		payload_acc_hit(a, PAYLOAD_CMDI, 75, "command word spelt with shell quoting");
}

/* A value that is a path whose directories are all wildcards: the shell
 * finds the binary by pattern (/???/??t /???/p??s??, /???/i?); three '?'
 * at least, one directory that is nothing but '?', a '?' in the name */
static int glob_path_lead(const char *s, size_t n)
{
	size_t q = 0, e;

	if (n < 4 || s[0] != '/')
		return 0;
	for (e = 0; e < n && !payload_is_space((unsigned char)s[e]); e++) {
		unsigned char c = (unsigned char)s[e];
		if (!payload_is_alnum(c) && !strchr("/?*._-", c))
			return 0;
		q += c == '?';
	}
	if (q < 3)
		return 0;
	/* ... and the binary's own name is a pattern too (/???/??t, not
	 * /api/???/items) */
	{
		size_t l = e;
		while (l > 0 && s[l - 1] != '/')
			l--;
		if (!memchr(s + l, '?', e - l))
			return 0;
	}
	/* a directory of '?' only: between two slashes */
	for (size_t i = 1; i < e; i++)
		if (s[i - 1] == '/' && s[i] == '?') {
			size_t j = i;
			while (j < e && s[j] == '?')
				j++;
			if (j < e && s[j] == '/')
				return 1;
		}
	return 0;
}

/* Command lines with no separator before them, in syntax only a shell or
 * an interpreter reads: words joined by an IFS reference
 * (cat$IFS/etc/passwd), a leading brace expansion ({cat,/etc/passwd}),
 * an interpreter told to run a command (cmd /c whoami). d has room for n
 * bytes. */
static void sepless(const char *s, const char *lo, size_t n, char *d, int expand, struct payload_acc *a)
{
	size_t p = 0, w = 0, l;
	int ifs = 0, brace = 0;

	while (p < n && (s[p] == ' ' || s[p] == '\'' || s[p] == '"'))
		p++;
	if (p < n && payload_shellw_interpreter_run(lo, n, p)) {
		payload_acc_hit(a, PAYLOAD_CMDI, 85, "interpreter told to run a command");
		return;
	}
	/* an IFS reference starts at a '$', a brace expansion at the first
	 * byte, a '{' (lo[p] == '$' makes d[0] a blank): expand says the
	 * value holds one of them, else there is nothing to copy for */
	if (!expand)
		return;
	for (size_t i = p; i < n; i++) {
		if (lo[i] == '$' && (l = payload_shellw_ifs_ref(lo, n, i)) > 0) {
			d[w++] = ' ';
			i += l - 1;
			ifs = 1;
		} else {
			d[w++] = s[i];
		}
	}
	if (w > 2 && d[0] == '{') {
		size_t e = 1;
		int comma = 0;
		while (e < w && d[e] != '}' && !payload_is_space((unsigned char)d[e]))
			comma |= d[e++] == ',';
		if (comma && e < w && d[e] == '}') {
			for (size_t i = 0; i <= e; i++)
				if (d[i] == '{' || d[i] == ',' || d[i] == '}')
					d[i] = ' ';
			brace = 1;
		}
	}
	if ((ifs || brace) && command_at(d, w, 0, 1))
		payload_acc_hit(a, PAYLOAD_CMDI, 85, ifs ? "command words joined by $IFS" :
							    "brace-expanded command line");
}

void payload_cmdi_scan(const struct payload_val *v, struct payload_acc *a)
{
	const char *s = v->s;
	size_t n = v->n;
	char d[PAYLOAD_MAX_VALUE + 1];
	size_t dn;
	int sc, weak;

	/* every separator scan_seps knows starts with one of these bytes;
	 * most values hold none */
	int seps = payload_has(v, ';') || payload_has(v, '|') || payload_has(v, '&') ||
		   (payload_has(v, '<') && payload_find(v->lo, n, 0, "<<<") < n) ||
		   payload_has(v, '\n') || payload_has(v, '\r') || payload_has(v, '`') ||
		   payload_has(v, '$') || payload_has(v, '\\') ||
		   ((payload_has(v, '<') || payload_has(v, '>')) && payload_has(v, '('));
	int obf = payload_has(v, '$') || payload_has(v, '\\') || payload_has(v, '\'') ||
		  payload_has(v, '"') || payload_has(v, '`');

	if (seps) {
		const char *u = s;
		size_t un = n;
		int caps = 0;

		scan_seps(s, n, 0, a, "command after shell separator");
		if ((obf || payload_has(v, '^') || (payload_has(v, '{') && payload_find(v->lo, n, 0, "{,}") < n)) && n <= PAYLOAD_MAX_VALUE && (dn = payload_shellw_unobfuscate(s, n, d)) > 0) {
			scan_seps(d, dn, 0, a, "obfuscated command after shell separator");
			u = d;
			un = dn;
		}
		/* a capital right after a small letter (greP, slEeP) is no
		 * English spelling: the words are read case-blind, as macOS's
		 * and Windows' file systems find binaries */
		for (size_t i = 0; i < un && caps < 2; i++)
			if (u[i] >= 'A' && u[i] <= 'Z')
				caps = i > 0 && u[i - 1] >= 'a' && u[i - 1] <= 'z' ? 2 : 1;
		if (caps && a->score[PAYLOAD_CMDI] == 0) {
			char lw[PAYLOAD_MAX_VALUE + 1];
			const char *l = v->lo;

			/* the value itself lower-cased is v->lo (the same ASCII
			 * folding); only an unobfuscated copy is folded here */
			if (u != s) {
				for (size_t i = 0; i < un && i < sizeof(lw); i++)
					lw[i] = (char)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] + 32 : u[i]);
				l = lw;
			}
			scan_seps(l, un < sizeof(lw) ? un : sizeof(lw), caps == 2 ? 0 : LEAD_WIN, a,
				  caps == 2 ? "mixed-case command after shell separator" :
					      "windows command after shell separator");
		}
	}
	if (payload_has(v, '^') && n <= PAYLOAD_MAX_VALUE)
		caret_lead(s, n, d, a);
	if (obf && n <= PAYLOAD_MAX_VALUE)
		spelt_lead(s, n, d, a);
	if (payload_has(v, '?') && glob_path_lead(s, n))
		payload_acc_hit(a, PAYLOAD_CMDI, 85, "command path found by wildcards");
	/* FOR /F and CALL need a %variable%, cmd,/c a '/' */
	if (payload_has(v, '%') || (payload_has(v, '/') && (payload_has(v, ',') || payload_has(v, ';') ||
							     payload_has(v, '=')))) {
		const char *why = NULL;
		if ((sc = payload_shellw_win_grammar(v->lo, n, payload_has(v, '%'),
						     payload_has(v, '/') && (payload_has(v, ',') || payload_has(v, ';') ||
									     payload_has(v, '=')),
						     &why)) > 0)
			payload_acc_hit(a, PAYLOAD_CMDI, sc, why);
	}
	if (n <= PAYLOAD_MAX_VALUE && (payload_has(v, '$') || payload_has(v, '{') || payload_has(v, ' ')))
		sepless(s, v->lo, n, d, payload_has(v, '$') || payload_has(v, '{'), a);
	/* a command line has a blank after its first word */
	if (v->where != PAYLOAD_WHERE_PATH && payload_has(v, ' ') && (sc = payload_shellc_cmdline(s, v->lo, n)) > 0)
		payload_acc_hit(a, PAYLOAD_CMDI, sc, "value is a command line");
	if (payload_has(v, '-') && (sc = payload_shellc_arg_inject(v->lo, n)) > 0)
		payload_acc_hit(a, PAYLOAD_CMDI, sc, "option injected into a command's arguments");
	if ((payload_has(v, '|') || payload_has(v, '(')) && (sc = payload_shellc_dde(v->lo, n)) > 0)
		payload_acc_hit(a, PAYLOAD_CMDI, sc, "spreadsheet formula running a program");
	/* whole value is an absolute binary with arguments: /bin/cat /etc/x */
	if (n > 5 && (payload_at(s, n, 0, "/bin/") || payload_at(s, n, 0, "/usr/bin/") ||
		      payload_at(s, n, 0, "/sbin/") || payload_at(s, n, 0, "/usr/sbin/"))) {
		if (command_at(s, n, 0, 0))
			payload_acc_hit(a, PAYLOAD_CMDI, 70, "absolute command path");
	}
	/* interpreter calls that reach a shell: system('id') */
	static const char *const fns[] = {"system(", "exec(", "passthru(", "shell_exec(", "eval(",
					  "popen(", "proc_open(", "pcntl_exec(", "os.system(",
					  "runtime.getruntime().exec(", "child_process"};
	for (size_t k = 0; payload_has(v, '(') && k < sizeof(fns) / sizeof(fns[0]); k++) {
		size_t at = payload_find(v->lo, n, 0, fns[k]);
		size_t l = at < n ? strlen(fns[k]) : 0;
		if (at < n && (at == 0 || !payload_is_alnum((unsigned char)v->lo[at - 1])) &&
		    at + l < n && (s[at + l] == '\'' || s[at + l] == '"' || s[at + l] == '`' ||
				   s[at + l] == '$'))
			payload_acc_hit(a, PAYLOAD_CMDI, 80, "shell function call with command string");
	}
	/* PHP code an eval-based injection writes */
	if (payload_has(v, '(') && (payload_has(v, '{') || payload_has(v, '.') || payload_has(v, ';'))) {
		const char *why = NULL;
		if ((sc = payload_shellw_php_eval(v->lo, n, payload_has(v, '$') || payload_has(v, '\'') || payload_has(v, '"'),
						  &why)) > 0)
			payload_acc_hit(a, PAYLOAD_CMDI, sc, why);
	}
	/* the whole value base64: what it carries (a value led by a letter,
	 * digit or '_' that payload_b64_may refuses decodes to nothing) */
	if (payload_b64_may(s, n) &&
	    (dn = payload_b64_unwrap(s, n, d, sizeof(d), &weak)) > 0) {
		char tl[PAYLOAD_MAX_VALUE + 1];
		struct payload_val w;
		struct payload_acc sub;

		memset(&sub, 0, sizeof(sub));
		payload_b64_val(v, d, dn, tl, &w);
		payload_cmdi_scan(&w, weak ? &sub : a);
		if (weak)
			payload_b64_merge(a, &sub);
	}
	/* server-side includes */
	if (payload_has(v, '<') && payload_find(v->lo, n, 0, "<!--#exec") < n)
		payload_acc_hit(a, PAYLOAD_CMDI, 90, "ssi exec directive");
}
