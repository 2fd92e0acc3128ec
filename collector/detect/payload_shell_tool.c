/* payload_shell_tool.c - command injection: command lines read by the
 * grammar of the tool they name, after a separator that opens the value
 * (payload_shell_cmd.c asks at each command position): a container,
 * cluster, cloud or service tool given one of its verbs (;docker ps,
 * ;kubectl get secrets, ;systemctl stop firewalld: "; docker colors" is
 * no docker command line), find's -exec, an option whose value is a shell
 * told to run a command (rsync -e 'sh -c id', git -c core.pager='sh -c
 * id'), an editor's :shell, Start-Process of one program, the Env: drive
 * listed; PowerShell's call of a variable it built from strings
 * ($x='ie'+'x';&$x 'id'); and a probe between the value's own token said
 * twice (1||id||1, commix's form around a number). */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_shell_int.h"
#include "collector/detect/payload_shell_tool.h"

#include <string.h>
#include <strings.h>

/* how far a command line's segment is read for an option */
#define TOOL_SEGMENT 256

int payload_shell_tool_words_to_end(const char *s, size_t n, size_t p)
{
	int words = 0;

	while (p < n) {
		while (p < n && (s[p] == ' ' || s[p] == '\t'))
			p++;
		if (p >= n)
			break;
		/* what closes the payload: "& net user&'", "; ver #", a
		 * substitution's end "$(cat flag)" */
		if (strchr(";&|'\"#)`", s[p])) {
			size_t q = p;
			while (q < n && strchr(";&|'\"# )`", s[q]))
				q++;
			/* or cmd's comment: "& net user &rem " */
			if (q >= n || (s[q - 1] != '#' && payload_at(s, n, q, "rem") &&
				       (q + 3 >= n || s[q + 3] == ' ')))
				break;
		}
		if (!payload_is_alnum((unsigned char)s[p]))
			return -1;
		while (p < n && (payload_is_alnum((unsigned char)s[p]) || s[p] == '-' || s[p] == '.'))
			p++;
		if (++words > 2)
			return -1;
	}
	return words;
}

/* the end of the word at p (letters, digits, '-', '_', '.') */
static size_t word_end(const char *s, size_t n, size_t p)
{
	while (p < n && (payload_is_alnum((unsigned char)s[p]) || s[p] == '-' || s[p] == '.'))
		p++;
	return p;
}

/* a word ends at e: the value's end, a blank, a separator, a quote */
static int ends_word(const char *s, size_t n, size_t e)
{
	return e >= n || (s[e] != '\0' && strchr(" \t;|&\n'\"#)`", s[e]));
}

static size_t blanks(const char *s, size_t n, size_t p)
{
	while (p < n && (s[p] == ' ' || s[p] == '\t'))
		p++;
	return p;
}

/* where the command line's segment from p ends: a separator, or
 * TOOL_SEGMENT bytes on */
static size_t segment_end(const char *s, size_t n, size_t p)
{
	size_t e = p;

	while (e < n && e < p + TOOL_SEGMENT && !strchr(";|&\n", s[e]))
		e++;
	return e;
}

/* the tools that take a verb, and the verbs that read secrets or the
 * host, run a command in a container or stop a defence: a blank before
 * and after each (not a build's or a deployment's: "&& kubectl apply -f
 * deploy.yaml", "&& docker build -t app ." go on a pasted Dockerfile's
 * line) */
static const struct {
	const char *tool, *verbs;
} tool_verbs[] = {
	{"docker", " ps images exec inspect cp save export info "},
	{"podman", " ps images exec inspect cp save export info "},
	{"nerdctl", " ps images exec inspect cp save export info "},
	{"crictl", " ps pods images exec inspect info "},
	{"kubectl", " get exec describe cp auth "},
	{"aws", " s3 sts iam ec2 secretsmanager ssm "},
	{"gcloud", " auth compute projects secrets iam "},
	{"az", " account vm keyvault ad "},
	{"systemctl", " stop disable mask kill "},
	{"ufw", " disable reset "},
	{"setenforce", " 0 permissive "},
	/* into another process's namespaces (the host's: -t 1) */
	{"nsenter", " -t -a --target --all "},
	{"unshare", " -r -U -m -p --user --mount --pid --map-root-user "},
};

