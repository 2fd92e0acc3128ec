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
int payload_tmpl_smarty_static(const char *lo, size_t n, size_t i, const char **why);

#endif
