/* payload_tmpl_pug.c - Node's process object printed or walked in an
 * interpolation "#{...}" (Pug/Jade, CoffeeScript strings): #{process.env}
 * dumps the server's environment (its keys and secrets) into the page,
 * the probe SSTI tools send to Pug before they run code (a kill when
 * the value opens with it; named further in, as prose does, told); a member read
 * of one variable or of the version, #{process.env.PORT}, is what a
 * CoffeeScript string in a forum post shows, and is told. Sass's
 * "#{$var}" and Ruby's "#{ENV['X']}" name no process. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_tmpl_int.h"

#include <string.h>

static int name_end(const char *lo, size_t x, size_t p)
{
	return p >= x || !(payload_is_alnum((unsigned char)lo[p]) || lo[p] == '_' || lo[p] == '$');
}

/* the content lo[s..e) of one "#{ }" (or EJS's "<%= %>", "<%- %>")
 * whose opener starts at o: its score (0: none) and *why */
int payload_tmpl_pug_process(const char *lo, size_t o, size_t s, size_t e, const char **why)
{
	static const char *const owner[] = {"global.", "globalthis.", "root.", "this.", "self."};
	static const char *const code[] = {"mainmodule", "binding", "dlopen", "kill", "exit", "abort", "chdir",
					   "setuid", "getbuiltinmodule"};
	size_t b = s, x = e, p, lead = o;
	int kill;

	/* a kill when the value opens with the interpolation; in prose
	 * ('Pug prints "#{process.env}" as ...') it is told. Back over the
	 * blanks before the opener only: each run is read once */
	while (lead > 0 && payload_is_space((unsigned char)lo[lead - 1]))
		lead--;
	/* glued to a word or to an interpolation before it ("a#{..}",
	 * "#{t('a')}#{..}"), it is no quotation in prose either */
	kill = lead == 0 || (o >= 1 && (payload_is_alnum((unsigned char)lo[o - 1]) || lo[o - 1] == '}'));

	while (b < x && (payload_is_space((unsigned char)lo[b]) || lo[b] == '('))
		b++;
	while (x > b && payload_is_space((unsigned char)lo[x - 1]))
		x--;
	/* printed whole by a serialiser: JSON.stringify(process.env) */
	if (payload_at(lo, x, b, "json.stringify(") || payload_at(lo, x, b, "util.inspect(")) {
		for (b += lo[b] == 'j' ? 15 : 13; b < x && payload_is_space((unsigned char)lo[b]);)
			b++;
	}
	for (size_t k = 0; k < sizeof(owner) / sizeof(owner[0]); k++)
		if (payload_at(lo, x, b, owner[k])) {
			b += strlen(owner[k]);
			break;
		}
	if (!payload_at(lo, x, b, "process"))
		return 0;
	p = b + 7;
	/* JavaScript allows blanks around the '.', optional chaining and
	 * parentheses: #{process .env}, #{process?.env}, #{(process).env} */
	while (p < x && (payload_is_space((unsigned char)lo[p]) || lo[p] == ')'))
		p++;
	if (p >= x) {
		*why = "node process object in template";
		return kill ? 70 : 50;
	}
	if (lo[p] == '?' && p + 1 < x && (lo[p + 1] == '.' || lo[p + 1] == '['))
		p++;
	if (lo[p] != '.' && lo[p] != '[')
		return 0;
	p++;
	if (p < x && lo[p] == '[') /* ?.[ */
		p++;
	while (p < x && payload_is_space((unsigned char)lo[p]))
		p++;
	if (p < x && (lo[p] == '\'' || lo[p] == '"'))
		p++;
	for (size_t k = 0; k < sizeof(code) / sizeof(code[0]); k++)
		if (payload_at(lo, x, p, code[k]) && name_end(lo, x, p + strlen(code[k]))) {
			*why = "node process control in template";
			return 85;
		}
	if (payload_at(lo, x, p, "env") && name_end(lo, x, p + 3)) {
		p += 3;
		while (p < x && (lo[p] == '\'' || lo[p] == '"' || lo[p] == ']' || lo[p] == ')'))
			p++;
		*why = "node process environment in template";
		/* the whole environment; one variable is told */
		return p >= x && kill ? 70 : 50;
	}
	*why = "node process object in template";
	return 50;
}
