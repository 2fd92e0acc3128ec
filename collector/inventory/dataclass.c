/* dataclass.c - sensitive data classes in bodies and values; see
 * dataclass.h. One pass over a value: at each word start the few token
 * shapes that can begin there are tried, each bounded in length, and a
 * token that validates is skipped whole.
 */
#include "collector/inventory/dataclass.h"
#include "collector/inventory/dataclass_int.h"

#include <string.h>


#define MAX_JWT 8192  /* bytes of one token looked at */

static int is_b64url(int c) { return is_alnum(c) || c == '-' || c == '_'; }

static void hit(struct dataclass_scan *s, enum dataclass_kind k)
{
	if (s->counts) {
		s->counts->n[k]++;
		s->counts->total++;
	}
	if (s->fn)
		s->fn(s->ctx, s->path, k);
	s->found++;
}

/* --- validators --------------------------------------------------------- */

int dataclass_luhn(const char *d, size_t n)
{
	unsigned sum = 0, dbl = 0;
	size_t i;

	if (n == 0)
		return 0;
	for (i = n; i-- > 0;) {
		unsigned v = (unsigned)(d[i] - '0');

		if (v > 9)
			return 0;
		if (dbl) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
		dbl = !dbl;
	}
	return sum % 10 == 0;
}

static unsigned prefix_num(const char *d, size_t k)
{
	unsigned v = 0;
	size_t i;

	for (i = 0; i < k; i++)
		v = v * 10 + (unsigned)(d[i] - '0');
	return v;
}

int dataclass_card_network(const char *d, size_t n)
{
	unsigned p1, p2, p3, p4;

	if (n < 13 || n > 19)
		return 0;
	p1 = prefix_num(d, 1);
	p2 = prefix_num(d, 2);
	p3 = prefix_num(d, 3);
	p4 = prefix_num(d, 4);
	if (p1 == 4)                                   /* Visa */
		return n == 13 || n == 16 || n == 19;
	if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720))
		return n == 16;                        /* Mastercard */
	if (p2 == 34 || p2 == 37)                      /* American Express */
		return n == 15;
	if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649))
		return n >= 16;                        /* Discover */
	if (p4 >= 3528 && p4 <= 3589)                  /* JCB */
		return n >= 16;
	if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39)
		return n >= 14;                        /* Diners Club */
	if (p2 == 62)                                  /* UnionPay */
		return n >= 16;
	return 0;
}

