/* payload_path_probe.c - names a file parameter is pointed at that are no
 * traversal yet no document either, told (50) and never killed:
 * - Spring's "classpath:" (or "classpath*:") prefix naming the
 *   application's own configuration (application[-profile].properties,
 *   .yml, bootstrap.yml), where its secrets are: a resource loader handed
 *   a user's location reads it out. A resource directory
 *   (classpath:db/migration, classpath:templates/x.html) is configuration.
 * - PHP's diagnostics page, phpinfo.php, as a whole value (a directory
 *   before it, a cut after it): what an include or a fetch is pointed at
 *   to read the server's settings. Other page names (info.php, test.php)
 *   are a site's own.
 * - php://temp and php://memory as the whole value: streams an include
 *   opens with no file at all; alone they read nothing (a filter chain
 *   that writes into them is php://filter's, killed as a wrapper), so
 *   told; in a sentence about PHP streams, nothing. */
#include "collector/detect/payload_int.h"

#include <string.h>

/* lo[p..n) is "application" or "bootstrap", an optional profile
 * ("-prod", "_dev"), and a configuration extension, to the end */
static int spring_config(const char *lo, size_t n, size_t p)
{
	static const char *const ext[] = {".properties", ".yml", ".yaml"};

	if (payload_at(lo, n, p, "application"))
		p += 11;
	else if (payload_at(lo, n, p, "bootstrap"))
		p += 9;
	else
		return 0;
	if (p < n && (lo[p] == '-' || lo[p] == '_'))
		for (p++; p < n && (payload_is_alnum((unsigned char)lo[p]) || lo[p] == '-' || lo[p] == '_'); p++)
			;
	for (size_t k = 0; k < sizeof(ext) / sizeof(ext[0]); k++)
		if (strlen(ext[k]) == n - p && !memcmp(lo + p, ext[k], n - p))
			return 1;
	return 0;
}

/* Why lo[0..n) (decoded, lower-case) is told, or NULL */
const char *payload_path_probe(const char *lo, size_t n)
{
	size_t e = n;

	if (n > 10 && lo[0] == 'c' && payload_at(lo, n, 0, "classpath")) {
		size_t p = 9 + (lo[9] == '*');
		if (p < n && lo[p] == ':') {
			p++;
			while (p < n && lo[p] == '/')
				p++;
			if (spring_config(lo, n, p))
				return "classpath resource naming the application's configuration";
		}
		return NULL;
	}
	if (n >= 10 && lo[0] == 'p' && (payload_at(lo, n, 0, "php://temp") || payload_at(lo, n, 0, "php://memory")) &&
	    !memchr(lo, ' ', n))
		return "php memory stream as a file name";
	/* phpinfo.php, maybe after a directory, maybe cut by '?', '#', '&' */
	while (e > 0 && n - e < 8 && (lo[e - 1] == '?' || lo[e - 1] == '#' || lo[e - 1] == '&'))
		e--;
	if (e >= 11 && !memcmp(lo + e - 11, "phpinfo.php", 11) && (e == 11 || lo[e - 12] == '/') &&
	    !memchr(lo, ' ', n))
		return "php diagnostics page as a file name";
	return NULL;
}
