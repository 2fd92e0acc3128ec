/* payload_data.c - injections into the data formats and runtimes behind an API
 * rather than into a query language: Shellshock (a bash function definition
 * where bash imports one from the environment), NoSQL operator injection
 * (MongoDB query operators smuggled in through keys or JSON objects, and
 * JavaScript statements aimed at $where), and prototype pollution
 * (__proto__ and constructor.prototype as keys). XXE lives in payload_xml.c. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_nosql_int.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

/* ---- Shellshock ----------------------------------------------------------- */

/* bash (before 4.3 patch 25) imports an environment variable whose value
 * starts with "() {" as a function and runs what follows the definition.
 * A CGI server puts every header and parameter into the environment, so the
 * payload is a value starting with "() {" and a body, "() { :; }; cmd". In
 * code the same bytes follow a name (function () {, foo() {): the byte
 * before "()" decides. */
static void shellshock_in(const struct payload_val *v, struct payload_acc *a, int whole_header);

static void shellshock(const struct payload_val *v, struct payload_acc *a)
{
	shellshock_in(v, a, 0);
}

/* The body s[b..e) is one short word then ';' on one line ("{ _; }",
 * "{ true; }"): the exploit's no-op */
static int one_word_body(const char *s, size_t b, size_t e)
{
	size_t w;

	while (b < e && (s[b] == ' ' || s[b] == '\t'))
		b++;
	for (w = b; w < e && (payload_is_alnum((unsigned char)s[w]) || s[w] == '_'); w++)
		;
	if (w == b || w - b > 8)
		return 0;
	while (w < e && (s[w] == ' ' || s[w] == '\t'))
		w++;
	if (w >= e || s[w] != ';')
		return 0;
	for (w++; w < e && (s[w] == ' ' || s[w] == '\t'); w++)
		;
	return w == e;
}

/* What follows a closed definition ('}' at s[e]): the index of a command
 * that bash runs once it has imported the function, n if none. A
 * separator or redirection (";", "&", "|", "<", ">") then a word; a line
 * break then a word only after a one-line no-op body (nl_ok), as a
 * JavaScript snippet runs on to its next line ("() {\n  return 1;\n}\nf();") */
static size_t after_def(const char *s, size_t n, size_t e, int nl_ok)
{
	size_t t = e + 1;
	int sep = 0;

	for (; t < n; t++) {
		unsigned char c = (unsigned char)s[t];

		if (c == ';' || c == '&' || c == '|' || c == '<' || c == '>')
			sep = 1;
		else if (c == '\n' || c == '\r')
			sep |= nl_ok;
		else if (c != ' ' && c != '\t')
			break;
	}
	return sep && t < n ? t : n;
}

/* The definition whose "()" is at i and body ends at e is named in a
 * sentence: its name (":" of the fork bomb ":(){ :|:& };:") follows a
 * word and a blank, and after the call of that name ("};:") a blank and
 * a word or the sentence's end go on: "The fork bomb :(){ :|:& };: will
 * crash..", "What does :(){ :|:& };: do?" */
static int named_in_prose(const char *s, size_t n, size_t i, size_t e)
{
	size_t b = i, t = e + 1, l;

	while (b > 0 && i - b < 16 && !payload_is_space((unsigned char)s[b - 1]))
		b--;
	l = i - b;
	if (l == 0 || b < 2 || s[b - 1] != ' ' || !payload_is_alpha((unsigned char)s[b - 2]))
		return 0;
	/* ... a word of English, not the shell's keyword before a command
	 * or a definition (;if true;then :(){ :|:& };: fi;fi and ;function
	 * :(){ :|:& };: x run it) */
	{
		size_t w = b - 1;
		while (w > 0 && b - 1 - w < 9 && payload_is_alpha((unsigned char)s[w - 1]))
			w--;
		if ((w == 0 || !payload_is_alpha((unsigned char)s[w - 1])) &&
		    ((b - 1 - w == 4 && (!strncasecmp(s + w, "then", 4) || !strncasecmp(s + w, "else", 4) ||
					 !strncasecmp(s + w, "time", 4))) ||
		     (b - 1 - w == 2 && !strncasecmp(s + w, "do", 2)) ||
		     (b - 1 - w == 8 && !strncasecmp(s + w, "function", 8))))
			return 0;
	}
	while (t < n && (s[t] == ';' || s[t] == ' '))
		t++;
	if (t + l > n || memcmp(s + t, s + b, l) != 0)
		return 0;
	t += l;
	return t < n && ((s[t] == ' ' && t + 1 < n && payload_is_alpha((unsigned char)s[t + 1])) ||
			 ((s[t] == '?' || s[t] == '.' || s[t] == ',') && (t + 1 >= n || s[t + 1] == ' ')));
}

