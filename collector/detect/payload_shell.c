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

/* At p (a command position): a word made of $NAME / ${NAME} expansions of
 * variables the value assigns itself, and letters (X=id;$X,
 * a=who;b=ami;$a$b, P=/bin/sh;$P -c id). The word is expanded as the
 * shell would and judged as a command with what follows it. */
static int var_command(const char *s, size_t n, size_t p, const struct payload_shell_assigns *t)
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
		if (e == b || (s[b] >= '0' && s[b] <= '9') || !(vo = payload_shell_var_value(s, p, t, s + b, e - b, &vl)) ||
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
	return payload_shell_command_at(buf, w, 0, 1);
}

/* The "$(" at s[i] is a jobs option's count, as build lines write it:
 * make -j$(nproc), cmake --build . -j $(nproc), --jobs=$(getconf
 * _NPROCESSORS_ONLN) */
static int jobs_count(const char *s, size_t n, size_t i)
{
	size_t b = i;

	if (!payload_at(s, n, i + 2, "nproc)") && !payload_at(s, n, i + 2, "getconf _NPROCESSORS_ONLN)"))
		return 0;
	if (b > 0 && s[b - 1] == ' ')
		b--;
	return (b >= 2 && s[b - 2] == '-' && (s[b - 1] == 'j' || s[b - 1] == 'l')) ||
	       (b >= 7 && !memcmp(s + b - 7, "--jobs", 6) && (s[b - 1] == '=' || s[b - 1] == 's'));
}

/* the bytes scan_seps acts at: separators, '`', '$', '<' '>' (before
 * '(', or "<<<"), '\\' (before 'n') */
static const unsigned char seps_act[256] = {
	['`'] = 1, [';'] = 1, ['|'] = 1, ['&'] = 1, ['\n'] = 1, ['\r'] = 1,
	['$'] = 1, ['<'] = 1, ['>'] = 1, ['\\'] = 1,
};

/* Where the value's first command may stand: past opening quotes, or an address it starts with. */
static size_t seps_first(const char *s, size_t n)
{
	size_t first = 0, e;
	int hostish = 0;

	while (first < n && (s[first] == ' ' || s[first] == '\t' || s[first] == '\'' ||
			     s[first] == '"'))
		first++;
	/* a payload written to follow an address the application expects
	 * ("127.0.0.1; id", "localhost|ps aux", "a_b@example.com; df -h")
	 * leads as much as a bare one */
	e = first;
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
	return first;
}

/* Whether the backtick at s[i] encloses a command line glued into code (80) or not (0). */
static int btick_line(const char *s, size_t n, size_t i)
{
	size_t j = i + 1;

	/* `cmd` opening a value or after ( = . $ or a quote
	 * (print(`id`), x=`id`): its content is a command line
	 * of its own; a `word` in prose is markdown */
	while (j < n && j < i + 128 && s[j] != '`')
		j++;
	/* ... and closes where code goes on: print(`id`); */
	int glued = i == 0 || strchr("(=.$'\"", s[i - 1]) || payload_is_alnum((unsigned char)s[i - 1]) ||
		    (j + 1 < n && (s[j + 1] == '.' || payload_is_alnum((unsigned char)s[j + 1])));
	if (glued && j < n && s[j] == '`' && j > i + 1 && (j + 1 >= n || strchr(");'\"|&}.#", s[j + 1]) ||
						    payload_is_alnum((unsigned char)s[j + 1])) &&
	    payload_shell_command_at(s + i + 1, j - i - 1, 0,
				     1 | PAYLOAD_SHELL_LEAD_TICK | (i == 0 || s[i - 1] == ' ' ? PAYLOAD_SHELL_LEAD_BTICK : 0)))
		return 80;
	return 0;
}

