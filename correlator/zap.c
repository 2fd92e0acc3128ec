/* zap.c - ZAP handler thread: CURVE public key allow-list from a directory. */
#include "correlator/zap.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zmq.h>

#include "common/curvekey.h"
#include "common/log.h"

#define ZAP_MAX_KEYS 4096

struct zkey {
	uint8_t key[32];
	char name[64];
};

struct zap {
	void *ctx, *sock;
	char *dir;
	pthread_t thr;
	int started;
	volatile int stop;
	struct zkey *keys;
	unsigned nkeys;
	struct timespec mtime;
	uint64_t allowed, denied; /* atomics */
};

/* (Re)load the allow-list when the directory changed. */
static void load_keys(struct zap *z)
{
	struct stat st;
	struct dirent *de;
	struct zkey *keys;
	unsigned n = 0;
	DIR *d;

	if (stat(z->dir, &st) < 0)
		return;
	if (z->keys && st.st_mtim.tv_sec == z->mtime.tv_sec &&
	    st.st_mtim.tv_nsec == z->mtime.tv_nsec)
		return;
	keys = calloc(ZAP_MAX_KEYS, sizeof(*keys));
	d = opendir(z->dir);
	if (!keys || !d) {
		free(keys);
		if (d)
			closedir(d);
		return;
	}
	while ((de = readdir(d)) && n < ZAP_MAX_KEYS) {
		size_t l = strlen(de->d_name);
		char path[4096];

		if (l <= 4 || l - 4 >= sizeof(keys[n].name) ||
		    strcmp(de->d_name + l - 4, ".pub") != 0)
			continue;
		/* the name is the only host this key may speak for: plain
		 * letters, digits, '.', '_' and '-', nothing a log, a row or a
		 * terminal could read two ways */
		if (strspn(de->d_name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			   "0123456789._-") != l || de->d_name[0] == '.') {
			log_warn("ignoring key file %.80s: a host name is "
				 "letters, digits, '.', '_' and '-'", de->d_name);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", z->dir, de->d_name);
		if (curvekey_read_bin(path, keys[n].key) < 0) {
			log_warn("ignoring %s: not a z85 public key", path);
			continue;
		}
		memcpy(keys[n].name, de->d_name, l - 4);
		keys[n].name[l - 4] = '\0';
		n++;
	}
	closedir(d);
	free(z->keys);
	z->keys = keys;
	__atomic_store_n(&z->nkeys, n, __ATOMIC_RELAXED);
	z->mtime = st.st_mtim;
}

static const char *lookup(struct zap *z, const uint8_t *key)
{
	unsigned i;

	for (i = 0; i < z->nkeys; i++)
		if (memcmp(z->keys[i].key, key, 32) == 0)
			return z->keys[i].name;
	return NULL;
}

/* Receive one multipart ZAP request (at most 8 frames kept). */
static int recv_req(void *s, zmq_msg_t *f, int *nf)
{
	int more = 1, n = 0;
	size_t ml = sizeof(more);

	while (more) {
		zmq_msg_t m;

		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, s, 0) < 0) {
			zmq_msg_close(&m);
			break;
		}
		zmq_getsockopt(s, ZMQ_RCVMORE, &more, &ml);
		if (n < 8) {
			f[n++] = m;
		} else {
			zmq_msg_close(&m);
		}
	}
	*nf = n;
	return n;
}

static void reply(void *s, zmq_msg_t *reqid, const char *code,
		  const char *text, const char *user)
{
	zmq_send(s, "1.0", 3, ZMQ_SNDMORE);
	zmq_send(s, zmq_msg_data(reqid), zmq_msg_size(reqid), ZMQ_SNDMORE);
	zmq_send(s, code, strlen(code), ZMQ_SNDMORE);
	zmq_send(s, text, strlen(text), ZMQ_SNDMORE);
	zmq_send(s, user, strlen(user), ZMQ_SNDMORE);
	zmq_send(s, "", 0, 0);
}

static void *zap_main(void *arg)
{
	struct zap *z = arg;

	while (!z->stop) {
		zmq_pollitem_t pi = { .socket = z->sock, .events = ZMQ_POLLIN };
		zmq_msg_t f[8];
		const char *name = NULL;
		int nf = 0, i;

		if (zmq_poll(&pi, 1, 200) <= 0)
			continue;
		recv_req(z->sock, f, &nf);
		/* version, request id, domain, address, identity, mechanism,
		 * credentials... */
		if (nf >= 2) {
			load_keys(z);
			if (nf >= 7 && zmq_msg_size(&f[0]) == 3 &&
			    memcmp(zmq_msg_data(&f[0]), "1.0", 3) == 0 &&
			    zmq_msg_size(&f[5]) == 5 &&
			    memcmp(zmq_msg_data(&f[5]), "CURVE", 5) == 0 &&
			    zmq_msg_size(&f[6]) == 32)
				name = lookup(z, zmq_msg_data(&f[6]));
			if (name) {
				__atomic_add_fetch(&z->allowed, 1, __ATOMIC_RELAXED);
				reply(z->sock, &f[1], "200", "OK", name);
			} else {
				__atomic_add_fetch(&z->denied, 1, __ATOMIC_RELAXED);
				reply(z->sock, &f[1], "400", "unknown key", "");
			}
		}
		for (i = 0; i < nf; i++)
			zmq_msg_close(&f[i]);
	}
	return NULL;
}

struct zap *zap_start(void *zmq_ctx, const char *keys_dir, char *err,
		      size_t errlen)
{
	struct zap *z = calloc(1, sizeof(*z));
	int zero = 0;

	if (!z || !(z->dir = strdup(keys_dir))) {
		free(z);
		snprintf(err, errlen, "zap: out of memory");
		return NULL;
	}
	z->ctx = zmq_ctx;
	load_keys(z);
	if (!z->keys) {
		snprintf(err, errlen, "zap: cannot read the key directory %s",
			 keys_dir);
		goto fail;
	}
	z->sock = zmq_socket(zmq_ctx, ZMQ_REP);
	if (!z->sock) {
		snprintf(err, errlen, "zap: socket: %s", zmq_strerror(errno));
		goto fail;
	}
	zmq_setsockopt(z->sock, ZMQ_LINGER, &zero, sizeof(zero));
	if (zmq_bind(z->sock, "inproc://zeromq.zap.01") < 0) {
		snprintf(err, errlen, "zap: bind: %s", zmq_strerror(errno));
		goto fail;
	}
	if (pthread_create(&z->thr, NULL, zap_main, z) != 0) {
		snprintf(err, errlen, "zap: cannot start its thread");
		goto fail;
	}
	z->started = 1;
	return z;
fail:
	zap_stop(z);
	return NULL;
}

void zap_stop(struct zap *z)
{
	if (!z)
		return;
	z->stop = 1;
	if (z->started)
		pthread_join(z->thr, NULL);
	if (z->sock)
		zmq_close(z->sock);
	free(z->keys);
	free(z->dir);
	free(z);
}

uint64_t zap_allowed(const struct zap *z)
{
	return z ? __atomic_load_n(&z->allowed, __ATOMIC_RELAXED) : 0;
}

uint64_t zap_denied(const struct zap *z)
{
	return z ? __atomic_load_n(&z->denied, __ATOMIC_RELAXED) : 0;
}

unsigned zap_key_count(const struct zap *z)
{
	return z ? __atomic_load_n(&z->nkeys, __ATOMIC_RELAXED) : 0;
}
