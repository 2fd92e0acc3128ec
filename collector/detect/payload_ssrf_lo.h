/* payload_ssrf_lo.h - loopback URLs told under the kill line
 * (payload_ssrf_lo.c), for payload_ssrf.c */
#ifndef SW_PAYLOAD_SSRF_LO_H
#define SW_PAYLOAD_SSRF_LO_H

#include <stddef.h>

/* after a loopback URL's host at p: a port that is no service's, then a
 * path ending in an OAuth/OIDC redirect endpoint ("/callback") */
int payload_ssrf_lo_callback(const char *lo, size_t n, size_t p);
/* the value is only a development server's origin (scheme s..at, host
 * h..he): "http://localhost:8080" */
int payload_ssrf_lo_dev_origin(const char *lo, size_t n, size_t s, size_t at, size_t h, size_t he);
/* lo[s..at) is a database's or broker's connection scheme (postgres) */
int payload_ssrf_lo_dsn(const char *lo, size_t s, size_t at);
/* the URL at at follows "NAME_PART=" at the value's start (s as written) */
int payload_ssrf_lo_env_line(const char *s, size_t at);
/* after the host at he: a port that is no service's, a plain path
 * naming no operator's page, to the value's end */
int payload_ssrf_lo_plain_tail(const char *lo, size_t n, size_t he, int need_port);
/* the value ends with a plain development path on localhost:PORT */
int payload_ssrf_lo_dev_path(const char *lo, size_t n, size_t at, size_t h, size_t he);

#endif
