/* fleet-query - one PostgreSQL database that reads every shard's (issue 25).
 *
 *   fleet-query --db CONNINFO [--sql DIR] NAME=CONNINFO...
 *       set the query database up (again) over the shards given: for each,
 *       a postgres_fdw server and user mapping and a schema sw_shard_NAME
 *       of foreign tables; each fleet table public.T inherits every
 *       shard's T; the shard schema's views are made again over them
 *       (sql/fleet/fleet.sql). One transaction: on any error nothing
 *       changes. Running it again, or after a migration added a table,
 *       rebuilds the same way.
 *   fleet-query --ids N CONNINFO
 *       give shard N (0..32766) its own range of generated ids,
 *       [N * 2^48 + 1, (N + 1) * 2^48], in every sequence a table column
 *       owns (sql/fleet/shard_ids.sql), so rows of different shards never
 *       share an id and the fleet's joins on ids stay right. Run it on a
 *       new shard before it stores rows, and after a migration adds a
 *       table with a serial column; a no-op when already done.
 *
 * NAME is a lower-case letter then up to 39 of [a-z0-9_]; CONNINFO is
 * libpq's (key=value or URI), parsed by libpq: user and password go to the
 * user mapping, every other option to the server. The setup also reads
 * each shard directly: the first shard's tables and views, and every
 * shard's id ranges (overlapping ranges are refused). Values reach SQL as
 * parameters only. Exit 0 done, 1 a database refused or failed, 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#define FQ_MAX_SHARDS 256
#define FQ_MAX_FILE (1 << 20)
#define FQ_NAME_MAX 40

struct fq_shard {
	const char *name;
	const char *conninfo;
	PQconninfoOption *opts;
};

static void usage(void)
{
	fprintf(stderr, "usage: fleet-query --db CONNINFO [--sql DIR] NAME=CONNINFO...\n"
			"       fleet-query --ids N CONNINFO\n");
	exit(2);
}

static void die_db(const char *what, PGconn *c)
{
	fprintf(stderr, "fleet-query: %s: %s", what, c ? PQerrorMessage(c) : "failed\n");
	exit(1);
}

static char *read_sql(const char *dir, const char *file)
{
	char path[4096];
	FILE *f;
	char *buf;
	size_t n;

	snprintf(path, sizeof(path), "%s/fleet/%s", dir, file);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "fleet-query: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	buf = malloc(FQ_MAX_FILE + 1);
	if (!buf) {
		fprintf(stderr, "fleet-query: out of memory\n");
		exit(1);
	}
	n = fread(buf, 1, FQ_MAX_FILE + 1, f);
	fclose(f);
	if (n > FQ_MAX_FILE) {
		fprintf(stderr, "fleet-query: %s: larger than %d bytes\n", path, FQ_MAX_FILE);
		exit(2);
	}
	buf[n] = '\0';
	return buf;
}

static int fq_valid_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= FQ_NAME_MAX || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static PGconn *connect_or_die(const char *conninfo, const char *what)
{
	PGconn *c = PQconnectdb(conninfo);

	if (PQstatus(c) != CONNECTION_OK)
		die_db(what, c);
	return c;
}

/* run a query with text parameters; dies naming WHAT when it fails */
static PGresult *q(PGconn *c, const char *what, const char *sql, int n, const char *const *v)
{
	PGresult *r = PQexecParams(c, sql, n, NULL, v, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		fprintf(stderr, "fleet-query: %s: %s", what, PQresultErrorMessage(r));
		PQclear(r);
		PQfinish(c);
		exit(1);
	}
	return r;
}

/* A PostgreSQL array literal of N strings: each element double-quoted,
 * '"' and '\' escaped. */
static char *arr_lit(const char *const *v, int n)
{
	size_t cap = 3, k = 0;
	char *out;
	int i;

	for (i = 0; i < n; i++)
		cap += 2 * strlen(v[i]) + 3;
	out = malloc(cap);
	if (!out) {
		fprintf(stderr, "fleet-query: out of memory\n");
		exit(1);
	}
	out[k++] = '{';
	for (i = 0; i < n; i++) {
		const char *s;

		if (i)
			out[k++] = ',';
		out[k++] = '"';
		for (s = v[i]; *s; s++) {
			if (*s == '"' || *s == '\\')
				out[k++] = '\\';
			out[k++] = *s;
		}
		out[k++] = '"';
	}
	out[k++] = '}';
	out[k] = '\0';
	return out;
}

/* The rows of column 0 (and 1) of R as a literal array each. */
static char *col_lit(PGresult *r, int col)
{
	int n = PQntuples(r), i;
	const char **v = calloc((size_t)n + 1, sizeof(*v));
	char *out;

	if (!v)
		exit(1);
	for (i = 0; i < n; i++)
		v[i] = PQgetvalue(r, i, col);
	out = arr_lit(v, n);
	free(v);
	return out;
}

