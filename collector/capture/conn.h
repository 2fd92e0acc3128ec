/* conn.h - connection table: turns capture records into decoder input.
 *
 * Each connection the kernel reports gets an entry keyed by socket cookie,
 * holding its identity (struct sess_conn), per-direction stream offsets and
 * the decoder currently in charge (HTTP/1.1, then WebSocket or HTTP/2 after
 * an upgrade). Records arrive in ring buffer order; a jump in the stream
 * offset is a gap, an overlap is dropped. The table is bounded: the least
 * recently active connection is evicted (and its decoder flushed) when full,
 * and idle ones are swept.
 *
 * Memory: every connection is charged the heap its decoder holds (an O(1)
 * figure each decoder keeps), and the table's total is held under
 * mem_budget. Past it, the table sheds down to 7/8 of the budget: first
 * what costs nothing (spare records), then the oldest connections holding
 * unfinished requests or streams of the clients holding the most, then the
 * oldest idle connections, then the oldest unfinished ones of anyone (a
 * dropped connection's decoder emits what it holds, so it is judged,
 * flagged partial; conn_shed.c). Each time,
 * the clients holding the most (at least 1/16 of the budget each, up to
 * CONN_HOG_MAX) get a session event carrying the anomaly "conn.mem_hog".
 */
#ifndef SW_CONN_H
#define SW_CONN_H

#include <stdint.h>
#include "bpf/abi.h"
#include "collector/decode/sess.h"

struct conn_config {
	uint32_t max_conns;         /* default 65536 */
	uint64_t idle_timeout_ns;   /* default 300 s */
	uint64_t ws_summary_ns;     /* WebSocket periodic summary; default 30 s */
	uint32_t ws_inflate_windows;        /* ws_config's: default 256, 0: no cap */
	uint32_t ws_inflate_windows_client; /* default 8, 0: no limit */
	uint64_t mem_budget;        /* decoder state bytes; default 256 MiB, 0: none */
};

#define CONN_HOG_MAX 4 /* clients named by one shedding */

enum conn_counter {
	CONN_CNT_OPENED = 0,  /* entries created */
	CONN_CNT_CLOSED,      /* closed by the kernel's TCP_CLOSE */
	CONN_CNT_EVICTED,     /* dropped because the table was full */
	CONN_CNT_IDLE,        /* swept after the idle timeout */
	CONN_CNT_GAPS,        /* stream offset jumps (bytes lost in transit) */
	CONN_CNT_GAP_BYTES,
	CONN_CNT_OVERLAP,     /* records overlapping what was already fed */
	CONN_CNT_EVENTS,      /* session events emitted */
	CONN_CNT_UPGRADES,
	CONN_CNT_UNCLASSIFIED, /* kernel gave up a connection to an HTTP port */
	CONN_CNT_MEM_PRESSURE, /* times the memory budget was exceeded */
	CONN_CNT_SHED_BUSY,   /* connections dropped holding unfinished state */
	CONN_CNT_SHED_IDLE,   /* connections dropped holding nothing unfinished */
	CONN_CNT_SHED_BYTES,  /* bytes those connections held */
	CONN_CNT_TRIMMED,     /* spare buffers given back under pressure */
	CONN_CNT_MEM_HOGS,    /* conn.mem_hog events emitted */
	CONN_CNT_SHED_RESUMED, /* shed with state, then sent again */
	CONN_CNT_HOLD_FULL,   /* clients not summed: the table was full */
	CONN_CNT_PP,          /* PROXY protocol headers read past */
	CONN_CNT_PP_BAD,      /* malformed ones (the bytes decoded as HTTP) */
	CONN_CNT_PP_TLS,      /* ... followed by TLS: not decoded here */
	CONN_CNT_SKIPS,       /* response ranges the kernel was asked to skip */
	CONN_CNT_SKIP_BYTES,  /* response bytes it skipped (not gaps: asked for) */
	CONN_CNT_SKIP_FAIL,   /* asks the kernel refused (the bytes come copied) */
	CONN_CNT__MAX,
};
extern const char *const conn_counter_names[CONN_CNT__MAX];

struct conn_table;

void conn_config_default(struct conn_config *cfg);
struct conn_table *conn_table_new(const struct conn_config *cfg,
				  const struct sess_sink *sink);
/* Flushes every open connection's decoder (their events are emitted). */
void conn_table_free(struct conn_table *t);
/* Each HTTP/1.1 connection whose current request head is unfinished (or
 * whose HTTP/2 preface is still arriving), with the kernel time it began
 * (slowloris input). */
typedef void (*conn_pending_cb)(void *ctx, const struct sess_conn *id,
				uint64_t since_ns);
void conn_foreach_pending(struct conn_table *t, conn_pending_cb cb, void *ctx);
/* End every connection now: decoders emit what they hold. */
void conn_flush(struct conn_table *t);
/* SW_EV_UNCLASSIFIED (a connection to an HTTP port the kernel gave up, or
 * took for HTTP/1 after only empty lines) becomes one session event of its
 * own carrying the anomaly conn_unclassified_anom() names. */
void conn_on_record(struct conn_table *t, const struct sw_event *ev,
		    const uint8_t *data);
/* "conn.garbage", "conn.crlf_flood", "conn.h2_no_headers" for an enum
 * sw_why; NULL for the others. */
const char *conn_unclassified_anom(unsigned why);

/* Copy only what the decoders need. Once an HTTP/1.1 response's head and
 * the body prefix the events keep (SESS_MAX_RESP_BODY) have been decoded,
 * the rest of a body whose end the framing already fixes (Content-Length,
 * the current chunk, a body that runs to close) is worth nothing to us: the
 * table asks the kernel to count those stream bytes, not copy them, by
 * naming the range through a conn_skip_fn (capture.c writes it to sw_skip).
 * The bytes skipped reach the decoder as a skip - framing, sizes and the
 * next message stay exact - and are counted (CONN_CNT_SKIP_BYTES), never
 * taken for a loss. A response that lies about its length is framed as
 * the client's own parser frames it, skip or no skip. Only plain (not TLS)
 * server sockets; ranges under CONN_SKIP_MIN bytes are not worth a
 * syscall. del: forget the connection's range (it closed). Returns 0 or
 * -errno. */
#define CONN_SKIP_MIN (16 * 1024)
typedef int (*conn_skip_fn)(void *ctx, uint64_t cookie, uint64_t from,
			    uint64_t to, int del);
/* The table's own skipper (tests); NULL: the process default. */
void conn_set_skip(struct conn_table *t, conn_skip_fn fn, void *ctx);
/* The process default, set by capture_open: tables without their own use
 * it. conn_skip_default_drop(ctx) unsets it if ctx is the one set. */
void conn_skip_default(conn_skip_fn fn, void *ctx);
void conn_skip_default_drop(void *ctx);
/* Evict connections idle since before now_ns - idle timeout; run periodic
 * decoder work (WebSocket summaries). */
void conn_sweep(struct conn_table *t, uint64_t now_ns);
void conn_counters(const struct conn_table *t, uint64_t out[CONN_CNT__MAX]);
uint32_t conn_count(const struct conn_table *t);
/* Bytes charged to connections now, and the most ever charged. */
uint64_t conn_mem(const struct conn_table *t);
uint64_t conn_mem_peak(const struct conn_table *t);

#endif
