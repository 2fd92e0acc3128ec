/* payload_shellc.c - command injection: a whole value that is one
 * command line with no separator before it (see payload_shellc_cmdline
 * in payload_shell_int.h). */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_shell_int.h"

#include <string.h>
#include <strings.h>

/* an IPv4 address at p, to the value's end or a quote */
static int dotted_quad(const char *s, size_t n, size_t p)
{
	int dots = 0, digits = 0;

	for (; p < n && s[p] != '\'' && s[p] != '"'; p++) {
		if (s[p] == '.' && digits)
			dots++, digits = 0;
		else if (s[p] >= '0' && s[p] <= '9' && digits < 3)
			digits++;
		else
			return 0;
	}
	return dots == 3 && digits;
}

static int is_devtool(const char *w)
{
	static const char *const d[] = {"ssh", "scp", "gcc", "crontab", "ftp", "tftp", "telnet",
					"sudo", "su", "node", "lua", "curl", "wget"};
	for (size_t k = 0; k < sizeof(d) / sizeof(d[0]); k++)
		if (d[k][0] == w[0] && !strcmp(d[k], w))
			return 1;
	return 0;
}

/* Windows' admin tools and the account tools: a command line of one
 * of them alone is an operator's (payload_shellc_cmdline) */
static int admin_tool(const char *w)
{
	static const char *const d[] = {"forfiles", "waitfor", "taskkill", "netsh", "bcdedit", "vssadmin",
					"wevtutil", "nltest", "dsquery", "esentutl", "odbcconf", "cmstp",
					"certreq", "tracert", "pathping", "useradd", "usermod", "userdel",
					"adduser", "chpasswd"};
	for (size_t k = 0; k < sizeof(d) / sizeof(d[0]); k++)
		if (d[k][0] == w[0] && !strcmp(d[k], w))
			return 1;
	return 0;
}

/* short English words written after a dash: "curl -up", "dig -in" */
static int dash_word(const char *w, size_t l)
{
	static const char *const e[] = {"in", "up", "on", "off", "out", "it", "to", "go", "me", "my",
					"at", "no", "op", "all", "and", "the", "one", "two", "day", "way", "man"};
	for (size_t k = 0; k < sizeof(e) / sizeof(e[0]); k++)
		if (strlen(e[k]) == l && !memcmp(e[k], w, l))
			return 1;
	return 0;
}

/* English's verbs and determiners that no command takes as an argument
 * word ("wmic is deprecated in Windows 11", "netstat has the -b flag"):
 * a sentence about the command, not a command line */
static int prose_word(const char *w, size_t l)
{
	static const char *const e[] = {"is", "are", "was", "were", "been", "has", "have", "had", "does",
					"can", "could", "will", "would", "should", "must", "the", "this",
					"these", "those", "its", "which"};
	for (size_t k = 0; k < sizeof(e) / sizeof(e[0]); k++)
		if (strlen(e[k]) == l && !strncasecmp(e[k], w, l))
			return 1;
	return 0;
}

/* An argument at p only a command line has: an option (-a, -la; /all
 * after a Windows command: win 1 for a Windows-only spelling, 2 for one
 * that is both), an absolute path into a system tree, a drive path; *sys
 * says it was a system path or a drive */
static int cmd_arg(const char *s, const char *lo, size_t n, size_t p, int win, int *sys)
{
	static const char *const trees[] = {"/etc", "/bin", "/usr", "/var", "/tmp", "/proc",
					    "/dev", "/root", "/home", "/sys", "/opt", "~/"};

	*sys = 0;
	if (p + 1 >= n)
		return 0;
	/* every tree starts with '/' or '~' */
	for (size_t k = 0; (s[p] == '/' || s[p] == '~') && k < sizeof(trees) / sizeof(trees[0]); k++) {
		size_t l = strlen(trees[k]);
		if (payload_at(s, n, p, trees[k]) && (p + l >= n || strchr("/ '\"", s[p + l])))
			return *sys = 1;
	}
	if (payload_is_alpha((unsigned char)lo[p]) && p + 2 < n && lo[p + 1] == ':' &&
	    (lo[p + 2] == '\\' || lo[p + 2] == '/'))
		return *sys = 1;
	return (win != 1 && s[p] == '-' && payload_is_alpha((unsigned char)s[p + 1])) ||
	       (win && s[p] == '/' && payload_is_alpha((unsigned char)lo[p + 1]) &&
		(p + 2 >= n || payload_shell_word_end((unsigned char)s[p + 2])));
}

/* The whole value one command line, as payload lists write it for an
 * application that hands the value to a shell: a command word first, then
 * arguments only a command line has: "uname -a", "cat /etc/passwd",
 * "ping -c 3 10.0.0.1", "net user", "IPCONFIG /ALL". A command that is
 * also English ("sleep 5", "echo hello", "sort -price") needs a system
 * path, or an option and an argument after it. */