static void parse_shards(int argc, char **argv, int first, struct fq_shard *sh, int *nsh)
{
	int i, j;

	*nsh = 0;
	for (i = first; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		char *err = NULL;
		struct fq_shard *s = &sh[*nsh];
		size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);

		if (!eq || !fq_valid_name(argv[i], n)) {
			fprintf(stderr, "fleet-query: shard name \"%.*s\": want NAME=CONNINFO, NAME a "
					"lower-case letter then up to %d of [a-z0-9_]\n",
				(int)(n > 64 ? 64 : n), argv[i], FQ_NAME_MAX - 1);
			exit(2);
		}
		if (*nsh == FQ_MAX_SHARDS) {
			fprintf(stderr, "fleet-query: more than %d shards\n", FQ_MAX_SHARDS);
			exit(2);
		}
		s->name = strndup(argv[i], n);
		s->conninfo = eq + 1;
		for (j = 0; j < *nsh; j++)
			if (!strcmp(sh[j].name, s->name)) {
				fprintf(stderr, "fleet-query: shard \"%s\" given twice\n", s->name);
				exit(2);
			}
		s->opts = PQconninfoParse(s->conninfo, &err);
		if (!s->opts) {
			fprintf(stderr, "fleet-query: shard \"%s\": bad conninfo: %s", s->name,
				err ? err : "out of memory\n");
			exit(2);
		}
		(*nsh)++;
	}
	if (*nsh == 0)
		usage();
}

/* Every shard's id ranges (sequence owned by table.column: min..max);
 * two shards whose ranges of one column overlap are refused. */
#define FQ_RANGES_SQL                                                            \
	"SELECT t.relname || '.' || a.attname, q.seqmin, q.seqmax "                 \
	"FROM pg_sequence q JOIN pg_class s ON s.oid = q.seqrelid "                 \
	"JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid " \
	" AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') "     \
	"JOIN pg_class t ON t.oid = d.refobjid "                                    \
	"JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "   \
	"WHERE t.relnamespace = 'public'::regnamespace ORDER BY 1"

static void check_ranges(struct fq_shard *sh, int nsh, PGresult **rng)
{
	int i, j, x, y;

	for (i = 0; i < nsh; i++)
		for (j = i + 1; j < nsh; j++)
			for (x = 0; x < PQntuples(rng[i]); x++)
				for (y = 0; y < PQntuples(rng[j]); y++) {
					long long a0 = atoll(PQgetvalue(rng[i], x, 1));
					long long a1 = atoll(PQgetvalue(rng[i], x, 2));
					long long b0 = atoll(PQgetvalue(rng[j], y, 1));
					long long b1 = atoll(PQgetvalue(rng[j], y, 2));

					if (strcmp(PQgetvalue(rng[i], x, 0), PQgetvalue(rng[j], y, 0)) ||
					    a0 > b1 || b0 > a1)
						continue;
					fprintf(stderr,
						"fleet-query: shards %s and %s draw ids of %s from the same range "
						"(%lld..%lld, %lld..%lld): run fleet-query --ids N on each, "
						"N its own number\n",
						sh[i].name, sh[j].name, PQgetvalue(rng[i], x, 0), a0, a1, b0, b1);
					exit(1);
				}
}

/* user and password: the user mapping's; the rest: the server's */
static int fq_is_mapping_key(const char *k)
{
	return !strcmp(k, "user") || !strcmp(k, "password");
}

static void add_shard(PGconn *qc, const struct fq_shard *s, int pos, const char *tables)
{
	const char *sk[64], *sv[64], *mk[8], *mv[8];
	int ns = 0, nm = 0;
	char posbuf[16], what[96];
	const PQconninfoOption *o;
	const char *p[7];
	PGresult *r;

	for (o = s->opts; o->keyword; o++) {
		if (!o->val || !*o->val)
			continue;
		if (fq_is_mapping_key(o->keyword) && nm < 8) {
			mk[nm] = o->keyword;
			mv[nm++] = o->val;
		} else if (!fq_is_mapping_key(o->keyword) && ns < 64) {
			sk[ns] = o->keyword;
			sv[ns++] = o->val;
		}
	}
	snprintf(posbuf, sizeof(posbuf), "%d", pos);
	snprintf(what, sizeof(what), "shard %s", s->name);
	p[0] = s->name;
	p[1] = posbuf;
	p[2] = arr_lit(sk, ns);
	p[3] = arr_lit(sv, ns);
	p[4] = arr_lit(mk, nm);
	p[5] = arr_lit(mv, nm);
	p[6] = tables;
	r = q(qc, what,
	      "SELECT sw_fleet.add_shard($1, $2::integer, $3::text[], $4::text[], "
	      "$5::text[], $6::text[], $7::text[])", 7, p);
	PQclear(r);
	for (ns = 2; ns < 6; ns++)
		free((char *)p[ns]);
}

