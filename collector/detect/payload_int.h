/* payload_int.h - internal interface between payload.c and the per-language detector
 * files (payload_sqli.c, payload_xss.c, payload_xss_ctx.c, payload_shell.c, payload_shellw.c, payload_path.c, payload_path_glob.c, payload_ssrf.c, payload_pathenc.c, payload_tmpl.c, payload_data.c, payload_xml.c, payload_wrap.c) and the splitters payload_seg.c and payload_query.c. Not for other modules.
 *
 * Every detector gets the decoded value twice: as decoded (s) and ASCII
 * lower-cased (lo), same length; it records its best finding per kind in a
 * payload_acc and never copies input bytes into a reason.
 */
#ifndef SW_DP_INT_H
#define SW_DP_INT_H

#include "collector/detect/payload.h"

#include <stdint.h>

struct payload_acc {
	int score[PAYLOAD__COUNT];
	const char *why[PAYLOAD__COUNT]; /* static strings */
};

struct payload_val {
	const char *s;  /* decoded */
	const char *lo; /* decoded, ASCII lower-case */
	size_t n;
	unsigned where;
	/* the same window as it came, before any decoding: how a value is
	 * spelled tells an encoder's output from an evasion */
	const char *raw;
	size_t rawn;
	/* which bytes occur in lo (bit c of the 256): scan_window counts
	 * them; the other builders set every bit (a byte may occur) */
	uint64_t has[4];
};

static inline int payload_has(const struct payload_val *v, unsigned char c)
{
	return (v->has[c >> 6] >> (c & 63)) & 1;
}

static inline void payload_acc_hit(struct payload_acc *a, enum payload_kind k, int score,
			      const char *why)
{
	if (score > 100)
		score = 100;
	if (score > a->score[k]) {
		a->score[k] = score;
		a->why[k] = why;
	}
}

void payload_sqli_scan(const struct payload_val *v, struct payload_acc *a);
/* payload_sqli_gate.c: for a value whose census holds no byte of
 * PAYLOAD_SQLI_MARKS, and no base64 reading (payload_b64_may 0): 1 when
 * payload_sqli_scan finds nothing (sqli_quiet proves it by the words
 * the census' letters can spell), 0 when it must be asked
 * ('~': payload_sqli_more.c's 1 and ~0+1, sqli_quiet's "~0" door)
 */
#define PAYLOAD_SQLI_MARKS "'\"(`%&|#;=<>!)-@/*~"
int payload_sqli_census_quiet(const uint64_t has[4]);
void payload_xss_scan(const struct payload_val *v, struct payload_acc *a);
void payload_cmdi_scan(const struct payload_val *v, struct payload_acc *a);
void payload_trav_scan(const struct payload_val *v, struct payload_acc *a);
void payload_ssrf_scan(const struct payload_val *v, struct payload_acc *a);
/* payload_ssrf.c: a URL to a host that harms only when the server
 * fetches it (loopback, private) scores at most this, any other SSRF
 * finding more */
#define PAYLOAD_SSRF_LOCAL_MAX 84
/* payload_ssrf.c: is n[0..l) the name of a parameter whose URL only a
 * browser follows (redirect_uri)? Then one, the findings of its value,
 * is merged into a without a loopback or private host (1) */
int payload_ssrf_browser_name(const char *n, size_t l);
/* payload_ssrf.c: can payload_ssrf_scan find anything in v by its
 * digit-led bare host alone (after blanks a digit; 0: it cannot)? */
int payload_ssrf_digit_may(const struct payload_val *v);
void payload_ssrf_browser_merge(struct payload_acc *a, struct payload_acc *one);
/* payload_ldap.c: LDAP filter injection (RFC 4515), XPath injection */
void payload_ldap_scan(const struct payload_val *v, struct payload_acc *a);
void payload_jndi_scan(const struct payload_val *v, struct payload_acc *a);
void payload_ssti_scan(const struct payload_val *v, struct payload_acc *a);
/* payload_data.c: XXE, NoSQL operators, prototype pollution, Shellshock */
void payload_data_scan(const struct payload_val *v, struct payload_acc *a);
/* payload_data_js.c: lo[p..) (after a string break and ';') is a
 * JavaScript statement: return with an expression, a loop, a sleep, a
 * declaration (1) */
