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
	/* the Azure CLI's token caches (tokens only, as .aws/credentials);
	 * MySQL's tree holds debian.cnf (the maintenance user's password) */
	".azure/accesstokens.json", ".azure/msal_token_cache", "etc/mysql/",
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

/* Canonical copy: '\' -> '/', other spellings of '/' and '.' folded
 * (payload_path_char). Returns its length; *evasive gets EVADE_CODED when a '.'
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
		int pc, tail;

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
			   (pc = payload_path_char((const unsigned char *)lo + i, n - i, &used))) {
			MARK(mark, w);
			out[w++] = (char)pc;
			i += used - 1;
			/* the look-alikes' lead bytes; no overlong form starts so */
			*evasive |= c == 0xEF || c == 0xE2 ? EVADE_ALIKE : EVADE_CODED;
		} else if (c == '%' && w + 2 < cap && (pc = payload_path_split_esc(lo, n, i, &used, &tail))) {
			/* "%2%e": dotdotpwn's "%%32%%65" once decoded */
			MARK(mark, w);
			out[w++] = (char)pc;
			if (tail == '0' && i + 5 < n && lo[i + 3] == 'x') {
				/* the digit began "0x2f" ("%%32%%650x2f") */
				unsigned char z[4] = {'0', 'x', (unsigned char)lo[i + 4], (unsigned char)lo[i + 5]};
				size_t zu;
				if ((tail = payload_path_char(z, 4, &zu)) != 0)
					used += 3;
				else
					tail = '0';
			}
			if (tail >= 0)
				out[w++] = (char)tail;
			i += used - 1;
			*evasive |= EVADE_CODED;
		} else if ((c == '%' || c >= 0xC0) && (pc = payload_path_lenient_char(lo, n, i, &used))) {
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
	 * software keeps: kernel state, databases, the document root (not
	 * an image, a stylesheet or a page there: the site serves those to
	 * anyone; a CMS's upload form names them) */
	if (n > s + 6 && c[s] == '/' && !memchr(c, ' ', n) &&
	    (payload_at(c, n, s + 1, "sys/") || payload_at(c, n, s + 1, "var/lib/") ||
	     payload_at(c, n, s + 1, "var/www/") || payload_at(c, n, s + 1, "usr/local/etc/")) &&
	    memchr(c + s + 5, '/', n - s - 5) && payload_is_alnum((unsigned char)c[n - 1]) &&
	    (c[s + 1] == 's' || (tree_file(c, n, s) && !payload_path_kind_served(c, n))))
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
	    payload_path_kind_server(c, n) && payload_path_win_tree(c + 3, n - 3))
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

/* The name at t[at] follows "NAME=~/": a variable set to a file in the
 * home, as docs and CI configuration write it (export
 * KUBECONFIG=~/.kube/config, AWS_CONFIG_FILE=~/.aws/config): a setting,
 * told as a "~/" credential path is (payload_path_os.c) */
static int env_home(const char *t, size_t at)
{
	size_t b;

	if (at < 4 || t[at - 1] != '/' || t[at - 2] != '~' || t[at - 3] != '=')
		return 0;
	for (b = at - 3; b > 0 && at - 3 - b < 64 && (payload_is_alnum((unsigned char)t[b - 1]) || t[b - 1] == '_'); b--)
		;
	return b < at - 3 && (b == 0 || t[b - 1] == ' ');
}

/* What payload_trav_scan reads of a value before its verdict: the
 * canonical copy c (lo itself when canon would change nothing) and its
 * collapsed form t, the climb (depth, dots, the lowest depth, how the
 * steps are spelt) and the file named (target, and how: bare, a log's,
 * META-INF's, a directory's, in a web URL) */
struct trav_read {
	char cbuf[PAYLOAD_MAX_VALUE + 1], tbuf[PAYLOAD_MAX_VALUE + 1];
	const char *c, *t;
	size_t n, tn;
	int step_coded; /* a climbing step itself spelt evasively */
	int nul, depth, mind, dots, evasive, semi, pair;
	int target, bare, logs, meta, dir, in_url; /* logs: the name is a log directory's;
						     * dir: a directory's, the value ends with it */
};

/* The canonical copy and the climb: r->c, r->n and the step counts */
static void trav_climbs(const struct payload_val *v, struct trav_read *rd)
{
	char *cbuf = rd->cbuf;
	uint64_t mark[PAYLOAD_MAX_VALUE / 64 + 1];
	int step_coded = 0;
	const char *c = v->lo;
	int nul = 0, depth = 0, mind = 0, dots = 0, evasive = 0, semi = 0, pair = 0;
	size_t n = v->n;

	/* canon changes only NUL, '\\', '0' before 'x' (0x2e), '%' and bytes
	 * from 0xC0 (has[3]); without them the canonical copy is lo itself
	 * (NUL-terminated too); payload_path_char reads a '0' only before an 'x' */
	if (payload_has(v, 0) || payload_has(v, '\\') ||
	    (payload_has(v, '0') && payload_has(v, 'x') && payload_find(v->lo, v->n, 0, "0x") < v->n) ||
	    payload_has(v, '%') || v->has[3] != 0 || n + 1 > sizeof(rd->cbuf)) {
		memset(mark, 0, sizeof(mark));
		n = canon(v->lo, v->n, cbuf, sizeof(rd->cbuf), &nul, &evasive, mark);
		c = cbuf;
	}

	/* a look-alike written in IIS's %uXXXX, which no browser or client
	 * library emits, is no text */
	if (evasive == EVADE_ALIKE && v->raw && payload_path_percent_u(v->raw, v->rawn))
		evasive = EVADE_CODED;
	/* a climb is a component of two dots or more: with no ".." in c
	 * the walk below changes nothing (depth only feeds mind) */
	size_t i0 = payload_find(c, n, 0, "..") < n ? 0 : n;
	/* "c:..\\x": Windows climbs from the drive's current directory */
	if (i0 == 0 && n > 4 && payload_is_alpha((unsigned char)c[0]) && c[1] == ':' && c[2] == '.' && c[3] == '.')
		i0 = 2;
	for (size_t i = i0; i < n;) {
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
			 * for "../"; a run of dots with no path after it
			 * ("....", "..../") is punctuation */
			if ((k >= 4 && j + 1 < n) || (k < l && c[i + k] == ';'))
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
	rd->c = c;
	rd->n = n;
	rd->step_coded = step_coded;
	rd->nul = nul;
	rd->depth = depth;
	rd->mind = mind;
	rd->dots = dots;
	rd->evasive = evasive;
	rd->semi = semi;
	rd->pair = pair;
}

/* The sensitive name the value reaches, by the list, a special target,
 * a macOS/Android/home file or a classpath resource: r->t and r->target
 * and how it is named */
static void trav_names(const struct payload_val *v, struct trav_read *r)
{
	const char *c = r->c, *t;
	char *tbuf = r->tbuf;
	size_t n = r->n, tn;
	int dots = r->dots, target = 0, bare = 0, logs = 0, meta = 0, dir = 0, in_url = 0, os, cp;

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
				/* a web server's tree (c:\inetpub\wwwroot\,
				 * c:\xampp\htdocs\): its images and pages are
				 * what the site serves anyone */
				if (!dots && sens_sorted[k][sl - 1] == '/' && payload_path_kind_served(t, tn) &&
				    (!strcmp(sens_sorted[k], "inetpub/") || !strcmp(sens_sorted[k], "xampp/") ||
				     !strcmp(sens_sorted[k], "lampp/")))
					break;
				target = 1;
				/* a name alone (or under ~/) that is also a
				 * file users upload, search for or write about */
				bare = (payload_path_bare_name(sens_sorted[k]) && !payload_path_abs(t, tn)) ||
				       env_home(t, at);
				logs = strstr(sens_sorted[k], "log/") || strstr(sens_sorted[k], "logs/");
				meta = !strcmp(sens_sorted[k], "meta-inf/");
				dir = sens_sorted[k][sl - 1] == '/' && at + sl == tn;
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
	r->t = t;
	r->tn = tn;
	r->target = target;
	r->bare = bare;
	r->logs = logs;
	r->meta = meta;
	r->dir = dir;
	r->in_url = in_url;
}

/* A file named by its place rather than its name: under a system tree,
 * an NTFS stream, a backup copy */
static void trav_system(const struct payload_val *v, struct trav_read *r)
{
	const char *t = r->t;
	size_t tn = r->tn;
	int target = r->target;

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
		target = payload_system_file(t, tc, payload_path_kind_server(t, tc));
	}
	if (!target && payload_has(v, '$') && payload_has(v, ':'))
		target = payload_ntfs_stream(t, tn);
	if (!target && payload_has(v, '.') && (target = payload_path_backup(t, tn)))
		r->bare = !payload_path_abs(t, tn);
	r->target = target;
}

/* What a value reaches by other means than a climb to a name: a remote
 * include, a Windows name or device, an alias climb, a file: URL, a
 * data: URL holding PHP */
static void trav_refs(const struct payload_val *v, const struct trav_read *r, struct payload_acc *a)
{
	const char *c = r->c;
	size_t n = r->n;
	int dots = r->dots, dev;

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
}

/* The verdict on the climb and the name */
static void trav_verdict(const struct payload_val *v, const struct trav_read *r, struct payload_acc *a)
{
	const char *c = r->c, *why;
	size_t n = r->n;
	int nul = r->nul, mind = r->mind, dots = r->dots, target = r->target, evasive = r->evasive;
	int semi = r->semi, pair = r->pair, bare = r->bare, logs = r->logs, dir = r->dir, in_url = r->in_url;
	int step_coded = r->step_coded;

	if (mind < 0 && target)
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, 95, "parent traversal to a sensitive file");
	else if (mind < 0 && dots >= 2 && !(dots <= 3 && !nul && payload_path_kind_asset(c, n)) &&
		 !(dots <= 5 && !nul && !evasive && payload_has(v, '\'') + payload_has(v, '"') &&
		   payload_path_module_spec(v->lo, v->n)))
		/* not a module a statement of code imports relatively */
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
	else if (mind < 0 && payload_has(v, '\\') && payload_windows_climb(v->lo, v->n) &&
		 !(dots <= 3 && !nul && payload_path_kind_served(c, n)))
		/* not to an image or a stylesheet, as with '/' above: a
		 * project's "..\assets\icon.ico" */
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, 70, "parent reference with windows separator");
	else if (n > 2 && (c[0] == '/' || (c[1] == ':' && c[2] == '/')) && payload_root_climb(c, n) &&
		 !payload_path_kind_asset(c, n))
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, 70, "parent reference above an absolute root");
	else if (dots > 0 && v->where != PAYLOAD_WHERE_PATH && payload_path_kind_server(c, n))
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
	else if (target && !(dots == 0 && (payload_path_kind_web(v->lo, v->n) || in_url)) &&
		 !(dir && dots == 0 && !evasive && !nul && v->where != PAYLOAD_WHERE_PATH) &&
		 !(dots == 0 && !evasive && !nul && payload_has(v, ' ') &&
		   (payload_path_prose(v->lo, v->n) || payload_path_name_words(v->lo, v->n))))
		/* a directory alone ("~/.ssh/", "/etc/nginx/") opens no
		 * file: a setting's or a doc's value, as "~/.ssh" is;
		 * a name in a web URL's path (no dot segments) is a page's:
		 * https://example.com/docs/windows/system-requirements; one in
		 * a sentence, or first before words (a search: ".htaccess
		 * redirect"), is named to a reader, not opened; a bare name
		 * that is also an upload's or a search's (appsettings.json,
		 * .npmrc, config.php.bak) is told, not killed; so is a log
		 * file after a directive's or a command's word (a log line,
		 * "access_log /var/log/x.log;": no open() of the value), and
		 * a key's path after chmod or ssh-add (a setup step), and a
		 * sentence whose subject is a classic target ("/etc/passwd is
		 * the user database on Linux", an error line) */
		payload_acc_hit(a, PAYLOAD_TRAVERSAL,
				(bare || (logs && payload_path_lead_word(v->lo, v->n)) ||
				 (dots == 0 && payload_path_perm_cmd(v->lo, v->n)) ||
				 (dots == 0 && payload_has(v, ' ') && payload_path_prose_led(v->lo, v->n))) &&
						!evasive && !nul ? 50 : 75,
				"sensitive file path");
	/* tomcat resolves "..;x/" as "../" after dropping the parameter, a
	 * proxy before it sees a name: a step written to reach what the
	 * proxy guards, even one that stays under the root */
	if (semi)
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, 80, "parent step with a path parameter (..;/)");
	if (nul)
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, 65, "nul byte in value");
	/* classpath:application.yml, phpinfo.php: told (payload_path_probe.c) */
	if (v->where != PAYLOAD_WHERE_PATH && payload_has(v, 'p') && (why = payload_path_probe(v->lo, v->n)))
		payload_acc_hit(a, PAYLOAD_TRAVERSAL, 50, why);
}

void payload_trav_scan(const struct payload_val *v, struct payload_acc *a)
{
	struct trav_read r;
	const char *t;
	size_t tn;
	int target;

	trav_climbs(v, &r);
	trav_names(v, &r);
	t = r.t;
	tn = r.tn;
	target = r.target;
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
		    !payload_path_wrapper_told(v->lo, v->n)) {
			if (payload_path_jar_dir(v->lo, v->n))
				payload_acc_hit(a, PAYLOAD_TRAVERSAL, 50, "java archive directory url");
			else
				payload_acc_hit(a, PAYLOAD_TRAVERSAL, 90, "php stream wrapper as a file name");
		}
	}
	trav_system(v, &r);
	trav_refs(v, &r, a);
	trav_verdict(v, &r, a);
}
