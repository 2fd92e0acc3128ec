/* payload_xss_form.c - markup that needs no script to turn a page against
 * its user, and handler bodies that do nothing:
 * - a form (or a button's formaction) that posts to an IP literal or
 *   through userinfo while the value holds a password field: a login box
 *   planted in the site's own page;
 * - DOM clobbering: an element whose id or name is one of the DOM's own
 *   members (<form id=x><input name=innerHTML>, <img name=getElementById>)
 *   shadows that member for the sanitizer or script that reads it;
 * - an event handler whose whole body does nothing (onclick="return
 *   false;"), what every rich-text link with a '#' href carries. */
#include "collector/detect/payload_xss_int.h"

#include <string.h>

static int name_is(const char *lo, struct span s, const char *w)
{
	return s.len == strlen(w) && memcmp(lo + s.off, w, s.len) == 0;
}

/* one statement that does nothing at lo[p] (lower case): its end, or
 * SIZE_MAX */
static size_t inert_stmt(const char *lo, size_t p, size_t e)
{
	static const char *const w[] = {"return false", "return true", "void(0)", "void 0",
					"event.preventdefault()", "event.stoppropagation()", "return"};

	for (size_t k = 0; k < sizeof(w) / sizeof(w[0]); k++) {
		size_t l = strlen(w[k]);
		if (payload_at(lo, e, p, w[k]) &&
		    (p + l == e || lo[p + l] == ';' || payload_is_space((unsigned char)lo[p + l])))
			return p + l;
	}
	return SIZE_MAX;
}

/* a quoted handler body made only of statements that do nothing
 * (return false, void(0), event.preventDefault()), ';' and blanks, after
 * an optional "javascript:" label. Only quoted: in an unquoted value an
 * entity the browser decodes after tokenizing (&Tab;) joins what follows
 * to the body. */
int payload_xss_inert_handler(const char *lo, struct span v, int quoted)
{
	size_t p = v.off, e = v.off + v.len;
	int stmts = 0;

	if (!quoted)
		return 0;
	while (p < e && payload_is_space((unsigned char)lo[p]))
		p++;
	if (payload_at(lo, e, p, "javascript:"))
		p += 11;
	while (p < e) {
		if (lo[p] == ';' || payload_is_space((unsigned char)lo[p])) {
			p++;
			continue;
		}
		p = inert_stmt(lo, p, e);
		if (p == SIZE_MAX)
			return 0;
		stmts++;
	}
	return stmts > 0;
}

/* the host lo[h..e) read as a browser reads an IPv4 address (1 to 4
 * parts split by '.', a trailing '.' allowed; each decimal, 0x hex or
 * 0-led octal; the last fills the bytes left: 203.0.29449, 0xCB.0.113.9,
 * 3405803785) into *ip; 0 when it is no such number */
static int ipv4_host(const char *lo, size_t h, size_t e, unsigned long *ip)
{
	unsigned long long part[4], r = 0;
	int np = 0;

	if (e > h && lo[e - 1] == '.')
		e--;
	if (e <= h)
		return 0;
	for (size_t p = h; p <= e; p++) {
		unsigned long long x = 0;
		unsigned base = 10;
		size_t d;
		if (np == 4)
			return 0;
		if (p + 1 < e && lo[p] == '0' && lo[p + 1] == 'x') {
			base = 16;
			p += 2;
		} else if (p + 1 < e && lo[p] == '0' && lo[p + 1] != '.') {
			base = 8;
			p++;
		}
		for (d = p; p < e && lo[p] != '.'; p++) {
			unsigned c = lo[p] >= '0' && lo[p] <= '9'	? (unsigned)(lo[p] - '0')
				     : lo[p] >= 'a' && lo[p] <= 'f' ? (unsigned)(lo[p] - 'a' + 10)
									: 99;
			if (c >= base || x > 0xffffffffULL)
				return 0;
			x = x * base + c;
		}
		if (p == d && base == 10)
			return 0;
		part[np++] = x;
	}
	for (int k = 0; k < np - 1; k++) {
		if (part[k] > 255)
			return 0;
		r |= part[k] << (24 - 8 * k);
	}
	if (np > 1 && part[np - 1] >= (1ULL << (8 * (5 - np))))
		return 0;
	if (part[np - 1] > 0xffffffffULL)
		return 0;
	*ip = (unsigned long)(r | part[np - 1]);
	return 1;
}

/* a private, loopback or link-local IPv4 address (10/8, 172.16/12,
 * 192.168/16, 127/8, 169.254/16): a router's or NAS's own login page,
 * the user's own device (rev8 F3) */