/* A definition's body is read up to its matching brace, at most
 * SHOCK_BODY bytes on. Read from every "() {" that costs SHOCK_BODY bytes
 * a definition (64 KiB of "() {" took 28 s on every place of
 * payload-dump); instead one pass over the value indexes, for each
 * position, the matching '}' of a '{', how many body bytes (not blank, not
 * '{') came before, and where the next ';', '|', "=>" and "() {" start. */
#define SHOCK_BODY 512
#define SHOCK_NONE 0xffff

struct shock_idx {
	uint16_t match[PAYLOAD_MAX_VALUE + 1];
	uint16_t bodyc[PAYLOAD_MAX_VALUE + 2];
	uint16_t nsep[PAYLOAD_MAX_VALUE + 2];
	uint16_t ndef[PAYLOAD_MAX_VALUE + 2];
};

static void shock_index(const char *s, size_t n, struct shock_idx *x)
{
	uint16_t *stack = x->nsep; /* free until filled below */
	size_t sp = 0;

	x->bodyc[0] = 0;
	for (size_t k = 0; k < n; k++) {
		x->match[k] = SHOCK_NONE;
		if (s[k] == '{')
			stack[sp++] = (uint16_t)k;
		else if (s[k] == '}' && sp > 0)
			x->match[stack[--sp]] = (uint16_t)k;
		x->bodyc[k + 1] = (uint16_t)(x->bodyc[k] + (!payload_is_space((unsigned char)s[k]) && s[k] != '{'));
	}
	x->nsep[n] = x->ndef[n] = (uint16_t)n;
	for (size_t k = n; k-- > 0;) {
		x->nsep[k] = (s[k] == ';' || s[k] == '|' || (s[k] == '=' && k + 1 < n && s[k + 1] == '>')) ?
				     (uint16_t)k : x->nsep[k + 1];
		x->ndef[k] = (k + 4 <= n && !memcmp(s + k, "() {", 4)) ? (uint16_t)k : x->ndef[k + 1];
	}
}

/* After "() {" at b: only blanks to the value's end (an empty "() {}"
 * closes a JavaScript method's body as often: none) */
static int shock_cut(const char *s, size_t n, size_t b)
{
	for (; b < n; b++)
		if (!payload_is_space((unsigned char)s[b]))
			return 0;
	return 1;
}

/* whole_header: v is a header's whole value, what bash gets as HTTP_NAME:
 * only a definition at its start is imported (a quoted one further in,
 * cfg={"init":"() { load(); }"} in a Cookie, is JavaScript in a string) */
