/* writer.c - PostgreSQL writer threads fed by a queue of groups. */
#include "correlator/writer.h"
#include "correlator/store_schema.h"
#include "common/json.h"
#include "common/clock.h"
#include "common/log.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>

#define MAINT_MS (600 * 1000) /* partition upkeep interval */
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000
#define TURN_WAIT_MS 1000 /* then roll back and retry (writer.h) */

struct wconn {
	struct writer *w;
	struct store *st;
	pthread_t th;
	unsigned id;
	uint64_t retries_seen;  /* store_retries() already counted */
	uint64_t ticket;        /* of the group being written */
	int started, up;
};

struct writer {
	/* mu guards everything below it except the stores, which belong
	 * to their threads; ddl serialises migrations and partition DDL */
	pthread_mutex_t mu, ddl;
	pthread_cond_t cv;
	struct writer_group *qhead, *qtail;   /* submitted, not taken */
	struct writer_group *dhead, *dtail;   /* written, not handed back */
	int efd;
	int stop;
	unsigned nconn;
	uint64_t ts_lo, ts_hi, next_maint_ms;
	/* commit order: next_ticket for the next submitted group; the group
	 * with ticket next_commit is the one that may COMMIT; done[] marks
	 * later groups already finished (written or failed) */
	uint64_t next_ticket, next_commit;
	uint8_t done[WRITER_MAX_INFLIGHT];
	struct writer_stats st;
	struct wconn c[WRITER_MAX_CONNS];
};

static int turn_wait(void *arg);
/* The common logger, with the message escaped: PostgreSQL's messages may
 * quote row data (attacker bytes). */
static void wlog(enum log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void wlog(enum log_level lvl, const char *fmt, ...)
{
	char msg[768], esc[1000];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_escape(esc, sizeof(esc), msg, strlen(msg));
	log_msg(lvl, "%s", esc);
}

struct writer *writer_new(const char *url, const char *sql_dir,
			  unsigned retention_days, unsigned nconn)
{
	struct writer *w;
	unsigned i;

	if (nconn < 1 || nconn > WRITER_MAX_CONNS)
		return NULL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->efd = -1;
	w->nconn = nconn;
	pthread_mutex_init(&w->mu, NULL);
	pthread_mutex_init(&w->ddl, NULL);
	{
		pthread_condattr_t ca;

		/* timed waits on the monotonic clock: a wall-clock step must
		 * not stall a reconnect */
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&w->cv, &ca);
		pthread_condattr_destroy(&ca);
	}
	w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	for (i = 0; i < nconn; i++) {
		w->c[i].w = w;
		w->c[i].id = i;
		w->c[i].st = store_new(url, sql_dir, retention_days);
		if (!w->c[i].st)
			break;
		store_set_turn(w->c[i].st, turn_wait, &w->c[i]);
	}
	if (w->efd < 0 || i < nconn) {
		writer_free(w);
		return NULL;
	}
	return w;
}

void writer_free(struct writer *w)
{
	unsigned i;

	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	for (i = 0; i < w->nconn; i++) {
		if (w->c[i].started)
			pthread_join(w->c[i].th, NULL);
		store_free(w->c[i].st);
	}
	if (w->efd >= 0)
		close(w->efd);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->ddl);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

/* Wait on cv for at most ms; mu held. */
static void wait_ms(struct writer *w, uint64_t ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&w->cv, &w->mu, &ts);
}

/* store_turn_fn: may this thread's group COMMIT now? mu not held. */
static int turn_wait(void *arg)
{
	struct wconn *c = arg;
	struct writer *w = c->w;
	uint64_t deadline = clock_mono_ms() + TURN_WAIT_MS, now;
	int rc = 0;

	pthread_mutex_lock(&w->mu);
	while (w->next_commit != c->ticket) {
		now = clock_mono_ms();
		if (w->stop) {
			rc = -ECANCELED;
			break;
		}
		if (now >= deadline) {
			w->st.turn_timeouts++;
			rc = -ETIMEDOUT;
			break;
		}
		wait_ms(w, deadline - now);
	}
	pthread_mutex_unlock(&w->mu);
	return rc;
}

/* The group with ticket t will not commit again; let the next ones.
 * mu held. */
static void turn_done(struct writer *w, uint64_t t)
{
	w->done[t % WRITER_MAX_INFLIGHT] = 1;
	while (w->done[w->next_commit % WRITER_MAX_INFLIGHT]) {
		w->done[w->next_commit % WRITER_MAX_INFLIGHT] = 0;
		w->next_commit++;
	}
	pthread_cond_broadcast(&w->cv);
}

/* Connect, or partition upkeep on a live connection: under ddl, so two
 * threads never run DDL at once. mu not held. */
static int ddl_step(struct wconn *c, int connect, char *err, size_t errlen)
{
	struct writer *w = c->w;
	uint64_t lo, hi;
	int rc;

	pthread_mutex_lock(&w->ddl);
	rc = connect ? store_connect(c->st, err, errlen)
		     : store_schema_maintain(c->st, err, errlen);
	pthread_mutex_unlock(&w->ddl);
	if (rc < 0)
		return rc;
	store_ts_range(c->st, &lo, &hi);
	pthread_mutex_lock(&w->mu);
	w->ts_lo = lo;
	w->ts_hi = hi;
	pthread_mutex_unlock(&w->mu);
	return 0;
}

/* Take the connection down and count it; mu held. */
static void conn_down(struct wconn *c)
{
	if (c->up) {
		c->up = 0;
		c->w->st.up--;
	}
}

