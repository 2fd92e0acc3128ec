/* payload_path_rfi.c - remote file inclusion, backup copies of server
 * files, and sensitive names that are also everyday file names. An include($_GET['page'] . ".php") that allow_url_include lets
 * fetch a URL runs what the URL returns; the attacker ends the URL with a
 * '?' (or "?=", a '#', a NUL) so the appended ".php" becomes a query or a
 * fragment the remote host ignores. A link a user pastes ends with its
 * page, not with an empty query. On Windows the include fetches a UNC
 * path (\\host\share\x.php) over SMB, where allow_url_include does not
 * apply. payload_path.c asks these of a value the gates let through. */
#include "collector/detect/payload_int.h"

#include <string.h>

/* the extensions a remote include is written to fetch: the code itself
 * or text that holds it */
static int incl_ext(const char *e, size_t l, int txt)
{
	static const char *const ext[] = {"php", "phtml", "inc", "asp", "aspx", "jsp", "pl", "cgi", "txt", "gif", "jpg", "png"};

	for (size_t k = 0; k < sizeof(ext) / sizeof(ext[0]); k++)
		if (strlen(ext[k]) == l && !memcmp(e, ext[k], l))
			return txt || k < 8;
	return 0;
}

/* the last name of path p[0..n) (up to a '?', '#' or NUL at *end) has
 * an extension incl_ext names */
static int incl_name(const char *p, size_t n, size_t *end, int txt)
{
	size_t e = 0, dot = n;

	while (e < n && p[e] != '?' && p[e] != '#' && p[e] != '\0')
		e++;
	*end = e;
	for (size_t i = e; i > 0 && p[i - 1] != '/' && p[i - 1] != '\\'; i--)
		if (p[i - 1] == '.') {
			dot = i;
			break;
		}
	return dot < e && incl_ext(p + dot, e - dot, txt);
}

/* name[0..l) is a parameter a tracking template, a cache-buster or a
 * language switch appends to any link and may leave empty: "utm_*",
 * "v", "ver", "lang" (a validator handed ".../robots.txt?utm_source=") */
static int rfi_tracking(const char *name, size_t l)
{
	static const char *const w[] = {"v", "ver", "version", "rev", "lang", "locale", "hl", "ref", "src",
					"source", "cb", "ts", "_", "fbclid", "gclid", "mc_cid", "mc_eid"};

	if (l > 4 && !memcmp(name, "utm_", 4))
		return 1;
	for (size_t k = 0; k < sizeof(w) / sizeof(w[0]); k++)
		if (strlen(w[k]) == l && !memcmp(name, w[k], l))
			return 1;
	return 0;
}

/* q[0..l), a URL's query from its '?', is cut so that what an include
 * appends joins it and changes nothing. 2: '?'s alone (or "?="), which
 * name no parameter: no link ends so. 1: for a text file (all), a last
 * parameter with an empty value ("?x=", "?a=b&x="): the cut works, but
 * the name is one the site chooses and templates leave values empty, so
 * it is told, never killed; and none when the name is a tracking,
 * versioning or language one (rfi_tracking). 0: not a key with no value
 * ("?x") nor a trailing '&': an unescaped URL inside a query string
 * ("next=https://x/a.txt?raw&l=en") is cut there by the query's own '&'
 * and '=' */
static int rfi_cut(const char *q, size_t l, int all)
{
	size_t k = 0, s;

	while (k < l && q[k] == '?')
		k++;
	/* "?", "??", "?=", and "?#..." (the fragment is never sent) */
	if (k == l || (k + 1 == l && q[k] == '=') || q[k] == '#')
		return 2;
	/* "?&", "??&&": empty parameters cut as well, but a link builder
	 * joining an empty list leaves them too (url + "?" + "&".join()):
	 * told */
	while (k < l && q[k] == '&')
		k++;
	if (k == l)
		return 1;
	if (!all || q[l - 1] != '=' || q[l - 2] == '=' || memchr(q + k, '#', l - k))
		return 0;
	for (s = l - 1; s > k && q[s - 1] != '&'; s--)
		;
	return rfi_tracking(q + s, l - 1 - s) ? 0 : 1;
}

/* lo[0..n) is "\\host\share\...\name" or "//host/share/.../name":
 * a UNC path, which PHP on Windows opens over SMB whichever way its
 * separators lean. Returns the offset of the name's path after the
 * host, or 0. */
static size_t rfi_unc(const char *lo, size_t n)
{
	char sep = lo[0];

	if (!((sep == '\\' || sep == '/') && lo[1] == sep && payload_is_alnum((unsigned char)lo[2])))
		return 0;
	const char *s1 = memchr(lo + 2, sep, n - 2);
	if (!s1)
		return 0;
	/* Windows' WebDAV redirector names a server "host@ssl" or
	 * "host@8080" (and "host@ssl@443"): it serves files with no share
	 * ("\\host@ssl\x.php"); "//user@host/" is a URL's user */
	const char *at = sep == '\\' ? memchr(lo + 2, '@', (size_t)(s1 - lo) - 2) : NULL;
	if (at && (payload_at(at, (size_t)(s1 - at), 1, "ssl") || (at[1] >= '0' && at[1] <= '9')))
		return (size_t)(s1 - lo);
	if (!memchr(s1 + 1, sep, n - (size_t)(s1 + 1 - lo)))
		return 0;
	return (size_t)(s1 - lo);
}

