/* payload_path_os.c - files an attacker reads that the /etc and Windows
 * rules of payload_path.c do not name: macOS's and Android's system and
 * per-app trees, credentials in a user's home (cloud tools, registries),
 * Windows device names (CON, NUL, COM1: opened whatever the extension
 * and directory), and nginx's alias off-by-slash ("/assets../"). Each
 * reads the canonical path (lower case, '\\' read as '/') that
 * payload_path.c built; every rule needs a '/' or a '.', bytes of the
 * traversal gate. */
#include "collector/detect/payload_int.h"

#include <string.h>

/* c[p..n) goes on below the directory just matched: a name follows
 * (not the directory alone, which a setting names) and the value ends
 * in a name's byte, not a '/' */
static int below(const char *c, size_t n, size_t p)
{
	return p < n && c[p] != '/' && payload_is_alnum((unsigned char)c[n - 1]);
}

/* after c[p] (a user's name, up to its '/'): the offset past that '/' */
static size_t skip_name(const char *c, size_t n, size_t p)
{
	while (p < n && c[p] != '/')
		p++;
	return p + 1;
}

/* macOS: its /etc and databases under /private, the system's and a
 * user's Library (preferences, keychains, cookies). 2 for what is a
 * secret by itself (/private/etc, the directory service's database,
 * root's home, a keychain), 1 for what a desktop client's settings,
 * diagnostics and crash reports name as well (preferences, the
 * system's version plist, the user's cookies and mail) */
static int macos_file(const char *c, size_t n, size_t home)
{
	/* not launchdaemons/ or launchagents/: services' plists, which
	 * install docs name */
	static const char *const lib[] = {"preferences/", "keychains/", "cookies/", "safari/", "messages/", "mail/"};
	size_t p = home;

	if (!home) {
		if (payload_at(c, n, 0, "/private/etc/"))
			return below(c, n, 13) ? 2 : 0;
		if (payload_at(c, n, 0, "/private/var/db/") || payload_at(c, n, 0, "/private/var/root/"))
			return below(c, n, c[13] == 'd' ? 16 : 18) ? 2 : 0;
		if (payload_at(c, n, 0, "/system/library/coreservices/"))
			return below(c, n, 29) && memchr(c + 29, '.', n - 29);
		p = 1;
	}
	if (!payload_at(c, n, p, "library/"))
		return 0;
	p += 8;
	for (size_t k = 0; k < sizeof(lib) / sizeof(lib[0]); k++)
		if (payload_at(c, n, p, lib[k]))
			return below(c, n, p + strlen(lib[k])) ? (lib[k][0] == 'k' ? 2 : 1) : 0;
	return 0;
}

/* Android: an app's private data (/data/data/<package>/,
 * /data/user/<n>/<package>/), the system's settings and Wi-Fi keys
 * (/data/system/, /data/misc/), the build properties. 2 for the
 * system's (its accounts, packages and Wi-Fi keys), 1 for an app's own
 * tree and build.prop: what an app logs and uploads in its crash
 * reports, what modding forums discuss */
static int android_file(const char *c, size_t n)
{
	size_t p;

	/* not an app's files on shared storage (/sdcard/Android/data/,
	 * /storage/emulated/0/...): photos and downloads apps send */
	if (payload_at(c, n, 0, "/system/build.prop"))
		return n == 18; /* 1: told bare */
	if (!payload_at(c, n, 0, "/data/"))
		return 0;
	if (payload_at(c, n, 6, "system/") || payload_at(c, n, 6, "misc/")) {
		/* a file with an extension (packages.xml, wpa_supplicant.conf) */
		p = c[6] == 's' ? 13 : 11;
		size_t last = n;
		while (last > p && c[last - 1] != '/')
			last--;
		return below(c, n, p) && memchr(c + last, '.', n - last) ? 2 : 0;
	}
	/* in an app's own tree, its preferences, databases and WebView
	 * state (tokens, sessions, cookies); its files/ and cache/ are what
	 * its pickers hand back (image_picker, file_picker) */
	if (payload_at(c, n, 6, "data/"))
		p = 11;
	else if (payload_at(c, n, 6, "user/") || payload_at(c, n, 6, "user_de/")) {
		p = c[10] == '/' ? 11 : 14;
		if (p >= n || c[p] < '0' || c[p] > '9')
			return 0;
		p = skip_name(c, n, p);
	} else
		return 0;
	/* the package: a reverse domain name (com.example.app) */
	size_t e = p;
	while (e < n && c[e] != '/')
		e++;
	if (e <= p || e >= n || !memchr(c + p, '.', e - p))
		return 0;
	static const char *const own[] = {"shared_prefs/", "databases/", "app_webview/", "no_backup/"};
	for (size_t k = 0; k < sizeof(own) / sizeof(own[0]); k++)
		if (payload_at(c, n, e + 1, own[k]))
			return below(c, n, e + 1 + strlen(own[k]));
	return 0;
}

