/* spool.c - bounded on-disk spool of unacknowledged batches. */
#include "collector/uplink/spool.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

struct seg {
	uint64_t first;  /* seq in the file name */
	uint64_t last;   /* highest intact seq, 0 when none */
	uint64_t nrec;   /* intact records */
	uint64_t size;   /* bytes in the file */
};

struct spool {
	char *dir;
	uint64_t max_bytes, segment_bytes;
	enum spool_sync sync;
	struct seg *segs;     /* oldest first; the active one is last */
	size_t nsegs, cap;
	int wfd;              /* active segment, -1 when none is open */
	int afd;              /* the "acked" file, -1 until the first ack */
	uint64_t acked, next_seq;
	uint64_t bytes;
	uint64_t appended, dropped, corrupt;
	/* read cursor: continue a sequential resend without rescanning */
	int rfd;
	uint64_t r_first;     /* segment rfd belongs to */
	uint64_t r_seq;       /* seq of the record just before r_off */
	uint64_t r_off;
};

struct rec_hdr {
	uint32_t len;
	uint32_t crc;
	uint64_t seq;
};
_Static_assert(sizeof(struct rec_hdr) == SPOOL_HDR_SIZE, "record header");

static uint32_t rec_crc(uint64_t seq, const void *data, size_t len)
{
	uLong c = crc32(0L, Z_NULL, 0);

	c = crc32(c, (const Bytef *)&seq, sizeof(seq));
	if (len)
		c = crc32(c, data, (uInt)len);
	return (uint32_t)c;
}

static void seg_path(const struct spool *sp, uint64_t first, char *buf,
		     size_t len)
{
	snprintf(buf, len, "%s/seg-%020" PRIu64 ".swq", sp->dir, first);
}

static int full_pread(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done,
				  (off_t)(off + done));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -ENODATA; /* torn tail */
		done += (size_t)n;
	}
	return 0;
}

static int full_write(int fd, const void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		done += (size_t)n;
	}
	return 0;
}

/* Walk one segment's records from offset *off. On return *off is past the
 * record read, or at the place the segment became unreadable. Returns 1 for
 * an intact record (hdr filled, payload in buf when buf != NULL and it
 * fits), 0 at the end, -EBADMSG for a skipped damaged record. size is the
 * file size. */
static int seg_next(int fd, uint64_t size, uint64_t *off, struct rec_hdr *h,
		    void *buf, size_t cap, void *scratch)
{
	void *dst;
	int rc;

	if (*off + SPOOL_HDR_SIZE > size)
		return 0;
	rc = full_pread(fd, h, sizeof(*h), *off);
	if (rc < 0)
		return 0;
	if (h->len > SPOOL_MAX_RECORD || *off + SPOOL_HDR_SIZE + h->len > size) {
		/* cannot find the next record boundary: the rest is lost */
		*off = size;
		return -EIO;
	}
	dst = buf && h->len <= cap ? buf : scratch;
	rc = full_pread(fd, dst, h->len, *off + SPOOL_HDR_SIZE);
	if (rc < 0) {
		*off = size;
		return -EIO;
	}
	*off += SPOOL_HDR_SIZE + h->len;
	if (rec_crc(h->seq, dst, h->len) != h->crc)
		return -EBADMSG;
	return 1;
}

