/* payload_xss_call.c - cross-site scripting as the whole value: one call
 * of a dialog or eval sink (alert(1), top["al"+"ert"](1), alert.call(null,1),
 * [alert][0](1)), as a reflected handler or script body would hold it.
 * Moved unchanged from payload_xss_ctx.c. */
#include "collector/detect/payload_xss_int.h"

#include <string.h>

/* a name bound in every page: window's own properties an argument of a
 * probe reads (alert(origin), eval(name)), and the literal names */
static int global_name(const char *lo, size_t s, size_t e)
{
	static const char *const g[] = {"window", "self", "top", "parent", "frames", "globalthis",
					"document", "location", "origin", "name", "opener", "navigator",
					"history", "localstorage", "sessionstorage", "this", "null",
					"undefined", "true", "false", "nan", "infinity", "event", "status",
					"screen", "length", "closed"};

	for (size_t k = 0; k < sizeof(g) / sizeof(g[0]); k++)
		if (strlen(g[k]) == e - s && !memcmp(lo + s, g[k], e - s))
			return 1;
	return 0;
}

/* lo[s..e) is a name programs give their own variables and no browser
 * binds on window: what a snippet's alert(msg) passes. Any other name may
 * be one of the page's globals (Math, crypto, fetch: a dialog opens), so
 * only these make a call a program's snippet. */
static int local_name(const char *lo, size_t s, size_t e)
{
	static const char *const l[] = {"msg", "message", "text", "txt", "err", "error", "errmsg",
					"errormessage", "e", "ex", "data", "res", "result", "response",
					"resp", "value", "val", "str", "output", "out", "info", "question",
					"defaultvalue", "answer", "reason", "warning", "item", "obj", "json",
					"input", "content", "body", "line", "label", "i", "n", "x", "s"};

	for (size_t k = 0; k < sizeof(l) / sizeof(l[0]); k++)
		if (strlen(l[k]) == e - s && !memcmp(lo + s, l[k], e - s))
			return 1;
	return 0;
}

/* one identifier from *p ([a-z_$][a-z0-9_$]*), blanks around it; moves *p
 * past it; 0 when none starts there */
static int ident_at(const char *lo, size_t n, size_t *p, size_t *s, size_t *e)
{
	size_t q = *p;

	while (q < n && q - *p < 8 && payload_is_space((unsigned char)lo[q]))
		q++;
	if (q >= n || !(payload_is_alpha((unsigned char)lo[q]) || lo[q] == '_' || lo[q] == '$'))
		return 0;
	*s = q;
	while (q < n && q - *s < 32 && (payload_is_alnum((unsigned char)lo[q]) || lo[q] == '$'))
		q++;
	*e = q;
	while (q < n && q - *e < 8 && payload_is_space((unsigned char)lo[q]))
		q++;
	*p = q;
	return 1;
}

/* the receiver Function.prototype.call is given at p, then ',' or ')':
 * null, undefined, this, a global object, a digit, an empty string */
static int receiver_at(const char *lo, size_t n, size_t p)
{
	size_t s, e;

	if (ident_at(lo, n, &p, &s, &e)) {
		if (!global_name(lo, s, e))
			return 0;
	} else {
		for (s = p; p < n && p - s < 8 && payload_is_space((unsigned char)lo[p]);)
			p++;
		if (p + 1 < n && (lo[p] == '\'' || lo[p] == '"') && lo[p + 1] == lo[p])
			p += 2;
		else if (p < n && lo[p] >= '0' && lo[p] <= '9')
			p++;
		else
			return 0;
		while (p < n && payload_is_space((unsigned char)lo[p]))
			p++;
	}
	return p < n && (lo[p] == ',' || lo[p] == ')');
}

/* the call's arguments at o ('(' there; after the receiver when member)
 * all names no page binds (alert(msg), alert.call(this, msg); local_name
 * lists them, as an attacker picks any global left off a list): the call
 * throws a ReferenceError before the dialog opens, a snippet of a
 * program, not a probe (which passes literals or globals); s0: the value
 * as written (lo's case undone), same offsets; cased: the sink was
 * written in lower case, as script needs it to run */