/* s[v..ve) is one of the verbs (a blank before and after each) */
static int listed_verb(const char *verbs, const char *s, size_t v, size_t ve)
{
	for (const char *c = verbs; (c = strchr(c, ' ')) != NULL && c[1]; c++)
		if (!strncmp(c + 1, s + v, ve - v) && c[1 + ve - v] == ' ')
			return 1;
	return 0;
}

/* the end of the token at v (up to a blank or a separator) */
static size_t token_end(const char *s, size_t n, size_t v)
{
	while (v < n && !payload_is_space((unsigned char)s[v]) && !strchr(";|&", s[v]) && s[v])
		v++;
	return v;
}

/* the tool s[p..e) given one of its verbs, perhaps after global options
 * and their values (kubectl -n kube-system get secrets, aws --region x
 * sts .., docker -H tcp://h:2375 ps) */
static int tool_verb(const char *s, size_t n, size_t p, size_t e)
{
	for (size_t k = 0; k < sizeof(tool_verbs) / sizeof(tool_verbs[0]); k++) {
		const char *verbs = tool_verbs[k].verbs;
		size_t l = strlen(tool_verbs[k].tool), v, ve;

		if (e - p != l || memcmp(s + p, tool_verbs[k].tool, l) != 0)
			continue;
		v = blanks(s, n, e);
		ve = word_end(s, n, v);
		for (int opt = 0; opt < 4 && v < n && s[v] == '-' && !(ends_word(s, n, ve) && listed_verb(verbs, s, v, ve)); opt++) {
			size_t te = token_end(s, n, v), w;
			int eq = memchr(s + v, '=', te - v) != NULL;

			v = blanks(s, n, te);
			ve = word_end(s, n, v);
			/* the option's value, a word that is no verb */
			if (!eq && te < n && s[te] == ' ' && v < n && s[v] != '-' && !(ends_word(s, n, ve) && listed_verb(verbs, s, v, ve))) {
				w = token_end(s, n, v);
				v = blanks(s, n, w);
				ve = word_end(s, n, v);
			}
		}
		if (v == e || v >= n || ve == v || ve - v > 16 || !ends_word(s, n, ve))
			return 0;
		if (listed_verb(verbs, s, v, ve))
			return 1;
		/* a container run given the host (--privileged, --pid=host,
		 * -v /:/mnt); the cluster's credentials shown (config view) */
		if (ve - v == 3 && !memcmp(s + v, "run", 3) && strstr(verbs, " save ")) {
			size_t end = segment_end(s, n, ve);
			return payload_find(s, end, ve, "--privileged") < end || payload_find(s, end, ve, "=host") < end ||
			       payload_find(s, end, ve, " /:/") < end;
		}
		return ve - v == 6 && !memcmp(s + v, "config", 6) && !strcmp(tool_verbs[k].tool, "kubectl") &&
		       payload_at(s, n, blanks(s, n, ve), "view");
	}
	return 0;
}

/* find given -exec (-execdir, -ok, -okdir) and a command for it */
static int find_exec(const char *s, size_t n, size_t e)
{
	size_t end = segment_end(s, n, e);

	for (size_t k = e; k + 4 < end; k++) {
		size_t q;
		if (s[k] != ' ' || s[k + 1] != '-' ||
		    !(payload_at(s, end, k + 2, "exec") || payload_at(s, end, k + 2, "ok")))
			continue;
		q = word_end(s, end, k + 1);
		if (q >= end || s[q] != ' ')
			continue;
		q = blanks(s, end, q);
		if (q < end && (payload_is_alpha((unsigned char)s[q]) || s[q] == '/'))
			return 1;
	}
	return 0;
}

/* an option's value in the segment after e is a shell told to run a
 * command: 'sh -c id', core.pager='sh -c id', xargs's sh -c 'id' */
static int option_shell(const char *s, size_t n, size_t e)
{
	size_t end = segment_end(s, n, e);

	for (size_t k = e + 1; k + 5 < end; k++) {
		if (strchr(" '\"=", s[k - 1]) && strchr("sbzdkpc/%", s[k]) && payload_shellw_interpreter_run(s, end, k))
			return 1;
		/* the options that name a command to run: tar's
		 * --checkpoint-action=exec=, zip's -TT (its test command) */
		if (s[k] == '-' && s[k - 1] == ' ' &&
		    (payload_at(s, end, k, "--checkpoint-action=exec=") ||
		     ((payload_at(s, end, k, "-tt ") || payload_at(s, end, k, "-TT ")) && k + 4 < end &&
		      (s[k + 4] == '\'' || s[k + 4] == '"'))))
			return 1;
	}
	return 0;
}

