/* payload_xml_dtd.c - DOCTYPEs whose DTD is no attacker's: the W3C's own
 * copy, a DTD beside the document, a framework's DTD on its owner's host
 * (moved from payload_xml.c as it was) */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_xml_int.h"

#include <string.h>

#define OWNER_MAX 128 /* bytes of an identifier's owner looked at */

static size_t skip_ws(const char *lo, size_t n, size_t p)
{
	while (p < n && payload_is_space((unsigned char)lo[p]))
		p++;
	return p;
}

/* The system literal opening at p (its quote) names the W3C's own copy
 * (www.w3.org or w3.org, http or https) or a relative path with no parent
 * step, fetched from the document's own server: the XHTML 1.0
 * specification's own "DTD/xhtml1-strict.dtd" */
int payload_xml_w3c_or_local_dtd(const char *lo, size_t n, size_t p)
{
	static const char *const w3c[] = {
		"http://www.w3.org/", "https://www.w3.org/", "http://w3.org/", "https://w3.org/",
		"//www.w3.org/", "//w3.org/",
	};
	char qc = lo[p];
	const char *e = memchr(lo + p + 1, qc, n - p - 1);
	size_t u = p + 1, ul = e ? (size_t)(e - lo) - u : 0;

	if (!e || ul == 0)
		return 0;
	for (size_t k = 0; k < sizeof(w3c) / sizeof(w3c[0]); k++)
		if (payload_at(lo, n, u, w3c[k]))
			return 1;
	if (memchr(lo + u, ':', ul) || lo[u] == '/' || lo[u] == '\\' || lo[u] == '%' || lo[u] == '&' ||
	    payload_find(lo + u, ul, 0, "..") < ul)
		return 0;
	return 1;
}

/* The system literal quoted at lo[u]: an http(s) URL of a ".dtd" with no
 * query, escape or entity reference. Its registered name (the label
 * before the top-level one: "www.apple.com.evil.test" is evil.test's) in
 * *l..*d, its path in *ps..*ue; 0 when it is none */
static int dtd_url(const char *lo, size_t n, size_t u, size_t *l, size_t *d, size_t *ps, size_t *ue)
{
	char qc = lo[u];
	const char *e;
	size_t h, he, x, y;

	if (u + 1 >= n || !(e = memchr(lo + u + 1, qc, n - u - 1)))
		return 0;
	*ue = (size_t)(e - lo);
	if (payload_at(lo, *ue, u + 1, "http://"))
		h = u + 8;
	else if (payload_at(lo, *ue, u + 1, "https://"))
		h = u + 9;
	else
		return 0;
	for (he = h; he < *ue && (payload_is_alnum(lo[he]) || lo[he] == '.' || lo[he] == '-'); he++)
		;
	if (he >= *ue || lo[he] != '/' || *ue - he < 5 || memcmp(lo + *ue - 4, ".dtd", 4) ||
	    memchr(lo + he, '?', *ue - he) || memchr(lo + he, '%', *ue - he) || memchr(lo + he, '&', *ue - he))
		return 0;
	for (y = he; y > h && lo[y - 1] != '.'; y--)
		;
	if (y <= h + 1)
		return 0;
	y--; /* the last '.' */
	for (x = y; x > h && lo[x - 1] != '.'; x--)
		;
	*l = x;
	*d = y;
	*ps = he;
	return 1;
}

/* A SYSTEM literal naming its DTD after the host's registered name, 5
 * letters or more: "https://testng.org/testng-1.0.dtd". A payload's DTD
 * is named for what it does (evil.dtd, xxe.dtd) on a host named for
 * someone else. */
int payload_xml_host_named_dtd(const char *lo, size_t n, size_t u)
{
	size_t l, d, ps, ue, f;

	if (!dtd_url(lo, n, u, &l, &d, &ps, &ue) || d - l < 5)
		return 0;
	for (size_t k = l; k < d; k++)
		if (!payload_is_alpha((unsigned char)lo[k]))
			return 0;
	for (f = ue; f > ps && lo[f - 1] != '/'; f--)
		;
	return ue - f > d - l && !memcmp(lo + f, lo + l, d - l);
}

/* A formal public identifier (ISO 9070: "-//Owner//Text//Lang") quoted
 * at p whose system literal is the owner's own copy: an http(s) URL of a
 * ".dtd" on a host whose registered name (the label before the last) is
 * the owner's first word, or starts with it when the word is 5 letters or more
 * ("-//SPRING//" on www.springframework.org): Apple's plist DTD on www.apple.com, "-//Apache Software
 * Foundation//" on struts.apache.org, "-//mybatis.org//" on mybatis.org.
 * What a framework's configuration file declares; a payload's DTD lives on
 * the attacker's host under an identifier that names someone else. */
int payload_xml_owner_serves_dtd(const char *lo, size_t n, size_t p)
{
	char qc = lo[p];
	const char *e = memchr(lo + p + 1, qc, n - p - 1), *e0 = e;
	size_t o = p + 4, w = o, u, l, d, ps, ue;

	if (!e || !(payload_at(lo, n, p + 1, "-//") || payload_at(lo, n, p + 1, "+//")))
		return 0;
	while (w < (size_t)(e - lo) && payload_is_alnum(lo[w]))
		w++;
	if (w - o < 3)
		return 0;
	u = skip_ws(lo, n, (size_t)(e - lo) + 1);
	if (u >= n || lo[u] != qc || !dtd_url(lo, n, u, &l, &d, &ps, &ue))
		return 0;
	if ((d - l == w - o || (d - l > w - o && w - o >= 5)) && !memcmp(lo + l, lo + o, w - o))
		return 1;
	/* any later word of the owner, 5 letters or more, that is the
	 * registered name ("-//The Apache Software Foundation//" on
	 * jackrabbit.apache.org), and any word that is the first step of
	 * the path on the owner's steward ("-//Jetty//" on
	 * www.eclipse.org/jetty/) */
	for (size_t k = o, end = (size_t)(e0 - lo) < o + OWNER_MAX ? (size_t)(e0 - lo) : o + OWNER_MAX;
	     k < end && !payload_at(lo, end, k, "//");) {
		size_t ws = k, wl;

		while (k < end && payload_is_alnum(lo[k]))
			k++;
		wl = k - ws;
		if (wl >= 5 && ((d - l == wl && !memcmp(lo + l, lo + ws, wl)) ||
				(ps + 1 + wl < ue && lo[ps + 1 + wl] == '/' && !memcmp(lo + ps + 1, lo + ws, wl))))
			return 1;
		if (k == ws)
			k++;
	}
	return 0;
}
