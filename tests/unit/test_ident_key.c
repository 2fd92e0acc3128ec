/* test_ident_key.c - the key identities are hashed with (ident_key_setup):
 * the fleet identity key file (32 hex digits) wins, a malformed or missing
 * one is an error that leaves the key as it was, else a key derived from the
 * correlator's public key, else the key stays. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "collector/detect/ident.h"
#include "common/sha1.h"

#define PROBE "apikey:probe"

static const uint8_t start_key[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

/* the key in use, seen through the hash it gives */
static uint64_t with_key(const uint8_t key[16])
{
	return ident_siphash24(key, PROBE, strlen(PROBE));
}

static uint64_t current(void)
{
	return ident_hash(PROBE, strlen(PROBE));
}

static void write_file(char *path, const char *text)
{
	int fd;

	strcpy(path, "/tmp/sw-identkey-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void key_file_of_32_hex_digits_is_the_key(void **state)
{
	static const char *texts[] = {
		"000102030405060708090a0b0c0d0e0f\n",
		"000102030405060708090A0B0C0D0E0F  \n", /* upper case, trailing space */
	};
	uint8_t want[16];
	char path[64], err[256];

	for (int i = 0; i < 16; i++)
		want[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		ident_set_key(start_key);
		write_file(path, texts[i]);
		assert_int_equal(ident_key_setup(path, NULL, err, sizeof(err)), 0);
		assert_int_equal(current(), with_key(want));
		unlink(path);
	}
}

static void malformed_key_file_is_refused_and_the_key_kept(void **state)
{
	static const char *texts[] = {
		"",
		"0123\n",
		"000102030405060708090a0b0c0d0e0\n",   /* 31 digits */
		"000102030405060708090a0b0c0d0e0f0\n", /* 33 */
		"000102030405060708090a0b0c0d0e0g\n",  /* not hex */
		"00 102030405060708090a0b0c0d0e0f\n",
	};
	char path[64], err[256];

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		ident_set_key(start_key);
		write_file(path, texts[i]);
		err[0] = '\0';
		assert_int_equal(ident_key_setup(path, NULL, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "must hold 32 hex digits"));
		assert_non_null(strstr(err, path));
		assert_int_equal(current(), with_key(start_key));
		unlink(path);
	}
}

static void missing_key_file_is_an_error_even_with_a_public_key(void **state)
{
	char pub[64], err[256];

	ident_set_key(start_key);
	write_file(pub, "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID\n");
	assert_int_equal(ident_key_setup("/nonexistent/identity.key", pub, err, sizeof(err)),
			 -ENOENT);
	assert_string_equal(err, "identity_key /nonexistent/identity.key: No such file or directory");
	assert_int_equal(current(), with_key(start_key));
	unlink(pub);
}

static void public_key_derives_the_key_when_no_key_file(void **state)
{
	static const char pubkey[] = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
	uint8_t dig[SHA1_DIGEST_LEN];
	char pub[64], keyf[64], err[256] = "";
	char text[96];

	snprintf(text, sizeof(text), "sidewatch identity key v1%s", pubkey);
	sha1(text, strlen(text), dig);
	snprintf(text, sizeof(text), "%s\n", pubkey);
	write_file(pub, text);

	ident_set_key(start_key);
	assert_int_equal(ident_key_setup("", pub, err, sizeof(err)), 0);
	assert_int_equal(current(), with_key(dig)); /* its first 16 bytes */

	/* the key file, when given, wins */
	write_file(keyf, "ffffffffffffffffffffffffffffffff\n");
	assert_int_equal(ident_key_setup(keyf, pub, err, sizeof(err)), 0);
	memset(dig, 0xff, sizeof(dig));
	assert_int_equal(current(), with_key(dig));
	unlink(pub);
	unlink(keyf);
}

static void nothing_usable_keeps_the_key(void **state)
{
	char pub[64], err[256] = "";

	ident_set_key(start_key);
	assert_int_equal(ident_key_setup(NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(ident_key_setup("", "", err, sizeof(err)), 0);
	assert_int_equal(ident_key_setup(NULL, "/nonexistent/corr.pub", err, sizeof(err)), 0);
	write_file(pub, "\n"); /* an empty public key derives nothing */
	assert_int_equal(ident_key_setup(NULL, pub, err, sizeof(err)), 0);
	assert_int_equal(current(), with_key(start_key));
	assert_string_equal(err, "");
	unlink(pub);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key_file_of_32_hex_digits_is_the_key),
		cmocka_unit_test(malformed_key_file_is_refused_and_the_key_kept),
		cmocka_unit_test(missing_key_file_is_an_error_even_with_a_public_key),
		cmocka_unit_test(public_key_derives_the_key_when_no_key_file),
		cmocka_unit_test(nothing_usable_keeps_the_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
