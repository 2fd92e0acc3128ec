/* verdict_int.h - internal interface between the verdict engine's
 * payload, protocol and entry points (verdict.c) and its behaviour rules
 * (verdict_behav.c). Not for other modules. */
#ifndef SW_DETECT_VERDICT_INT_H
#define SW_DETECT_VERDICT_INT_H

#include "collector/detect/verdict.h"
#include "collector/detect/ident.h"
#include "collector/detect/tmpl.h"
#include "collector/detect/window.h"

#include <stdint.h>

#define BOLA_SLOTS 4      /* endpoint templates watched per client at once */
#define N_PROTO (RULE_PROTO_LAST - RULE_PROTO_FIRST + 1)

/* windowed anomaly sums of the protocol rules; allocated on first use
 * because almost no client ever has one */
struct proto_counts {
	struct win_count c[N_PROTO];
};

struct bola_slot {
	uint64_t tmpl;
	uint64_t last;
	struct win_set ids;
};

struct client {
	struct win_count rate;
	struct win_count auth_fail;
	struct win_count grpc_unimpl;
	struct win_count grpc_refl;
	struct win_set users;     /* user names tried in failed logins */
	struct win_set notfound;  /* paths answered 404 */
	struct bola_slot bola[BOLA_SLOTS];
	struct proto_counts *proto;
	uint64_t fired[RULE__COUNT]; /* last verdict time per rule, for cooldowns */
	struct verdict_stats *st;    /* the engine's, so an eviction can give back set_bytes */
};

struct baseline {
	uint64_t n;
	double mean, var;
	uint64_t fired;
};

struct verdict_engine {
	const struct rules *rs;
	struct win_table *clients;
	struct win_table *baselines;
	struct win_table *marks;
	/* struct strikes by client address (ip_hash), made only by payload
	 * verdicts: apart from clients, which identities a client makes up
	 * (an API key per request) can fill, evicting a real attacker's
	 * strikes with everything else */
	struct win_table *strikes;
	struct tmpl *tmpl;
	struct verdict_stats st;
	/* the last client address and its "ip:..." key: every request is
	 * judged twice (request, then session) and clients send many */
	int last_ok;
	uint8_t last_family;
	uint8_t last_addr[16];
	char last_key[80];
	/* the template of the event verdict_judge judged last (verdict_template) */
	struct tmpl_result last_tmpl;
	int last_tmpl_ok;
};

/* Everything one judgement needs to write verdicts. */
struct judge {
	struct verdict_engine *v;
	const struct sess_conn *conn;
	uint64_t now;
	struct verdict *out;
	int max, n;
	char ip_key[80];
	struct ident id;          /* identity of the event, kind NONE if none */
	int allowed;
	/* what the body reader could not judge (reqbody.h): one anomaly
	 * more for the protocol rules, with its sentence */
	const char *body_anom;
	char body_why[112];
};

void verdict_emit(struct judge *j, enum rule_id id, const char *client_key,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
struct client *verdict_client_get(struct judge *j, uint64_t key);
uint64_t verdict_ip_hash(const struct verdict_engine *v, const struct sess_conn *c);

/* the behaviour rules of one event: rate, logins, scanning, BOLA, gRPC,
 * exfiltration, for the client ipc (NULL if none) and the identity */
void verdict_behav_judge(struct judge *j, const struct sess_event *ev, struct client *ipc);

#endif
