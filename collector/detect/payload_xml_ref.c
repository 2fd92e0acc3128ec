/* payload_xml_ref.c - the lines of an XXE example a payload list prints
 * one a value that hold no declaration: the reference that uses a
 * declared entity ("<foo>&xxe;</foo>", "&xxe;") and the document's
 * XML declaration alone; and how far an XInclude reaches (a file beside
 * the document, as DocBook splits a book into chapters, or any other).
 * XML 1.0 §4.1 (references), §4.6 (the five predefined entities), §2.8
 * (the declaration); XInclude 1.0 §3.1. */
#include <string.h>

#include "collector/detect/payload_int.h"
#include "collector/detect/payload_xml_int.h"

/* Named character references HTML text uses as an element's whole
 * content ("<td>&nbsp;</td>", "<button>&times;</button>"), lower-cased:
 * such a reference needs no DTD. XML's five predefined names are here. */
static const char *const html_text_names[] = {
	"amp", "lt", "gt", "quot", "apos", "nbsp", "ensp", "emsp", "thinsp", "numsp", "hairsp", "zwnj",
	"zwj", "shy", "lrm", "rlm", "copy", "reg", "trade", "hellip", "mldr", "mdash", "ndash", "bull",
	"middot", "times", "divide", "deg", "plusmn", "minus", "micro", "para", "sect", "euro", "pound",
	"yen", "cent", "curren", "laquo", "raquo", "lsaquo", "rsaquo", "lsquo", "rsquo", "ldquo", "rdquo",
	"sbquo", "bdquo", "larr", "rarr", "uarr", "darr", "harr", "crarr", "hearts", "spades", "clubs",
	"diams", "star", "starf", "check", "cross", "iexcl", "iquest", "frac12", "frac14", "frac34",
	"sup1", "sup2", "sup3", "ordf", "ordm", "not", "macr", "acute", "cedil", "uml", "prime", "dagger",
	"permil", "infin", "ne", "le", "ge", "asymp", "sum", "prod", "radic", "equiv", "plus", "equals",
	"excl", "quest", "num", "dollar", "percnt", "ast", "colon", "semi", "comma", "period", "sol",
	"bsol", "lpar", "rpar", "lsqb", "rsqb", "lcub", "rcub", "verbar", "vert", "commat", "hat",
	"grave", "lowbar", "tilde", "circ", "dash", "hyphen", "alpha", "beta", "gamma", "delta",
	"epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi",
	"rho", "sigma", "sigmaf", "tau", "upsilon", "phi", "chi", "psi", "omega", "loz", "oline",
	"frasl", "image", "weierp", "real", "alefsym", "forall", "part", "exist", "empty", "nabla",
	"isin", "notin", "ni", "lowast", "prop", "ang", "and", "or", "cap", "cup", "int", "there4",
	"sim", "cong", "sub", "sup", "nsub", "sube", "supe", "oplus", "otimes", "perp", "sdot",
	"lceil", "rceil", "lfloor", "rfloor", "lang", "rang", "brvbar", "szlig", "eth", "thorn",
	"aelig", "oelig", "fnof",
};

/* an accented letter's name: a letter then its mark ("eacute", "uuml") */
static int accented_name(const char *s, size_t l)
{
	static const char *const mark[] = {"acute", "grave", "circ", "uml", "tilde", "ring", "cedil",
					   "slash", "caron", "dot", "macr", "breve", "ogon", "dblac"};

	if (l < 3 || !payload_is_alpha((unsigned char)s[0]))
		return 0;
	for (size_t k = 0; k < sizeof(mark) / sizeof(mark[0]); k++)
		if (strlen(mark[k]) == l - 1 && !memcmp(s + 1, mark[k], l - 1))
			return 1;
	return 0;
}

static int html_text_name(const char *s, size_t l)
{
	for (size_t k = 0; k < sizeof(html_text_names) / sizeof(html_text_names[0]); k++)
		if (html_text_names[k][0] == s[0] && strlen(html_text_names[k]) == l && !memcmp(s, html_text_names[k], l))
			return 1;
	return accented_name(s, l);
}

/* "&name;" at p (lo[p] == '&'), a name of [a-z0-9_.-] led by a letter or
 * '_', at most 32 bytes: the index after its ';', or 0 */
