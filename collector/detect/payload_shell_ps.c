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

/* from p to the call's ')', an address: a scheme or a host's dot
 * between letters or digits ("iwr ...)" in prose names none) */
static int ps_host(const char *lo, size_t n, size_t p)
{
	for (size_t i = p; i + 2 < n && i < p + 120 && lo[i] != ')'; i++)
		if ((lo[i] == ':' && lo[i + 1] == '/') ||
		    (payload_is_alnum((unsigned char)lo[i]) && lo[i + 1] == '.' && payload_is_alnum((unsigned char)lo[i + 2])))
			return 1;
	return 0;
}

/* at p (lower-cased) what fetches or decodes code: a web client, a web
 * cmdlet or its alias (then a blank or '('), base64 decoded to text */
static int ps_source(const char *lo, size_t n, size_t p)
{
	static const char *const fetch[] = {"iwr", "irm", "invoke-webrequest", "invoke-restmethod", "curl", "wget",
					      "curl.exe", "wget.exe"};
	size_t e = p + 160 < n ? p + 160 : n;

	for (size_t k = 0; k < sizeof(fetch) / sizeof(fetch[0]); k++) {
		size_t l = strlen(fetch[k]);
		if (payload_at(lo, n, p, fetch[k]) && p + l < n &&
		    (lo[p + l] == ' ' || lo[p + l] == '\t' || (lo[p + l] == '(' && k < 2)))
			return ps_host(lo, n, p + l + 1);
	}
	/* New-Object [System.]Net.WebClient, its Download* method after */
	if (payload_at(lo, n, p, "new-object ") && payload_find(lo, e, p, "webclient") < e &&
	    payload_find(lo, e, p, ".download") < e)
		return 1;
	/* [System.Text.Encoding]::X.GetString([System.Convert]::FromBase64String(..)) */
	if (lo[p] == '[' && payload_find(lo, e, p, "frombase64string(") < e)
		return 1;
	return 0;
}

/* after p, blanks and opening parentheses (one at least), then what
 * fetches or decodes code */
static int ps_call_source(const char *lo, size_t n, size_t p)
{
	size_t q = p;
	int open = 0;

	while (q < n && q < p + 8 && (lo[q] == ' ' || lo[q] == '\t' || lo[q] == '(')) {
		open |= lo[q] == '(';
		q++;
	}
	return open && q < n && ps_source(lo, n, q);
}

/* PowerShell's call operators, & and . (dot-sourcing), given the command
 * as an expression: &(gcm i*x), .(Get-Command *ke-e*), & ('ie'+'x'),
 * &$x, &'iex'; then, as iex takes it, code fetched or decoded: IEX by a name
 * no list holds. Each candidate's group is skipped, so the scan is
 * linear; 16 call shapes at most. */
static int ps_call_operator(const char *lo, size_t n)
{
	int shapes = 0;

	for (size_t i = 0; i + 2 < n && shapes < 16; i++) {
		size_t p = i + 1, e;

		if (lo[i] != '&' && !(lo[i] == '.' && (i == 0 || strchr(" \t;|&('\"", lo[i - 1]))))
			continue;
		while (p < n && p < i + 4 && (lo[p] == ' ' || lo[p] == '\t'))
			p++;
		if (p >= n)
			break;
		if (lo[p] == '(') {
			/* the group to its ')', parentheses inside it:
			 * &(gcm ('i*x')) */
			int depth = 1;
			for (e = p + 1; e < n && e < p + 64 && depth > 0; e++)
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
		shapes++;
		if (ps_call_source(lo, n, e))
			return 1;
		i = e - 1;
	}
	return 0;
}

int payload_shell_ps_iex(const char *lo, size_t n)
{
	static const char *const names[] = {"iex", "invoke-expression"};

	for (size_t k = 0; k < 2; k++) {
		size_t l = strlen(names[k]);
		/* each occurrence once; a few at most */
		for (size_t at = payload_find(lo, n, 0, names[k]), tries = 0; at < n && tries < 8;
		     at = payload_find(lo, n, at + l, names[k]), tries++) {
			if (at > 0 && (payload_is_alnum((unsigned char)lo[at - 1]) || strchr("_-.$", lo[at - 1])))
				continue;
			/* blanks and opening parentheses: iex ((New-Object ..));
			 * iex with no '(' takes one argument: a command's
			 * output needs its parentheses (iex (iwr ..)) */
			if (ps_call_source(lo, n, at + l))
				return 1;
		}
	}
	return ps_call_operator(lo, n);
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
