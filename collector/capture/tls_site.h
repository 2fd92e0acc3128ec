/* tls_site.h - cheaper uprobe sites for OpenSSL's SSL_read/SSL_write.
 *
 * A uprobe replaces the probed instruction with int3; after the handler
 * the kernel must execute the original instruction. x86 emulates a few
 * kinds (push, nop, call, jmp, jcc); every other instruction is
 * single-stepped out of line, which costs a second trap (#DB). Inside a
 * virtual machine that trap is an exit to the hypervisor: measured here
 * 9.5 µs per hit, against 0.8 µs when the instruction is emulated.
 *
 * OpenSSL's SSL_read and SSL_read_ex both start with `sub $N,%rsp`
 * (single-stepped) and both call one internal function, ssl_read_internal
 * (s, buf, num, &processed), which starts with `push` (emulated); likewise
 * SSL_write/SSL_write_ex and ssl_write_internal. Probing the internal
 * function once sees both public calls, with the _ex calling convention,
 * at a tenth of the cost. This module finds those internal functions from
 * the library's own machine code and says so only when every condition
 * holds; otherwise the caller probes the exported functions as before.
 */
#ifndef SIDEWATCH_USITE_H
#define SIDEWATCH_USITE_H

#include <stddef.h>
#include <stdint.h>

/* File offsets (for bpf_program__attach_uprobe_opts) of the internal read
 * and write functions; 0 when not found. */
struct tls_site_ssl {
	uint64_t read_off;
	uint64_t write_off;
};

/* Examine the OpenSSL library (or executable) at path. Returns 0 with both
 * offsets set, -ENOENT when the shape is not the one described above (not
 * an error: probe the exported functions), another negative errno when the
 * file cannot be read. x86-64 only; -ENOTSUP elsewhere. */
int tls_site_ssl_find(const char *path, struct tls_site_ssl *out);

/* The pieces, on machine code (exported for tests). code is the function's
 * first n bytes, addr its virtual address. */

/* 4 when code starts with endbr64 (CET builds), else 0. */
size_t tls_site_endbr(const uint8_t *code, size_t n);

/* A thin wrapper: [endbr64] `sub $imm8,%rsp` then `call rel32` with nothing between,
 * so the argument registers reach the callee untouched. Returns 0 and the
 * callee's address, or -ENOENT. */
int tls_site_wrapper_callee(const uint8_t *code, size_t n, uint64_t addr,
			 uint64_t *callee);

/* Does the function call target directly (`call rel32`) within its first
 * n bytes? 1 or 0. */
int tls_site_calls(const uint8_t *code, size_t n, uint64_t addr, uint64_t target);

/* Is the first instruction one x86 uprobes emulate (push reg, nop)? */
int tls_site_emulated(const uint8_t *code, size_t n);

#endif
