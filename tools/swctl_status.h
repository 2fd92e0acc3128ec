/* swctl_status.h - swctl status (swctl_status.c). Only swctl.c calls it;
 * struct swctl_args is in swctl_args.h.
 */
#ifndef SW_SWCTL_STATUS_H
#define SW_SWCTL_STATUS_H

struct swctl_args;

/* Print whether the correlator and PostgreSQL are up and collectors
 * report; returns the exit code: SW_OK (ok), SW_FAIL (degraded) or
 * SW_USAGE (down). */
int swctl_status(const struct swctl_args *f);

/* swctl hosts: one row per host, or on a fleet query database
 * (tools/fleet-query: schema sw_fleet) one per host and shard, with the
 * version of that shard's block list the host holds and how far behind
 * that shard's head it is. */
int swctl_status_hosts(const struct swctl_args *f);

#endif /* SW_SWCTL_STATUS_H */
