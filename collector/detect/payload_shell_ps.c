/* payload_shell_ps.c - PowerShell's Invoke-Expression given code it
 * fetched or decoded, for the command injection detector
 * (payload_shell.c): the download cradles the collections carry,
 * IEX(New-Object Net.WebClient).DownloadString('http://..'),
 * iex(irm http://..), Invoke-Expression (Invoke-WebRequest ..).Content,
 * iex([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String(..))).
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
