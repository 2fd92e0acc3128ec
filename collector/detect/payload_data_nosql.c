/* payload_data_nosql.c - NoSQL operator injection in a value, for
 * payload_data.c's payload_data_scan: MongoDB query operators smuggled in
 * through a query name's bracket or an object's key, JavaScript aimed at
 * $where (a string broken, then a statement), and the mongo shell's own
 * calls. Which field an operator applies to is payload_nosql.c's; the
 * operator names are payload_data.c's (payload_data_mongo_op), shared with
 * its JSON body shape scan. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_nosql_int.h"

#include <string.h>

/* operators that act at a filter's top level, o[0..l) after the '$' ($or,
 * $and, $nor hold clauses judged each on its own) */
static int top_level_op(const char *o, size_t l)
{
	static const char *const top[] = {"where", "expr", "jsonschema", "text"};

	for (size_t k = 0; k < sizeof(top) / sizeof(top[0]); k++)
		if (strlen(top[k]) == l && !memcmp(o, top[k], l))
			return 1;
	return 0;
}

static size_t skip_blank(const char *lo, size_t n, size_t i)
{
	while (i < n && payload_is_space((unsigned char)lo[i]))
		i++;
	return i;
}

/* The mongo shell's calls at at ("db."): the database's own
 * (db.dropDatabase(), db.eval(..)) or a collection's (db.users.find(..)).
 * After a statement break (';', or a string closed then ';') it is code
 * put into a $where string or an eval: 80. Standing alone it is also what
 * a forum post or a how-to quotes ("db.users.find({ age: { $gt: 18 } })"):
 * 50, a finding below the kill line. */
static void mongo_shell_call(const char *lo, size_t n, size_t at, struct payload_acc *a)
{
	static const char *const dbm[] = {"getcollection(", "dropdatabase(", "eval(", "getcollectionnames(",
					  "runcommand(", "admincommand(", "shutdownserver(", "getsiblingdb(",
					  "getmongo(", "getusers(", "createuser("};
	static const char *const cm[] = {".find(", ".drop(", ".remove(", ".insert(", ".update(", ".findone(",
					 ".deletemany(", ".deleteone(", ".insertone(", ".insertmany(",
					 ".updatemany(", ".updateone(", ".aggregate(", ".mapreduce(",
					 ".count(", ".findoneandupdate(", ".renamecollection("};
	size_t p = at + 3, b = at;
	int call = 0, brk;

	if (at > 0 && payload_is_alnum((unsigned char)lo[at - 1]))
		return;
	for (size_t k = 0; k < sizeof(dbm) / sizeof(dbm[0]) && !call; k++)
		call = payload_at(lo, n, p, dbm[k]);
	while (!call && p < n && (payload_is_alnum((unsigned char)lo[p]) || lo[p] == '_'))
		p++;
	for (size_t k = 0; k < sizeof(cm) / sizeof(cm[0]) && !call; k++)
		call = payload_at(lo, n, p, cm[k]);
	if (!call)
		return;
	while (b > 0 && payload_is_space((unsigned char)lo[b - 1]))
		b--;
	/* the break ends a string, a number or a call closed on one ("'; db.",
	 * "1; db.", "');db."), not a word nor a call of the how-to's own:
	 * the docs' "use admin; db.createUser(..)", "..({email: 1});
	 * db.users.count()"; or the call is an operand of || or && ("1 ||
	 * db.users.drop()") or what a function returns */
	brk = 0;
	if (b > 0 && lo[b - 1] == ';') {
		size_t c = b - 1;

		while (c > 0 && payload_is_space((unsigned char)lo[c - 1]))
			c--;
		if (c > 1 && lo[c - 1] == ')')
			c--;
		brk = c > 0 && (lo[c - 1] == '\'' || lo[c - 1] == '"' || (lo[c - 1] >= '0' && lo[c - 1] <= '9'));
	} else if (b > 1 && (lo[b - 1] == '|' || lo[b - 1] == '&') && lo[b - 2] == lo[b - 1]) {
		brk = 1;
	} else if (b > 1 && (lo[b - 1] == '+' || lo[b - 1] == '|' || lo[b - 1] == '&')) {
		brk = lo[b - 2] == '\'' || lo[b - 2] == '"' || lo[b - 2] == ' ';
	} else if (b >= 6 && !memcmp(lo + b - 6, "return", 6) && b < at) {
		brk = b == 6 || !payload_is_alnum((unsigned char)lo[b - 7]);
	}
	payload_acc_hit(a, PAYLOAD_NOSQLI, brk ? 80 : 50, "mongo shell call");
}