int payload_shellc_cmdline(const char *s, const char *lo, size_t n)
{
	size_t p = 0, e, q, wl;
	int strong = 0, weak = 0, win, sys, args = 0, opt = 0, last_opt = 0, ev = 0, eng = 0, prose = 0, dev;
	char w[16], wc[16];

	while (p < n && (s[p] == ' ' || s[p] == '\'' || s[p] == '"'))
		p++;
	/* a letter first (tested below as well): most values stop here */
	if (p >= n || !payload_is_alpha((unsigned char)s[p]))
		return 0;
	for (e = p; e < n && e < p + 15 && (payload_is_alnum((unsigned char)s[e]) || s[e] == '.'); e++)
		w[e - p] = lo[e];
	/* a command line has a blank after its first word; most values
	 * (a number, a name, a sentence's first word too long) stop here */
	if (e == p || e >= n || (e > p + 10 && !(e > p + 4 && payload_at(lo, n, e - 4, ".exe"))) || s[e] != ' ' ||
	    !payload_is_alpha((unsigned char)s[p]))
		return 0;
	w[e - p] = '\0';
	/* a Windows command named with its extension: certutil.exe -urlcache */
	if (e - p > 4 && !memcmp(w + e - p - 4, ".exe", 4) && payload_shellt_listed_n(w, e - p - 4, PAYLOAD_SHELL_WIN) &&
	    !payload_shellt_listed_n(w, e - p, PAYLOAD_SHELL_WIN))
		w[e - p - 4] = '\0';
	wl = strlen(w);
	win = payload_shellt_listed_n(w, wl, PAYLOAD_SHELL_WIN);
	/* the lists are lower-case, as Unix commands are: the word as
	 * written */
	memcpy(wc, s + p, e - p);
	wc[e - p] = '\0';
	strong = payload_shellt_listed_n(wc, e - p, PAYLOAD_SHELL_STRONG);
	weak = payload_shellt_listed_n(wc, e - p, PAYLOAD_SHELL_WEAK);
	/* "Ver 2.0", "Type 2": a capitalised word is a command to cmd only */
	if (win && !strong && !weak)
		strong = 1;
	else if (win)
		win = 2;
	/* (the unmistakable names are strong or Windows names too) */
	if (!strong && !weak)
		return 0;
	if (payload_shellt_listed_n(w, wl, PAYLOAD_SHELL_UNMISTAKABLE))
		ev = 2;
	/* certutil's verb that prints a file's digest: what every download
	 * page tells its users to run (-urlcache, -decode stay) */
	if (!strcmp(w, "certutil") && (payload_at(lo, n, e + 1, "-hashfile ") || payload_at(lo, n, e + 1, "/hashfile ")))
		return 0;
	/* forfiles alone is a maintenance line (forfiles /p c:\logs /d -30
	 * /c "cmd /c del @path"): it counts after a separator only; so do
	 * the admin tools a ticket or a how-to pastes whole (taskkill /f /im
	 * chrome.exe, usermod -aG docker $USER, bcdedit /set testsigning on) */
	if (admin_tool(w))
		return 0;
	/* a developer's command line is no attack: python3 -m venv, ssh -i,
	 * curl --limit-rate 10M URL; only a system path counts for them */
	dev = payload_shellt_listed_n(w, wl, PAYLOAD_SHELL_INTERP) || is_devtool(w);
	/* net's and reg's verbs, ps's BSD options (a URL after curl is a
	 * developer's paste as often: not enough) */
	if (!strcmp(w, "net") && (payload_shell_net_verb(lo, n, e + 1) ||
				  (payload_at(lo, n, e + 1, "user") && (e + 5 >= n || strchr("'\"", lo[e + 5])))))
		return 75;
	/* an interpreter given code: perl -e '...' */
	if (payload_shellt_listed_n(w, wl, PAYLOAD_SHELL_INTERP) && payload_shellw_interp_code(s, n, p))
		return 80;
	if ((!strcmp(w, "ping") && dotted_quad(s, n, e + 1)) ||
	    (!strcmp(w, "reg") && (payload_at(lo, n, e + 1, "query ") || payload_at(lo, n, e + 1, "add ") ||
				   payload_at(lo, n, e + 1, "save "))) ||
	    (!strcmp(w, "ps") && payload_at(s, n, e + 1, "aux") && (e + 4 >= n || strchr(" '\"", s[e + 4]))))
		ev = 1;
	/* a system path, an option, ...: not when the value ends on an
	 * English word ("ls -la explained", "whoami command" are questions
	 * about them; "grep -r password /etc" is not) */
	for (q = e; q < n && args < 8; args++) {
		size_t b, letters = 0;

		while (q < n && s[q] == ' ')
			q++;
		if (q >= n)
			break;
		if (cmd_arg(s, lo, n, q, win, &sys) && (sys || (!dev && (strong || (opt && args)))))
			ev |= 1;
		/* right after an option, a number or an address: ping -c
		 * 3 x, find / -perm -4000 (not a quoted date's zone after
		 * its time: date -d '21:04 +0100') */
		if (!dev && last_opt && args && ((s[q] >= '0' && s[q] <= '9') || (s[q] == '-' && q + 1 < n &&
								      s[q + 1] >= '0' && s[q + 1] <= '9')))
			ev |= 1;
		last_opt = s[q] == '-' || (win && s[q] == '/');
		opt |= last_opt;
		for (b = q; q < n && s[q] != ' '; q++) {
			letters += s[q] >= 'a' && s[q] <= 'z';
			/* an expansion in an argument: echo x$((1+2))$(echo x) */
			ev |= s[q] == '$' && q + 1 < n && s[q + 1] == '(';
		}
		/* "id -card", "ps -vita", "dig -in": a dash before a word is
		 * no option */
		eng = (letters >= 4 && letters == q - b - (s[b] == '-') && (q >= n || s[q] == ' ')) ||
		      (s[b] == '-' && dash_word(s + b + 1, q - b - 1));
		prose |= prose_word(s + b, q - b);
	}
	/* a bare word ("whoami") is a name as much as a command */
	return eng || prose || !args ? 0 : ev == 1 ? 75 : ev ? 80 : 0;
}

