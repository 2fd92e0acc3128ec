/* payload_tmpl_int.h - what payload_tmpl.c uses of payload_tmpl_walk.c:
 * the joined-literal reading of a dunder and JSP's/JSF's EL walks; and of
 * payload_tmpl_razor.c: Razor code reaching the system. */
#ifndef SIDEWATCH_PAYLOAD_TMPL_INT_H
#define SIDEWATCH_PAYLOAD_TMPL_INT_H

#include <stddef.h>

int payload_tmpl_walk_dunder(const char *t, size_t l);
size_t payload_tmpl_walk_joined(const char *lo, size_t n, size_t p, size_t *end);
int payload_tmpl_walk_el(const char *lo, size_t b, size_t x, const char **why);
int payload_tmpl_walk_brace_math(const char *lo, size_t n, size_t i);
int payload_tmpl_walk_velocity(const char *lo, size_t n, size_t i, size_t next[5]);
int payload_tmpl_walk_include(const char *lo, size_t b, size_t x);
int payload_tmpl_walk_ognl(const char *lo, size_t n);
int payload_tmpl_walk_ognl_set(const char *lo, size_t n, size_t s);
int payload_tmpl_razor_call(const char *lo, size_t n);
int payload_tmpl_walk_filter(const char *lo, size_t b, size_t q, size_t p, size_t x);
int payload_tmpl_pug_process(const char *lo, size_t o, size_t s, size_t e, const char **why);
int payload_tmpl_dir_fm(const char *lo, size_t n, size_t s, char close);
int payload_tmpl_dir_smarty(const char *lo, size_t n, size_t s);
/* lo[b..x) names a member of Tornado's request handler that reaches the
 * application's secrets ({{handler.settings}}, not {{handler.name}}) */
int payload_tmpl_dir_tornado(const char *lo, size_t b, size_t x);
/* Velocity #set whose '$' is at s: 50 a literal assigned, 70 anything else */
int payload_tmpl_dir_vset(const char *lo, size_t n, size_t s);
/* the walk after a template global g (config, request) at p..x reads a
 * plain setting or the request line: told */
int payload_tmpl_dir_plain_read(const char *lo, size_t p, size_t x, const char *g);
/* a Go builtin's arguments at p..x are strings, numbers and named fields */
int payload_tmpl_dir_go_fields(const char *lo, size_t p, size_t x);
/* an expression lo[b..x) of two integers and an operator, its close at
 * e followed by "=" and that result ("{{ 2 * 3 }} = 6"): a tutorial's */
int payload_tmpl_dir_arith_shown(const char *lo, size_t n, size_t b, size_t x, size_t e);
int payload_tmpl_smarty_static(const char *lo, size_t n, size_t i, const char **why);
/* a PHP function a Smarty tag at lo[i] ("{") calls directly: {system('id')},
 * {if system('id')} */
int payload_tmpl_smarty_php_call(const char *lo, size_t n, size_t i);

#endif
