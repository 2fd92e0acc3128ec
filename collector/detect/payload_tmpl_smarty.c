/* payload_tmpl_smarty.c - a static method called from a Smarty tag.
 * Smarty runs "{Class::method(..)}" as PHP: the template's own class
 * before 3.1.30, {self::getStreamVariable("file:///etc/passwd")} (reads
 * any file or URL into the page), {self::clearConfig()}, and Smarty's
 * internal classes, {Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,
 * "<?php ..", self::clearConfig())} (writes a PHP file). A tag opens with
 * '{' glued to its name (Smarty reads "{ " as text) and closes right
 * after the call: PHP's "{self::log(..); return;}" and a static property
 * "{self::$x}" are no tag. And the tags that read a file or URL, {fetch
 * file=..} and {include file=..}, given one outside the templates. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_tmpl_int.h"

#include <string.h>

/* how far past the call's '(' its close is looked for */
#define SMARTY_CALL_MAX 512

/* Does the call whose '(' is at p close its tag: ')' then '}' or the
 * value's end? A close not found before the next '{' or within
 * SMARTY_CALL_MAX bytes (padding, a cut value) counts as closing: only a
 * statement after the call clears it. Each walk stops at the next '{',
 * so the walks of a value's tags do not overlap (linear). */
static int call_closes_tag(const char *lo, size_t n, size_t p)
{
	size_t lim = p + SMARTY_CALL_MAX < n ? p + SMARTY_CALL_MAX : n;
	int depth = 0;
	char q = 0;

	for (; p < lim; p++) {
		char c = lo[p];

		if (c == '{')
			return 1;
		if (q) {
			if (c == '\\')
				p++;
			else if (c == q)
				q = 0;
		} else if (c == '\'' || c == '"') {
			q = c;
		} else if (c == '(') {
			depth++;
		} else if (c == ')' && --depth == 0) {
			for (p++; p < n && payload_is_space((unsigned char)lo[p]);)
				p++;
			return p >= n || lo[p] == '}';
		}
	}
	return 1;
}

/* The resource a {fetch file=..} or {include file=..} tag names, at p
 * (after "file="): 2 a file outside the templates (an absolute path, a
 * drive, a UNC share, a parent step, file:///) that is no template, or a
 * scheme that runs or reads what it names (php:, data:, expect:, phar:,
 * ftp:...); 1 an http(s) URL (fetch reads it from the server); 0 a
 * template: its own name ("header.tpl", "file:header.tpl", and with a
 * path, as Smarty's manual writes "C:/www/pub/templates/header.tpl"), or
 * a template resource (db:, extends:, string:; string's content is
 * judged as it stands). Bounded by the tag's close; a name running to
 * the value's end is none. */
static int smarty_resource(const char *lo, size_t n, size_t p)
{
	static const char *const tmpl_ext[] = {".tpl", ".html", ".htm", ".js", ".css"};
	static const char *const reads[] = {"php:", "data:", "expect:", "phar:", "ftp:", "ftps:", "zip:",
					    "compress.", "glob:", "gopher:", "dict:", "jar:", "netdoc:"};
	size_t e, s, h;

	if (p < n && (lo[p] == '"' || lo[p] == '\''))
		p++;
	for (e = p; e < n && e - p < 256 && lo[e] != '"' && lo[e] != '\'' && lo[e] != '}' &&
		    !payload_is_space((unsigned char)lo[e]); e++)
		;
	/* a name the value cuts (a URL path's segment) is read no further */
	if (e >= n)
		return 0;
	if (payload_at(lo, e, p, "file:"))
		p += 5;
	if (p >= e)
		return 0;
	for (size_t k = 0; k < sizeof(tmpl_ext) / sizeof(tmpl_ext[0]); k++) {
		size_t l = strlen(tmpl_ext[k]);

		if (e - p > l && !memcmp(lo + e - l, tmpl_ext[k], l))
			return 0;
	}
	/* a remote file over ftp, as the manual fetches one
	 * ("ftp://user:password@ftp.example.com/path/to/headlines.txt"):
	 * a host after "//", judged as http's (a local host is SSRF's) */
	h = payload_at(lo, e, p, "ftp://") ? p + 6 : payload_at(lo, e, p, "ftps://") ? p + 7 : e;
	if (h < e && lo[h] != '/' && lo[h] != '\\')
		return 1;
	for (size_t k = 0; k < sizeof(reads) / sizeof(reads[0]); k++)
		if (payload_at(lo, e, p, reads[k]))
			return 2;
	if (payload_at(lo, e, p, "http:") || payload_at(lo, e, p, "https:"))
		return 1;
	/* an absolute name in a templates directory, not climbing out of
	 * it ("/usr/local/include/templates/header.inc"): a template */
	if (lo[p] == '/' && payload_find(lo, e, p, "/templates/") < e && payload_find(lo, e, p, "..") >= e &&
	    !payload_at(lo, e, p, "/proc/") && !payload_at(lo, e, p, "/etc/") && !payload_at(lo, e, p, "/dev/"))
		return 0;
	if (lo[p] == '/' || lo[p] == '\\' || (p + 1 < e && payload_is_alpha((unsigned char)lo[p]) && lo[p + 1] == ':' &&
						 (p + 2 >= e || lo[p + 2] == '/' || lo[p + 2] == '\\')))
		return 2;
	/* another resource name (db:, extends:, string:) is the site's own */
	for (s = p; s < e && (payload_is_alpha((unsigned char)lo[s]) || lo[s] == '.' || lo[s] == '_'); s++)
		;
	if (s > p + 1 && s < e && lo[s] == ':')
		return 0;
	return payload_find(lo, e, p, "..") < e ? 2 : 0;
}