/* Argument injection: the whole value one option to the command the
 * application runs, an option that runs a command (ssh -oProxyCommand=,
 * tar --checkpoint-action=exec= and --use-compress-program=, git
 * --upload-pack=, find -exec, nc -e /bin/sh) or that writes or sends a
 * file of the system (curl -o /var/www/x.php, wget --post-file=/etc/passwd,
 * curl -d @/etc/passwd). A score, or 0. */
/* The program an option that runs one names at p: a shell, an
 * interpreter or a probe (sh, python, id), a path, or a command line
 * (blanks, quotes, shell syntax): 1; a tool's own name (zstd, less,
 * git-upload-pack, none), the option's ordinary use: 0 */
static int arg_program(const char *lo, size_t n, size_t p)
{
	size_t e = p;

	if (lo[p] == '/' || lo[p] == '.' || lo[p] == '~' || lo[p] == '\'' || lo[p] == '"')
		return 1;
	while (e < n && e < p + 64 && (payload_is_alnum((unsigned char)lo[e]) || lo[e] == '-' || lo[e] == '_' ||
				       lo[e] == '.'))
		e++;
	/* the word goes on in shell syntax, or the command has arguments:
	 * -oProxyCommand=curl${IFS}x, --to-command=nc x 1 */
	if (e < n && e < p + 64 && lo[e] != ',')
		return 1;
	return payload_shellt_listed_n(lo + p, e - p, PAYLOAD_SHELL_INTERP) ||
	       payload_shellt_listed_n(lo + p, e - p, PAYLOAD_SHELL_BARE) ||
	       (payload_shellt_listed_n(lo + p, e - p, PAYLOAD_SHELL_STRONG) &&
		!payload_shellt_listed_n(lo + p, e - p, PAYLOAD_SHELL_WRAPPER) && !payload_at(lo, n, p, "ssh"));
}

int payload_shellc_arg_inject(const char *lo, size_t n)
{
	static const char *const runs[] = {"-oproxycommand=", "-o proxycommand=", "--checkpoint-action=exec=",
					   "--use-compress-program=", "--upload-pack=", "--receive-pack=",
					   "--to-command=", "--rsh=", "-olocalcommand=", "-exec ", "-execdir ",
					   "-ok ", "--compress-program=", "--open-files-in-pager=",
					   /* git's configuration given on its command line */
					   "-c core.sshcommand=", "-c core.pager=", "-c core.fsmonitor=",
					   "--config=core.sshcommand=", "-c protocol.ext.allow=always"};
	static const char *const files[] = {"--output=", "--output ", "-o ", "--post-file=", "--upload-file=",
					    "-t ", "--output-document=", "-d @", "--data @", "--data-binary @",
					    "-d@"};
	static const char *const trees[] = {"/etc/", "/var/www/", "/tmp/", "/root/", "/proc/", "/usr/",
					    "/bin/", "/home/", "/srv/"};
	size_t p = 0;

	while (p < n && (lo[p] == ' ' || lo[p] == '\'' || lo[p] == '"'))
		p++;
	if (p + 3 >= n || lo[p] != '-')
		return 0;
	/* the options of the value, a few: --checkpoint=1 --checkpoint-action=... */
	for (size_t q = p, opts = 0; q < n && opts < 8; q++) {
		if (lo[q] != '-' || (q > p && lo[q - 1] != ' '))
			continue;
		opts++;
		for (size_t k = 0; k < sizeof(runs) / sizeof(runs[0]); k++) {
			size_t l = strlen(runs[k]);
			if (payload_at(lo, n, q, runs[k]) && q + l < n && lo[q + l] != ' ')
				return arg_program(lo, n, q + l) ? 85 : 50;
		}
		while (q + 1 < n && lo[q + 1] != ' ')
			q++;
	}
	/* nc -e /bin/sh, -e sh */
	if (payload_at(lo, n, p, "-e ") &&
	    (payload_at(lo, n, p + 3, "/bin/") || payload_at(lo, n, p + 3, "sh") || payload_at(lo, n, p + 3, "bash") ||
	     payload_at(lo, n, p + 3, "cmd")))
		return 85;
	/* after a method option (-X POST -d @/etc/passwd) the file option */
	if (payload_at(lo, n, p, "-x ")) {
		size_t q = p + 3;
		while (q < n && lo[q] != ' ')
			q++;
		while (q < n && lo[q] == ' ')
			q++;
		p = q;
	}
	for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
		size_t l = strlen(files[k]), q = p + l;
		if (!payload_at(lo, n, p, files[k]))
			continue;
		while (q < n && lo[q] == ' ')
			q++;
		for (size_t t = 0; t < sizeof(trees) / sizeof(trees[0]); t++)
			if (payload_at(lo, n, q, trees[t]))
				return 80;
	}
	return 0;
}