/* The score of the command after the separator or backtick at s[i]; advances *first, *run_end. */
static int sep_command(const char *s, size_t n, size_t i, int lead, size_t *first, size_t *run_end)
{
	char c = s[i];
	size_t p = i + 1, q;
	int sc = 0;

	/* a run of separators ("\r\n", "\n\n", "& |") leads as
	 * its first does */
	if (i == *first && p < n && strchr(";|&\n\r ", s[p]))
		*first = p;
	/* every separator of a run of '|' and '&' skips to the
	 * run's end: found once (run_end), not from each byte
	 * again (64 KiB of "||" was quadratic) */
	if (p < *run_end)
		p = *run_end;
	while (p < n && (s[p] == '|' || s[p] == '&'))
		p++;
	*run_end = p;
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
			sc = payload_shell_command_at(t, tl + rest, 0, lead);
		}
	}
	if (!sc)
		sc = payload_shell_command_at(s, n, p, lead);
	if (sc && c == '|' && p == i + 1 && payload_shellw_pipe_filter(s, n, p))
		sc = 0;
	if (!sc && c != '`' && payload_shellw_interp_code(s, n, p))
		sc = 85;
	if (sc && c == '`')
		sc += 5; /* substitution */
	if (!sc && c == '`')
		sc = btick_line(s, n, i);
	return sc;
}

/* The score of the command "$(", "<(" or ">(" at s[i] runs (0: none; -1: a build's job count). */
static int subst_command(const char *s, size_t n, size_t i, int lead, size_t first, size_t *prose_end,
			 int *prose)
{
	char c = s[i];
	int sc;

	/* $(cmd), and process substitution <(cmd) >(cmd); not
	 * a build's job count (make -j$(nproc)) */
	if (c == '$' && jobs_count(s, n, i))
		return -1;
	sc = payload_shell_command_at(s, n, i + 2, lead);
	/* a weak command's process substitution quoted in
	 * prose: diff <(sort a.txt) <(sort b.txt) compares .. */
	if (sc && sc < 80 && c != '$' && i >= *prose_end)
		*prose = payload_shell_md_subst_prose(s, n, i, prose_end);
	if (sc && sc < 80 && c != '$' && *prose)
		sc = 0;
	else if (sc)
		sc += 5;
	else if (c == '$' && payload_shellw_subst_word(s, n, i, i == first || (i > 0 && strchr(";|&\n'\"", s[i - 1]))))
		sc = 80;
	return sc;
}

/* Separators and substitutions in s, each followed by a command word. */
static void scan_seps(const char *s, size_t n, int win, struct payload_acc *a, const char *why)
{
	size_t first = seps_first(s, n), run_end = 0, prose_end = 0;
	int dollar = memchr(s, '$', n) != NULL, assigns = 0, prose = 0;
	struct payload_shell_assigns as;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		size_t p;
		int sc = 0, lead;

		/* every branch below starts at one of these bytes; the
		 * others (most of a value) leave no trace */
		if (!seps_act[(unsigned char)c])
			continue;
		lead = (i == first) | win;
		/* a backtick opening the value is Markdown's inline code as
		 * often as a substitution: an English word alone there names
		 * a thing ("`date`", "`users`" in API docs; PAYLOAD_SHELL_LEAD_BTICK) */
		if (c == '`')
			lead |= PAYLOAD_SHELL_LEAD_BTICK;

		/* markdown's code fence: ```lang */
		if (c == '`' && i + 2 < n && s[i + 1] == '`' && s[i + 2] == '`') {
			while (i + 1 < n && s[i + 1] == '`')
				i++;
			continue;
		}
		if (c == '`' && (p = payload_shell_md_pair(s, n, i)) > 0) {
			i = p;
			continue;
		}
		if (c == '`' && payload_shellw_md_code(s, n, i)) {
			while (++i < n && s[i] != '`')
				;
			continue;
		}
		if (c == ';' || c == '|' || c == '&' || c == '\n' || c == '\r' || c == '`') {
			sc = sep_command(s, n, i, lead, &first, &run_end);
		} else if (c == '$' && payload_at(s, n, i, "${IFS}")) {
			/* $IFS is the field separator: only a shell reads it so */
			sc = payload_shell_command_at(s, n, i + 6, lead);
		} else if ((c == '$' || c == '<' || c == '>') && i + 1 < n && s[i + 1] == '(') {
			sc = subst_command(s, n, i, lead, first, &prose_end, &prose);
			if (sc < 0)
				continue;
		} else if (c == '<' && payload_at(s, n, i, "<<<") && payload_shellw_herestring(s, n, i)) {
			payload_acc_hit(a, PAYLOAD_CMDI, 80, "here-string fed to a command");
		} else if (c == '\\' && i + 1 < n && s[i + 1] == 'n') {
			/* an escaped newline a later layer turns into a real one */
			sc = payload_shell_command_at(s, n, i + 2, 0);
			if (sc)
				sc -= 5;
		}
		if (sc)
			payload_acc_hit(a, PAYLOAD_CMDI, sc, why);
		if (c == '|' && (i + 1 >= n || s[i + 1] != '|') && payload_shellw_piped_interp(s, n, i, win & PAYLOAD_SHELL_LEAD_WIN))
			payload_acc_hit(a, PAYLOAD_CMDI, 80, "output piped into a shell");
		/* a variable's expansion needs a '$' after the separator */
		if (dollar &&
		    (c == ';' || c == '|' || c == '&' || c == '\n' || c == '`' || (c == '$' && i + 1 < n && s[i + 1] == '('))) {
			/* the value's assignments, read once for all its uses */
			if (!assigns++)
				payload_shell_assigns_build(s, n, &as);
			if (var_command(s, n, i + 1 + (c == '$'), &as))
				payload_acc_hit(a, PAYLOAD_CMDI, 75, "command named by variables the value assigns");
		}
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
	if (payload_shell_command_at(d, dn, 0, 1 | PAYLOAD_SHELL_LEAD_WIN))
		payload_acc_hit(a, PAYLOAD_CMDI, 75, "caret-escaped windows command word");
}