/* a kill when the tag at i opens the value or is glued to a word or a
 * tag before it; quoted in prose ("{self::method()} is not allowed"),
 * told. Back over the blanks before the tag only (each run once) */
static int smarty_opens(const char *lo, size_t i)
{
	size_t lead = i;

	while (lead > 0 && payload_is_space((unsigned char)lo[lead - 1]))
		lead--;
	return lead == 0 || payload_is_alnum((unsigned char)lo[i - 1]) || lo[i - 1] == '}';
}

/* the tag opening with '{' at i: its score (0: none) and *why */
int payload_tmpl_smarty_static(const char *lo, size_t n, size_t i, const char **why)
{
	static const char *const own[] = {"self::", "static::", "parent::"};
	size_t p = i + 1, f;
	int r;

	if (payload_at(lo, n, p, "smarty_internal_")) {
		*why = "smarty internal class in a tag";
		return 85;
	}
	/* {fetch file="file:///etc/passwd"}, {include file="/etc/passwd"} */
	if (payload_at(lo, n, p, "fetch ") || payload_at(lo, n, p, "include ")) {
		size_t lim = p + 48 < n ? p + 48 : n;

		f = payload_find(lo, lim, p, "file=");
		if (f >= lim || !(r = smarty_resource(lo, n, f + 5)))
			return 0;
		*why = "smarty tag reading a file or url";
		return r == 2 && smarty_opens(lo, i) ? 80 : 50;
	}
	for (size_t k = 0; k < sizeof(own) / sizeof(own[0]); k++) {
		if (!payload_at(lo, n, p, own[k]))
			continue;
		p += strlen(own[k]);
		if (p >= n || !(payload_is_alpha((unsigned char)lo[p]) || lo[p] == '_'))
			return 0;
		while (p < n && (payload_is_alnum((unsigned char)lo[p]) || lo[p] == '_'))
			p++;
		while (p < n && payload_is_space((unsigned char)lo[p]))
			p++;
		if (p >= n || lo[p] != '(' || !call_closes_tag(lo, n, p))
			return 0;
		*why = "smarty tag calling a method of the template class";
		return smarty_opens(lo, i) ? 85 : 50;
	}
	return 0;
}

/* PHP functions a Smarty tag may call directly: {system('id')} */
int payload_tmpl_smarty_php_call(const char *lo, size_t n, size_t i)
{
	static const char *const fn[] = {"system(", "exec(", "passthru(", "shell_exec(", "popen(",
					 "proc_open(", "eval(", "assert(", "file_get_contents(",
					 "readfile(", "phpinfo(", "fopen(", "include("};
	/* and in a condition: {if system('id')}{/if} */
	if (payload_at(lo, n, i + 1, "if ") || payload_at(lo, n, i + 1, "if("))
		i += 3;
	for (size_t k = 0; k < sizeof(fn) / sizeof(fn[0]); k++)
		if (payload_at(lo, n, i + 1, fn[k]))
			return 1;
	return 0;
}