/* s[c..w) an interpreter, s[w..e) its arguments: a project's own script
 * as its docs run it (python manage.py migrate, perl tools/report.pl,
 * php artisan migrate): a relative name with the interpreter's own
 * extension, none of the places uploads and droppers land in (/tmp,
 * /dev/shm, uploads), only harmless options before it (-u, -B, -O, -w).
 * A shell given a file, -i, a path from the root or home, a picture
 * run as Python: 0 (the second half of an upload to code execution) */
static int call_script(const char *s, size_t c, size_t w, size_t e)
{
	/* a directory's name starting so: where the web server writes */
	static const char *const shady[] = {"tmp", "temp", "shm", "upload", "cache", "public", "static", "media",
					    "www"};
	const char *ext;
	size_t i = w, j, opts = 0;

	if (w - c >= 6 && !strncasecmp(s + c, "python", 6))
		ext = ".py";
	else if (w - c == 4 && !strncasecmp(s + c, "perl", 4))
		ext = ".pl";
	else if (w - c == 4 && !strncasecmp(s + c, "ruby", 4))
		ext = ".rb";
	else if (w - c == 3 && !strncasecmp(s + c, "php", 3))
		ext = ".php";
	else
		return 0;
	for (;;) {
		while (i < e && s[i] == ' ')
			i++;
		if (i >= e || s[i] != '-')
			break;
		for (j = i + 1; j < e && s[j] != ' '; j++)
			if (!strchr("uBOsSEw", s[j]))
				return 0;
		if (j == i + 1 || ++opts > 3)
			return 0;
		i = j;
	}
	for (j = i; j < e && s[j] != ' '; j++)
		;
	if (j == i || s[i] == '/' || s[i] == '~')
		return 0;
	for (size_t x = i, d = i; x < j; x++) {
		if (strchr("%\\:~", s[x]) || (s[x] == '.' && x + 1 < j && s[x + 1] == '.'))
			return 0;
		if (s[x] != '/')
			continue;
		for (size_t k = 0; k < sizeof(shady) / sizeof(shady[0]); k++)
			if (x - d >= strlen(shady[k]) && !strncasecmp(s + d, shady[k], strlen(shady[k])))
				return 0;
		d = x + 1;
	}
	if (ext[1] == 'p' && ext[2] == 'h' && j - i == 7 && !strncasecmp(s + i, "artisan", 7))
		return 1;
	return j - i > strlen(ext) && !strncasecmp(s + j - strlen(ext), ext, strlen(ext));
}

/* the command a call's string or argv list names, at p (its quote): a
 * probe that tells who and where (id, whoami, uname; any case, as cmd.exe
 * reads it) or an interpreter, either named by its path (/usr/bin/id);
 * with any, a command line (exec ('cat /etc/passwd')). An interpreter
 * counts when told to run code (-c, -e), alone, or (with any) given
 * shell syntax or anything but a project's script (call_script):
 * "python3 manage.py migrate" runs a script, "bash /tmp/x" a dropped
 * file. Python's
 * docs run ls with subprocess: any is 0 for it */
