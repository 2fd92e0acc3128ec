/* charset.c - see charset.h. */
#include "collector/detect/charset.h"
#include "collector/detect/charset_ebcdic.h"
#include "common/digit.h"

#include <string.h>

/* ---- names ---- */

/* EBCDIC pages by IBM number (Latin, Greek, Hebrew, Arabic, Cyrillic,
 * Thai, Japanese, Korean, Chinese: every one keeps letters and digits at
 * 037's bytes); a name of one with no table reads as 037. */
static const unsigned ebcdic_numbers[] = {
	37, 273, 277, 278, 280, 284, 285, 290, 297, 420, 423, 424, 500, 833,
	836, 838, 870, 871, 875, 880, 905, 918, 924, 930, 933, 935, 937, 939,
	1025, 1026, 1047, 1097, 1112, 1122, 1123, 1140, 1141, 1142, 1143, 1144,
	1145, 1146, 1147, 1148, 1149, 1153, 1154, 1155, 1156, 1157, 1158, 1160,
	1164, 1364, 1371, 1388, 1390, 1399,
};

/* the euro pages read as the page they add the euro to (it sits at 0x9F) */
static unsigned euro_base(unsigned n)
{
	return n == 1141 ? 273 : n == 1148 ? 500 : n;
}

static int set_ebcdic(struct charset *cs, unsigned n)
{
	unsigned want = euro_base(n);
	const struct charset_ebcdic_page *p;
	size_t i, nn = sizeof(ebcdic_numbers) / sizeof(ebcdic_numbers[0]);

	for (i = 0; i < nn && ebcdic_numbers[i] != n; i++)
		;
	if (i == nn)
		return 0;
	cs->kind = CHARSET_EBCDIC;
	cs->page_no = n;
	for (p = charset_ebcdic_pages; p->number && p->number != want; p++)
		;
	cs->guessed = !p->number;
	if (cs->guessed)
		for (p = charset_ebcdic_pages; p->number != 37; p++)
			;
	cs->page = p->to_ucs;
	return 1;
}

static const struct {
	const char *name;
	enum charset_kind kind;
} unicode_names[] = {
	{ "utf16", CHARSET_UTF16 }, { "ucs2", CHARSET_UTF16 },
	{ "iso10646ucs2", CHARSET_UTF16 }, { "csunicode", CHARSET_UTF16 },
	{ "unicode", CHARSET_UTF16 }, /* .NET: UTF-16LE; Java: marked, else BE */
	{ "utf16le", CHARSET_UTF16LE }, { "unicodelittleunmarked", CHARSET_UTF16LE },
	{ "unicodelittle", CHARSET_UTF16LE }, { "xutf16lebom", CHARSET_UTF16LE },
	{ "utf16be", CHARSET_UTF16BE }, { "unicodefffe", CHARSET_UTF16BE },
	{ "unicodebigunmarked", CHARSET_UTF16BE }, { "unicodebig", CHARSET_UTF16BE },
	{ "utf32", CHARSET_UTF32 }, { "ucs4", CHARSET_UTF32 },
	{ "iso10646ucs4", CHARSET_UTF32 }, { "utf32le", CHARSET_UTF32LE },
	{ "utf32be", CHARSET_UTF32BE }, { "utf7", CHARSET_UTF7 },
	{ "unicode11utf7", CHARSET_UTF7 }, { "csunicode11utf7", CHARSET_UTF7 },
	{ "unicode20utf7", CHARSET_UTF7 }, { "xunicode20utf7", CHARSET_UTF7 },
};

static const struct {
	const char *name;
	unsigned page;
} ebcdic_names[] = {
	{ "ebcdiccpus", 37 }, { "ebcdiccpca", 37 }, { "ebcdiccpwt", 37 },
	{ "ebcdiccpnl", 37 }, { "ebcdiccpbe", 500 }, { "ebcdiccpch", 500 },
	{ "ebcdiccphe", 424 }, { "ebcdicde273euro", 1141 },
	{ "ebcdicinternational500euro", 1148 }, { "ebcdicus37euro", 1140 },
};

