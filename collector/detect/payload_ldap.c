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

/* p past at most 8 blanks (space, tab, CR, LF: OpenLDAP's filter parser
 * skips them between components) from p */
static size_t ldap_blanks(const char *lo, size_t n, size_t p)
{
	for (int k = 0; k < 8 && p < n && payload_is_space((unsigned char)lo[p]); k++)
		p++;
	return p;
}

/* Is lo[p..n) an item (attribute, filter type) of a filter? '=' followed
 * by '=' or '>' is a programming language's (==, =>), not a filter's. An
 * extensible match may leave the attribute out: ":dn:2.5.13.5:=x". */
static int ldap_item(const char *lo, size_t n, size_t p)
{
	size_t q = ldap_attr(lo, n, p);

	if (q >= n || (q == p && lo[q] != ':'))
		return 0;
	if (lo[q] == '~' || lo[q] == '>' || lo[q] == '<')
		return q + 1 < n && lo[q + 1] == '=';
	if (lo[q] == ':') {
		/* extensible match: attr:dn:rule:= or attr:rule:= or :rule:= */
		size_t e = q + 1;

		while (e < n && e - q < NAME_MAX_LEN && lo[e] != '=' && lo[e] != '(' && lo[e] != ')' &&
		       !payload_is_space((unsigned char)lo[e]))
			e++;
		/* "cn:=x" with an attribute; ":=" alone is Python's walrus */
		return e < n && lo[e] == '=' && lo[e - 1] == ':' && (e - q > 1 || q > p);
	}
	if (lo[q] != '=')
		return 0;
	return !(q + 1 < n && (lo[q + 1] == '=' || lo[q + 1] == '>'));
}

/* After '(' (and blanks) at p: a component of a filter. An operator of a
 * composite filter with what follows it (another component after '(', the
 * absolute "&)" "|)" of RFC 4526, or the end of the value), or an item.
 * 2: an operator, 1: an item, 0: neither (a regex's "(|(\.x)" empty
 * alternative is not an operator: no item follows). Depth-bounded. */
static int ldap_component(const char *lo, size_t n, size_t p, int depth)
{
	if (p < n && (lo[p] == '&' || lo[p] == '|' || lo[p] == '!')) {
		size_t q = ldap_blanks(lo, n, p + 1);

		if (q >= n || (lo[q] == ')' && lo[p] != '!'))
			return 2;
		if (lo[q] == '(') {
			size_t r = ldap_blanks(lo, n, q + 1);

			/* the value ends in the '(' or an attribute after it
			 * (a query string cut at '&': "x)(!(" "x)(|(userPassword") */
			if (r >= n || ldap_attr(lo, n, r) == n)
				return 2;
			return depth < 3 && ldap_component(lo, n, r, depth + 1) ? 2 : 0;
		}
		/* "((|userpassword=*)": the operator glued to an item */
		return ldap_item(lo, n, q) ? 2 : 0;
	}
	return ldap_item(lo, n, p);
}

/* An application writes "(uid=" VALUE ")" or "(&(uid=" VALUE ")(...))".
 * A value breaks out when one of its ')' closes the application's item
 * (no '(' of the value is open there) and a '(' after it opens another
 * component. A balanced filter as the whole value ("(&(objectClass=user)
 * (sAMAccountName={0}))", what an admin form sends) and calls of returned
 * functions ("partial(fn)(retries=3)") close only their own '('. Blanks
 * between ')' and '(' count when what precedes the ')' is one word
 * ("*) (uid=*"), not prose ("option a) (default=on)"). One pass: each
 * ')' looks at a bounded span after it. */