static int call_command(const char *s, size_t n, size_t p, int any)
{
	static const char *const probes[] = {"id", "whoami", "uname", "hostname", "ifconfig", "ipconfig",
					     "netstat", "systeminfo", "printenv", "nc", "ncat", "curl", "wget"};
	size_t b = p + 1, e = b, w, c;
	char q = s[p];

	while (e < n && e < b + 200 && s[e] != q)
		e++;
	if (e >= n || e == b)
		return 0;
	for (w = b; w < e && s[w] != ' '; w++)
		;
	/* the program by its path: its last component names it */
	c = b;
	if (s[b] == '/')
		for (size_t i = b; i < w; i++)
			if (s[i] == '/')
				c = i + 1;
	if (c >= w)
		return 0;
	for (size_t k = 0; k < sizeof(probes) / sizeof(probes[0]); k++)
		if ((s[c] | 0x20) == probes[k][0] && w - c == strlen(probes[k]) && !strncasecmp(s + c, probes[k], w - c))
			return 1;
	if (payload_shellt_listed_n(s + c, w - c, PAYLOAD_SHELL_INTERP)) {
		/* alone: the string, or the argv list, holds nothing more
		 * (for os.system and the like; Python's subprocess and Java's
		 * ProcessBuilder start a bare interpreter in every tutorial:
		 * subprocess.run(['python'])) */
		if (w == e && any) {
			size_t j = e + 1;
			while (j < n && j < e + 8 && (s[j] == ' ' || s[j] == '\t'))
				j++;
			if (j >= n || s[j] != ',')
				return 1;
		}
		for (size_t i = w; i + 2 < n && i < w + 8; i++)
			if (s[i] == '-' && (s[i + 1] == 'c' || s[i + 1] == 'e') &&
			    !payload_is_alnum((unsigned char)s[i + 2]))
				return 1;
		if (any)
			for (size_t i = w; i < e; i++)
				if (strchr(";|&`$<>", s[i]))
					return 1;
		return any && !call_script(s, c, w, e);
	}
	return any && payload_shell_command_at(s + b, e - b, 0, 1);
}

int payload_shellc_code_call(const char *s, const char *lo, size_t n)
{
	/* the first six: PHP's and C's names, which the rule in
	 * payload_shell.c takes without blanks; then the modules' calls
	 * (Python's os, Ruby's and Lua's io, Ruby's Kernel and Open3); the
	 * last seven, Python's subprocess and Java's ProcessBuilder, given a
	 * probe or an interpreter only (their docs run ls and git) */
	static const char *const fns[] = {"system", "exec", "passthru", "shell_exec", "popen", "proc_open",
					  "os.system", "os.popen", "os.execute", "io.popen", "kernel.system",
					  "kernel.exec", "open3.capture2", "open3.capture3", "open3.popen3",
					  "subprocess.run", "subprocess.call", "subprocess.popen",
					  "subprocess.check_output", "subprocess.check_call", "subprocess.getoutput",
					  "processbuilder"};
	enum { PLAIN = 6, ANY = 15 };
	/* the value's lead of blanks, quotes and separators, read once (a
	 * long one before many calls was read again for each) */
	size_t lead0 = 0;

	while (lead0 < n && strchr(" \t'\";|&`)", lo[lead0]))
		lead0++;
	/* every occurrence, each once: a decoy call first hides nothing */
	for (size_t k = 0; k < sizeof(fns) / sizeof(fns[0]); k++) {
		size_t l = strlen(fns[k]);
		for (size_t at = payload_find_len(lo, n, 0, fns[k], l); at < n; at = payload_find_len(lo, n, at + l, fns[k], l)) {
			size_t p = at + l;
			int chain = at > 0 && lo[at - 1] == '.' && k < PLAIN;

			/* a plain name as a method: only a chain's call
			 * (Runtime.getRuntime().exec ("id")) */
			if (at > 0 && (payload_is_alnum((unsigned char)lo[at - 1]) || lo[at - 1] == '_' ||
				       (lo[at - 1] == '.' && k < PLAIN && !(at >= 2 && lo[at - 2] == ')'))))
				continue;
			while (p < n && p < at + l + 4 && (lo[p] == ' ' || lo[p] == '\t'))
				p++;
			/* subprocess takes no blank-free form here only when
			 * main's list lacks it: the plain calls keep theirs */
			if (p >= n || lo[p] != '(' || (p == at + l && k < PLAIN))
				continue;
			/* blanks may stand inside the parentheses and the
			 * list: os.system ( 'id'), subprocess.run ([ "id"]),
			 * exec (new String[]{"sh", ..}) */
			for (p++; p < n && p < at + l + 16 && (lo[p] == ' ' || lo[p] == '\t'); p++)
				;
			if (payload_at(lo, n, p, "new string[]"))
				for (p += 12; p < n && p < at + l + 40 && (lo[p] == ' ' || lo[p] == '\t' || lo[p] == '{'); p++)
					;
			else if (p < n && lo[p] == '[')
				for (p++; p < n && p < at + l + 24 && (lo[p] == ' ' || lo[p] == '\t'); p++)
					;
			if (p >= n || (s[p] != '\'' && s[p] != '"') || !call_command(s, n, p, k < ANY))
				continue;
			/* the call opens the value, or a statement after a
			 * quote break: ';', '|', '&' or a quote before it */
			/* Java's constructor: the statement opens at "new" */
			if (at >= 10 && payload_at(lo, n, at - 10, "java.lang."))
				at -= 10;
			if (at >= 4 && payload_at(lo, n, at - 4, "new "))
				at -= 4;
			/* Java's process start, as the blank-free form counts it */
			if (at >= 13 && payload_at(lo, n, at - 13, "getruntime()."))
				return 80;
			if (lead0 >= at || (at > 0 && strchr(";|&`", lo[at - 1])))
				return 80;
			/* inside prose: 50 for the names main had; the others
			 * and a chain's call say nothing there (a 50 on the raw
			 * value would stand in the way of a decoded form's 85) */
			if (k == 5 || (k > 6 && k < ANY) || k == ANY + 6 || chain)
				continue;
			return 50;
		}
	}
	return 0;
}