static void shellshock_in(const struct payload_val *v, struct payload_acc *a, int whole_header)
{
	const char *s = v->s;
	size_t n = v->n;
	struct shock_idx x;
	int indexed = 0;

	if (n > PAYLOAD_MAX_VALUE)
		n = PAYLOAD_MAX_VALUE;
	for (const char *p = memchr(s, '(', n); p; p = memchr(p + 1, '(', n - (size_t)(p + 1 - s))) {
		size_t i = (size_t)(p - s), q = i + 2, b, e;
		int start = 1, body;

		if (i + 1 >= n || s[i + 1] != ')')
			continue;
		while (q < n && (s[q] == ' ' || s[q] == '\t'))
			q++;
		if (q >= n || s[q] != '{')
			continue;
		/* a quoted string that opens with the definition is the
		 * exported function itself: env x='() { :;}; cmd' */
		for (size_t k = i > 0 && (s[i - 1] == '\'' || s[i - 1] == '"') && !whole_header ? 0 : i;
		     k > 0; k--) {
			unsigned char c = (unsigned char)s[k - 1];
			if (c == ' ' || c == '\t' || c == '"' || c == '\'')
				continue;
			start = 0;
			if (payload_is_alnum(c) || c == '$' || c == '.' || c == ')')
				start = -1; /* a name or call: code */
			break;
		}
		/* the exploit's no-op body "{ :; };" then a command, after a
		 * name glued to it (x() { :;}; id) or a product token (a
		 * User-Agent's "Mozilla/5.0 () { :; }; id"); code does not define
		 * a function as only ':', and prose names it after a word */
		if (start < 0) {
			size_t c = q + 1, w = i;
			int token = i > 0 && payload_is_alnum((unsigned char)s[i - 1]);
			while (w > 0 && (s[w - 1] == ' ' || s[w - 1] == '\t'))
				w--;
			/* a product token's version is near: "Mozilla/5.0 () {" */
			for (size_t lim = w > 64 ? w - 64 : 0; !token && w > lim && !payload_is_space((unsigned char)s[w - 1]); w--)
				token = (s[w - 1] >= '0' && s[w - 1] <= '9') || s[w - 1] == '/';
			if (!token)
				continue;
			while (c < n && (s[c] == ' ' || s[c] == '\t'))
				c++;
			if (c + 1 < n && s[c] == ':' && s[c + 1] == ';') {
				for (c += 2; c < n && (s[c] == ' ' || s[c] == '\t'); c++)
					;
				if (c + 1 < n && s[c] == '}' && s[c + 1] == ';')
					payload_acc_hit(a, PAYLOAD_SHELLSHOCK, 85, "bash no-op function definition then a command");
			}
			continue;
		}
		/* the body up to the matching brace, bounded */
		b = q + 1;
		if (!indexed) {
			shock_index(s, n, &x);
			indexed = 1;
		}
		e = x.match[q] != SHOCK_NONE && x.match[q] < b + SHOCK_BODY ? x.match[q] :
		    (b + SHOCK_BODY < n ? b + SHOCK_BODY : n);
		body = x.bodyc[e] > x.bodyc[b];
		/* CVE-2014-7169's "() { (a)=>\\' cmd" never closes: at the
		 * value's start an open definition with a body is enough; a
		 * "=>" that ends at e is not in the body */
		if (start > 0 && body && (e >= n || s[e] != '}') &&
		    (size_t)x.nsep[b] < e && !((size_t)x.nsep[b] + 1 == e && s[e - 1] == '=')) {
			payload_acc_hit(a, PAYLOAD_SHELLSHOCK, 85, "unclosed bash function definition at value start");
			continue;
		}
		/* the probe cut short: a value that is only "() {" is no
		 * JavaScript or shell anyone sends, and defines nothing that
		 * runs: told, not killed */
		if (start > 0 && !body && shock_cut(s, n, b)) {
			payload_acc_hit(a, PAYLOAD_SHELLSHOCK, 55, "bash function definition cut short at value start");
			continue;
		}
		if (!body || e >= n || s[e] != '}')
			continue;
		/* bash runs what follows the definition after a separator or
		 * a redirection: "() { :; }; id", "() { _; } >_[$($())] { id; }".
		 * A body alone runs nothing: "() { return; }", "() { x; }",
		 * "() { $(this).hide(); }" are JavaScript method bodies that
		 * a code-sharing site posts. Two alone still count: the
		 * exploit's no-op probe "() { :; }" (':' starts no JavaScript
		 * statement) and a nested definition, which CVE-2014-6277's
		 * parser bug needs ("() { x() { _; }; x() { _; } <<a; }") */
		if (start) {
			size_t c = b;

			while (c < e && payload_is_space((unsigned char)s[c]))
				c++;
			/* ':' starts no JavaScript statement: bash's null command */
			int colon = c < e && s[c] == ':';

			while (c < e && (payload_is_space((unsigned char)s[c]) || s[c] == ':' || s[c] == ';'))
				c++;
			if (after_def(s, n, e, colon || one_word_body(s, b, e)) < n || c == e ||
			    (size_t)x.ndef[b] + 4 <= e) {
				payload_acc_hit(a, PAYLOAD_SHELLSHOCK, 95, "bash function definition at value start");
				return;
			}
			continue;
		}
		/* inside a value: a definition that is then ended and followed;
		 * in a whole header only the exploit's no-op body ({ :; }), as
		 * bash imports nothing from a definition past its start */
		if (whole_header) {
			size_t c = b;

			while (c < e && (payload_is_space((unsigned char)s[c]) || s[c] == ':' || s[c] == ';'))
				c++;
			if (c != e)
				continue;
		}
		if (after_def(s, n, e, 0) < n) {
			int prose = named_in_prose(s, n, i, e);
			payload_acc_hit(a, PAYLOAD_SHELLSHOCK, prose ? 55 : 85,
					prose ? "bash function definition named in a sentence" :
						"bash function definition followed by a command");
		}
	}
}