/* MongoDB operators in the value: as a query name's bracket
 * (user[$ne]=), an object's key ({"$gt": ""}), the whole value */
static void nosql_ops(const struct payload_val *v, struct payload_acc *a)
{
	const char *lo = v->lo;
	size_t n = v->n;

	for (const char *p = memchr(lo, '$', n); p; p = memchr(p + 1, '$', n - (size_t)(p + 1 - lo))) {
		size_t i = (size_t)(p - lo), l = payload_data_mongo_op(lo, n, i + 1), b = i, e;
		int rare;

		if (!l)
			continue;
		/* nothing later scores more; a value of "[$ne]" repeated
		 * is judged once */
		if (a->score[PAYLOAD_NOSQLI] >= 85)
			break;
		e = i + 1 + l;
		/* $size and $all are English-ish; only as a whole key */
		rare = payload_at(lo, n, i + 1, "size") || payload_at(lo, n, i + 1, "all");
		if (i == 0 && e == n) {
			/* the whole value an operator: as a query's name
			 * (find(req.query) with ?$where=...) only one that
			 * stands at a filter's top level acts; a JSON body's
			 * keys are judged with their object
			 * (payload_json_shape_scan) */
			if (top_level_op(lo + 1, l))
				payload_acc_hit(a, PAYLOAD_NOSQLI, 75, "query operator as a key");
			continue;
		}
		if (b > 0 && (lo[b - 1] == '"' || lo[b - 1] == '\''))
			b--;
		if (e < n && (lo[e] == '"' || lo[e] == '\''))
			e++;
		/* user[$ne]=, [$ne]=: a query name's bracket, after a name
		 * or before the '=' (not "[$ne]" alone, which names nothing) */
		if (b > 0 && lo[b - 1] == '[' && e < n && lo[e] == ']') {
			if (!((b > 1 && (payload_is_alnum((unsigned char)lo[b - 2]) || lo[b - 2] == ']' ||
					 lo[b - 2] == '-')) || (e + 1 < n && lo[e + 1] == '=')))
				continue;
			/* price[$lt]=100: a filter API's comparison on a data field */
			if (payload_nosql_compare_op(lo + i + 1, l) && payload_nosql_data_field(lo, n, b - 1, 1) &&
			    !payload_nosql_or_tautology(lo, n, lo + i + 1, l))
				payload_acc_hit(a, PAYLOAD_NOSQLI, 50, "query operator on a data field");
			/* filters[$or][0][city][$eq]=: each clause judged on its own */
			else if (payload_nosql_logical_op(lo + i + 1, l))
				payload_acc_hit(a, PAYLOAD_NOSQLI, 50, "logical operator in a bracketed key");
			else
				payload_acc_hit(a, PAYLOAD_NOSQLI, rare ? 70 : 85,
						"query operator in a bracketed key");
			continue;
		}
		while (e < n && (lo[e] == ' ' || lo[e] == '\t'))
			e++;
		if (e >= n || lo[e] != ':')
			continue;
		while (b > 0 && (lo[b - 1] == ' ' || lo[b - 1] == '\t' || lo[b - 1] == '\n'))
			b--;
		/* a quoted key is JSON wherever it stands; an unquoted one
		 * only in a value that is an object literal ("{$gt: ''}"),
		 * not in prose quoting the mongo shell */
		if (b > 0 && (lo[b - 1] == '{' || lo[b - 1] == ',') &&
		    (lo[i - 1] == '"' || lo[i - 1] == '\'' || lo[skip_blank(lo, n, 0)] == '{')) {
			if ((payload_nosql_compare_op(lo + i + 1, l) &&
			     payload_nosql_data_field(lo, n, lo[i - 1] == '"' || lo[i - 1] == '\'' ? i - 1 : i, 0) &&
			     !payload_nosql_or_tautology(lo, n, lo + i + 1, l)) ||
			    payload_nosql_range_object(lo, n))
				payload_acc_hit(a, PAYLOAD_NOSQLI, 50, "query operator on a data field");
			else
				payload_acc_hit(a, PAYLOAD_NOSQLI, rare ? 70 : 85, "query operator object");
		}
		else if (payload_at(lo, n, i + 1, "where"))
			payload_acc_hit(a, PAYLOAD_NOSQLI, 80, "where clause with javascript");
	}
}

