/* store_schema.c - the correlator's tables: sql/NNN_*.sql migrations,
 * applied once each under an advisory lock, and the daily partitions of
 * `events` (made ahead, dropped after the retention). See store_schema.h. */
#include "correlator/store_int.h"
#include "correlator/store_schema.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/dataclass_kind.h"
#include "correlator/pgx.h"

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    n < (16 << 20) && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1))) {
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			buf[n] = '\0';
		}
	}
	fclose(f);
	return buf;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int apply_one(struct store *st, int version, const char *name,
		     char *err, size_t errlen)
{
	char path[4096], vbuf[16];
	const char *params[2] = { vbuf, name };
	PGresult *r;
	char *sql;
	int rc;

	snprintf(vbuf, sizeof(vbuf), "%d", version);
	if (pgx_exec(st->conn, "BEGIN", err, errlen, "postgresql") < 0)
		return -EIO;
	/* two correlators starting together must not both migrate */
	if (pgx_exec(st->conn, "SELECT pg_advisory_xact_lock(7450)", err, errlen, "postgresql") < 0)
		goto fail;
	r = PQexecParams(st->conn, "SELECT 1 FROM schema_version WHERE version = $1",
			 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		pgx_err(err, errlen, st->conn, r, "schema_version");
		PQclear(r);
		goto fail;
	}
	rc = PQntuples(r);
	PQclear(r);
	if (rc > 0)
		return pgx_exec(st->conn, "COMMIT", err, errlen, "postgresql");
	snprintf(path, sizeof(path), "%s/%s", st->sql_dir, name);
	sql = read_file(path);
	if (!sql) {
		snprintf(err, errlen, "cannot read migration %s", path);
		goto fail;
	}
	rc = pgx_exec(st->conn, sql, err, errlen, "postgresql");
	free(sql);
	if (rc < 0) {
		size_t n = strlen(err);
		snprintf(err + n, errlen > n ? errlen - n : 0, " (in %s)", name);
		goto fail;
	}
	r = PQexecParams(st->conn,
			 "INSERT INTO schema_version (version, name) VALUES ($1, $2)",
			 2, NULL, params, NULL, NULL, 0);
	rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -EIO;
	if (rc < 0)
		pgx_err(err, errlen, st->conn, r, "schema_version");
	PQclear(r);
	if (rc < 0)
		goto fail;
	return pgx_exec(st->conn, "COMMIT", err, errlen, "postgresql");
fail:
	pgx_discard(st->conn, "ROLLBACK");
	return -EIO;
}

/* The data class catalogue this correlator was built with, into
 * api_data_class_kinds (sql/008): the SQL risk grade reads the same table
 * of sensitive classes the collectors' posture checks do. */
static int data_kinds(struct store *st, char *err, size_t errlen)
{
	char names[512], sens[128];
	const char *p[2] = { names, sens };
	size_t nl = 0, sl = 0;
	PGresult *r;
	int k, ok;

	names[nl++] = '{';
	sens[sl++] = '{';
	for (k = 0; k < DATACLASS__COUNT; k++) {
		/* names are [a-z_] constants: no quoting needed */
		nl += (size_t)snprintf(names + nl, sizeof(names) - nl, "%s%s",
				       k ? "," : "", dataclass_kind_names[k]);
		sl += (size_t)snprintf(sens + sl, sizeof(sens) - sl, "%s%c",
				       k ? "," : "",
				       dataclass_kind_sensitive[k] ? 't' : 'f');
	}
	snprintf(names + nl, sizeof(names) - nl, "}");
	snprintf(sens + sl, sizeof(sens) - sl, "}");
	r = PQexecParams(st->conn, "SELECT sw_api_data_kinds($1, $2)", 2, NULL,
			 p, NULL, NULL, 0);
	ok = PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok)
		snprintf(err, errlen, "postgresql: data class catalogue: %s",
			 PQerrorMessage(st->conn));
	PQclear(r);
	return ok ? 0 : -EIO;
}

