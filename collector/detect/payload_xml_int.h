/* payload_xml_int.h - what payload_xml.c takes from payload_xml_enc.c and payload_xml_dtd.c */
#ifndef SW_PAYLOAD_XML_INT_H
#define SW_PAYLOAD_XML_INT_H

#include <stddef.h>

/* lo[0..n) as a UTF-16 document's ASCII characters into out (cap bytes),
 * NUL-terminated; 0 when it is not one */
size_t payload_xml_utf16(const char *lo, size_t n, char *out, size_t cap);
/* s[0..n) with every UTF-7 shifted run decoded, lower-cased into out; 0
 * when no run decodes to markup */
size_t payload_xml_utf7(const char *s, size_t n, char *out, size_t cap);
/* payload_xml_dtd.c: the system literal quoted at lo[p] is the W3C's
 * copy or a relative path beside the document */
int payload_xml_w3c_or_local_dtd(const char *lo, size_t n, size_t p);
/* the public identifier quoted at lo[p], then its system literal: a DTD
 * its owner serves */
int payload_xml_owner_serves_dtd(const char *lo, size_t n, size_t p);
/* the system literal quoted at lo[u] names its DTD after its host's
 * registered name ("https://testng.org/testng-1.0.dtd") */
int payload_xml_host_named_dtd(const char *lo, size_t n, size_t u);

/* payload_xml_ref.c: a declared entity's reference and the XML
 * declaration alone, as payload lists print an example's lines */
struct payload_acc;
void payload_xml_fragments(const char *lo, size_t n, struct payload_acc *a);
/* XInclude's score: 85 reaching elsewhere, 50 a file beside the
 * document, 55 the namespace alone, 0 none */
int payload_xml_xinclude(const char *lo, size_t n);

#endif /* SW_PAYLOAD_XML_INT_H */
