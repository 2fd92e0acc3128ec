/* tmpl.c - endpoint templates by segment shape and learned cardinality. */
#include "collector/detect/tmpl.h"
#include "collector/detect/ident.h"
#include "collector/detect/window.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct tmpl_node {
	uint32_t n;     /* distinct values kept */
	uint8_t var;    /* position learned as a variable */
	uint64_t vals[TMPL_LEARN_MAX];
};

struct tmpl {
	struct tmpl_config cfg;
	struct win_table *nodes;
};

void tmpl_config_default(struct tmpl_config *cfg)
{
	cfg->max_nodes = 16384;
	cfg->learn_distinct = 24;
}

struct tmpl *tmpl_new(const struct tmpl_config *cfg)
{
	struct tmpl *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	if (cfg)
		t->cfg = *cfg;
	else
		tmpl_config_default(&t->cfg);
	if (t->cfg.learn_distinct < 2)
		t->cfg.learn_distinct = 2;
	if (t->cfg.learn_distinct > TMPL_LEARN_MAX)
		t->cfg.learn_distinct = TMPL_LEARN_MAX;
	t->nodes = win_table_new(t->cfg.max_nodes ? t->cfg.max_nodes : 16384,
				 sizeof(struct tmpl_node), NULL);
	if (!t->nodes) {
		free(t);
		return NULL;
	}
	return t;
}

void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	win_table_free(t->nodes);
	free(t);
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_uuid(const char *s, size_t n)
{
	if (n != 36)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!is_hex(s[i])) {
			return 0;
		}
	}
	return 1;
}

enum tmpl_seg tmpl_classify(const char *s, size_t n)
{
	size_t digits = 0, alpha = 0, hex = 0, tok = 0;

	if (n == 0)
		return TMPL_SEG_LITERAL;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		digits += is_digit(c);
		alpha += is_alpha(c);
		hex += is_hex(c);
		tok += is_digit(c) || is_alpha(c) || c == '-' || c == '_' || c == '=' ||
		       c == '+' || c == '%';
	}
	if (digits == n && n <= 20)
		return TMPL_SEG_NUM;
	if (is_uuid(s, n))
		return TMPL_SEG_UUID;
	if (hex == n && n >= 8 && digits)
		return TMPL_SEG_HEX;
	/* a long run of token characters mixing letters and digits; plain
	 * words (no digits) and slugs stay literal */
	if (tok == n && n >= 16 && digits >= 2 && alpha >= 2)
		return TMPL_SEG_TOKEN;
	return TMPL_SEG_LITERAL;
}

static const char *const seg_names[] = {
	[TMPL_SEG_LITERAL] = "", [TMPL_SEG_NUM] = "{id}", [TMPL_SEG_UUID] = "{uuid}",
	[TMPL_SEG_HEX] = "{hex}", [TMPL_SEG_TOKEN] = "{token}",
};

/* "name.ext": a dot followed by 1..5 letters/digits at the end */
static int looks_like_file(const char *s, size_t n)
{
	size_t i = n;

	while (i > 0 && (is_alpha(s[i - 1]) || is_digit(s[i - 1])))
		i--;
	return i > 1 && i < n && n - i <= 5 && s[i - 1] == '.';
}

static uint64_t mix(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t v[3] = { a, b, c };

	return ident_hash(v, sizeof(v));
}

static void put(struct tmpl_result *r, size_t *len, const char *s, size_t n)
{
	size_t room = sizeof(r->text) - 1 - *len;

	if (n > room)
		n = room;
	memcpy(r->text + *len, s, n);
	*len += n;
	r->text[*len] = '\0';
}

/* A literal segment, with its braces written percent-encoded so that a
 * path segment spelled "{id}" can never read as a learned slot (an
 * attacker's literal would otherwise merge with, or pose as, a template
 * in the inventory and the OpenAPI export). */
static void put_literal(struct tmpl_result *r, size_t *len, const char *s, size_t n)
{
	size_t from = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '{' && s[i] != '}')
			continue;
		put(r, len, s + from, i - from);
		put(r, len, s[i] == '{' ? "%7B" : "%7D", 3);
		from = i + 1;
	}
	put(r, len, s + from, n - from);
}

/* Has this position become a variable? Learns v when learn is set. */
static int learned_var(struct tmpl *t, uint64_t node_key, uint64_t v, int learn, int *oom)
{
	struct tmpl_node *nd;

	if (!learn) {
		nd = win_table_peek(t->nodes, node_key);
		return nd && nd->var;
	}
	nd = win_table_get(t->nodes, node_key, 1, NULL);
	if (!nd) {
		*oom = 1;
		return 0;
	}
	if (nd->var)
		return 1;
	for (uint32_t i = 0; i < nd->n; i++)
		if (nd->vals[i] == v)
			return 0;
	if (nd->n < TMPL_LEARN_MAX)
		nd->vals[nd->n++] = v;
	if (nd->n >= t->cfg.learn_distinct) {
		nd->var = 1;
		nd->n = 0; /* the values are no longer needed */
	}
	return nd->var;
}

int tmpl_observe(struct tmpl *t, const char *host, const char *method,
		 const char *path, int learn, struct tmpl_result *r)
{
	const char *p = path;
	uint64_t prefix, ids = 0;
	size_t len = 0;
	unsigned seg = 0;
	int oom = 0;

	memset(r, 0, sizeof(*r));
	prefix = mix(ident_hash(host, strlen(host)), ident_hash(method, strlen(method)), 0);
	while (*p) {
		const char *s, *e;
		size_t n;
		enum tmpl_seg cls;
		uint64_t sh;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		s = p;
		if (seg + 1 >= TMPL_MAX_SEGS)
			e = s + strlen(s); /* the rest as one segment */
		else
			for (e = s; *e && *e != '/'; e++)
				;
		n = (size_t)(e - s);
		p = e;
		cls = tmpl_classify(s, n);
		sh = ident_hash(s, n);
		put(r, &len, "/", 1);
		if (cls == TMPL_SEG_LITERAL && !looks_like_file(s, n) &&
		    learned_var(t, mix(prefix, seg, 1), sh, learn, &oom)) {
			put(r, &len, "{var}", 5);
			prefix = mix(prefix, seg, 2);
			ids = mix(ids, sh, seg);
			r->n_vars++;
		} else if (cls == TMPL_SEG_LITERAL) {
			put_literal(r, &len, s, n);
			prefix = mix(prefix, sh, 3);
		} else {
			put(r, &len, seg_names[cls], strlen(seg_names[cls]));
			prefix = mix(prefix, seg, 4 + (uint64_t)cls);
			ids = mix(ids, sh, seg);
			r->n_vars++;
		}
		seg++;
	}
	if (len == 0)
		put(r, &len, "/", 1);
	r->key = prefix;
	r->ids = r->n_vars ? ids : 0;
	return oom ? -ENOMEM : 0;
}

uint32_t tmpl_nodes(const struct tmpl *t)
{
	return win_table_count(t->nodes);
}

uint64_t tmpl_evictions(const struct tmpl *t)
{
	return win_table_evictions(t->nodes);
}