/* "IBM037", "ibm-1047", "cp500", "CCSID00037", "cpibm37", "037" (Java's
 * aliases), "cp20273" (.NET's code page ids for the IBM pages): the
 * number (a leading "cs" or "x" is gone already) */
static int ebcdic_by_number(const char *a, struct charset *cs)
{
	static const char *const prefixes[] = { "cpibm", "ibm", "ccsid", "cp", "" };
	unsigned n = 0;
	size_t k;

	for (k = 0; strncmp(a, prefixes[k], strlen(prefixes[k])); k++)
		;
	a += strlen(prefixes[k]);
	if (*a < '0' || *a > '9')
		return 0;
	for (; *a >= '0' && *a <= '9'; a++)
		if ((n = n * 10 + (unsigned)(*a - '0')) > 99999)
			return 0;
	if (*a)
		return 0;
	if (n >= 20000 && n < 21000)
		n -= 20000;
	return set_ebcdic(cs, n);
}

static int classify_one(const char *a, struct charset *cs)
{
	for (size_t i = 0; i < sizeof(unicode_names) / sizeof(unicode_names[0]); i++)
		if (!strcmp(a, unicode_names[i].name)) {
			cs->kind = unicode_names[i].kind;
			return 1;
		}
	for (size_t i = 0; i < sizeof(ebcdic_names) / sizeof(ebcdic_names[0]); i++)
		if (!strcmp(a, ebcdic_names[i].name))
			return set_ebcdic(cs, ebcdic_names[i].page);
	if (!strncmp(a, "ebcdic", 6)) {
		set_ebcdic(cs, 37); /* an EBCDIC page by another name */
		cs->guessed = 1;
		return 1;
	}
	return ebcdic_by_number(a, cs);
}

/* a[] is the name lowercased with only its letters and digits; Java and
 * .NET spell one set many ways: "x-" and "cs" in front ("X-UTF-16BE",
 * "csIBM037", "cs-ebcdic-cp-us"), "_BOM" behind ("X-UTF-32BE-BOM") */
static int classify(char *a, struct charset *cs)
{
	size_t l = strlen(a);

	if (l > 3 && !strcmp(a + l - 3, "bom"))
		a[l - 3] = 0;
	for (;;) {
		if (classify_one(a, cs))
			return 1;
		if (a[0] == 'x')
			a++;
		else if (a[0] == 'c' && a[1] == 's')
			a += 2;
		else
			return 0;
	}
}

static int ci_eq(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	if (n != l)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != lit[i])
			return 0;
	}
	return 1;
}

/* One charset value v[0..n): classified; the display name kept. */
static int named(const char *v, size_t n, struct charset *cs)
{
	char a[40];
	size_t w = 0, d = 0;

	memset(cs, 0, sizeof(*cs));
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (w + 1 >= sizeof(a))
				return 0; /* no charset's name is that long */
			a[w++] = c;
		}
		if (d + 1 < sizeof(cs->name) &&
		    ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			cs->name[d++] = c;
	}
	a[w] = 0;
	cs->name[d] = 0;
	if (!classify(a, cs)) {
		memset(cs, 0, sizeof(*cs));
		return 0;
	}
	return 1;
}

static int ows(char c)
{
	return c == ' ' || c == '\t';
}

int charset_from_ctype(const char *ct, size_t n, struct charset *cs)
{
	size_t i = 0;

	memset(cs, 0, sizeof(*cs));
	if (!ct)
		return 0;
	while (i < n) {
		size_t ns, ne, vs, ve;

		while (i < n && ct[i] != ';')
			i++;
		if (i >= n)
			break;
		for (i++; i < n && ows(ct[i]); i++)
			;
		for (ns = i; i < n && ct[i] != '=' && ct[i] != ';'; i++)
			;
		for (ne = i; ne > ns && ows(ct[ne - 1]); ne--)
			;
		if (i >= n || ct[i] != '=' || !ci_eq(ct + ns, ne - ns, "charset"))
			continue;
		for (i++; i < n && ows(ct[i]); i++)
			;
		if (i < n && ct[i] == '"') {
			for (vs = ++i; i < n && ct[i] != '"'; i++)
				;
			ve = i;
		} else {
			for (vs = i; i < n && ct[i] != ';' && !ows(ct[i]); i++)
				;
			ve = i;
		}
		/* with two charset parameters, servers differ in which they
		 * take: one that needs decoding wins */
		if (named(ct + vs, ve - vs, cs))
			return 1;
	}
	return 0;
}