/* ---- NoSQL operators ------------------------------------------------------- */

/* MongoDB query operators that change what a filter matches. Others that
 * APIs use for their own ends are left out: OData's $filter/$top/$select,
 * JSON Schema's $schema/$ref/$id, Extended JSON's $oid/$date/$numberLong,
 * .NET's $type. */
static const char *const mongo_ops[] = {
	"ne", "eq", "gt", "gte", "lt", "lte", "in", "nin", "regex", "where",
	"exists", "or", "and", "nor", "not", "expr", "elemmatch", "function",
	"accumulator", "jsonschema", "size", "all", "lookup", "text", "mod",
};

/* length of the operator name at lo[i] (after '$'), 0 if none */
size_t payload_data_mongo_op(const char *lo, size_t n, size_t i)
{
	size_t best = 0;

	/* every name starts with a letter: "[$[$[$" costs one test a '$'
	 * (64 KiB of "[$" spent 25% of its time in 25 strlen() a '$') */
	if (i >= n || lo[i] < 'a' || lo[i] > 'z')
		return 0;
	for (size_t k = 0; k < sizeof(mongo_ops) / sizeof(mongo_ops[0]); k++) {
		size_t l;

		if (mongo_ops[k][0] != lo[i])
			continue;
		l = strlen(mongo_ops[k]);
		if (l > best && payload_at(lo, n, i, mongo_ops[k]) &&
		    !(i + l < n && payload_is_alnum((unsigned char)lo[i + l])))
			best = l;
	}
	return best;
}

/* blanks JavaScript skips between a string's close and ';' (tabs too) */
#define DATA_BREAK_BLANKS 64

/* ---- prototype pollution --------------------------------------------------- */

static int key_edge(int c)
{
	return c == '[' || c == ']' || c == '.' || c == '"' || c == '\'' || c == '=' ||
	       c == '&' || c == '{' || c == ':' || c == '?' || c == '#' || c == '/';
}

/* The "__proto__" at at, taken out by a filter that strips it once,
 * leaves another: __pro__proto__to__. The start of the joined key, or n. */
static size_t proto_rejoined(const char *s, size_t n, size_t at)
{
	static const char k[] = "__proto__";

	for (size_t l = 1; l < 9; l++)
		if (at >= l && !memcmp(s + at - l, k, l) && at + 9 + (9 - l) <= n && !memcmp(s + at + 9, k + l, 9 - l))
			return at - l;
	return n;
}

/* does a property follow s[p..) ('.', '[' or ':' after closing quotes
 * and brackets)? */
static int prop_after(const char *s, size_t n, size_t p)
{
	while (p < n && (s[p] == '"' || s[p] == '\'' || s[p] == ']' || s[p] == ' '))
		p++;
	return p < n && (s[p] == '.' || s[p] == '[' || s[p] == ':');
}