/* A value whose first word is spelt the way only a shell reads it:
 * quotes inside it (c'a't, wh""oami, w'h'o'am'i), a glued substitution
 * (w`true`hoami), a backslash between letters (c\at) or $@ (w$@hoami).
 * One quote is an apostrophe (I'd, don't): it takes two marks, or one
 * of the others. The word, read as the shell reads it, leads a command
 * line as a separator would. d has room for n bytes. */
/* The quote at s[p] opening the value's first word closes inside it,
 * glued to a letter on both sides ('i'd, "w"h"o"a"m"i): the quotes split
 * the word, as a quoted phrase ('id card', "who") does not */
static int spelt_open_quote(const char *s, size_t n, size_t p)
{
	for (size_t e = p + 1; e < n && e < p + 40 && !payload_is_space((unsigned char)s[e]); e++)
		if (s[e] == s[p])
			return payload_is_alpha((unsigned char)s[e - 1]) && e + 1 < n &&
			       (payload_is_alpha((unsigned char)s[e + 1]) || s[e + 1] == '\'' || s[e + 1] == '"');
	return 0;
}

static void spelt_lead(const char *s, size_t n, char *d, struct payload_acc *a)
{
	size_t p = 0, e, dn;
	int quotes = 0, other = 0;

	while (p < n && (s[p] == ' ' || s[p] == '\t'))
		p++;
	/* the word is the command's name: letters and the marks alone; a
	 * quote may open it ('i'd, "w"h"o"a"m"i) */
	if (p + 1 < n && (s[p] == '\'' || s[p] == '"') && payload_is_alpha((unsigned char)s[p + 1]))
		quotes -= !spelt_open_quote(s, n, p);
	else if (p >= n || !payload_is_alpha((unsigned char)s[p]))
		return;
	for (e = p; e < n && !payload_is_space((unsigned char)s[e]) && !strchr(";|&<>", s[e]); e++) {
		int pa = e > p && payload_is_alpha((unsigned char)s[e - 1]);
		if (s[e] == '\'' || s[e] == '"')
			quotes++;
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
	if (payload_shell_command_at(d, dn, 0, 1))
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
	if ((ifs || brace) && payload_shell_command_at(d, w, 0, 1))
		payload_acc_hit(a, PAYLOAD_CMDI, 85, ifs ? "command words joined by $IFS" :
							    "brace-expanded command line");
}

static void cmdi_scan(const struct payload_val *v, struct payload_acc *a, int depth);

void payload_cmdi_scan(const struct payload_val *v, struct payload_acc *a)
{
	cmdi_scan(v, a, 0);
}

/* The value with the words the shell builds made (payload_shell_sub.c),
 * judged again whole: ";${x:-cat} /etc/passwd", "|`echo id`", "x;
 * \"w\"'h'oami". Once: the copy is not expanded again. */
static void expanded(const struct payload_val *v, struct payload_acc *a, int depth)
{
	char d[PAYLOAD_MAX_VALUE + 1], tl[PAYLOAD_MAX_VALUE + 1];
	struct payload_val w;
	size_t dn;

	if (depth > 0 || v->n > PAYLOAD_MAX_VALUE || !payload_shell_sub_may(v->s, v->lo, v->n) ||
	    (dn = payload_shell_sub_expand(v->s, v->n, d)) == 0)
		return;
	payload_b64_val(v, d, dn, tl, &w);
	cmdi_scan(&w, a, depth + 1);
}

/* Commands after the value's separators: as written, unobfuscated (into d), then case-blind. */
static void cmdi_seps(const struct payload_val *v, struct payload_acc *a, int obf, char *d)
{
	const char *s = v->s;
	const char *u = s;
	size_t n = v->n, un = n, dn;
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
		scan_seps(l, un < sizeof(lw) ? un : sizeof(lw), caps == 2 ? 0 : PAYLOAD_SHELL_LEAD_WIN, a,
			  caps == 2 ? "mixed-case command after shell separator" :
				      "windows command after shell separator");
	}
}