/* an editor (vi, vim, nvim, view, ex, rvim) at p..e given the ex command
 * that opens a shell: vi -c ':shell', vim +':sh' */
static int editor_shell(const char *s, size_t n, size_t p, size_t e)
{
	static const char *const ed[] = {"vi", "vim", "nvim", "view", "ex", "rvim"};
	int named = 0;
	size_t q = blanks(s, n, e);

	for (size_t k = 0; k < sizeof(ed) / sizeof(ed[0]); k++)
		named |= e - p == strlen(ed[k]) && !memcmp(s + p, ed[k], e - p);
	if (!named)
		return 0;
	for (int t = 0; t < 4 && q < n && (s[q] == '-' || s[q] == '+'); t++) {
		size_t v, te = q;
		while (te < n && !payload_is_space((unsigned char)s[te]))
			te++;
		if (s[q] == '+')
			v = q + 1;
		else if ((te == q + 2 && s[q + 1] == 'c') || (te == q + 5 && payload_at(s, n, q, "--cmd")))
			v = blanks(s, n, te);
		else {
			q = blanks(s, n, te);
			continue;
		}
		if (v < n && (s[v] == '\'' || s[v] == '"'))
			v++;
		if (v < n && s[v] == ':') {
			v++;
			if (payload_at(s, n, v, "shell"))
				v += 5;
			else if (payload_at(s, n, v, "sh"))
				v += 2;
			else
				v = 0;
			if (v && (v >= n || strchr(" \t'\"|", s[v])))
				return 1;
		}
		q = blanks(s, n, te);
	}
	return 0;
}

/* PowerShell at p: $NAME = a string joined with '+' from quoted pieces
 * (or two pieces: a query's '+' arrives as a blank), then the call
 * operator on $NAME later ($x='ie'+'x';&$x 'whoami') */
static int ps_built_call(const char *s, size_t n, size_t p)
{
	size_t ne = p + 1, q, lim = n < p + TOOL_SEGMENT ? n : p + TOOL_SEGMENT, l;
	int plus = 0;

	while (ne < lim && (payload_is_alnum((unsigned char)s[ne]) || s[ne] == '_'))
		ne++;
	l = ne - p;
	q = blanks(s, lim, ne);
	if (l < 2 || q >= lim || s[q] != '=')
		return 0;
	q = blanks(s, lim, q + 1);
	if (q >= lim || (s[q] != '\'' && s[q] != '"'))
		return 0;
	/* the assignment's pieces up to the statement's end */
	for (; q < lim && s[q] != ';' && s[q] != '\n'; q++) {
		if (s[q] == '\'' || s[q] == '"') {
			const char *c = memchr(s + q + 1, s[q], lim - q - 1);
			if (!c)
				return 0;
			q = (size_t)(c - s);
			plus++;
		} else if (s[q] == '+') {
			plus = 2;
		}
	}
	for (; plus > 1 && q + l < lim; q++) {
		size_t v;
		if (s[q] != '&' && s[q] != '.')
			continue;
		v = blanks(s, lim, q + 1);
		if (v + l <= lim && !memcmp(s + v, s + p, l) && ends_word(s, lim, v + l))
			return 1;
	}
	return 0;
}

/* the bare probe s[p..e) between the value's own token said twice with
 * the same separators: 1||id||1, abc|whoami|abc */
static int probe_between(const char *s, size_t n, size_t p, size_t e)
{
	size_t a = p, sl, tl;

	if (!payload_shellt_listed_n(s + p, e - p, PAYLOAD_SHELL_BARE))
		return 0;
	while (a > 0 && strchr(";|&", s[a - 1]))
		a--;
	sl = p - a;
	tl = a;
	if (sl == 0 || tl == 0 || tl > 64 || e + sl + tl != n || memcmp(s + e, s + a, sl) != 0 ||
	    memcmp(s + e + sl, s, tl) != 0)
		return 0;
	for (size_t k = 0; k < tl; k++)
		if (!payload_is_alnum((unsigned char)s[k]))
			return 0;
	return 1;
}

