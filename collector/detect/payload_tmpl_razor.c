/* payload_tmpl_razor.c - Razor (ASP.NET) code reaching the system: a
 * .NET class that starts a process, reads or lists files, the environment
 * or reflection, called in code that '@' opens. Razor needs no closing
 * delimiter: @System.Diagnostics.Process.Start("cmd"), @{ ... }, @( ... ),
 * and a helper's argument, @Html.Raw(System.IO.File.ReadAllText("x")). */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_tmpl_int.h"

#include <string.h>

#define RAZOR_NEAR 96 /* bytes from the '@' to the class named */

static const struct {
	const char *s;
	int score;
	int prop; /* a member read is enough: its properties (MachineName) */
} razor_cls[] = {
	{"system.diagnostics.process", 90},
	/* writing a file (a view written is code on its next render),
	 * deleting one, loading an assembly, making an instance of a type
	 * named in a string (Activator.CreateInstance(Type.GetType(
	 * "System.Diagnostics.Process"))): what no layout does */
	{"system.io.file.write", 85},
	{"system.io.file.append", 85},
	{"system.io.file.copy", 85},
	{"system.io.file.move", 85},
	{"system.io.file.delete", 85},
	{"system.io.file.create", 85},
	{"system.io.file.replace", 85},
	{"system.io.directory.delete", 85},
	{"system.io.directory.move", 85},
	{"system.reflection.assembly.load", 85},
	{"system.activator.createinstance", 85},
	{"system.type.gettype", 85},
	{"system.appdomain.currentdomain.load", 85},
	/* told, below the kill line: a layout's own Razor reads these
	 * (@System.Reflection.Assembly.GetEntryAssembly()?.GetName().Version,
	 * @System.Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT"),
	 * @Html.Raw(System.IO.File.ReadAllText(Server.MapPath("~/terms.html")))) */
	{"system.io.file.", 50},
	{"system.io.directory.", 50},
	{"system.io.streamreader", 50},
	{"system.io.filestream", 50},
	{"system.environment.", 50, 1},
	{"system.reflection.", 50},
	{"system.net.webclient", 50},
	{"system.appdomain.", 50},
	{"system.activator.", 50},
	{"system.type.gettype", 50},
	{"system.runtime.interopservices", 50},
};

static int ident(int c)
{
	return payload_is_alnum(c) || c == '_' || c == '.';
}

static int blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Does lo at i spell the dotted name pat, C# allowing blanks around each
 * '.' ("System . Diagnostics")? Its end, or 0. */
static size_t razor_spelt(const char *lo, size_t n, size_t i, const char *pat)
{
	for (; *pat; pat++) {
		if (*pat == '.') {
			while (i < n && blank((unsigned char)lo[i]))
				i++;
			if (i >= n || lo[i] != '.')
				return 0;
			i++;
			while (i < n && blank((unsigned char)lo[i]))
				i++;
			continue;
		}
		if (i >= n || lo[i] != *pat)
			return 0;
		i++;
	}
	return i;
}

/* Does the '@' at t open code that reaches s: @System... itself, @( or
 * @{ before it, or a call @Name.Name( opened before it? */
static int razor_opens(const char *lo, size_t t, size_t s)
{
	size_t e = t + 1;

	if (e == s || lo[e] == '(' || lo[e] == '{')
		return 1;
	while (e < s && ident((unsigned char)lo[e]))
		e++;
	return e > t + 1 && e < s && lo[e] == '(';
}

/* The member chain from p (blanks allowed around its dots, bounded):
 * its end past any blanks */
static size_t razor_chain(const char *lo, size_t n, size_t p)
{
	size_t s = p;

	while (p < n && p - s < 96) {
		if (ident((unsigned char)lo[p])) {
			p++;
			continue;
		}
		if (blank((unsigned char)lo[p])) {
			size_t q = p;

			while (q < n && q - s < 104 && blank((unsigned char)lo[q]))
				q++;
			if (q < n && (lo[q] == '.' || lo[p - 1] == '.') && q - s < 96) {
				p = q;
				continue;
			}
			return q;
		}
		break;
	}
	return p;
}

/* The score of the classes whose dotted names, less their first skip
 * bytes, are spelt from s (name from s on), judged as a call opened by
 * the last '@' before s (ns: the namespace a using imported, or NULL
 * for the whole name): a call of the class or its member (the chain
 * then '('), or for the environment a property read (@System.
 * Environment.MachineName, told: a layout may show it). *last_at: the last '@' seen before at_scan. */
static int razor_at(const char *lo, size_t n, size_t s, const char *ns, size_t *at_scan, size_t *last_at)
{
	size_t skip = ns ? strlen(ns) + 1 : 0;

	for (size_t k = 0; k < sizeof(razor_cls) / sizeof(razor_cls[0]); k++) {
		size_t e, p;
		const char *pat = razor_cls[k].s;

		if (strlen(pat) <= skip || (ns && (strncmp(pat, ns, skip - 1) || pat[skip - 1] != '.')))
			continue;
		e = razor_spelt(lo, n, s, pat + skip);
		if (!e)
			continue;
		for (; *at_scan < s; (*at_scan)++)
			if (lo[*at_scan] == '@')
				*last_at = *at_scan;
		if (*last_at >= s || s - *last_at > RAZOR_NEAR || !razor_opens(lo, *last_at, s))
			return 0;
		p = razor_chain(lo, n, e);
		if (p < n && lo[p] == '(')
			return razor_cls[k].score;
		/* a member read: the told classes' chain past the name */
		if (razor_cls[k].prop && e < n &&
		    payload_is_alnum((unsigned char)lo[e]))
			return razor_cls[k].score;
		return 0;
	}
	return 0;
}

