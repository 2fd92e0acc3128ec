/* h2_int.h - what the two halves of the HTTP/2 decoder share: h2.c
 * (connection, frame reader, SETTINGS, public API) and h2_stream.c
 * (stream table, HPACK and header blocks, stream events). h2.c calls
 * h2_stream.c, never the reverse; both count anomalies through h2_anom.c,
 * which calls neither. Private: no other module includes it.
 */
#ifndef SW_H2_INT_H
#define SW_H2_INT_H

#include <stdint.h>

#include <nghttp2/nghttp2.h>

#include "collector/decode/grpc.h"
#include "collector/decode/h2.h"
#include "collector/decode/h2_frame.h"

#define H2_CTL_CAP 512		     /* control payload kept (85 SETTINGS) */
#define H2_CLOSED_RING 64	     /* recently finished stream ids */
#define H2_WIN_OVERLAP 256	     /* body windows of a stream overlap by this */
#define H2_URI_OVERLAP 1024	     /* URI windows of a long :path overlap by this */
#ifndef H2_SCAN_BODY_MAX
#define H2_SCAN_BODY_MAX (1024u * 1024) /* request body bytes past the kept prefix
					  judged per stream (as HTTP/1's) */
#endif

enum rd_state { RD_PREFACE, RD_HEAD, RD_PAYLOAD, RD_DEAD };
enum hd_state { HD_OK, HD_FRESH, HD_BROKEN };
enum first_check { FIRST_NONE, FIRST_SETTINGS, FIRST_PLAUSIBLE };

struct h2_stream {
	uint32_t id;
	uint8_t req_hdrs, resp_hdrs; /* request / final response block seen */
	uint8_t req_end, resp_end;   /* END_STREAM seen */
	uint8_t resp_seen;	     /* any server frame on the stream */
	uint8_t grpc;
	uint64_t last_ns;
	uint32_t body_judged;    /* ev.body bytes already judged */
	uint8_t judged_trunc;    /* the last prefix window had SESS_TRUNC_BODY */
	uint8_t win_unjudged;    /* H2_ANOM_BODY_UNJUDGED counted */
	uint32_t win_judged;     /* body bytes past the prefix put in windows */
	uint8_t win_raw;         /* gRPC: the first window starts from raw DATA (win_tail) */
	uint32_t win_tail_len;   /* the last window's last bytes: the next one's start */
	uint8_t win_tail[H2_WIN_OVERLAP];
	struct grpc_msgp msg[2]; /* per direction */
	char grpc_message[SESS_MAX_NAME];
	struct sess_event ev;
};

struct h2_dir {
	uint8_t st, hd_state, first;
	uint8_t hdr[H2_FRAME_HDR], hdr_len;
	uint8_t preface_got;
	uint64_t ts;  /* of the chunk being fed */
	/* frame in progress */
	uint8_t ftype, fflags, fskip;
	uint32_t fsid, flen, fleft;
	uint64_t fts; /* when its header began */
	uint8_t pre[10], pre_need, pre_len; /* pad length, priority, promised id */
	uint32_t body_left; /* payload after the prefix; what follows is padding */
	uint8_t ctl[H2_CTL_CAP];
	uint32_t ctl_len;
	/* header block in progress (HEADERS/PUSH_PROMISE + CONTINUATION) */
	uint8_t blk_open, blk_skip, blk_end_stream, blk_trailer, blk_discard;
	uint8_t blk_over_list, blk_flood;
	uint32_t blk_sid, blk_bytes, blk_conts, blk_list;
	uint8_t hd_between; /* the inflater just emitted a field of the block:
			       the next byte starts a representation */
	nghttp2_hd_inflater *hd;
	nghttp2_mem hd_mem;  /* hd's allocator: counts into hd_bytes */
	size_t hd_bytes;     /* heap the inflater holds now (h2_conn_mem) */
	size_t grpc_bytes;   /* compressed gRPC messages collected (grpc.h) */
	uint32_t hd_max;     /* SETTINGS_HEADER_TABLE_SIZE of the decoding peer */
	uint32_t max_frame;  /* SETTINGS_MAX_FRAME_SIZE of the receiving peer */
	uint8_t max_frame_known; /* the receiving peer's SETTINGS was seen */
	struct h2_rate settings_rate, ping_rate, rst_rate;
};

struct h2_conn {
	const struct sess_conn *conn;
	struct sess_sink sink;
	uint8_t loose; /* start unknown (mid-stream or after a gap) */
	struct h2_dir d[2];
	struct h2_stream *st[H2_MAX_STREAMS];
	unsigned nst;
	uint32_t max_client_sid;
	uint32_t server_max_streams;
	uint32_t closed[H2_CLOSED_RING];
	unsigned closed_pos;
	uint64_t anoms[H2_ANOM__COUNT];
	uint32_t pend[H2_ANOM__COUNT]; /* connection-level, not yet in an event */
	/* the window of request body past the kept prefix being filled (one
	 * per connection, as HTTP/1's): of stream win_sid (0: none), holding
	 * win_new bytes not judged yet */
	struct sess_event *win;
	uint32_t win_sid, win_new;
};

/* h2_anom.c, used by both halves: count anomaly k on c and in the event
 * of stream s; without a stream it waits for the next event emitted on c. */
void h2_anom_add(struct h2_conn *c, struct h2_stream *s, enum h2_anom k);

#endif /* SW_H2_INT_H */
