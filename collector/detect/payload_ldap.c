/* payload_ldap.c - LDAP filter injection (RFC 4515) and XPath injection
 * (XPath 1.0): a value that, spliced where an application builds a search
 * filter's assertion value or an XPath string literal or predicate, closes
 * that context and opens a construct of the language.
 *
 * LDAP. A filter is "(" filtercomp ")"; filtercomp is "&" / "|" / "!"
 * followed by filters, or an item: an attribute description (a letter,
 * then letters, digits and '-', options after ';'; or a numeric OID), a
 * filter type ("=", "~=", ">=", "<=", or an extensible match ":...:="),
 * and a value. An application writes "(uid=" VALUE ")"; harm is a value
 * that ends the item with ')' and starts another component with '(' (an
 * item, an operator, the absolute true and false filters "(&)" "(|)" of
 * RFC 4526), or that is itself a composite filter ("*(|(mail=*))").
 *
 * XPath. An application writes "//user[name='" VALUE "']"; harm is a value
 * that closes the string literal (or the predicate) and adds a condition
 * built from XPath's own functions (name(), count(), string-length(),
 * substring(), text(), ...), or a union "|" of another location path.
 * Conditions made only of comparisons ("' or '1'='1") are SQL's as much as
 * XPath's: the SQL detector judges those.
 *
 * Both read lo (lower-cased); linear: each scan starts at a byte found
 * once and reads a bounded span after it. */
#include "collector/detect/payload_int.h"

#include <string.h>

/* the longest attribute description or function name read */
#define NAME_MAX_LEN 64

/* An attribute description at lo[p..n): its end (after options), or p. */
static size_t ldap_attr(const char *lo, size_t n, size_t p)
{
	size_t q = p;

	if (q < n && lo[q] >= 'a' && lo[q] <= 'z') {
		while (q < n && q - p < NAME_MAX_LEN &&
		       ((lo[q] >= 'a' && lo[q] <= 'z') || (lo[q] >= '0' && lo[q] <= '9') || lo[q] == '-'))
			q++;
	} else if (q < n && lo[q] >= '0' && lo[q] <= '9') {
		/* a numeric OID: 2.5.4.3 */
		while (q < n && q - p < NAME_MAX_LEN && ((lo[q] >= '0' && lo[q] <= '9') || lo[q] == '.'))
			q++;
	}
	if (q == p || q - p >= NAME_MAX_LEN)
		return p;
	/* options: ;lang-en;binary */
	while (q + 1 < n && lo[q] == ';' && lo[q + 1] >= 'a' && lo[q + 1] <= 'z') {
		q++;
		while (q < n && ((lo[q] >= 'a' && lo[q] <= 'z') || (lo[q] >= '0' && lo[q] <= '9') || lo[q] == '-'))
			q++;
	}
	return q;
}

/* Is lo[p..n) an item (attribute, filter type) of a filter? '=' followed
 * by '=' or '>' is a programming language's (==, =>), not a filter's. */
static int ldap_item(const char *lo, size_t n, size_t p)
{
	size_t q = ldap_attr(lo, n, p);

	if (q == p || q >= n)
		return 0;
	if (lo[q] == '~' || lo[q] == '>' || lo[q] == '<')
		return q + 1 < n && lo[q + 1] == '=';
	if (lo[q] == ':') {
		/* extensible match: attr:dn:rule:= or attr:rule:= */
		size_t e = q + 1;

		while (e < n && e - q < NAME_MAX_LEN && lo[e] != '=' && lo[e] != '(' && lo[e] != ')')
			e++;
		return e < n && lo[e] == '=' && lo[e - 1] == ':' && e - q > 1;
	}
	if (lo[q] != '=')
		return 0;
	return !(q + 1 < n && (lo[q + 1] == '=' || lo[q + 1] == '>'));
}

/* After '(' at p - 1: an operator of a composite filter with what follows
 * it ("&(", "|(", "!(", the absolute "&)" "|)", or "&" ending the value),
 * or an item. 2: an operator, 1: an item, 0: neither. */
static int ldap_component(const char *lo, size_t n, size_t p)
{
	if (p < n && (lo[p] == '&' || lo[p] == '|' || lo[p] == '!')) {
		size_t q = p + 1;

		if (q >= n || lo[q] == '(' || (lo[q] == ')' && lo[p] != '!'))
			return 2;
		/* "((|userpassword=*)": the operator glued to an item */
		return ldap_item(lo, n, q) ? 2 : 0;
	}
	return ldap_item(lo, n, p);
}