static void ldap_scan(const char *lo, size_t n, struct payload_acc *a)
{
	size_t depth = 0;
	int blank = 0; /* a blank seen outside any '(' of the value */

	for (size_t i = 0; i < n; i++) {
		size_t p;
		int k;

		if (lo[i] == '(') {
			depth++;
			/* a composite filter glued to a wildcard assertion
			 * value: "*(|(mail=*))" (the cheat sheets' form; a
			 * filter that is the whole value is configuration) */
			if (i > 0 && lo[i - 1] == '*' && i + 2 < n && (lo[i + 1] == '&' || lo[i + 1] == '|') &&
			    lo[i + 2] == '(' && ldap_item(lo, n, i + 3)) {
				payload_acc_hit(a, PAYLOAD_LDAPI, 70, "ldap composite filter in a value");
				return;
			}
			continue;
		}
		if (lo[i] != ')') {
			blank |= depth == 0 && payload_is_space((unsigned char)lo[i]);
			continue;
		}
		if (depth > 0) {
			depth--;
			continue;
		}
		/* an unmatched ')': the application's item closed */
		if (i + 1 < n && lo[i + 1] == '\0' && !blank) {
			/* and the rest of the filter cut off: "*))%00" */
			payload_acc_hit(a, PAYLOAD_LDAPI, 70, "ldap filter closed and cut off by a nul");
			return;
		}
		p = ldap_blanks(lo, n, i + 1);
		if (p >= n || lo[p] != '(' || (p > i + 1 && blank))
			continue;
		p = ldap_blanks(lo, n, p + 1);
		/* "((|userpassword=*)": one more '(' */
		if (p < n && lo[p] == '(')
			p = ldap_blanks(lo, n, p + 1);
		k = ldap_component(lo, n, p, 0);
		if (k) {
			payload_acc_hit(a, PAYLOAD_LDAPI, k == 2 ? 85 : 75,
					k == 2 ? "ldap filter closed and an operator opened"
					       : "ldap filter closed and another item opened");
			return;
		}
	}
}

/* XPath's functions no SQL dialect has (1.0's, and 2.0's and 3.0's:
 * their names end with '(' here; a node test or a function called with
 * no argument ends with "()") */
static const char *const xp_funcs[] = {
	"name(", "local-name(", "namespace-uri(", "string-length(",
	"substring-before(", "substring-after(", "starts-with(", "text()",
	"node()", "comment()", "processing-instruction(", "position()",
	"last()", "true()", "false()", "normalize-space(", "boolean(",
	"document(", "doc(", "lang(", "root()",
	/* XPath 2.0 and 3.0 */
	"matches(", "empty(", "doc-available(", "unparsed-text(",
	"unparsed-text-available(", "ends-with(", "lower-case(", "upper-case(",
	"codepoints-to-string(", "string-to-codepoints(", "data(",
	"string-join(", "tokenize(", "compare(", "distinct-values(",
	"index-of(", "subsequence(", "node-name(", "base-uri(", "document-uri(",
	"environment-variable(", "available-environment-variables()",
	"deep-equal(", "encode-for-uri(", "resolve-uri(", "has-children(",
	"generate-id(", "system-property(", "function-available(",
	"unparsed-entity-uri(", "parse-xml(", "json-doc(", "collection(",
};

/* and those SQL has too (count, substring, contains, concat, exists,
 * ...): they are XPath's when their first argument is a location path
 * or one of the functions above */
static const char *const xp_shared[] = {
	"count(", "substring(", "contains(", "concat(", "string(", "number(",
	"sum(", "translate(", "not(", "exists(", "replace(", "reverse(",
	"round(", "floor(", "ceiling(",
};

static const char *const xp_axes[] = {
	"child::", "descendant::", "descendant-or-self::", "parent::",
	"ancestor::", "ancestor-or-self::", "following-sibling::",
	"preceding-sibling::", "following::", "preceding::", "attribute::",
	"self::", "namespace::",
};

/* p past blanks (runs of at most 64) and XPath 2.0 comments "(: ... :)"
 * (each at most 64 bytes), at most 8 of them, from p */
static size_t xp_blanks(const char *lo, size_t n, size_t p)
{
	for (int k = 0; k < 8 && p < n; k++) {
		if (payload_is_space((unsigned char)lo[p])) {
			size_t e = p;

			while (e < n && e - p < 64 && payload_is_space((unsigned char)lo[e]))
				e++;
			p = e;
		} else if (p + 1 < n && lo[p] == '(' && lo[p + 1] == ':') {
			size_t e = p + 2;

			while (e + 1 < n && e - p < 64 && !(lo[e] == ':' && lo[e + 1] == ')'))
				e++;
			if (e + 1 >= n || lo[e] != ':' || lo[e + 1] != ')')
				return p;
			p = e + 2;
		} else {
			break;
		}
	}
	return p;
}

