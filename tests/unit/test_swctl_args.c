/* test_swctl_args.c - swctl's command line: options before or after the
 * command words, each command's own options and arguments, clear refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tools/swctl_args.h"

/* Split a line on spaces into argv (argv[0] = "swctl") and parse it. */
static int parse(const char *line, struct swctl_args *a, char *err, size_t errlen)
{
	static char buf[512];
	char *argv[32] = { "swctl" };
	int argc = 1;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *t = strtok(buf, " "); t && argc < 31; t = strtok(NULL, " "))
		argv[argc++] = t;
	err[0] = '\0';
	return swctl_args_parse(argc, argv, a, err, errlen);
}

struct ok_case {
	const char *line;
	enum swctl_args_cmd cmd;
	int json;
	const char *arg;
};

static void commands_and_options_in_any_order(void **state)
{
	static const struct ok_case cases[] = {
		{ "hosts", SWCTL_ARGS_HOSTS, 0, NULL },
		{ "--json hosts", SWCTL_ARGS_HOSTS, 1, NULL },
		{ "hosts --json", SWCTL_ARGS_HOSTS, 1, NULL },
		{ "--json events --limit 5", SWCTL_ARGS_EVENTS, 1, NULL },
		{ "events --json tail --count 3", SWCTL_ARGS_EVENTS_TAIL, 1, NULL },
		{ "--json incident show 42", SWCTL_ARGS_INCIDENT_SHOW, 1, "42" },
		{ "incident --limit=7 show 42 --json", SWCTL_ARGS_INCIDENT_SHOW, 1, "42" },
		{ "block", SWCTL_ARGS_BLOCKS, 0, NULL },
		{ "--json block ls", SWCTL_ARGS_BLOCKS, 1, NULL },
		{ "blocks --rule sqli", SWCTL_ARGS_BLOCKS, 0, NULL },
		{ "block add 10.213.0.9/32 --ttl 15m --json", SWCTL_ARGS_BLOCK_ADD, 1, "10.213.0.9/32" },
		{ "--json block add --identity alice", SWCTL_ARGS_BLOCK_ADD, 1, NULL },
		{ "block rm 17", SWCTL_ARGS_BLOCK_RM, 0, "17" },
		{ "allow", SWCTL_ARGS_ALLOW, 0, NULL },
		{ "allow ls --json", SWCTL_ARGS_ALLOW, 1, NULL },
		{ "allow add 10.213.0.0/16 --note office", SWCTL_ARGS_ALLOW_ADD, 0, "10.213.0.0/16" },
		{ "--json status --metrics 127.0.0.1:9465", SWCTL_ARGS_STATUS, 1, NULL },
		{ "keygen /tmp/k", SWCTL_ARGS_KEYGEN, 0, "/tmp/k" },
		{ "help", SWCTL_ARGS_HELP, 0, NULL },
		{ "--help", SWCTL_ARGS_HELP, 0, NULL },
		{ "events -h", SWCTL_ARGS_HELP, 0, NULL },
		{ "-- hosts", SWCTL_ARGS_HOSTS, 0, NULL },
		{ "apis", SWCTL_ARGS_APIS, 0, NULL },
		{ "apis --json --host h1 --authority api.x --data-class card", SWCTL_ARGS_APIS, 1, NULL },
		{ "--json api show 7", SWCTL_ARGS_API_SHOW, 1, "7" },
		{ "apis export --openapi --authority api.x", SWCTL_ARGS_APIS_EXPORT, 0, NULL },
		{ "--openapi apis export", SWCTL_ARGS_APIS_EXPORT, 0, NULL },
	};
	struct swctl_args a;
	char err[160];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = parse(cases[i].line, &a, err, sizeof(err));

		if (rc != 0)
			fail_msg("'%s': refused: %s", cases[i].line, err);
		assert_int_equal(a.cmd, cases[i].cmd);
		assert_int_equal(a.json, cases[i].json);
		if (cases[i].arg)
			assert_string_equal(a.arg, cases[i].arg);
		else
			assert_null(a.arg);
	}
}

