/* h1_line.c - a request line read the way nginx reads it (h1_line.h). */
#include "collector/decode/h1_line.h"

#include <string.h>

#include <llhttp.h>

enum {
	ST_START = 0, /* CR and LF before the line are skipped (nginx too) */
	ST_METHOD,
	ST_SP_URI,    /* blanks before the target */
	ST_SCHEME,
	ST_TARGET,
	ST_SP_VER,    /* blanks after the target */
	ST_PROTO,     /* "HTTP/" */
	ST_MAJOR,     /* the major digit read: '.' next */
	ST_MINOR1,
	ST_MINOR,
	ST_SP_END,    /* blanks after the version */
	ST_CR,
	ST_CR09,
	ST_HSTART,    /* a header line's first byte, or the head's end */
	ST_HNAME,
	ST_HVALUE,    /* to the line's LF: llhttp's */
	ST_HEND,      /* CR of the empty line read */
	ST_OFF,
};

/* nginx reads the request line in one buffer (large_client_header_buffers,
 * 8k by default): a method longer than that is never served */
#define METHOD_BOUND 8192

/* Room kept in out for what one byte may add: a method, its space and
 * the longest line end (" HTTP/1.0\r\n\r\n"). */
#define OUT_ROOM (H1_LINE_METHOD_MAX + 16)

static const char *const known[] = {
#define XX(num, name, string) #string,
	HTTP_METHOD_MAP(XX)
#undef XX
	"PRI",
};

int h1_line_active(const struct h1_line *l)
{
	return l->st != ST_OFF;
}

void h1_line_start(struct h1_line *l)
{
	l->st = ST_START;
	l->sub = l->odd = l->hodd = l->vpos = 0;
	l->mlen = l->minor = 0;
}

static int is_method_ch(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || ch == '_' || ch == '-';
}

static int is_alpha(char ch)
{
	ch = (char)(ch | 0x20);
	return ch >= 'a' && ch <= 'z';
}

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static int method_is(const struct h1_line *l, const char *m)
{
	return l->mlen == strlen(m) && memcmp(l->meth, m, l->mlen) == 0;
}

/* The method ended (its space): out gets what llhttp reads for it. */
static void method_out(struct h1_line *l, char *out, size_t *n)
{
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (method_is(l, known[i]))
			break;
	l->sub = i == sizeof(known) / sizeof(known[0]);
	if (l->sub) {
		memcpy(out + *n, "POST ", 5);
		*n += 5;
	} else {
		memcpy(out + *n, l->meth, l->mlen);
		*n += l->mlen;
		out[(*n)++] = ' ';
	}
	/* authority and asterisk forms stay llhttp's (its CONNECT tunnel,
	 * the HTTP/2 preface) */
	l->st = method_is(l, "CONNECT") || method_is(l, "PRI") ? ST_OFF : ST_SP_URI;
}

/* The line ended: 0.9 (only GET, as nginx; no headers follow) or the
 * version read (the header lines are next). */
static int line_end(struct h1_line *l, int v09, char *out, size_t *n)
{
	const char *end = !v09 && l->minor ? " HTTP/1.1\r\n" : " HTTP/1.0\r\n";

	if (v09 && !method_is(l, "GET"))
		return -1;
	memcpy(out + *n, end, 11);
	*n += 11;
	if (!v09) {
		l->st = ST_HSTART;
		return 0;
	}
	memcpy(out + *n, "\r\n", 2);
	*n += 2;
	l->odd = 1;
	l->st = ST_OFF;
	return 1;
}

