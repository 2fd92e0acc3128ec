/* verdict_json.c - a verdict's fields as JSON (see verdict_json.h). */
#include "collector/verdict_json.h"
#include "common/json.h"

void verdict_json_put(struct json_buf *jb, const struct verdict *v)
{
	json_kv_str(jb, "rule", v->rule);
	json_kv_str(jb, "severity", verdict_severity_names[v->severity <= SEV_CRITICAL ? v->severity : 0]);
	json_kv_str(jb, "action", verdict_action_names[v->action <= VERDICT_BLOCK ? v->action : 0]);
	if (v->wanted != v->action)
		json_kv_str(jb, "wanted", verdict_action_names[v->wanted <= VERDICT_BLOCK ? v->wanted : 0]);
	if (v->action == VERDICT_BLOCK)
		json_kv_u64(jb, "block_ttl_s", v->block_ttl_ns / 1000000000ull);
	json_kv_str(jb, "reason", v->reason);
	json_kv_str(jb, "client", v->client_key);
}