/* PowerShell at p: a name built from character codes ([char[]](105,
 * 101,120) -join '', "iex"), called: the call operator before it ("&
 * ([char[]](..) -join '')") or on the pipeline's item after it ("|%{&$_
 * whoami}", "| iex") */
static int ps_char_call(const char *s, size_t n, size_t p)
{
	size_t q = p, lim = n < p + TOOL_SEGMENT ? n : p + TOOL_SEGMENT, b;
	int nums = 0, called = 0;

	if (s[q] == '&' || s[q] == '.')
		q = blanks(s, lim, q + 1);
	if (q < lim && s[q] == '(')
		q = blanks(s, lim, q + 1);
	if (q + 9 > lim || strncasecmp(s + q, "[char[]](", 9) != 0)
		return 0;
	/* the call operator just before the group: "& (" */
	for (b = q; b > 0 && b + 6 > q && (s[b - 1] == ' ' || s[b - 1] == '('); b--)
		called |= s[b - 1] == '(';
	called &= b > 0 && (s[b - 1] == '&' || s[b - 1] == '.');
	for (q += 9; q < lim && nums < 64;) {
		size_t d = q;
		while (d < lim && s[d] >= '0' && s[d] <= '9')
			d++;
		if (d == q)
			break;
		nums++;
		q = blanks(s, lim, d);
		if (q < lim && s[q] == ',')
			q = blanks(s, lim, q + 1);
	}
	if (nums < 3 || q >= lim || s[q] != ')')
		return 0;
	q = blanks(s, lim, q + 1);
	if (q + 5 > lim || strncasecmp(s + q, "-join", 5) != 0)
		return 0;
	if (called)
		return 1;
	/* ... or after it, on the pipeline: |%{&$_ ..}, | iex */
	for (q += 5; q + 3 < lim; q++)
		if (((s[q] == '&' || s[q] == '.') && s[q + 1] == '$' && s[q + 2] == '_') ||
		    (s[q] == '|' && blanks(s, lim, q + 1) + 3 <= lim && !strncasecmp(s + blanks(s, lim, q + 1), "iex", 3)))
			return 1;
	return 0;
}

int payload_shell_tool_at(const char *s, size_t n, size_t p, int lead)
{
	size_t e, q;

	if (p >= n)
		return 0;
	if ((s[p] == '[' || s[p] == '(' || s[p] == '&' || s[p] == '.') && (lead & 1))
		return ps_char_call(s, n, p) ? 80 : 0;
	if (s[p] == '$')
		return (lead & 1) && ps_built_call(s, n, p) ? 80 : 0;
	if (!payload_is_alpha((unsigned char)s[p]))
		return 0;
	e = word_end(s, n, p);
	if (!ends_word(s, n, e))
		return 0;
	if (p > 0 && e < n && probe_between(s, n, p, e))
		return 80;
	if (!(lead & 1) || (lead & (PAYLOAD_SHELL_LEAD_TICK | PAYLOAD_SHELL_LEAD_BTICK)) || e >= n || s[e] != ' ')
		return 0;
	if (tool_verb(s, n, p, e))
		return 75;
	if (e - p == 4 && !memcmp(s + p, "find", 4) && find_exec(s, n, e))
		return 80;
	if (editor_shell(s, n, p, e) || option_shell(s, n, e))
		return 80;
	q = blanks(s, n, e);
	/* Start-Process (saps) of one program, nothing after it */
	if (((e - p == 13 && !strncasecmp(s + p, "start-process", 13)) || (e - p == 4 && !strncasecmp(s + p, "saps", 4))) &&
	    q < n && payload_is_alpha((unsigned char)s[q])) {
		size_t r = q;
		while (r < n && (payload_is_alnum((unsigned char)s[r]) || strchr(".:\\/_-", s[r])) && s[r])
			r++;
		r = blanks(s, n, r);
		if (r >= n || (s[r] && strchr(";|&\n#", s[r])))
			return 80;
	}
	/* the Env: drive listed, alone or into a pipe: Get-ChildItem Env:,
	 * gci env: | out-string ("; gci env: shows them" is prose) */
	if (q + 4 <= n && !strncasecmp(s + q, "env:", 4) && (q + 4 >= n || strchr(" \t;|&\n*\\'\"", s[q + 4]))) {
		size_t r = blanks(s, n, q + 4);
		if (r >= n || !payload_is_alpha((unsigned char)s[r]))
			return 75;
	}
	return 0;
}