/* Does a table name w (ending with '(' or "()") match at lo[p], with
 * blanks allowed before '(' and inside "()"? *q: past its '('. With
 * blanks before '(' only a name with '-' or an empty "()" counts
 * ("name (optional)" is prose). */
static int xp_name_at(const char *lo, size_t n, size_t p, const char *w, size_t *q)
{
	size_t l = strlen(w) - (w[strlen(w) - 1] == ')' ? 2 : 1), e;
	int nullary = w[l + 1] == ')';

	if (!payload_at(lo, n, p, w)) {
		/* the slow path: the name, then blanks */
		if (p + l >= n || lo[p + l] != ' ' || memcmp(lo + p, w, l) != 0)
			return 0;
		e = xp_blanks(lo, n, p + l);
		if (e >= n || lo[e] != '(')
			return 0;
		*q = xp_blanks(lo, n, e + 1);
		if (nullary || !memchr(w, '-', l))
			return *q < n && lo[*q] == ')';
		return 1;
	}
	*q = p + l + 1;
	return 1;
}

/* an XPath function call or node test starting at lo[p] (the name not
 * glued to a word before it), with XPath 2.0's "fn:" prefix or not */
static int xp_func_at(const char *lo, size_t n, size_t p, int depth)
{
	size_t q;

	if (p > 0 && (payload_is_alnum((unsigned char)lo[p - 1]) || lo[p - 1] == '-' || lo[p - 1] == '.'))
		return 0;
	if (payload_at(lo, n, p, "fn:"))
		p += 3;
	for (size_t k = 0; k < sizeof(xp_funcs) / sizeof(xp_funcs[0]); k++)
		if (lo[p] == xp_funcs[k][0] && xp_name_at(lo, n, p, xp_funcs[k], &q))
			return 1;
	for (size_t k = 0; k < sizeof(xp_shared) / sizeof(xp_shared[0]); k++) {
		size_t l = strlen(xp_shared[k]) - 1, e;

		if (p + l >= n || memcmp(lo + p, xp_shared[k], l) != 0)
			continue;
		e = xp_blanks(lo, n, p + l);
		if (e >= n || lo[e] != '(')
			continue;
		q = xp_blanks(lo, n, e + 1);
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
 * follow '/', '[' or '|', or the '(' of a call ("count(child::*)"), as
 * in a location path: Rust's "(self::*)" and "{self::*}" are not. */
static int xp_axis_at(const char *lo, size_t n, size_t p, int names)
{
	if (!names) {
		char b = p > 0 ? lo[p - 1] : '\0';

		if (!(b == '/' || b == '[' || b == '|' ||
		      (b == '(' && p > 1 && payload_is_alnum((unsigned char)lo[p - 2]))))
			return 0;
	}
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

/* Does the path at lo[p] ('/') hold, before its first blank, a step with
 * "::", "()", "[@" or a position "[1]" (XPath's, not a file name's or a
 * shell glob's: /b[i]n/s?)? */
static int xp_path_steps(const char *lo, size_t n, size_t p)
{
	for (size_t q = p + 1; q + 1 < n && q - p < 64 && !payload_is_space((unsigned char)lo[q]) &&
			       lo[q] != '\'' && lo[q] != '"'; q++) {
		if ((lo[q] == ':' && lo[q + 1] == ':') || (lo[q] == '(' && lo[q + 1] == ')') ||
		    (lo[q] == '[' && lo[q + 1] == '@'))
			return 1;
		if (lo[q] == '[' && lo[q + 1] >= '0' && lo[q + 1] <= '9') {
			size_t e = q + 1;

			while (e < n && e - q < 12 && lo[e] >= '0' && lo[e] <= '9')
				e++;
			if (e < n && lo[e] == ']')
				return 1;
		}
	}
	return 0;
}

/* what the value has shown before a byte: its quotes (the value is read
 * as spliced into a literal: its 1st, 3rd, ... quote of a kind closes
 * one) and its open '[' */
struct xp_state {
	size_t sq, dq, br;
};

static void xp_step(struct xp_state *s, char c)
{
	if (c == '\'')
		s->sq++;
	else if (c == '"')
		s->dq++;
	else if (c == '[')
		s->br++;
	else if (c == ']' && s->br > 0)
		s->br--;
}

/* a name, '*' or ".." at lo[p] ending a step ('/', '|', '[', blank, end) */
static int xp_step_name(const char *lo, size_t n, size_t p)
{
	size_t q = p;

	if (payload_at(lo, n, p, ".."))
		q += 2;
	else if (q < n && lo[q] == '*')
		q++;
	else
		while (q < n && q - p < 40 && (payload_is_alnum((unsigned char)lo[q]) || lo[q] == '-'))
			q++;
	return q > p && (q >= n || lo[q] == '/' || lo[q] == '|' || lo[q] == '[' ||
			 payload_is_space((unsigned char)lo[q]));
}

/* "//" and a step at lo[p]: '*', '@', or a name without a dot (a host
 * name, "//cdn.example.com/x", is a URL's), then the end of the step */
static int xp_descendant(const char *lo, size_t n, size_t p)
{
	size_t q = p + 2;

	if (!(p + 2 < n && lo[p + 1] == '/'))
		return 0;
	if (lo[q] == '*' || lo[q] == '@')
		return 1;
	while (q < n && q - p < 40 && (payload_is_alnum((unsigned char)lo[q]) || lo[q] == '-' || lo[q] == ':'))
		q++;
	return q > p + 2 && (q >= n || strchr("/[=)|!<> ", lo[q]) != NULL) && lo[q] != '\0';
}

/* A union's absolute path at lo[p] ('/') joined by another '|' to a step
 * whose predicate opens a literal again, for the application's closing
 * quote and ']': "'] | /a/b/c | a['" (a path of names alone is a file's
 * too: "| /bin/ls" pipes into a program; the second union's "x['" is
 * XPath's) */
static int xp_union_reopen(const char *lo, size_t n, size_t p)
{
	size_t q = p;

	while (q < n && q - p < 64 && (payload_is_alnum((unsigned char)lo[q]) || lo[q] == '/' || lo[q] == '-' ||
				       lo[q] == '*' || lo[q] == '@' || lo[q] == '.'))
		q++;
	q = xp_blanks(lo, n, q);
	if (q >= n || lo[q] != '|')
		return 0;
	q = xp_blanks(lo, n, q + 1);
	p = q;
	while (q < n && q - p < 40 && (payload_is_alnum((unsigned char)lo[q]) || lo[q] == '-' || lo[q] == '*'))
		q++;
	if (q == p || (q = xp_blanks(lo, n, q)) >= n || lo[q] != '[')
		return 0;
	/* the predicate opens a literal, maybe after a comparison: "a['",
	 * "a [ '", "a[@x='", "a[name()='" */
	for (p = ++q; q < n && q - p < 40 && lo[q] != ']'; q++)
		if (lo[q] == '\'' || lo[q] == '"')
			return 1;
		else if (!payload_is_alnum((unsigned char)lo[q]) && !payload_is_space((unsigned char)lo[q]) &&
			 !strchr("@-_:.()=!<>", lo[q]))
			return 0;
	return 0;
}

/* What follows a break at lo[p] (past blanks): '|', "or" or "and", then
 * (past blanks, '(' and not()) an XPath construct: a location path ("//"
 * after '|', or a step with a predicate, call, attribute or axis: '*' and
 * '@' alone begin shell globs too, "| /bin/ls" is a pipe into a program,
 * and a slash-star before a word is an SQL comment), a function or node test, or an
 * axis step. Its reason, or NULL. */
static const char *xp_cond_at(const char *lo, size_t n, size_t p)
{
	int bar = p < n && lo[p] == '|';

	if (bar)
		p++;
	else if (payload_word_at(lo, n, p, "or"))
		p += 2;
	else if (payload_word_at(lo, n, p, "and"))
		p += 3;
	else
		return NULL;
	p = xp_blanks(lo, n, p);
	for (int k = 0; k < 4 && p < n && lo[p] == '('; k++)
		p = xp_blanks(lo, n, p + 1);
	if (payload_at(lo, n, p, "not("))
		p += 4;
	else if (payload_at(lo, n, p, "fn:not("))
		p += 7;
	if (p < n && lo[p] == '/') {
		if (p + 2 < n && lo[p + 1] == '*' && lo[p + 2] != '\0' && !strchr("[/)=|", lo[p + 2]) &&
		    !payload_is_space((unsigned char)lo[p + 2]))
			return NULL;
		if ((bar && p + 1 < n && lo[p + 1] == '/') || xp_path_steps(lo, n, p) || xp_descendant(lo, n, p) ||
		    (bar && xp_union_reopen(lo, n, p)))
			return bar ? "xpath union after a closed literal"
				   : "xpath location path in a condition after a closed literal";
	}
	/* every attribute of the context node: "' or @*='x"; an attribute
	 * or a relative path compared: "' or @id=1", "' or ../password='a" */
	if (payload_at(lo, n, p, "@*") && p + 2 < n && (lo[p + 2] == '=' || lo[p + 2] == '[' || lo[p + 2] == '!'))
		return "xpath function in a condition after a closed literal";
	if ((p < n && lo[p] == '@' && !payload_at(lo, n, p, "@@")) || payload_at(lo, n, p, "./") ||
	    payload_at(lo, n, p, "../")) {
		size_t q = p + (lo[p] == '@' ? 1 : lo[p + 1] == '/' ? 2 : 3);
		size_t b = q;

		while (q < n && q - b < 40 && (payload_is_alnum((unsigned char)lo[q]) || lo[q] == '-'))
			q++;
		q = xp_blanks(lo, n, q);
		if (q > b && q < n && (lo[q] == '=' || lo[q] == '[' || (lo[q] == '!' && q + 1 < n && lo[q + 1] == '=')))
			return "xpath location path in a condition after a closed literal";
	}
	if (xp_func_at(lo, n, p, 0) || xp_axis_at(lo, n, p, 1))
		return "xpath function in a condition after a closed literal";
	return NULL;
}

/* A context break at lo[i]: a run of quotes, ']' and ')' in which a quote
 * closes the literal the value sits in (its 1st, 3rd, ... of that kind)
 * or a ']' closes a predicate the value did not open; joined by "or",
 * "and" or '|' to an XPath construct: a function or node test ("' or
 * name()='x", "') and contains(../pw,'c"), a location path ("' or
 * //user[1]/pass='a"; after '|' also "//x"), or, after a closed
 * predicate, the next step ("x\"]/../node()[1]"). A complete
 * expression ("//a[contains(@href,'x') and text()='PDF']") closes only
 * literals it opened. Returns its reason, or NULL; *end is where the run
 * ended (the scan resumes there). */
static const char *xp_join_at(const char *lo, size_t n, size_t i, struct xp_state s, size_t *end, int *brk)
{
	size_t p = i;
	int pred = 0, sq = 0, dq = 0;

	*brk = 0;
	while (p < n && p - i < 6 && (lo[p] == '\'' || lo[p] == '"' || lo[p] == ']' || lo[p] == ')')) {
		if (lo[p] == '\'')
			sq |= s.sq % 2 == 0;
		else if (lo[p] == '"')
			dq |= s.dq % 2 == 0;
		else if (lo[p] == ']')
			pred = 1, *brk |= s.br == 0;
		xp_step(&s, lo[p]);
		p++;
	}
	*end = p;
	/* a quote that closed, and not one after it that opened another
	 * literal: "x = \"\" or f()" stays inside one */
	*brk |= (sq && s.sq % 2 == 1) || (dq && s.dq % 2 == 1);
	if (!*brk)
		return NULL;
	if (pred && p < n && lo[p] == '/' &&
	    (xp_path_steps(lo, n, p) || (payload_at(lo, n, p, "/../") && xp_step_name(lo, n, p + 4))))
		return "xpath step after a closed predicate";
	/* positional predicates on what the break closed: "'][1] | //x" */
	for (int k = 0; k < 2 && pred && p + 2 < n && lo[p] == '['; k++) {
		size_t e = p + 1;

		while (e < n && e - p < 8 && lo[e] >= '0' && lo[e] <= '9')
			e++;
		if (e == p + 1 || e >= n || lo[e] != ']')
			break;
		p = e + 1;
	}
	return xp_cond_at(lo, n, xp_blanks(lo, n, p));
}

/* After the value's first break (its first closing quote or ']'): "or" or
 * "and" joining an XPath construct further on, past comparisons of
 * literals ("x' or 1=1 or name()='a"). One window of 256 bytes per value. */
static const char *xp_window(const char *lo, size_t n, size_t p)
{
	size_t e = n - p > 256 ? p + 256 : n;

	for (; p < e; p++)
		if ((lo[p] == 'o' || lo[p] == 'a' || lo[p] == '|') && p > 0 &&
		    (payload_is_space((unsigned char)lo[p - 1]) || lo[p - 1] == '\'' || lo[p - 1] == '"' ||
		     lo[p - 1] == ')')) {
			const char *why = xp_cond_at(lo, n, p);

			if (why)
				return why;
		}
	return NULL;
}

static void xpath_scan(const char *lo, size_t n, struct payload_acc *a)
{
	struct xp_state s = { 0, 0, 0 };
	size_t resume = 0, d = 0;
	int windowed = 0;
	const char *why0;

	/* a number the value begins with, in a numeric predicate
	 * "[id=" VALUE "]", joined to a condition: "1 or count(//user)>0" */
	while (d < n && d < 20 && lo[d] >= '0' && lo[d] <= '9')
		d++;
	if (d > 0 && d < n && payload_is_space((unsigned char)lo[d])) {
		size_t q = xp_blanks(lo, n, d);

		why0 = xp_cond_at(lo, n, q);
		if (!why0 && (payload_word_at(lo, n, q, "or") || payload_word_at(lo, n, q, "and")))
			why0 = xp_window(lo, n, q + 1);
		if (why0) {
			payload_acc_hit(a, PAYLOAD_XPATHI, 80, why0);
			return;
		}
	}

	for (size_t i = 0; i < n; xp_step(&s, lo[i]), i++) {
		unsigned char c = (unsigned char)lo[i];
		const char *why;
		int brk;

		if (c == ':' && i + 1 < n && lo[i + 1] == ':') {
			/* find where the axis name starts */
			size_t b = i;

			while (b > 0 && i - b < 24 &&
			       (payload_is_alpha((unsigned char)lo[b - 1]) || lo[b - 1] == '-'))
				b--;
			if (b < i && xp_axis_at(lo, n, b, 0)) {
				payload_acc_hit(a, PAYLOAD_XPATHI, 80, "xpath axis step");
				return;
			}
		} else if ((c == '\'' || c == '"' || c == ']') && i >= resume) {
			why = xp_join_at(lo, n, i, s, &resume, &brk);
			if (!why && brk && !windowed) {
				/* the first break, itself joined to a condition
				 * (not an apostrophe in a word: "it's") */
				size_t q = xp_blanks(lo, n, resume);

				windowed = 1;
				if (payload_word_at(lo, n, q, "or") || payload_word_at(lo, n, q, "and") ||
				    (q < n && lo[q] == '|'))
					why = xp_window(lo, n, q + 1);
			}
			if (why) {
				payload_acc_hit(a, PAYLOAD_XPATHI, 85, why);
				return;
			}
		}
	}
}

void payload_ldap_scan(const struct payload_val *v, struct payload_acc *a)
{
	/* every LDAP finding needs '(' and an item or operator, or ')' and a
	 * nul; every XPath one a call '(', an axis ':', a union '|', or a
	 * break (a quote or ']') joined to a path '/' or an attribute '@' */
	if (payload_has(v, '(') || (payload_has(v, ')') && payload_has(v, 0)))
		ldap_scan(v->lo, v->n, a);
	if (payload_has(v, '(') || payload_has(v, ':') || payload_has(v, '|') ||
	    ((payload_has(v, '\'') || payload_has(v, '"') || payload_has(v, ']')) &&
	     (payload_has(v, '/') || payload_has(v, '@'))))
		xpath_scan(v->lo, v->n, a);
}