/* Shell forms needing no separator: closed probes, carets, globs, cmd's grammar, command lines. */
static void cmdi_forms(const struct payload_val *v, struct payload_acc *a, int seps, int obf, char *d)
{
	const char *s = v->s;
	size_t n = v->n;
	int sc;

	/* whoami; id # (not in a cookie: its pairs are split at ';', a
	 * list's "name;id;email" leaves "id;") */
	if ((seps || payload_has(v, '#')) && v->where != PAYLOAD_WHERE_COOKIE && (sc = payload_shellc_probe_closed(s, n)) > 0)
		payload_acc_hit(a, PAYLOAD_CMDI, sc, "probe command closed by a separator");
	if (payload_has(v, '^') && n <= PAYLOAD_MAX_VALUE)
		caret_lead(s, n, d, a);
	if (obf && n <= PAYLOAD_MAX_VALUE)
		spelt_lead(s, n, d, a);
	if (payload_has(v, '?') && glob_path_lead(s, n))
		payload_acc_hit(a, PAYLOAD_CMDI, 85, "command path found by wildcards");
	if (payload_has(v, '/') && (payload_has(v, '[') || payload_has(v, '*') || payload_has(v, '?')) &&
	    payload_shell_glob(s, n))
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
}

/* Whether the value is an absolute binary run with arguments, or one harmful alone (70). */
static void cmdi_abs_path(const struct payload_val *v, struct payload_acc *a)
{
	const char *s = v->s;
	size_t n = v->n;

	/* whole value is an absolute binary with arguments: /bin/cat /etc/x */
	if (n > 5 && (payload_at(s, n, 0, "/bin/") || payload_at(s, n, 0, "/usr/bin/") ||
		      payload_at(s, n, 0, "/sbin/") || payload_at(s, n, 0, "/usr/sbin/"))) {
		/* ... with something after it: "/usr/bin/mount" alone names
		 * a file (a config field, a doc) */
		size_t e = 0, b = 0;
		while (e < n && !payload_shell_word_end((unsigned char)s[e]))
			if (s[e++] == '/')
				b = e;
		/* ... or a binary that does harm alone or runs code:
		 * /usr/bin/id, /bin/sh */
		int alone = payload_shellt_listed_n(s + b, e - b, PAYLOAD_SHELL_BARE) ||
			    payload_shellt_listed_n(s + b, e - b, PAYLOAD_SHELL_INTERP);
		while (e < n && payload_is_space((unsigned char)s[e]))
			e++;
		/* ... not a shell's message quoted ("/bin/sh -c not found") */
		if ((e < n || alone) && !(payload_at(v->lo, n, e, "-c ") && payload_shellw_run_prose(v->lo, n, e + 3)) &&
		    payload_shell_command_at(s, n, 0, 0))
			payload_acc_hit(a, PAYLOAD_CMDI, 70, "absolute command path");
	}
}

