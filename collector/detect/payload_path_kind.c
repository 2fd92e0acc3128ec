/* payload_path_kind.c - what kind of file a path names, for the
 * traversal detector (payload_path.c): a server's own code, configuration
 * or data (payload_path_kind_server), an asset a page links to
 * (payload_path_kind_asset) and only that (payload_path_kind_served), a
 * web URL whose path names pages (payload_path_kind_web). */
#include "collector/detect/payload_int.h"

#include <string.h>

/* The value's last name has an extension of code, configuration, data or
 * logs a server keeps beside its pages. */
int payload_path_kind_server(const char *c, size_t n)
{
	static const char *const ext[] = {
		"php", "php5", "phtml", "inc", "asp", "aspx", "ascx", "asa", "jsp", "jspx",
		"cgi", "pl", "py", "rb", "sh", "ini", "conf", "config", "cfg", "xml",
		"yml", "yaml", "properties", "log", "bak", "old", "sql", "db", "sqlite",
		"key", "pem", "crt", "htaccess", "htpasswd", "env", "passwd", "war", "jar", "err",
	};
	size_t e = n, dot;

	while (e > 0 && (c[e - 1] == '\0' || c[e - 1] == ' ' || c[e - 1] == '.'))
		e--;
	for (dot = e; dot > 0 && c[dot - 1] != '.' && c[dot - 1] != '/'; dot--)
		;
	if (dot == 0 || c[dot - 1] != '.')
		return 0;
	for (size_t k = 0; k < sizeof(ext) / sizeof(ext[0]); k++)
		if (strlen(ext[k]) == e - dot && !memcmp(c + dot, ext[k], e - dot))
			return 1;
	return 0;
}

/* The value's last name is an asset a page links to relatively
 * ("../../assets/css/site.css"): a few levels up is a theme, not a climb. */
int payload_path_kind_asset(const char *c, size_t n)
{
	static const char *const ext[] = {
		".css", ".js", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".webp",
		".woff", ".woff2", ".ttf", ".mp4", ".pdf", ".scss", ".sass", ".less", ".otf", ".eot", ".avif",
		/* a page or a document a site links to relatively */
		".html", ".htm", ".md",
		/* a front end's components and modules, which a bundler
		 * imports relatively ("../../shared/components/Modal.vue") */
		".vue", ".svelte", ".jsx", ".tsx", ".mjs", ".ts",
	};
	for (size_t k = 0; k < sizeof(ext) / sizeof(ext[0]); k++) {
		size_t l = strlen(ext[k]);
		if (n > l && !memcmp(c + n - l, ext[k], l))
			return 1;
	}
	return 0;
}

/* payload_path_kind_asset, and the last name is only that: no server script's
 * extension before the asset's (shell.php.jpg, x.asp;.png: an upload
 * that an include runs, or a handler IIS picks by the first), no ';',
 * '?' or '#' cutting it. The exemptions for a site's served assets
 * (a docroot's, a Windows climb's) ask this. */
int payload_path_kind_served(const char *c, size_t n)
{
	static const char *const run[] = {"php", "phtml", "pht", "phar", "asp", "aspx", "asa", "cer", "jsp",
					  "jspx", "cgi", "pl", "shtml", "py", "rb"};
	size_t s = n;

	if (!payload_path_kind_asset(c, n))
		return 0;
	while (s > 0 && c[s - 1] != '/')
		s--;
	for (size_t i = s; i < n; i++) {
		size_t e;
		if (c[i] == ';' || c[i] == '?' || c[i] == '#')
			return 0;
		if (c[i] != '.')
			continue;
		for (e = i + 1; e < n && payload_is_alnum((unsigned char)c[e]); e++)
			;
		if (e >= n || e - i - 1 > 5)
			continue; /* the last extension (the asset's), or none of these */
		for (size_t k = 0; k < sizeof(run) / sizeof(run[0]); k++)
			if (strlen(run[k]) == e - i - 1 - (c[e - 1] >= '0' && c[e - 1] <= '9') &&
			    !memcmp(c + i + 1, run[k], strlen(run[k])))
				return 0;
	}
	return 1;
}

/* the value is an http(s) URL with a host: its path names pages */
int payload_path_kind_web(const char *lo, size_t n)
{
	size_t p = 0;

	while (p < n && lo[p] == ' ')
		p++;
	if (payload_at(lo, n, p, "https://"))
		p += 8;
	else if (payload_at(lo, n, p, "http://"))
		p += 7;
	else
		return 0;
	return p < n && payload_is_alnum((unsigned char)lo[p]);
}
