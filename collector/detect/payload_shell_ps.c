/* payload_shell_ps.c - PowerShell's Invoke-Expression given code it
 * fetched or decoded, for the command injection detector
 * (payload_shell.c): the download cradles the collections carry,
 * IEX(New-Object Net.WebClient).DownloadString('http://..'),
 * iex(irm http://..), Invoke-Expression (Invoke-WebRequest ..).Content,
 * iex([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String(..))),
 * iex([char]119+[char]104+..).
 * The same as "iwr http://.. | iex", which payload_shellw.c reads as a
 * download piped into an interpreter. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_shell_int.h"

#include <string.h>

/* What the scans look for ahead of a position, each found once and kept
 * while the position moves on (positions only grow), so that however many
 * candidates a value holds, each byte is searched a bounded number of
 * times: the next ')', the next address mark (':/' or a dot between
 * letters or digits), and the next of each word ps_source looks for. */
struct ps_find {
	size_t from, at;
};
struct ps_memo {
	struct ps_find paren, addr, b64, wc, dl;
};

/* the first w at or after p: a find from where the last one started
 * holds while p stays between that start and what it found; a p a few
 * bytes before the start only searches the bytes between */
static size_t ps_next(const char *lo, size_t n, size_t p, struct ps_find *f, const char *w)
{
	if (f->from == (size_t)-1 || p > f->at) {
		f->from = p;
		f->at = payload_find(lo, n, p, w);
	} else if (p < f->from) {
		size_t e = f->from + strlen(w) - 1 < n ? f->from + strlen(w) - 1 : n;
		size_t a = payload_find(lo, e, p, w);
		if (a < e)
			f->at = a;
		f->from = p;
	}
	return f->at;
}

static int ps_addr_at(const char *lo, size_t n, size_t i)
{
	return i + 2 < n && ((lo[i] == ':' && lo[i + 1] == '/') ||
			     (payload_is_alnum((unsigned char)lo[i]) && lo[i + 1] == '.' &&
			      payload_is_alnum((unsigned char)lo[i + 2])));
}

static size_t ps_next_addr(const char *lo, size_t n, size_t p, struct ps_find *f)
{
	size_t i;

	if (f->from == (size_t)-1 || p > f->at) {
		for (i = p; i < n && !ps_addr_at(lo, n, i); i++)
			;
		f->from = p;
		f->at = i;
	} else if (p < f->from) {
		for (i = p; i < f->from && !ps_addr_at(lo, n, i); i++)
			;
		if (i < f->from)
			f->at = i;
		f->from = p;
	}
	return f->at;
}

/* from p to the call's ')', an address: a scheme or a host's dot
 * between letters or digits ("iwr ...)" in prose names none) */
static int ps_host(const char *lo, size_t n, size_t p, struct ps_memo *m)
{
	size_t a = ps_next_addr(lo, n, p, &m->addr);

	return a < n && a < p + 120 && a < ps_next(lo, n, p, &m->paren, ")");
}

/* [ScriptBlock]::Create( at p ('['), the type by its full name too
 * ([System.Management.Automation.ScriptBlock]::Create(): the bytes read,
 * or 0 */
static size_t ps_scriptblock_at(const char *lo, size_t n, size_t p)
{
	size_t q = p + 1;

	if (p >= n || lo[p] != '[')
		return 0;
	if (payload_at(lo, n, q, "system."))
		q += 7;
	if (payload_at(lo, n, q, "management.automation."))
		q += 22;
	return payload_at(lo, n, q, "scriptblock]::create(") ? q + 21 - p : 0;
}

/* at p (lower-cased) what fetches or decodes code: a web client, a web
 * cmdlet or its alias (then a blank or '('), base64 decoded to text */
