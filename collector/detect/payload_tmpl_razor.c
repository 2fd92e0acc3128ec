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
	{"system.environment.", 50},
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

/* The score of the first such call in lo[0..n) (0: none) and its reason.
 * One pass: "system." is found in order, and the last '@' before each is
 * kept as the search goes. */
int payload_tmpl_razor_call(const char *lo, size_t n)
{
	size_t at_scan = 0, last_at = n;

	for (size_t s = payload_find(lo, n, 0, "system."); s < n; s = payload_find(lo, n, s + 7, "system.")) {
		size_t p = s;
		int score = 0;

		if (s > 0 && (payload_is_alnum((unsigned char)lo[s - 1]) || lo[s - 1] == '_'))
			continue;
		for (size_t k = 0; k < sizeof(razor_cls) / sizeof(razor_cls[0]) && !score; k++)
			if (payload_at(lo, n, s, razor_cls[k].s))
				score = razor_cls[k].score;
		if (!score)
			continue;
		/* the last '@' before s */
		for (; at_scan < s; at_scan++)
			if (lo[at_scan] == '@')
				last_at = at_scan;
		if (last_at >= s || s - last_at > RAZOR_NEAR)
			continue;
		/* judged for each class named (the chain after the '@' may run
		 * past an earlier one); at most RAZOR_NEAR bytes, and the
		 * names are 7 bytes or more apart */
		if (!razor_opens(lo, last_at, s))
			continue;
		/* a call of the class or its member: the chain, then '(' */
		while (p < n && p - s < 96 && ident((unsigned char)lo[p]))
			p++;
		while (p < n && p - s < 104 && payload_is_space((unsigned char)lo[p]))
			p++;
		if (p < n && lo[p] == '(')
			return score;
	}
	return 0;
}
