/* payload_ssrf_lo.c - loopback URLs the SSRF detector (payload_ssrf.c)
 * tells under the kill line: a native or development client's sign-in
 * callback (RFC 8252 7.3) and a development server's origin alone, and
 * the service ports that keep either a kill. Split out of payload_ssrf.c. */
#include "collector/detect/payload_int.h"
#include "collector/detect/payload_ssrf_lo.h"

#include <string.h>

/* the ports of services a request smuggled into a loopback URL
 * reaches (ssh, smtp, docker, etcd, mysql, postgres, redis, the
 * kube API, elasticsearch, kubelet, memcached, mongodb) */
static const unsigned ssrf_svc[] = {22, 25, 2375, 2376, 2379, 3306, 5432, 6379, 6443, 9200, 10250, 11211, 27017};

static int ssrf_svc_port(unsigned port)
{
	for (size_t k = 0; k < sizeof(ssrf_svc) / sizeof(ssrf_svc[0]); k++)
		if (port == ssrf_svc[k])
			return 1;
	return 0;
}

/* The value is only a development server's origin: "http://localhost:8080"
 * or "https://127.0.0.1:5173/" (scheme s..at, host h..he written plainly,
 * no userinfo, a port of 1024 or more that is no service's, then at
 * most "/" and blanks, or the quote or '<' closing the attribute or
 * element it fills; no line break), as a
 * settings form or a CORS list names it. A request for a path, a service's
 * port or a host spelt to evade (0x7f.1, 2130706433) stays. */
int payload_ssrf_lo_dev_origin(const char *lo, size_t n, size_t s, size_t at, size_t h, size_t he)
{
	static const char *const host[] = {"localhost", "127.0.0.1", "[::1]"};
	size_t q = he;
	unsigned port = 0;
	int ok = 0;

	if (!((at - s == 4 && !memcmp(lo + s, "http", 4)) || (at - s == 5 && !memcmp(lo + s, "https", 5))))
		return 0;
	/* alone, or an attribute's or an element's whole text in markup
	 * (<a href="http://localhost:3000">http://localhost:3000</a>) */
	char close = s == 0 ? 0 : lo[s - 1] == '>' ? '<' : lo[s - 1] == '"' || lo[s - 1] == '\'' ? lo[s - 1] : 0;

	for (size_t k = 0; k < s && !close; k++)
		if (lo[k] != ' ' && lo[k] != '\t')
			return 0;
	for (size_t k = 0; k < sizeof(host) / sizeof(host[0]) && !ok; k++)
		ok = strlen(host[k]) == he - h && !memcmp(lo + h, host[k], he - h);
	if (!ok || h != at + 3 || q >= n || lo[q] != ':')
		return 0;
	for (q++; q < n && lo[q] >= '0' && lo[q] <= '9' && q < he + 7; q++)
		port = port * 10 + (unsigned)(lo[q] - '0');
	if (port < 1024 || port > 65535 || ssrf_svc_port(port))
		return 0;
	if (q < n && lo[q] == '/')
		q++;
	if (close)
		return q < n && lo[q] == close;
	while (q < n && (lo[q] == ' ' || lo[q] == '\t'))
		q++;
	return q == n;
}

/* After a loopback URL's host at p: a port (not a service's), then a
 * path whose last segment is an OAuth/OIDC redirect endpoint
 * ("callback", "oauth2callback", "signin-oidc", python-social-auth's
 * "complete/<provider>/", Spring's "oauth2/code/<registration>",
 * Flask-Dance's "<provider>/authorized"): the redirect URI a
 * native or development client registers (RFC 8252 7.3), which the
 * browser follows; no fetch by the server reaches anything there */