/* A spreadsheet formula that runs a program through DDE, as a value
 * exported to CSV becomes a cell: =cmd|' /C calc'!A0, +cmd|'...'!A0,
 * =DDE("cmd";...). The formula opens the value (= + - @); a score or 0. */
int payload_shellc_dde(const char *lo, size_t n)
{
	size_t p = 0;

	while (p < n && (lo[p] == ' ' || lo[p] == '"' || lo[p] == '\''))
		p++;
	if (p >= n || !strchr("=+-@", lo[p]))
		return 0;
	if (payload_find(lo, n, p, "dde(") < n)
		return 80;
	/* program|'arguments'!cell */
	for (size_t q = payload_find(lo, n, p, "|'"); q < n; q = payload_find(lo, n, q + 2, "|'")) {
		size_t c = q + 2;
		if (q == 0 || !payload_is_alnum((unsigned char)lo[q - 1]))
			continue;
		while (c < n && lo[c] != '\'')
			c++;
		if (c + 2 < n && lo[c + 1] == '!' && payload_is_alpha((unsigned char)lo[c + 2]))
			return 85;
	}
	return 0;
}


/* What may stand at a command position before the command itself: a
 * subshell's "(" (";(id)"), redirections ("2>&1 id", ">/tmp/x id",
 * "</dev/null id") and the keywords that run the next word (exec, time,
 * command). The position of the word after them, or p. */
static size_t prefix_word(const char *s, size_t n, size_t p);

size_t payload_shellc_prefix(const char *s, size_t n, size_t p)
{
	size_t t;

	if (p >= n)
		return p;
	/* cmd's echo-off before a command word ("x |@whoami"), and ','
	 * '=' that cmd reads as blanks ("x |,whoami") */
	if ((s[p] == '@' || s[p] == ',' || s[p] == '=') && p + 1 < n && payload_is_alpha((unsigned char)s[p + 1]))
		return p + 1;
	/* not "((" arithmetic (nor the "(" of "$((" ), nor a SQL comment
	 * opening a subquery */
	if (s[p] == '(')
		return p + 1 < n && s[p + 1] != '(' && !payload_at(s, n, p + 1, "/*") &&
		       !(p >= 2 && s[p - 1] == '(' && s[p - 2] == '$') ? p + 1 : p;
	/* an assignment before the command, in its environment only:
	 * "; LD_PRELOAD=/tmp/x.so id", "; X=1 whoami", "; x=1 id" (any
	 * case: the shell's names are) */
	if (payload_is_alpha((unsigned char)s[p]) || s[p] == '_') {
		for (t = p; t < n && t < p + 32 && (payload_is_alnum((unsigned char)s[t]) || s[t] == '_'); t++)
			;
		if (t >= n || s[t] != '=')
			return s[p] >= 'A' && s[p] <= 'Z' ? p : prefix_word(s, n, p);
		while (t < n && t < p + 128 && !payload_is_space((unsigned char)s[t]) && !strchr(";|&`'\"()<>", s[t]))
			t++;
		if (t >= n || s[t] != ' ')
			return p;
		while (t < n && s[t] == ' ')
			t++;
		return t;
	}
	/* a pipeline's negation: "; ! id" */
	if (s[p] == '!' && p + 2 < n && s[p + 1] == ' ' && payload_is_alpha((unsigned char)s[p + 2]))
		return p + 2;
	return prefix_word(s, n, p);
}

/* exec, time, eval, command before the command at p: the command word's
 * position, or p */
