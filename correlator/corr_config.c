/* corr_config.c - the correlator's options and its config file. */
#include "correlator/corr_config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <zmq.h>

#include "correlator/fleet.h"
#include "correlator/hostrate.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/metrics_http.h"
#include "correlator/writer.h"
#include "common/curvekey.h"
#include "common/ring.h"
#include "common/textesc.h"

#define DEFAULT_PG "postgresql://postgres@127.0.0.1:25432/sidewatch"

/* --- config file -------------------------------------------------------------
 * A flat YAML subset: "key: value" lines, '#' comments, values plain or
 * in single/double quotes. Nesting, lists and flow syntax are refused
 * with the line number (the correlator does not link libyaml). */

static const char CFG_KEYS[] =
	"listen, blocks, pg, keys, server_key, plain, sql, retention, stats, metrics_listen, pg_writers, "
	"host_rows_per_s, host_rows_burst, ring, shard";

static int parse_retention(const char *v, unsigned *out)
{
	char *end;
	unsigned long d;

	errno = 0;
	d = strtoul(v, &end, 10);
	if (errno || end == v || *end || d < 1 || d > 3650)
		return -EINVAL;
	*out = (unsigned)d;
	return 0;
}

static int parse_writers(const char *v, unsigned *out)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || end == v || *end || n < 1 || n > WRITER_MAX_CONNS)
		return -EINVAL;
	*out = (unsigned)n;
	return 0;
}

/* rows per second or burst: 0 .. 10,000,000 */
static int parse_rows(const char *v, unsigned *out)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || end == v || *end || *v == '-' || n > 10000000ul)
		return -EINVAL;
	*out = (unsigned)n;
	return 0;
}

static int cfg_set(struct corr_config *c, const char *key, const char *val,
		   char *why, size_t whylen)
{
	const char **dst = NULL;
	char *dup;

	if (!strcmp(key, "pg_writers")) {
		if (parse_writers(val, &c->pg_writers)) {
			snprintf(why, whylen, "pg_writers must be a whole number from 1 to %d, not '%.40s'",
				 WRITER_MAX_CONNS, val);
			return -EINVAL;
		}
		return 0;
	}

	if (!strcmp(key, "host_rows_per_s") || !strcmp(key, "host_rows_burst")) {
		if (parse_rows(val, !strcmp(key, "host_rows_per_s") ? &c->host_rows_per_s : &c->host_rows_burst)) {
			snprintf(why, whylen, "%s must be a whole number from 0 to 10000000, not '%.40s'",
				 key, val);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "retention")) {
		if (parse_retention(val, &c->retention)) {
			snprintf(why, whylen, "retention must be a whole number of days from 1 to 3650, not '%.40s'", val);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "plain")) {
		if (!strcmp(val, "true") || !strcmp(val, "yes") || !strcmp(val, "on"))
			c->plain = 1;
		else if (!strcmp(val, "false") || !strcmp(val, "no") || !strcmp(val, "off"))
			c->plain = 0;
		else {
			snprintf(why, whylen, "plain must be true or false, not '%.40s'", val);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "listen")) dst = &c->listen;
	else if (!strcmp(key, "blocks")) dst = &c->blocks;
	else if (!strcmp(key, "pg")) dst = &c->pg;
	else if (!strcmp(key, "keys")) dst = &c->keys;
	else if (!strcmp(key, "server_key")) dst = &c->server_key;
	else if (!strcmp(key, "sql")) dst = &c->sql;
	else if (!strcmp(key, "stats")) dst = &c->stats;
	else if (!strcmp(key, "metrics_listen")) dst = &c->metrics_listen;
	else if (!strcmp(key, "ring")) dst = &c->ring_path;
	else if (!strcmp(key, "shard")) dst = &c->shard;
	if (!dst) {
		snprintf(why, whylen, "unknown key '%.40s' (known: %s)", key, CFG_KEYS);
		return -ENOENT;
	}
	if ((dst == &c->listen || dst == &c->blocks) &&
	    strncmp(val, "tcp://", 6) && strncmp(val, "ipc://", 6)) {
		snprintf(why, whylen, "%s must be an endpoint like tcp://0.0.0.0:7450, not '%.60s'", key, val);
		return -EINVAL;
	}
	if (dst == &c->metrics_listen && *val && strcmp(val, "off")) {
		struct sockaddr_storage ss;
		unsigned sl;

		if (metrics_http_parse_addr(val, &ss, &sl)) {
			snprintf(why, whylen, "metrics_listen must be HOST:PORT like 127.0.0.1:9465 or [::1]:9465, or off, not '%.60s'", val);
			return -EINVAL;
		}
	}
	if ((dst != &c->stats && dst != &c->metrics_listen && !*val) ||
	    c->nowned >= sizeof(c->owned) / sizeof(c->owned[0])) {
		snprintf(why, whylen, "%s needs a value", key);
		return -EINVAL;
	}
	dup = strdup(val);
	if (!dup) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	c->owned[c->nowned++] = dup;
	*dst = dup;
	return 0;
}