/* A byte llhttp takes in a header name (RFC 9110's tchar). */
static int is_tchar(char ch)
{
	return is_alpha(ch) || is_digit(ch) || (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

/* The bytes at the start of data[0..n) that the state st hands on one
 * for one and leaves st in: a target's bytes up to a blank, a line end
 * or NUL; a header name's tchars; a header value up to its LF. Copied in
 * one run (the per-byte reader costs ~50 instructions a byte, and a
 * request head is mostly these runs). */
static size_t plain_run(int st, const char *data, size_t n)
{
	/* the bytes that end a target's run; those a name's run is made of */
	static const uint8_t tgt_stop[256] = { [0] = 1, [' '] = 1, ['\r'] = 1, ['\n'] = 1 };
	static const uint8_t name_ch[256] = { ['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1,
					      ['-'] = 1, ['_'] = 1 };
	const unsigned char *u = (const unsigned char *)data;
	const char *lf;
	size_t k = 0;

	switch (st) {
	case ST_TARGET:
		while (k < n && !tgt_stop[u[k]])
			k++;
		return k;
	case ST_HNAME:
		while (k < n && name_ch[u[k]])
			k++;
		return k;
	case ST_HVALUE:
		lf = memchr(data, '\n', n);
		return lf ? (size_t)(lf - data) : n;
	default:
		return 0;
	}
}

/* One byte of the header lines: 0 taken, 1 the head ended, 3 a colon
 * added before this byte (read it again). nginx
 * (ignore_invalid_headers, its default) serves a request with a header
 * name holding bytes llhttp refuses ('"', '/', '=', '@', 8-bit...) and
 * drops that header; it takes a line without a colon as a header with an
 * empty value. llhttp refused both and the rest of the head and the body
 * went unjudged: such a byte reaches llhttp as '_' (the header is judged
 * under that name), a missing colon is added. Blanks and controls in a
 * name, which nginx refuses, go to llhttp as they came. */
static int hdr_byte(struct h1_line *l, char ch, char *out, size_t *n)
{
	switch (l->st) {
	case ST_HSTART:
		if (ch == '\r' || ch == '\n') {
			out[(*n)++] = ch;
			l->st = ch == '\r' ? ST_HEND : ST_OFF;
			return ch == '\n';
		}
		/* a blank first: obs-fold, which llhttp reads (nginx: 400) */
		l->st = ch == ' ' || ch == '\t' ? ST_HVALUE : ST_HNAME;
		l->hblank = 0;
		return hdr_byte(l, ch, out, n);
	case ST_HNAME:
		if (ch == ':') {
			l->st = ST_HVALUE;
		} else if ((ch == '\r' || ch == '\n') && !l->hblank) {
			out[(*n)++] = ':'; /* data[i] is read in the next call */
			l->hodd = 1;
			l->st = ST_HVALUE;
			return 3;
		} else if ((unsigned char)ch <= 0x20 || ch == 0x7f) {
			l->hblank = 1; /* nginx refuses the line: llhttp says how */
		} else if (!is_tchar(ch)) {
			ch = '_';
			l->hodd = 1;
		}
		out[(*n)++] = ch;
		return 0;
	case ST_HVALUE:
		out[(*n)++] = ch;
		if (ch == '\n')
			l->st = ST_HSTART;
		return 0;
	default: /* ST_HEND: llhttp says whether the head ended */
		out[(*n)++] = ch;
		l->st = ST_OFF;
		return 1;
	}
}

/* One byte: 0 taken, 1 the head ended, 2 llhttp reads from this byte on,
 * 3 bytes added before this one (read it again), -1 refused. */
static int line_byte(struct h1_line *l, char ch, char *out, size_t *n)
{
	switch (l->st) {
	case ST_START:
		if (ch == '\r' || ch == '\n')
			return 0;
		if (!is_method_ch(ch))
			return 2; /* nginx refuses it: llhttp says how */
		l->st = ST_METHOD;
		/* fall through */
	case ST_METHOD:
		if (is_method_ch(ch)) {
			if (l->mlen >= METHOD_BOUND)
				return -1;
			if (l->mlen < H1_LINE_METHOD_MAX)
				l->meth[l->mlen] = ch;
			l->mlen++;
			return 0;
		}
		if (ch != ' ')
			return -1;
		method_out(l, out, n);
		return 0;
	case ST_SP_URI:
		if (ch == ' ') {
			l->odd = 1;
			return 0;
		}
		if (ch == '/') {
			l->st = ST_TARGET;
			out[(*n)++] = ch;
			return 0;
		}
		if (!is_alpha(ch))
			return 2;
		l->st = ST_SCHEME;
		return 0;
	case ST_SCHEME: /* nginx takes any; the event drops it (h1_msg.c) */
		if (is_alpha(ch))
			return 0;
		if (is_digit(ch) || ch == '+' || ch == '-' || ch == '.') {
			l->odd = 1;
			return 0;
		}
		if (ch != ':')
			return -1;
		memcpy(out + *n, "http:", 5);
		*n += 5;
		l->st = ST_TARGET;
		return 0;
	case ST_TARGET:
		if (ch == ' ') {
			l->st = ST_SP_VER;
			return 0;
		}
		if (ch == '\r') {
			l->st = ST_CR09;
			return 0;
		}
		if (ch == '\n')
			return line_end(l, 1, out, n);
		if (ch == '\0')
			return -1;
		out[(*n)++] = ch; /* llhttp judges the rest, as before */
		return 0;
	case ST_SP_VER:
		if (ch == ' ') {
			l->odd = 1;
			return 0;
		}
		if (ch == '\r') {
			l->st = ST_CR09;
			return 0;
		}
		if (ch == '\n')
			return line_end(l, 1, out, n);
		if (ch != 'H')
			return -1;
		l->st = ST_PROTO;
		l->vpos = 1;
		return 0;
	case ST_PROTO:
		if (ch != "HTTP/"[l->vpos])
			return -1;
		if (++l->vpos == 5)
			l->st = ST_MAJOR;
		return 0;
	case ST_MAJOR: /* nginx: major 1 only (505 for 2 and up) */
		if (l->vpos == 5) {
			if (ch != '1')
				return -1;
			l->vpos++;
			return 0;
		}
		if (ch != '.')
			return -1;
		l->st = ST_MINOR1;
		return 0;
	case ST_MINOR1:
		if (!is_digit(ch))
			return -1;
		l->minor = (uint16_t)(ch - '0');
		l->odd |= l->minor > 1;
		l->st = ST_MINOR;
		return 0;
	case ST_MINOR:
		if (is_digit(ch)) {
			if (l->minor > 99) /* nginx's bound */
				return -1;
			l->minor = (uint16_t)(l->minor * 10 + (ch - '0'));
			l->odd = 1;
			return 0;
		}
		if (ch == ' ') {
			l->odd = 1;
			l->st = ST_SP_END;
			return 0;
		}
		/* fall through */
	case ST_SP_END:
		if (ch == ' ')
			return 0;
		if (ch == '\r') {
			l->st = ST_CR;
			return 0;
		}
		if (ch == '\n')
			return line_end(l, 0, out, n);
		return -1;
	case ST_CR:
		return ch == '\n' ? line_end(l, 0, out, n) : -1;
	case ST_CR09:
		return ch == '\n' ? line_end(l, 1, out, n) : -1;
	case ST_OFF:
		return 2;
	default:
		return hdr_byte(l, ch, out, n);
	}
}

enum h1_line_res h1_line_take(struct h1_line *l, const char *data, size_t len, size_t *used,
			      char out[H1_LINE_OUT_MAX], size_t *out_len, size_t *exact)
{
	enum h1_line_res res = H1_LINE_MORE;
	size_t i, n = 0, ex;

	/* out[j] comes from data[j] while each byte gives one: a byte that
	 * gives none or several (or a ':' added) is the call's last, so
	 * where llhttp stops in out says where it stopped in data */
	for (i = 0; i < len && n + OUT_ROOM <= H1_LINE_OUT_MAX; i++) {
		size_t was = n, room = H1_LINE_OUT_MAX - OUT_ROOM - n;
		size_t k = plain_run(l->st, data + i, len - i < room ? len - i : room);
		int r;

		if (k) { /* n == i here: every byte so far gave one */
			memcpy(out + n, data + i, k);
			n += k;
			i += k - 1;
			continue;
		}
		r = line_byte(l, data[i], out, &n);

		if (r == 3 || r == 2 || r < 0) {
			if (r != 3) {
				res = r < 0 ? H1_LINE_BAD : H1_LINE_PASS;
				l->st = ST_OFF;
			}
			break;
		}
		if (r == 1 || l->st == ST_OFF) {
			res = r == 1 ? H1_LINE_END : H1_LINE_PASS;
			l->st = ST_OFF;
			ex = n == was + 1 ? i + 1 : i;
			i++;
			goto out;
		}
		if (n != was + 1) {
			ex = i++;
			goto out;
		}
	}
	ex = i;
out:
	*used = i;
	*out_len = n;
	*exact = ex;
	return res;
}