static void ldap_scan(const char *lo, size_t n, struct payload_acc *a)
{
	for (const char *c = memchr(lo, '(', n); c; c = memchr(c + 1, '(', n - (size_t)(c + 1 - lo))) {
		size_t i = (size_t)(c - lo), p = i;
		int closed = i > 0 && lo[i - 1] == ')', k;

		while (p < n && lo[p] == '(')
			p++;
		/* the rest of a run of '(' lands on the same p with nothing
		 * closed before it: one look per run (linear) */
		c = lo + p - 1;
		k = ldap_component(lo, n, p);
		if (closed && k) {
			payload_acc_hit(a, PAYLOAD_LDAPI, k == 2 ? 85 : 75,
					k == 2 ? "ldap filter closed and an operator opened"
					       : "ldap filter closed and another item opened");
			return;
		}
		/* a composite filter written whole: (|(uid=*)... or *(|(mail=*)) */
		if (k == 2 && p < n && lo[p] != '!' && p + 1 < n && lo[p + 1] == '(' &&
		    ldap_item(lo, n, p + 2)) {
			payload_acc_hit(a, PAYLOAD_LDAPI, 70, "ldap composite filter in a value");
			return;
		}
	}
}

/* XPath 1.0's functions no SQL dialect has (with the parenthesis) */
static const char *const xp_funcs[] = {
	"name(", "local-name(", "namespace-uri(", "string-length(",
	"substring-before(", "substring-after(", "starts-with(", "text()",
	"node()", "comment()", "processing-instruction(", "position()",
	"last()", "true()", "false()", "normalize-space(", "boolean(",
	"document(", "doc(", "lang(",
};

/* and those SQL has too (count, substring, contains, concat, ...): they
 * are XPath's when their first argument is a location path or one of
 * the functions above */
static const char *const xp_shared[] = {
	"count(", "substring(", "contains(", "concat(", "string(", "number(",
	"sum(", "translate(", "not(",
};

static const char *const xp_axes[] = {
	"child::", "descendant::", "descendant-or-self::", "parent::",
	"ancestor::", "ancestor-or-self::", "following-sibling::",
	"preceding-sibling::", "following::", "preceding::", "attribute::",
	"self::", "namespace::",
};

/* an XPath function call or node test starting at lo[p] (the name not
 * glued to a word before it) */
static int xp_func_at(const char *lo, size_t n, size_t p, int depth)
{
	if (p > 0 && (payload_is_alnum((unsigned char)lo[p - 1]) || lo[p - 1] == '-' || lo[p - 1] == '.'))
		return 0;
	for (size_t k = 0; k < sizeof(xp_funcs) / sizeof(xp_funcs[0]); k++)
		if (payload_at(lo, n, p, xp_funcs[k]))
			return 1;
	for (size_t k = 0; k < sizeof(xp_shared) / sizeof(xp_shared[0]); k++) {
		size_t q = p + strlen(xp_shared[k]);

		if (!payload_at(lo, n, p, xp_shared[k]))
			continue;
		while (q < n && lo[q] == ' ')
			q++;
		/* a path: "/", "//", ".", "..", "@x" (not SQL's "@@x"), "*" */
		if (q < n && (lo[q] == '/' || lo[q] == '.' || lo[q] == '*' ||
			      (lo[q] == '@' && !(q + 1 < n && lo[q + 1] == '@'))))
			return 1;
		return depth < 2 && xp_func_at(lo, n, q, depth + 1);
	}
	return 0;
}

/* an axis step at lo[p] with a node test after it: '*', node(), text(),
 * comment(), or, when names is set, a name not called
 * ("parent::__construct()" is PHP's). Standing alone (names 0) it must
 * follow '/', '(', '[' or '|', as in a location path. */
static int xp_axis_at(const char *lo, size_t n, size_t p, int names)
{
	if (!names && (p == 0 || !strchr("/([|", lo[p - 1])))
		return 0;
	for (size_t k = 0; k < sizeof(xp_axes) / sizeof(xp_axes[0]); k++) {
		size_t l = strlen(xp_axes[k]), q;

		if (!payload_at(lo, n, p, xp_axes[k]))
			continue;
		q = p + l;
		if (q < n && lo[q] == '*')
			return 1;
		if (payload_at(lo, n, q, "node()") || payload_at(lo, n, q, "text()") ||
		    payload_at(lo, n, q, "comment()"))
			return 1;
		if (!names)
			return 0;
		while (q < n && (payload_is_alnum((unsigned char)lo[q]) || lo[q] == '-'))
			q++;
		return q > p + l && (q >= n || lo[q] != '(');
	}
	return 0;
}