/* ---- sniffing ---- */

static void set_kind(struct charset *cs, enum charset_kind k, const char *name)
{
	memset(cs, 0, sizeof(*cs));
	cs->kind = k;
	strcpy(cs->name, name);
}

/* An XML prolog in EBCDIC ("<?xm" as 4C 6F A7 94): read as 037 up to its
 * encoding declaration, which names the page when it names one we know. */
static int sniff_ebcdic_xml(const uint8_t *p, size_t n, struct charset *cs)
{
	char head[128];
	size_t h = 0;
	const char *e;

	if (n < 4 || p[0] != 0x4C || p[1] != 0x6F || p[2] != 0xA7 || p[3] != 0x94)
		return 0;
	set_ebcdic(cs, 37);
	strcpy(cs->name, "ebcdic-xml");
	for (size_t i = 0; i < n && h + 1 < sizeof(head); i++) {
		uint16_t c = cs->page[p[i]];
		head[h++] = c < 0x80 ? (char)c : '?';
		if (c == '>')
			break;
	}
	head[h] = 0;
	if ((e = strstr(head, "encoding=")) && (e[9] == '"' || e[9] == '\'')) {
		const char *s = e + 10, *end = strchr(s, e[9]);
		struct charset named_cs;
		if (end && named(s, (size_t)(end - s), &named_cs) &&
		    named_cs.kind == CHARSET_EBCDIC)
			*cs = named_cs;
	}
	return 1;
}

int charset_sniff(const uint8_t *p, size_t n, struct charset *cs)
{
	memset(cs, 0, sizeof(*cs));
	if (n >= 4 && !p[0] && !p[1] && p[2] == 0xFE && p[3] == 0xFF)
		return set_kind(cs, CHARSET_UTF32BE, "utf-32be"), 1;
	if (n >= 4 && p[0] == 0xFF && p[1] == 0xFE && !p[2] && !p[3])
		return set_kind(cs, CHARSET_UTF32LE, "utf-32le"), 1;
	if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF)
		return set_kind(cs, CHARSET_UTF16BE, "utf-16be"), 1;
	if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE)
		return set_kind(cs, CHARSET_UTF16LE, "utf-16le"), 1;
	if (n < 4)
		return 0;
	/* RFC 4627 section 3: the first two characters are ASCII */
	if (!p[0] && !p[1] && !p[2] && p[3])
		return set_kind(cs, CHARSET_UTF32BE, "utf-32be"), 1;
	if (p[0] && !p[1] && !p[2] && !p[3])
		return set_kind(cs, CHARSET_UTF32LE, "utf-32le"), 1;
	if (!p[0] && p[1] && !p[2] && p[3])
		return set_kind(cs, CHARSET_UTF16BE, "utf-16be"), 1;
	if (p[0] && !p[1] && p[2] && !p[3])
		return set_kind(cs, CHARSET_UTF16LE, "utf-16le"), 1;
	return sniff_ebcdic_xml(p, n, cs);
}

/* ---- decoding ---- */

struct out {
	char *p;
	size_t cap, w;
	int pct;    /* write bytes percent-encoded but [A-Za-z0-9._~-] */
	int cut;
	uint16_t hi; /* a high surrogate waiting for its low half */
};

static int unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

static void put_bytes(struct out *o, const unsigned char *b, size_t n)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t need = o->pct ? 3 * n : n;

	if (o->cut || o->w + need > o->cap) {
		o->cut = 1;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (!o->pct || unreserved(b[i])) {
			o->p[o->w++] = (char)b[i];
		} else {
			o->p[o->w++] = '%';
			o->p[o->w++] = hx[b[i] >> 4];
			o->p[o->w++] = hx[b[i] & 15];
		}
	}
}

