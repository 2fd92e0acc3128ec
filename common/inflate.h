/* inflate.h - a bounded decoder for DEFLATE (RFC 1951) with its zlib
 * (RFC 1950) and gzip (RFC 1952, several members) wrappers, or raw.
 *
 * In: compressed bytes (often a prefix of a body: the rest never came or
 * was not kept), an output buffer and a ratio cap.
 * Out: the plain bytes that fit the buffer, how much input they took and
 * one status saying why decoding stopped. Nothing is allocated; the
 * output buffer is the history window, so back-references reach only
 * what this call produced; time is linear in input plus output.
 *
 * Every run's final status is counted (inflate_counts): a malformed
 * stream has a status of its own, so the counters say which kind came.
 */
#ifndef SW_INFLATE_H
#define SW_INFLATE_H

#include <stddef.h>
#include <stdint.h>

/* The ratio cap looks at output past this many bytes only: a short
 * run of one repeated byte is not a bomb. */
#ifndef INFLATE_RATIO_FLOOR
#define INFLATE_RATIO_FLOOR 1024
#endif

/* Blocks allowed per run: out_len / 8 plus this many. An empty block is
 * 10 bits and costs a block header to read; thousands of them are a CPU
 * sink with no output (real encoders end a block after kilobytes, or at
 * a flush). */
#ifndef INFLATE_BLOCK_SLACK
#define INFLATE_BLOCK_SLACK 64
#endif

enum inflate_wrap {
	INFLATE_RAW = 0,   /* bare RFC 1951 blocks */
	INFLATE_ZLIB = 1,  /* RFC 1950 header and Adler-32 */
	INFLATE_GZIP = 2,  /* RFC 1952 members, one after another */
	INFLATE_DEFLATE = 3, /* HTTP "deflate": zlib, or raw when it is no
			      * zlib stream (senders do both; both runs
			      * are counted) */
};

enum inflate_status {
	INFLATE_OK = 0,          /* the stream ended, checks passed, no input left */
	INFLATE_TRUNCATED,       /* the input ended first: out holds the prefix's bytes */
	INFLATE_OUT_FULL,        /* the output buffer filled first */
	INFLATE_TRAILING,        /* the stream ended with bytes after it (ignored) */
	INFLATE_RATIO,           /* output over ratio x input: a bomb */
	INFLATE_BLOCKS,          /* more blocks than out_len / 8 + INFLATE_BLOCK_SLACK: a bomb */
	INFLATE_BAD_GZIP_HEADER, /* magic, method or reserved flags (with
				  * reserved flags the member is still decoded,
				  * as Python's gzip does; so with a bad FHCRC) */
	INFLATE_BAD_ZLIB_HEADER, /* method, window or header check */
	INFLATE_ZLIB_DICT,       /* needs a preset dictionary we do not have */
	INFLATE_BAD_BLOCK_TYPE,  /* block type 3 */
	INFLATE_BAD_STORED_LEN,  /* LEN and NLEN disagree */
	INFLATE_BAD_COUNTS,      /* HLIT over 286 or HDIST over 30 */
	INFLATE_BAD_CODES,       /* code lengths over-subscribed or incomplete */
	INFLATE_BAD_REPEAT,      /* a length repeat with nothing before or past the end */
	INFLATE_NO_END_CODE,     /* dynamic block without an end-of-block code */
	INFLATE_BAD_SYMBOL,      /* a code not in the table, or symbol 286/287, 30/31 */
	INFLATE_BAD_DISTANCE,    /* a back-reference before the member's start */
	INFLATE_BAD_CHECKSUM,    /* CRC-32 (data or gzip FHCRC) or Adler-32 differs */
	INFLATE_BAD_SIZE,        /* gzip ISIZE differs */
	INFLATE__COUNT
};

struct inflate_result {
	enum inflate_status status;
	size_t out_len;  /* plain bytes written to out */
	size_t in_used;  /* input bytes consumed */
	uint32_t members; /* gzip members (or zlib streams) that ended */
};

/* Decode in[0..in_len) into out[0..out_cap). ratio_max 0: no cap; else
 * stop with INFLATE_RATIO once out_len passes INFLATE_RATIO_FLOOR and
 * exceeds ratio_max times the input consumed. Returns the status (also in
 * r->status). */
enum inflate_status inflate_run(enum inflate_wrap wrap, const uint8_t *in,
				size_t in_len, uint8_t *out, size_t out_cap,
				unsigned ratio_max, struct inflate_result *r);

/* inflate_run(INFLATE_RAW, ...) left out of inflate_counts: a detector
 * asking whether a value is deflated (most are not) would fill the
 * counters of what bodies and messages came with its guesses. */
enum inflate_status inflate_probe(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
				  unsigned ratio_max, struct inflate_result *r);

/* Raw DEFLATE that continues a stream (RFC 7692 permessage-deflate with
 * context takeover): buf[0..hist_len) holds the stream's earlier output,
 * the LZ77 window (the caller keeps at most the agreed window, 32 KiB at
 * most), which back-references may reach. New bytes go to buf + hist_len,
 * at most buf_cap - hist_len; r->out_len counts only them, and the ratio
 * and block caps look at them only. A message ended by a sync flush
 * (00 00 ff ff) stops INFLATE_TRUNCATED with all its input used. */
enum inflate_status inflate_run_hist(const uint8_t *in, size_t in_len, uint8_t *buf,
				     size_t hist_len, size_t buf_cap, unsigned ratio_max,
				     struct inflate_result *r);

/* 1 when p[0..n) opens with a valid zlib header (RFC 1950: method 8,
 * window up to 32 KiB, check bits); raw deflate can pass too. */
int inflate_zlib_header(const uint8_t *p, size_t n);

/* 1 when the status means the input is not a valid stream (not merely
 * cut short, bounded or followed by other bytes). */
int inflate_malformed(enum inflate_status st);

const char *inflate_status_name(enum inflate_status st);

/* Runs so far by final status (every thread's). */
void inflate_counts(uint64_t out[INFLATE__COUNT]);

#endif /* SW_INFLATE_H */
