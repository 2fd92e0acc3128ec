/* payload_path.c - path traversal: a value that points at a file above a
 * root or at a sensitive one, however the path is spelt. Its sibling for
 * where a value points on the network is payload_ssrf.c. */
#include "collector/detect/payload_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- path traversal ----------------------------------------------------- */

/* Files and directories an attacker aims at. Matched at the start of the
 * value or after a separator, on the canonical path. */
static const char *const sensitive[] = {
	"etc/passwd", "etc/shadow", "etc/hosts", "etc/group", "etc/issue",
	"etc/hostname", "etc/sudoers", "etc/crontab", "proc/self/",
	"proc/version", "win.ini", "boot.ini", "system.ini",
	"system32/", "winnt/", "windows/system", ".htaccess", ".htpasswd",
	"web.config", "web-inf/", "global.asa", "desktop.ini", "localstart.asp",
	".ssh/", "id_rsa", ".bash_history", ".git/config", "wp-config.php",
	"cmd.exe", "var/log/", "root/.", "etc/nginx/", "etc/apache2/",
	"conf/server.xml", "boot/grub", ".git/", ".svn/", ".aws/credentials",
	".kube/config", ".docker/config.json", "meta-inf/", "tomcat-users.xml",
	"applicationhost.config", "repair/sam", ".ds_store", "etc/environment",
	"etc/profile", "etc/my.cnf", "etc/security/", "etc/ssh/", "inetpub/",
	"httpd.conf", "apache/logs/", "apache2/logs/", "xampp/", "php.ini",
	"proc/cpuinfo", "proc/mounts", "proc/net/", "proc/sched_debug",
	"var/spool/cron", "var/mail/", "sysprep.inf",
	"windows/repair/", "windows/panther/", "etc/fstab", "etc/resolv.conf",
	"etc/motd", "etc/ftpusers", "etc/inetd.conf", "etc/mtab", "etc/httpd/",
	"etc/php", "etc/lsb-release", "etc/redhat-release", "etc/debian_version",
	"etc/apt/", "etc/init.d/", "etc/mail/", "etc/postfix/", "etc/pam.d/",
	"autoexec.bat", "config.sys", "ntuser.dat", "pagefile.sys", "windows/debug/",
	"progra~1/", "etc/kubernetes/", "var/run/secrets/", "etc/ssl/private/",
	".bashrc", ".bash_profile", ".zsh_history", ".mysql_history", ".psql_history",
	".viminfo", ".dockerenv", "run/secrets/", "docker.sock", "var/adm/", "lampp/",
	"tmp/sess_", "php/sessions/", ".hg/", ".npmrc", ".netrc", ".pgpass", ".git-credentials",
	"id_ed25519", "id_ecdsa", "id_dsa", "appsettings.json", "database.yml", "secrets.yml",
	"localsettings.php", "initialadminpassword", "unattend.", "unattended.xml", "var/spool/mail/",
	/* the Active Directory database, copied off a shadow volume */
	"ntds.dit",
};


/* The names grouped by first byte, so that a component start costs one
 * table look-up when no name starts with its byte. Built once at load. */
#define N_SENS (sizeof(sensitive) / sizeof(sensitive[0]))
static const char *sens_sorted[N_SENS];
static uint8_t sens_from[256], sens_to[256], sens_len[N_SENS];

static int sens_cmp(const void *x, const void *y)
{
	return (unsigned char)(*(const char *const *)x)[0] - (unsigned char)(*(const char *const *)y)[0];
}

__attribute__((constructor)) static void sens_index(void)
{
	memcpy(sens_sorted, sensitive, sizeof(sensitive));
	qsort(sens_sorted, N_SENS, sizeof(sens_sorted[0]), sens_cmp);
	for (size_t k = N_SENS; k-- > 0;)
		sens_from[(unsigned char)sens_sorted[k][0]] = (uint8_t)k;
	for (size_t k = 0; k < N_SENS; k++)
		sens_to[(unsigned char)sens_sorted[k][0]] = (uint8_t)(k + 1);
	for (size_t k = 0; k < N_SENS; k++)
		sens_len[k] = (uint8_t)strlen(sens_sorted[k]);
}
_Static_assert(N_SENS < 256, "sensitive names fit the uint8_t index");

/* Path spellings of '.', '/' and '\' that some decoder between the
 * client and the file system accepts. Returns the ASCII byte and sets *used
 * to the bytes consumed, or returns 0.
 * - overlong UTF-8 of any length (c0 ae, e0 80 ae, f0 80 80 ae, ... fc 80
 *   80 80 80 af), also with broken continuation bytes (c0 2e, e0 40 ae,
 *   c1 1c), as decoders that only mask the low six bits read them; valid
 *   UTF-8 never encodes these bytes in more than one, so no text is folded
 * - look-alikes that NFKC folds or a lenient decoder maps: full-width
 *   (U+FF0E, U+FF0F, U+FF3C), division slash U+2215, set minus U+2216,
 *   fraction slash U+2044, one dot leader U+2024, small full stop U+FE52
 * - "0x2e", "0x2f", "0x5c" spelled out */