/* Interpreter calls that run a command string: system('id'), subprocess, PHP eval. */
static void cmdi_calls(const struct payload_val *v, struct payload_acc *a)
{
	const char *s = v->s;
	size_t n = v->n;
	int sc;

	/* interpreter calls that reach a shell: system('id') */
	static const char *const fns[] = {"system(", "exec(", "passthru(", "shell_exec(", "eval(",
					  "popen(", "proc_open(", "pcntl_exec(", "os.system(",
					  "runtime.getruntime().exec(", "child_process"};
	/* (subprocess.run([...]), check_output, ProcessBuilder: the calls
	 * Python's and Java's docs tell developers to use, in every code
	 * post; os.system and Runtime.exec stay) */
	/* every occurrence, each looked at once: a decoy call first
	 * (system(1);system('id')) hides nothing */
	for (size_t k = 0; payload_has(v, '(') && k < sizeof(fns) / sizeof(fns[0]); k++) {
		size_t l = strlen(fns[k]);
		for (size_t at = payload_find_len(v->lo, n, 0, fns[k], l); at < n; at = payload_find_len(v->lo, n, at + l, fns[k], l)) {
			if ((at > 0 && payload_is_alnum((unsigned char)v->lo[at - 1])) || at + l >= n)
				continue;
			/* child_process names the module: a method of it
			 * called (require('child_process').exec(..)), not
			 * the name in a sentence */
			if (k == sizeof(fns) / sizeof(fns[0]) - 1 ? payload_shell_child_call(v->lo, n, at + l) :
			    (s[at + l] == '\'' || s[at + l] == '"' || s[at + l] == '`' || s[at + l] == '$' ||
			     /* an argv list: (['id'], ["sh","-c",..]) */
			     (s[at + l] == '[' && at + l + 1 < n && (s[at + l + 1] == '\'' || s[at + l + 1] == '"')))) {
				payload_acc_hit(a, PAYLOAD_CMDI, 80, "shell function call with command string");
				break;
			}
		}
	}
	/* the same calls with blanks before '(' (os.system ('id'),
	 * subprocess.run (['id'])), and Python's subprocess given a probe or
	 * an interpreter (payload_shellc.c); each needs a quote after the
	 * '(' (a query's many small values of "&(&(" cost no 22 reads each) */
	if (payload_has(v, '(') && (payload_has(v, '\'') || payload_has(v, '"')) && a->score[PAYLOAD_CMDI] < 80 &&
	    (sc = payload_shellc_code_call(s, v->lo, n)) > 0)
		payload_acc_hit(a, PAYLOAD_CMDI, sc, "shell function call with command string");
	/* Python, PHP and Java code running a command (payload_shell_lang.c):
	 * each form names a module or a function in quotes, or reads $_ */
	if (payload_has(v, '(') && a->score[PAYLOAD_CMDI] < 80 &&
	    (payload_has(v, '\'') || payload_has(v, '"') || payload_has(v, '$'))) {
		const char *why = NULL;
		if ((sc = payload_shell_lang(v->lo, n, &why)) > 0)
			payload_acc_hit(a, PAYLOAD_CMDI, sc, why);
	}
	/* PHP code an eval-based injection writes */
	if (payload_has(v, '(') && (payload_has(v, '{') || payload_has(v, '.') || payload_has(v, ';'))) {
		const char *why = NULL;
		if ((sc = payload_shellw_php_eval(v->lo, n, payload_has(v, '$') || payload_has(v, '\'') || payload_has(v, '"'),
						  &why)) > 0)
			payload_acc_hit(a, PAYLOAD_CMDI, sc, why);
	}
}

