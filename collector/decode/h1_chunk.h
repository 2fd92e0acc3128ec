/* h1_chunk.h - chunk framing lines read the way nginx reads them.
 *
 * llhttp 8 refuses chunk lines nginx serves: blanks between the size and
 * its extensions ("5 ;a=b", "5 "), a second extension after one with a
 * value ("5;a=b;c=d"), bytes RFC 9112's grammar does not allow inside an
 * extension ("5;a=b c", "5;a=\"b\"x"), and a bare LF ending a size line
 * or a chunk's data. A refused line left the request's body unjudged
 * while nginx served it. So where llhttp would read a size line or the
 * end of a chunk's data, the decoder pauses it and reads that line here
 * instead, with nginx's rules (ngx_http_parse_chunked: hex digits, then
 * any of ';' SP HTAB opening an extension that runs to the line's end, CR
 * only before LF), then hands llhttp the canonical line ("%x\r\n" or
 * "\r\n"). A line nginx refuses is refused here too. Lines may arrive in
 * pieces: the state lives in struct h1_chunk.
 */
#ifndef SW_H1_CHUNK_H
#define SW_H1_CHUNK_H

#include <stddef.h>
#include <stdint.h>

enum h1_chunk_mode {
	H1_CHUNK_NONE = 0, /* llhttp reads the bytes */
	H1_CHUNK_SIZE,     /* a chunk-size line is next */
	H1_CHUNK_END,      /* the CRLF (or LF) after a chunk's data is next */
};

enum h1_chunk_res {
	H1_CHUNK_MORE, /* every byte taken, the line goes on */
	H1_CHUNK_LINE, /* a line ended: feed canon[0..canon_len) to llhttp */
	H1_CHUNK_BAD,  /* nginx would refuse the line (400) */
};

struct h1_chunk {
	uint8_t mode;   /* enum h1_chunk_mode */
	uint8_t st;     /* where in the line */
	uint8_t odd;    /* outside RFC 9112: blanks after the size, bare LF */
	uint8_t last;   /* the chunk now read is the last (size 0) */
	uint64_t size;
};

#define H1_CHUNK_CANON_MAX 20 /* 16 hex digits, CRLF, room */

/* Begin reading a line of kind mode. */
void h1_chunk_expect(struct h1_chunk *k, enum h1_chunk_mode mode);

/* Read data[0..len) into the line; *used: bytes taken. On H1_CHUNK_LINE
 * canon holds the line for llhttp (*canon_len bytes), k->mode is
 * H1_CHUNK_NONE again and k->odd says whether it was rewritten. */
enum h1_chunk_res h1_chunk_take(struct h1_chunk *k, const char *data, size_t len,
				size_t *used, char canon[H1_CHUNK_CANON_MAX], size_t *canon_len);

#endif /* SW_H1_CHUNK_H */
