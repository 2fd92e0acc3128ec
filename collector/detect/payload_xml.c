/* payload_xml.c - XML external entities and their relatives (XInclude, XSLT
 * with file or system access), judged from the grammar of a DTD
 * (XML 1.0 §2.8, §4.2), and the splitter that judges an XML body's
 * attribute values and text as values. */
#include "collector/detect/payload.h"
#include "collector/detect/payload_int.h"
#include "collector/detect/norm.h"

#include <string.h>

#define XML_DECL_MAX 1024 /* bytes of one declaration looked at */

static size_t skip_ws(const char *lo, size_t n, size_t p)
{
	while (p < n && payload_is_space((unsigned char)lo[p]))
		p++;
	return p;
}

/* after a name at p: its end */
static size_t skip_name(const char *lo, size_t n, size_t p)
{
	while (p < n && !payload_is_space((unsigned char)lo[p]) && lo[p] != '>' && lo[p] != '[' &&
	       lo[p] != '"' && lo[p] != '\'')
		p++;
	return p;
}

/* <!ENTITY [%] name (SYSTEM|PUBLIC ...| "literal")> */
static void entity_decl(const char *lo, size_t n, size_t at, struct payload_acc *a)
{
	size_t p = at + 8, q;
	int pe = 0;

	if (p >= n || !payload_is_space((unsigned char)lo[p]))
		return;
	p = skip_ws(lo, n, p);
	if (p < n && lo[p] == '%') {
		pe = 1;
		p = skip_ws(lo, n, p + 1);
	}
	q = skip_name(lo, n, p);
	if (q == p)
		return;
	p = skip_ws(lo, n, q);
	if (payload_word_at(lo, n, p, "system") || payload_word_at(lo, n, p, "public")) {
		payload_acc_hit(a, PAYLOAD_XXE, 95, pe ? "external parameter entity declaration" :
					      "external entity declaration");
		return;
	}
	if (p < n && (lo[p] == '"' || lo[p] == '\'')) {
		char qc = lo[p];
		size_t e = p + 1, lim = p + XML_DECL_MAX < n ? p + XML_DECL_MAX : n;
		int ref = 0;
		for (; e < lim && lo[e] != qc; e++)
			ref |= lo[e] == '&' || lo[e] == '%' || lo[e] == '<';
		payload_acc_hit(a, PAYLOAD_XXE, ref ? 90 : (pe ? 80 : 70),
			   ref ? "entity declared from other entities" : "entity declaration");
	}
}

/* <!DOCTYPE name (SYSTEM "uri" | PUBLIC "fpi" "uri" | [ subset ])> */
static void doctype_decl(const char *lo, size_t n, size_t at, struct payload_acc *a)
{
	size_t p = skip_ws(lo, n, at + 9), q;

	q = skip_name(lo, n, p);
	if (q == p)
		return;
	p = skip_ws(lo, n, q);
	if (payload_word_at(lo, n, p, "system")) {
		payload_acc_hit(a, PAYLOAD_XXE, 85, "doctype with an external dtd");
		return;
	}
	if (payload_word_at(lo, n, p, "public")) {
		p = skip_ws(lo, n, p + 6);
		/* the W3C's own public identifiers name HTML, XHTML, SVG, MathML */
		if (p < n && (lo[p] == '"' || lo[p] == '\'') && payload_at(lo, n, p + 1, "-//w3c//"))
			return;
		payload_acc_hit(a, PAYLOAD_XXE, 80, "doctype with an external public dtd");
		return;
	}
	if (p < n && lo[p] == '[')
		payload_acc_hit(a, PAYLOAD_XXE, 65, "doctype with an internal subset");
}

static const char *const xslt_reach[] = {
	"document(", "system-property(", "unparsed-text(", "php:function",
	"xmlns:php", "xmlns:java", "xmlns:rt=", "<xsl:import", "<xsl:include",
	"java.lang.", "runtime",
};

/* <?xml-stylesheet ... href="..."?> (W3C "Associating Style Sheets"): an
 * XSLT processor that honours it fetches and runs the stylesheet, so an
 * href to another host, a file, or one typed as XSLT is a load the attacker
 * chose. A relative CSS href is a page's own style. */
static void stylesheet_pi(const char *lo, size_t n, struct payload_acc *a)
{
	size_t at = payload_find(lo, n, 0, "<?xml-stylesheet");
	size_t end, h, lim;

	if (at >= n)
		return;
	lim = at + XML_DECL_MAX < n ? at + XML_DECL_MAX : n;
	end = payload_find(lo, lim, at, "?>");
	h = payload_find(lo, end, at + 16, "href");
	if (h >= end)
		return;
	h = skip_ws(lo, end, h + 4);
	if (h >= end || lo[h] != '=')
		return;
	h = skip_ws(lo, end, h + 1);
	if (h < end && (lo[h] == '"' || lo[h] == '\''))
		h++;
	if (payload_at(lo, end, h, "//") || payload_find(lo, end, h, "://") < end ||
	    payload_find(lo, end, at, "xsl") < end)
		payload_acc_hit(a, PAYLOAD_XXE, 80, "xml-stylesheet loading a stylesheet from elsewhere");
}