static int segs_push(struct spool *sp, const struct seg *s)
{
	if (sp->nsegs == sp->cap) {
		size_t ncap = sp->cap ? sp->cap * 2 : 16;
		struct seg *n = realloc(sp->segs, ncap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		sp->segs = n;
		sp->cap = ncap;
	}
	sp->segs[sp->nsegs++] = *s;
	return 0;
}

static int seg_cmp(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

static void close_rfd(struct spool *sp)
{
	if (sp->rfd >= 0)
		close(sp->rfd);
	sp->rfd = -1;
	sp->r_first = 0;
}

/* Delete the oldest segment; counts its unacked records as dropped when
 * count_drop. */
static void drop_oldest(struct spool *sp, int count_drop)
{
	struct seg *s = &sp->segs[0];
	char path[PATH_MAX];

	if (count_drop && s->last > sp->acked) {
		uint64_t lo = s->first > sp->acked ? s->first : sp->acked + 1;
		sp->dropped += s->last - lo + 1;
	}
	if (sp->rfd >= 0 && sp->r_first == s->first)
		close_rfd(sp);
	if (sp->nsegs == 1 && sp->wfd >= 0) {
		close(sp->wfd);
		sp->wfd = -1;
	}
	seg_path(sp, s->first, path, sizeof(path));
	unlink(path);
	sp->bytes -= s->size;
	memmove(sp->segs, sp->segs + 1, (sp->nsegs - 1) * sizeof(*s));
	sp->nsegs--;
}

/* The "acked" file: one fixed-size record "<seq, 20 digits> <crc32 of the
 * seq, 8 hex>\n" rewritten in place by pwrite (no new inode per ack: a
 * rename per ack cost the uplink about a third of its CPU at high batch
 * rates). A record that does not check out (a torn write after a crash)
 * reads as 0: everything still spooled is resent and the correlator drops
 * what it already has by (host, seq). A bare number (the format before)
 * is read as it is. */
#define ACKED_REC_LEN 30

static uint32_t acked_crc(uint64_t v)
{
	return rec_crc(v, NULL, 0);
}

static uint64_t read_acked(const struct spool *sp)
{
	char path[PATH_MAX], buf[64], *end;
	unsigned long crc;
	uint64_t v;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/acked", sp->dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (!isdigit((unsigned char)buf[0]))
		return 0;
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno)
		return 0;
	if (*end == '\n' && end[1] == '\0')
		return v; /* the bare number of earlier versions */
	if (n != ACKED_REC_LEN || *end != ' ' || end - buf != 20)
		return 0;
	crc = strtoul(end + 1, &end, 16);
	if (*end != '\n' || crc != acked_crc(v))
		return 0;
	return v;
}

static int write_acked(struct spool *sp)
{
	char path[PATH_MAX], buf[ACKED_REC_LEN + 1];
	ssize_t n;

	if (sp->afd < 0) {
		snprintf(path, sizeof(path), "%s/acked", sp->dir);
		sp->afd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (sp->afd < 0)
			return -errno;
	}
	snprintf(buf, sizeof(buf), "%020" PRIu64 " %08" PRIx32 "\n", sp->acked,
		 acked_crc(sp->acked));
	n = pwrite(sp->afd, buf, ACKED_REC_LEN, 0);
	if (n == ACKED_REC_LEN)
		return 0;
	return n < 0 ? -errno : -EIO;
}

/* Scan one segment found at open: count intact records and damage. */
static int scan_seg(struct spool *sp, struct seg *s, void *scratch)
{
	char path[PATH_MAX];
	struct rec_hdr h;
	struct stat st;
	uint64_t off = 0;
	int fd, rc;

	seg_path(sp, s->first, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	s->size = (uint64_t)st.st_size;
	while ((rc = seg_next(fd, s->size, &off, &h, NULL, 0, scratch)) != 0) {
		if (rc < 0) {
			sp->corrupt++;
			continue;
		}
		s->nrec++;
		if (h.seq > s->last)
			s->last = h.seq;
	}
	close(fd);
	return 0;
}

int spool_open(struct spool **out, const struct spool_config *cfg,
	       char *err, size_t errlen)
{
	struct spool *sp;
	struct dirent *de;
	void *scratch = NULL;
	DIR *d = NULL;
	uint64_t maxseq = 0;
	size_t i;
	int rc;

	*out = NULL;
	if (!cfg || !cfg->dir) {
		snprintf(err, errlen, "spool: no directory given");
		return -EINVAL;
	}
	if (mkdir(cfg->dir, 0700) < 0 && errno != EEXIST) {
		rc = -errno;
		snprintf(err, errlen, "spool: cannot create %s: %s", cfg->dir,
			 strerror(errno));
		return rc;
	}
	sp = calloc(1, sizeof(*sp));
	if (!sp || !(sp->dir = strdup(cfg->dir))) {
		free(sp);
		snprintf(err, errlen, "spool: out of memory");
		return -ENOMEM;
	}
	sp->wfd = sp->rfd = sp->afd = -1;
	sp->max_bytes = cfg->max_bytes ? cfg->max_bytes : 64ull << 20;
	sp->segment_bytes = cfg->segment_bytes ? cfg->segment_bytes
					       : sp->max_bytes / 8;
	if (sp->segment_bytes < SPOOL_HDR_SIZE + 1)
		sp->segment_bytes = SPOOL_HDR_SIZE + 1;
	sp->sync = cfg->sync;

	scratch = malloc(SPOOL_MAX_RECORD);
	d = opendir(cfg->dir);
	if (!scratch || !d) {
		rc = scratch ? -errno : -ENOMEM;
		snprintf(err, errlen, "spool: cannot read %s: %s", cfg->dir,
			 strerror(-rc));
		goto fail;
	}
	while ((de = readdir(d))) {
		struct seg s = {0};
		char tail[8];

		if (sscanf(de->d_name, "seg-%20" SCNu64 "%7s", &s.first, tail) != 2 ||
		    strcmp(tail, ".swq") != 0)
			continue;
		rc = segs_push(sp, &s);
		if (rc < 0) {
			snprintf(err, errlen, "spool: out of memory");
			goto fail;
		}
	}
	closedir(d);
	d = NULL;
	if (sp->nsegs) /* qsort wants a real array even for none */
		qsort(sp->segs, sp->nsegs, sizeof(*sp->segs), seg_cmp);
	for (i = 0; i < sp->nsegs; i++) {
		rc = scan_seg(sp, &sp->segs[i], scratch);
		if (rc < 0) {
			snprintf(err, errlen, "spool: cannot read a segment: %s",
				 strerror(-rc));
			goto fail;
		}
		sp->bytes += sp->segs[i].size;
		if (sp->segs[i].last > maxseq)
			maxseq = sp->segs[i].last;
	}
	free(scratch);
	scratch = NULL;

	sp->acked = read_acked(sp);
	if (sp->acked > maxseq)
		maxseq = sp->acked;
	sp->next_seq = maxseq + 1;
	if (sp->next_seq < cfg->min_seq)
		sp->next_seq = cfg->min_seq;
	/* segments wholly acked (or holding nothing intact) are done */
	while (sp->nsegs && (sp->segs[0].last <= sp->acked))
		drop_oldest(sp, 0);
	while (sp->bytes > sp->max_bytes && sp->nsegs)
		drop_oldest(sp, 1);
	*out = sp;
	return 0;
fail:
	if (d)
		closedir(d);
	free(scratch);
	spool_close(sp);
	return rc;
}

static void close_active(struct spool *sp)
{
	if (sp->wfd < 0)
		return;
	if (sp->sync != SPOOL_SYNC_NONE)
		fsync(sp->wfd);
	close(sp->wfd);
	sp->wfd = -1;
}

void spool_close(struct spool *sp)
{
	if (!sp)
		return;
	close_active(sp);
	close_rfd(sp);
	if (sp->afd >= 0)
		close(sp->afd);
	free(sp->segs);
	free(sp->dir);
	free(sp);
}

int spool_append(struct spool *sp, const void *data, size_t len,
		 uint64_t *seq)
{
	uint64_t need = SPOOL_HDR_SIZE + (uint64_t)len;
	struct rec_hdr h;
	struct seg *act;
	int rc;

	if (len > SPOOL_MAX_RECORD || need > sp->max_bytes)
		return -EMSGSIZE;
	/* roll before the bound check so the active segment can be dropped */
	if (sp->wfd >= 0 && sp->segs[sp->nsegs - 1].size + need > sp->segment_bytes)
		close_active(sp);
	while (sp->bytes + need > sp->max_bytes && sp->nsegs) {
		if (sp->wfd >= 0 && sp->nsegs == 1)
			close_active(sp);
		drop_oldest(sp, 1);
	}
	if (sp->wfd < 0) {
		struct seg s = { .first = sp->next_seq };
		char path[PATH_MAX];

		seg_path(sp, s.first, path, sizeof(path));
		sp->wfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
				     O_CLOEXEC, 0600);
		if (sp->wfd < 0)
			return -errno;
		rc = segs_push(sp, &s);
		if (rc < 0) {
			close(sp->wfd);
			sp->wfd = -1;
			unlink(path);
			return rc;
		}
	}
	act = &sp->segs[sp->nsegs - 1];
	h.len = (uint32_t)len;
	h.seq = sp->next_seq;
	h.crc = rec_crc(h.seq, data, len);
	rc = full_write(sp->wfd, &h, sizeof(h));
	if (rc == 0)
		rc = full_write(sp->wfd, data, len);
	if (rc < 0) {
		/* a half-written record would be a torn tail: start over in
		 * a fresh segment (the partial one keeps what is intact) */
		struct stat st;
		if (fstat(sp->wfd, &st) == 0) {
			sp->bytes += (uint64_t)st.st_size - act->size;
			act->size = (uint64_t)st.st_size;
		}
		close(sp->wfd);
		sp->wfd = -1;
		return rc;
	}
	if (sp->sync == SPOOL_SYNC_EACH)
		fdatasync(sp->wfd);
	act->size += need;
	act->nrec++;
	act->last = h.seq;
	sp->bytes += need;
	sp->appended++;
	sp->next_seq++;
	if (seq)
		*seq = h.seq;
	return 0;
}

int spool_ack(struct spool *sp, uint64_t seq)
{
	if (seq <= sp->acked)
		return 0;
	if (seq >= sp->next_seq)
		seq = sp->next_seq - 1; /* never ack what we never wrote */
	sp->acked = seq;
	while (sp->nsegs && sp->segs[0].last <= sp->acked &&
	       (sp->nsegs > 1 || sp->segs[0].nrec > 0))
		drop_oldest(sp, 0);
	return write_acked(sp);
}

int spool_read(struct spool *sp, uint64_t after, uint64_t *seq, void *buf,
	       size_t cap, size_t *len)
{
	size_t i;

	if (after < sp->acked)
		after = sp->acked;
	for (i = 0; i < sp->nsegs; i++) {
		struct seg *s = &sp->segs[i];
		struct rec_hdr h;
		uint64_t off = 0;
		char path[PATH_MAX];
		int rc;

		if (s->last <= after || s->nrec == 0)
			continue;
		if (sp->rfd < 0 || sp->r_first != s->first) {
			close_rfd(sp);
			seg_path(sp, s->first, path, sizeof(path));
			sp->rfd = open(path, O_RDONLY | O_CLOEXEC);
			if (sp->rfd < 0)
				return -errno;
			sp->r_first = s->first;
			sp->r_seq = 0;
			sp->r_off = 0;
		}
		if (sp->r_seq && sp->r_seq <= after)
			off = sp->r_off; /* sequential: resume */
		for (;;) {
			uint64_t start = off;

			if (off + SPOOL_HDR_SIZE > s->size)
				break;
			if (full_pread(sp->rfd, &h, sizeof(h), off) < 0)
				break;
			if (h.len > SPOOL_MAX_RECORD ||
			    off + SPOOL_HDR_SIZE + h.len > s->size)
				break;
			off += SPOOL_HDR_SIZE + h.len;
			if (h.seq <= after)
				continue;
			*len = h.len;
			if (h.len > cap)
				return -ENOBUFS;
			rc = full_pread(sp->rfd, buf, h.len, start + SPOOL_HDR_SIZE);
			if (rc < 0)
				return rc;
			if (rec_crc(h.seq, buf, h.len) != h.crc)
				continue; /* counted when the spool was opened */
			*seq = h.seq;
			sp->r_seq = h.seq;
			sp->r_off = off;
			return 0;
		}
	}
	return -ENOENT;
}

void spool_get_stats(const struct spool *sp, struct spool_stats *st)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < sp->nsegs; i++) {
		const struct seg *s = &sp->segs[i];

		st->records += s->nrec;
		if (s->nrec && s->last > sp->acked) {
			uint64_t lo = s->first > sp->acked ? s->first : sp->acked + 1;
			st->pending += s->last - lo + 1;
		}
	}
	st->bytes = sp->bytes;
	st->segments = sp->nsegs;
	st->appended = sp->appended;
	st->dropped = sp->dropped;
	st->corrupt = sp->corrupt;
	st->acked_seq = sp->acked;
	st->next_seq = sp->next_seq;
}
