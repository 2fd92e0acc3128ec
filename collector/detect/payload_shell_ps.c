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
 * cmdlet or its alias, base64 decoded to text */
static int ps_source(const char *lo, size_t n, size_t p)
{
	static const char *const fetch[] = {"iwr ", "irm ", "invoke-webrequest ", "invoke-restmethod ",
					    "iwr(", "irm(", "curl ", "wget "};
	size_t e = p + 160 < n ? p + 160 : n;

	for (size_t k = 0; k < sizeof(fetch) / sizeof(fetch[0]); k++)
		if (payload_at(lo, n, p, fetch[k]))
			return ps_host(lo, n, p + strlen(fetch[k]));
	/* New-Object [System.]Net.WebClient, its Download* method after */
	if (payload_at(lo, n, p, "new-object ") && payload_find(lo, e, p, "webclient") < e &&
	    payload_find(lo, e, p, ".download") < e)
		return 1;
	/* [System.Text.Encoding]::X.GetString([System.Convert]::FromBase64String(..)) */
	if (lo[p] == '[' && payload_find(lo, e, p, "frombase64string(") < e)
		return 1;
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
			size_t p = at + l;
			int open = 0;

			if (at > 0 && (payload_is_alnum((unsigned char)lo[at - 1]) || strchr("_-.$", lo[at - 1])))
				continue;
			/* blanks and opening parentheses: iex ((New-Object ..)) */
			while (p < n && p < at + l + 8 && (lo[p] == ' ' || lo[p] == '\t' || lo[p] == '(')) {
				open |= lo[p] == '(';
				p++;
			}
			/* iex with no '(' takes one argument: a command's
			 * output needs its parentheses (iex (iwr ..)) */
			if (open && p < n && ps_source(lo, n, p))
				return 1;
		}
	}
	return 0;
}
