/* payload_xss_data.c - files and data a page shows without running
 * them: a rich-text editor's embed of a PDF, a video or a sound file
 * (<object data=movie.mp4>), told below the kill line; and a data: URL
 * whose SVG or page holds nothing that runs (a logo's base64 SVG in a
 * Markdown link or an icon's src), told the same way; and a value that
 * is a script or data URL itself (payload_xss_url_value). The embed was
 * moved from payload_xss_embed.c, the URL value from payload_xss_ctx.c,
 * unchanged, when those grew past their size. */
#include "collector/detect/payload_xss_int.h"
#include "collector/detect/payload_b64.h"

#include <string.h>

static int name_is(const char *lo, struct span s, const char *w)
{
	return s.len == strlen(w) && memcmp(lo + s.off, w, s.len) == 0;
}

/* the file name's extension in lo[s..e) (its last '.') is a document's,
 * a video's or a sound's that a viewer or player shows: which, 1 pdf, 2
 * media; 0 for any other */
static int doc_ext(const char *lo, size_t s, size_t e)
{
	static const char *const media[] = {"mp4", "m4v", "webm", "ogv", "ogg", "mov", "mp3",
					    "m4a", "wav", "oga", "opus", "flac", "aac"};
	size_t d = e;

	while (d > s && lo[d - 1] != '.' && lo[d - 1] != '/')
		d--;
	if (d <= s + 1 || lo[d - 1] != '.')
		return 0;
	if (e - d == 3 && !memcmp(lo + d, "pdf", 3))
		return 1;
	for (size_t k = 0; k < sizeof(media) / sizeof(media[0]); k++)
		if (strlen(media[k]) == e - d && !memcmp(lo + d, media[k], e - d))
			return 2;
	return 0;
}

/* a file of this site named by a relative path (movie.mp4,
 * media/a.webm): letters, digits, '.', '-', '_', '/' and no scheme */
static int relative_file(const char *lo, struct span v)
{
	if (v.len == 0 || lo[v.off] == '/' || lo[v.off] == '.')
		return 0;
	for (size_t p = v.off; p < v.off + v.len; p++)
		if (!payload_is_alnum((unsigned char)lo[p]) && !strchr("._-/", lo[p]))
			return 0;
	return 1;
}

/* <object data="/files/manual.pdf" type="application/pdf">, <embed
 * src=...pdf>, <object data=movie.mp4 type=video/mp4>: a rich-text
 * editor's document or media embed. Only these attributes, the source a
 * web address or a relative file whose path ends in a document's or a
 * player's extension, a type (if any) of application/pdf, video/ or
 * audio/ of the same kind: the viewer or player shows the file and runs
 * no script in this page (classid, codebase, handlers, other types keep
 * the kill) */
int payload_xss_pdf_embed(const char *lo, struct span tag, const struct payload_xss_attrs *t)
{
	static const char *const ok[] = {"width", "height", "class", "id", "title", "name", "aria-label"};
	int obj = name_is(lo, tag, "object"), src = 0, kind = 0, tkind = 0;

	if (!obj && !name_is(lo, tag, "embed"))
		return 0;
	for (int k = 0; k < t->na; k++) {
		struct span v = t->av[k];
		size_t e = v.off + v.len, q;
		int known = 0;

		if (name_is(lo, t->an[k], obj ? "data" : "src")) {
			if (!t->has_val[k] || !(payload_xss_web_address(lo, v) || relative_file(lo, v)))
				return 0;
			for (q = v.off; q < e && lo[q] != '?' && lo[q] != '#'; q++)
				;
			while (q > v.off && payload_is_space((unsigned char)lo[q - 1]))
				q--;
			if (!(kind = doc_ext(lo, v.off, q)))
				return 0;
			src = 1;
			continue;
		}
		if (name_is(lo, t->an[k], "type")) {
			if (!t->has_val[k])
				return 0;
			if (v.len == 15 && !memcmp(lo + v.off, "application/pdf", 15))
				tkind = 1;
			else if ((v.len > 6 && !memcmp(lo + v.off, "video/", 6)) ||
				 (v.len > 6 && !memcmp(lo + v.off, "audio/", 6)))
				tkind = 2;
			else
				return 0;
			continue;
		}
		for (size_t j = 0; j < sizeof(ok) / sizeof(ok[0]); j++)
			known |= name_is(lo, t->an[k], ok[j]);
		if (!known)
			return 0;
	}
	return src && (!tkind || tkind == kind);
}


#define DATA_INERT_MAX 1368 /* base64 digits read: 1026 bytes of markup */

static __thread int inert_depth;

/* A data: URL at lo[d] (to n) of an SVG image or an HTML page, base64
 * (s holds its digits as written) or, when plain is set, plain markup
 * to n (a quoted attribute's value), whose markup, read by payload_xss_scan_depth,
 * draws no XSS finding: the page it opens or the image it draws holds no
 * handler, script or script URL (a logo's SVG, a pasted chart). One that
 * is longer than DATA_INERT_MAX digits, of another type, plain text, or
 * not markup is not answered for (0). */