static int ps_source(const char *lo, size_t n, size_t p, struct ps_memo *m)
{
	static const char *const fetch[] = {"iwr", "irm", "invoke-webrequest", "invoke-restmethod", "curl", "wget",
					      "curl.exe", "wget.exe"};
	size_t e = p + 160 < n ? p + 160 : n;

	for (size_t k = 0; k < sizeof(fetch) / sizeof(fetch[0]); k++) {
		size_t l = strlen(fetch[k]);
		if (payload_at(lo, n, p, fetch[k]) && p + l < n &&
		    (lo[p + l] == ' ' || lo[p + l] == '\t' || (lo[p + l] == '(' && k < 2)))
			return ps_host(lo, n, p + l + 1, m);
	}
	/* New-Object [System.]Net.WebClient, its Download* method after */
	if (payload_at(lo, n, p, "new-object ") && ps_next(lo, n, p, &m->wc, "webclient") < e &&
	    ps_next(lo, n, p, &m->dl, ".download") < e)
		return 1;
	/* [System.Text.Encoding]::X.GetString([System.Convert]::FromBase64String(..)) */
	if (lo[p] == '[' && ps_next(lo, n, p, &m->b64, "frombase64string(") < e)
		return 1;
	/* a script block made from a string: [ScriptBlock]::Create(..) */
	if (ps_scriptblock_at(lo, n, p))
		return 1;
	/* a string built of character codes: [char]119+[char]104+.. */
	if (payload_at(lo, n, p, "[char]")) {
		size_t q = p + 6;
		while (q < n && q < p + 10 && lo[q] >= '0' && lo[q] <= '9')
			q++;
		/* ('+' or, in a query string, the blank it decodes to) */
		while (q < n && q < p + 14 && (lo[q] == ' ' || lo[q] == '+'))
			q++;
		return q > p + 7 && payload_at(lo, n, q, "[char]");
	}
	return 0;
}

/* after p, blanks and opening parentheses (one at least), then what
 * fetches or decodes code */
static int ps_call_source(const char *lo, size_t n, size_t p, struct ps_memo *m)
{
	size_t q = p;
	int open = 0;

	while (q < n && q < p + 8 && (lo[q] == ' ' || lo[q] == '\t' || lo[q] == '(')) {
		open |= lo[q] == '(';
		q++;
	}
	return open && q < n && ps_source(lo, n, q, m);
}

/* PowerShell's call operators, & and . (dot-sourcing), given the command
 * as an expression: &(gcm i*x), .(Get-Command *ke-e*), & ('ie'+'x'),
 * &$x, &'iex'; then, as iex takes it, code fetched or decoded: IEX by a name
 * no list holds. A group that is itself a script block made from a
 * string runs it: &([scriptblock]::Create(..)). Each candidate's group is
 * skipped and what follows it is searched through the memo, so the scan
 * is one linear pass with no count limit (decoys first hide nothing). */
static int ps_call_operator(const char *lo, size_t n, struct ps_memo *m)
{
	for (size_t i = 0; i + 2 < n; i++) {
		size_t p = i + 1, e;

		if (lo[i] != '&' && !(lo[i] == '.' && (i == 0 || strchr(" \t;|&('\"", lo[i - 1]))))
			continue;
		while (p < n && p < i + 4 && (lo[p] == ' ' || lo[p] == '\t'))
			p++;
		if (p >= n)
			break;
		if (lo[p] == '(') {
			/* the group to its ')', parentheses inside it:
			 * &(gcm ('i*x')); up to where another call operator
			 * would start at most, so no byte is read for two
			 * groups (an unclosed "&(" hides no call after it) */
			int depth = 1;
			size_t g = p + 1;
			while (g < n && g < p + 4 && (lo[g] == ' ' || lo[g] == '\t' || lo[g] == '('))
				g++;
			if (ps_scriptblock_at(lo, n, g))
				return 1;
			for (e = p + 1; e < n && e < p + 64 && depth > 0 && lo[e] != '&' &&
					!(lo[e] == '.' && strchr(" \t;|&('\"", lo[e - 1]));
			     e++)
				depth += lo[e] == '(' ? 1 : lo[e] == ')' ? -1 : 0;
			if (depth > 0)
				continue;
		} else if (lo[p] == '\'' || lo[p] == '"') {
			/* the command's name quoted: &'iex', &"iex" */
			for (e = p + 1; e < n && e < p + 32 && lo[e] != lo[p]; e++)
				;
			if (e >= n || lo[e] != lo[p] || e == p + 1)
				continue;
			e++;
		} else if (lo[p] == '$') {
			for (e = p + 1; e < n && e < p + 32 && (payload_is_alnum((unsigned char)lo[e]) || lo[e] == '_'); e++)
				;
			if (e == p + 1)
				continue;
		} else {
			continue;
		}
		if (ps_call_source(lo, n, e, m))
			return 1;
		i = e - 1;
	}
	return 0;
}