/* Unquote a value in place; returns NULL when a quote is left open or
 * text follows the closing quote (other than a comment). */
static char *cfg_value(char *v)
{
	char q = *v, *e;

	if (q != '"' && q != '\'') {
		char *hash = strstr(v, " #");

		if (hash)
			*hash = '\0';
		e = v + strlen(v);
		while (e > v && isspace((unsigned char)e[-1]))
			*--e = '\0';
		return v;
	}
	e = strchr(v + 1, q);
	if (!e)
		return NULL;
	*e = '\0';
	for (char *t = e + 1; *t; t++) {
		if (*t == '#')
			break;
		if (!isspace((unsigned char)*t))
			return NULL;
	}
	return v + 1;
}

static int cfg_load(struct corr_config *c, const char *path, char *err, size_t errlen)
{
	char line[1024], why[256];
	unsigned long no = 0;
	FILE *f = fopen(path, "re");
	int rc = 0;

	if (!f) {
		snprintf(err, errlen, "cannot open config file %s: %s", path, strerror(errno));
		return -errno;
	}
	while (!rc && fgets(line, sizeof(line), f)) {
		char *k = line, *colon, *v;
		size_t n = strlen(line);

		no++;
		if (n && line[n - 1] != '\n' && !feof(f)) {
			snprintf(err, errlen, "%s line %lu: line longer than %zu bytes",
				 path, no, sizeof(line) - 2);
			rc = -EINVAL;
			break;
		}
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		while (*k == ' ')
			k++;
		if (!*k || *k == '#' || !strcmp(k, "---"))
			continue;
		colon = strchr(k, ':');
		if (k != line || *k == '-' || *k == '{' || *k == '[' || !colon ||
		    (colon[1] && colon[1] != ' ' && colon[1] != '\t')) {
			snprintf(err, errlen, "%s line %lu: YAML error: expected 'key: value' at the start of the line (no indentation, lists or flow syntax), got '%.60s'",
				 path, no, k);
			rc = -EINVAL;
			break;
		}
		*colon = '\0';
		v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		for (char *t = colon; t > k && isspace((unsigned char)t[-1]); )
			*--t = '\0';
		v = cfg_value(v);
		if (!v) {
			snprintf(err, errlen, "%s line %lu: YAML error: unterminated or trailing text after a quoted value", path, no);
			rc = -EINVAL;
		} else if (cfg_set(c, k, v, why, sizeof(why))) {
			snprintf(err, errlen, "%s line %lu: %s", path, no, why);
			rc = -EINVAL;
		}
	}
	fclose(f);
	return rc;
}

/* --- shard ring ------------------------------------------------------------ */

/* A ring that names each shard's key: ours must be this shard's, or every
 * collector refuses us (and a shard started with another's secret would
 * serve that one's slice). Read here, with the options: a wrong key is a
 * configuration error (exit 2), found before anything binds. */
static int check_own_key(const struct corr_config *c, char *err, size_t errlen)
{
	const char *want = ring_shard_key(c->ring, (size_t)c->shard_idx);
	char sec[CURVEKEY_Z85_LEN + 1], pub[CURVEKEY_Z85_LEN + 1] = "";

	if (!want || c->plain)
		return 0;
	if (curvekey_read(c->server_key, sec) < 0 || zmq_curve_public(pub, sec) < 0) {
		snprintf(err, errlen, "cannot read the server secret key %s (swctl keygen)",
			 c->server_key);
		return -EINVAL;
	}
	memset(sec, 0, sizeof(sec));
	if (strcmp(pub, want)) {
		snprintf(err, errlen, "the server key %s is not shard '%s''s key in the ring %s "
			 "(its public key is %s, the ring names %s)",
			 c->server_key, c->shard, c->ring_path, pub, want);
		return -EINVAL;
	}
	return 0;
}

/* --ring and --shard: both or neither; NAME must be one of the ring's. */
static int load_ring(struct corr_config *c, char *err, size_t errlen)
{
	c->shard_idx = -1;
	if (!c->ring_path && !c->shard)
		return 0;
	if (!c->ring_path || !c->shard) {
		snprintf(err, errlen, "--ring and --shard go together (ring and shard in the config file)");
		return -EINVAL;
	}
	c->ring = ring_load(c->ring_path, err, errlen);
	if (!c->ring)
		return -EINVAL;
	c->shard_idx = ring_find(c->ring, c->shard);
	if (c->shard_idx < 0) {
		char esc[80];

		tx_printable(esc, sizeof(esc), c->shard, strlen(c->shard));
		snprintf(err, errlen, "shard '%s' is not in the ring %s (version %llu)", esc,
			 c->ring_path, (unsigned long long)ring_version(c->ring));
		return -EINVAL;
	}
	return check_own_key(c, err, errlen);
}

