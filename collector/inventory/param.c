/* param.c - request parameters and their value types; see param.h. */
#include "collector/inventory/param.h"

#include <stdio.h>
#include <string.h>

#include "collector/inventory/jsonwalk.h"
#include "common/digit.h"

const char *const param_where_names[PARAM__WHERE_COUNT] = {
	[PARAM_PATH] = "path",
	[PARAM_QUERY] = "query",
	[PARAM_FORM] = "form",
	[PARAM_JSON] = "json",
};

#define TYPE_SCAN 256 /* bytes of a value looked at to type it */

static int dig(int c) { return c >= '0' && c <= '9'; }

static int all_digits(const char *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!dig(v[i]))
			return 0;
	return n > 0;
}

/* -?digits(.digits)?([eE][+-]?digits)? */
static int is_number(const char *v, size_t n, int *integer)
{
	size_t i = 0, d = 0;

	*integer = 1;
	if (i < n && (v[i] == '-' || v[i] == '+'))
		i++;
	for (; i < n && dig(v[i]); i++)
		d++;
	if (i < n && v[i] == '.') {
		*integer = 0;
		for (i++; i < n && dig(v[i]); i++)
			d++;
	}
	if (d == 0)
		return 0;
	if (i < n && (v[i] == 'e' || v[i] == 'E')) {
		size_t e = 0;

		*integer = 0;
		i++;
		if (i < n && (v[i] == '-' || v[i] == '+'))
			i++;
		for (; i < n && dig(v[i]); i++)
			e++;
		if (!e)
			return 0;
	}
	return i == n;
}

static int is_uuid(const char *v, size_t n)
{
	size_t i;

	if (n != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (v[i] != '-')
				return 0;
		} else if (digit_hex((unsigned char)v[i]) < 0) {
			return 0;
		}
	}
	return 1;
}

static int is_email(const char *v, size_t n)
{
	const char *at = memchr(v, '@', n);
	const char *dot;
	size_t i;

	if (!at || at == v || at == v + n - 1 || n > 254)
		return 0;
	for (i = 0; i < n; i++)
		if (v[i] == ' ' || v[i] == '<' || v[i] == '>' || v[i] == ',' ||
		    (v + i != at && v[i] == '@'))
			return 0;
	dot = memchr(at, '.', (size_t)(v + n - at));
	return dot && dot > at + 1 && dot < v + n - 2;
}

/* YYYY-MM-DD, optionally THH:MM(:SS(.fff)?)?(Z|+HH:MM)? (RFC 3339). */
static int is_datetime(const char *v, size_t n)
{
	size_t i;

	if (n < 10 || !all_digits(v, 4) || v[4] != '-' || !all_digits(v + 5, 2) ||
	    v[7] != '-' || !all_digits(v + 8, 2))
		return 0;
	if (v[5] > '1' || v[8] > '3')
		return 0;
	if (n == 10)
		return 1;
	if ((v[10] != 'T' && v[10] != 't' && v[10] != ' ') || n < 16 ||
	    !all_digits(v + 11, 2) || v[13] != ':' || !all_digits(v + 14, 2))
		return 0;
	for (i = 16; i < n; i++)
		if (!(dig(v[i]) || strchr(":.+-Zz", v[i])) || v[i] == '\0')
			return 0;
	return 1;
}

unsigned param_type_of(const char *v, size_t n)
{
	int integer;

	if (n > TYPE_SCAN)
		return PARAM_T_STRING;
	if (n == 0)
		return PARAM_T_STRING;
	if (is_number(v, n, &integer))
		return integer ? PARAM_T_INTEGER : PARAM_T_NUMBER;
	if ((n == 4 && memcmp(v, "true", 4) == 0) ||
	    (n == 5 && memcmp(v, "false", 5) == 0))
		return PARAM_T_BOOLEAN;
	if (is_uuid(v, n))
		return PARAM_T_UUID;
	if (is_datetime(v, n))
		return PARAM_T_DATETIME;
	if (is_email(v, n))
		return PARAM_T_EMAIL;
	return PARAM_T_STRING;
}

unsigned param_type_json(int type, const char *v, size_t n)
{
	int integer;

	switch (type) {
	case JSONWALK_OBJECT:
		return PARAM_T_OBJECT;
	case JSONWALK_ARRAY:
		return PARAM_T_ARRAY;
	case JSONWALK_NUMBER:
		return is_number(v, n, &integer) && integer ? PARAM_T_INTEGER
							    : PARAM_T_NUMBER;
	case JSONWALK_LITERAL:
		if (n == 4 && memcmp(v, "null", 4) == 0)
			return PARAM_T_NULL;
		if ((n == 4 && memcmp(v, "true", 4) == 0) ||
		    (n == 5 && memcmp(v, "false", 5) == 0))
			return PARAM_T_BOOLEAN;
		return PARAM_T_STRING;
	default: {
		/* a JSON string stays a string: "42" is not an integer */
		unsigned t = param_type_of(v, n);

		return t & (PARAM_T_UUID | PARAM_T_EMAIL | PARAM_T_DATETIME) ?
		       t : PARAM_T_STRING;
	}
	}
}