/* ISO 13616 lengths by country (the registry's, 2024). */
static const struct {
	char cc[3];
	unsigned char len;
} iban_len[] = {
	{"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20},
	{"BE", 16}, {"BG", 22}, {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21},
	{"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DK", 18}, {"DO", 28},
	{"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27},
	{"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28},
	{"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26},
	{"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32},
	{"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24},
	{"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18},
	{"NO", 15}, {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29},
	{"RO", 24}, {"RS", 22}, {"SA", 24}, {"SC", 31}, {"SE", 24}, {"SI", 19},
	{"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24},
	{"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
};

int dataclass_iban_valid(const char *s, size_t n)
{
	unsigned rem = 0;
	size_t k, want = 0;

	if (n < 15 || n > 34 || !is_upper(s[0]) || !is_upper(s[1]) ||
	    !is_digit(s[2]) || !is_digit(s[3]))
		return 0;
	for (k = 0; k < sizeof(iban_len) / sizeof(iban_len[0]); k++)
		if (iban_len[k].cc[0] == s[0] && iban_len[k].cc[1] == s[1])
			want = iban_len[k].len;
	if (want != n)
		return 0;
	/* the first four characters move to the end; letters count 10..35 */
	for (k = 0; k < n; k++) {
		char c = s[(k + 4) % n];

		if (is_digit(c)) {
			rem = (rem * 10 + (unsigned)(c - '0')) % 97;
		} else if (is_upper(c)) {
			unsigned v = (unsigned)(c - 'A') + 10;

			rem = (rem * 100 + v) % 97;
		} else {
			return 0;
		}
	}
	return rem == 1;
}

/* --- field names --------------------------------------------------------- */

/* Lower-case alphanumerics of name ("Phone_Number" -> "phonenumber"). */
static size_t fold_name(const char *name, size_t n, char *out)
{
	size_t i, k = 0;

	for (i = 0; name && i < n && k < MAX_NAME; i++) {
		char c = name[i];

		if (is_upper(c))
			out[k++] = (char)(c - 'A' + 'a');
		else if (is_lower(c) || is_digit(c))
			out[k++] = c;
	}
	out[k] = '\0';
	return k;
}

static int name_has(const char *f, const char *const *words)
{
	for (; *words; words++)
		if (strstr(f, *words))
			return 1;
	return 0;
}

static int name_is(const char *f, const char *const *words)
{
	for (; *words; words++)
		if (strcmp(f, *words) == 0)
			return 1;
	return 0;
}

static const char *const ssn_words[] = { "ssn", "socialsecurity", NULL };
static const char *const phone_words[] = { "phone", "mobile", "msisdn", NULL };
static const char *const phone_names[] = { "tel", "telephone", "fax", "cell",
					   NULL };
static const char *const secret_words[] = {
	"password", "passwd", "secret", "apikey", "privatekey", "accesskey",
	"accesstoken", "refreshtoken", "authtoken", "sessiontoken", NULL
};
static const char *const secret_names[] = { "pwd", "pass", NULL };
/* names that only talk about a secret */
static const char *const secret_meta[] = {
	"hint", "length", "policy", "required", "expires", "expiry", "reset",
	"changed", "updated", "type", "strength", "minlen", "maxlen", "url",
	"count", "id", NULL
};

void dataclass_field_init(struct dataclass_field *f, const char *name, size_t n)
{
	size_t k = fold_name(name, n, f->name);
	size_t m;

	f->ssn = k && name_has(f->name, ssn_words);
	f->phone = k && (name_has(f->name, phone_words) ||
			 name_is(f->name, phone_names));
	f->secret = 0;
	if (k && (name_has(f->name, secret_words) ||
		  name_is(f->name, secret_names))) {
		f->secret = 1;
		for (m = 0; secret_meta[m]; m++) {
			size_t l = strlen(secret_meta[m]);

			if (k > l && strcmp(f->name + k - l, secret_meta[m]) == 0)
				f->secret = 0;
		}
	}
}

/* A secret field's value worth counting: not empty, not a placeholder
 * (null, true/false, a run of one character like "****"), not a small
 * number. */
static int real_secret(const char *v, size_t n)
{
	size_t i;
	int same = 1, digits = 1;

	if (n < 4)
		return 0;
	if ((n == 4 && memcmp(v, "null", 4) == 0) ||
	    (n == 4 && memcmp(v, "true", 4) == 0) ||
	    (n == 5 && memcmp(v, "false", 5) == 0))
		return 0;
	for (i = 0; i < n; i++) {
		if (v[i] != v[0])
			same = 0;
		if (!is_digit(v[i]))
			digits = 0;
	}
	if (same || (digits && n <= 6))
		return 0;
	if (n >= 2 && ((v[0] == '<' && v[n - 1] == '>') ||
		       (v[0] == '[' && v[n - 1] == ']') ||
		       (v[0] == '{' && v[n - 1] == '}') ||
		       (v[0] == '$' && v[1] == '{')))
		return 0; /* <redacted>, [hidden], {{template}}, ${VAR} */
	return 1;
}

/* --- token shapes ------------------------------------------------------- */

/* Email at the '@' in v[at]; returns the end of the address or 0. */
static size_t email_at(const char *v, size_t n, size_t at, size_t *start)
{
	size_t l = at, r = at + 1, dot = 0, tld = 0, label = 0;

	while (l > 0 && at - l < 64) {
		char c = v[l - 1];

		if (!(is_alnum(c) || c == '.' || c == '_' || c == '%' ||
		      c == '+' || c == '-'))
			break;
		l--;
	}
	if (l == at || v[l] == '.' || v[at - 1] == '.')
		return 0;
	while (r < n && r - at <= 253) {
		char c = v[r];

		if (is_alnum(c) || c == '-') {
			label++;
			tld = is_lower(c) || is_upper(c) ? tld + 1 : 0;
			if (!(is_lower(c) || is_upper(c)))
				tld = 0;
		} else if (c == '.' && label && v[r - 1] != '-' && r + 1 < n &&
			   is_alnum(v[r + 1])) {
			dot++;
			label = 0;
			tld = 0;
		} else {
			break;
		}
		r++;
	}
	if (!dot || !label || tld < 2 || tld != label || v[r - 1] == '-')
		return 0;
	*start = l;
	return r;
}

/* A run of digits with single ' ' or '-' between groups (one kind), at
 * v[i]. Fills digits (up to 19 kept) and returns the run's end. */
static size_t digit_run(const char *v, size_t n, size_t i, char *d,
			size_t *nd, char *sep)
{
	size_t k = 0, total = 0;

	*sep = 0;
	while (i < n) {
		if (is_digit(v[i])) {
			if (k < 19)
				d[k++] = v[i];
			total++;
			i++;
		} else if ((v[i] == ' ' || v[i] == '-') && i + 1 < n &&
			   is_digit(v[i + 1]) && (!*sep || *sep == v[i])) {
			*sep = v[i];
			i++;
		} else {
			break;
		}
		if (total > 40)
			break;
	}
	*nd = total > 19 ? total : k;
	return i;
}

static int ssn_valid(const char *d)
{
	unsigned area = prefix_num(d, 3), group = prefix_num(d + 3, 2);
	unsigned serial = prefix_num(d + 5, 4);

	return area && area != 666 && area < 900 && group && serial;
}

/* The number token at v[i] (a digit or a '+'); returns its end. */
static size_t number_at(struct dataclass_scan *s, const struct dataclass_field *f, const char *v,
			size_t n, size_t i)
{
	char d[20], sep;
	size_t nd, end;
	int plus = v[i] == '+';

	end = digit_run(v, n, i + (size_t)plus, d, &nd, &sep);
	if (end < n && (is_alnum(v[end]) || v[end] == '_' ||
			(v[end] == '.' && end + 1 < n && is_digit(v[end + 1]))))
		return end; /* part of a word or a decimal number */
	if (!plus && nd >= 13 && nd <= 19 && dataclass_luhn(d, nd) &&
	    dataclass_card_network(d, nd)) {
		hit(s, DATACLASS_CARD);
		return end;
	}
	if (!plus && f->ssn && nd == 9 && (sep == '-' || sep == 0) &&
	    ssn_valid(d) &&
	    (sep == 0 || (end - i == 11 && v[i + 3] == '-' && v[i + 6] == '-'))) {
		hit(s, DATACLASS_SSN);
		return end;
	}
	if ((plus && nd >= 8 && nd <= 15 && d[0] != '0') ||
	    (f->phone && nd >= 7 && nd <= 15))
		hit(s, DATACLASS_PHONE);
	return end;
}

/* Base64url-decode up to cap bytes of src[0..n). */
static size_t b64url_decode(const char *src, size_t n, char *out, size_t cap)
{
	unsigned acc = 0, bits = 0;
	size_t i, k = 0;

	for (i = 0; i < n && k < cap; i++) {
		char c = src[i];
		unsigned v;

		if (is_upper(c))
			v = (unsigned)(c - 'A');
		else if (is_lower(c))
			v = (unsigned)(c - 'a') + 26;
		else if (is_digit(c))
			v = (unsigned)(c - '0') + 52;
		else if (c == '-')
			v = 62;
		else if (c == '_')
			v = 63;
		else
			break;
		acc = (acc << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (char)((acc >> bits) & 0xff);
		}
	}
	return k;
}

/* A JWT at v[i] ("eyJ..."); returns its end, or the end of its first
 * segment when it is none. */
static size_t jwt_at(struct dataclass_scan *s, const char *v, size_t n, size_t i)
{
	size_t seg[3] = {0}, p = i, k = 0, lim = n - i > MAX_JWT ? i + MAX_JWT : n;
	char hdr[192];
	size_t hn;

	for (k = 0; k < 3; k++) {
		size_t b = p;

		while (p < lim && is_b64url(v[p]))
			p++;
		seg[k] = p - b;
		if (k < 2) {
			if (p >= lim || v[p] != '.')
				break;
			p++;
		}
	}
	if (k < 2 || seg[0] < 10 || seg[1] < 2)
		return i + seg[0];
	hn = b64url_decode(v + i, seg[0], hdr, sizeof(hdr) - 1);
	hdr[hn] = '\0';
	if (hn < 8 || hdr[0] != '{' || !strstr(hdr, "\"alg\""))
		return i + seg[0];
	hit(s, DATACLASS_JWT);
	return p;
}

static size_t run_of(const char *v, size_t n, size_t i, int (*ok)(int))
{
	while (i < n && ok((unsigned char)v[i]))
		i++;
	return i;
}

static int is_aws_char(int c) { return is_upper(c) || (c >= '2' && c <= '7'); }
static int is_token_char(int c)
{
	return is_b64url(c) || c == '.' || c == '~' || c == '+' || c == '/' ||
	       c == '=';
}

static int word_end(const char *v, size_t n, size_t e)
{
	return e >= n || !is_alnum(v[e]);
}

/* Vendor tokens and keys by their documented prefixes and lengths; returns
 * the token's end or i when none starts here. */
static size_t vendor_at(struct dataclass_scan *s, const char *v, size_t n, size_t i)
{
	static const char *const aws[] = { "AKIA", "ASIA", "AGPA", "AIDA",
					   "AROA", "ANPA", "ANVA", "AIPA", NULL };
	size_t left = n - i, e, k;

	for (k = 0; aws[k]; k++)
		if (left >= 20 && memcmp(v + i, aws[k], 4) == 0) {
			e = run_of(v, n, i + 4, is_aws_char);
			if (e - i == 20 && word_end(v, n, e)) {
				hit(s, DATACLASS_AWS_KEY);
				return e;
			}
		}
	if (left >= 40 && v[i] == 'g' && v[i + 1] == 'h' && v[i + 3] == '_' &&
	    strchr("pousr", v[i + 2])) {
		e = run_of(v, n, i + 4, is_alnum);
		if (e - i == 40 && word_end(v, n, e)) {
			hit(s, DATACLASS_GITHUB_TOKEN);
			return e;
		}
	}
	if (left >= 40 && memcmp(v + i, "github_pat_", 11) == 0) {
		e = run_of(v, n, i + 11, is_b64url);
		if (e - i >= 40) {
			hit(s, DATACLASS_GITHUB_TOKEN);
			return e;
		}
	}
	if (left >= 26 && memcmp(v + i, "glpat-", 6) == 0) {
		e = run_of(v, n, i + 6, is_b64url);
		if (e - i >= 26) {
			hit(s, DATACLASS_GITLAB_TOKEN);
			return e;
		}
	}
	if (left >= 15 && memcmp(v + i, "xox", 3) == 0 &&
	    strchr("abposr", v[i + 3]) && v[i + 4] == '-') {
		e = run_of(v, n, i + 5, is_b64url);
		if (e - i >= 15) {
			hit(s, DATACLASS_SLACK_TOKEN);
			return e;
		}
	}
	if (left >= 39 && memcmp(v + i, "AIza", 4) == 0) {
		e = run_of(v, n, i + 4, is_b64url);
		if (e - i == 39) {
			hit(s, DATACLASS_GOOGLE_KEY);
			return e;
		}
	}
	return i;
}

/* "-----BEGIN [RSA |EC |OPENSSH |ENCRYPTED ]PRIVATE KEY-----" */
static size_t pem_at(struct dataclass_scan *s, const char *v, size_t n, size_t i)
{
	size_t j, lim = n - i > 64 ? i + 64 : n;

	if (n - i < 28 || memcmp(v + i, "-----BEGIN ", 11) != 0)
		return i;
	for (j = i + 11; j + 16 <= lim; j++)
		if (memcmp(v + j, "PRIVATE KEY-----", 16) == 0) {
			hit(s, DATACLASS_PRIVATE_KEY);
			return j + 16;
		}
	return i;
}

/* "Bearer <token>" (any case), a token of at least 16 characters. */
static size_t bearer_at(struct dataclass_scan *s, const char *v, size_t n, size_t i)
{
	static const char b[] = "bearer ";
	size_t k, e;

	if (n - i < 7 + 16)
		return i;
	for (k = 0; k < 7; k++)
		if ((v[i + k] | 0x20) != b[k] && !(k == 6 && v[i + k] == ' '))
			return i;
	e = run_of(v, n, i + 7, is_token_char);
	if (e - (i + 7) < 16)
		return i;
	hit(s, DATACLASS_BEARER);
	return i + 7; /* the token itself is looked at too (a JWT) */
}

/* An IBAN at a word start, printed whole or in groups of four. */
static size_t iban_at(struct dataclass_scan *s, const char *v, size_t n, size_t i)
{
	char buf[35];
	size_t k = 0, p = i;

	if (n - i < 15 || !is_upper(v[i]) || !is_upper(v[i + 1]) ||
	    !is_digit(v[i + 2]) || !is_digit(v[i + 3]))
		return i;
	while (p < n && k < 34) {
		if (is_upper(v[p]) || is_digit(v[p]))
			buf[k++] = v[p++];
		else if (v[p] == ' ' && k % 4 == 0 && p + 1 < n &&
			 (is_upper(v[p + 1]) || is_digit(v[p + 1])))
			p++;
		else
			break;
	}
	if (!word_end(v, n, p) || !dataclass_iban_valid(buf, k))
		return i;
	hit(s, DATACLASS_IBAN);
	return p;
}

/* A phone field's whole value written as a number: digits, spaces, and
 * + - . ( ), with 7 to 15 digits. */
static int phone_shaped(const char *v, size_t n)
{
	size_t i, d = 0;

	if (n > 32)
		return 0;
	for (i = 0; i < n; i++) {
		if (is_digit(v[i]))
			d++;
		else if (!strchr(" +-.()", v[i]) || v[i] == '\0')
			return 0;
	}
	return d >= 7 && d <= 15;
}

/* --- one value ---------------------------------------------------------- */

void dataclass_scan_text(struct dataclass_scan *s, const struct dataclass_field *f, const char *v,
		      size_t n)
{
	size_t i = 0, from = 0, e, st;

	if (f->secret && real_secret(v, n))
		hit(s, DATACLASS_SECRET);
	if (f->phone && phone_shaped(v, n)) {
		hit(s, DATACLASS_PHONE);
		return;
	}
	while (i < n) {
		unsigned char c = (unsigned char)v[i];
		int ws = i == 0 || !is_alnum((unsigned char)v[i - 1]);

		if (c == '@' && i >= from) {
			e = email_at(v, n, i, &st);
			if (e && st >= from) {
				hit(s, DATACLASS_EMAIL);
				i = from = e;
				continue;
			}
		}
		if (ws && (is_digit(c) || (c == '+' && i + 1 < n &&
					   is_digit((unsigned char)v[i + 1])))) {
			if (i > 0 && (v[i - 1] == '.' || v[i - 1] == '_' ||
				      (v[i - 1] == '-' && c != '+'))) {
				i = run_of(v, n, i + 1, is_alnum);
				continue;
			}
			i = number_at(s, f, v, n, i);
			continue;
		}
		if (ws) {
			e = i;
			if (c == 'e' && i + 3 < n && v[i + 1] == 'y' && v[i + 2] == 'J')
				e = jwt_at(s, v, n, i);
			else if (c == '-')
				e = pem_at(s, v, n, i);
			else if (c == 'b' || c == 'B')
				e = bearer_at(s, v, n, i);
			if (e == i)
				e = vendor_at(s, v, n, i);
			if (e == i && is_upper(c))
				e = iban_at(s, v, n, i);
			if (e > i) {
				i = e;
				continue;
			}
		}
		i++;
	}
}

unsigned dataclass_scan_value(const char *name, size_t name_len,
			      const char *val, size_t len,
			      struct dataclass_counts *counts,
			      dataclass_found_fn fn, void *ctx)
{
	struct dataclass_scan s = { counts, fn, ctx, "$", 0 };
	struct dataclass_field f;
	char path[MAX_NAME + 3];

	dataclass_field_init(&f, name, name_len);
	if (name && name_len) {
		size_t k = name_len < MAX_NAME ? name_len : MAX_NAME;

		path[0] = '$';
		path[1] = '.';
		memcpy(path + 2, name, k);
		path[2 + k] = '\0';
		s.path = path;
	}
	dataclass_scan_text(&s, &f, val, len < DATACLASS_MAX_SCAN ? len : DATACLASS_MAX_SCAN);
	return s.found;
}