static int path_char(const unsigned char *p, size_t avail, size_t *used)
{
	static const struct {
		unsigned char b[3];
		char c;
	} alike[] = {
		{{0xEF, 0xBC, 0x8E}, '.'}, {{0xEF, 0xBC, 0x8F}, '/'}, {{0xEF, 0xBC, 0xBC}, '/'},
		{{0xE2, 0x88, 0x95}, '/'}, {{0xE2, 0x88, 0x96}, '/'}, {{0xE2, 0x81, 0x84}, '/'},
		{{0xE2, 0x80, 0xA4}, '.'}, {{0xEF, 0xB9, 0x92}, '.'},
	};
	unsigned c = p[0], len, cp;

	if (c == '0' && avail >= 4 && p[1] == 'x' && p[2] >= '2' && p[2] <= '5') {
		if (p[2] == '2' && (p[3] == 'e' || p[3] == 'f')) {
			*used = 4;
			return p[3] == 'e' ? '.' : '/';
		}
		if (p[2] == '5' && p[3] == 'c') {
			*used = 4;
			return '/';
		}
		return 0;
	}
	if (c < 0xC0)
		return 0;
	for (size_t k = 0; k < sizeof(alike) / sizeof(alike[0]); k++)
		if (avail >= 3 && !memcmp(p, alike[k].b, 3)) {
			*used = 3;
			return alike[k].c;
		}
	if (c == 0xC0 || c == 0xC1)
		len = 2, cp = c & 0x1F;
	else if (c == 0xE0)
		len = 3, cp = 0;
	else if (c == 0xF0)
		len = 4, cp = 0;
	else if (c == 0xF8)
		len = 5, cp = 0;
	else if (c == 0xFC)
		len = 6, cp = 0;
	else
		return 0;
	if (avail < len)
		return 0;
	/* a decoder that drops a lead byte it cannot use: %c0%2e, %c0%5c */
	if (p[1] == '.' || p[1] == '/' || p[1] == '\\') {
		*used = 2;
		return p[1] == '.' ? '.' : '/';
	}
	/* a two-byte form whose decoder keeps only the continuation's six
	 * bits: %c1%af, %c1%ae, %c0%9c */
	if (len == 2 && ((p[1] & 0x3F) == '.' || (p[1] & 0x3F) == '/' || (p[1] & 0x3F) == 0x1C)) {
		*used = 2;
		return (p[1] & 0x3F) == '.' ? '.' : '/';
	}
	for (unsigned k = 1; k < len; k++) {
		if (p[k] == 0)
			return 0;
		cp = (cp << 6) | (p[k] & 0x3F);
	}
	if (cp != '.' && cp != '/' && cp != '\\')
		return 0;
	*used = len;
	return cp == '.' ? '.' : '/';
}

/* "%XY" that is not hex ("%bg", "%9v") but that a decoder computing
 * X*16+Y from any letter turns into a byte (fuzzdb's "..%bg%qf" is
 * "..%c0%af"): sets *b and returns 3, or returns 0 */