static int setup(const char *db, const char *dir, struct fq_shard *sh, int nsh)
{
	PGresult *rng[FQ_MAX_SHARDS], *tabs = NULL, *views = NULL, *r;
	char *fleet_sql = read_sql(dir, "fleet.sql");
	char *tl, *vn, *vd, what[96];
	const char *p[2];
	PGconn *c, *qc;
	int i;

	for (i = 0; i < nsh; i++) {
		snprintf(what, sizeof(what), "shard %s", sh[i].name);
		c = connect_or_die(sh[i].conninfo, what);
		rng[i] = q(c, what, FQ_RANGES_SQL, 0, NULL);
		if (i == 0) {
			PQclear(q(c, what, "SET search_path = public", 0, NULL));
			tabs = q(c, what,
				 "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
				 "AND relkind IN ('r', 'p') AND NOT relispartition ORDER BY relname",
				 0, NULL);
			views = q(c, what,
				  "SELECT relname, pg_get_viewdef(oid) FROM pg_class "
				  "WHERE relnamespace = 'public'::regnamespace AND relkind = 'v' "
				  "ORDER BY oid",
				  0, NULL);
		}
		PQfinish(c);
	}
	if (PQntuples(tabs) == 0) {
		fprintf(stderr, "fleet-query: shard %s has no tables (has a correlator "
				"applied the schema?)\n", sh[0].name);
		return 1;
	}
	check_ranges(sh, nsh, rng);

	qc = connect_or_die(db, "query database");
	PQclear(q(qc, "query database", "BEGIN", 0, NULL));
	PQclear(q(qc, "query database", "SET LOCAL search_path = public", 0, NULL));
	PQclear(q(qc, "query database", "SELECT pg_advisory_xact_lock(hashtext('sw_fleet'))", 0, NULL));
	r = PQexec(qc, fleet_sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
		fprintf(stderr, "fleet-query: %s/fleet/fleet.sql: %s", dir, PQresultErrorMessage(r));
		return 1;
	}
	PQclear(r);
	PQclear(q(qc, "query database: removing the last setup", "SELECT sw_fleet.reset()", 0, NULL));
	tl = col_lit(tabs, 0);
	for (i = 0; i < nsh; i++)
		add_shard(qc, &sh[i], i, tl);
	p[0] = tl;
	PQclear(q(qc, "query database: fleet tables", "SELECT sw_fleet.build($1::text[])", 1, p));
	vn = col_lit(views, 0);
	vd = col_lit(views, 1);
	p[0] = vn;
	p[1] = vd;
	PQclear(q(qc, "query database: views", "SELECT sw_fleet.views($1::text[], $2::text[])", 2, p));
	PQclear(q(qc, "query database", "COMMIT", 0, NULL));
	printf("fleet-query: %d shards, %d tables, %d views\n", nsh, PQntuples(tabs), PQntuples(views));
	PQfinish(qc);
	free(tl);
	free(vn);
	free(vd);
	free(fleet_sql);
	return 0;
}

static int ids(const char *n, const char *conninfo, const char *dir)
{
	char *end, *sql = read_sql(dir, "shard_ids.sql");
	long v;
	PGconn *c;
	PGresult *r;
	int i;

	errno = 0;
	v = strtol(n, &end, 10);
	if (errno || end == n || *end || v < 0 || v > 32766) {
		fprintf(stderr, "fleet-query: --ids \"%.20s\": want a shard number 0..32766\n", n);
		return 2;
	}
	c = connect_or_die(conninfo, "shard");
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		die_db("shard_ids.sql", c);
	PQclear(r);
	r = q(c, "shard", "SELECT pg_temp.sw_shard_ids($1::integer)", 1, (const char *const[]){ n });
	for (i = 0; i < PQntuples(r); i++)
		printf("%s\n", PQgetvalue(r, i, 0));
	PQclear(r);
	PQfinish(c);
	free(sql);
	return 0;
}

int main(int argc, char **argv)
{
	static struct fq_shard sh[FQ_MAX_SHARDS];
	const char *db = NULL, *dir = "sql";
	int i = 1, nsh;

	if (argc >= 2 && !strcmp(argv[1], "--ids")) {
		if (argc == 6 && !strcmp(argv[4], "--sql"))
			dir = argv[5];
		else if (argc != 4)
			usage();
		return ids(argv[2], argv[3], dir);
	}
	while (i + 1 < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "--db"))
			db = argv[i + 1];
		else if (!strcmp(argv[i], "--sql"))
			dir = argv[i + 1];
		else
			usage();
		i += 2;
	}
	if (!db)
		usage();
	parse_shards(argc, argv, i, sh, &nsh);
	return setup(db, dir, sh, nsh);
}