/* \\host\share\...\name (host ends at lo[h]): the host is a domain
 * name or an address (a dot in it: another network's, where an intranet
 * names its file server by one word) and the name a program, a library
 * or a script Windows runs by its extension (payload.dll, x.hta): what a
 * DLL or LNK planted on an attacker's share is loaded by */
static int unc_program(const char *lo, size_t n, size_t h)
{
	static const char *const ext[] = {".dll", ".exe", ".hta", ".scr", ".ps1", ".bat", ".cmd",
					  ".vbs", ".msi", ".cpl", ".lnk", ".jar", ".js"};

	if (!memchr(lo + 2, '.', h - 2))
		return 0;
	for (size_t k = 0; k < sizeof(ext) / sizeof(ext[0]); k++) {
		size_t l = strlen(ext[k]);
		if (n > h + l && !memcmp(lo + n - l, ext[k], l))
			return 1;
	}
	return 0;
}

/* lo[0..n) (decoded, lower-case) is an http(s)/ftp URL or "//host" whose
 * path names a script or a text file and whose rest is only '?'s (maybe
 * "?=" ), a '#' or a NUL: the tail a remote include is cut with. Or a UNC
 * path \\host\share\...\x.php (or //host/share/x.php). Returns the
 * reason or NULL; *strong is set when no link looks so: a text file cut
 * so (what an include is made to run: "shell.txt?", "shell.txt#"),
 * a NUL; "shell.txt?x=" is told (rfi_cut). A page's own address with an empty query
 * (index.php?, page.aspx#) or an image's is what a return-URL, an avatar
 * or a share parameter carries every day: told (50), never killed. */
const char *payload_path_rfi(const char *lo, size_t n, int *strong)
{
	size_t p, end, slash, unc;

	/* blanks after the cut are what a copy leaves ("shell.txt? ") */
	while (n > 0 && lo[n - 1] == ' ')
		n--;
	if (n < 8 || memchr(lo, ' ', n))
		return NULL;
	unc = rfi_unc(lo, n);
	if (unc && lo[0] == '\\') {
		/* \\host\share\x.php: an intranet link too. Not x.txt:
		 * a name can hold no '?' on Windows, so nothing cuts the
		 * include's ".php"; "\\nas01\home\jdoe\notes.txt" is a
		 * ticket's (benign.txt) */
		if (incl_name(lo, n, &end, 0))
			return "script fetched by a unc path (remote include)";
		if (unc_program(lo, n, unc))
			return "program or library loaded from a unc path on a named host";
		return NULL;
	}
	if (payload_at(lo, n, 0, "http://"))
		p = 7;
	else if (payload_at(lo, n, 0, "https://") || payload_at(lo, n, 0, "ftps://"))
		p = 8;
	else if (payload_at(lo, n, 0, "ftp://"))
		p = 6;
	else if (lo[0] == '/' && lo[1] == '/')
		p = 2; /* protocol-relative */
	else
		return NULL;
	if (!payload_is_alnum((unsigned char)lo[p]))
		return NULL;
	slash = p;
	while (slash < n && lo[slash] != '/' && lo[slash] != '?' && lo[slash] != '#')
		slash++;
	if (slash >= n || lo[slash] != '/')
		return NULL;
	/* no extension ("/shell?") reads as a search page's address with an
	 * empty query ("https://example.com/search?" in benign.txt): none */
	if (!incl_name(lo + slash, n - slash, &end, 1))
		return NULL;
	/* a text file: what an include is made to run ("shell.txt?"); an
	 * image's or a page's address with an empty query is a CDN's or a
	 * share link's as often */
	int script = incl_name(lo + slash, n - slash, &end, 0);
	int txt = !script && end >= 4 && !memcmp(lo + slash + end - 4, ".txt", 4);
	end += slash;
	/* ftp: no page is served so, no link carries a query: a script cut
	 * by an empty query is an include's (PHP's ftp:// wrapper opens it
	 * under allow_url_include); uncut, a mirror's download as often
	 * (install.php): told. Not a text file (a mirror's readme.txt)
	 * nor a Perl or CGI script (.pl, .cgi) */
	int ftp = lo[0] == 'f';
	if (end == n && ftp && script && lo[end - 1] != 'l' && lo[end - 1] != 'i')
		return "script fetched by an ftp url (remote include)";
	if (end == n)
		/* //host/share/x.php with no cut: a UNC path */
		return unc && script && p == 2 ? "script fetched by a unc path (remote include)" : NULL;
	/* the tail: '?'s, then at most a '=' ; or a lone '#'; or a NUL */
	if (lo[end] == '\0' || (lo[end] == '#' && end + 1 == n)) {
		*strong = txt || lo[end] == '\0';
		return "remote file url cut by a nul or a fragment (remote include)";
	}
	int cut = lo[end] == '?' ? rfi_cut(lo + end, n - end, txt) : 0;
	if (cut) {
		*strong = (txt || ftp) && cut == 2;
		return "remote file url ending in an empty query (remote include)";
	}
	/* ftp: any query ("?a=", "?x") cuts the include's suffix as an
	 * empty one does, and no ftp link carries one */
	if (ftp && script && lo[end] == '?' && lo[end - 1] != 'l' && lo[end - 1] != 'i') {
		*strong = 1;
		return "script fetched by an ftp url with a query (remote include)";
	}
	return NULL;
}