static size_t ref_end(const char *lo, size_t n, size_t p)
{
	size_t q = p + 1;

	if (q >= n || !(payload_is_alpha((unsigned char)lo[q]) || lo[q] == '_'))
		return 0;
	while (q < n && q - p <= 33 && (payload_is_alnum((unsigned char)lo[q]) || lo[q] == '_' || lo[q] == '-' ||
					lo[q] == '.'))
		q++;
	return q < n && lo[q] == ';' && q - p <= 33 ? q + 1 : 0;
}

static size_t skip_blank_fwd(const char *lo, size_t n, size_t p)
{
	while (p < n && payload_is_space((unsigned char)lo[p]))
		p++;
	return p;
}

static size_t skip_blank_back(const char *lo, size_t p)
{
	while (p > 0 && payload_is_space((unsigned char)lo[p - 1]))
		p--;
	return p;
}

/* a start tag's '>' ends at b (lo[b - 1] == '>'), not a comment's, a
 * declaration's or an end tag's: back to its '<' then a name */
static int start_tag_before(const char *lo, size_t b)
{
	size_t lim = b > 256 ? b - 256 : 0, p = b - 1;

	if (p > 0 && (lo[p - 1] == '/' || lo[p - 1] == '-' || lo[p - 1] == '?' || lo[p - 1] == ']'))
		return 0;
	while (p > lim && lo[p - 1] != '<' && lo[p - 1] != '>')
		p--;
	return p > 0 && lo[p - 1] == '<' && p < b && (payload_is_alpha((unsigned char)lo[p]) || lo[p] == '_');
}

void payload_xml_fragments(const char *lo, size_t n, struct payload_acc *a)
{
	size_t s = skip_blank_fwd(lo, n, 0), e = skip_blank_back(lo, n);

	if (s >= e)
		return;
	/* the XML declaration alone, the first line of a document cut
	 * from it: no application sends only that as a value */
	if (payload_at(lo, e, s, "<?xml") && s + 5 < e && payload_is_space((unsigned char)lo[s + 5]) &&
	    e - s >= 9 && lo[e - 1] == '>' && lo[e - 2] == '?' && payload_find(lo, e, s, "version") < e &&
	    !memchr(lo + s + 5, '<', e - s - 5)) {
		payload_acc_hit(a, PAYLOAD_XXE, 50, "an xml declaration alone");
		return;
	}
	/* a reference to an entity no HTML text names: what a DTD declared,
	 * as the whole value or as an element's whole content */
	for (size_t p = s; p < e && (p = payload_find(lo, e, p, "&")) < e; p++) {
		size_t r = ref_end(lo, e, p), b, f;

		if (!r)
			continue;
		/* the context first, the name only where it counts */
		if (p == s && r == e) {
			if (html_text_name(lo + p + 1, r - p - 2))
				return;
			payload_acc_hit(a, PAYLOAD_XXE, 50, "a declared entity's reference as the whole value");
			return;
		}
		b = skip_blank_back(lo, p);
		f = skip_blank_fwd(lo, e, r);
		if (b > 0 && lo[b - 1] == '>' && f + 1 < e && lo[f] == '<' && lo[f + 1] == '/' &&
		    start_tag_before(lo, b) && !html_text_name(lo + p + 1, r - p - 2)) {
			payload_acc_hit(a, PAYLOAD_XXE, 55, "a declared entity's reference as an element's content");
			return;
		}
	}
}

/* the include element from p (after "xi:include") to its '>' (or lim)
 * reads its file as text: parse="text" */
static int text_include(const char *lo, size_t lim, size_t p)
{
	for (; p + 5 < lim && lo[p] != '>' && lo[p] != '<'; p++)
		if (payload_is_space((unsigned char)lo[p]) && payload_at(lo, lim, p + 1, "parse")) {
			size_t q = skip_blank_fwd(lo, lim, p + 6);

			if (q < lim && lo[q] == '=')
				q = skip_blank_fwd(lo, lim, q + 1);
			return q + 1 < lim && (lo[q] == '"' || lo[q] == '\'') && payload_at(lo, lim, q + 1, "text");
		}
	return 0;
}

/* the relative href quoted at lo[h] names a part of a book beside the
 * document (DocBook's "chapter1.xml", "examples/hello.c"), not a file a
 * server keeps beside its code: no segment is hidden (".env",
 * ".git/config") or the servlet's private directory (WEB-INF,
 * META-INF), and a text include names a file with an extension
 * ("etc/passwd" has none) */