/* "@using System.X;" imports a namespace: its classes are then named
 * without it (@using System.Diagnostics;@Process.Start("cmd")). The
 * classes of the first namespaces imported, searched after the using;
 * each pass is one search of the value. */
#define RAZOR_USINGS 2

static int razor_using(const char *lo, size_t n)
{
	int best = 0;
	size_t u = 0;

	for (int k = 0; k < RAZOR_USINGS; k++) {
		size_t e, e0, skip, at_scan, last_at, al = 0;
		char name[48], alias[16];
		int stat = 0;

		u = payload_find(lo, n, u, "@using");
		if (u >= n)
			break;
		u += 6;
		e = u;
		while (e < n && blank((unsigned char)lo[e]))
			e++;
		if (e == u)
			continue;
		if (payload_at(lo, n, e, "static") && e + 6 < n && blank((unsigned char)lo[e + 6]))
			for (stat = 1, e += 6; e < n && blank((unsigned char)lo[e]);)
				e++;
		/* an alias: "@using D = System.Diagnostics;" names the classes
		 * D.Process */
		e0 = e;
		while (e < n && al + 1 < sizeof(alias) && (payload_is_alnum((unsigned char)lo[e]) || lo[e] == '_'))
			alias[al++] = lo[e++];
		while (e < n && blank((unsigned char)lo[e]))
			e++;
		if (e < n && lo[e] == '=' && al) {
			for (e++; e < n && blank((unsigned char)lo[e]);)
				e++;
		} else {
			e = e0; /* no alias: the name is read again below */
			al = 0;
		}
		skip = 0;
		while (e < n && skip + 1 < sizeof(name) && (ident((unsigned char)lo[e]) || blank((unsigned char)lo[e]))) {
			if (!blank((unsigned char)lo[e]))
				name[skip++] = lo[e];
			else if (!(e + 1 < n && (lo[e + 1] == '.' || lo[e - 1] == '.' || blank((unsigned char)lo[e + 1]))))
				break;
			e++;
		}
		name[skip] = '\0';
		if (strncmp(name, "system.", 7) || e >= n)
			continue;
		/* "@using static System.Diagnostics.Process;" then @Start("x") */
		if (stat && !strcmp(name, "system.diagnostics.process")) {
			for (size_t f = payload_find(lo, n, e, "@start"); f < n; f = payload_find(lo, n, f + 1, "@start")) {
				size_t p = f + 6;

				while (p < n && blank((unsigned char)lo[p]))
					p++;
				if (p < n && lo[p] == '(')
					return 90;
			}
			continue;
		}
		/* the classes under the namespace: their names less "ns." */
		for (size_t c = 0; c < sizeof(razor_cls) / sizeof(razor_cls[0]); c++) {
			const char *pat = razor_cls[c].s;
			size_t l = strlen(name), f;
			int sc;

			if (razor_cls[c].score <= best || strncmp(pat, name, l) || pat[l] != '.' || !pat[l + 1])
				continue;
			/* the last '@' is kept as the search goes: one pass */
			at_scan = e;
			last_at = n;
			for (f = payload_find(lo, n, e, pat + l + 1); f < n; f = payload_find(lo, n, f + 1, pat + l + 1)) {
				if (payload_is_alnum((unsigned char)lo[f - 1]) || lo[f - 1] == '_')
					continue;
				if (lo[f - 1] == '.') {
					/* D.Process with D the alias, opened by its '@':
					 * judged as if the '@' stood at the '.' */
					size_t as = f - 1 - al, s0 = f, l0 = f - 1;

					if (!al || f < al + 2 || lo[as - 1] != '@' || memcmp(lo + as, alias, al))
						continue;
					sc = razor_at(lo, n, f, name, &s0, &l0);
				} else {
					sc = razor_at(lo, n, f, name, &at_scan, &last_at);
				}
				if (sc > best)
					best = sc;
				if (sc)
					break;
			}
		}
	}
	return best;
}

/* The score of the first such call in lo[0..n) (0: none) and its reason.
 * One pass: "system" is found in order, and the last '@' before each is
 * kept as the search goes. */
int payload_tmpl_razor_call(const char *lo, size_t n)
{
	size_t at_scan = 0, last_at = n;

	for (size_t s = payload_find(lo, n, 0, "system"); s < n; s = payload_find(lo, n, s + 6, "system")) {
		int score;

		if (s > 0 && (payload_is_alnum((unsigned char)lo[s - 1]) || lo[s - 1] == '_'))
			continue;
		score = razor_at(lo, n, s, NULL, &at_scan, &last_at);
		if (score)
			return score;
	}
	return payload_find(lo, n, 0, "@using") < n ? razor_using(lo, n) : 0;
}