static size_t lenient_pct(const char *lo, size_t n, size_t i, unsigned char *b)
{
	unsigned v = 0;
	int hex = 1;

	if (i + 2 >= n || lo[i] != '%')
		return 0;
	for (size_t k = i + 1; k <= i + 2; k++) {
		char ch = lo[k];
		if (ch >= '0' && ch <= '9')
			v = v * 16 + (unsigned)(ch - '0');
		else if (ch >= 'a' && ch <= 'z')
			v = v * 16 + (unsigned)(ch - 'a' + 10);
		else
			return 0;
		hex &= (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
	}
	if (hex)
		return 0;
	*b = (unsigned char)v;
	return 3;
}

/* A two-byte overlong spelt with a lenient "%XY" in either byte: the
 * folded character, *used set to the value's bytes it spans; or 0 */
static int lenient_char(const char *lo, size_t n, size_t i, size_t *used)
{
	unsigned char t[2];
	size_t a, b, u;
	int pc;

	if ((unsigned char)lo[i] >= 0xC0) {
		a = 1;
		t[0] = (unsigned char)lo[i];
	} else if (!(a = lenient_pct(lo, n, i, &t[0]))) {
		return 0;
	}
	if ((b = lenient_pct(lo, n, i + a, &t[1])) == 0) {
		if (a == 1 || i + a >= n)
			return 0;
		t[1] = (unsigned char)lo[i + a];
		b = 1;
	}
	pc = path_char(t, 2, &u);
	if (!pc || u != 2)
		return 0;
	*used = a + b;
	return pc;
}

/* Canonical copy: '\' -> '/', other spellings of '/' and '.' folded
 * (path_char). Returns its length; *evasive gets EVADE_CODED when a '.'
 * or '/' was spelt in a form no client writes for a plain link (overlong,
 * "0x2e", an octal escape, a lenient %XY), EVADE_ALIKE when as a look-alike
 * character (full-width, division slash), which text also holds. */
#define EVADE_ALIKE 1
#define EVADE_CODED 2

/* mark: a bit per byte of out, set where that byte came from an evasive
 * spelling (coded or look-alike), so a step can be judged by its own */
#define MARK(m, w) ((m)[(w) >> 6] |= 1ull << ((w) & 63))
static size_t canon(const char *lo, size_t n, char *out, size_t cap, int *nul, int *evasive,
		    uint64_t *mark)
{
	size_t w = 0;
	*nul = 0;
	for (size_t i = 0; i < n && w + 1 < cap; i++) {
		unsigned char c = (unsigned char)lo[i];
		size_t used;
		int pc;

		if (c == 0) {
			*nul = 1;
			out[w++] = '\0';
		} else if (c == '\\' && i + 3 < n && lo[i + 1] == '0' && lo[i + 2] == '5' &&
			   (lo[i + 3] == '6' || lo[i + 3] == '7')) {
			/* a C/PHP/JS octal escape: \056 is '.', \057 '/' */
			MARK(mark, w);
			out[w++] = lo[i + 3] == '6' ? '.' : '/';
			i += 3;
			*evasive |= EVADE_CODED;
		} else if (c == '\\' && i + 3 < n && lo[i + 1] == '1' && lo[i + 2] == '3' && lo[i + 3] == '4') {
			MARK(mark, w);
			out[w++] = '/'; /* \134 is '\\' */
			i += 3;
			*evasive |= EVADE_CODED;
		} else if (c == '\\' && (pc = payload_path_esc(lo, n, i, w > 0 && out[w - 1] == '.', &used))) {
			/* \x2e, \u002e, \56 (beside another dot) */
			MARK(mark, w);
			out[w++] = (char)pc;
			i += used - 1;
			*evasive |= EVADE_CODED;
		} else if (c == '\\') {
			out[w++] = '/';
		} else if ((c == '0' || c >= 0xC0) &&
			   (pc = path_char((const unsigned char *)lo + i, n - i, &used))) {
			MARK(mark, w);
			out[w++] = (char)pc;
			i += used - 1;
			/* the look-alikes' lead bytes; no overlong form starts so */
			*evasive |= c == 0xEF || c == 0xE2 ? EVADE_ALIKE : EVADE_CODED;
		} else if ((c == '%' || c >= 0xC0) && (pc = lenient_char(lo, n, i, &used))) {
			MARK(mark, w);
			out[w++] = (char)pc;
			i += used - 1;
			*evasive |= EVADE_CODED;
		} else {
			out[w++] = (char)c;
		}
	}
	out[w] = '\0';
	return w;
}

/* the bytes a sensitive name may follow: a separator, a drive or scheme
 * colon, or a '.' (then only before another: "..htaccess") */
static const unsigned char comp_sep[256] = {['/'] = 1, [':'] = 1, ['.'] = 1};

/* the first index >= q of a byte of comp_sep in t[0..tn), or tn */
static size_t next_sep(const char *t, size_t tn, size_t q)
{
	while (q < tn && !comp_sep[(unsigned char)t[q]])
		q++;
	return q;
}

/* a name at c[at] that starts a path component: the value's start, after
 * a separator or a drive/scheme colon, or after a NUL */
static int comp_start(const char *c, size_t at)
{
	return at == 0 || c[at - 1] == '/' || c[at - 1] == ':' || c[at - 1] == '\0';
}

static int server_file(const char *c, size_t n);

/* the word after the '-' or '_' at t[e] names a shipped template
 * (php.ini-development, config.php-dist) or is a file's own name with an
 * extension of its own (win.ini-notes.txt); a backup's suffix
 * (wp-config.php-bak, web.config_old, .htpasswd-orig: what scanners ask
 * for first) is neither */
static int sens_tail_other(const char *t, size_t tn, size_t e)
{
	static const char *const tmpl[] = {"development", "production", "dist", "sample", "example",
					   "template", "default"};
	static const char *const bak[] = {"bak", "old", "orig", "backup", "save", "copy", "tmp",
					  "temp", "prev", "back", "bk", "swp", "1", "2"};
	size_t p = e + 1, w;

	while (p < tn && payload_is_alnum((unsigned char)t[p]) && p - e <= 16)
		p++;
	w = p - e - 1;
	for (size_t i = 0; i < sizeof(bak) / sizeof(bak[0]); i++)
		if (strlen(bak[i]) == w && !memcmp(t + e + 1, bak[i], w))
			return 0;
	for (size_t i = 0; i < sizeof(tmpl) / sizeof(tmpl[0]); i++)
		if (strlen(tmpl[i]) == w && !memcmp(t + e + 1, tmpl[i], w))
			return 1;
	return p + 1 < tn && t[p] == '.' && payload_is_alnum((unsigned char)t[p + 1]);
}

/* The name matched ends at t[e]: is it the start of another file's name?
 * A name with an extension that goes on as "-x" or "_x" where x is a
 * template's or another file's name (sens_tail_other), a mail spool with
 * no mailbox named, and a private key's public half ("id_rsa.pub", what
 * a user hands a server on purpose) */
static int sens_other(const char *t, size_t tn, size_t e, const char *name, size_t sl)
{
	/* the mail spool is a user's mailbox only when it names one: not the
	 * directory, nor /etc/profile's MAIL=/var/spool/mail/$USER */
	if (sl >= 5 && !memcmp(name + sl - 5, "mail/", 5) && (e >= tn || !payload_is_alnum((unsigned char)t[e])))
		return 1;
	/* a log directory's listing pattern (a '*' under "var/log/") names
	 * no one file; the look is bounded, each match's own, and stays
	 * inside the path: a '*' after a cut (access.log;* access.log#*
	 * access.log%00*) is the attacker's padding, the file still opens.
	 * Only log directories: "/.git/index?*", "/WEB-INF/web.xml?*" and
	 * ".../serviceaccount/token*" are the file served */
	int logdir = (sl >= 4 && !memcmp(name + sl - 4, "log/", 4)) || (sl >= 5 && !memcmp(name + sl - 5, "logs/", 5));
	for (size_t k = e; logdir && k < tn && k < e + 64; k++) {
		if (t[k] == '*')
			return 1;
		if (!payload_is_alnum((unsigned char)t[k]) && (!t[k] || !strchr("._-/", t[k])))
			break;
	}
	if (e + 1 < tn && (t[e] == '-' || t[e] == '_') && payload_is_alnum((unsigned char)t[e + 1]) &&
	    memchr(name, '.', sl) && payload_is_alnum((unsigned char)name[sl - 1]))
		return sens_tail_other(t, tn, e);
	return name[0] == 'i' && name[1] == 'd' && name[2] == '_' && payload_at(t, tn, e, ".pub") &&
	       (e + 4 == tn || !payload_is_alnum((unsigned char)t[e + 4]));
}

/* dotenv's naming: ".env.<environment>" holds secrets (.env.local,
 * .env.production), ".env.<template>" is the example committed without
 * them. Is c[e..) (after ".env") such a template's ".example" name? */
static int env_template(const char *c, size_t n, size_t e)
{
	static const char *const tmpl[] = {"example", "sample", "dist", "template", "tmpl", "tpl", "default"};

	if (e >= n || c[e] != '.')
		return 0;
	for (size_t k = 0; k < sizeof(tmpl) / sizeof(tmpl[0]); k++) {
		size_t l = strlen(tmpl[k]);
		if (payload_at(c, n, e + 1, tmpl[k]) && (e + 1 + l == n || !payload_is_alnum((unsigned char)c[e + 1 + l])))
			return 1;
	}
	return 0;
}

/* The path with empty and "." components dropped ("/etc//passwd",
 * "/./etc/./shadow" name /etc/passwd and /etc/shadow) into out; up to
 * three slashes right after a scheme colon stay ("file:///"). Returns its
 * length. */
static size_t collapse(const char *c, size_t n, char *out)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++) {
		/* the slashes written last (up to three) matter only before
		 * another '/' */
		if (c[i] == '/') {
			size_t r = w;
			while (r > 0 && w - r < 3 && out[r - 1] == '/')
				r--;
			if (r < w && !(r > 0 && out[r - 1] == ':' && w - r < 3))
				continue;
		}
		if (c[i] == '.' && (i == 0 || c[i - 1] == '/') && i + 1 < n && c[i + 1] == '/') {
			i++; /* "./" */
			continue;
		}
		out[w++] = c[i];
	}
	out[w] = '\0';
	return w;
}