static void *run(void *arg)
{
	struct wconn *c = arg;
	struct writer *w = c->w;
	uint64_t backoff = BACKOFF_MIN_MS;
	char err[512];

	pthread_mutex_lock(&w->mu);
	while (!w->stop) {
		struct writer_group *g;
		uint64_t t0, now = clock_mono_ms();
		uint64_t one = 1;

		if (!c->up) {
			int rc;

			pthread_mutex_unlock(&w->mu);
			rc = ddl_step(c, 1, err, sizeof(err));
			pthread_mutex_lock(&w->mu);
			if (rc < 0) {
				w->st.db_errors++;
				wlog(LOG_ERROR, "%s; retrying in %" PRIu64 " ms", err, backoff);
				if (!w->stop)
					wait_ms(w, backoff);
				backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS
								     : backoff * 2;
				continue;
			}
			c->up = 1;
			w->st.up++;
			w->st.db_connects++;
			backoff = BACKOFF_MIN_MS;
			/* store_connect() did the upkeep just now */
			w->next_maint_ms = clock_mono_ms() + MAINT_MS;
			wlog(LOG_INFO, "connected to PostgreSQL (writer %u)", c->id);
			continue;
		}
		if (now >= w->next_maint_ms) {
			int rc;

			w->next_maint_ms = now + MAINT_MS;
			pthread_mutex_unlock(&w->mu);
			rc = ddl_step(c, 0, err, sizeof(err));
			if (rc < 0)
				store_disconnect(c->st);
			pthread_mutex_lock(&w->mu);
			if (rc < 0) {
				w->st.db_errors++;
				wlog(LOG_ERROR, "partition upkeep: %s", err);
				conn_down(c);
			}
			continue;
		}
		g = w->qhead;
		if (!g) {
			wait_ms(w, 1000);
			continue;
		}
		w->qhead = g->next;
		if (!w->qhead)
			w->qtail = NULL;
		w->st.queued--;
		c->ticket = g->ticket;
		pthread_mutex_unlock(&w->mu);

		t0 = clock_mono_ns();
		g->rc = store_write(c->st, g->b, g->n, g->res, g->err, sizeof(g->err));
		g->committed_us = clock_unix_us();
		g->write_ns = clock_mono_ns() - t0;
		if (g->rc < 0)
			store_disconnect(c->st);

		pthread_mutex_lock(&w->mu);
		turn_done(w, g->ticket);
		if (g->rc < 0) {
			w->st.db_errors++;
			wlog(LOG_ERROR, "write failed, %zu batches not acked: %s", g->n, g->err);
			conn_down(c);
		} else {
			w->st.groups++;
		}
		w->st.retries += store_retries(c->st) - c->retries_seen;
		c->retries_seen = store_retries(c->st);
		g->next = NULL;
		if (w->dtail)
			w->dtail->next = g;
		else
			w->dhead = g;
		w->dtail = g;
		if (write(w->efd, &one, sizeof(one)) < 0) {
			/* the counter cannot overflow at one per group */
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int writer_start(struct writer *w, char *err, size_t errlen)
{
	unsigned i;
	int rc;

	for (i = 0; i < w->nconn; i++) {
		rc = pthread_create(&w->c[i].th, NULL, run, &w->c[i]);
		if (rc) {
			snprintf(err, errlen, "cannot start a writer thread: %s",
				 strerror(rc));
			return -rc;
		}
		w->c[i].started = 1;
	}
	return 0;
}

int writer_fd(const struct writer *w)
{
	return w->efd;
}

int writer_submit(struct writer *w, struct writer_group *g)
{
	if (!g->n || g->n > STORE_GROUP_MAX)
		return -EINVAL;
	g->next = NULL;
	g->rc = 0;
	g->err[0] = '\0';
	pthread_mutex_lock(&w->mu);
	if (w->next_ticket - w->next_commit >= WRITER_MAX_INFLIGHT) {
		pthread_mutex_unlock(&w->mu);
		return -EBUSY;
	}
	g->ticket = w->next_ticket++;
	if (w->qtail)
		w->qtail->next = g;
	else
		w->qhead = g;
	w->qtail = g;
	w->st.queued++;
	/* broadcast: a thread waiting for its commit turn shares cv */
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return 0;
}

struct writer_group *writer_done(struct writer *w)
{
	struct writer_group *g;
	uint64_t v;

	pthread_mutex_lock(&w->mu);
	g = w->dhead;
	if (g) {
		w->dhead = g->next;
		if (!w->dhead)
			w->dtail = NULL;
		g->next = NULL;
	}
	if (!w->dhead && read(w->efd, &v, sizeof(v)) < 0) {
		/* already zero (EAGAIN): nothing to clear */
	}
	pthread_mutex_unlock(&w->mu);
	return g;
}

int writer_ready(struct writer *w)
{
	int up;

	pthread_mutex_lock(&w->mu);
	up = w->st.up > 0;
	pthread_mutex_unlock(&w->mu);
	return up;
}

void writer_ts_range(struct writer *w, uint64_t *lo, uint64_t *hi)
{
	pthread_mutex_lock(&w->mu);
	*lo = w->ts_lo;
	*hi = w->ts_hi;
	pthread_mutex_unlock(&w->mu);
}

void writer_get_stats(struct writer *w, struct writer_stats *st)
{
	pthread_mutex_lock(&w->mu);
	*st = w->st;
	pthread_mutex_unlock(&w->mu);
}
