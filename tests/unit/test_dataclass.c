/* test_dataclass.c - sensitive data classes: a table of true and false
 * cases per class (validators, not patterns), JSON paths, and bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "collector/inventory/dataclass.h"

struct row {
	const char *name; /* field name or NULL */
	const char *val;
	int kind;         /* expected class, or -1: none at all */
};

#define NONE (-1)

static const struct row rows[] = {
	/* payment cards: Luhn and a network's prefix and length */
	{ NULL, "4111111111111111", DATACLASS_CARD },
	{ NULL, "card 4012888888881881 on file", DATACLASS_CARD },
	{ NULL, "5555555555554444", DATACLASS_CARD },
	{ NULL, "2223003122003222", DATACLASS_CARD },
	{ NULL, "378282246310005", DATACLASS_CARD },
	{ NULL, "6011111111111117", DATACLASS_CARD },
	{ NULL, "3530111333300000", DATACLASS_CARD },
	{ NULL, "30569309025904", DATACLASS_CARD },
	{ NULL, "4111 1111 1111 1111", DATACLASS_CARD },
	{ NULL, "4111-1111-1111-1111", DATACLASS_CARD },
	{ NULL, "4111111111111112", NONE },      /* Luhn fails */
	{ NULL, "1234567812345670", NONE },      /* Luhn ok, no network */
	{ NULL, "4111 1111-1111 1111", NONE },   /* mixed separators */
	{ NULL, "41111111111111110", NONE },     /* Visa has no 17 digits */
	{ NULL, "1700000000000", NONE },         /* a timestamp in ms */
	{ NULL, "order-4111111111111111", NONE },/* part of an identifier */
	{ NULL, "3.4111111111111111", NONE },    /* a decimal fraction */
	/* IBAN: country length and mod 97 */
	{ NULL, "GB82WEST12345698765432", DATACLASS_IBAN },
	{ NULL, "DE89370400440532013000", DATACLASS_IBAN },
	{ NULL, "pay to GB82 WEST 1234 5698 7654 32 today", DATACLASS_IBAN },
	{ NULL, "FR1420041010050500013M02606", DATACLASS_IBAN },
	{ NULL, "GB82WEST12345698765433", NONE },  /* check digits */
	{ NULL, "DE8937040044053201300", NONE },   /* length */
	{ NULL, "ZZ82WEST12345698765432", NONE },  /* no such country */
	/* email */
	{ NULL, "alice@example.com", DATACLASS_EMAIL },
	{ NULL, "Contact: bob.smith+tag@mail.example.co.uk.", DATACLASS_EMAIL },
	{ NULL, "@handle", NONE },
	{ NULL, "user@localhost", NONE },
	{ NULL, "a@b.c", NONE },
	{ NULL, "foo@bar", NONE },
	{ NULL, "x@.example.com", NONE },
	{ NULL, "pkg@1.2.3", NONE },
	/* SSN: only in a field named like one, never-issued ranges out */
	{ "ssn", "123-45-6789", DATACLASS_SSN },
	{ "customer_SSN", "078051120", DATACLASS_SSN },
	{ "socialSecurityNumber", "219-09-9999", DATACLASS_SSN },
	{ "ssn", "000-12-3456", NONE },
	{ "ssn", "666-12-3456", NONE },
	{ "ssn", "900-12-3456", NONE },
	{ "ssn", "123-00-6789", NONE },
	{ "order", "123-45-6789", NONE },
	{ NULL, "123456789", NONE },
	/* phone: a '+' country code, or a field named like a phone */
	{ NULL, "+1 415 555 2671", DATACLASS_PHONE },
	{ NULL, "call +44 20 7946 0958", DATACLASS_PHONE },
	{ "phone", "(415) 555-2671", DATACLASS_PHONE },
	{ "mobileNumber", "0612345678", DATACLASS_PHONE },
	{ "tel", "030 1234567", DATACLASS_PHONE },
	{ NULL, "+12", NONE },
	{ NULL, "call 555 1234", NONE },
	{ "hotel", "5551234567", NONE },
	{ "phone", "unknown", NONE },
	/* JWT: a header that decodes to JSON naming "alg" */
	{ NULL, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", DATACLASS_JWT },
	{ NULL, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", DATACLASS_JWT },
	{ NULL, "eyJub3RhbGciOjF9.eyJ4IjoxfQ.c2ln", NONE },
	{ NULL, "eyJhbGciOi", NONE },
	/* bearer */
	{ NULL, "Bearer abcdefghijklmnop1234", DATACLASS_BEARER },
	{ NULL, "bearer of bad news", NONE },
	/* vendor keys and tokens */
	{ NULL, "AKIAIOSFODNN7EXAMPLE", DATACLASS_AWS_KEY },
	{ NULL, "id=AKIAIOSFODNN7EXAMPL", NONE },
	{ NULL, "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", DATACLASS_GITHUB_TOKEN },
	{ NULL, "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345678", NONE },
	{ NULL, "glpat-aB3dE5gH7jK9mN1pQ3sT", DATACLASS_GITLAB_TOKEN },
	{ NULL, "glpat-short", NONE },
	{ NULL, "xoxb-123456789012-1234567890123-abcdefghijklmnopqrstuvwx", DATACLASS_SLACK_TOKEN },
	{ NULL, "xoxo-hugs", NONE },
	{ NULL, "AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI", DATACLASS_GOOGLE_KEY },
	{ NULL, "AIzaSyDdI0hCZtE6vySjMm", NONE },
	/* PEM private keys */
	{ NULL, "-----BEGIN RSA PRIVATE KEY-----\nMIIEow", DATACLASS_PRIVATE_KEY },
	{ NULL, "-----BEGIN OPENSSH PRIVATE KEY-----", DATACLASS_PRIVATE_KEY },
	{ NULL, "-----BEGIN CERTIFICATE-----", NONE },
	{ NULL, "-----BEGIN PUBLIC KEY-----", NONE },
	/* secrets: a field named like one with a real value */
	{ "password", "hunter2!x", DATACLASS_SECRET },
	{ "client_secret", "d41d8cd98f00b204", DATACLASS_SECRET },
	{ "apiKey", "k-77a1f0", DATACLASS_SECRET },
	{ "password", "", NONE },
	{ "password", "********", NONE },
	{ "password_hint", "first pet", NONE },
	{ "password", "${DB_PASSWORD}", NONE },
	{ "password", "<redacted>", NONE },
	{ "passwordLength", "12", NONE },
	{ "key", "color", NONE },
	{ "token_expires", "2026-12-04T10:00:00Z", NONE },
	/* plain benign text */
	{ NULL, "The quick brown fox, order #12345, total 99.95 EUR", NONE },
	{ NULL, "2026-12-04T10:00:00Z", NONE },
	{ NULL, "550e8400-e29b-41d4-a716-446655440000", NONE },
};

static void test_table(void **state)
{
	size_t i;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct dataclass_counts c;
		unsigned got;

		memset(&c, 0, sizeof(c));
		got = dataclass_scan_value(r->name, r->name ? strlen(r->name) : 0,
					   r->val, strlen(r->val), &c, NULL, NULL);
		if (r->kind == NONE ? got != 0
				    : (c.n[r->kind] != 1 || got != 1)) {
			print_error("row %zu (%s=\"%s\"): %u findings, want %s\n",
				    i, r->name ? r->name : "-", r->val, got,
				    r->kind == NONE ? "none"
						    : dataclass_kind_names[r->kind]);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_validators(void **state)
{
	(void)state;
	assert_true(dataclass_luhn("79927398713", 11));
	assert_false(dataclass_luhn("79927398710", 11));
	assert_false(dataclass_luhn("7992739871x", 11));
	assert_true(dataclass_card_network("4111111111111111", 16));
	assert_false(dataclass_card_network("4111111111111111", 15));
	assert_true(dataclass_iban_valid("NO9386011117947", 15));
	assert_false(dataclass_iban_valid("NO9386011117948", 15));
}

struct seen {
	char paths[8][DATACLASS_MAX_PATH + 1];
	int kinds[8];
	int n;
};

static void on_found(void *ctx, const char *path, enum dataclass_kind kind)
{
	struct seen *s = ctx;

	if (s->n < 8) {
		snprintf(s->paths[s->n], sizeof(s->paths[0]), "%s", path);
		s->kinds[s->n++] = (int)kind;
	}
}

static void test_json_paths(void **state)
{
	static const char body[] =
		"{\"customers\":[{\"name\":\"A\",\"email\":\"a@example.com\","
		"\"card\":\"4111111111111111\"},{\"email\":\"b\\u0040example.org\","
		"\"card\":5555555555554444,\"phones\":[\"+14155552671\"]}],"
		"\"auth\":{\"password\":\"s3cr3t-pw\"},\"ssn\":\"123-45-6789\"}";
	struct dataclass_counts c;
	struct seen s;

	(void)state;
	memset(&c, 0, sizeof(c));
	memset(&s, 0, sizeof(s));
	assert_int_equal(dataclass_scan_json(body, sizeof(body) - 1, &c, on_found, &s), 7);
	assert_int_equal(c.n[DATACLASS_EMAIL], 2);
	assert_int_equal(c.n[DATACLASS_CARD], 2);
	assert_int_equal(c.n[DATACLASS_PHONE], 1);
	assert_int_equal(c.n[DATACLASS_SECRET], 1);
	assert_int_equal(c.n[DATACLASS_SSN], 1);
	assert_int_equal(c.total, 7);
	assert_string_equal(s.paths[0], "$.customers[].email");
	assert_string_equal(s.paths[1], "$.customers[].card");
	assert_string_equal(s.paths[3], "$.customers[].card");
	assert_string_equal(s.paths[4], "$.customers[].phones[]");
	assert_string_equal(s.paths[5], "$.auth.password");
	assert_string_equal(s.paths[6], "$.ssn");
}

/* Deep nesting, a huge string, garbage: bounded, no crash, and a class
 * after the deep part is still found. */
static void test_bounds(void **state)
{
	static char body[200000];
	struct dataclass_counts c;
	size_t n = 0, i;

	(void)state;
	for (i = 0; i < 5000; i++)
		body[n++] = '[';
	for (i = 0; i < 5000; i++)
		body[n++] = ']';
	n += (size_t)snprintf(body + n, 64, ",\"x\":\"");
	for (i = 0; i < 100000; i++)
		body[n++] = 'a';
	n += (size_t)snprintf(body + n, 64, " alice@example.com\"}");
	memset(&c, 0, sizeof(c));
	dataclass_scan_json(body, n, &c, NULL, NULL);
	assert_int_equal(c.n[DATACLASS_EMAIL], 1);
	memset(body, '@', sizeof(body));
	memset(&c, 0, sizeof(c));
	dataclass_scan_value(NULL, 0, body, sizeof(body), &c, NULL, NULL);
	assert_int_equal(c.total, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_validators),
		cmocka_unit_test(test_json_paths),
		cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