/* Does "//" or "./" occur in c: a '/' after a '/' or a '.' (one walk
 * over the slashes for the two searches)? */
static int slash_after(const char *c, size_t n)
{
	for (const char *p = n > 1 ? memchr(c + 1, '/', n - 1) : NULL; p;
	     p = (size_t)(p - c) + 1 < n ? memchr(p + 1, '/', n - (size_t)(p - c) - 1) : NULL)
		if (p[-1] == '/' || p[-1] == '.')
			return 1;
	return 0;
}

/* c[s..n) under /var/lib/, /var/www/ or /usr/local/etc/ names a file:
 * its last name has an extension (user.myd, master.key) or it lies four
 * names below the tree (/var/lib/rancher/k3s/server/token). A directory
 * a configuration names (/var/lib/mysql, /var/lib/postgresql/data,
 * /var/www/html) is no file: main killed them at 75. (/sys/ keeps its
 * files without extensions, /sys/kernel/notes: not asked) */
static int tree_file(const char *c, size_t n, size_t s)
{
	size_t last = n, depth = 0, r = s + (c[s + 1] == 'u' ? 15 : 9);

	while (last > r && c[last - 1] != '/')
		last--;
	if (last + 1 < n && memchr(c + last + 1, '.', n - last - 1))
		return 1;
	for (size_t i = r; i < n; i++)
		depth += c[i] == '/';
	return depth >= 3;
}

/* Targets that need more than a substring: ".env" as a whole name (not
 * process.env, .envrc), /proc/<pid>/ beside /proc/self/, and any file
 * named by its absolute path under /etc/ or /proc/. */