static int unbound_args(const char *s0, const char *lo, size_t n, size_t o, int member, int cased)
{
	size_t p = o + 1, s, e;
	int names = 0;

	if (member) {
		/* the receiver: one name, digit or empty string */
		while (p < n && p < o + 40 && lo[p] != ',' && lo[p] != ')')
			p++;
		if (p >= n || lo[p] != ',')
			return 0;
		p++;
	}
	for (int k = 0; k < 8; k++) {
		if (!ident_at(lo, n, &p, &s, &e) || global_name(lo, s, e) || !local_name(lo, s, e))
			return 0;
		/* as written, the sink spelt as script has it (cased): a
		 * capital on a constructor or namespace every page binds
		 * (Text, Error, JSON, Response) opens the dialog; Message,
		 * Question are no page's globals (a snippet's names) */
		if (cased && s0[s] >= 'A' && s0[s] <= 'Z' &&
		    (payload_at(lo, e, s, "text") || payload_at(lo, e, s, "error") || payload_at(lo, e, s, "json") ||
		     payload_at(lo, e, s, "response")) && e - s <= 8)
			return 0;
		names++;
		if (p < n && lo[p] == ')')
			return names > 0;
		if (p >= n || lo[p] != ',')
			return 0;
		p++;
	}
	return 0;
}

/* at *e: ".call(" / ".apply(" (or "?.call("), blanks allowed around the
 * '.'; moves *e to the '(' */
static int member_call(const char *lo, size_t n, size_t *e)
{
	size_t b = *e;

	while (b < n && b - *e < 8 && payload_is_space((unsigned char)lo[b]))
		b++;
	if (b + 1 < n && lo[b] == '?' && lo[b + 1] == '.')
		b++;
	if (b >= n || lo[b] != '.')
		return 0;
	b++;
	while (b < n && b - *e < 16 && payload_is_space((unsigned char)lo[b]))
		b++;
	if (payload_at(lo, n, b, "call"))
		b += 4;
	else if (payload_at(lo, n, b, "apply"))
		b += 5;
	else
		return 0;
	/* glued to its '(' ("Alert.call (Twilio)" names a product), or
	 * blanks before it and a receiver only script passes there:
	 * alert.call (null,1), alert.apply (this, [1]) */
	if (b < n && payload_is_space((unsigned char)lo[b])) {
		size_t c = b;
		while (c < n && c - b < 8 && payload_is_space((unsigned char)lo[c]))
			c++;
		if (c >= n || lo[c] != '(' || !receiver_at(lo, n, c + 1))
			return 0;
		b = c;
	}
	if (b >= n || lo[b] != '(')
		return 0;
	*e = b;
	return 1;
}

/* at *e: "[0]", "[ 0 ]", "['0']" ; moves *e past it */
static int array_zero(const char *lo, size_t n, size_t *e)
{
	size_t b = *e;

	while (b < n && b - *e < 4 && payload_is_space((unsigned char)lo[b]))
		b++;
	if (b >= n || lo[b++] != '[')
		return 0;
	while (b < n && b - *e < 8 && payload_is_space((unsigned char)lo[b]))
		b++;
	if (b + 2 < n && (lo[b] == '\'' || lo[b] == '"') && lo[b + 1] == '0' && lo[b + 2] == lo[b])
		b += 3;
	else if (b < n && lo[b] == '0')
		b++;
	else
		return 0;
	while (b < n && b - *e < 16 && payload_is_space((unsigned char)lo[b]))
		b++;
	if (b >= n || lo[b] != ']')
		return 0;
	*e = b + 1;
	return 1;
}

/* the whole value one call of a dialog or eval sink, as a reflected
 * handler or script body would hold it: alert(1), prompt`1`;//,
 * top.confirm(1) */
/* a timer's first argument at p a function's name or member path and a
 * delay after it: setTimeout(fn, 1000), setInterval(this.tick, 500). Not
 * a sink's name (setTimeout(alert,0) opens the dialog) nor a string the
 * page holds (name, location.hash, document.cookie: evaluated as code). */