static void put_cp(struct out *o, uint32_t c)
{
	unsigned char b[4];
	size_t n;

	if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		c = 0xFFFD;
	if (c < 0x80) {
		b[0] = (unsigned char)c;
		n = 1;
	} else if (c < 0x800) {
		b[0] = (unsigned char)(0xC0 | c >> 6);
		b[1] = (unsigned char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		b[0] = (unsigned char)(0xE0 | c >> 12);
		b[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
		b[2] = (unsigned char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xF0 | c >> 18);
		b[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
		b[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
		b[3] = (unsigned char)(0x80 | (c & 0x3F));
		n = 4;
	}
	put_bytes(o, b, n);
}

/* one UTF-16 code unit, pairing surrogates */
static void put_unit(struct out *o, uint16_t u)
{
	if (o->hi) {
		uint16_t hi = o->hi;
		o->hi = 0;
		if (u >= 0xDC00 && u <= 0xDFFF) {
			put_cp(o, 0x10000 + (((uint32_t)hi - 0xD800) << 10) + (u - 0xDC00));
			return;
		}
		put_cp(o, 0xFFFD);
	}
	if (u >= 0xD800 && u <= 0xDBFF)
		o->hi = u;
	else
		put_cp(o, u);
}

static void end_units(struct out *o)
{
	if (o->hi) {
		o->hi = 0;
		put_cp(o, 0xFFFD);
	}
}

/* The byte order of UTF-16/32 bytes with none named: a mark (skipped),
 * else where the NULs of ASCII characters sit; little-endian (.NET's
 * "utf-16") when nothing tells. */
static enum charset_kind order(enum charset_kind k, const uint8_t *p, size_t n, size_t *skip)
{
	size_t z[4] = { 0, 0, 0, 0 };

	*skip = 0;
	if (k == CHARSET_UTF32) {
		if (n >= 4 && !p[0] && !p[1] && p[2] == 0xFE && p[3] == 0xFF)
			return *skip = 4, CHARSET_UTF32BE;
		if (n >= 4 && p[0] == 0xFF && p[1] == 0xFE && !p[2] && !p[3])
			return *skip = 4, CHARSET_UTF32LE;
		return n >= 4 && !p[0] ? CHARSET_UTF32BE : CHARSET_UTF32LE;
	}
	if (k != CHARSET_UTF16)
		return k;
	if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF)
		return *skip = 2, CHARSET_UTF16BE;
	if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE)
		return *skip = 2, CHARSET_UTF16LE;
	for (size_t i = 0; i < n && i < 512; i++)
		z[i & 1] += !p[i];
	return z[0] > z[1] ? CHARSET_UTF16BE : CHARSET_UTF16LE;
}

/* RFC 2152: '+' opens base64 of UTF-16 units up to a byte outside the
 * alphabet ('-' is taken with it); "+-" is '+' */
static void utf7(struct out *o, const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n && !o->cut) {
		uint32_t bits = 0;
		int nb = 0, v;

		if (p[i] != '+') {
			put_cp(o, p[i] < 0x80 ? p[i] : 0xFFFD);
			i++;
			continue;
		}
		if (++i < n && p[i] == '-') {
			put_cp(o, '+');
			i++;
			continue;
		}
		for (; i < n && (v = digit_b64(p[i])) >= 0; i++) {
			bits = (bits << 6) | (uint32_t)v;
			if ((nb += 6) >= 16) {
				nb -= 16;
				put_unit(o, (uint16_t)(bits >> nb));
				bits &= (1u << nb) - 1;
			}
		}
		end_units(o);
		if (i < n && p[i] == '-')
			i++;
	}
}

static void decode_run(const struct charset *cs, const uint8_t *p, size_t n, struct out *o)
{
	size_t skip, i;
	enum charset_kind k = order(cs->kind, p, n, &skip);

	p += skip;
	n -= skip;
	switch (k) {
	case CHARSET_UTF16LE:
	case CHARSET_UTF16BE:
		for (i = 0; i + 1 < n && !o->cut; i += 2)
			put_unit(o, k == CHARSET_UTF16LE ? (uint16_t)(p[i] | p[i + 1] << 8)
							  : (uint16_t)(p[i] << 8 | p[i + 1]));
		end_units(o);
		if (n & 1)
			put_cp(o, 0xFFFD);
		break;
	case CHARSET_UTF32LE:
	case CHARSET_UTF32BE:
		for (i = 0; i + 3 < n && !o->cut; i += 4)
			put_cp(o, k == CHARSET_UTF32LE
					  ? (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 |
						    (uint32_t)p[i + 2] << 16 | (uint32_t)p[i + 3] << 24
					  : (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 |
						    (uint32_t)p[i + 2] << 8 | (uint32_t)p[i + 3]);
		if (n & 3)
			put_cp(o, 0xFFFD);
		break;
	case CHARSET_UTF7:
		utf7(o, p, n);
		break;
	case CHARSET_EBCDIC:
		for (i = 0; i < n && !o->cut; i++)
			put_cp(o, cs->page ? cs->page[p[i]] : 0xFFFD);
		break;
	default:
		put_bytes(o, p, n);
		break;
	}
}

size_t charset_decode(const struct charset *cs, const uint8_t *in, size_t n,
		      char *out, size_t cap, int *cut)
{
	struct out o = { .p = out, .cap = cap };

	decode_run(cs, in, n, &o);
	*cut = o.cut;
	return o.w;
}

/* One name or value of a form: '+' a blank and %XX a byte (decoded with
 * the charset together), %uXXXX a code unit of its own (ASP.NET's
 * decoder takes it so). */
static void form_token(const struct charset *cs, const char *s, size_t n, struct out *o,
		       uint8_t *scratch)
{
	size_t i = 0, b = 0;

	while (i < n && !o->cut) {
		unsigned char c = (unsigned char)s[i];
		int h1, h2;

		if (c == '%' && i + 5 < n && (s[i + 1] | 0x20) == 'u' && digit_hex((unsigned char)s[i + 2]) >= 0 &&
		    digit_hex((unsigned char)s[i + 3]) >= 0 && digit_hex((unsigned char)s[i + 4]) >= 0 &&
		    digit_hex((unsigned char)s[i + 5]) >= 0) {
			decode_run(cs, scratch, b, o);
			b = 0;
			put_unit(o, (uint16_t)(digit_hex((unsigned char)s[i + 2]) << 12 | digit_hex((unsigned char)s[i + 3]) << 8 |
					       digit_hex((unsigned char)s[i + 4]) << 4 | digit_hex((unsigned char)s[i + 5])));
			end_units(o);
			i += 6;
			continue;
		}
		if (c == '%' && i + 2 < n && (h1 = digit_hex((unsigned char)s[i + 1])) >= 0 &&
		    (h2 = digit_hex((unsigned char)s[i + 2])) >= 0) {
			scratch[b++] = (uint8_t)(h1 << 4 | h2);
			i += 3;
			continue;
		}
		scratch[b++] = c == '+' ? 0x20 : c;
		i++;
	}
	decode_run(cs, scratch, b, o);
}

size_t charset_decode_form(const struct charset *cs, const char *in, size_t n,
			   char *out, size_t cap, int *cut)
{
	static _Thread_local uint8_t scratch[65536];
	struct out o = { .p = out, .cap = cap };
	int over = n > sizeof(scratch);
	size_t i = 0;

	if (over)
		n = sizeof(scratch); /* a token is at most n bytes of scratch */
	while (!o.cut) {
		size_t s = i;
		while (i < n && in[i] != '&' && in[i] != '=')
			i++;
		o.pct = 1;
		form_token(cs, in + s, i - s, &o, scratch);
		if (i >= n)
			break;
		o.pct = 0; /* the separator as it was */
		put_bytes(&o, (const unsigned char *)in + i, 1);
		i++;
	}
	*cut = o.cut || over;
	return o.w;
}