int payload_data_js_statement(const char *lo, size_t n, size_t p);
/* payload_data.c: structure a JSON body's strings hide when scanned one by one
 * ({"constructor":{"prototype":...}}) */
void payload_json_shape_scan(const char *body, size_t len, struct payload_acc *a);
/* payload_wrap.c: a JWT's header and claims (its strings by every
 * detector), or a whole value of base64 text, judged by the data and
 * template detectors (log4j, templates, XXE, NoSQL, prototype,
 * Shellshock, SSRF beyond local hosts) */
void payload_wrap_scan(const struct payload_val *v, struct payload_acc *a);
/* payload_wrap.c: can payload_wrap_scan find anything in v, when
 * payload_b64_text(v->s, v->n) is b64? (0: it cannot) */
int payload_wrap_may(const struct payload_val *v, int b64);
/* payload_xml.c: DTDs with external or nested entities, XInclude, XSLT */
void payload_xxe_scan(const struct payload_val *v, struct payload_acc *a);
/* payload_xml_saml.c: XML a value carries as raw DEFLATE in base64 (SAML's
 * redirect binding), judged for XXE when it inflates to markup; values
 * under PAYLOAD_SAML_MIN bytes are not read */
#define PAYLOAD_SAML_MIN 64
void payload_xml_saml_scan(const struct payload_val *v, struct payload_acc *a);
/* payload_xml_hdr.c: XXE in any header holding a markup declaration
 * ("<!", raw or percent-encoded), read as a query value is; kill-line
 * findings only */
void payload_xml_hdr_scan(const char *val, size_t len, struct payload_acc *a);
/* payload_pathenc.c: a ".." step of the raw value decoded from mixed
 * depths, %u00XX or escaped hex digits (1), or written with '\\' in a
 * value that is one path (1) */
int payload_odd_climb(const char *raw, size_t n);
int payload_windows_climb(const char *lo, size_t n);
/* payload_pathenc.c: a Windows device path or admin share on the
 * canonical path c (its reason, or NULL); a data: URL holding PHP (1) */
const char *payload_windows_name(const char *c, size_t n);
int payload_data_php(const char *lo, size_t n);
/* payload_pathenc.c: a configuration, code or log file by its absolute
 * path under a system tree (1); a name with an NTFS stream suffix
 * (::$data, ::$index_allocation) (1) */
int payload_system_file(const char *c, size_t n, int srv_file);
int payload_path_win_tree(const char *c, size_t n);
const char *payload_path_probe(const char *lo, size_t n);
int payload_ntfs_stream(const char *c, size_t n);
/* payload_pathenc.c: an escape at lo[i] read as '.' or '/' (\x2e \u002e \56) */
int payload_path_esc(const char *lo, size_t n, size_t i, int dot, size_t *used);
int payload_path_esc_pair(const char *raw, size_t n);
/* payload_path_glob.c: a PHP or Java stream wrapper named in lo[0..n) (1);
 * the canonical path c[0..n) a glob pattern aimed at a known file (1) */
int payload_path_wrapper_named(const char *lo, size_t n);
int payload_path_glob_target(const char *c, size_t n);
/* payload_path_rfi.c: a remote include's URL or UNC path (its reason, or NULL) */
const char *payload_path_rfi(const char *lo, size_t n, int *strong);
int payload_path_bare_name(const char *name);
int payload_path_abs(const char *c, size_t n);
int payload_path_backup(const char *c, size_t n);
/* payload_path_os.c: macOS, Android and home credential files; Windows
 * device names (a score, or 0); nginx's "/name../"; a Spring classpath
 * location in lo (1); payload_pathenc.c: "%u" in raw */
int payload_path_os_file(const char *c, size_t n);
int payload_path_device(const char *c, size_t n);
int payload_path_alias_climb(const char *c, size_t n);
int payload_path_classpath(const char *lo, size_t n);
int payload_path_percent_u(const char *raw, size_t n);
/* payload_path_kind.c: the last name of c[0..n) has the extension of a
 * server's code, configuration, data or logs; of an asset a page links
 * to; of an asset and nothing a server runs before it (shell.php.jpg) or
 * cut by ';', '?', '#'; lo[0..n) is an http(s) URL with a host */
