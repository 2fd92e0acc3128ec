/* charset_ebcdic.h - EBCDIC code pages as tables of 256 code points
 * (generated: tools/gen-charset-ebcdic.py writes charset_ebcdic.c).
 * charset.c reads a request body declared in one of these pages with its
 * table, and one in an EBCDIC page without a table with page 37's (the
 * letters, digits, blank and most punctuation sit at the same bytes in
 * every Latin EBCDIC page). */
#ifndef SW_CHARSET_EBCDIC_H
#define SW_CHARSET_EBCDIC_H

#include <stdint.h>

struct charset_ebcdic_page {
	unsigned number;         /* IBM's code page number; 0 ends the list */
	const uint16_t *to_ucs;  /* byte -> code point, U+FFFD undefined */
};

extern const struct charset_ebcdic_page charset_ebcdic_pages[];

#endif