/* A user's home: "~/", "/home/<u>/", "/users/<u>/", "/root/", or 0 */
static size_t home_at(const char *c, size_t n)
{
	if (n > 2 && c[0] == '~' && c[1] == '/')
		return 2;
	if (payload_at(c, n, 0, "/root/"))
		return 6;
	if (payload_at(c, n, 0, "/home/"))
		return skip_name(c, n, 6);
	if (payload_at(c, n, 0, "/users/"))
		return skip_name(c, n, 7);
	return 0;
}

/* A credential file in a user's home (h: after its '/'): the cloud
 * tools' and registries' directories of keys and tokens. 2 for a file
 * that holds nothing but a credential (.vault-token, .pypirc) and the
 * directories of keys; 1 for the cloud CLIs' configuration trees
 * (.azure/, gcloud/, gh/: settings and tokens side by side), which a
 * CLI's own error reports and support threads name */
static int home_secret(const char *c, size_t n, size_t h)
{
	static const char *const dir[] = {".aws/", ".terraform.d/", ".docker/", ".kube/", ".ssh/", ".gnupg/"};
	static const char *const cli[] = {".azure/", ".config/gcloud/", ".config/gh/"};
	static const char *const file[] = {".vault-token", ".pypirc", ".s3cfg", ".boto", ".dockercfg"};

	for (size_t k = 0; k < sizeof(dir) / sizeof(dir[0]); k++)
		if (payload_at(c, n, h, dir[k]))
			return below(c, n, h + strlen(dir[k])) ? 2 : 0;
	for (size_t k = 0; k < sizeof(cli) / sizeof(cli[0]); k++)
		if (payload_at(c, n, h, cli[k]))
			return below(c, n, h + strlen(cli[k]));
	for (size_t k = 0; k < sizeof(file) / sizeof(file[0]); k++)
		if (payload_at(c, n, h, file[k]) && h + strlen(file[k]) == n)
			return 2;
	/* Maven's settings (its repositories' passwords) in a named home:
	 * 1; as docs write it ("add this to ~/.m2/settings.xml"), none */
	if (c[0] != '~' && payload_at(c, n, h, ".m2/settings.xml") && h + 16 == n)
		return 1;
	return 0;
}

/* c[0..n): canonical path with no blank. Non-zero when it names a
 * macOS, Android or home credential file by its absolute (or "~/")
 * path: 2 for a secret by itself, 1 for a file a client's settings or
 * crash report names too (the caller tells a bare one, kills it after
 * a climb; and tells any "~/" one: docs and support steps write a home
 * so) */
int payload_path_os_file(const char *c, size_t n)
{
	size_t h;
	int r;

	if (n < 8 || (c[0] != '/' && c[0] != '~') || memchr(c, ' ', n))
		return 0;
	h = home_at(c, n);
	if (h && h < n && ((r = home_secret(c, n, h)) || (r = macos_file(c, n, h))))
		return r;
	if (c[0] != '/')
		return 0;
	return (r = macos_file(c, n, 0)) ? r : android_file(c, n);
}