void payload_xxe_scan(const struct payload_val *v, struct payload_acc *a)
{
	const char *lo = v->lo;
	size_t n = v->n;

	for (size_t at = payload_find(lo, n, 0, "<!entity"); at < n; at = payload_find(lo, n, at + 1, "<!entity"))
		entity_decl(lo, n, at, a);
	for (size_t at = payload_find(lo, n, 0, "<!doctype"); at < n; at = payload_find(lo, n, at + 1, "<!doctype"))
		doctype_decl(lo, n, at, a);
	if (payload_find(lo, n, 0, "<xi:include") < n || payload_find(lo, n, 0, "/2001/xinclude") < n)
		payload_acc_hit(a, PAYLOAD_XXE, 85, "xinclude");
	if (payload_find(lo, n, 0, "<xsl:") < n) {
		for (size_t k = 0; k < sizeof(xslt_reach) / sizeof(xslt_reach[0]); k++)
			if (payload_find(lo, n, 0, xslt_reach[k]) < n) {
				payload_acc_hit(a, PAYLOAD_XXE, 85, "xslt with file or system access");
				break;
			}
	}
	/* "<!" in UTF-7 ("+ADw-" is '<', "+ADwAIQ-" is "<!"; or '<' alone
	 * shifted, "+ADw-!"): a parser that honours encoding="UTF-7" reads a
	 * DOCTYPE no filter on '<' saw */
	for (size_t at = payload_find(lo, n, 0, "adw"); at < n; at = payload_find(lo, n, at + 1, "adw")) {
		size_t p = at + 3;

		/* the shift '+', or the space a form decoder made of it */
		if (at == 0 || (lo[at - 1] != '+' && lo[at - 1] != ' '))
			continue;
		if (payload_at(lo, n, p, "aiq"))
			p += 3;
		else if (p + 1 < n && lo[p] == '-' && lo[p + 1] == '!')
			p += 2;
		else
			continue;
		while (p < n && (lo[p] == '-' || lo[p] == ' '))
			p++;
		if (payload_at(lo, n, p, "doctype") || payload_at(lo, n, p, "entity") ||
		    payload_at(lo, n, p, "element")) {
			payload_acc_hit(a, PAYLOAD_XXE, 85, "utf-7 encoded markup declaration");
			break;
		}
	}
	stylesheet_pi(lo, n, a);
}

/* ---- XML bodies ------------------------------------------------------------ */

#define XML_FLAGS (NORM_PERCENT | NORM_HTML | NORM_UNICODE)

/* index of the first occurrence of w at or after p, or n */
static size_t upto(const char *b, size_t n, size_t p, const char *w)
{
	return payload_find(b, n, p, w);
}

int payload_scan_xml(const char *body, size_t len, struct payload_match *out, int max)
{
	char lo[PAYLOAD_MAX_VALUE + 1];
	struct payload_acc a;
	struct payload_val v;
	size_t i = 0;

	if (!out || max <= 0 || !body)
		return 0;
	memset(&a, 0, sizeof(a));
	/* no byte census here: every byte counts as present, so a
	 * detector that reads payload_has() never skips */
	memset(v.has, 0xff, sizeof(v.has));
	if (len > PAYLOAD_MAX_SCAN)
		len = PAYLOAD_MAX_SCAN;
	/* declarations are judged on the raw body, in overlapping windows */
	for (size_t start = 0;; start += PAYLOAD_MAX_VALUE - PAYLOAD_OVERLAP) {
		size_t w = len - start < PAYLOAD_MAX_VALUE ? len - start : PAYLOAD_MAX_VALUE;
		for (size_t k = 0; k < w; k++) {
			char c = body[start + k];
			lo[k] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
		}
		lo[w] = '\0';
		v.s = body + start;
		v.lo = lo;
		v.n = w;
		v.where = PAYLOAD_WHERE_BODY;
		v.raw = body + start;
		v.rawn = w;
		payload_xxe_scan(&v, &a);
		if (start + w >= len)
			break;
	}
	while (i < len) {
		size_t j;

		if (body[i] != '<') {
			j = i;
			while (j < len && body[j] != '<')
				j++;
			for (size_t k = i; k < j; k++)
				if (!payload_is_space((unsigned char)body[k])) {
					payload_scan_value(body + i, j - i, PAYLOAD_WHERE_BODY, XML_FLAGS, &a);
					break;
				}
			i = j;
			continue;
		}
		if (payload_at(body, len, i, "<![CDATA[")) {
			j = upto(body, len, i + 9, "]]>");
			payload_scan_value(body + i + 9, j - i - 9, PAYLOAD_WHERE_BODY, XML_FLAGS, &a);
			i = j + 3;
			continue;
		}
		if (payload_at(body, len, i, "<!--")) {
			i = upto(body, len, i + 4, "-->") + 3;
			continue;
		}
		if (i + 1 < len && (body[i + 1] == '!' || body[i + 1] == '?')) {
			/* declarations and processing instructions: judged above */
			int depth = 0;
			for (j = i + 1; j < len; j++) {
				if (body[j] == '[')
					depth++;
				else if (body[j] == ']' && depth > 0)
					depth--;
				else if (body[j] == '>' && depth == 0)
					break;
			}
			i = j + 1;
			continue;
		}
		/* a tag: its quoted attribute values are values */
		for (j = i + 1; j < len && body[j] != '>'; j++) {
			if (body[j] == '"' || body[j] == '\'') {
				size_t e = j + 1;
				while (e < len && body[e] != body[j])
					e++;
				payload_scan_value(body + j + 1, e - j - 1, PAYLOAD_WHERE_BODY, XML_FLAGS, &a);
				j = e;
			}
		}
		i = j + 1;
	}
	return payload_acc_out(&a, out, max);
}
