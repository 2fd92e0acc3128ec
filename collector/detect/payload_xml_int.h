/* payload_xml_int.h - what payload_xml.c takes from payload_xml_enc.c */
#ifndef SW_PAYLOAD_XML_INT_H
#define SW_PAYLOAD_XML_INT_H

#include <stddef.h>

/* lo[0..n) as a UTF-16 document's ASCII characters into out (cap bytes),
 * NUL-terminated; 0 when it is not one */
size_t payload_xml_utf16(const char *lo, size_t n, char *out, size_t cap);
/* s[0..n) with every UTF-7 shifted run decoded, lower-cased into out; 0
 * when no run decodes to markup */
size_t payload_xml_utf7(const char *s, size_t n, char *out, size_t cap);

#endif /* SW_PAYLOAD_XML_INT_H */
