/* payload_data_js.c - the JavaScript statement NoSQL's $where break
 * (payload_data.c) needs after a closed string and ';': a return of an
 * expression that ends the statement, a loop, a sleep or a declaration,
 * and not the prose of "Kids' ; return policy: 30 days". Each walk is
 * bounded (operands at 160 bytes). */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_nosql_int.h"

#include <string.h>

/* past JavaScript's blanks at p: white space, U+00A0, U+FEFF, the line
 * ends U+2028, U+2029 and the other Unicode space separators U+1680,
 * U+2000-U+200A, U+202F, U+205F, U+3000 (UTF-8 c2 a0, ef bb bf,
 * e2 80 a8/a9, e1 9a 80, e2 80 80-8a, e2 80 af, e2 81 9f, e3 80 80;
 * JavaScript takes them where a blank goes), block
 * comments and line comments ("'/ * * /; return true", "'//<LF>;"). An
 * unclosed comment runs to n. One pass: p only moves forward. */
size_t payload_data_js_blank(const char *lo, size_t n, size_t p)
{
	while (p < n) {
		const unsigned char *u = (const unsigned char *)lo + p;

		if (payload_is_space(u[0])) {
			p++;
		} else if (p + 1 < n && u[0] == 0xc2 && u[1] == 0xa0) {
			p += 2;
		} else if (p + 2 < n && ((u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf) ||
					 (u[0] == 0xe2 && u[1] == 0x80 &&
					  (u[2] == 0xa8 || u[2] == 0xa9 || u[2] == 0xaf || (u[2] >= 0x80 && u[2] <= 0x8a))) ||
					 (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f) ||
					 (u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80) ||
					 (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80))) {
			p += 3;
		} else if (p + 1 < n && u[0] == '/' && (u[1] == '*' || u[1] == '/')) {
			if (u[1] == '*') {
				p = payload_find(lo, n, p + 2, "*/");
				p = p < n ? p + 2 : n;
			} else {
				const char *c = memchr(lo + p + 2, '\n', n - p - 2);

				p = c ? (size_t)(c - lo) + 1 : n;
			}
		} else {
			break;
		}
	}
	return p;
}

/* 1 when a JavaScript statement may end at lo[p..): the value's end, ';',
 * '{', '}' or a comment, after blanks; else 0 */
int payload_data_js_stmt_end(const char *lo, size_t n, size_t p)
{
	p = payload_data_js_blank(lo, n, p);
	return p >= n || lo[p] == ';' || lo[p] == '{' || lo[p] == '}';
}

/* past one JavaScript operand at p (a name with its members, calls and
 * indexes, a number, a string, a parenthesised group, after '!' or '-'),
 * bounded by lim; 0: none. A string left open at the end is the query's
 * own closing quote: the operand runs to n. */
static size_t data_js_operand(const char *lo, size_t n, size_t p, size_t lim)
{
	for (;;) {
		while (p < n && (lo[p] == '!' || lo[p] == '-' || lo[p] == '~' || payload_is_space((unsigned char)lo[p])))
			p++;
		/* "return/ * * /true", "return<U+00A0>true" */
		if (p < n && (lo[p] == '/' || (unsigned char)lo[p] >= 0xc2))
			p = payload_data_js_blank(lo, n, p);
		if (payload_word_at(lo, n, p, "new") || payload_word_at(lo, n, p, "typeof"))
			p += lo[p] == 'n' ? 3 : 6;
		else
			break;
	}
	if (p >= n || p >= lim)
		return 0;
	if (lo[p] == '\'' || lo[p] == '"' || lo[p] == '/') { /* a string, a regular expression */
		char q = lo[p];

		for (p++; p < n && p < lim && lo[p] != q; p++)
			;
		/* a string not closed near: the query's own string, run on */
		if (p >= n || p >= lim)
			return q == '/' ? 0 : n;
		p++;
		if (q != '/')
			return p;
		while (p < n && payload_is_alpha((unsigned char)lo[p])) /* flags */
			p++;
	} else if (!(payload_is_alnum((unsigned char)lo[p]) || lo[p] == '_' || lo[p] == '$' || lo[p] == '(')) {
		return 0;
	}
	while (p < n && p < lim) {
		if (payload_is_alnum((unsigned char)lo[p]) || lo[p] == '_' || lo[p] == '$' || lo[p] == '.') {
			p++;
		} else if (lo[p] == '(' || lo[p] == '[') {
			int d = 0;

			for (; p < n && p < lim; p++) {
				if (lo[p] == '(' || lo[p] == '[')
					d++;
				else if ((lo[p] == ')' || lo[p] == ']') && --d == 0)
					break;
			}
			if (p >= n || p >= lim)
				return 0;
			p++;
		} else {
			break;
		}
	}
	return p;
}

