/* digit.h - the value of one hexadecimal or base64 digit.
 *
 * Header-only (the decoders call these once a byte on hot paths). Every
 * function returns the digit's value, or -1 for a byte that is no digit of
 * its alphabet; any int is a valid argument (EOF and bytes above 0x7f are
 * no digit). */
#ifndef SW_DIGIT_H
#define SW_DIGIT_H

/* '0'-'9', 'a'-'f', 'A'-'F' */
static inline int digit_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* RFC 4648 section 4's alphabet only ('+' 62, '/' 63): what UTF-7 and
 * MIME use, where '-' and '_' end a run rather than belong to it */
static inline int digit_b64(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* either alphabet, section 4's or section 5's URL-safe one ('-' 62,
 * '_' 63), as lenient decoders read them */
static inline int digit_b64_any(int c)
{
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return digit_b64(c);
}

#endif /* SW_DIGIT_H */