int payload_path_kind_server(const char *c, size_t n);
int payload_path_kind_asset(const char *c, size_t n);
int payload_path_kind_served(const char *c, size_t n);
int payload_path_kind_web(const char *lo, size_t n);
/* payload_pathenc.c: '.', '/' ('\\' folded) as some decoder reads the
 * bytes at p (overlong, look-alike, "0x2f"), at lo[i] as a lenient
 * "%XY" overlong, or as a split escape "%2%e" (*tail: a hex digit that
 * followed, or -1); 0 when none. *used: the bytes read */
int payload_path_char(const unsigned char *p, size_t avail, size_t *used);
int payload_path_lenient_char(const char *lo, size_t n, size_t i, size_t *used);
int payload_path_split_esc(const char *lo, size_t n, size_t i, size_t *used, int *tail);
/* payload_path_prose.c: the decoded value lo[0..n) is a sentence around
 * file names (documentation, an error message), no file's name (1) */
int payload_path_prose(const char *lo, size_t n);
/* payload_path_prose.c: lo is such a sentence led by a classic target
 * (/etc/passwd, win.ini): told */
int payload_path_prose_led(const char *lo, size_t n);
/* payload_path_hdr.c: traversal in any header, read as a query value is
 * when it holds a climb's or a path's mark; kill-line findings only */
void payload_path_hdr_scan(const char *val, size_t len, struct payload_acc *a);
/* ... a file's name first, then words: a search about it (".htaccess
 * redirect"); no separator anywhere */
int payload_path_name_words(const char *lo, size_t n);
/* ... starts with a word and a blank (a directive, a command line) */
int payload_path_lead_word(const char *lo, size_t n);
/* payload_path_prose.c: lo starts with a command setting a file's mode,
 * owner or key use (chmod 600 ~/.ssh/id_rsa), no shell syntax after it */
int payload_path_perm_cmd(const char *lo, size_t n);
/* payload_path_prose.c: lo is one statement importing a module by a
 * relative specifier (require('../../../lib/utils')) */
int payload_path_module_spec(const char *lo, size_t n);
/* payload_path_glob.c: lo is a local Java archive's directory URL
 * (jar:file:/app.jar!/BOOT-INF/classes!/) */
int payload_path_jar_dir(const char *lo, size_t n);
/* ... is a sentence whose subject is a wrapper's URL */
int payload_path_wrapper_told(const char *lo, size_t n);
/* payload_pathenc.c: an absolute path c[0..n) whose first step climbs (1) */
int payload_root_climb(const char *c, size_t n);
/* payload_pathenc.c: an http(s) URL with a host begins at a component of
 * the canonical path t[0..at) and reaches t[at] (1) */
int payload_web_url_before(const char *t, size_t at);
/* payload_shellw.c: the body of $'...' from p decoded into out (*ol
 * bytes), returning the closing quote's index or 0; the value a shell
 * assignment "name=" at a command position of s[0..lim) gives (its
 * offset, *vl its length), or 0 */
size_t payload_shell_ansi_c(const char *s, size_t n, size_t p, char *out, size_t *ol);
#define PAYLOAD_SHELL_ASSIGNS 64
struct payload_shell_assigns {
	uint32_t n, full;
	struct {
		uint32_t name, nl, end; /* the name's offset and length, the value's end */
	} a[PAYLOAD_SHELL_ASSIGNS];
};
void payload_shell_assigns_build(const char *s, size_t n, struct payload_shell_assigns *t);
size_t payload_shell_var_value(const char *s, size_t lim, const struct payload_shell_assigns *t, const char *name,
			       size_t l, size_t *vl);
/* payload.c, for body splitters in other files: judge one value into a, and
 * write a's findings out as payload_scan does */
void payload_scan_value(const char *val, size_t len, unsigned where, unsigned nflags,
		   struct payload_acc *a);
/* payload.c: payload_scan_value(val, len, PAYLOAD_WHERE_BODY, NORM_PERCENT |
 * NORM_HTML | NORM_UNICODE, a), for payload_json.c's strings */
