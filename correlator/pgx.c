/* pgx.c - libpq helpers (see pgx.h). */
#include "correlator/pgx.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void vset_err(char *err, size_t errlen, const char *msg,
		     const char *fmt, va_list ap)
{
	size_t n;

	if (!errlen)
		return;
	vsnprintf(err, errlen, fmt, ap);
	n = strlen(err);
	snprintf(err + n, errlen - n, ": %s", msg && *msg ? msg : "unknown error");
	n = strlen(err);
	while (n && (err[n - 1] == '\n' || err[n - 1] == ' '))
		err[--n] = '\0';
	for (n = 0; err[n]; n++) /* libpq's hint lines: one line in the log */
		if (err[n] == '\n' || err[n] == '\t')
			err[n] = ' ';
}

void pgx_err(char *err, size_t errlen, PGconn *c, const PGresult *r,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset_err(err, errlen, r ? PQresultErrorMessage(r) : PQerrorMessage(c),
		 fmt, ap);
	va_end(ap);
}

int pgx_exec(PGconn *c, const char *sql, char *err, size_t errlen,
	     const char *fmt, ...)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType s = PQresultStatus(r);
	va_list ap;

	if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
		PQclear(r);
		return 0;
	}
	va_start(ap, fmt);
	vset_err(err, errlen, r ? PQresultErrorMessage(r) : PQerrorMessage(c),
		 fmt, ap);
	va_end(ap);
	PQclear(r);
	return -EIO;
}

void pgx_discard(PGconn *c, const char *sql)
{
	PQclear(PQexec(c, sql));
}

PGconn *pgx_connect(const char *url, char *err, size_t errlen,
		    const char *fmt, ...)
{
	PGconn *c = PQconnectdb(url);
	va_list ap;

	if (PQstatus(c) == CONNECTION_OK)
		return c;
	va_start(ap, fmt);
	vset_err(err, errlen, PQerrorMessage(c), fmt, ap);
	va_end(ap);
	PQfinish(c);
	return NULL;
}

int pgx_connected(const PGconn *c)
{
	return c && PQstatus(c) == CONNECTION_OK;
}
