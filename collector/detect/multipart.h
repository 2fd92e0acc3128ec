/* multipart.h - the parts of a multipart/form-data request body (RFC 7578,
 * delimiters as RFC 2046 section 5.1), so that the payload detectors judge
 * each part's field name, file name and content as values.
 *
 * Pure functions over the bytes the event kept: no allocation, no I/O.
 * Bounded: at most MULTIPART_MAX_PARTS parts and MULTIPART_MAX_HDRS header
 * bytes a part; what is past a bound is counted in multipart_stats and
 * skipped, never read. A body cut short (the event keeps a prefix) ends
 * in a last part that runs to the end of what was kept. Lenient as
 * servers are: a bare LF ends a line as well as CRLF, header names are
 * read in any case, a parameter may be quoted or not.
 */
#ifndef SW_MULTIPART_H
#define SW_MULTIPART_H

#include <stddef.h>

#define MULTIPART_BOUNDARY_MAX 70 /* RFC 2046: 1..70 characters */
#define MULTIPART_MAX_PARTS 64
#define MULTIPART_MAX_HDRS 2048   /* bytes of one part's header block */

struct multipart_part {
	const char *name;      /* Content-Disposition name, NULL: none */
	size_t name_len;
	const char *filename;  /* Content-Disposition filename, NULL: none */
	size_t filename_len;
	const char *ctype;     /* the part's Content-Type, NULL: none */
	size_t ctype_len;
	const char *data;      /* the content */
	size_t len;
};

struct multipart_stats {
	unsigned parts;        /* parts given to the callback */
	unsigned over_parts;   /* parts past MULTIPART_MAX_PARTS, skipped */
	unsigned bad_headers;  /* header blocks past MULTIPART_MAX_HDRS or unended */
};

/* The boundary parameter of a Content-Type value (quoted or not) into out,
 * NUL-terminated; its length, 0 when there is none or it is longer than
 * MULTIPART_BOUNDARY_MAX. */
size_t multipart_boundary(const char *ct, size_t ctl,
			  char out[MULTIPART_BOUNDARY_MAX + 1]);

/* Calls fn for each part of body[0..n) delimited by "--" boundary. With
 * lead_is_part, bytes before the first delimiter are a part of their own
 * without headers (a window of a long body starts inside one); without,
 * they are the preamble and ignored. Returns the number of parts given to
 * fn; st (may be NULL) gets the counts. */
unsigned multipart_each(const char *body, size_t n, const char *boundary,
			size_t blen, int lead_is_part,
			void (*fn)(void *ctx, const struct multipart_part *p),
			void *ctx, struct multipart_stats *st);

#endif
