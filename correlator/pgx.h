/* pgx.h - the correlator's few libpq helpers: one readable sentence from
 * libpq's multi-line error text, a statement whose result is only "did it
 * work", and connecting. Every PostgreSQL user of the correlator (store,
 * blocks, fleet) goes through them, so its errors read alike in the log.
 *
 * The prefix is pgx_, not pg_: libpq and PostgreSQL's headers own PQ* and
 * pg_* names.
 */
#ifndef SW_PGX_H
#define SW_PGX_H

#include <stddef.h>

#include <libpq-fe.h>

/* err = "WHAT: message" on one line (libpq's hint lines joined, trailing
 * newline dropped), WHAT from fmt; the message is r's when r is not NULL,
 * else c's. */
void pgx_err(char *err, size_t errlen, PGconn *c, const PGresult *r,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Run sql, expecting a command or rows. Returns 0, or -EIO with
 * "WHAT: message" in err. */
int pgx_exec(PGconn *c, const char *sql, char *err, size_t errlen,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Run sql and drop its result (a ROLLBACK on the way out of a failure). */
void pgx_discard(PGconn *c, const char *sql);

/* A connection to url, or NULL with "WHAT: message" in err. */
PGconn *pgx_connect(const char *url, char *err, size_t errlen,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* 1 when c is a live connection (NULL is not). */
int pgx_connected(const PGconn *c);

#endif /* SW_PGX_H */