static void values_are_parsed(void **state)
{
	struct swctl_args a;
	char err[160];

	assert_int_equal(parse("events --since 2h --limit 20 --host h1 --rule sqli", &a, err, sizeof(err)), 0);
	assert_int_equal(a.since_s, 7200);
	assert_string_equal(a.since, "2h");
	assert_int_equal(a.limit, 20);
	assert_string_equal(a.host, "h1");
	assert_string_equal(a.rule, "sqli");
	assert_int_equal(a.ttl_s, -1);

	assert_int_equal(parse("block add 10.0.0.1 --ttl=90s --reason scanner", &a, err, sizeof(err)), 0);
	assert_int_equal(a.ttl_s, 90);
	assert_string_equal(a.reason, "scanner");
	assert_int_equal(a.since_s, -1);

	assert_int_equal(parse("events tail --count 3 --for 10", &a, err, sizeof(err)), 0);
	assert_int_equal(a.count, 3);
	assert_int_equal(a.for_s, 10);

	assert_int_equal(parse("keygen /tmp/k web-1", &a, err, sizeof(err)), 0);
	assert_string_equal(a.arg2, "web-1");
}

struct bad_case {
	const char *line;
	const char *says; /* a piece of the message */
};

static void refusals_name_the_problem(void **state)
{
	static const struct bad_case cases[] = {
		{ "", "which command" },
		{ "--json", "which command" },
		{ "frobnicate", "unknown command 'frobnicate'" },
		{ "hosts --jsn", "unknown option '--jsn'" },
		{ "hosts -j", "unknown option '-j'" },
		{ "hosts --ttl 5m", "--ttl does not apply to 'hosts'" },
		{ "events --count 3", "--count does not apply to 'events'" },
		{ "events tail --since 1h", "--since does not apply to 'events tail'" },
		{ "hosts extra", "does not take 'extra'" },
		{ "incident show", "needs an id" },
		{ "incident show 1 2", "does not take '2'" },
		{ "keygen", "needs a directory" },
		{ "events --limit", "--limit needs a value" },
		{ "events --limit 0", "--limit takes a whole number" },
		{ "events --limit 5x", "--limit takes a whole number" },
		{ "events --since yesterday", "--since wants a duration" },
		{ "events --since -5m", "--since wants a duration" },
		{ "block add 10.0.0.1 --ttl 0s", "--ttl wants a duration" },
		{ "hosts --json=1", "--json takes no value" },
		{ "block add", "an address" },
		{ "block add 10.0.0.1 --identity bob", "not both" },
		{ "allow rm", "an address" },
		{ "a b c d e f g", "too many arguments" },
		{ "apis export", "needs a format: --openapi" },
		{ "apis export --openapi --json", "--json does not apply to 'apis export'" },
		{ "apis --openapi", "--openapi does not apply to 'apis'" },
		{ "api show", "needs an id" },
		{ "api show 1x", "numeric id" },
		{ "api show 12345678901234567890", "numeric id" },
	};
	struct swctl_args a;
	char err[160];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (parse(cases[i].line, &a, err, sizeof(err)) != -1)
			fail_msg("'%s' was accepted", cases[i].line);
		if (!strstr(err, cases[i].says))
			fail_msg("'%s': message '%s' lacks '%s'", cases[i].line, err, cases[i].says);
	}
}

static void durations(void **state)
{
	assert_int_equal(swctl_args_dur("90"), 90);
	assert_int_equal(swctl_args_dur("90s"), 90);
	assert_int_equal(swctl_args_dur("15m"), 900);
	assert_int_equal(swctl_args_dur("2h"), 7200);
	assert_int_equal(swctl_args_dur("7d"), 604800);
	assert_int_equal(swctl_args_dur("36500d"), 36500L * 86400);
	assert_int_equal(swctl_args_dur("36501d"), -1);
	assert_int_equal(swctl_args_dur("5w"), -1);
	assert_int_equal(swctl_args_dur("5mm"), -1);
	assert_int_equal(swctl_args_dur(""), -1);
	assert_int_equal(swctl_args_dur(" 5"), -1);
	assert_int_equal(swctl_args_dur("+5"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(commands_and_options_in_any_order),
		cmocka_unit_test(values_are_parsed),
		cmocka_unit_test(refusals_name_the_problem),
		cmocka_unit_test(durations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
