/* enforce_thread.c - the enforcement thread: socket destroys and tcx
 * attachments need a namespace of their own (setns), so they run here,
 * one job at a time, and the callers' threads never change namespace. */
#include "collector/enforce/enforce_int.h"

#include <pthread.h>

static void *worker(void *arg)
{
	struct enforce *e = arg;

	pthread_mutex_lock(&e->mu);
	for (;;) {
		while (!e->stop && e->job_state != 1)
			pthread_cond_wait(&e->cv, &e->mu);
		if (e->stop)
			break;
		pthread_mutex_unlock(&e->mu);
		int rc = e->job(e, e->job_arg);
		pthread_mutex_lock(&e->mu);
		e->job_rc = rc;
		e->job_state = 2;
		pthread_cond_broadcast(&e->cv);
	}
	pthread_mutex_unlock(&e->mu);
	return NULL;
}

void enforce_thread_init(struct enforce *e)
{
	pthread_mutex_init(&e->call_mu, NULL);
	pthread_mutex_init(&e->mu, NULL);
	pthread_cond_init(&e->cv, NULL);
}

int enforce_thread_start(struct enforce *e)
{
	int rc = pthread_create(&e->thr, NULL, worker, e);

	if (rc)
		return -rc;
	e->thr_started = 1;
	return 0;
}

/* Run fn on the enforcement thread and wait for it. */
int enforce_thread_run(struct enforce *e, enforce_thread_job fn, void *arg)
{
	int rc;

	pthread_mutex_lock(&e->call_mu);
	pthread_mutex_lock(&e->mu);
	e->job = fn;
	e->job_arg = arg;
	e->job_state = 1;
	pthread_cond_broadcast(&e->cv);
	while (e->job_state != 2)
		pthread_cond_wait(&e->cv, &e->mu);
	rc = e->job_rc;
	e->job_state = 0;
	pthread_mutex_unlock(&e->mu);
	pthread_mutex_unlock(&e->call_mu);
	return rc;
}

void enforce_thread_stop(struct enforce *e)
{
	if (e->thr_started) {
		pthread_mutex_lock(&e->mu);
		e->stop = 1;
		pthread_cond_broadcast(&e->cv);
		pthread_mutex_unlock(&e->mu);
		pthread_join(e->thr, NULL);
		e->thr_started = 0;
	}
	pthread_cond_destroy(&e->cv);
	pthread_mutex_destroy(&e->mu);
	pthread_mutex_destroy(&e->call_mu);
}
