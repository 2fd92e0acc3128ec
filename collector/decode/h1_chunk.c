/* h1_chunk.c - chunk framing lines the way nginx reads them (h1_chunk.h). */
#include "collector/decode/h1_chunk.h"

#include <stdio.h>

enum { ST_START, ST_DIGITS, ST_EXT, ST_CR };

/* nginx refuses a size that would pass off_t's bound (leading zeros are
 * not digits that count) */
#define MAX_SIZE UINT64_C(0x7fffffffffffffff)

void h1_chunk_expect(struct h1_chunk *k, enum h1_chunk_mode mode)
{
	k->mode = (uint8_t)mode;
	k->st = ST_START;
	k->odd = 0;
	k->size = 0;
}

static int hex_val(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = (char)(ch | 0x20);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* One byte of a size line: 1 the line ended, 0 more, -1 refused. */
static int size_byte(struct h1_chunk *k, char ch)
{
	int v;

	switch (k->st) {
	case ST_START:
	case ST_DIGITS:
		v = hex_val(ch);
		if (v >= 0) {
			if (k->size > MAX_SIZE / 16)
				return -1;
			k->size = k->size * 16 + (uint64_t)v;
			k->st = ST_DIGITS;
			return 0;
		}
		if (k->st == ST_START)
			return -1;
		if (ch == '\r') {
			k->st = ST_CR;
			return 0;
		}
		if (ch == '\n') {
			k->odd = 1;
			return 1;
		}
		if (ch != ';' && ch != ' ' && ch != '\t')
			return -1;
		k->odd |= ch != ';';
		k->st = ST_EXT;
		return 0;
	case ST_EXT: /* nginx takes any byte up to the line's end */
		if (ch == '\r')
			k->st = ST_CR;
		else if (ch == '\n')
			return k->odd = 1, 1;
		return 0;
	default: /* ST_CR */
		return ch == '\n' ? 1 : -1;
	}
}

/* One byte of the line after a chunk's data: CRLF, or LF alone. */
static int end_byte(struct h1_chunk *k, char ch)
{
	if (ch == '\n') {
		k->odd |= k->st != ST_CR;
		return 1;
	}
	if (ch == '\r' && k->st == ST_START) {
		k->st = ST_CR;
		return 0;
	}
	return -1;
}

enum h1_chunk_res h1_chunk_take(struct h1_chunk *k, const char *data, size_t len,
				size_t *used, char canon[H1_CHUNK_CANON_MAX], size_t *canon_len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		int r = k->mode == H1_CHUNK_SIZE ? size_byte(k, data[i]) : end_byte(k, data[i]);

		if (r < 0) {
			*used = i;
			k->mode = H1_CHUNK_NONE;
			return H1_CHUNK_BAD;
		}
		if (r > 0) {
			*used = i + 1;
			if (k->mode == H1_CHUNK_SIZE)
				*canon_len = (size_t)snprintf(canon, H1_CHUNK_CANON_MAX, "%llx\r\n",
							      (unsigned long long)k->size);
			else
				*canon_len = (size_t)snprintf(canon, H1_CHUNK_CANON_MAX, "\r\n");
			k->mode = H1_CHUNK_NONE;
			return H1_CHUNK_LINE;
		}
	}
	*used = len;
	return H1_CHUNK_MORE;
}