int payload_xss_data_inert(const char *s, const char *lo, size_t n, size_t d, int plain)
{
	char dec[DATA_INERT_MAX + 1], dlo[DATA_INERT_MAX + 1];
	size_t p, c, w = 0, e;
	unsigned long bits = 0;
	int nb = 0;
	struct payload_val u;
	struct payload_acc sub;

	if (inert_depth > 0 || !payload_at(lo, n, d, "data:"))
		return 0;
	p = d + 5;
	/* '+' may be a blank here: the value read with '+' as blanks */
	if (!payload_at(lo, n, p, "image/svg+xml") && !payload_at(lo, n, p, "image/svg xml") &&
	    !payload_at(lo, n, p, "text/html"))
		return 0;
	for (c = p; c < n && c < p + 80 && lo[c] != ','; c++)
		;
	if (c >= n || lo[c] != ',')
		return 0;
	/* plain: the markup is the rest, as written (a quoted attribute's
	 * value or the whole value; the value's reading judges it too) */
	if (c < p + 7 || memcmp(lo + c - 7, ";base64", 7)) {
		if (!plain || n - c - 1 >= DATA_INERT_MAX)
			return 0;
		w = n - c - 1;
		memcpy(dec, s + c + 1, w);
		goto markup;
	}
	for (e = c + 1; e < n && payload_b64_digit((unsigned char)s[e]) >= 0 && s[e] != '-' && s[e] != '_'; e++)
		if (e - c > DATA_INERT_MAX)
			return 0;
	for (p = c + 1; p < e && w < DATA_INERT_MAX; p++) {
		bits = bits << 6 | (unsigned)payload_b64_digit((unsigned char)s[p]);
		nb += 6;
		if (nb >= 8) {
			nb -= 8;
			dec[w++] = (char)(bits >> nb & 0xff);
		}
	}
	while (e < n && s[e] == '=')
		e++;
markup:
	/* markup: '<' after blanks, and printable ASCII throughout (digits
	 * decoded in another case, or not base64, give bytes no SVG holds;
	 * one that does is not answered for) */
	for (p = 0; p < w && payload_is_space((unsigned char)dec[p]); p++)
		;
	if (p >= w || dec[p] != '<')
		return 0;
	for (p = 0; p < w; p++)
		if (((unsigned char)dec[p] < 0x20 && !payload_is_space((unsigned char)dec[p])) ||
		    (unsigned char)dec[p] > 0x7e)
			return 0;
	memset(&u, 0, sizeof(u));
	memset(&sub, 0, sizeof(sub));
	for (p = 0; p < w; p++)
		dlo[p] = (char)((unsigned)(unsigned char)dec[p] - 'A' < 26u ? dec[p] + 32 : dec[p]);
	dec[w] = dlo[w] = '\0';
	u.s = dec;
	u.lo = dlo;
	u.n = w;
	u.where = PAYLOAD_WHERE_BODY;
	memset(u.has, 0xff, sizeof(u.has));
	inert_depth++;
	payload_xss_scan_depth(&u, &sub, 2);
	inert_depth--;
	return sub.score[PAYLOAD_XSS] < PAYLOAD_MIN_SCORE;
}

/* <meta http-equiv=refresh content="30"> or content="0; url=/new-page":
 * a page reloading itself or moving to a path of the site (a CMS's
 * moved page). The content's delay, then ';' or ',' and "url=" (quoted
 * or not) naming nothing, a path from '/' (not "//" or "/\"), or a
 * relative name without a scheme. Another host, a script or data URL
 * (content="0;url=//evil/", "0;url=javascript:...") is not. */
int payload_xss_site_refresh(const char *lo, const struct payload_xss_attrs *t)
{
	for (int k = 0; k < t->na; k++) {
		size_t p = t->av[k].off, e = p + t->av[k].len;

		if (!name_is(lo, t->an[k], "content") || !t->has_val[k])
			continue;
		while (p < e && (payload_is_space((unsigned char)lo[p]) || (lo[p] >= '0' && lo[p] <= '9') || lo[p] == '.'))
			p++;
		if (p < e && (lo[p] == ';' || lo[p] == ','))
			p++;
		while (p < e && payload_is_space((unsigned char)lo[p]))
			p++;
		if (p == e)
			return 1;
		if (!payload_at(lo, e, p, "url"))
			return 0;
		for (p += 3; p < e && payload_is_space((unsigned char)lo[p]); p++)
			;
		if (p >= e || lo[p] != '=')
			return 0;
		for (p++; p < e && (payload_is_space((unsigned char)lo[p]) || lo[p] == '\'' || lo[p] == '"'); p++)
			;
		if (p < e && lo[p] == '/')
			return p + 1 < e && lo[p + 1] != '/' && lo[p + 1] != '\\';
		for (; p < e && lo[p] != '\'' && lo[p] != '"'; p++)
			if (!payload_is_alnum((unsigned char)lo[p]) && !strchr("._-/?=&#%", lo[p]))
				return 0;
		return 1;
	}
	return 0;
}