/* the extension e[0..l) is code or configuration a server reads */
static int srv_ext(const char *e, size_t l)
{
	static const char *const ext[] = {"php", "php3", "php4", "php5", "phtml", "inc", "asp", "aspx", "asa", "jsp",
					  "config", "conf", "cfg", "ini", "yml", "yaml", "env", "py", "rb", "pl",
					  "cgi", "sql", "properties", "htaccess", "htpasswd"};

	for (size_t k = 0; k < sizeof(ext) / sizeof(ext[0]); k++)
		if (strlen(ext[k]) == l && !memcmp(e, ext[k], l))
			return 1;
	return 0;
}

/* The last name of canonical path c[0..n) is the copy an editor or an
 * admin leaves beside a server's code or configuration: "config.php.bak",
 * "wp-config.php~", ".index.php.swp", "settings.py.orig". The server
 * hands it out as text, secrets and all. 1 when so. */
int payload_path_backup(const char *c, size_t n)
{
	static const char *const bak[] = {"bak", "old", "orig", "save", "swp", "swo", "backup", "bk", "tmp", "copy", "1", "2"};
	size_t e = n, d2, d1, el;

	while (e > 0 && (c[e - 1] == '\0' || c[e - 1] == ' '))
		e--;
	/* the last byte of '~' or of a name in bak[]: most values stop here */
	if (e == 0 || !strchr("~kdgepoy12", c[e - 1]))
		return 0;
	if (c[e - 1] == '~') {
		d2 = e - 1;
	} else {
		for (d2 = e; d2 > 0 && c[d2 - 1] != '.' && c[d2 - 1] != '/'; d2--)
			;
		if (d2 == 0 || c[d2 - 1] != '.')
			return 0;
		int ok = 0;
		/* bak[]'s lengths: no strlen per name and value */
		static const unsigned char bl[] = {3, 3, 4, 4, 3, 3, 6, 2, 3, 4, 1, 1};
		_Static_assert(sizeof(bl) == sizeof(bak) / sizeof(bak[0]), "one length per name");
		el = e - d2;
		for (size_t k = 0; k < sizeof(bak) / sizeof(bak[0]) && !ok; k++)
			ok = bl[k] == el && !memcmp(c + d2, bak[k], el);
		if (!ok)
			return 0;
		d2--; /* the backup extension's dot */
	}
	for (d1 = d2; d1 > 0 && c[d1 - 1] != '.' && c[d1 - 1] != '/'; d1--)
		;
	/* a name before the inner extension: "x.php.bak", not ".php.bak" */
	return d1 > 1 && c[d1 - 1] == '.' && c[d1 - 2] != '/' && srv_ext(c + d1, d2 - d1);
}

/* names of payload_path.c's sensitive list that are also files users upload, search for and
 * write about (a developer's own config, keys, dotfiles): alone in a
 * value they are told (50), reached by a path or a climb they count */
int payload_path_bare_name(const char *name)
{
	static const char *const bare[] = {
		".npmrc", ".netrc", ".pgpass", ".git-credentials", "id_ed25519", "id_ecdsa",
		"id_dsa", "appsettings.json", "database.yml", "secrets.yml", "localsettings.php",
		".bashrc", ".bash_profile", ".viminfo", "unattend.", "ntds.dit",
	};

	for (size_t i = 0; i < sizeof(bare) / sizeof(bare[0]); i++)
		if (!strcmp(name, bare[i]))
			return 1;
	return 0;
}

/* c[0..n) starts at a root: "/x", "\x", "c:/", "c:\" (not "~/": a home
 * named to a reader, "~/.npmrc", as docs write it) */
int payload_path_abs(const char *c, size_t n)
{
	return n > 0 && (c[0] == '/' || c[0] == '\\' ||
			 (n > 2 && payload_is_alpha((unsigned char)c[0]) && c[1] == ':' &&
			  (c[2] == '/' || c[2] == '\\')));
}