static void proto_pollution(const struct payload_val *v, struct payload_acc *a)
{
	const char *s = v->s; /* JavaScript property names are case-sensitive */
	size_t n = v->n;

	for (size_t at = payload_find(s, n, 0, "__proto__"); at < n; at = payload_find(s, n, at + 1, "__proto__")) {
		size_t b = at, e = at + 9, j = proto_rejoined(s, n, at);
		if (j < n) {
			e = at + 18 - (at - j);
			b = j;
		}
		/* a key's edges; a blank only beside punctuation ({ __proto__:),
		 * as prose puts the word between blanks ("what does __proto__ do") */
		int l = b == 0 || key_edge((unsigned char)s[b - 1]), r = e == n || key_edge((unsigned char)s[e]);
		int lsp = b > 0 && payload_is_space((unsigned char)s[b - 1]), rsp = e < n && payload_is_space((unsigned char)s[e]);
		/* the word alone is no key: a JSON body's "__proto__" key is
		 * judged with its object (payload_json_shape_scan) */
		if (b == 0 && e == n)
			continue;
		/* a blank after it, then a word: prose ("obj.__proto__ is
		 * deprecated"); an assignment or a member follows a key */
		if (rsp && !(l && r)) {
			size_t w = e;

			while (w < n && payload_is_space((unsigned char)s[w]))
				w++;
			rsp = w >= n || !payload_is_alnum((unsigned char)s[w]);
		}
		if ((l && r) || (lsp && r && e < n) || (rsp && l && b > 0)) {
			payload_acc_hit(a, PAYLOAD_PROTO_POLLUTION, 90, "__proto__ as a property key");
			return;
		}
	}
	for (size_t at = payload_find(s, n, 0, "constructor"); at < n; at = payload_find(s, n, at + 1, "constructor")) {
		size_t p = at + 11;
		int sep = 0;

		if (at > 0 && payload_is_alnum((unsigned char)s[at - 1]))
			continue;
		/* constructor.prototype, [constructor][prototype],
		 * ["constructor"]["prototype"], {"constructor": {"prototype": */
		while (p < n && p < at + 24 && (s[p] == '"' || s[p] == '\'' || s[p] == ']' ||
						s[p] == '[' || s[p] == '.' || s[p] == ':' ||
						s[p] == '{' || payload_is_space((unsigned char)s[p]))) {
			sep |= s[p] == '[' || s[p] == '.' || s[p] == '{';
			p++;
		}
		/* ... then a property of it (.x, [x], "prototype": {): the
		 * pollution writes into the prototype, not the path alone */
		if (sep && payload_at(s, n, p, "prototype") &&
		    !(p + 9 < n && payload_is_alnum((unsigned char)s[p + 9])) && prop_after(s, n, p + 9)) {
			payload_acc_hit(a, PAYLOAD_PROTO_POLLUTION, 85, "constructor.prototype as a property path");
			return;
		}
	}
}

/* the key "k" (quotes included, l bytes) at body[at] followed by ':' and,
 * when obj, by an object: the index after the ':' (or '{'), else 0 */
static size_t json_key_at(const char *body, size_t len, size_t at, size_t l, int obj)
{
	size_t p = at + l;

	while (p < len && payload_is_space((unsigned char)body[p]))
		p++;
	if (p >= len || body[p++] != ':')
		return 0;
	if (!obj)
		return p;
	while (p < len && payload_is_space((unsigned char)body[p]))
		p++;
	return p < len && body[p] == '{' ? p + 1 : 0;
}

/* payload_find's answer (the first index >= from where w[0..l) occurs,
 * or n): payload_find_len, whose blocks test the key's first two bytes
 * ('"' and its first letter) together (memmem cost ~1.4K instructions a
 * 1 KiB body) */
static size_t shape_find(const char *s, size_t n, size_t from, const char *w, size_t l)
{
	return payload_find_len(s, n, from, w, l);
}