/* JavaScript aimed at a $where string or the mongo shell's calls */
static void nosql_js(const struct payload_val *v, struct payload_acc *a)
{
	const char *lo = v->lo;
	size_t n = v->n;

	/* JavaScript aimed at a $where string: break out of the string, then
	 * a statement; or the mongo shell's own calls */
	for (int qk = 0; qk < 2; qk++) {
		/* the value's first quote: "x = 'a'; return x" is code;
		 * blanks before the ';' too ("' ; while(1); '") */
		const char *fq = memchr(lo, qk ? '"' : '\'', n);
		size_t i = fq ? (size_t)(fq - lo) : n, p;

		if (i + 2 < n) {
			/* blanks and comments around the ';' ("'/ * * /;") */
			p = payload_data_js_blank(lo, n, i + 1);
			if (p >= n || lo[p] != ';')
				continue;
			p = payload_data_js_blank(lo, n, p + 1);
			if (payload_data_js_statement(lo, n, p))
				payload_acc_hit(a, PAYLOAD_NOSQLI, 75, "javascript statement after a string break");
		}
	}
	/* a number ending a $where expression, then a statement that makes
	 * it true: "1; return true" */
	{
		size_t p = 0;
		while (p < n && lo[p] >= '0' && lo[p] <= '9')
			p++;
		if (p > 0)
			p = payload_data_js_blank(lo, n, p);
		if (p > 0 && p + 1 < n && lo[p] == ';') {
			p = payload_data_js_blank(lo, n, p + 1);
			/* blanks and comments after the word: "return/ * * /true" */
			int ret = payload_word_at(lo, n, p, "return"), wh = !ret && payload_word_at(lo, n, p, "while");
			size_t r = ret || wh ? payload_data_js_blank(lo, n, p + (ret ? 6 : 5)) : n;
			int rt = 0, wt = 0;

			/* ... that ends there: "1; return true if valid" is prose */
			if (ret)
				rt = payload_data_js_returned(lo, n, r);
			if (wh && (payload_at(lo, n, r, "(true)") || payload_at(lo, n, r, "(1)")))
				wt = payload_data_js_stmt_end(lo, n, r + (lo[r + 1] == 't' ? 6 : 3));
			if (rt || wt || (payload_at(lo, n, p, "sleep(") && p + 6 < n && lo[p + 6] >= '0' && lo[p + 6] <= '9'))
				payload_acc_hit(a, PAYLOAD_NOSQLI, 75, "javascript statement after a number");
		}
	}
	/* ' || '1'=='1: out of the string, a JavaScript comparison */
	{
		size_t f = 0, p;
		while (f < n && lo[f] != '\'' && lo[f] != '"')
			f++;
		p = f < n ? payload_data_js_blank(lo, n, f + 1) : n;
		if (f < n && (payload_at(lo, n, p, "||") || payload_at(lo, n, p, "&&")) &&
		    payload_find(lo, n, p, "==") < n)
			payload_acc_hit(a, PAYLOAD_NOSQLI, 75, "javascript comparison after a string break");
	}
	if (payload_find(lo, n, 0, "this.") < n) {
		for (size_t at = payload_find(lo, n, 0, "this."); at < n; at = payload_find(lo, n, at + 1, "this.")) {
			size_t p = at + 5;
			while (p < n && payload_is_alnum((unsigned char)lo[p]))
				p++;
			while (p < n && lo[p] == ' ' && p + 2 < n && lo[p + 1] == '=')
				p++;
			if (p > at + 5 && (payload_at(lo, n, p, ".match(") || payload_at(lo, n, p, ".length") ||
					   payload_at(lo, n, p, "==") || payload_at(lo, n, p, ".indexof(")) &&
			    (at == 0 || !payload_is_alnum((unsigned char)lo[at - 1])))
				payload_acc_hit(a, PAYLOAD_NOSQLI, 70, "document field test in javascript");
		}
	}
	/* a call needs its '(' within the longest name and method: the next
	 * '(' is kept as the search goes ("db.db.db..." is one pass) */
	for (size_t at = payload_find(lo, n, 0, "db."), par = 0; at < n; at = payload_find(lo, n, at + 1, "db.")) {
		if (par <= at) {
			const char *q = memchr(lo + at, '(', n - at);
			par = q ? (size_t)(q - lo) : n;
		}
		if (par < n && par - at <= 64)
			mongo_shell_call(lo, n, at, a);
	}
}

/* NoSQL operator injection in a value (payload_data_scan): operators,
 * then JavaScript, in that order (a finding's reason is the first of
 * the best score) */
void payload_data_nosql(const struct payload_val *v, struct payload_acc *a)
{
	nosql_ops(v, a);
	nosql_js(v, a);
}