static int timer_fn_name(const char *lo, size_t n, size_t p)
{
	/* globals first, then members that hold a page's strings (only
	 * after a '.': a bare "search" or "data" is the page's own name) */
	static const char *const w[] = {"alert", "prompt", "confirm", "eval", "print", "name", "location",
					"atob", "function", "hash", "search", "href", "cookie", "value", "data",
					"src", "innerhtml", "innertext", "textcontent"};
	size_t s = p, last = p;

	if (p >= n || !(payload_is_alpha((unsigned char)lo[p]) || lo[p] == '_' || lo[p] == '$'))
		return 0;
	for (; p < n && p - s < 64 && (payload_is_alnum((unsigned char)lo[p]) || strchr("_$.", lo[p])); p++)
		if (lo[p] == '.')
			last = p + 1;
	while (p < n && payload_is_space((unsigned char)lo[p]))
		p++;
	if (p >= n || lo[p] != ',' || last >= p)
		return 0;
	/* the delay (a number or a name) must be the last argument: the
	 * timer passes any after it to the function, and a timer or a
	 * writer given a string evaluates it (setTimeout(setTimeout, 0,
	 * 'alert(1)'), setInterval(execScript, 0, '...')) */
	size_t q = p + 1, d;
	while (q < n && payload_is_space((unsigned char)lo[q]))
		q++;
	for (d = q; q < n && q - d < 32 && (payload_is_alnum((unsigned char)lo[q]) || strchr("_$.", lo[q])); q++)
		;
	while (q < n && payload_is_space((unsigned char)lo[q]))
		q++;
	if (q == d || q >= n || lo[q] != ')')
		return 0;
	for (size_t k = 0; k < (last > s ? sizeof(w) / sizeof(w[0]) : 9); k++)
		if (payload_at(lo, n, last, w[k]) && !payload_is_alnum((unsigned char)lo[last + strlen(w[k])]))
			return 0;
	return 1;
}

/* the value ends (blanks, ';' and '/' aside) in ')' or '`' after o */
static int call_ends(const char *lo, size_t n, size_t o)
{
	size_t z = n;

	while (z > o && (payload_is_space((unsigned char)lo[z - 1]) || lo[z - 1] == ';' || lo[z - 1] == '/'))
		z--;
	return z > o && (lo[z - 1] == ')' || lo[z - 1] == '`');
}

/* at o '(': the matching ')' within 64 bytes (quotes not read), or n */
static size_t paren_close(const char *lo, size_t n, size_t o)
{
	int d = 0;

	for (size_t q = o; q < n && q < o + 64; q++)
		if (lo[q] == '(')
			d++;
		else if (lo[q] == ')' && --d == 0)
			return q;
	return n;
}

/* Reflect reaching a sink: Reflect.apply(alert, window, [1]) calls it;
 * Reflect.get(window, 'al'+'ert')(1) reads a global by a name a string
 * builds and calls what it got. p: where the value's code starts. */
static int reflect_sink(const char *lo, size_t n, size_t p)
{
	static const char *const sink[] = {"alert", "prompt", "confirm", "eval", "print"};
	size_t q, s, e;

	if (payload_at(lo, n, p, "reflect.apply(")) {
		q = p + 14;
		if (!ident_at(lo, n, &q, &s, &e) || q >= n || lo[q] != ',')
			return 0;
		for (size_t k = 0; k < sizeof(sink) / sizeof(sink[0]); k++)
			if (strlen(sink[k]) == e - s && !memcmp(lo + s, sink[k], e - s))
				return call_ends(lo, n, q);
		return 0;
	}
	if (!payload_at(lo, n, p, "reflect.get("))
		return 0;
	q = p + 12;
	if (!ident_at(lo, n, &q, &s, &e) || !global_name(lo, s, e) || q >= n || lo[q] != ',')
		return 0;
	{
		size_t c = paren_close(lo, n, p + 11);
		int built = 0;
		for (size_t k = q; k < c; k++)
			built |= lo[k] == '"' || lo[k] == '\'' || lo[k] == '`' || lo[k] == '+';
		return built && c + 1 < n && (lo[c + 1] == '(' || lo[c + 1] == '`') && call_ends(lo, n, c + 1);
	}
}