/* Does the path at lo[p] ('/') read as XPath and not as a file name or
 * a shell glob (/b[i]n/s?: "//", or a step holding "::", "()", "[@" or
 * a position "[1]", before its first blank? */
static int xp_location_path(const char *lo, size_t n, size_t p)
{
	if (p + 1 < n && lo[p + 1] == '/')
		return 1;
	for (size_t q = p + 1; q + 1 < n && q - p < 64 && !payload_is_space((unsigned char)lo[q]); q++) {
		if ((lo[q] == ':' && lo[q + 1] == ':') || (lo[q] == '(' && lo[q + 1] == ')') ||
		    (lo[q] == '[' && lo[q + 1] == '@'))
			return 1;
		if (lo[q] == '[' && lo[q + 1] >= '0' && lo[q + 1] <= '9') {
			size_t e = q + 1;

			while (e < n && lo[e] >= '0' && lo[e] <= '9')
				e++;
			if (e < n && lo[e] == ']')
				return 1;
		}
	}
	return 0;
}

/* p past at most 8 blanks from p */
static size_t xp_blanks(const char *lo, size_t n, size_t p)
{
	for (int k = 0; k < 8 && p < n && payload_is_space((unsigned char)lo[p]); k++)
		p++;
	return p;
}

/* A context break at lo[i] (a run of quotes, ']' and ')' holding a quote
 * or ']') joined by "or", "and" or '|' to an XPath construct: a function
 * or node test ("' or name()='x", "') and contains(../pw,'c"), or after
 * '|' another location path ("')] | //user/…[contains(…,'"). Returns its
 * reason, or NULL; *end is where the run ended (the scan resumes there). */
static const char *xp_join_at(const char *lo, size_t n, size_t i, size_t *end)
{
	size_t p = i;
	int lit = 0, bar;

	while (p < n && p - i < 6 && strchr("'\")]", lo[p])) {
		lit |= lo[p] != ')';
		p++;
	}
	*end = p;
	if (!lit)
		return NULL;
	p = xp_blanks(lo, n, p);
	bar = p < n && lo[p] == '|';
	if (bar)
		p++;
	else if (payload_word_at(lo, n, p, "or"))
		p += 2;
	else if (payload_word_at(lo, n, p, "and"))
		p += 3;
	else
		return NULL;
	p = xp_blanks(lo, n, p);
	while (p < n && lo[p] == '(')
		p++;
	if (payload_at(lo, n, p, "not("))
		p += 4;
	/* a location path: '*' and '@' alone begin shell globs too, and
	 * "| /bin/ls" is a pipe into a program: "//", or a step with a
	 * predicate, wildcard, attribute or axis, is XPath's */
	if (bar && p < n && lo[p] == '/' && xp_location_path(lo, n, p))
		return "xpath union after a closed literal";
	if (xp_func_at(lo, n, p, 0) || xp_axis_at(lo, n, p, 1))
		return "xpath function in a condition after a closed literal";
	return NULL;
}

static void xpath_scan(const char *lo, size_t n, struct payload_acc *a)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)lo[i];
		const char *why;
		size_t end;

		if (c == ':' && i + 1 < n && lo[i + 1] == ':') {
			/* find where the axis name starts */
			size_t s = i;

			while (s > 0 && i - s < 24 &&
			       (payload_is_alpha((unsigned char)lo[s - 1]) || lo[s - 1] == '-'))
				s--;
			if (s < i && xp_axis_at(lo, n, s, 0)) {
				payload_acc_hit(a, PAYLOAD_XPATHI, 80, "xpath axis step");
				return;
			}
		} else if (c == '\'' || c == '"' || c == ']') {
			why = xp_join_at(lo, n, i, &end);
			if (why) {
				payload_acc_hit(a, PAYLOAD_XPATHI, 85, why);
				return;
			}
			i = end - 1;
		}
	}
}

void payload_ldap_scan(const struct payload_val *v, struct payload_acc *a)
{
	/* every LDAP finding needs '(' and an item or operator; every XPath
	 * one a call '(' or an axis ':' or a union '|' */
	if (payload_has(v, '('))
		ldap_scan(v->lo, v->n, a);
	if (payload_has(v, '(') || payload_has(v, ':') || payload_has(v, '|'))
		xpath_scan(v->lo, v->n, a);
}