static int private_ipv4(unsigned long ip)
{
	return (ip >> 24) == 10 || (ip >> 24) == 127 || (ip >> 20) == 0xac1 || (ip >> 16) == 0xc0a8 ||
	       (ip >> 16) == 0xa9fe;
}

/* an address of another host that no site's own login form posts to:
 * its host a public IP literal (http://203.0.113.9/, //[2001:db8::1]/, a
 * decimal 3405803785, a hex part 0xCB.0.113.9), a wildcard DNS name that
 * spells one (cb007109.nip.io, 203-0-113-9.sslip.io) or behind userinfo
 * (https://accounts.example.com@evil/). A named host may be the site's
 * own webmail or single sign-on, whose login box a portal's page embeds;
 * a private address is a router's own page. */
static int foreign_host(const char *lo, struct span v)
{
	static const char *const wild[] = {".nip.io", ".sslip.io", ".xip.io", ".nip.direct"};
	size_t p = v.off, e = v.off + v.len, h;
	unsigned long ip;

	while (p < e && payload_is_space((unsigned char)lo[p]))
		p++;
	if (payload_at(lo, e, p, "https:"))
		p += 6;
	else if (payload_at(lo, e, p, "http:"))
		p += 5;
	else if (!(p + 1 < e && (lo[p] == '/' || lo[p] == '\\') && (lo[p + 1] == '/' || lo[p + 1] == '\\')))
		return 0;
	while (p < e && (lo[p] == '/' || lo[p] == '\\'))
		p++;
	/* IPv6: loopback, link-local and unique-local are the user's own */
	if (p < e && lo[p] == '[')
		return !(payload_at(lo, e, p, "[::1]") || payload_at(lo, e, p, "[fe80:") ||
			 (p + 3 < e && lo[p + 1] == 'f' && (lo[p + 2] == 'c' || lo[p + 2] == 'd')));
	for (h = p; p < e && lo[p] != '/' && lo[p] != '\\' && lo[p] != '?' && lo[p] != '#' && lo[p] != ':'; p++)
		if (lo[p] == '@')
			return p > h;
	/* userinfo with a password (user:pw@host): '@' before any '/' */
	for (size_t q = p; p < e && lo[p] == ':' && q < e && q < p + 64 && lo[q] != '/' && lo[q] != '\\'; q++)
		if (lo[q] == '@')
			return 1;
	if (p - h > 255)
		return 0;
	if (ipv4_host(lo, h, p, &ip))
		return !private_ipv4(ip);
	for (size_t k = 0; k < sizeof(wild) / sizeof(wild[0]); k++) {
		size_t l = strlen(wild[k]), t = p > h && lo[p - 1] == '.' ? p - 1 : p;
		if (t - h > l && !memcmp(lo + t - l, wild[k], l))
			return 1;
	}
	return 0;
}

/* the value holds a password field: "password" as the value of a type
 * attribute (type=password, type = "password"); looked for once a value */
static int has_password(const char *lo, size_t n, struct payload_xss_tagmemo *m)
{
	if (m->pw_known)
		return m->pw;
	m->pw_known = 1;
	m->pw = 0;
	for (size_t i = payload_find(lo, n, 0, "password"); i < n && !m->pw; i = payload_find(lo, n, i + 8, "password")) {
		size_t p = i;
		if (p > 0 && (lo[p - 1] == '"' || lo[p - 1] == '\''))
			p--;
		while (p > 0 && payload_is_space((unsigned char)lo[p - 1]))
			p--;
		if (p == 0 || lo[p - 1] != '=')
			continue;
		for (p--; p > 0 && payload_is_space((unsigned char)lo[p - 1]); p--)
			;
		m->pw = p >= 5 && !memcmp(lo + p - 4, "type", 4) &&
			(payload_is_space((unsigned char)lo[p - 5]) || lo[p - 5] == '/' || lo[p - 5] == '"' ||
			 lo[p - 5] == '\'');
	}
	return m->pw;
}

/* members of Element, Node and Document that a sanitizer or a page's
 * script reads and that no form field is named after (lower case: HTML
 * matches names as written, but a probe's case is the DOM's): methods and
 * the tree's links. Not "attributes" (a shop's field, exactly as the
 * probe <form id=x><input name=attributes> has it), nodeName, localName,
 * tagName, textContent, parentNode, implementation: fields of cluster,
 * tag and survey forms, and docs' heading anchors. */