static int special_target(const char *c, size_t n, const struct payload_val *v)
{
	size_t s = 0;

	if (n > 2 && c[1] == ':' && c[2] == '/') /* c:/ */
		s = 2;
	else if (payload_at(c, n, 0, "file:///"))
		s = 7;
	if (n > s + 6 && c[s] == '/' && (payload_at(c, n, s + 1, "etc/") || payload_at(c, n, s + 1, "proc/")) &&
	    payload_is_alnum((unsigned char)c[s + (c[s + 1] == 'e' ? 5 : 6)]))
		return 1;
	/* a file by its absolute path under a tree only the server's own
	 * software keeps: kernel state, databases, the document root */
	if (n > s + 6 && c[s] == '/' && !memchr(c, ' ', n) &&
	    (payload_at(c, n, s + 1, "sys/") || payload_at(c, n, s + 1, "var/lib/") ||
	     payload_at(c, n, s + 1, "var/www/") || payload_at(c, n, s + 1, "usr/local/etc/")) &&
	    memchr(c + s + 5, '/', n - s - 5) && payload_is_alnum((unsigned char)c[n - 1]) &&
	    (c[s + 1] == 's' || tree_file(c, n, s)))
		return 1;
	/* a hidden file in a user's home by its absolute path (/home/u/.netrc,
	 * /users/u/.npmrc): credentials and shell state */
	if (n > s + 9 && c[s] == '/' && (payload_at(c, n, s + 1, "home/") || payload_at(c, n, s + 1, "users/")) &&
	    !memchr(c, ' ', n)) {
		size_t u = s + (c[s + 1] == 'h' ? 6 : 7), sl = u;
		while (sl < n && c[sl] != '/')
			sl++;
		/* RFC 8615's /.well-known/ is published on purpose */
		/* the hidden name must be the last step (/home/u/.netrc) or a
		 * directory of keys (.ssh/ .aws/ .gnupg/ .docker/ .kube/): a
		 * stack frame under /home/u/.local/lib/... is a program's */
		if (sl > u && sl + 2 < n && c[sl + 1] == '.' && payload_is_alnum((unsigned char)c[sl + 2]) &&
		    !payload_at(c, n, sl + 2, "well-known") &&
		    (!memchr(c + sl + 2, '/', n - sl - 2) || payload_at(c, n, sl + 1, ".ssh/") ||
		     payload_at(c, n, sl + 1, ".aws/") || payload_at(c, n, sl + 1, ".gnupg/") ||
		     payload_at(c, n, sl + 1, ".docker/") || payload_at(c, n, sl + 1, ".kube/")))
			return 1;
	}
	/* a device whose read hands over a descriptor, a socket or no end */
	if (n > s + 6 && c[s] == '/' && payload_at(c, n, s + 1, "dev/")) {
		/* not random, urandom, zero, stdout, shm/: ordinary
		 * configuration values */
		static const char *const dev[] = {"fd/", "stdin", "tcp/", "udp/", "mem", "kmem"};
		for (size_t k = 0; k < sizeof(dev) / sizeof(dev[0]); k++)
			if (payload_at(c, n, s + 5, dev[k]) &&
			    (dev[k][strlen(dev[k]) - 1] == '/' || s + 5 + strlen(dev[k]) == n))
				return 1;
	}
	/* a drive path to a server's configuration or log file, under a
	 * tree the system or a server's software keeps (not a user's own
	 * c:/users/me/documents/config.xml, d:/projects/app/settings.ini) */
	if (s == 2 && payload_is_alpha((unsigned char)c[0]) && memchr(c + 3, '/', n - 3) &&
	    server_file(c, n) && payload_path_win_tree(c + 3, n - 3))
		return 1;
	/* c is lo with bytes dropped or folded to '.' and '/': its letters
	 * are lo's */
	for (size_t at = payload_has(v, 'v') ? payload_find(c, n, 0, ".env") : n; at < n;
	     at = payload_find(c, n, at + 1, ".env")) {
		size_t e = at + 4;
		if (comp_start(c, at) && (e == n || (!payload_is_alnum((unsigned char)c[e]) && c[e] != '-')) &&
		    !env_template(c, n, e))
			return 1;
	}
	for (size_t at = payload_has(v, 'p') && payload_has(v, 'c') ? payload_find(c, n, 0, "proc/") : n; at < n;
	     at = payload_find(c, n, at + 1, "proc/")) {
		size_t e = at + 5;
		if (!comp_start(c, at))
			continue;
		while (e < n && c[e] >= '0' && c[e] <= '9')
			e++;
		if (e > at + 5 && e < n && c[e] == '/')
			return 1;
	}
	return 0;
}

/* The value's last name has an extension of code, configuration, data or
 * logs a server keeps beside its pages. */
static int server_file(const char *c, size_t n)
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
static int asset_file(const char *c, size_t n)
{
	static const char *const ext[] = {
		".css", ".js", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".webp",
		".woff", ".woff2", ".ttf", ".mp4", ".pdf", ".scss", ".sass", ".less", ".otf", ".eot", ".avif",
		/* a page or a document a site links to relatively */
		".html", ".htm", ".md",
	};
	for (size_t k = 0; k < sizeof(ext) / sizeof(ext[0]); k++) {
		size_t l = strlen(ext[k]);
		if (n > l && !memcmp(c + n - l, ext[k], l))
			return 1;
	}
	return 0;
}