int payload_shell_ps_iex(const char *lo, size_t n)
{
	static const char *const names[] = {"iex", "invoke-expression"};
	struct ps_memo m;

	memset(&m, 0xff, sizeof(m));
	for (size_t k = 0; k < 2; k++) {
		size_t l = strlen(names[k]);
		/* each occurrence once, all of them */
		for (size_t at = payload_find(lo, n, 0, names[k]); at < n; at = payload_find(lo, n, at + l, names[k])) {
			if (at > 0 && (payload_is_alnum((unsigned char)lo[at - 1]) || strchr("_-.$", lo[at - 1])))
				continue;
			/* blanks and opening parentheses: iex ((New-Object ..));
			 * iex with no '(' takes one argument: a command's
			 * output needs its parentheses (iex (iwr ..)) */
			if (ps_call_source(lo, n, at + l, &m))
				return 1;
		}
		/* the memo serves one forward pass */
		memset(&m, 0xff, sizeof(m));
	}
	if (ps_call_operator(lo, n, &m))
		return 1;
	/* [ScriptBlock]::Create(..).Invoke(), .InvokeReturnAsIs(): the
	 * argument read up to the next Create at most */
	for (size_t at = payload_find(lo, n, 0, "scriptblock]::create("), nx; at < n; at = nx) {
		int depth = 1;
		size_t e;
		nx = payload_find(lo, n, at + 21, "scriptblock]::create(");
		for (e = at + 21; e < nx && e < at + 400 && depth > 0; e++)
			depth += lo[e] == '(' ? 1 : lo[e] == ')' ? -1 : 0;
		if (depth == 0 && payload_at(lo, n, e, ".invoke"))
			return 1;
	}
	return 0;
}

/* PowerShell's static call of .NET's process start:
 * [System.Diagnostics.Process]::Start('calc'), [Diagnostics.Process]::start(..),
 * the member reached by its Invoke method, a backtick inside its name or
 * quotes around it (::Start.Invoke(, ::St`art(, ::'Start'(): 80 when it
 * starts a program; 50 when it opens a web page (Start("https://..")),
 * the shell hands it to the browser) or names no argument, the docs'
 * "use [System.Diagnostics.Process]::Start() to launch notepad"; or 0 */
int payload_shell_ps_process(const char *lo, size_t n)
{
	static const char *const web[] = {"http:", "https:", "mailto:", "ftp:"};
	size_t at = payload_find(lo, n, 0, "diagnostics.process]::");
	size_t p = at + 22, m = 0;
	char q = 0;

	if (at >= n)
		return 0;
	if (p < n && (lo[p] == '\'' || lo[p] == '"'))
		q = lo[p++];
	/* "start", a backtick before any of its letters */
	for (; p < n && m < 5; p++) {
		if (lo[p] == '`')
			continue;
		if (lo[p] != "start"[m])
			return 0;
		m++;
	}
	if (m < 5 || (q && (p >= n || lo[p++] != q)))
		return 0;
	if (payload_at(lo, n, p, ".invoke"))
		p += 7;
	while (p < n && p < at + 48 && (lo[p] == ' ' || lo[p] == '\t'))
		p++;
	if (p >= n || lo[p] != '(')
		return 0;
	for (p++; p < n && (lo[p] == ' ' || lo[p] == '\t'); p++)
		;
	if (p >= n || lo[p] == ')')
		return 50;
	if (lo[p] == '\'' || lo[p] == '"')
		for (size_t k = 0; k < sizeof(web) / sizeof(web[0]); k++)
			if (payload_at(lo, n, p + 1, web[k]))
				return 50;
	return 80;
}

/* a command position before p: blanks back to a separator (; | & newline
 * or an opening '(') that is not the value's first byte's blanks alone */
static int ps_after_sep(const char *lo, size_t p)
{
	while (p > 0 && (lo[p - 1] == ' ' || lo[p - 1] == '\t'))
		p--;
	return p > 0 && strchr(";|&\n\r(", lo[p - 1]);
}

/* the group lo(g..e) names the command by a look-up or builds its name:
 * gcm / Get-Command / Get-Alias given a wildcard pattern, strings joined by '+',
 * the format operator: (gcm i*x), ('ie'+'x'), ("{1}{0}" -f 'x','ie') */