void payload_json_shape_scan(const char *body, size_t len, struct payload_acc *a)
{
	/* an operator as a key ({"$ne": null}, {"$regex": ".*"}) and
	 * "__proto__" holding an object: what the strings alone no longer
	 * say (payload_data_scan judges a bare word as no key) */
	int data_field = 0;

	for (const char *q = memchr(body, '$', len); q; q = memchr(q + 1, '$', len - (size_t)(q + 1 - body))) {
		size_t i = (size_t)(q - body), l;
		char op[16];

		if (i == 0 || body[i - 1] != '"')
			continue;
		for (l = 0; l < sizeof(op) && i + 1 + l < len && payload_is_alpha((unsigned char)body[i + 1 + l]); l++)
			op[l] = (char)(body[i + 1 + l] | 0x20);
		if (l == 0 || l == sizeof(op) || i + 1 + l >= len || body[i + 1 + l] != '"' ||
		    payload_data_mongo_op(op, l, 0) != l || !json_key_at(body, len, i - 1, l + 3, 0))
			continue;
		/* {"age": {"$gte": 18}}: a comparison on a data field, what
		 * Mongo-style filter APIs take; a credential's or code's
		 * operator anywhere in the body decides */
		if ((payload_nosql_compare_op(op, l) && payload_nosql_data_field(body, len, i - 1, 0) &&
		     !payload_nosql_or_tautology(body, len, op, l)) || payload_nosql_range_object(body, len) ||
		    (payload_nosql_logical_op(op, l) && !payload_nosql_empty_clause(body, len, i + 2 + l))) {
			data_field = 1;
			continue;
		}
		payload_acc_hit(a, PAYLOAD_NOSQLI, 85, "query operator as a json key");
		data_field = 0;
		break;
	}
	if (data_field)
		payload_acc_hit(a, PAYLOAD_NOSQLI, 50, "query operator on a data field");
	/* the keys by shape_find: two bytes a candidate, not memchr for the
	 * first byte, '"', which stopped at every string of the body; and
	 * both looked for at all in one pass first (most bodies hold neither) */
	int keys = payload_find_either(body, len, "\"__proto__\"", 11, "\"constructor\"", 13);

	for (size_t at = keys ? shape_find(body, len, 0, "\"__proto__\"", 11) : len; at < len;
	     at = shape_find(body, len, at + 1, "\"__proto__\"", 11)) {
		if (json_key_at(body, len, at, 11, 1)) {
			payload_acc_hit(a, PAYLOAD_PROTO_POLLUTION, 90, "__proto__ object as a json key");
			break;
		}
	}
	if (memchr(body, '\\', len) && payload_data_proto_escaped(body, len))
		payload_acc_hit(a, PAYLOAD_PROTO_POLLUTION, 90, "__proto__ object as a json key");
	/* "constructor": { "prototype": - each key alone is an ordinary word */
	for (size_t at = keys ? shape_find(body, len, 0, "\"constructor\"", 13) : len; at < len;
	     at = shape_find(body, len, at + 1, "\"constructor\"", 13)) {
		size_t p = at + 13;
		while (p < len && payload_is_space((unsigned char)body[p]))
			p++;
		if (p >= len || body[p++] != ':')
			continue;
		while (p < len && payload_is_space((unsigned char)body[p]))
			p++;
		if (p >= len || body[p++] != '{')
			continue;
		while (p < len && payload_is_space((unsigned char)body[p]))
			p++;
		if (payload_at(body, len, p, "\"prototype\"")) {
			payload_acc_hit(a, PAYLOAD_PROTO_POLLUTION, 85, "constructor.prototype object in json");
			return;
		}
	}
}