static int dom_member(const char *lo, struct span v)
{
	static const char *const w[] = {
		"getelementbyid", "getelementsbytagname", "getelementsbyname", "queryselector", "queryselectorall",
		"appendchild",	  "removechild",	  "insertbefore",      "replacechild",	"createelement",
		"setattribute",	  "getattribute",	  "removeattribute",   "hasattribute",	"currentscript",
		"defaultview",	  "documentelement",	  "ownerdocument",     "childnodes",	"firstchild",
		"lastchild",	  "innerhtml",		  "outerhtml",	       "nextsibling",	"previoussibling",
		"clonenode",	  "importnode",		  "adoptnode",	       "createrange",
	};

	/* the words are 9 to 20 letters long */
	if (v.len < 9 || v.len > 20)
		return 0;
	for (size_t k = 0; k < sizeof(w) / sizeof(w[0]); k++)
		if (lo[v.off] == w[k][0] && name_is(lo, v, w[k]))
			return 1;
	return 0;
}

/* Document's own properties that the usual clobbering gadgets shadow
 * by a named img, form, embed or object (Document is
 * [LegacyOverrideBuiltIns]: document.cookie, document.body, rev8 E13);
 * only by name= on those tags: a form field or a checkbox is called
 * "cookie" or "domain" as often as anything */
static int doc_prop(const char *lo, struct span v)
{
	static const char *const w[] = {"cookie", "body", "domain", "referrer", "documenturi", "baseuri",
					"scripts", "forms", "images"};

	if (v.len < 4 || v.len > 11)
		return 0;
	for (size_t k = 0; k < sizeof(w) / sizeof(w[0]); k++)
		if (lo[v.off] == w[k][0] && name_is(lo, v, w[k]))
			return 1;
	return 0;
}

/* what an element's id or name clobbers: 1 a document member (name= on
 * img, form, embed, object, iframe), 2 its form's member (id or name on a
 * form control, or id on an img: it needs a <form in the value), 0 nothing (a heading's
 * id, an anchor's name, an XML config's <Call name="setAttribute">) */
static int clobbers(const char *lo, struct span tag)
{
	static const char *const doc[] = {"img", "form", "embed", "object", "iframe"};
	static const char *const ctl[] = {"input", "button", "select", "output", "textarea", "fieldset"};

	if (tag.len < 3 || tag.len > 8)
		return 0;
	for (size_t k = 0; k < sizeof(doc) / sizeof(doc[0]); k++)
		if (name_is(lo, tag, doc[k]))
			return 1;
	for (size_t k = 0; k < sizeof(ctl) / sizeof(ctl[0]); k++)
		if (name_is(lo, tag, ctl[k]))
			return 2;
	return 0;
}

/* the value holds a form's start tag (looked for once a value) */
static int has_form(const char *lo, size_t n, struct payload_xss_tagmemo *m)
{
	if (!m->form_known) {
		m->form_known = 1;
		m->form = payload_find(lo, n, 0, "<form") < n;
	}
	return m->form;
}

void payload_xss_form_tag(const char *lo, size_t n, struct span tag, const struct payload_xss_attrs *t,
			  struct payload_acc *a, struct payload_xss_tagmemo *m)
{
	int form = name_is(lo, tag, "form"), cl = -1;

	for (int k = 0; k < t->na; k++) {
		struct span an = t->an[k];
		/* seen: read for an earlier tag left open, of which the
		 * browser makes it an attribute (<a id=x <img name=y>: an
		 * <a>), and a value of open tags stays linear */
		if (!t->has_val[k] || t->seen[k] || an.len < 2 || an.len > 10)
			continue;
		if (((form && name_is(lo, an, "action")) || name_is(lo, an, "formaction")) &&
		    foreign_host(lo, t->av[k]) && has_password(lo, n, m))
			payload_acc_hit(a, PAYLOAD_XSS, 70, "form posts a password to a bare or disguised host");
		if (!name_is(lo, an, "id") && !name_is(lo, an, "name"))
			continue;
		if (cl < 0)
			cl = clobbers(lo, tag);
		if (cl && (an.len == 4 ? cl == 1 || has_form(lo, n, m) : has_form(lo, n, m)) && dom_member(lo, t->av[k]))
			payload_acc_hit(a, PAYLOAD_XSS, 65, "element named after a DOM member (clobbering)");
		else if (cl == 1 && an.len == 4 && doc_prop(lo, t->av[k]))
			payload_acc_hit(a, PAYLOAD_XSS, 65, "element named after a Document property (clobbering)");
	}
}