static int ps_named_group(const char *lo, size_t g, size_t e)
{
	size_t q = g;

	while (q < e && (lo[q] == ' ' || lo[q] == '\t' || lo[q] == '('))
		q++;
	/* ... by a wildcard pattern, which hides the name ("& (Get-Command
	 * notepad) runs Notepad" in docs names it) */
	if (payload_at(lo, e, q, "gcm ") || payload_at(lo, e, q, "get-command ") ||
	    payload_at(lo, e, q, "gal ") || payload_at(lo, e, q, "get-alias "))
		return memchr(lo + q, '*', e - q) != NULL || memchr(lo + q, '?', e - q) != NULL;
	if (q >= e || (lo[q] != '\'' && lo[q] != '"'))
		return 0;
	for (size_t k = q + 1; k + 1 < e; k++)
		if ((lo[k] == '\'' || lo[k] == '"') && (lo[k + 1] == '+' || payload_at(lo, e, k + 1, " -f ") ||
							payload_at(lo, e, k + 1, " + ") ||
							/* a query's '+' read as a blank */
							(lo[k + 1] == ' ' && k + 2 < e && lo[k + 2] == lo[k])))
			return 1;
	return 0;
}

/* after Set-Alias at p, its -Value parameter iex in the next 48 bytes
 * of the statement: sal -Name x -Value iex */
static int ps_value_iex(const char *lo, size_t n, size_t p)
{
	size_t lim = p + 48 < n ? p + 48 : n, v = payload_find(lo, lim, p, "-value ");
	const char *semi = memchr(lo + p, ';', lim - p);

	if (v >= lim || (semi && (size_t)(semi - lo) < v))
		return 0;
	for (v += 7; v < n && v < lim + 4 && (lo[v] == ' ' || lo[v] == '\'' || lo[v] == '"'); v++)
		;
	return payload_at(lo, n, v, "iex") || payload_at(lo, n, v, "invoke-expression");
}

/* At p, after the call operator's group: an argument for the command it
 * names (a quoted string, a word, a variable, a group) */
static int ps_call_arg(const char *lo, size_t n, size_t p)
{
	size_t q = p;

	while (q < n && q < p + 4 && (lo[q] == ' ' || lo[q] == '\t'))
		q++;
	return q > p && q < n && (lo[q] == '\'' || lo[q] == '"' || lo[q] == '$' || lo[q] == '(' ||
				  payload_is_alpha((unsigned char)lo[q]));
}

/* the string at q holds one Get- cmdlet alone and is closed: iex
 * "Get-Date" of a tutorial runs nothing but a read of the clock
 * ("Get-Content C:\\x" has an argument) */
static int ps_get_alone(const char *lo, size_t n, size_t q)
{
	size_t e = q + 5;

	if (q + 6 >= n || (lo[q] != '\'' && lo[q] != '"') || !payload_at(lo, n, q + 1, "get-"))
		return 0;
	while (e < n && payload_is_alpha((unsigned char)lo[e]))
		e++;
	if (!(e > q + 5 && e < n && lo[e] == lo[q]))
		return 0;
	/* ... and nothing joins it after its quote: 'Get-Date'+';calc' and
	 * "Get-Date"-f.. build another string */
	for (e++; e < n && (lo[e] == ' ' || lo[e] == '\t'); e++)
		;
	return e >= n || (lo[e] && strchr(";|)&#\r\n", lo[e]) != NULL);
}

/* PowerShell running a command it names at run time, or a string as
 * code, after a separator: &(gcm i*x) 'whoami', .("{1}{0}" -f 'x','ie')
 * whoami, &("i"+"ex") id; iex 'who'+'ami', iex $env:x, Invoke-Expression
 * whoami; an alias made for iex (sal x iex); $env:ComSpec /c whoami (the
 * shell's path run). The reason, or NULL. Each '&' '.' and each "iex"
 * "invoke-expression" "sal " "set-alias " "$env:comspec " is read once,
 * over a bounded window. */
