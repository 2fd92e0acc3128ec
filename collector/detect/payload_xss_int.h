/* payload_xss_int.h - internal interface between the HTML start-tag
 * tokenizer and script recognisers (payload_xss.c) and the contexts where no
 * new tag is needed (payload_xss_ctx.c: attribute, JS-string, expression,
 * template and CSS-value breakouts, script URLs as values). Not for other
 * modules. */
#ifndef SW_DP_XSS_INT_H
#define SW_DP_XSS_INT_H

#include "collector/detect/payload_int.h"

#include <stddef.h>

#define CSS_FLAT 1024

struct span {
	size_t off, len;
};

/* payload_xss.c; depth: how many decoded copies deep v is (0: the value
 * itself), so the rereadings of payload_xss_enc.c and the UTF-16 one end */
void payload_xss_scan_depth(const struct payload_val *v, struct payload_acc *a, int depth);
void payload_xss_url_head(const char *lo, size_t off, size_t len, char *out, size_t cap);
size_t payload_xss_css_flatten(const char *lo, size_t off, size_t len, char *b);
int payload_xss_script_scheme(const char *h);
int payload_xss_active_data(const char *h);
int payload_xss_event_name(const char *lo, struct span s);
int payload_xss_known_event(const char *lo, struct span s);
int payload_xss_js_code(const char *lo, size_t n, size_t from, size_t to);
int payload_xss_js_call_at(const char *lo, size_t n, size_t o);

/* payload_xss_tag.c: the start-tag tokenizer. A tag's attributes: names,
 * values, whether each has a value, was quoted, is an event handler's
 * name, had its tag-independent checks run for an earlier tag (seen), and
 * where reading stood after it (end). */
#define PAYLOAD_XSS_MAX_ATTRS 32
struct payload_xss_attrs {
	struct span an[PAYLOAD_XSS_MAX_ATTRS], av[PAYLOAD_XSS_MAX_ATTRS];
	size_t end[PAYLOAD_XSS_MAX_ATTRS];
	unsigned char has_val[PAYLOAD_XSS_MAX_ATTRS], quoted[PAYLOAD_XSS_MAX_ATTRS];
	unsigned char ev[PAYLOAD_XSS_MAX_ATTRS], seen[PAYLOAD_XSS_MAX_ATTRS];
	int na;
	size_t start, stop; /* read from start; stopped at stop */
};
#define PAYLOAD_XSS_VMEMO 4
struct payload_xss_vmemo {
	int used;
	size_t end, from[5], last[5];
};
/* what the tags of one value read before (zeroed before the first) */
struct payload_xss_tagmemo {
	int valid;	/* how many of t hold a tag read (0..2) */
	size_t name_s, name_e;	/* a run without tag_sep: [name_s, name_e) */
	size_t an_s, an_e;	/* a run without tag_sep or '=' */
	size_t uv_s, uv_e;	/* a run without blank, '>', NUL */
	size_t glued_s, glued_e;	/* glued handlers looked for in names [glued_s.., glued_e) */
	struct payload_xss_attrs t[3]; /* the last tags' attributes: t[cur], t[(cur + 2) % 3] */
	int cur;
	struct payload_xss_vmemo v[PAYLOAD_XSS_VMEMO];
	int vnext;
	int frame_close_known;	/* frame_close found (payload_xss_embed.c) */
	size_t frame_close;	/* the value's last "</iframe", or SIZE_MAX */
	int pw_known, pw;	/* a password field looked for, found (payload_xss_form.c) */
	int form_known, form;	/* a "<form" looked for, found (payload_xss_form.c) */
	int away_known, away;	/* another host or a script URL named (payload_xss_form.c) */
	int inert_left;	/* data: URLs in attributes still to be read for inert markup */
};
void payload_xss_tagmemo_init(struct payload_xss_tagmemo *m);
/* the start tag whose '<' is at i, scored into a; css: style sheets left
 * to read (each up to 1 KiB) */
void payload_xss_start_tag(const struct payload_val *v, size_t i, struct payload_acc *a, int *css,
			   struct payload_xss_tagmemo *m);

/* payload_xss_ctx.c; budget: sink searches left for the value */
/* where a run of bytes with no blank and no '>' that covers [from, stop)
 * stops (stop: a blank, a '>' or the value's end): the quote readings of
 * one value share it, so each byte of such a run is read once */
struct payload_xss_run {
	size_t from, stop;
};
void payload_xss_quote_break(const char *lo, size_t n, size_t i, struct payload_acc *a, int *budget,
			     struct payload_xss_run *run);
