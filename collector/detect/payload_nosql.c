/* payload_nosql.c - which field a MongoDB query operator applies to.
 *
 * An operator is an attack when it makes a credential check constant
 * (user[$ne]=x, {"password": {"$gt": ""}}) or runs code ($where,
 * $function, $accumulator). The same comparison on a data field
 * (price[$lt]=100, {"age": {"$gte": 18}}) is how Mongo-style filter APIs
 * (Strapi, Parse, Directus, FeathersJS) are queried on purpose: it stays
 * below the kill line. The field is the name an operator's bracket follows
 * (filters[price][$lt]: "price") or the key whose object holds the
 * operator ("age": {"$gte": ...}); an operator with no field, a field
 * too long to be a name, or one that names a credential keeps its score. */
#include <string.h>

#include "collector/detect/payload_int.h"
#include "collector/detect/payload_nosql_int.h"

/* operators that compare or match one field's value */
static const char *const compare_ops[] = {
	"ne", "eq", "gt", "gte", "lt", "lte", "in", "nin", "regex", "exists",
	"not", "elemmatch", "size", "all", "mod", "options",
};

int payload_nosql_compare_op(const char *op, size_t l)
{
	for (size_t k = 0; k < sizeof(compare_ops) / sizeof(compare_ops[0]); k++)
		if (strlen(compare_ops[k]) == l && !memcmp(op, compare_ops[k], l))
			return 1;
	return 0;
}

/* a key naming who logs in or what proves it, lower-case f[0..l) */
static int credential_name(const char *f, size_t l)
{
	static const char *const part[] = {
		"user", "login", "pass", "pwd", "email", "token", "secret", "session",
		"cred", "apikey", "api_key", "admin", "oauth", "auth_", "reset", "jwt", "license",
		"_key", "key_", "passcode", "recovery", "verif",
	};
	static const char *const whole[] = {
		"key", "code", "sid", "uid", "pin", "otp", "role", "auth", "hash", "salt", "mail", "account",
		"pw", "_id", "id", "name", "nonce", "mfa", "totp", "sso",
	};

	for (size_t k = 0; k < sizeof(whole) / sizeof(whole[0]); k++)
		if (strlen(whole[k]) == l && !memcmp(f, whole[k], l))
			return 1;
	for (size_t k = 0; k < sizeof(part) / sizeof(part[0]); k++)
		if (payload_find(f, l, 0, part[k]) < l)
			return 1;
	return 0;
}

static int name_byte(int c)
{
	return payload_is_alnum(c) || c == '-' || c == '.';
}

#define FIELD_MAX 64
#define OBJ_BACK 96 /* bytes back over an operator's siblings */
#define CLAUSE_MAX 128 /* bytes of a logical operator's clauses looked at */

/* the key before the '{' at o ("age": {): its span, 0 when none */
static size_t key_before_obj(const char *lo, size_t o, size_t *fs)
{
	size_t p = o, e;

	while (p > 0 && payload_is_space((unsigned char)lo[p - 1]))
		p--;
	if (p == 0 || lo[p - 1] != ':')
		return 0;
	p--;
	while (p > 0 && payload_is_space((unsigned char)lo[p - 1]))
		p--;
	if (p > 0 && (lo[p - 1] == '"' || lo[p - 1] == '\''))
		p--;
	e = p;
	while (p > 0 && e - p <= FIELD_MAX && name_byte((unsigned char)lo[p - 1]))
		p--;
	if (e == p || e - p > FIELD_MAX)
		return 0;
	*fs = p;
	return e - p;
}

int payload_nosql_data_field(const char *lo, size_t n, size_t b, int bracket)
{
	size_t fs = 0, fl = 0;

	if (b > n)
		return 0;
	if (bracket) {
		/* b: the '[' before the '$' */
		size_t e = b, p;

		if (e > 0 && lo[e - 1] == ']')
			e--;
		p = e;
		while (p > 0 && e - p <= FIELD_MAX && name_byte((unsigned char)lo[p - 1]))
			p--;
		if (e < b && (p == 0 || lo[p - 1] != '['))
			return 0;
		fs = p;
		fl = e - p;
	} else {
		/* b: the operator key's first byte (its quote or '$'); back
		 * over blanks to the '{' that opens its object, or over the
		 * siblings before it ({"$gte": 1, "$lte": 9}) */
		size_t p = b;
		int depth = 0;

		while (p > 0 && payload_is_space((unsigned char)lo[p - 1]))
			p--;
		if (p == 0)
			return 0;
		if (lo[p - 1] == ',') {
			size_t stop = p > OBJ_BACK ? p - OBJ_BACK : 0;

			for (p--; p > stop; p--) {
				char c = lo[p - 1];

				if (c == '}' || c == ']')
					depth++;
				else if ((c == '{' || c == '[') && depth > 0)
					depth--;
				else if (c == '[')
					return 0;
				else if (c == '{')
					break;
			}
			if (p == stop)
				return 0;
		}
		if (lo[p - 1] != '{')
			return 0;
		fl = key_before_obj(lo, p - 1, &fs);
	}
	if (fl == 0 || fl > FIELD_MAX || lo[fs] == '$')
		return 0;
	{
		/* a JSON body is not lower-cased */
		char f[FIELD_MAX + 1];

		for (size_t k = 0; k < fl; k++)
			f[k] = (char)(lo[fs + k] >= 'A' && lo[fs + k] <= 'Z' ? lo[fs + k] | 0x20 : lo[fs + k]);
		return !credential_name(f, fl);
	}
}

