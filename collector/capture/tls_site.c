/* tls_site.c - find OpenSSL's internal read/write functions (see tls_site.h). */
#include "collector/capture/tls_site.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <unistd.h>

#define SCAN_BYTES 96 /* how far into SSL_read/SSL_write the call is sought */

size_t tls_site_endbr(const uint8_t *code, size_t n)
{
	return n >= 4 && code[0] == 0xf3 && code[1] == 0x0f && code[2] == 0x1e &&
	       code[3] == 0xfa ? 4 : 0;
}

int tls_site_wrapper_callee(const uint8_t *code, size_t n, uint64_t addr,
			 uint64_t *callee)
{
	size_t o = tls_site_endbr(code, n);
	int32_t rel;

	/* [endbr64] 48 83 ec ib: sub $ib,%rsp; e8 cd: call rel32 */
	if (n < o + 9 || code[o] != 0x48 || code[o + 1] != 0x83 ||
	    code[o + 2] != 0xec || code[o + 4] != 0xe8)
		return -ENOENT;
	memcpy(&rel, code + o + 5, sizeof(rel));
	*callee = addr + o + 9 + (uint64_t)(int64_t)rel;
	return 0;
}

int tls_site_calls(const uint8_t *code, size_t n, uint64_t addr, uint64_t target)
{
	int32_t rel;

	for (size_t i = 0; i + 5 <= n; i++) {
		if (code[i] != 0xe8)
			continue;
		memcpy(&rel, code + i + 1, sizeof(rel));
		if (addr + i + 5 + (uint64_t)(int64_t)rel == target)
			return 1;
	}
	return 0;
}

int tls_site_emulated(const uint8_t *code, size_t n)
{
	if (n >= 1 && code[0] >= 0x50 && code[0] <= 0x57)
		return 1; /* push %rax..%rdi */
	if (n >= 2 && code[0] == 0x41 && code[1] >= 0x50 && code[1] <= 0x57)
		return 1; /* push %r8..%r15 */
	if (n >= 1 && code[0] == 0x90)
		return 1; /* nop */
	return 0;
}

/* ---- the ELF side ---------------------------------------------------------- */

enum { F_READ, F_READ_EX, F_WRITE, F_WRITE_EX, F__N };
static const char *const names[F__N] = { "SSL_read", "SSL_read_ex",
					 "SSL_write", "SSL_write_ex" };

static void find_syms(Elf *e, uint64_t addr[F__N])
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t cnt;

		if (!gelf_getshdr(scn, &sh) || !sh.sh_entsize ||
		    (sh.sh_type != SHT_DYNSYM && sh.sh_type != SHT_SYMTAB))
			continue;
		d = elf_getdata(scn, NULL);
		if (!d)
			continue;
		cnt = sh.sh_size / sh.sh_entsize;
		for (size_t i = 0; i < cnt; i++) {
			GElf_Sym s;
			const char *sn;

			if (!gelf_getsym(d, (int)i, &s) || s.st_shndx == SHN_UNDEF ||
			    GELF_ST_TYPE(s.st_info) != STT_FUNC || !s.st_value)
				continue;
			sn = elf_strptr(e, sh.sh_link, s.st_name);
			for (int f = 0; sn && f < F__N; f++)
				if (!addr[f] && !strcmp(sn, names[f]))
					addr[f] = s.st_value;
		}
	}
}

/* Virtual address -> file offset through the executable PT_LOAD segments. */
static int vaddr_off(Elf *e, uint64_t va, uint64_t *off)
{
	size_t n;

	if (elf_getphdrnum(e, &n))
		return -ENOENT;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD ||
		    !(ph.p_flags & PF_X))
			continue;
		if (va >= ph.p_vaddr && va < ph.p_vaddr + ph.p_filesz) {
			*off = va - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	return -ENOENT;
}

static int code_at(int fd, Elf *e, uint64_t va, uint8_t *buf, size_t n,
		   uint64_t *off)
{
	ssize_t got;

	if (vaddr_off(e, va, off))
		return -ENOENT;
	got = pread(fd, buf, n, (off_t)*off);
	return got == (ssize_t)n ? 0 : -ENOENT;
}

/* The internal function behind wrapper ex_va, provided plain_va calls it
 * too and its first instruction is emulated. */
static int internal(int fd, Elf *e, uint64_t plain_va, uint64_t ex_va,
		    uint64_t *off)
{
	uint8_t code[SCAN_BYTES];
	uint64_t callee, o;
	size_t skip;

	if (!plain_va || !ex_va ||
	    code_at(fd, e, ex_va, code, 16, &o) ||
	    tls_site_wrapper_callee(code, 16, ex_va, &callee) ||
	    code_at(fd, e, plain_va, code, SCAN_BYTES, &o) ||
	    !tls_site_calls(code, SCAN_BYTES, plain_va, callee) ||
	    code_at(fd, e, callee, code, 8, off))
		return -ENOENT;
	/* CET builds start every function with endbr64 (not emulated): probe
	 * the instruction after it; the stack is untouched there, so the
	 * return probe still finds the return address on top. */
	skip = tls_site_endbr(code, 8);
	if (!tls_site_emulated(code + skip, 8 - skip))
		return -ENOENT;
	*off += skip;
	return 0;
}

int tls_site_ssl_find(const char *path, struct tls_site_ssl *out)
{
	uint64_t addr[F__N] = { 0 };
	GElf_Ehdr eh;
	Elf *e = NULL;
	int fd, rc = -ENOENT;

	memset(out, 0, sizeof(*out));
#ifndef __x86_64__
	(void)path;
	(void)addr;
	(void)eh;
	(void)e;
	(void)fd;
	(void)rc;
	return -ENOTSUP;
#else
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		close(fd);
		return -ENOTSUP;
	}
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh) ||
	    eh.e_machine != EM_X86_64)
		goto out;
	find_syms(e, addr);
	if (internal(fd, e, addr[F_READ], addr[F_READ_EX], &out->read_off) ||
	    internal(fd, e, addr[F_WRITE], addr[F_WRITE_EX], &out->write_off)) {
		memset(out, 0, sizeof(*out));
		goto out;
	}
	rc = 0;
out:
	if (e)
		elf_end(e);
	close(fd);
	return rc;
#endif
}