const char *payload_shell_ps_exec(const char *lo, size_t n, unsigned has)
{
	/* (a tab or a '(' after iex as well: iex\t'id', iex('who'+'ami')) */
	static const char *const iex[] = {"iex", "invoke-expression"};

	for (size_t k = 0; (has & PAYLOAD_PS_HAS_X) && k < 2; k++) {
		size_t l = strlen(iex[k]);
		for (size_t at = payload_find(lo, n, 0, iex[k]); at < n; at = payload_find(lo, n, at + l, iex[k])) {
			size_t q = at + l;
			if (q >= n || (lo[q] != ' ' && lo[q] != '\t' && lo[q] != '('))
				continue;
			while (q < n && q < at + l + 5 && (lo[q] == ' ' || lo[q] == '\t'))
				q++;
			/* ... a group opening on the string or the variable */
			if (q + 1 < n && lo[q] == '(' && (lo[q + 1] == '\'' || lo[q + 1] == '"' || lo[q + 1] == '$'))
				q++;
			if (q < n && ps_after_sep(lo, at) && !ps_get_alone(lo, n, q) &&
			    (lo[q] == '\'' || lo[q] == '"' || lo[q] == '$' || (k == 1 && payload_is_alpha((unsigned char)lo[q]))))
				return "powershell runs a string as code";
		}
	}
	for (size_t i = 0; (has & PAYLOAD_PS_HAS_PAREN) && i + 3 < n; i++) {
		size_t p = i + 1, e;
		int depth = 1;
		if ((lo[i] != '&' && lo[i] != '.') || (lo[i] == '.' && !ps_after_sep(lo, i) && i > 0))
			continue;
		while (p < n && p < i + 3 && lo[p] == ' ')
			p++;
		if (p >= n || lo[p] != '(')
			continue;
		for (e = p + 1; e < n && e < p + 64 && depth > 0; e++)
			depth += lo[e] == '(' ? 1 : lo[e] == ')' ? -1 : 0;
		if (depth == 0 && ps_named_group(lo, p + 1, e - 1) && ps_call_arg(lo, n, e))
			return "powershell calls a command named at run time";
		i = e - 1;
	}
	for (size_t k = 0; (has & PAYLOAD_PS_HAS_X) && k < 2; k++) {
		const char *w = k ? "set-alias " : "sal ";
		size_t l = strlen(w);
		for (size_t at = payload_find(lo, n, 0, w); at < n; at = payload_find(lo, n, at + l, w)) {
			size_t q = at + l;
			while (q < n && q < at + l + 32 && lo[q] != ' ' && lo[q] != ';')
				q++;
			if ((at == 0 || ps_after_sep(lo, at)) &&
			    (payload_at(lo, n, q, " iex") || payload_at(lo, n, q, " invoke-expression") ||
			     /* named parameters: sal -Name x -Value iex */
			     ps_value_iex(lo, n, at + l)))
				return "powershell alias made for invoke-expression";
		}
	}
	/* Start-Process (saps) after a separator given an interpreter or a
	 * probe, or a program with its -ArgumentList: ;saps cmd -a '/c id' */
	for (size_t k = (has & PAYLOAD_PS_HAS_DASH) ? 0 : 1; k < 2; k++) {
		const char *w = k ? "saps " : "start-process ";
		size_t l = strlen(w);
		for (size_t at = payload_find(lo, n, 0, w); at < n; at = payload_find(lo, n, at + l, w)) {
			size_t q = at + l, e, lim;
			while (q < n && q < at + l + 4 && (lo[q] == ' ' || lo[q] == '\'' || lo[q] == '"'))
				q++;
			for (e = q; e < n && e < q + 24 && (payload_is_alnum((unsigned char)lo[e]) || lo[e] == '.'); e++)
				;
			if (e > q + 4 && !memcmp(lo + e - 4, ".exe", 4))
				e -= 4;
			lim = e + 40 < n ? e + 40 : n;
			if (e > q && ps_after_sep(lo, at) &&
			    (payload_shellt_listed_n(lo + q, e - q, PAYLOAD_SHELL_INTERP) ||
			     payload_shellt_listed_n(lo + q, e - q, PAYLOAD_SHELL_BARE) ||
			     payload_find(lo, lim, e, " -a") < lim))
				return "powershell starts a process";
		}
	}
	for (size_t at = (has & PAYLOAD_PS_HAS_ENV) ? payload_find(lo, n, 0, "$env:comspec ") : n; at < n;
	     at = payload_find(lo, n, at + 13, "$env:comspec "))
		if (payload_at(lo, n, at + 13, "/c ") || payload_at(lo, n, at + 13, "/k "))
			return "powershell runs the command shell by its variable";
	return NULL;
}
