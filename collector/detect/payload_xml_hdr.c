/* payload_xml_hdr.c - XXE in any header (payload_scan_any_header): an
 * application that takes a SOAP or SAML message, or any XML, from a
 * header of its own parses a DOCTYPE there as in a body. No real header
 * holds a markup declaration ("<!" - Link and Accept values hold '<' and
 * URLs, not "<!"), so a header that holds one, raw or percent-encoded
 * ("%3c!", "%3c%21"), is read as a query value is (every encoding
 * undone) and an XXE finding at the kill line is kept. */
#include "collector/detect/payload_int.h"

#include "collector/detect/norm.h"

#include <string.h>

/* Does s[0..n) hold "<!", "%3c!" or "%3c%21" (any case)? One pass. */
static int decl_mark(const char *s, size_t n)
{
	if (!memchr(s, '<', n) && !memchr(s, '%', n))
		return 0; /* most headers: two vector scans */
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] != '<' && s[i] != '%')
			continue;
		if (s[i] == '<' && s[i + 1] == '!')
			return 1;
		if (s[i] == '%' && i + 3 < n && s[i + 1] == '3' && (s[i + 2] | 0x20) == 'c' &&
		    (s[i + 3] == '!' || (i + 5 < n && s[i + 3] == '%' && s[i + 4] == '2' && s[i + 5] == '1')))
			return 1;
	}
	return 0;
}

void payload_xml_hdr_scan(const char *val, size_t len, struct payload_acc *a)
{
	struct payload_acc one;

	if (!decl_mark(val, len < PAYLOAD_MAX_SCAN ? len : PAYLOAD_MAX_SCAN))
		return;
	memset(&one, 0, sizeof(one));
	payload_scan_value(val, len, PAYLOAD_WHERE_HEADER, NORM_PERCENT | NORM_HTML | NORM_UNICODE, &one);
	if (one.score[PAYLOAD_XXE] >= 60)
		payload_acc_hit(a, PAYLOAD_XXE, one.score[PAYLOAD_XXE], one.why[PAYLOAD_XXE]);
}