void payload_xss_whole_call(const char *s, const char *lo, size_t n, struct payload_acc *a)
{
	static const char *const bare[] = {"alert", "prompt", "confirm", "eval",
					   "settimeout", "setinterval"};
	static const char *const glob[] = {"top[", "window[", "self[", "parent[", "this[",
					   "globalthis[", "frames["};
	size_t p = 0, e;
	int picked, member = 0;

	while (p < n && (payload_is_space((unsigned char)lo[p]) || lo[p] == '(' || lo[p] == '['))
		p++;
	if (payload_at(lo, n, p, "reflect.") && reflect_sink(lo, n, p)) {
		payload_acc_hit(a, PAYLOAD_XSS, 60, "dialog or eval sink reached through reflect");
		return;
	}
	/* a global called by a computed name: top["al"+"ert"](1) */
	for (size_t k = 0; k < sizeof(glob) / sizeof(glob[0]); k++)
		if (payload_at(lo, n, p, glob[k])) {
			size_t z = n, b = payload_find(lo, n, p, "](");
			while (z > p && (payload_is_space((unsigned char)lo[z - 1]) || lo[z - 1] == ';' ||
					 lo[z - 1] == '/'))
				z--;
			/* the name a string built or computed: top[3](x) is prose */
			size_t q = p + strlen(glob[k]);
			int built = 0;
			for (; q < b; q++)
				built |= lo[q] == '"' || lo[q] == '\'' || lo[q] == '`' || lo[q] == '+' || lo[q] == '(';
			if (b < n && z > b && lo[z - 1] == ')' && built)
				payload_acc_hit(a, PAYLOAD_XSS, 60, "global called by a computed name");
			return;
		}
	/* the sink named through a global object: window.alert(1) */
	for (size_t k = 0; k < sizeof(glob) / sizeof(glob[0]); k++) {
		size_t l;
		/* neither test below passes at another first byte */
		if (p >= n || lo[p] != glob[k][0])
			continue;
		l = strlen(glob[k]) - 1;
		if (p + l + 1 >= n || payload_at(lo, n, p, glob[k]) || memcmp(lo + p, glob[k], l))
			continue;
		/* or optionally chained: window?.alert?.(1) */
		if (lo[p + l] == '?' && lo[p + l + 1] == '.')
			l++;
		if (lo[p + l] != '.')
			continue;
		p += l + 1;
		break;
	}
	for (size_t k = 0; k < sizeof(bare) / sizeof(bare[0]); k++) {
		size_t l;

		if (!payload_at(lo, n, p, bare[k]))
			continue;
		l = strlen(bare[k]);
		if (p + l >= n)
			continue;
		e = p + l;
		/* called through Function.prototype or optionally, blanks
		 * allowed around the member: alert.call(null,1),
		 * alert .apply (null,[1]), alert?.call(..), alert?.(1) */
		/* bound first, then called: alert.bind()(1), alert.bind(null, 1)() */
		if (payload_at(lo, n, e, ".bind(")) {
			size_t c = paren_close(lo, n, e + 5);
			if (c + 1 < n && (lo[c + 1] == '(' || lo[c + 1] == '`') && call_ends(lo, n, c + 1) &&
			    (c > e + 6 || (lo[c + 2] != ')' && lo[c + 2] != '`')))
				payload_acc_hit(a, PAYLOAD_XSS, 60, "dialog or eval sink bound and called");
			break;
		}
		picked = member = member_call(lo, n, &e);
		if (!picked && (payload_at(lo, n, e, "?.(") || payload_at(lo, n, e, "?.`")))
			e += 2;
		/* (alert)(1) and [alert][0], [ alert ][ 0 ]; "Confirm (2)" is
		 * a button label: a blank only before a closer */
		for (;;) {
			size_t b = e;

			while (b < n && b - e < 8 && payload_is_space((unsigned char)lo[b]))
				b++;
			if (b >= n || (lo[b] != ')' && lo[b] != ']'))
				break;
			e = b + 1;
			picked = 1;
		}
		/* picked back out of its array: [alert][0](1), [alert]['0'](1) */
		if (e > p + l && lo[e - 1] == ']' && array_zero(lo, n, &e))
			picked = 1;
		/* and then through a member: [alert][0].call(null,1) */
		if (picked && member_call(lo, n, &e))
			member = 1;
		/* after a pick, blanks before the call's '(': [ alert ][ 0 ]( 1 ) */
		while (picked && e < n && lo[e - 1] == ']' && e - p < 96 && payload_is_space((unsigned char)lo[e]))
			e++;
		/* a timer given a function is ordinary script, not a
		 * string evaluated: setTimeout(function () {...}, 10) */
		if (k >= 4 && e + 1 < n &&
		    (payload_at(lo, n, e + 1, "function") || lo[e + 1] == '(' || timer_fn_name(lo, n, e + 1)))
			break;
		if (e + 2 < n && (lo[e] == '(' || lo[e] == '`') && lo[e + 1] != ')' && lo[e + 1] != '`') {
			/* the call must end the value (bar ; // and closers) */
			size_t z = n;
			while (z > e && (payload_is_space((unsigned char)lo[z - 1]) || lo[z - 1] == ';' ||
					 lo[z - 1] == '/'))
				z--;
			if (z > e && (lo[z - 1] == ')' || lo[z - 1] == '`') &&
			    !(lo[e] == '(' && unbound_args(s, lo, n, e, member, !memcmp(s + p, bare[k], l))))
				payload_acc_hit(a, PAYLOAD_XSS, 60, "dialog or eval call as the whole value");
		}
		break;
	}
}