int payload_nosql_logical_op(const char *op, size_t l)
{
	return (l == 2 && !memcmp(op, "or", 2)) || (l == 3 && (!memcmp(op, "and", 3) || !memcmp(op, "nor", 3)));
}

/* a negation or an existence test ($ne, $nin, $not, $exists) in a value
 * holding $or or $nor: one clause any document meets makes the whole
 * filter true ({"$or":[{"password":"x"},{"zz":{"$exists":false}}]}):
 * the login bypass, not a data filter */
int payload_nosql_or_tautology(const char *lo, size_t n, const char *op, size_t l)
{
	if (!((l == 2 && !memcmp(op, "ne", 2)) || (l == 3 && (!memcmp(op, "nin", 3) || !memcmp(op, "not", 3))) ||
	      (l == 6 && !memcmp(op, "exists", 6))))
		return 0;
	return payload_find(lo, n, 0, "$or") < n || payload_find(lo, n, 0, "$nor") < n;
}

int payload_nosql_empty_clause(const char *lo, size_t n, size_t p)
{
	/* p: after the operator's key; its value ": [ ... ]": does a clause
	 * "{}" (matches every document) stand among its first bytes */
	size_t end = p + CLAUSE_MAX < n ? p + CLAUSE_MAX : n;

	for (; p < end && lo[p] != ']'; p++)
		if (lo[p] == '{') {
			size_t q = p + 1;

			while (q < end && payload_is_space((unsigned char)lo[q]))
				q++;
			if (q < end && lo[q] == '}')
				return 1;
			/* a clause any document meets: {"zz":{"$exists":false}} */
			if (payload_find(lo, end, p, "$exists") < end || payload_find(lo, end, p, "$ne\"") < end ||
			    payload_find(lo, end, p, "$nin") < end || payload_find(lo, end, p, "$not") < end)
				return 1;
		}
	return 0;
}

/* the bound at p of an ordering comparison: a number other than zero or a
 * negative one (5, 9.99), or a quoted date ("2024-01-01"); its end, or 0.
 * The login bypass compares against what every value beats: "", null, 0,
 * -1 */
static size_t range_bound(const char *lo, size_t n, size_t p)
{
	size_t q = p;
	int nz = 0;

	if (p < n && (lo[p] == '"' || lo[p] == '\'')) {
		/* a calendar date, YYYY-MM-DD, perhaps a time after 'T' or a
		 * blank of digits, ':', '.', 'Z', '+', '-' ("0000-" or
		 * "1000-\u0000" are no date: the bound of a bypass) */
		static const char shape[] = "dddd-dd-dd";

		for (q = p + 1; q < n && shape[q - p - 1]; q++)
			if (shape[q - p - 1] == 'd' ? !(lo[q] >= '0' && lo[q] <= '9') : lo[q] != '-')
				return 0;
		if (q < n && (lo[q] == 't' || lo[q] == 'T' || lo[q] == ' '))
			for (q++; q < n && q - p < 40 && ((lo[q] >= '0' && lo[q] <= '9') || lo[q] == ':' || lo[q] == '.' ||
							  lo[q] == 'z' || lo[q] == 'Z' || lo[q] == '+' || lo[q] == '-'); q++)
				;
		return q < n && lo[q] == lo[p] ? q + 1 : 0;
	}
	for (; q < n && q - p < 24 && ((lo[q] >= '0' && lo[q] <= '9') || lo[q] == '.'); q++)
		nz |= lo[q] >= '1' && lo[q] <= '9';
	return nz && q > p && lo[p] != '.' ? q : 0;
}

int payload_nosql_range_object(const char *lo, size_t n)
{
	size_t p = 0;

	while (p < n && payload_is_space((unsigned char)lo[p]))
		p++;
	if (p >= n || lo[p] != '{')
		return 0;
	for (int m = 0; m < 4; m++) {
		size_t l = 0;
		char op[4];

		for (p++; p < n && payload_is_space((unsigned char)lo[p]); p++)
			;
		if (p + 2 >= n || (lo[p] != '"' && lo[p] != '\'') || lo[p + 1] != '$')
			return 0;
		for (p += 2; p < n && l < 3 && payload_is_alpha((unsigned char)lo[p]); p++)
			op[l++] = (char)(lo[p] | 0x20);
		if (p >= n || (lo[p] != '"' && lo[p] != '\'') ||
		    !((l == 2 && (!memcmp(op, "gt", 2) || !memcmp(op, "lt", 2))) ||
		      (l == 3 && (!memcmp(op, "gte", 3) || !memcmp(op, "lte", 3)))))
			return 0;
		for (p++; p < n && payload_is_space((unsigned char)lo[p]); p++)
			;
		if (p >= n || lo[p] != ':')
			return 0;
		for (p++; p < n && payload_is_space((unsigned char)lo[p]); p++)
			;
		if (!(p = range_bound(lo, n, p)))
			return 0;
		while (p < n && payload_is_space((unsigned char)lo[p]))
			p++;
		if (p < n && lo[p] == ',')
			continue;
		if (p >= n || lo[p] != '}')
			return 0;
		for (p++; p < n && payload_is_space((unsigned char)lo[p]); p++)
			;
		return p == n;
	}
	return 0;
}
