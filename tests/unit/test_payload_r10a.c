/* test_payload_r10a.c - issue 21, review of the tenth round's merge
 * (sqli and command injection): the spaced command with an English tail
 * (payload_shellc_english_tail) told, not killed, only as prose writes
 * it; after an address or a closed quote the same words are a payload's
 * ("127.0.0.1; useradd hacker", "'; bash shell"). */
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

/* an address or a file's name before the separator, or a quote that
 * closes the application's string: the command's plain words kill */
static void test_english_tail_after_payload_lead(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"127.0.0.1; useradd hacker", C},
		{"8.8.8.8 | bash shell", C},
		{"127.0.0.1 && killall sshd", C},
		{"example.com; sh exploit", C},
		{"localhost.localdomain | nc attacker", C},
		{"'; useradd hacker", C},
		{"\"; bash shell", C},
		{"x'; userdel admin", C},
		{"10.0.0.5 & whoami section", C},
		/* a wrapper before the command: a command line's shape */
		{"; nohup bash shell", C},
		{"; timeout 9 bash shell", C},
		{"| sudo useradd hacker", C},
		{"; nice python exploit", C},
	};
	/* prose keeps its finding below the kill line */
	static const char *const told[] = {"pets & whoami section", "hamster; whoami and dogs", "; useradd colors",
					   "Tom & Jerry", "1 & bash sitter"};
	rt_run_kill("english tail after a payload's lead", C, t, sizeof(t) / sizeof(t[0]));
	rt_below_kill("english tail in prose", told, sizeof(told) / sizeof(told[0]));
}

/* MSSQL's BULK INSERT stacked: its FROM names a file in a string; a
 * how-to's words after a separator are no statement */
static void test_bulk_insert_file(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{";BULK INSERT t FROM 'c:\\x'", PAYLOAD_SQLI},
		{"1; bulk insert users from '\\\\10.0.0.1\\s\\u.csv'-- ", PAYLOAD_SQLI},
	};
	static const char *const told[] = {"Tips; bulk insert data from csv", "Import guide; bulk insert rows from file"};
	rt_run_kill("bulk insert", PAYLOAD_SQLI, t, sizeof(t) / sizeof(t[0]));
	rt_below_kill("bulk insert prose", told, sizeof(told) / sizeof(told[0]));
}

/* one byte off the merge's PowerShell and PHP forms: iex given a group
 * or a tab, Set-Alias's named parameters, PHP's blank before '(' */
static void test_runtime_names_spelled_apart(void **st)
{
	(void)st;
	static const struct rtcase t[] = {
		{"; iex('who'+'ami')", C},
		{"; iex (\"who\"+\"ami\")", C},
		{"; iex\t'whoami'", C},
		{";iex($env:x)", C},
		{";sal -Name x -Value iex", C},
		{";set-alias -name x -value iex; x 'whoami'", C},
		{"$f = 'system'; $f ('id')", C},
		{";vim %2B':!sh'", C},
		{";vi %2B:!id", C},
		{"vim %2B42 notes.txt", N},
		{";script /dev/null -c sh", C},
		{"| script -q /dev/null -c bash", C},
		{"script -q /dev/null -c 'make test'", N},
		{"Aliases: gci; iex (Invoke-Expression)", N},
		{"Set-Alias -Name np -Value notepad", N},
	};
	rt_run_kill("runtime names spelled apart", C, t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_english_tail_after_payload_lead),
		cmocka_unit_test(test_bulk_insert_file),
		cmocka_unit_test(test_runtime_names_spelled_apart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