int store_schema_migrate(struct store *st, char *err, size_t errlen)
{
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (pgx_exec(st->conn, "CREATE TABLE IF NOT EXISTS schema_version ("
			"version integer PRIMARY KEY, name text NOT NULL, "
			"applied_at timestamptz NOT NULL DEFAULT now())",
		    err, errlen, "postgresql") < 0)
		return -EIO;
	d = opendir(st->sql_dir);
	if (!d) {
		snprintf(err, errlen, "cannot read migrations in %s: %s",
			 st->sql_dir, strerror(errno));
		return -errno;
	}
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		char *copy;

		if (l < 9 || de->d_name[3] != '_' ||
		    strspn(de->d_name, "0123456789") != 3 ||
		    strcmp(de->d_name + l - 4, ".sql") != 0)
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof(*nn));
			if (!nn) {
				rc = -ENOMEM;
				break;
			}
			names = nn;
		}
		copy = strdup(de->d_name);
		if (!copy) {
			rc = -ENOMEM;
			break;
		}
		names[n++] = copy;
	}
	closedir(d);
	if (rc == 0) {
		qsort(names, n, sizeof(*names), name_cmp);
		for (i = 0; i < n && rc == 0; i++)
			rc = apply_one(st, atoi(names[i]), names[i], err, errlen);
		if (rc == 0)
			rc = data_kinds(st, err, errlen);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static uint64_t day_start_us(time_t day_epoch_days)
{
	return (uint64_t)day_epoch_days * 86400ull * 1000000ull;
}

static void day_name(time_t days, char *name, size_t nlen, char *date,
		     size_t dlen)
{
	time_t s = days * 86400;
	struct tm tm;

	gmtime_r(&s, &tm);
	snprintf(name, nlen, "events_%04d%02d%02d", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday);
	snprintf(date, dlen, "%04d-%02d-%02d 00:00:00+00", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday);
}

int store_schema_maintain(struct store *st, char *err, size_t errlen)
{
	time_t today = time(NULL) / 86400;
	time_t lo = today - (time_t)st->retention_days, d;
	char name[32], from[40], to[40], sql[512], keep[32], dummy[40];
	PGresult *r;
	int i, rc = 0;

	for (d = lo; d <= today + 2; d++) {
		day_name(d, name, sizeof(name), from, sizeof(from));
		day_name(d + 1, dummy, sizeof(dummy), to, sizeof(to));
		snprintf(sql, sizeof(sql),
			 "CREATE TABLE IF NOT EXISTS %s PARTITION OF events "
			 "FOR VALUES FROM ('%s') TO ('%s')", name, from, to);
		if (pgx_exec(st->conn, sql, err, errlen, "postgresql") < 0)
			return -EIO;
	}
	/* drop partitions older than the retention */
	day_name(lo, keep, sizeof(keep), dummy, sizeof(dummy));
	{
		const char *p[1] = { keep };
		r = PQexecParams(st->conn,
			"SELECT c.relname FROM pg_inherits i "
			"JOIN pg_class c ON c.oid = i.inhrelid "
			"JOIN pg_class p ON p.oid = i.inhparent "
			"WHERE p.relname = 'events' AND c.relname ~ '^events_[0-9]{8}$' "
			"AND c.relname < $1", 1, NULL, p, NULL, NULL, 0);
	}
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		pgx_err(err, errlen, st->conn, r, "list partitions");
		PQclear(r);
		return -EIO;
	}
	for (i = 0; i < PQntuples(r) && rc == 0; i++) {
		/* names matched ^events_[0-9]{8}$ above: safe to splice */
		snprintf(sql, sizeof(sql), "DROP TABLE IF EXISTS %s",
			 PQgetvalue(r, i, 0));
		rc = pgx_exec(st->conn, sql, err, errlen, "postgresql");
	}
	PQclear(r);
	if (rc < 0)
		return rc;
	snprintf(sql, sizeof(sql),
		 "DELETE FROM batches WHERE received_at < now() - interval '%u days'",
		 st->retention_days + 1);
	if (pgx_exec(st->conn, sql, err, errlen, "postgresql") < 0)
		return -EIO;
	st->ts_lo = day_start_us(lo);
	st->ts_hi = day_start_us(today + 3);
	return 0;
}
