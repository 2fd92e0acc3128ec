/* payload_tmpl_dir.c - how far a Freemarker list or a Smarty
 * reserved variable reaches. A CMS's e-mail template lists
 * its own data (<#list items as item>) and prints
 * the time or a loop's index ({$smarty.now|date_format},
 * {$smarty.foreach.row.index}): told. A directive given a built-in
 * ('?': ?new, ?api, ?keys) or a special variable (.data_model, .vars),
 * and the Smarty variables that hand over the request, the server, the
 * constants or the engine ({$smarty.version}, the probe tools send) are
 * kills, and so is an assignment (<#assign x=1>, what tools send). */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_tmpl_int.h"

#include <string.h>

#define DIR_MAX 128 /* bytes of a directive read */

/* a Freemarker directive's content from s, up to close (its '>' or
 * ']'); an assignment is what tools send (<#assign x=1>), a kill */
int payload_tmpl_dir_fm(const char *lo, size_t n, size_t s, char close)
{
	if (payload_at(lo, n, s, "assign"))
		return 70;
	for (size_t p = s; p < n && p - s < DIR_MAX && lo[p] != close; p++)
		if (lo[p] == '?' || lo[p] == '(' ||
		    (lo[p] == '.' && p > s && (payload_is_space((unsigned char)lo[p - 1]) || lo[p - 1] == '=') &&
		     p + 1 < n && payload_is_alpha((unsigned char)lo[p + 1])))
			return 70;
	return 50;
}

/* "{$smarty." at s - 7: the member named at s */
int payload_tmpl_dir_smarty(const char *lo, size_t n, size_t s)
{
	static const char *const told[] = {"now", "foreach", "section", "capture", "ldelim", "rdelim", "block",
					    "current_dir", "counter"};

	if (s < n && lo[s] == '.')
		s++;
	for (size_t k = 0; k < sizeof(told) / sizeof(told[0]); k++) {
		size_t l = strlen(told[k]);

		if (payload_at(lo, n, s, told[k]) &&
		    (s + l >= n || !(payload_is_alnum((unsigned char)lo[s + l]) || lo[s + l] == '_')))
			return 50;
	}
	return 75;
}