static int book_part(const char *lo, size_t lim, size_t h, int text)
{
	size_t s = h + 1, e = s;
	int ext = 0;

	for (; e < lim && lo[e] != lo[h]; e++) {
		if (e == s || lo[e - 1] == '/') {
			if (lo[e] == '.' || payload_at(lo, lim, e, "web-inf") || payload_at(lo, lim, e, "meta-inf"))
				return 0;
			ext = 0;
		} else if (lo[e] == '.') {
			ext = 1;
		}
	}
	return !text || ext;
}

/* the href quoted at lo[h] climbs one or two directories to another
 * part of the same book, parsed as XML: "../common/legal.xml" (DocBook
 * and DITA keep shared parts beside the chapters' directory). Nothing
 * else in it: no further climb or hidden segment (".."), scheme, escape,
 * query or reference, no WEB-INF or META-INF, a name ending ".xml" */
static int book_climb(const char *lo, size_t lim, size_t h)
{
	const char *q = memchr(lo + h + 1, lo[h], lim - h - 1);
	size_t s = h + 1, e = q ? (size_t)(q - lo) : 0;
	int up = 0;

	while (e && s + 3 < e && lo[s] == '.' && lo[s + 1] == '.' && lo[s + 2] == '/') {
		s += 3;
		up++;
	}
	if (!e || !up || up > 2 || e - s < 5 || memcmp(lo + e - 4, ".xml", 4))
		return 0;
	for (size_t k = s; k < e; k++) {
		if (lo[k] == ':' || lo[k] == '%' || lo[k] == '\\' || lo[k] == '&' || lo[k] == '~' ||
		    lo[k] == '?' || lo[k] == '#')
			return 0;
		/* a hidden segment or the servlet's private directories */
		if ((k == s || lo[k - 1] == '/') &&
		    (lo[k] == '.' || lo[k] == '/' || payload_at(lo, e, k, "web-inf") || payload_at(lo, e, k, "meta-inf")))
			return 0;
	}
	return 1;
}

/* XInclude's reach: 85 for an include of another host, a system file or
 * a scheme, or one whose href cannot be read; 50 when every include names
 * a file beside the document (DocBook's "chapter1.xml"); 55 for the
 * namespace declared with no include element ("<book xmlns:xi=...>") */
int payload_xml_xinclude(const char *lo, size_t n)
{
	int any = 0, ns = payload_find(lo, n, 0, "/2001/xinclude") < n;

	/* the include element: "xi:" or, with XInclude's namespace declared,
	 * any prefix ("<inc:include"; ESI's "<esi:include" is another's) */
	for (size_t at = payload_find(lo, n, 0, ":include"); at < n; at = payload_find(lo, n, at + 1, ":include")) {
		size_t p = at + 8, lim = at + 1024 < n ? at + 1024 : n, h = 0, b = at;

		while (b > 0 && at - b < 32 && (payload_is_alnum((unsigned char)lo[b - 1]) || lo[b - 1] == '_' ||
						lo[b - 1] == '-' || lo[b - 1] == '.'))
			b--;
		if (b == at || b == 0 || lo[b - 1] != '<' || (p < n && !payload_is_space((unsigned char)lo[p]) &&
								 lo[p] != '/' && lo[p] != '>') ||
		    (!ns && !(at - b == 2 && lo[b] == 'x' && lo[b + 1] == 'i')))
			continue;
		any = 1;
		for (; p < lim && lo[p] != '>' && lo[p] != '<' && !h; p++)
			if (payload_is_space((unsigned char)lo[p - 1]) && payload_at(lo, lim, p, "href")) {
				size_t q = skip_blank_fwd(lo, lim, p + 4);
				if (q < lim && lo[q] == '=')
					h = skip_blank_fwd(lo, lim, q + 1);
			}
		if (h && h < lim && (lo[h] == '"' || lo[h] == '\'') && !text_include(lo, lim, at + 8) &&
		    book_climb(lo, lim, h))
			continue;
		if (!h || h >= lim || (lo[h] != '"' && lo[h] != '\'') || !payload_xml_w3c_or_local_dtd(lo, lim, h) ||
		    payload_at(lo, lim, h + 1, "http") || payload_at(lo, lim, h + 1, "//") ||
		    !book_part(lo, lim, h, text_include(lo, lim, at + 8)))
			return 85;
	}
	if (any)
		return 50;
	return ns ? 55 : 0;
}