void payload_xss_bare_event(const char *lo, size_t n, size_t i, struct payload_acc *a, int *budget);
/* {onerror=alert}throw 1: '{' at i, "on" after it */
void payload_xss_brace_throw(const char *lo, size_t n, size_t i, struct payload_acc *a);
void payload_xss_number_break(const char *lo, size_t n, size_t p, struct payload_acc *a, int budget);
/* -->alert(1)<!--: a comment or CDATA closed at the start, then a call */
void payload_xss_comment_close(const char *s, const char *lo, size_t n, struct payload_acc *a);
void payload_xss_cookie_read(const char *lo, size_t n, struct payload_acc *a);
/* s: the value as written, lo its lower case */
void payload_xss_whole_call(const char *s, const char *lo, size_t n, struct payload_acc *a);
void payload_xss_whole_script(const char *lo, size_t n, struct payload_acc *a);
void payload_xss_plus_kept(const struct payload_val *v, struct payload_acc *a);
void payload_xss_six_char_script(const char *lo, size_t n, struct payload_acc *a);
void payload_xss_css_value(const struct payload_val *v, struct payload_acc *a);
/* a value spelt in UTF-16 judged again with its NULs dropped (the copy
 * holds none, so this runs once) */
void payload_xss_utf16_rescan(const struct payload_val *v, struct payload_acc *a, int depth);

/* payload_xss_embed.c: rich text's embeds, told below the kill line; a web
 * address (http(s)://host, //host, /path) at v */
int payload_xss_web_address(const char *lo, struct span v);
int payload_xss_web_frame(const char *lo, size_t n, struct span tag, const struct payload_xss_attrs *t,
			  size_t stop, struct payload_xss_tagmemo *m);
int payload_xss_base_path(const char *lo, struct span v);
int payload_xss_https_sheet(const char *lo, struct span v);
int payload_xss_embed_script(const char *lo, size_t n, const struct payload_xss_attrs *t, size_t stop);
int payload_xss_ssi_page(const char *lo, size_t n, size_t q);
int payload_xss_script_prose(const char *lo, size_t n, size_t p);
/* payload_xss_data.c: the text of a <script> (start tag closed at p) to
 * its end tag or the value's end is words alone, three or more */
int payload_xss_script_words(const char *lo, size_t n, size_t p);
int payload_xss_data_block(const char *lo, const struct payload_xss_attrs *t);
int payload_xss_void_url(const char *head);
/* void_url's, or a script URL of statements that do nothing (history.back()) */
int payload_xss_inert_url(const char *head);
int payload_xss_style_overlay(const char *lo, struct span v);
void payload_xss_markdown_link(const char *str, const char *lo, size_t n, size_t s, struct payload_acc *a);

/* payload_xss_form.c: forms posting a password to another host, DOM
 * clobbering by id or name (hits into a); a quoted handler body that does
 * nothing (return false;) */
void payload_xss_form_tag(const char *lo, size_t n, struct span tag, const struct payload_xss_attrs *t,
			  struct payload_acc *a, struct payload_xss_tagmemo *m);
int payload_xss_inert_handler(const char *lo, struct span v, int quoted);
/* a quoted handler body of calls of the page's own helpers: toggleMenu() */
int payload_xss_page_call(const char *lo, struct span v, int quoted);
int payload_xss_jsx_handler(const char *lo, size_t n, struct span v);

/* payload_xss_enc.c: the value read again with UTF-7 shift sequences or
 * JavaScript octal escapes decoded, when they spell markup */
void payload_xss_enc_rescan(const struct payload_val *v, struct payload_acc *a, int depth);
/* payload_xss_enc.c: <scri%00pt>, a tag name split by NUL (hit into a);
 * o%00nerror=, an attribute name whose last piece is s (1 when it is a
 * handler's name) */
void payload_xss_nul_split_name(const char *lo, size_t n, struct span tag, struct payload_acc *a);
int payload_xss_nul_split_event(const char *lo, struct span s);

/* payload_xss_data.c: a PDF, video or sound file embedded (<object
 * data=movie.mp4>); a data: URL at lo[d] (s: the value as written, n its
 * length) whose SVG or page, base64 or (plain set) plain, scores no XSS
 * finding */
int payload_xss_pdf_embed(const char *lo, struct span tag, const struct payload_xss_attrs *t);
int payload_xss_data_inert(const char *s, const char *lo, size_t n, size_t d, int plain);
/* <meta http-equiv=refresh> reloading the page or moving to a path of the site */
int payload_xss_site_refresh(const char *lo, const struct payload_xss_attrs *t);
/* a script or data URL as the value (s: as written, lo its lower case) */
void payload_xss_url_value(const char *s, const char *lo, size_t n, struct payload_acc *a);

/* payload_xss_esc.c: a value of real tags whose example markup is
 * escaped (<pre>&lt;script&gt;</pre>) judged as spelt, entities kept,
 * into a; 1 when it was (the caller judges nothing more), 0 otherwise.
 * Only at depth 0: the copy is judged at depth + 1. */
int payload_xss_escaped_text(const struct payload_val *v, struct payload_acc *a, int depth);

#endif /* SW_DP_XSS_INT_H */
