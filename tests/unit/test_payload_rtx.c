/* test_payload_rtx.c - issue 20, helper x (session 12): forms a red team that had not seen our
 * generators found missed (or benign values it found flagged), one row per
 * construct, each written here from the construct rather than copied from
 * their tables. Every value is judged as a query parameter value
 * (payload_scan) and as a form body "a=1&q=<percent-encoded value>"
 * (payload_scan_query): an attack must draw its own kind in both, a benign
 * value nothing in either. */
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
#define X PAYLOAD_XSS
#define N PAYLOAD_NONE

/* the shell's command position after a separator also opens a subshell
 * "(", and a command may be led by redirections ("2>&1 id", ">/tmp/x id")
 * or by a keyword that runs the next word (exec, time, command) */
static void test_cmdi_command_position(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";(id)", C},
		{"|(whoami)", C},
		{"&&(id)", C},
		{";(ls -la)", C},
		{"; (cat /etc/passwd)", C},
		{"a;(sleep 5)", C},
		{"; exec id", C},
		{"; time id", C},
		{"; command id", C},
		{"; 2>&1 id", C},
		{"; >/tmp/x id", C},
		{"; </dev/null id", C},
		{"127.0.0.1;2>/dev/null uname -a", C},
		{"; ${SHELL} -c id", C},
		{"; $BASH -c id", C},
		{"|$SHELL -c 'cat /etc/passwd'", C},
		{"; cat ../../../etc/passwd", C},
		{"| cat ./config.php", C},
		/* look-alikes */
		{"Tom & (Jerry)", N},
		{"salt & (pepper)", N},
		{"see (id) above; time is short", N},
		{"B; time sheet", N},
		{"price: 5 (time limited)", N},
		{"name ||(/*!x*/y)", N},
		{"a > b; c < d", N},
		{"x; 2>1 is true", N},
		{"cost $SHELL company", N},
		{"read more... (see ./docs)", N},
	};
	rt_run("cmdi-position", t, sizeof(t) / sizeof(t[0]));
}

/* a leading separator and a word the lists do not hold, given short
 * options ("; df -h", "& arp -a", "; ss -tlnp"), or a Windows program
 * named with its .exe ("& calc.exe", "| notepad.exe") */
static void test_cmdi_unlisted_lead(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"; df -h", C},
		{"; free -m", C},
		{"; ss -tlnp", C},
		{"& arp -a", C},
		{"; route -n", C},
		{"; iptables -L", C},
		{"; top -b -n 1", C},
		{"127.0.0.1; lsblk -f", C},
		{"& calc.exe", C},
		{"| notepad.exe", C},
		{"127.0.0.1 & calc.exe &", C},
		{"& start calc.exe", C},
		{"user@example.com||df -k", C},
		{"first_last@example.org; free -h", C},
		/* look-alikes */
		{"; re-run", N},
		/* Markdown's inline code naming a command (helper q's
		 * Markdown lines): unlisted words inside backticks are none */
		{"similar to `man -S`.", N},
		{"Use `df -h`.", N},
		{"Windows binary (`node.exe`) in WSL will not work", N},
		{"install with `sudo apt install df`.", N},
		{"& co -op", N},
		{"- item -a", N},
		{"; see -h for help", N},
		{"setup.exe", N},
		{"download setup.exe (20 MB)", N},
		{"a; b -c", N},
		{"mail me@example.com; see -h", N},
		{"user@example.com | re-send", N},
		{"$((id))", N},
	};
	rt_run("cmdi-unlisted", t, sizeof(t) / sizeof(t[0]));
}

/* net's account and share verbs with the switch that acts on them; a
 * pipe into an interpreter after a capitalised word list is prose */
static void test_cmdi_net_switch_and_pipes(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"| net user hacker P@ss /add", C},
		{"&& net user hacker Password1 /ADD", C},
		{"127.0.0.1 & net localgroup administrators hacker /add &", C},
		{"& net group \"Domain Admins\" /domain", C},
		{"; net user guest /active:yes", C},
		{"ECHO AWQ=|BASE64 -D|SH", C},
		/* look-alikes */
		{"Java | Python | Ruby", N},
		{"Go | Perl | PHP", N},
		{"net user growth /add more", N},
		{"Gross & net user count", N},
		{"see net/add", N},
	};
	rt_run("cmdi-net-pipes", t, sizeof(t) / sizeof(t[0]));
}

/* Netscape's mocha: scheme, which the old cheat sheets still list beside
 * livescript: */
static void test_xss_mocha(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"<IMG SRC=\"mocha:[code]\">", X},
		{"<a href='mocha:alert(1)'>x</a>", X},
		{"mocha latte: (hot) = 4.50", N},
		{"<p>mocha: a coffee</p>", N},
	};
	rt_run("xss-mocha", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmdi_command_position),
		cmocka_unit_test(test_cmdi_unlisted_lead),
		cmocka_unit_test(test_cmdi_net_switch_and_pipes),
		cmocka_unit_test(test_xss_mocha),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