/* Does lo[p..) run as JavaScript to a statement's end: operands joined
 * by operators, then ';', a quote, "//", a comment, '{' or the value's end?
 * "true; var a='", "1==1", "this.a" do; "policy: 30 days", "within 30
 * days" (prose after "return") do not. */
static int data_js_expr(const char *lo, size_t n, size_t p)
{
	static const char *const ops[] = {"===", "!==", "==", "!=", "&&", "||", "<=", ">=", "<", ">",
					  "+", "-", "*", "/", "%"};
	size_t lim = p + 160;

	for (int k = 0; k < 16; k++) {
		size_t o;

		p = data_js_operand(lo, n, p, lim);
		if (!p)
			return 0;
		p = payload_data_js_blank(lo, n, p);
		if (p >= n || lo[p] == ';' || lo[p] == '\'' || lo[p] == '"' || lo[p] == '{' || lo[p] == '}' ||
		    payload_at(lo, n, p, "//") || payload_at(lo, n, p, "/*"))
			return 1;
		/* an operator the value ends in: the rest of the statement
		 * was cut ('=' parts a query's key from its value) */
		for (o = p; o < n && lo[o] && strchr("!=<>&|+-*/% \t", lo[o]); o++)
			;
		if (o >= n)
			return 1;
		for (o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
			if (payload_at(lo, n, p, ops[o]))
				break;
		if (o == sizeof(ops) / sizeof(ops[0]))
			return 0;
		p += strlen(ops[o]);
	}
	return 0;
}

/* A $where expression's constant return at p (after "return" and its
 * blanks) that ends the statement: true or 1, negated any number of
 * times (!0, !!1, !false), or a parenthesised expression ("(true)",
 * "(1==1)", "!(0)"); "(see below)" and "(true) if valid" are prose */
int payload_data_js_returned(const char *lo, size_t n, size_t p)
{
	int neg = 0;

	while (p < n && lo[p] == '!') {
		neg ^= 1;
		p = payload_data_js_blank(lo, n, p + 1);
	}
	if (p < n && lo[p] == '(') {
		size_t e = data_js_operand(lo, n, p, p + 160), c = p + 1;
		int d = 1;

		/* a group the value's end cuts (a query key "0; return(1"
		 * before "=1)"): what stands of it is one expression */
		if (!e && n - p < 160 && memchr(lo + p, ')', n - p) == NULL)
			return data_js_expr(lo, n, p + 1);
		if (!e)
			return 0;
		/* the group's close, then its inside: one expression */
		for (; c < e; c++) {
			if (lo[c] == '(' || lo[c] == '[')
				d++;
			else if ((lo[c] == ')' || lo[c] == ']') && --d == 0)
				break;
		}
		if (c >= e || !data_js_expr(lo, c, p + 1))
			return 0;
		return payload_data_js_stmt_end(lo, n, e);
	}
	if (payload_word_at(lo, n, p, neg ? "false" : "true"))
		return payload_data_js_stmt_end(lo, n, p + (neg ? 5 : 4));
	if (payload_word_at(lo, n, p, neg ? "0" : "1"))
		return payload_data_js_stmt_end(lo, n, p + 1);
	return 0;
}

/* A JavaScript statement at p (after a string break and ';'): return
 * with an expression, a loop, a sleep or a declaration */
int payload_data_js_statement(const char *lo, size_t n, size_t p)
{
	if (payload_word_at(lo, n, p, "return"))
		return data_js_expr(lo, n, p + 6);
	if (payload_at(lo, n, p, "sleep("))
		return data_js_expr(lo, n, p);
	if (payload_word_at(lo, n, p, "while")) {
		size_t e;

		for (p += 5; p < n && payload_is_space((unsigned char)lo[p]);)
			p++;
		if (p >= n || lo[p] != '(')
			return 0;
		e = data_js_operand(lo, n, p, p + 160);
		if (!e)
			return 0;
		while (e < n && payload_is_space((unsigned char)lo[e]))
			e++;
		return e >= n || lo[e] == ';' || lo[e] == '{' || lo[e] == '\'' || lo[e] == '"';
	}
	if (payload_word_at(lo, n, p, "var") || payload_word_at(lo, n, p, "let") ||
	    payload_word_at(lo, n, p, "const")) {
		p += lo[p] == 'c' ? 5 : 3;
		if (p >= n || !payload_is_space((unsigned char)lo[p]))
			return 0;
		while (p < n && payload_is_space((unsigned char)lo[p]))
			p++;
		if (p >= n || !(payload_is_alpha((unsigned char)lo[p]) || lo[p] == '_' || lo[p] == '$'))
			return 0;
		while (p < n && (payload_is_alnum((unsigned char)lo[p]) || lo[p] == '_' || lo[p] == '$'))
			p++;
		while (p < n && payload_is_space((unsigned char)lo[p]))
			p++;
		return p >= n || lo[p] == '=' || lo[p] == ';' || lo[p] == ',';
	}
	return 0;
}