int payload_ssrf_lo_callback(const char *lo, size_t n, size_t p)
{
	size_t q = p, lim, end;
	unsigned port = 0;

	if (q >= n || lo[q] != ':')
		return 0;
	for (q++; q < n && lo[q] >= '0' && lo[q] <= '9' && q < p + 7; q++)
		port = port * 10 + (unsigned)(lo[q] - '0');
	if (q == p + 1 || q >= n || lo[q] != '/')
		return 0;
	if (ssrf_svc_port(port))
		return 0;
	/* the URL to its end (a blank, or a quote or '<' '>' of the markup
	 * or JSON around it) holds no climb, escape, line
	 * break or path parameter: "/callback/../containers/json",
	 * "?x=%0d%0aFLUSHALL" are requests to something else, and so is
	 * "/manager/html;callback" (Tomcat and Spring drop ";..." from a
	 * segment: the request is for /manager/html) */
	lim = q + 256 < n ? q + 256 : n;
	for (end = q; end < lim && !payload_is_space((unsigned char)lo[end]) && lo[end] != '"' && lo[end] != '\'' &&
		      lo[end] != '<' && lo[end] != '>';
	     end++)
		if (lo[end] == '%' || lo[end] == '\\' || lo[end] == ';' ||
		    (lo[end] == '.' && end + 1 < n && lo[end + 1] == '.'))
			return 0;
	if (end == lim && lim < n)
		return 0;
	/* a fetcher handed the raw value keeps a quote or '<' '>' in the
	 * path: "callback'/../../manager/html" is a request for
	 * /manager/html, so no climb or escaped separator may follow the
	 * quote up to the blank */
	for (size_t r = end; r < lim && !payload_is_space((unsigned char)lo[r]); r++)
		if (lo[r] == '\\' || (lo[r] == '.' && r + 1 < n && lo[r + 1] == '.') ||
		    (lo[r] == '%' && r + 2 < n && ((lo[r + 1] == '2' && (lo[r + 2] == 'e' || lo[r + 2] == 'f')) ||
						   (lo[r + 1] == '5' && lo[r + 2] == 'c'))))
			return 0;
	while (q < end && lo[q] == '/') {
		size_t s = ++q, t;

		while (q < end && lo[q] != '/' && lo[q] != '?' && lo[q] != '#')
			q++;
		if (!((q - s >= 8 && !memcmp(lo + q - 8, "callback", 8)) ||
		      (q - s == 11 && !memcmp(lo + s, "signin-oidc", 11)) ||
		      (q - s == 8 && !memcmp(lo + s, "complete", 8)) ||
		      (q - s == 10 && !memcmp(lo + s, "authorized", 10)) ||
		      (q - s == 4 && s >= 7 && !memcmp(lo + s - 7, "oauth2/code", 11))))
			continue;
		/* the endpoint is the path's last segment, or a provider's
		 * name follows it (/api/auth/callback/github) */
		if (q == end || lo[q] != '/')
			return 1;
		for (t = q + 1; t < end && (payload_ctype[(unsigned char)lo[t]] & 3 || lo[t] == '-'); t++)
			;
		if (t > q + 1 && t + 1 == end && lo[t] == '/')
			t++;
		return t > q + 1 && (t == end || lo[t] == '?' || lo[t] == '#');
	}
	return 0;
}

/* Is lo[s..at) the scheme of a database's or broker's connection string
 * (postgres://, mongodb+srv://, jdbc:mysql://: the part after "jdbc:")?
 * A driver connects there; no URL fetcher takes it. */
int payload_ssrf_lo_dsn(const char *lo, size_t s, size_t at)
{
	static const char *const dsn[] = {"postgres", "postgresql", "mysql",  "mariadb", "mongodb",
					  "mongodb+srv", "redis",    "rediss", "amqp",    "amqps",
					  "sqlserver",  "mssql",    "oracle", "clickhouse", "neo4j",
					  "bolt",       "nats",     "mqtt",   "kafka",   "cockroachdb"};

	for (size_t k = 0; k < sizeof(dsn) / sizeof(dsn[0]); k++)
		if (strlen(dsn[k]) == at - s && !memcmp(lo + s, dsn[k], at - s))
			return 1;
	return 0;
}

/* Does the URL at s open an environment line, "NAME_PART=" then the URL
 * (API_BASE=http://localhost:8000/), as a .env file or a deployment's
 * settings show it, or a shell's "export NAME=..."? s is the decoded
 * value as written (upper case kept): blanks, "export ", then capitals, digits and at least one '_', then '='
 * right before at. */
int payload_ssrf_lo_env_line(const char *s, size_t at)
{
	size_t p = 0;
	int under = 0;

	while (p < at && (s[p] == ' ' || s[p] == '\t'))
		p++;
	if (at - p > 7 && !memcmp(s + p, "export ", 7))
		p += 7;
	if (p >= at || s[p] < 'A' || s[p] > 'Z')
		return 0;
	for (; p + 1 < at; p++) {
		if (s[p] == '_')
			under = 1;
		else if (!((s[p] >= 'A' && s[p] <= 'Z') || (s[p] >= '0' && s[p] <= '9')))
			return 0;
	}
	return under && p + 1 == at && s[p] == '=';
}