/* --- command line ------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr,
		"usage: sidewatch-correlator [--listen EP] [--blocks EP] [--pg URL]\n"
		"         [--keys DIR] [--server-key FILE] [--plain] [--sql DIR]\n"
		"         [--retention DAYS] [--stats FILE] [--metrics-listen HOST:PORT|off]\n"
		"         [--config FILE] [--fleet NAME=VALUE]... [--pg-writers N]\n"
		"         [--host-rows-per-s N] [--host-rows-burst N]\n"
		"         [--ring FILE --shard NAME]\n"
		"settings: deploy/correlator.yaml documents every key and its default\n"
		"exit: 0 stopped by SIGINT/SIGTERM, 1 runtime failure, 2 bad option or config\n");
}

int corr_config_parse(struct corr_config *c, struct fleet_config *fc, int argc, char **argv,
	       char *err, size_t errlen)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "blocks", required_argument, NULL, 'b' },
		{ "pg", required_argument, NULL, 'p' },
		{ "keys", required_argument, NULL, 'k' },
		{ "server-key", required_argument, NULL, 's' },
		{ "plain", no_argument, NULL, 'P' },
		{ "sql", required_argument, NULL, 'q' },
		{ "retention", required_argument, NULL, 'r' },
		{ "stats", required_argument, NULL, 'S' },
		{ "metrics-listen", required_argument, NULL, 'M' },
		{ "config", required_argument, NULL, 'c' },
		{ "fleet", required_argument, NULL, 'F' },
		{ "pg-writers", required_argument, NULL, 'W' },
		{ "host-rows-per-s", required_argument, NULL, 'R' },
		{ "host-rows-burst", required_argument, NULL, 'B' },
		{ "ring", required_argument, NULL, 'G' },
		{ "shard", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *cfg_path = NULL, *env;
	int o, rc;

	*c = (struct corr_config){
		.listen = "tcp://127.0.0.1:7450",
		.blocks = "tcp://127.0.0.1:7451",
		.keys = "var/keys/collectors",
		.server_key = "var/keys/server.key",
		.sql = "sql",
		.retention = 30,
		.pg_writers = 2,
		.host_rows_per_s = HOSTRATE_DEF_RATE,
		.metrics_listen = "127.0.0.1:9465",
	};
	fleet_config_defaults(fc);
	c->pg = DEFAULT_PG;
	/* pass 1: --config and option errors; the file goes under the options */
	opterr = 1;
	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (o == 'c')
			cfg_path = optarg;
		else if (o == 'h' || o == '?') {
			usage();
			return o == 'h' ? CORR_CONFIG_HELP : CORR_CONFIG_USAGE;
		}
	}
	if (optind < argc) {
		log_err("unexpected argument '%s'", argv[optind]);
		return CORR_CONFIG_USAGE;
	}
	if (cfg_path && cfg_load(c, cfg_path, err, errlen) < 0)
		return -EINVAL;
	env = getenv("SIDEWATCH_PG");
	if (env && *env)
		c->pg = env;
	optind = 1;
	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 'l': c->listen = optarg; break;
		case 'b': c->blocks = optarg; break;
		case 'p': c->pg = optarg; break;
		case 'k': c->keys = optarg; break;
		case 's': c->server_key = optarg; break;
		case 'P': c->plain = 1; break;
		case 'q': c->sql = optarg; break;
		case 'r':
			if (parse_retention(optarg, &c->retention)) {
				snprintf(err, errlen, "--retention takes whole days from 1 to 3650, not '%s'", optarg);
				return -EINVAL;
			}
			break;
		case 'S': c->stats = optarg; break;
		case 'M': c->metrics_listen = optarg; break;
		case 'G': c->ring_path = optarg; break;
		case 'N': c->shard = optarg; break;
		case 'W':
			if (parse_writers(optarg, &c->pg_writers)) {
				snprintf(err, errlen, "--pg-writers takes 1 to %d, not '%s'",
					 WRITER_MAX_CONNS, optarg);
				return -EINVAL;
			}
			break;
		case 'R': case 'B':
			if (parse_rows(optarg, o == 'R' ? &c->host_rows_per_s : &c->host_rows_burst)) {
				snprintf(err, errlen, "--host-rows-%s takes 0 to 10000000, not '%s'",
					 o == 'R' ? "per-s" : "burst", optarg);
				return -EINVAL;
			}
			break;
		case 'F':
			if ((rc = fleet_config_set(fc, optarg)) < 0) {
				log_err("bad --fleet %s%s", optarg,
					rc == -EDOM ? ": a *_min_hosts setting is at least 2 (one "
					"host's word alone never blocks fleet-wide)" : "");
				return CORR_CONFIG_USAGE;
			}
			break;
		default: break;
		}
	}
	if (c->stats && !*c->stats)
		c->stats = NULL;
	if (!strcmp(c->metrics_listen, "off"))
		c->metrics_listen = "";
	return load_ring(c, err, errlen);
}

void corr_config_free(struct corr_config *c)
{
	size_t i;

	ring_free(c->ring);
	c->ring = NULL;

	for (i = 0; i < c->nowned; i++)
		free(c->owned[i]);
}