const char *param_type_name(unsigned bits, const char **format)
{
	unsigned b = bits & ~PARAM_T_NULL; /* null: the value may be absent */

	*format = "";
	if (b == 0)
		return bits ? "null" : "string";
	if (b == PARAM_T_INTEGER)
		return "integer";
	if ((b & ~(PARAM_T_INTEGER | PARAM_T_NUMBER)) == 0)
		return "number";
	if (b == PARAM_T_BOOLEAN)
		return "boolean";
	if (b == PARAM_T_OBJECT)
		return "object";
	if (b == PARAM_T_ARRAY)
		return "array";
	if (b == PARAM_T_UUID)
		*format = "uuid";
	else if (b == PARAM_T_EMAIL)
		*format = "email";
	else if (b == PARAM_T_DATETIME)
		*format = "date-time";
	return "string";
}

/* Form-decode v into out (at most cap bytes): '+' and %XX. */
static size_t form_decode(const char *v, size_t n, char *out, size_t cap)
{
	size_t i, k = 0;

	for (i = 0; i < n && k < cap; i++) {
		char c = v[i];

		if (c == '+') {
			c = ' ';
		} else if (c == '%' && i + 2 < n && digit_hex((unsigned char)v[i + 1]) >= 0 &&
			   digit_hex((unsigned char)v[i + 2]) >= 0) {
			int hi = digit_hex((unsigned char)v[i + 1]);
			int lo = digit_hex((unsigned char)v[i + 2]);

			c = (char)(hi << 4 | lo);
			i += 2;
		}
		out[k++] = c;
	}
	return k;
}

/* An item without '=' ("?debug", "?sk_live_...") is a flag name only when
 * it reads like one; anything else is a value (a token, a key) and the
 * inventory never keeps values. */
static int flag_name(const char *s, size_t n)
{
	if (!n || n > 16)
		return 0; /* longer: a token more often than a flag */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return 0;
	}
	return 1;
}

void param_walk_query(const char *q, size_t len, enum param_where where,
		      param_fn fn, void *ctx)
{
	size_t i = 0;

	while (i < len) {
		size_t b = i, eq = 0, e;
		char name[PARAM_MAX_NAME], val[TYPE_SCAN + 1];
		size_t nn, vn;

		while (i < len && q[i] != '&' && q[i] != ';')
			i++;
		e = i++;
		for (eq = b; eq < e && q[eq] != '='; eq++)
			;
		if (eq == b)
			continue; /* "" or "=x": no name */
		nn = form_decode(q + b, eq - b, name, sizeof(name));
		if (eq == e && !flag_name(name, nn))
			continue;
		vn = eq < e ? form_decode(q + eq + 1, e - eq - 1, val, sizeof(val)) : 0;
		fn(ctx, where, name, nn, val, vn,
		   eq < e && e - eq - 1 > TYPE_SCAN ? PARAM_T_STRING
						    : param_type_of(val, vn));
	}
}

struct jctx {
	param_fn fn;
	void *ctx;
};

static void on_json(void *ctx, const struct jsonwalk_item *it)
{
	struct jctx *j = ctx;
	size_t n = strlen(it->path);

	if (it->piece)
		return; /* one long string counts once */
	if (n == 1)
		return; /* the body itself */
	j->fn(j->ctx, PARAM_JSON, it->path, n < PARAM_MAX_NAME ? n : PARAM_MAX_NAME,
	      it->val, it->vlen, param_type_json((int)it->type, it->val, it->vlen));
}

void param_walk_json(const char *body, size_t len, param_fn fn, void *ctx)
{
	struct jctx j = { fn, ctx };

	jsonwalk(body, len, len, on_json, &j);
}

int param_is_slot(const char *seg, size_t len)
{
	size_t i;

	if (len < 3 || seg[0] != '{' || seg[len - 1] != '}')
		return 0;
	for (i = 1; i + 1 < len; i++) {
		char c = seg[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      dig(c) || c == '_'))
			return 0;
	}
	return 1;
}

void param_walk_path(const char *tmpl, const char *path, param_fn fn,
		     void *ctx)
{
	char seen[8][24];
	unsigned nseen = 0, seg = 0;
	const char *t = tmpl, *p = path;

	while (*t == '/' && *p == '/') {
		const char *te, *pe;

		t++;
		p++;
		te = strchr(t, '/');
		pe = strchr(p, '/');
		if (!te)
			te = t + strlen(t);
		if (!pe)
			pe = p + strlen(p);
		seg++;
		if (param_is_slot(t, (size_t)(te - t))) {
			char name[32];
			size_t nl = (size_t)(te - t - 2), k;
			int dup = 0;

			if (nl > 22)
				nl = 22;
			memcpy(name, t + 1, nl);
			name[nl] = '\0';
			for (k = 0; k < nseen; k++)
				dup |= strcmp(seen[k], name) == 0;
			if (!dup && nseen < 8)
				memcpy(seen[nseen++], name, nl + 1);
			else
				nl += (size_t)snprintf(name + nl, sizeof(name) - nl,
						       "%u", seg);
			fn(ctx, PARAM_PATH, name, nl, p, (size_t)(pe - p),
			   param_type_of(p, (size_t)(pe - p)));
		}
		t = te;
		p = pe;
	}
}