void payload_data_scan(const struct payload_val *v, struct payload_acc *a)
{
	/* one pass finds which constructs can be present at all; most
	 * values hold none of their bytes */
	const char *s = v->s, *lo = v->lo;
	size_t n = v->n;
	int shock = 0, nosql = 0, proto = 0, xml = 0;
	/* markup in UTF-7 ("+ADw-" is '<'), which holds no '<' */
	int utf7 = payload_has(v, 'w') &&
		   payload_find(lo, n, 0, "adw") < n;

	/* the bytes the cases below act at ('c' of s is 'c' of lo) */
	if (!payload_has(v, '(') && !payload_has(v, '$') && !payload_has(v, ';') &&
	    !payload_has(v, '=') && !payload_has(v, '.') && !payload_has(v, '_') &&
	    !payload_has(v, 'c') && !payload_has(v, '<') && !utf7)
		return;
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '(':
			shock |= i + 1 < n && s[i + 1] == ')';
			break;
		case '$':
			nosql = 1;
			break;
		case ';': {
			/* ... or a leading number: "1; return true"; blanks
			 * may stand between the quote and ';' ("' ; while(1)") */
			size_t j = i;

			while (j > 0 && i - j < DATA_BREAK_BLANKS && payload_is_space((unsigned char)s[j - 1]))
				j--;
			nosql |= j > 0 && (s[j - 1] == '\'' || s[j - 1] == '"' || strspn(s, "0123456789") == i);
			break;
		}
		case '=':
			nosql |= i + 1 < n && s[i + 1] == '=';
			break;
		case '.':
			nosql |= (i >= 2 && lo[i - 2] == 'd' && lo[i - 1] == 'b') ||
				 (i >= 4 && !memcmp(lo + i - 4, "this", 4));
			break;
		case '_':
			proto |= i + 1 < n && s[i + 1] == '_';
			break;
		case 'c':
			proto |= payload_at(s, n, i, "constructor");
			break;
		case '<':
		case '%': /* a parameter-entity reference: "%name;" */
			xml = 1;
			break;
		case '&': /* a general entity's reference as the whole value: "&xxe;" */
			xml |= i == 0;
			break;
		}
	}
	/* a break whose ';' follows JavaScript's comments or other blanks,
	 * any number of them ("'/ * * /;", "1/ * * /;"): payload_data_nosql() reads the
	 * first quote of each kind and a leading number, so the gate reads
	 * them alike */
	if (!nosql && payload_has(v, ';')) {
		const char *q1 = memchr(lo, '\'', n), *q2 = memchr(lo, '"', n);
		size_t d = strspn(lo, "0123456789"), p;

		p = q1 ? payload_data_js_blank(lo, n, (size_t)(q1 - lo) + 1) : n;
		nosql |= p < n && lo[p] == ';';
		p = q2 ? payload_data_js_blank(lo, n, (size_t)(q2 - lo) + 1) : n;
		nosql |= p < n && lo[p] == ';';
		p = d && d < n ? payload_data_js_blank(lo, n, d) : n;
		nosql |= p < n && lo[p] == ';';
	}
	if (shock)
		shellshock(v, a);
	if (nosql)
		payload_data_nosql(v, a);
	if (proto)
		proto_pollution(v, a);
	if (xml || utf7)
		payload_xxe_scan(v, a);
}

int payload_scan_any_header(const char *val, size_t len, struct payload_match *out, int max)
{
	char lo[PAYLOAD_MAX_VALUE + 1];
	struct payload_acc a;
	struct payload_val v;

	if (!out || max <= 0 || !val)
		return 0;
	memset(&a, 0, sizeof(a));
	/* no byte census here: every byte counts as present, so a
	 * detector that reads payload_has() never skips */
	memset(v.has, 0xff, sizeof(v.has));
	if (len > PAYLOAD_MAX_SCAN)
		len = PAYLOAD_MAX_SCAN;
	/* a bearer JWT (Authorization): its library fetches the header's
	 * key URL, the application logs its claims (payload_wrap.c) */
	if ((len > 9 && !strncasecmp(val, "bearer ey", 9)) || (len > 2 && !memcmp(val, "ey", 2))) {
		size_t w = len < PAYLOAD_MAX_VALUE ? len : PAYLOAD_MAX_VALUE;

		for (size_t k = 0; k < w; k++)
			lo[k] = (val[k] >= 'A' && val[k] <= 'Z') ? (char)(val[k] + 32) : val[k];
		lo[w] = '\0';
		v.s = val;
		v.lo = lo;
		v.n = w;
		v.where = PAYLOAD_WHERE_HEADER;
		v.raw = val;
		v.rawn = w;
		payload_wrap_scan(&v, &a);
	}
	/* a file's name or path in a header of the application's own */
	payload_path_hdr_scan(val, len, &a);
	/* ... and an XML message's DOCTYPE */
	payload_xml_hdr_scan(val, len, &a);
	if (!memchr(val, '(', len) && !memchr(val, '$', len))
		return payload_acc_out(&a, out, max);
	/* no decoding: a server hands header bytes on as they came */
	for (size_t start = 0;; start += PAYLOAD_MAX_VALUE - PAYLOAD_OVERLAP) {
		size_t w = len - start < PAYLOAD_MAX_VALUE ? len - start : PAYLOAD_MAX_VALUE;
		for (size_t k = 0; k < w; k++) {
			char c = val[start + k];
			lo[k] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
		}
		lo[w] = '\0';
		v.s = val + start;
		v.lo = lo;
		v.n = w;
		v.where = PAYLOAD_WHERE_HEADER;
		v.raw = val + start;
		v.rawn = w;
		shellshock_in(&v, &a, 1);
		payload_jndi_scan(&v, &a);
		if (start + w >= len)
			break;
	}
	return payload_acc_out(&a, out, max);
}