/* A Windows device name as the last name of c[0..n): the console, the
 * null device, the serial and parallel ports. Windows opens the device
 * for "con", "con.txt" and "c:\x\con.php" alike: a read that hangs or
 * returns nothing, a probe no file name is. Returns 85 in the device
 * namespace ("\\.\con"), 75 after a step up or a drive (50 after a
 * drive with an extension: a file input's "C:\fakepath\Con.pdf"), else 0: the
 * bare word ("con" is Spanish, "pro/con" a pair), and a name with an
 * extension alone ("aux.js", "Con.pdf": files outside Windows) */
int payload_path_device(const char *c, size_t n)
{
	static const char *const dev[] = {"con", "prn", "aux", "nul", "conin$", "conout$", "clock$"};
	size_t s = n, e, l;
	int found = 0;

	while (s > 0 && c[s - 1] != '/' && c[s - 1] != ':')
		s--;
	for (e = s; e < n && c[e] != '.'; e++)
		;
	l = e - s;
	if ((l == 4 && (payload_at(c, n, s, "com") || payload_at(c, n, s, "lpt")) && c[s + 3] >= '1' && c[s + 3] <= '9'))
		found = 1;
	for (size_t k = 0; k < sizeof(dev) / sizeof(dev[0]) && !found; k++)
		found = strlen(dev[k]) == l && !memcmp(c + s, dev[k], l);
	if (!found || memchr(c, ' ', n) || payload_find(c, n, 0, "://") < n)
		return 0;
	/* the extension: letters and digits only ("con.txt", not "aux.c++") */
	for (size_t k = e + 1; k < n; k++)
		if (!payload_is_alnum((unsigned char)c[k]))
			return 0;
	if (s == 4 && c[0] == '/' && c[1] == '/' && (c[2] == '.' || c[2] == '?') && c[3] == '/')
		return 85;
	if (payload_find(c, s, 0, "../") < s)
		return 75;
	/* after a drive: with an extension, a file a browser's file input
	 * reports as "C:\fakepath\Con.pdf" ("con" is Spanish "with"),
	 * told; without one ("C:\CON", "C:\nul.") the device */
	if (s >= 2 && c[1] == ':' && payload_is_alpha((unsigned char)c[0]))
		return e + 1 < n ? 50 : 75;
	return 0;
}

/* nginx's "location /assets { alias /srv/assets/; }" (no trailing
 * slash) serves "/assets../x" as "/srv/assets/../x": the request path
 * (or a value naming one) starts "/<name>../" and goes on (after any
 * run of slashes: nginx merges "..//x" into "../x") */
int payload_path_alias_climb(const char *c, size_t n)
{
	size_t p = 1;

	if (n < 6 || c[0] != '/')
		return 0;
	while (p < n && (payload_is_alnum((unsigned char)c[p]) || c[p] == '-' || c[p] == '_'))
		p++;
	if (p <= 1 || p + 3 >= n || c[p] != '.' || c[p + 1] != '.' || c[p + 2] != '/')
		return 0;
	p += 3;
	while (p < n && c[p] == '/')
		p++;
	return p < n && (payload_is_alnum((unsigned char)c[p]) || c[p] == '.' || c[p] == '_');
}

/* Spring's resource location, "classpath:" or "classpath*:" (every match
 * on the class path), at the value's start or after a separator (a
 * list of locations, a path's segment): 2 when lo[0..n) holds a
 * "classpath*:", 1 when a "classpath:", else 0. The
 * loader reads inside the application: "classpath*:META-INF/x-*.xml"
 * lists the jars' own resources */
int payload_path_classpath(const char *lo, size_t n)
{
	for (size_t at = payload_find(lo, n, 0, "classpath"); at < n; at = payload_find(lo, n, at + 9, "classpath")) {
		size_t e = at + 9 + (at + 9 < n && lo[at + 9] == '*');
		if (e < n && lo[e] == ':' && (at == 0 || !payload_is_alnum((unsigned char)lo[at - 1])))
			return e > at + 9 ? 2 : 1;
	}
	return 0;
}