/* "The JavaScript: alert() function": the language's name as a word of
 * a sentence (a word and a blank before it, a blank after its colon),
 * not a URL an attribute starts with. i: where "script:" is. */
static int scheme_in_prose(const char *lo, size_t n, size_t i)
{
	size_t j = lo[i - 1] == 'a' ? i - 4 : i - 2; /* java / vb */

	return j >= 2 && lo[j - 1] == ' ' && payload_is_alpha((unsigned char)lo[j - 2]) && i + 7 < n &&
	       lo[i + 7] == ' ';
}

/* "javascript:void(0) meaning", a search for the idiom: void(0) at s,
 * then a blank and words (letters, digits, blanks; no line break) to the
 * end. No statement may follow an expression on its line without a ';',
 * so the script cannot compile and nothing of it runs. */
static int void_then_words(const char *lo, size_t n, size_t s)
{
	size_t p = s + 18;

	if (!payload_at(lo, n, s, "javascript:void(0)") || p >= n || lo[p] != ' ')
		return 0;
	for (; p < n; p++)
		if (lo[p] != ' ' && !payload_is_alnum((unsigned char)lo[p]))
			return 0;
	return 1;
}

/* a script URL in value position (href=<value>) */
void payload_xss_url_value(const char *str, const char *lo, size_t n, struct payload_acc *a)
{
	char head[48]; /* room for a data: URL's subtype (payload_xss_active_data) */
	size_t s = 0;

	while (s < n && (lo[s] <= 0x20 || lo[s] == '"' || lo[s] == '\''))
		s++;
	/* both schemes checked below end in ':', and the head holds only
	 * bytes of the value */
	if (!memchr(lo + s, ':', n - s))
		return;
	/* the head's first byte alone (the same walk, stopped at one byte):
	 * each scheme below starts with j, v, l, m (Netscape's mocha:) or d */
	payload_xss_url_head(lo, s, n - s, head, 2);
	if (memchr("jvlmd", head[0], 5)) {
		payload_xss_url_head(lo, s, n - s, head, sizeof(head));
		/* "javascript: the good parts" is a book title; a script URL
		 * runs something: a call, a template call, an assignment */
		if (payload_xss_script_scheme(head) && !void_then_words(lo, n, s) &&
		    (memchr(lo + s, '(', n - s) || memchr(lo + s, '`', n - s) || memchr(lo + s, '=', n - s)) &&
		    /* the whole value a script that does nothing
		     * (javascript:void(0)), as the tag path reads it */
		    !(n - s < sizeof(head) - 1 && payload_xss_inert_url(head)))
			payload_acc_hit(a, PAYLOAD_XSS, 80, "script url value");
		else if (payload_xss_active_data(head) && strncmp(head, "data:,", 6) != 0 &&
			 !payload_xss_data_inert(str, lo, n, s, 0))
			payload_acc_hit(a, PAYLOAD_XSS, 70, "active data url value");
	}
	payload_xss_markdown_link(str, lo, n, s, a);
	/* the scheme later in the value (it was glued to text, or the
	 * value lands after a prefix the page adds): script must follow */
	for (size_t i = payload_find(lo, n, s + 1, "script:"); i < n; i = payload_find(lo, n, i + 7, "script:"))
		if (((i >= 4 && !memcmp(lo + i - 4, "java", 4)) || (i >= 2 && !memcmp(lo + i - 2, "vb", 2))) &&
		    !scheme_in_prose(lo, n, i) && payload_xss_js_code(lo, n, i + 7, i + 7 + 64)) {
			payload_acc_hit(a, PAYLOAD_XSS, 70, "script url inside value");
			break;
		}
}

/* The text of a <script> whose start tag closed at p, up to "</script"
 * or the value's end, is three or more words of letters and digits
 * between blanks, with no more than a sentence's , . ? ! ' - ("how to use
 * <script> tag in html", "<script> element runs code"): whatever it
 * compiles to ("tag in html" does), it calls nothing, assigns nothing,
 * builds no template, opens no block or comment (the bytes that do, ( `
 * = { [ ; / and the rest, are all refused): a post that names the
 * element, not an injection. Bounded by the value. */
int payload_xss_script_words(const char *lo, size_t n, size_t p)
{
	size_t words = 0;
	int in_word = 0;

	if (p >= n || lo[p] != '>')
		return 0;
	for (p++; p < n && !payload_at(lo, n, p, "</script"); p++) {
		unsigned char c = (unsigned char)lo[p];

		if (payload_is_alnum(c)) {
			words += !in_word;
			in_word = 1;
		} else if (c == ' ' || c == ',' || c == '.' || c == '?' || c == '!' || c == '\'' || c == '-') {
			in_word = 0;
		} else {
			return 0;
		}
	}
	return words >= 3;
}