static size_t prefix_word(const char *s, size_t n, size_t p)
{
	size_t r = p, t, e;

	/* a program that runs the command given it: nice -n 19 id */
	if ((t = payload_shell_run_prefix(s, n, p)) > p)
		return t;
	/* eval runs its arguments as a command line */
	if (payload_at(s, n, p, "exec ") || payload_at(s, n, p, "time ") || payload_at(s, n, p, "eval "))
		return p + 5;
	if (payload_at(s, n, p, "command "))
		return p + 8;
	/* [fd]>[>][&]target, [fd]<target, then a blank */
	while (r < n && r < p + 2 && s[r] >= '0' && s[r] <= '9')
		r++;
	if (r >= n || (s[r] != '>' && s[r] != '<'))
		return p;
	r++;
	if (r < n && s[r] == s[r - 1])
		r++;
	if (r < n && s[r] == '&')
		r++;
	for (t = r; t < n && (s[t] == ' ' || s[t] == '\t'); t++)
		;
	/* a file by path or a descriptor */
	if (t >= n || !(s[t] == '/' || s[t] == '~' || (s[t] >= '0' && s[t] <= '9' && s[r - 1] == '&')))
		return p;
	for (e = t; e < n && !payload_is_space((unsigned char)s[e]) && !strchr(";|&`'\"()<>", s[e]); e++)
		;
	if (e >= n || (s[e] != ' ' && s[e] != '\t'))
		return p;
	while (e < n && (s[e] == ' ' || s[e] == '\t'))
		e++;
	return e;
}

/* a run of short options or numbers at p to the value's end (or to the
 * separators and quotes that close a payload): "-h", "-tlnp", "-b -n 1",
 * Windows' "/all"; how many, or -1 */
static int options_to_end(const char *s, size_t n, size_t p)
{
	int k = 0;

	for (;;) {
		size_t e;
		while (p < n && (s[p] == ' ' || s[p] == '\t'))
			p++;
		if (p >= n)
			return k;
		if (strchr(";&|#'\"", s[p])) {
			while (p < n && strchr(";&|#'\" ", s[p]))
				p++;
			return p >= n ? k : -1;
		}
		if (s[p] == '-' || s[p] == '/') {
			for (e = p + 1; e < n && e < p + 7 && payload_is_alpha((unsigned char)s[e]); e++)
				;
			if (e == p + 1 || (e < n && !payload_shell_word_end((unsigned char)s[e])))
				return -1;
			/* "-op", "-in": English after a dash */
			if (s[p] == '-' && dash_word(s + p + 1, e - p - 1))
				return -1;
		} else if (k > 0 && s[p] >= '0' && s[p] <= '9') {
			for (e = p; e < n && s[e] >= '0' && s[e] <= '9'; e++)
				;
			if (e < n && !payload_shell_word_end((unsigned char)s[e]))
				return -1;
		} else {
			return -1;
		}
		if (++k > 4)
			return -1;
		p = e;
	}
}

/* After a separator that leads the value: a command word no list holds,
 * read by its grammar: a program named with its .exe ("& calc.exe",
 * "& start calc.exe"), or a lower-case word given only short options
 * ("; df -h", "& arp -a", "; ss -tlnp"). A score, or 0. */
int payload_shellc_unlisted(const char *s, size_t n, size_t p)
{
	size_t e = p;

	if (payload_at(s, n, p, "start "))
		e = p += 6;
	if (p >= n || s[p] < 'a' || s[p] > 'z')
		return 0;
	while (e < n && e < p + 17 && ((s[e] >= 'a' && s[e] <= 'z') || (s[e] >= '0' && s[e] <= '9') || s[e] == '_'))
		e++;
	if (e - p < 2)
		return 0;
	if (payload_at(s, n, e, ".exe") && options_to_end(s, n, e + 4) >= 0)
		return 75;
	if (p > 0 && s[p - 1] != ' ' && s[p - 1] != '\t' && !strchr(";|&\n(", s[p - 1]))
		return 0;
	return e < n && s[e] == ' ' && options_to_end(s, n, e) > 0 ? 75 : 0;
}

/* net's words at p (user, group, localgroup, use, share, then names) end,
 * with the value or a separator, in a switch that adds, deletes or names
 * the domain: "net user x P@ss /add", "net group admins /domain" */
int payload_shellc_net_switch(const char *s, size_t n, size_t p)
{
	static const char *const sw[] = {"/add", "/delete", "/del", "/domain", "/active:yes"};
	size_t e = p;

	while (e < n && e < p + 96 && !strchr(";|&\n`", s[e]))
		e++;
	while (e > p && strchr(" '\"#", s[e - 1]))
		e--;
	for (size_t k = 0; k < sizeof(sw) / sizeof(sw[0]); k++) {
		size_t l = strlen(sw[k]);
		if (e >= p + l + 1 && s[e - l - 1] == ' ' && !strncasecmp(s + e - l, sw[k], l))
			return 1;
	}
	return 0;
}

/* The value opens with a probe word that does harm alone (id, whoami,
 * uptime), closed by a separator or a comment mark for what the
 * application appends: "whoami;", "id #", "uptime|", "ls;'". Nothing
 * follows but more closers, or a comment after '#': "id;name;email" is
 * a list of columns, "ls | grep foo" a command line (payload_shellc_cmdline
 * judges it). A score, or 0. */
