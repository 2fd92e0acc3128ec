/* payload_xml.c - XML external entities and their relatives (XInclude, XSLT
 * with file or system access), judged from the grammar of a DTD
 * (XML 1.0 §2.8, §4.2), and the splitter that judges an XML body's
 * attribute values and text as values. */
#include "collector/detect/payload.h"
#include "collector/detect/payload_int.h"
#include "collector/detect/norm.h"
#include "collector/detect/payload_xml_int.h"

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

/* Is the '&' at e a character reference ("&#160;", "&#xe9;") of a
 * character that makes no markup once the entity is used? "&#37;",
 * "&#x3c;" and "&#38;" become '%', '<' and '&', which the parser reads
 * again as references and declarations (the out-of-band payload's
 * "<!ENTITY &#x25; send SYSTEM ..>"). */
static int plain_charref(const char *lo, size_t lim, size_t e)
{
	size_t p = e + 2;
	unsigned long c = 0;
	int hex;

	if (p > lim || lo[e + 1] != '#')
		return 0;
	hex = p < lim && lo[p] == 'x';
	for (p += hex; p < lim && p - e < 12; p++) {
		int d = lo[p] >= '0' && lo[p] <= '9' ? lo[p] - '0' :
			hex && lo[p] >= 'a' && lo[p] <= 'f' ? lo[p] - 'a' + 10 : -1;
		if (d < 0)
			break;
		c = c * (hex ? 16 : 10) + (unsigned long)d;
	}
	return p < lim && lo[p] == ';' && p > e + 2 + hex && c != '%' && c != '<' && c != '&';
}

/* Is lo[b..e) one character: a plain character reference, or (as the
 * value's HTML decoding left it) one UTF-8 sequence past ASCII? */
