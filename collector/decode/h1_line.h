/* h1_line.h - a request line read the way nginx reads it.
 *
 * llhttp 8 refuses request lines nginx 1.22 serves, and a refused line
 * left the request without an event (or, cut after its target, without
 * its body) while nginx ran it: a method outside llhttp's table ("FOO",
 * "FOO_BAR", any [A-Z_-]+, which nginx hands to a proxied location), a
 * version other than 1.0/1.1 spelled with one digit each ("HTTP/1.2",
 * "HTTP/1.01", "HTTP/1.999"), blanks after the version, an absolute-form
 * scheme with digits, '+', '-' or '.' ("h2+x://h/p"), and HTTP/0.9 ("GET
 * /p" and the line's end: no version, no headers). So at each request's
 * start the decoder reads the line here with nginx's rules
 * (ngx_http_parse_request_line) and hands llhttp a canonical one: the
 * method if llhttp knows it, else "POST" (the event keeps the real name),
 * one space, the target's bytes as sent (a scheme becomes "http"), and
 * " HTTP/1.0" or " HTTP/1.1" with CRLF (HTTP/0.9: " HTTP/1.0", CRLF and
 * the empty line: nginx reads no headers then). A line nginx refuses is
 * refused here too. Shapes this reader does not own (a target that does
 * not start with '/' or a scheme, CONNECT's and PRI's) go to llhttp as
 * before, from the byte after the method's space.
 *
 * After the line, the header lines pass here too, to the empty line that
 * ends them (h1_line.c's hdr_byte): a header name nginx drops as invalid
 * or a line without a colon, which llhttp refused, reaches llhttp in a
 * form it takes. The body is llhttp's again.
 */
#ifndef SW_H1_LINE_H
#define SW_H1_LINE_H

#include <stddef.h>
#include <stdint.h>

#define H1_LINE_METHOD_MAX 24  /* method bytes kept (the event's field) */
#define H1_LINE_OUT_MAX 4096   /* canonical bytes handed out per call */

enum h1_line_res {
	H1_LINE_MORE, /* feed out; the line goes on (call again with the rest) */
	H1_LINE_END,  /* feed out; the head (or a 0.9 line) ended: reader off */
	H1_LINE_PASS, /* feed out, then llhttp reads the rest of the line */
	H1_LINE_BAD,  /* nginx refuses the line at data[*used] (400) */
};

struct h1_line {
	uint8_t st;     /* where in the line; 0: a request's start */
	uint8_t sub;    /* llhttp read "POST" for the method */
	uint8_t odd;    /* outside RFC 9112: the version, blanks, scheme, 0.9 */
	uint8_t hodd;   /* a header name nginx drops, a line without a colon */
	uint8_t hblank; /* this header name holds a blank or control */
	uint8_t vpos;   /* bytes of "HTTP/" matched */
	uint16_t mlen;  /* method bytes seen */
	uint16_t minor; /* the version's minor number */
	char meth[H1_LINE_METHOD_MAX];
};

/* The reader is off (llhttp reads) until h1_line_start. */
int h1_line_active(const struct h1_line *l);

/* A request starts: read its line here. */
void h1_line_start(struct h1_line *l);

/* Read data[0..len) into the line; *used: bytes taken; out[0..*out_len):
 * bytes for llhttp, always to be fed, except after H1_LINE_BAD. out[j]
 * stands for data[j] for j < *exact; the bytes after stand for
 * data[*exact] (where llhttp refused them, for the feed loop). */
enum h1_line_res h1_line_take(struct h1_line *l, const char *data, size_t len, size_t *used,
			      char out[H1_LINE_OUT_MAX], size_t *out_len, size_t *exact);

#endif /* SW_H1_LINE_H */