static void cmdi_scan(const struct payload_val *v, struct payload_acc *a, int depth)
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

	if (seps && obf)
		expanded(v, a, depth);
	if (seps)
		cmdi_seps(v, a, obf, d);
	cmdi_forms(v, a, seps, obf, d);
	cmdi_abs_path(v, a);
	cmdi_calls(v, a);
	/* the whole value base64: what it carries (a value led by a letter,
	 * digit or '_' that payload_b64_may refuses decodes to nothing) */
	if (payload_b64_may(s, n) &&
	    (dn = payload_b64_unwrap(s, n, d, sizeof(d), &weak)) > 0) {
		char tl[PAYLOAD_MAX_VALUE + 1];
		struct payload_val w;
		struct payload_acc sub;

		memset(&sub, 0, sizeof(sub));
		payload_b64_val(v, d, dn, tl, &w);
		cmdi_scan(&w, weak ? &sub : a, depth);
		if (weak)
			payload_b64_merge(a, &sub);
	}
	/* code execution in the collections' other forms */
	if (payload_has(v, '(') || payload_has(v, '{') || payload_has(v, '|') || payload_has(v, '[') ||
	    payload_has(v, '<') || payload_has(v, '!') || (payload_has(v, '?') && payload_has(v, '/')) ||
	    /* qx with any delimiter (qx#id#, qx~id~), %x/id/ */
	    (payload_has(v, 'x') && (payload_has(v, 'q') || payload_has(v, '%')))) {
		const char *why = NULL;
		if ((sc = payload_shell_code(s, v->lo, n, &why)) > 0)
			payload_acc_hit(a, PAYLOAD_CMDI, sc, why);
	}
	/* PowerShell's download cradles: iex(New-Object Net.WebClient)..,
	 * &(gcm i*x)(iwr ..): the name's 'x' or a call operator */
	if (a->score[PAYLOAD_CMDI] < 80 && payload_has(v, '(') &&
	    (payload_has(v, 'x') || payload_has(v, 'X') || payload_has(v, '&') || payload_has(v, '.')) &&
	    payload_shell_ps_iex(v->lo, n))
		payload_acc_hit(a, PAYLOAD_CMDI, 80, "powershell runs fetched or decoded code");
	if (a->score[PAYLOAD_CMDI] < 80 && payload_has(v, ':') && payload_has(v, '(') && payload_has(v, ']') &&
	    (sc = payload_shell_ps_process(v->lo, n)) > 0)
		payload_acc_hit(a, PAYLOAD_CMDI, sc, "powershell starts a process");
	/* PowerShell naming its command at run time: &(gcm i*x) 'id' */
	if (a->score[PAYLOAD_CMDI] < 80 && (payload_has(v, '&') || payload_has(v, ';') || payload_has(v, '|') ||
					    payload_has(v, '$') || payload_has(v, '\n'))) {
		unsigned has = (payload_has(v, 'x') || payload_has(v, 'X') ? PAYLOAD_PS_HAS_X : 0) |
			       (payload_has(v, '(') ? PAYLOAD_PS_HAS_PAREN : 0) | (payload_has(v, '-') ? PAYLOAD_PS_HAS_DASH : 0) |
			       (payload_has(v, '$') && payload_has(v, ':') ? PAYLOAD_PS_HAS_ENV : 0);
		const char *why = has || payload_has(v, 'p') ? payload_shell_ps_exec(v->lo, n, has) : NULL;
		if (why)
			payload_acc_hit(a, PAYLOAD_CMDI, 80, why);
	}
	/* server-side includes */
	if (payload_has(v, '<') && payload_find(v->lo, n, 0, "<!--#exec") < n)
		payload_acc_hit(a, PAYLOAD_CMDI, 90, "ssi exec directive");
}
