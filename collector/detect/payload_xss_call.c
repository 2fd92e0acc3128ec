/* payload_xss_call.c - cross-site scripting as the whole value: one call
 * of a dialog or eval sink (alert(1), top["al"+"ert"](1), alert.call(null,1),
 * [alert][0](1)), as a reflected handler or script body would hold it.
 * Moved unchanged from payload_xss_ctx.c. */
#include "collector/detect/payload_xss_int.h"

#include <string.h>

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
	/* glued to its '(': "Alert.call (Twilio)" names a product */
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
void payload_xss_whole_call(const char *lo, size_t n, struct payload_acc *a)
{
	static const char *const bare[] = {"alert", "prompt", "confirm", "eval",
					   "settimeout", "setinterval"};
	static const char *const glob[] = {"top[", "window[", "self[", "parent[", "this[",
					   "globalthis[", "frames["};
	size_t p = 0, e;
	int picked;

	while (p < n && (payload_is_space((unsigned char)lo[p]) || lo[p] == '(' || lo[p] == '['))
		p++;
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
		picked = member_call(lo, n, &e);
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
		if (picked)
			member_call(lo, n, &e);
		/* after a pick, blanks before the call's '(': [ alert ][ 0 ]( 1 ) */
		while (picked && e < n && lo[e - 1] == ']' && e - p < 96 && payload_is_space((unsigned char)lo[e]))
			e++;
		/* a timer given a function is ordinary script, not a
		 * string evaluated: setTimeout(function () {...}, 10) */
		if (k >= 4 && e + 1 < n && (payload_at(lo, n, e + 1, "function") || lo[e + 1] == '('))
			break;
		if (e + 2 < n && (lo[e] == '(' || lo[e] == '`') && lo[e + 1] != ')' && lo[e + 1] != '`') {
			/* the call must end the value (bar ; // and closers) */
			size_t z = n;
			while (z > e && (payload_is_space((unsigned char)lo[z - 1]) || lo[z - 1] == ';' ||
					 lo[z - 1] == '/'))
				z--;
			if (z > e && (lo[z - 1] == ')' || lo[z - 1] == '`'))
				payload_acc_hit(a, PAYLOAD_XSS, 60, "dialog or eval call as the whole value");
		}
		break;
	}
}