/* A path segment lo[s..e) that names what a loopback service keeps for
 * its operators or its own machine: servlet and app-server managers,
 * Spring's actuator, Apache's status, Jolokia, the Docker, Consul, etcd
 * and Kubernetes APIs' roots, metadata paths, CGI; the internal APIs of
 * Elasticsearch, CouchDB and a container registry (a '_' segment) */
static int ops_segment(const char *lo, size_t s, size_t e)
{
	static const char *const w[] = {"admin",     "administrator", "manager",       "console",
					"actuator",  "server-status", "server-info",   "jolokia",
					"debug",     "env",           "shutdown",      "heapdump",
					"metrics",   "internal",      "secrets",       "containers",
					"_cat",      "_cluster",      "_nodes",        "agent",
					"keys",      "namespaces",    "latest",        "metadata",
					"computemetadata", "cgi-bin", "phpmyadmin",    "jmx-console",
					"invoker",   "script",        ".env",          "config",
					"exec",      "pods",          "services",      "v1.24",
					"trace",     "configprops",   "mappings",      "beans",
					"threaddump", "loggers",      "jmx",           "sys",
					"druid",     "kv",            "_search",       "_all_dbs",
					"_catalog",  "_utils",        "_session",      "_config"};
	size_t l = e - s;

	for (size_t k = 0; k < sizeof(w) / sizeof(w[0]); k++)
		if (strlen(w[k]) == l && !memcmp(lo + s, w[k], l))
			return 1;
	/* admin.php, manager.jsp, /admin-panel, /h2-console: one of the
	 * first four words as a part of the segment ('.' '-' '_' apart) */
	for (size_t k = 0; k < 4; k++) {
		size_t wl = strlen(w[k]);

		for (size_t p = s; p + wl <= e; p++)
			if (!memcmp(lo + p, w[k], wl) && (p == s || strchr(".-_", lo[p - 1])) &&
			    (p + wl == e || strchr(".-_", lo[p + wl])))
				return 1;
	}
	return 0;
}

/* Ports of loopback services whose API is the operator's own: CouchDB,
 * Vault, Consul, RabbitMQ's management, the kubelet's read-only port,
 * Prometheus, Solr, Elasticsearch's transport */
static int ops_port(unsigned port)
{
	static const unsigned p[] = {2379, 4001, 5984, 8200, 8500, 8983, 9090, 9300, 10255, 15672};

	for (size_t k = 0; k < sizeof(p) / sizeof(p[0]); k++)
		if (port == p[k])
			return 1;
	return 0;
}

/* After a loopback URL's host at he: a port (if any) that is no
 * service's, then a path of plain segments (letters, digits, '-', '_',
 * '.'; no climb, escape, query or fragment) none of which names an
 * operator's page (ops_segment), to the value's end. need_port: a port of 1024 or more must be written. */
int payload_ssrf_lo_plain_tail(const char *lo, size_t n, size_t he, int need_port)
{
	size_t q = he, lim = n < he + 256 ? n : he + 256;
	unsigned port = 0;

	if (q < n && lo[q] == ':') {
		for (q++; q < n && lo[q] >= '0' && lo[q] <= '9' && q < he + 7; q++)
			port = port * 10 + (unsigned)(lo[q] - '0');
		if (port < 1024 || port > 65535 || ssrf_svc_port(port) || ops_port(port))
			return 0;
	} else if (need_port) {
		return 0;
	}
	if (need_port && (q >= n || lo[q] != '/'))
		return 0;
	while (q < lim && lo[q] == '/') {
		size_t s = ++q;

		while (q < lim && (payload_is_alnum((unsigned char)lo[q]) || strchr("-_.", lo[q]) != NULL) &&
		       lo[q] != '\0')
			q++;
		if ((q - s == 2 && lo[s] == '.' && lo[s + 1] == '.') || ops_segment(lo, s, q))
			return 0;
	}
	while (q < n && (lo[q] == ' ' || lo[q] == '\t'))
		q++;
	return q == n;
}

/* "http://localhost:8000/api/v1/": a development server's page or API
 * path on the loopback name (written "localhost", no userinfo), a port
 * of 1024 or more that is no service's, then a plain path
 * (payload_ssrf_lo_plain_tail) to the value's end: what docs, .env lines
 * and a developer's settings hold. Told. */
int payload_ssrf_lo_dev_path(const char *lo, size_t n, size_t at, size_t h, size_t he)
{
	if (he - h != 9 || memcmp(lo + h, "localhost", 9) || h != at + 3)
		return 0;
	return payload_ssrf_lo_plain_tail(lo, n, he, 1);
}