static int one_char(const char *lo, size_t b, size_t e)
{
	unsigned char c = b < e ? (unsigned char)lo[b] : 0;

	if (c == '&')
		return plain_charref(lo, e, b) && memchr(lo + b, ';', e - b) == lo + e - 1;
	if (c < 0xc0)
		return 0;
	for (b++; b < e && ((unsigned char)lo[b] & 0xc0) == 0x80; b++)
		;
	return b == e;
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
			ref |= (lo[e] == '&' && !plain_charref(lo, lim, e)) || lo[e] == '%' || lo[e] == '<';
		int chars = !ref && one_char(lo, p + 1, e);
		/* a parameter entity switching a conditional section (XML 1.0
		 * 3.4, DocBook's <!ENTITY % draft 'INCLUDE'>): the keyword
		 * alone, which the DTD's <![%draft;[ ... ]]> reads */
		if (pe && !ref && ((e == p + 8 && payload_at(lo, e, p + 1, "include")) ||
				   (e == p + 7 && payload_at(lo, e, p + 1, "ignore")))) {
			payload_acc_hit(a, PAYLOAD_XXE, 50, "parameter entity switching a conditional section");
			return;
		}
		/* a DTD naming characters (XHTML's <!ENTITY nbsp "&#160;">)
		 * defines no markup and no text to probe expansion with */
		if (!ref && !pe && chars)
			payload_acc_hit(a, PAYLOAD_XXE, 50, "entity declaration naming a character");
		else
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
		size_t u = skip_ws(lo, n, p + 6);

		/* HTML5's doctype for tools that need a system literal */
		if (u < n && (lo[u] == '"' || lo[u] == '\'') &&
		    payload_at(lo, n, u + 1, "about:legacy-compat") && u + 20 < n && lo[u + 20] == lo[u])
			return;
		/* the W3C's copy, a DTD beside the document ("log4j.dtd"),
		 * or one named for its host (testng.org/testng-1.0.dtd) */
		if (u < n && (lo[u] == '"' || lo[u] == '\'') &&
		    (payload_xml_w3c_or_local_dtd(lo, n, u) || payload_xml_host_named_dtd(lo, n, u)))
			return;
		payload_acc_hit(a, PAYLOAD_XXE, 85, "doctype with an external dtd");
		return;
	}
	if (payload_word_at(lo, n, p, "public")) {
		p = skip_ws(lo, n, p + 6);
		/* the W3C's own public identifiers name HTML, XHTML, SVG, MathML,
		 * and their system literal the W3C's copy: a W3C identifier with
		 * the DTD fetched from anywhere else is an external DTD */
		if (p < n && (lo[p] == '"' || lo[p] == '\'') && payload_at(lo, n, p + 1, "-//w3c//")) {
			char qc = lo[p];
			const char *e = memchr(lo + p + 1, qc, n - p - 1);

			p = e ? skip_ws(lo, n, (size_t)(e - lo) + 1) : n;
			if (p >= n || (lo[p] != '"' && lo[p] != '\'') || payload_xml_w3c_or_local_dtd(lo, n, p))
				return;
			payload_acc_hit(a, PAYLOAD_XXE, 80, "doctype naming a w3c dtd fetched from elsewhere");
			return;
		}
		if (p < n && (lo[p] == '"' || lo[p] == '\'') && payload_xml_owner_serves_dtd(lo, n, p))
			return;
		/* any identifier with a DTD beside the document, as SYSTEM
		 * takes one (DITA's "-//OASIS//DTD DITA Map//EN" "map.dtd") */
		if (p < n && (lo[p] == '"' || lo[p] == '\'')) {
			const char *e = memchr(lo + p + 1, lo[p], n - p - 1);
			size_t u = e ? skip_ws(lo, n, (size_t)(e - lo) + 1) : n;

			if (u < n && (lo[u] == '"' || lo[u] == '\'') && payload_xml_w3c_or_local_dtd(lo, n, u))
				return;
		}
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
	/* elements that write a file (XSLT 2.0, EXSLT, Saxon, Xalan) */
	"<xsl:result-document", "exsl:document", "saxon:output", "redirect:write",
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

/* A URI a parser or renderer reads from here and not from the web: a file
 * path (absolute, drive or UNC) or a scheme other than http(s), urn: and
 * mailto: and data: (file:, netdoc:, jar:, php:, gopher:, ftp:...). At p, after an
 * attribute's '='. A path that climbs ("..\\..\\") counts as a file, an
 * absolute one only into a system tree (/etc/, /proc/, /var/...). */
static int local_uri(const char *lo, size_t n, size_t p)
{
	size_t q;

	p = skip_ws(lo, n, p);
	if (p < n && (lo[p] == '"' || lo[p] == '\''))
		p = skip_ws(lo, n, p + 1);
	if (p >= n)
		return 0;
	if (lo[p] == '\\' || payload_at(lo, n, p, ".."))
		return 1;
	/* an absolute path into a system tree; "/static/logo.png" is a
	 * site's own link */
	if (lo[p] == '/') {
		static const char *const tree[] = {"etc/", "proc/", "var/", "home/", "root/", "usr/",
						   "opt/", "tmp/", "sys/", "dev/", "srv/", "run/", "boot/"};
		for (size_t k = 0; k < sizeof(tree) / sizeof(tree[0]); k++)
			if (payload_at(lo, n, p + 1, tree[k]))
				return 1;
		return 0;
	}
	if (p + 2 < n && payload_is_alpha(lo[p]) && lo[p + 1] == ':' && (lo[p + 2] == '/' || lo[p + 2] == '\\'))
		return 1;
	for (q = p; q < n && q < p + 32 && (payload_is_alnum(lo[q]) || lo[q] == '+' || lo[q] == '.' || lo[q] == '-'); q++)
		;
	if (q == p || q >= n || lo[q] != ':' || !payload_is_alpha(lo[p]))
		return 0;
	return !(payload_word_at(lo, q, p, "http") || payload_word_at(lo, q, p, "https") ||
		 payload_word_at(lo, q, p, "urn") || payload_word_at(lo, q, p, "mailto") ||
		 payload_word_at(lo, q, p, "data"));
}

/* an attribute value at p (after '='): does any of its blank-separated
 * URIs (xsi:schemaLocation holds namespace and location pairs) name a
 * local file or a non-web scheme? */
static int attr_local(const char *lo, size_t n, size_t p)
{
	size_t lim;
	char qc = 0;

	p = skip_ws(lo, n, p);
	if (p < n && (lo[p] == '"' || lo[p] == '\''))
		qc = lo[p++];
	lim = p + XML_DECL_MAX < n ? p + XML_DECL_MAX : n;
	while (p < lim && lo[p] != qc && lo[p] != '>') {
		if (local_uri(lo, lim, p))
			return 1;
		while (p < lim && lo[p] != qc && !payload_is_space((unsigned char)lo[p]))
			p++;
		p = skip_ws(lo, lim, p);
		if (!qc)
			break;
	}
	return 0;
}

/* attributes an XML processor dereferences while it parses or renders:
 * schema locations (a validator fetches them) and the links of SVG's
 * image/use/feImage (a rasteriser on the server reads them) */
static const char *const xml_fetch_attr[] = {
	"schemalocation", "xlink:href", "<image href", "<use href", "<feimage href",
};

/* XSLT functions that read a document or text at run time (XSLT 1.0
 * document(), 2.0/3.0 doc(), unparsed-text(), collection()) */
static const char *const xslt_read_fn[] = {
	"document(", "doc(", "unparsed-text(", "unparsed-text-lines(", "collection(", "json-doc(",
};

/* a name as XML 1.0 spells one, ASCII part: a letter or '_' first, then
 * letters, digits, '_', '-', '.'; its end, or p when there is none */
static size_t xml_name(const char *lo, size_t n, size_t p)
{
	size_t q = p;

	if (q >= n || !((lo[q] >= 'a' && lo[q] <= 'z') || lo[q] == '_'))
		return p;
	while (q < n && (payload_is_alnum(lo[q]) || lo[q] == '_' || lo[q] == '-' || lo[q] == '.'))
		q++;
	return q;
}

/* The pieces of a DTD a payload list splits an XXE example into, one a
 * line: a markup declaration only a DTD holds (<!ELEMENT x ANY>,
 * <!ATTLIST, <!NOTATION), a parameter-entity reference (%name;) that ends
 * an internal subset ("%xxe;]>") or is the whole value, and the subset's
 * end followed by the root element ("]><foo>&xxe;</foo>"). */
static void dtd_pieces(const char *lo, size_t n, struct payload_acc *a)
{
	static const char *const decl[] = { "<!element", "<!attlist", "<!notation" };
	size_t p, q;

	for (size_t k = 0; k < sizeof(decl) / sizeof(decl[0]); k++) {
		size_t at = payload_find(lo, n, 0, decl[k]), b = at;

		/* in markup: at the value's start or after another
		 * declaration's '>' or the subset's '[' (prose that names one,
		 * "declare an element with <!ELEMENT note (...)>", is a page) */
		while (b > 0 && b < n && payload_is_space((unsigned char)lo[b - 1]))
			b--;
		if (at < n && b > 0 && lo[b - 1] != '>' && lo[b - 1] != '[')
			continue;
		p = at + strlen(decl[k]);
		if (at < n && p < n && payload_is_space((unsigned char)lo[p]) &&
		    xml_name(lo, n, skip_ws(lo, n, p)) > skip_ws(lo, n, p)) {
			payload_acc_hit(a, PAYLOAD_XXE, 75, "dtd markup declaration");
			return;
		}
	}
	p = skip_ws(lo, n, 0);
	if (p + 1 < n && lo[p] == ']' && lo[skip_ws(lo, n, p + 1)] == '>') {
		q = skip_ws(lo, n, skip_ws(lo, n, p + 1) + 1);
		if (q < n && lo[q] == '<' && xml_name(lo, n, q + 1) > q + 1) {
			payload_acc_hit(a, PAYLOAD_XXE, 70, "end of an internal dtd subset, then the root element");
			return;
		}
	}
	for (size_t at = 0; at < n && (at = payload_find(lo, n, at, "%")) < n; at++) {
		q = xml_name(lo, n, at + 1);
		if (q < at + 3 || q >= n || lo[q] != ';')
			continue;
		p = skip_ws(lo, n, q + 1);
		if (p + 1 < n + 1 && p < n && lo[p] == ']' && skip_ws(lo, n, p + 1) < n &&
		    lo[skip_ws(lo, n, p + 1)] == '>') {
			payload_acc_hit(a, PAYLOAD_XXE, 80, "parameter entity reference ending an internal subset");
			return;
		}
		if (skip_ws(lo, n, 0) == at && p == n) {
			payload_acc_hit(a, PAYLOAD_XXE, 65, "a parameter entity reference as the whole value");
			return;
		}
	}
	/* references one after another as the whole value: the lines of an
	 * out-of-band DTD ("%dtd;%send;", "%remote; %init; %trick;") */
	p = skip_ws(lo, n, 0);
	for (size_t refs = 0; p < n && lo[p] == '%'; refs++) {
		q = xml_name(lo, n, p + 1);
		if (q < p + 3 || q >= n || lo[q] != ';')
			break;
		p = skip_ws(lo, n, q + 1);
		if (p == n && refs > 0)
			payload_acc_hit(a, PAYLOAD_XXE, 75, "parameter entity references as the whole value");
	}
}

/* After a CDATA section that held a lone '<', at t: a tag name, then
 * what a tag holds up to its '>' (which may come in a section of its own,
 * "script<![CDATA[>]]>"). "a<![CDATA[<]]>b" and "a<![CDATA[<]]>b then c"
 * are text: the '<' opens no tag that closes. Bounded to 256 bytes. */
static int cdata_tag_closes(const char *lo, size_t n, size_t t)
{
	size_t p = t, lim = t + 256 < n ? t + 256 : n;

	if (p < lim && lo[p] == '/')
		p++;
	if (p >= lim || lo[p] < 'a' || lo[p] > 'z')
		return 0;
	while (p < lim && (payload_is_alnum(lo[p]) || lo[p] == ':' || lo[p] == '-'))
		p++;
	/* the name ends at a blank, '/', '>' or another section */
	if (p < lim && !payload_is_space((unsigned char)lo[p]) && lo[p] != '/' && lo[p] != '>' &&
	    !payload_at(lo, lim, p, "<![cdata[") && !payload_at(lo, lim, p, "]]>"))
		return 0;
	while (p < lim) {
		if (payload_at(lo, lim, p, "<![cdata["))
			p += 9;
		else if (payload_at(lo, lim, p, "]]>"))
			p += 3;
		else if (lo[p] == '>')
			return 1;
		else if (lo[p] == '<')
			return 0;
		else
			p++;
	}
	return 0;
}

/* CDATA sections that spell markup (XML 1.0 section 2.7): the parser
 * joins a section's text to what follows, so "<![CDATA[<]]>script" is a
 * tag no filter on the raw document saw, and a section that ends inside
 * an open tag continued by the next ("<img src=\"javas]]><![CDATA[cript:")
 * is one tag cut in two. A section of text, even with '<' in it, is a
 * document's own. */
static void cdata_split(const char *lo, size_t n, struct payload_acc *a)
{
	for (size_t at = payload_find(lo, n, 0, "<![cdata["); at < n; at = payload_find(lo, n, at + 1, "<![cdata[")) {
		size_t c = at + 9, e = payload_find(lo, n, c, "]]>"), t;

		if (e >= n)
			return;
		t = e + 3;
		/* a lone opening delimiter, then a tag: a name or '/' */
		if ((e - c == 1 || (e - c == 2 && strchr("/!?", lo[c + 1]))) && lo[c] == '<' &&
		    cdata_tag_closes(lo, n, t)) {
			payload_acc_hit(a, PAYLOAD_XXE, 80, "cdata section spelling a markup delimiter");
			return;
		}
		/* the section's last '<' opens a tag no '>' closes, and the
		 * next section follows at once; not a serializer writing "]]>"
		 * inside CDATA ("]]]]><![CDATA[>": the section ends in "]]") */
		if (payload_at(lo, n, t, "<![cdata[") && !(e - c >= 2 && lo[e - 1] == ']' && lo[e - 2] == ']')) {
			size_t lt = e;

			while (lt > c && lo[lt - 1] != '<' && lo[lt - 1] != '>')
				lt--;
			if (lt > c && lo[lt - 1] == '<' && lt < e && lo[lt] >= 'a' && lo[lt] <= 'z') {
				payload_acc_hit(a, PAYLOAD_XXE, 80, "markup tag split across cdata sections");
				return;
			}
		}
	}
}

/* an attribute name at p (a blank before it), then '=': the index after
 * the '=', or 0 */
static size_t attr_eq(const char *lo, size_t n, size_t p, const char *name)
{
	size_t l = strlen(name), e;

	if (p == 0 || !payload_is_space((unsigned char)lo[p - 1]) || !payload_at(lo, n, p, name))
		return 0;
	e = skip_ws(lo, n, p + l);
	return e < n && lo[e] == '=' ? e + 1 : 0;
}

/* an ESI variable reference (ESI 1.0 section 5) at p, lower-cased:
 * "$(" a name of letters and '_' holding a '_' (http_cookie,
 * query_string), then ')', '{' (a key) or '|' (a default); jQuery's
 * $(document) and $(this) hold no '_' */
static int esi_var_at(const char *lo, size_t n, size_t p)
{
	size_t q = p + 2;
	int us = 0;

	if (!payload_at(lo, n, p, "$("))
		return 0;
	for (; q < n && q < p + 40 && ((lo[q] >= 'a' && lo[q] <= 'z') || lo[q] == '_'); q++)
		us |= lo[q] == '_';
	return us && q < n && (lo[q] == ')' || lo[q] == '{' || lo[q] == '|');
}

/* the URI at v (after '=') reaches past the page's own origin: a scheme
 * ("http:", "file:", "gopher:"), a network path ("//host") or a UNC
 * share; "/fragments/header.html" and "nav.html" are the site's own */
static int esi_foreign(const char *lo, size_t n, size_t v)
{
	size_t q;

	v = skip_ws(lo, n, v);
	if (v < n && (lo[v] == '"' || lo[v] == 0x27))
		v = skip_ws(lo, n, v + 1);
	if (payload_at(lo, n, v, "//") || payload_at(lo, n, v, "\\") || payload_at(lo, n, v, "/\\"))
		return 1;
	for (q = v; q < n && q < v + 32 && (payload_is_alnum(lo[q]) || lo[q] == '+' || lo[q] == '.' || lo[q] == '-'); q++)
		;
	return q > v && q < n && lo[q] == ':' && payload_is_alpha(lo[v]);
}

/* One Edge Side Include element at at ("<esi:"): harmful when it reads
 * the request's variables (<esi:vars>, $(HTTP_COOKIE) in an attribute),
 * caches or dumps what it holds (<esi:inline>, <esi:debug>), processes
 * what it fetches as ESI (<esi:eval>, dca="esi"), or fetches
 * from another origin (include/eval's src, alt, an XSLT stylesheet). An
 * include of the site's own fragment is what ESI is for. *done: how far
 * earlier elements' tags were read (a tag's bytes are judged once: from
 * any start the same attributes are seen, up to the same '>'). */
static int esi_harmful(const char *lo, size_t n, size_t at, size_t *done)
{
	static const char *const fetch_attr[] = { "src", "alt", "stylesheet" };
	size_t p = at + 5, q = xml_name(lo, n, p), end;

	if (q == p)
		return 0;
	if (payload_word_at(lo, q, p, "vars") || payload_word_at(lo, q, p, "inline") ||
	    payload_word_at(lo, q, p, "debug") || payload_word_at(lo, q, p, "eval"))
		return 1; /* <esi:eval> runs what it fetches as ESI, whatever its origin */
	end = q + 256 < n ? q + 256 : n;
	for (p = q > *done ? q : *done; p < end && lo[p] != '>'; p++) {
		if (lo[p] == '$' && esi_var_at(lo, n, p))
			return 1;
		/* dca="esi": the fetched fragment is processed as ESI too */
		size_t d = attr_eq(lo, end, p, "dca");
		if (d) {
			d = skip_ws(lo, end, d);
			if (d < end && (lo[d] == '"' || lo[d] == 0x27))
				d++;
			if (payload_at(lo, end, d, "esi"))
				return 1;
		}
		for (size_t k = 0; k < sizeof(fetch_attr) / sizeof(fetch_attr[0]); k++) {
			size_t v = attr_eq(lo, end, p, fetch_attr[k]);
			if (v && esi_foreign(lo, end, v))
				return 1;
		}
	}
	if (p > *done)
		*done = p;
	return 0;
}

/* a relationship's Type (ECMA-376 part 2, 9.3) at p: a hyperlink, which
 * the reader follows by a click, not one the package loads on open (an
 * attachedTemplate, oleObject, frame, subDocument, image) */
static int rel_hyperlink(const char *lo, size_t end, size_t at)
{
	for (size_t p = at + 13, v; p < end && lo[p] != '>'; p++)
		if ((v = attr_eq(lo, end, p, "type"))) {
			size_t e = skip_ws(lo, end, v), s;
			char qc = e < end ? lo[e] : 0;

			if (qc != '"' && qc != 0x27)
				return 0;
			for (s = ++e; e < end && lo[e] != qc; e++)
				if (lo[e] == '/')
					s = e + 1;
			return e < end && e - s == 9 && payload_at(lo, end, s, "hyperlink");
		}
	return 0;
}

/* Markup a server-side processor acts on, filed beside XXE by payload
 * lists: an IE behaviour a processing instruction imports
 * (<?import ... implementation=...>), an Edge Side Include that reaches
 * another origin or the request's variables, and an Office package
 * relationship the package loads from a local file or UNC share. */
static void processed_markup(const char *lo, size_t n, struct payload_acc *a)
{
	size_t at = payload_find(lo, n, 0, "<?import"), end, done = 0;

	if (at < n) {
		end = at + XML_DECL_MAX < n ? at + XML_DECL_MAX : n;
		for (size_t p = at + 8; p < end && lo[p] != '>'; p++)
			if (attr_eq(lo, end, p, "implementation")) {
				payload_acc_hit(a, PAYLOAD_XXE, 80, "processing instruction importing a behaviour");
				break;
			}
	}
	for (at = payload_find(lo, n, 0, "<esi:"); at < n; at = payload_find(lo, n, at + 1, "<esi:"))
		if (esi_harmful(lo, n, at, &done)) {
			payload_acc_hit(a, PAYLOAD_XXE, 80, "edge side include reaching another origin or request variables");
			break;
		}
	for (at = payload_find(lo, n, 0, "<relationship"); at < n; at = payload_find(lo, n, at + 1, "<relationship")) {
		end = at + XML_DECL_MAX < n ? at + XML_DECL_MAX : n;
		if (rel_hyperlink(lo, end, at))
			continue;
		for (size_t p = at + 13, v; p < end && lo[p] != '>'; p++)
			if ((v = attr_eq(lo, end, p, "target")) && attr_local(lo, end, v)) {
				payload_acc_hit(a, PAYLOAD_XXE, 85, "office relationship loading a local file");
				return;
			}
	}
}

static void xxe_judge(const char *lo, size_t n, struct payload_acc *a)
{
	if (memchr(lo, '<', n) || memchr(lo, '%', n) || memchr(lo, ']', n))
		dtd_pieces(lo, n, a);
	if (memchr(lo, '<', n)) {
		cdata_split(lo, n, a);
		processed_markup(lo, n, a);
	}
	for (size_t at = payload_find(lo, n, 0, "<!entity"); at < n; at = payload_find(lo, n, at + 1, "<!entity"))
		entity_decl(lo, n, at, a);
	for (size_t at = payload_find(lo, n, 0, "<!doctype"); at < n; at = payload_find(lo, n, at + 1, "<!doctype"))
		doctype_decl(lo, n, at, a);
	{
		int xi = payload_xml_xinclude(lo, n);

		if (xi)
			payload_acc_hit(a, PAYLOAD_XXE, xi, xi >= 85 ? "xinclude" : xi == 55 ? "xinclude namespace declared" :
								  "xinclude of a file beside the document");
	}
	if (memchr(lo, '&', n) || memchr(lo, '?', n))
		payload_xml_fragments(lo, n, a);
	if (payload_find(lo, n, 0, "<xsl:") < n) {
		for (size_t k = 0; k < sizeof(xslt_reach) / sizeof(xslt_reach[0]); k++)
			if (payload_find(lo, n, 0, xslt_reach[k]) < n) {
				payload_acc_hit(a, PAYLOAD_XXE, 85, "xslt with file or system access");
				break;
			}
		for (size_t k = 0; k < sizeof(xslt_read_fn) / sizeof(xslt_read_fn[0]); k++) {
			size_t f = payload_find(lo, n, 0, xslt_read_fn[k]);
			/* a word boundary before the name: not "mydoc(" */
			if (f < n && (f == 0 || !payload_is_alnum(lo[f - 1]))) {
				payload_acc_hit(a, PAYLOAD_XXE, 85, "xslt reading a document at run time");
				break;
			}
		}
	}
	if (memchr(lo, '<', n)) {
		for (size_t k = 0; k < sizeof(xml_fetch_attr) / sizeof(xml_fetch_attr[0]); k++) {
			size_t l = strlen(xml_fetch_attr[k]);
			for (size_t at = payload_find(lo, n, 0, xml_fetch_attr[k]); at < n;
			     at = payload_find(lo, n, at + l, xml_fetch_attr[k])) {
				size_t e = skip_ws(lo, n, at + l);
				if (e < n && lo[e] == '=' && attr_local(lo, n, e + 1)) {
					payload_acc_hit(a, PAYLOAD_XXE, 85,
							"xml schema or link dereferencing a local file or non-web scheme");
					break;
				}
			}
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

void payload_xxe_scan(const struct payload_val *v, struct payload_acc *a)
{
	char alt[PAYLOAD_MAX_VALUE + 1];
	size_t m;

	xxe_judge(v->lo, v->n, a);
	/* the same document in another encoding a parser detects from its
	 * first bytes or its declaration (XML 1.0 appendix F) */
	if ((m = payload_xml_utf16(v->lo, v->n, alt, sizeof(alt))) > 0)
		xxe_judge(alt, m, a);
	if (v->s && (m = payload_xml_utf7(v->s, v->n, alt, sizeof(alt))) > 0)
		xxe_judge(alt, m, a);
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