void payload_scan_json_string(const char *val, size_t len, struct payload_acc *a);
/* payload_json.c: the strings of dec[0..n) when it is JSON ({"id":"1 OR
 * 1=1"} in a query parameter), each judged as a JSON body's value, one
 * level deep */
void payload_json_embedded_scan(const char *dec, size_t n, struct payload_acc *a);
/* payload_seg.c: the values of a request path p[0..len) (its segments,
 * matrix parameters, payloads spanning segments) judged into a; the only
 * place SQL and command injection are looked for in a path. */
void payload_scan_segments(const char *p, size_t len, struct payload_acc *a);
int payload_acc_out(const struct payload_acc *a, struct payload_match *out, int max);

/* payload_census.c: copy src[0..n) into dec (dec may be src) and lo
 * (ASCII lower-cased), NUL after each, fill has[] with the bytes of lo
 * and return the OR of payload_gate_of over them; payload_census_gates
 * gives the same OR for a census already made. payload_gate_of[c]: the
 * gates and decoding bytes byte c opens (payload.c fills it). */
extern unsigned payload_gate_of[256];
unsigned payload_census(const char *src, char *dec, char *lo, size_t n, uint64_t has[4]);
unsigned payload_census_gates(const uint64_t has[4]);
/* payload_census.c: payload_census into lo alone (lo may not be src),
 * writing nothing past lo[n - 1] */
unsigned payload_census_lo(const char *src, char *lo, size_t n, uint64_t has[4]);
/* payload_census.c: s[0..n) with full-width and overlong forms folded to
 * ASCII into out (room for n + 1); its length, or 0 when nothing folds */
size_t payload_fold_compat(const char *s, size_t n, char *out);
/* payload.c: which of payload_jndi_scan, payload_ssti_scan,
 * payload_data_scan and payload_ssrf_scan can find anything in v (its
 * census opening gates): bits 1u << PAYLOAD_JNDI, PAYLOAD_SSTI,
 * PAYLOAD_XXE (payload_data_scan), PAYLOAD_SSRF; run_detectors' tests */
unsigned payload_data_may(const struct payload_val *v, unsigned gates);

/* helpers shared by the detector files; inline, since they run at every
 * byte with many words: a literal w has its length folded at compile time */
#include <string.h>

/* bit 1: ASCII letter, 2: letter, digit or '_', 4: whitespace */
extern const unsigned char payload_ctype[256];

static inline int payload_is_alpha(int c)
{
	return (payload_ctype[(unsigned char)c] & 1) && c == (unsigned char)c;
}

static inline int payload_is_alnum(int c)
{
	return (payload_ctype[(unsigned char)c] & 2) && c == (unsigned char)c;
}

static inline int payload_is_space(int c)
{
	return (payload_ctype[(unsigned char)c] & 4) && c == (unsigned char)c;
}

/* does lo[i..) start with the lower-case literal w? */
static inline int payload_at(const char *lo, size_t n, size_t i, const char *w)
{
	size_t l;

	/* the first byte decides most calls */
	if (i >= n || lo[i] != w[0])
		return w[0] == '\0' && i <= n;
	l = strlen(w);
	return n - i >= l && memcmp(lo + i, w, l) == 0;
}

/* same, and not preceded/followed by an identifier character */
static inline int payload_word_at(const char *lo, size_t n, size_t i, const char *w)
{
	size_t l;

	if (!payload_at(lo, n, i, w))
		return 0;
	if (i > 0 && payload_is_alnum((unsigned char)lo[i - 1]))
		return 0;
	l = strlen(w);
	return !(i + l < n && payload_is_alnum((unsigned char)lo[i + l]));
}

/* first index >= from where w (l bytes) occurs, or n */
size_t payload_find_len(const char *lo, size_t n, size_t from, const char *w, size_t l);
/* payload_census.c: does s[0..n) hold w[0..l) or x[0..xl)? (one pass
 * when both share their first byte) */
int payload_find_either(const char *s, size_t n, const char *w, size_t l, const char *x, size_t xl);

/* first index >= from where w occurs, or n; inline so that a literal's
 * length is folded at compile time (strlen was 6% of the detectors) */
static inline size_t payload_find(const char *lo, size_t n, size_t from, const char *w)
{
	return payload_find_len(lo, n, from, w, strlen(w));
}

#endif /* SW_DP_INT_H */