/* the value is an http(s) URL with a host: its path names pages */
static int web_url(const char *lo, size_t n)
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

void payload_trav_scan(const struct payload_val *v, struct payload_acc *a)
{
	char cbuf[PAYLOAD_MAX_VALUE + 1], tbuf[PAYLOAD_MAX_VALUE + 1];
	uint64_t mark[PAYLOAD_MAX_VALUE / 64 + 1];
	int step_coded = 0; /* a climbing step itself spelt evasively */
	const char *c = v->lo, *t;
	int nul = 0, depth = 0, mind = 0, dots = 0, target = 0, evasive = 0, in_url = 0, semi = 0, pair = 0;
	int bare = 0, logs = 0, dev, meta = 0, os, cp; /* logs: the name is a log directory's */
	size_t n = v->n, tn;

	/* canon changes only NUL, '\\', '0' before 'x' (0x2e), '%' and bytes
	 * from 0xC0 (has[3]); without them the canonical copy is lo itself
	 * (NUL-terminated too); path_char reads a '0' only before an 'x' */
	if (payload_has(v, 0) || payload_has(v, '\\') ||
	    (payload_has(v, '0') && payload_has(v, 'x') && payload_find(v->lo, v->n, 0, "0x") < v->n) ||
	    payload_has(v, '%') || v->has[3] != 0 || n + 1 > sizeof(cbuf)) {
		memset(mark, 0, sizeof(mark));
		n = canon(v->lo, v->n, cbuf, sizeof(cbuf), &nul, &evasive, mark);
		c = cbuf;
	}

	/* a look-alike written in IIS's %uXXXX, which no browser or client
	 * library emits, is no text */
	if (evasive == EVADE_ALIKE && v->raw && payload_path_percent_u(v->raw, v->rawn))
		evasive = EVADE_CODED;
	/* a climb is a component of two dots or more: with no ".." in c
	 * the walk below changes nothing (depth only feeds mind) */
	for (size_t i = payload_find(c, n, 0, "..") < n ? 0 : n; i < n;) {
		size_t j = i;
		while (j < n && c[j] != '/')
			j++;
		size_t l = j - i, k = 0;
		while (k < l && c[i + k] == '.')
			k++;
		/* "..", "...", "....//" and tomcat's "..;" all climb; so does
		 * ".." with what Windows strips from a name (trailing dots and
		 * spaces) or a C API stops at (NUL) */
		size_t r = k;
		/* and '%' left of an escape ("%25%5c.." decodes to "%\\.."),
		 * and control bytes a decoder trims as blanks ("..%0d%0a/",
		 * "..%09/") */
		while (r < l && (c[i + r] == '.' || c[i + r] == ' ' || (unsigned char)c[i + r] < 0x20 ||
				 c[i + r] == '%'))
			r++;
		if (k >= 2 && (r == l || c[i + k] == ';')) {
			depth--;
			dots++;
			/* its dots and the separators around them */
			if (c == cbuf)
				for (size_t d = i ? i - 1 : 0; d <= i + k && d < n && !step_coded; d++)
					step_coded = (mark[d >> 6] >> (d & 63)) & 1;
			pair |= k == 2;
			/* "....//" is written to survive a filter that strips
			 * "../" once; tomcat's "..;" to pass one that looks
			 * for "../" */
			if (k >= 4 || (k < l && c[i + k] == ';'))
				evasive |= EVADE_CODED;
			/* "..;" as a whole segment between separators */
			semi |= k == 2 && k < l && c[i + k] == ';' && (i > 0 || j < n);
			if (depth < mind)
				mind = depth;
		} else if (l > 0 && !(l == 1 && c[i] == '.')) {
			depth++;
		}
		i = j + 1;
	}
	/* a pair of dots one of which a decoder before us unescaped
	 * ("images/\\x2e\\x2e/x"): the step is spelt evasively */
	if (dots > 0 && !step_coded && v->raw && payload_path_esc_pair(v->raw, v->rawn)) {
		step_coded = 1;
		evasive |= EVADE_CODED;
	}
	/* names start a component (or follow a dot: "..htaccess"), so only
	 * those positions are compared, the first byte before the rest */
	t = c;
	tn = n;
	/* both need a '/': lo without one is its own collapsed form (canon's
	 * copy may hold one made of a backslash) */
	if ((c != v->lo || payload_has(v, '/')) &&
	    slash_after(c, n)) {
		tn = collapse(c, n, tbuf);
		t = tbuf;
	}
	for (size_t at = 0; at < tn && !target; at++) {
		/* the value's start, then the byte after each '/', ':' or
		 * '.' (after a '.', only a second '.') */
		if (at > 0) {
			size_t q = next_sep(t, tn, at - 1);
			at = q + 1;
			if (at >= tn)
				break;
			if (t[q] == '.' && t[at] != '.')
				continue;
		}
		unsigned char f = (unsigned char)t[at];
		/* no name starts with "..": a run of dots costs one test */
		if (f == '.' && at + 1 < tn && t[at + 1] == '.')
			continue;
		for (size_t k = sens_from[f]; k < sens_to[f]; k++) {
			size_t sl = sens_len[k];
			/* the first byte matched: the second before the call */
			if (tn - at >= sl && t[at + 1] == sens_sorted[k][1] && !memcmp(t + at, sens_sorted[k], sl) &&
			    !sens_other(t, tn, at + sl, sens_sorted[k], sl)) {
				target = 1;
				/* a name alone (or under ~/) that is also a
				 * file users upload, search for or write about */
				bare = payload_path_bare_name(sens_sorted[k]) && !payload_path_abs(t, tn);
				logs = strstr(sens_sorted[k], "log/") || strstr(sens_sorted[k], "logs/");
				meta = !strcmp(sens_sorted[k], "meta-inf/");
				in_url = v->where == PAYLOAD_WHERE_PATH && payload_web_url_before(t, at);
				break;
			}
		}
	}
	if (!target)
		target = special_target(t, tn, v);
	/* macOS, Android, a home's credentials (payload_path_os.c): "~/.aws/
	 * config" is a home as docs write it, told; a bare absolute path a
	 * client's settings or crash report names too (SystemVersion.plist,
	 * an app's databases/) told unless a climb reaches it (a scheme or
	 * a wrapper is judged by its own rule) */
	if (!target && v->where != PAYLOAD_WHERE_PATH && (t[0] == '/' || t[0] == '~') &&
	    (os = payload_path_os_file(t, tn))) {
		target = 1;
		bare = t[0] == '~' || (os == 1 && !dots);
	}
	/* Spring's "classpath*:META-INF/spring/app-*.xml" lists the jars'
	 * resources, "classpath:META-INF/resources/" is one of them: the
	 * loader reads inside the application, no file of the server's. One
	 * named resource ("classpath:/META-INF/MANIFEST.MF") is told, as
	 * classpath:application.yml is; a ".." climbs out of it (killed) */
	if (target && meta && !dots && payload_has(v, ':') && (cp = payload_path_classpath(v->lo, v->n))) {
		/* a directory ("META-INF/resources/"): no file's name */
		const char *ls = memrchr(v->lo, '/', v->n);
		if (cp == 2 || !ls || !memchr(ls, '.', v->n - (size_t)(ls - v->lo)))
			target = 0;
		else
			bare = 1;
	}
	/* a wildcard pattern aimed at a system file: '?' '*' (or Windows'
	 * '<' '>' in a drive path) in a query, form or JSON value */
	if (!target && v->where != PAYLOAD_WHERE_PATH &&
	    (payload_has(v, '?') || payload_has(v, '*') || payload_has(v, '<') || payload_has(v, '>')) &&
	    payload_path_glob_target(t, tn))
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, 80, "wildcard pattern naming a system file");
	/* every wrapper holds "://", "jar:" or "netdoc:" */
	if (payload_has(v, ':') &&
	    (payload_find(v->lo, v->n, 0, "://") < v->n || payload_find(v->lo, v->n, 0, "jar:") < v->n ||
	     payload_find(v->lo, v->n, 0, "netdoc:") < v->n)) {
		/* include() opens a wrapper only at the value's start: one
		 * after a word of a sentence is told to a reader */
		size_t w0 = strspn(v->lo, " \t"), w1 = w0 + strcspn(v->lo + w0, " \t:");
		if (payload_path_wrapper_named(v->lo, v->n) &&
		    !(w1 < v->n && v->lo[w1] != ':' && payload_path_prose(v->lo, v->n)) &&
		    !payload_path_wrapper_told(v->lo, v->n))
			payload_acc_hit(a, PAYLOAD_TRAVERSAL, 90, "php stream wrapper as a file name");
	}
	/* by its absolute path under a system tree (/usr /var /opt /srv
	 * /root /private): a query, form or JSON value's; with an NTFS
	 * stream suffix ("::$data") anywhere, a request path's too */
	if (!target && v->where != PAYLOAD_WHERE_PATH && t[0] == '/' && t[1] && strchr("uvosrp", t[1])) {
		/* a '?' or '#' after the name cuts what the reader appends
		 * ("/opt/x/dbconfig.xml#"), as a NUL does */
		size_t tc = tn;
		/* and so does a run of them ("??", "?#", "?&") */
		while (tc > 1 && (t[tc - 1] == '?' || t[tc - 1] == '#' || t[tc - 1] == '&') && tn - tc < 8)
			tc--;
		target = payload_system_file(t, tc, server_file(t, tc));
	}
	if (!target && payload_has(v, '$') && payload_has(v, ':'))
		target = payload_ntfs_stream(t, tn);
	if (!target && payload_has(v, '.') && (target = payload_path_backup(t, tn)))
		bare = !payload_path_abs(t, tn);
	/* a URL, a UNC path, or a protocol-relative "//host/..." */
	if (payload_has(v, ':') || payload_has(v, '\\') || (v->n > 2 && v->lo[0] == '/' && v->lo[1] == '/')) {
		int strong = 0;
		const char *rfi = payload_path_rfi(v->lo, v->n, &strong);
		if (rfi)
			payload_acc_hit(a, PAYLOAD_TRAVERSAL, strong ? 70 : 50, rfi);
	}
	if (payload_has(v, '/') || payload_has(v, '\\')) {
		const char *why = payload_windows_name(c, n);
		/* a raw disk or volume is told (dd's if=, disk tools' docs name
		 * \\.\PhysicalDrive0 and shadow copies); a sensitive file read
		 * through one is the sensitive-name rule's */
		if (why)
			payload_acc_hit(a, PAYLOAD_TRAVERSAL, strstr(why, "raw disk") ? 50 : 85, why);
		/* nginx's alias off-by-slash: "/assets../x" */
		if (payload_path_alias_climb(c, n))
			payload_acc_hit(a, PAYLOAD_TRAVERSAL, 80, "alias prefix climb (/name../)");
		/* file:/x, file:///x, file://localhost/x, file://etc/x */
		if (payload_at(v->lo, v->n, 0, "file:") && v->n > 6 && (v->lo[5] == '/' || v->lo[5] == '\\'))
			payload_acc_hit(a, PAYLOAD_TRAVERSAL, 80, "file url to a local path");
	}
	/* c:/x/aux.php, ../../nul, \\.\con: Windows opens the device;
	 * payload_path_device finds one only after a drive, "//" or a
	 * ".." step (a climb: dots) */
	if (n > 3 && (dots || c[1] == ':' || (c[0] == '/' && c[1] == '/')) && (dev = payload_path_device(c, n)))
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, dev, "windows device name as a file");
	if (payload_has(v, ':') && payload_data_php(v->lo, v->n))
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, 85, "data url holding php code");
	if (mind < 0 && target)
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, 95, "parent traversal to a sensitive file");
	else if (mind < 0 && dots >= 2 && !(dots <= 3 && !nul && asset_file(c, n)))
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, 85, "parent traversal past the root");
	else if ((mind < 0 && ((evasive & EVADE_CODED) || (evasive && (pair || memchr(c, '/', n))))) ||
		 (step_coded && (evasive & EVADE_CODED)))
		/* a step up past the root in a spelling only a filter evasion
		 * uses; in look-alikes, which text holds (a Japanese "．．．"),
		 * as a pair of dots or in a value with a separator. Under the
		 * root only when the step's own dots are so spelt
		 * ("images/%c0%ae%c0%ae/x"), not for a coded byte elsewhere
		 * (src/../lib uses 0x2f) or four plain dots (docs/..../api) */
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, 80, "parent reference in an evasive spelling");
	else if (mind < 0 && v->raw && payload_odd_climb(v->raw, v->rawn))
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, 80,
				"parent reference encoded at mixed depths or in %u syntax");
	else if (mind < 0 && payload_has(v, '\\') && payload_windows_climb(v->lo, v->n))
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, 70, "parent reference with windows separator");
	else if (n > 2 && (c[0] == '/' || (c[1] == ':' && c[2] == '/')) && payload_root_climb(c, n) &&
		 !asset_file(c, n))
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, 70, "parent reference above an absolute root");
	else if (dots > 0 && v->where != PAYLOAD_WHERE_PATH && server_file(c, n))
		/* a relative reference to a script or configuration file reads
		 * it; one to an image or a stylesheet is a link; "img/../x.php"
		 * stays under the root yet still names a file beside the
		 * pages, not a document a form would carry */
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, 65, "parent reference to a server-side file");
	else if (mind < 0)
		/* one "../" in a parameter is a relative link as often as not;
		 * past the root of a request path it never is */
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, v->where == PAYLOAD_WHERE_PATH ? 75 : 45,
			   "parent reference past the root");
	else if (target && !(dots == 0 && (web_url(v->lo, v->n) || in_url)) &&
		 !(dots == 0 && !evasive && !nul && payload_has(v, ' ') && payload_path_prose(v->lo, v->n)))
		/* a name in a web URL's path (no dot segments) is a page's:
		 * https://example.com/docs/windows/system-requirements; one in
		 * a sentence is named to a reader, not opened; a bare name
		 * that is also an upload's or a search's (appsettings.json,
		 * .npmrc, config.php.bak) is told, not killed; so is a log
		 * file after a directive's or a command's word (a log line,
		 * "access_log /var/log/x.log;": no open() of the value) */
		payload_acc_hit(a, PAYLOAD_TRAVERSAL,
				(bare || (logs && payload_path_lead_word(v->lo, v->n))) && !evasive && !nul ? 50 : 75,
				"sensitive file path");
	/* tomcat resolves "..;x/" as "../" after dropping the parameter, a
	 * proxy before it sees a name: a step written to reach what the
	 * proxy guards, even one that stays under the root */
	if (semi)
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, 80, "parent step with a path parameter (..;/)");
	if (nul)
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, 65, "nul byte in value");
	/* classpath:application.yml, phpinfo.php: told (payload_path_probe.c) */
	if (v->where != PAYLOAD_WHERE_PATH && payload_has(v, 'p') && (t = payload_path_probe(v->lo, v->n)))
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, 50, t);
}