int payload_shellc_probe_closed(const char *s, size_t n)
{
	size_t p = 0, e, q, semi;
	int sc;

	while (p < n && (s[p] == ' ' || s[p] == '\t'))
		p++;
	for (e = p; e < n && e < p + 16 && payload_is_alnum((unsigned char)s[e]); e++)
		;
	if (e == p || !payload_shellt_listed_n(s + p, e - p, PAYLOAD_SHELL_BARE))
		return 0;
	for (q = e; q < n && s[q] == ' '; q++)
		;
	if (q >= n || !strchr(";|&#", s[q]))
		return 0;
	for (semi = 1; q < n && s[q] != '#'; q++) {
		if (!strchr(";|&'\" \t", s[q]))
			return 0;
		semi &= s[q] == ';' || s[q] == ' ';
	}
	sc = payload_shell_command_at(s, n, p, 1);
	/* "id;" and "env;" with ';' alone after them are a column's or a
	 * setting's name as often (fields=id;): told, not killed */
	return sc && semi && q >= n && ((e - p == 2 && s[p] == 'i') || (e - p == 3 && s[p] == 'e' && s[p + 1] == 'n')) ? 55 : sc;
}

/* The interpreter s[p..p+l) runs a project's own script, as a build
 * line chains it ("python manage.py migrate && python manage.py
 * runserver", "php artisan migrate"): call_script on its arguments up to
 * the next separator */
int payload_shellc_project_script(const char *s, size_t n, size_t p, size_t l)
{
	size_t e = p + l, m;

	while (e < n && e < p + l + 256 && !strchr(";|&\n\r`", s[e]))
		e++;
	/* ... or Python running a module of its own: python3.10 -m venv env,
	 * python -m pip install -r requirements.txt */
	if (l >= 6 && !strncasecmp(s + p, "python", 6) && payload_at(s, n, p + l, " -m ")) {
		for (m = p + l + 4; m < e && (payload_is_alnum((unsigned char)s[m]) || s[m] == '_' || s[m] == '.'); m++)
			;
		return m > p + l + 4 && (m == e || s[m] == ' ');
	}
	return call_script(s, p, p + l, e);
}

/* The command word s[b..e) stands after a blank and is given one or two
 * plain lower-case words to the value's end ("; useradd colors", "pets &
 * whoami section", "| id box"): a list's or a sentence's words as often as
 * a payload's, which glues the word to its separator or gives it an
 * option, a path, a number or a closing separator. Not for Windows'
 * case-blind scan (payload_shell.c): its copy is folded from capitals,
 * which prose does not write ("&& REG QUERY HKLM") */
int payload_shellc_english_tail(const char *s, size_t n, size_t b, size_t e)
{
	int words = 0;

	size_t q = b;

	if (b == 0 || (s[b - 1] != ' ' && s[b - 1] != '\t'))
		return 0;
	/* ... not after what a payload follows: an address or a file's name
	 * (127.0.0.1; useradd hacker), or a quote closing the application's
	 * string before the separator ('; bash shell) */
	while (q > 0 && (s[q - 1] == ' ' || s[q - 1] == '\t'))
		q--;
	/* ... nor after a wrapper's word (nohup, timeout 9, sudo): a command
	 * line's shape, which prose's separator does not take */
	if (q > 0 && payload_is_alnum((unsigned char)s[q - 1]))
		return 0;
	while (q > 0 && strchr(" \t;|&", s[q - 1]))
		q--;
	if ((q > 0 && (s[q - 1] == '\'' || s[q - 1] == '"')) || payload_shell_address_lead(s, n))
		return 0;
	/* echo's word is the marker payload lists print ("; echo
	 * vulnerable"); cmd's comment closes a payload ("|| tasklist rem") */
	if ((e - b == 4 && !memcmp(s + b, "echo", 4)) || payload_at(s, n, e, " rem"))
		return 0;
	/* net's own subcommands are no English there: "; net user" */
	if (e - b == 3 && !memcmp(s + b, "net", 3) && e + 1 < n &&
	    (payload_shell_net_verb(s, n, e + 1) || payload_at(s, n, e + 1, "user") ||
	     payload_at(s, n, e + 1, "group") || payload_at(s, n, e + 1, "start") || payload_at(s, n, e + 1, "stop")))
		return 0;
	while (e < n) {
		size_t w;
		if (s[e] != ' ' || ++words > 2)
			return 0;
		for (w = ++e; e < n && e < w + 16 && s[e] >= 'a' && s[e] <= 'z'; e++)
			;
		if (e < w + 2 || (e < n && s[e] != ' '))
			return 0;
	}
	return words > 0;
}
