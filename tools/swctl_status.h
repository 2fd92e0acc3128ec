/* swctl_status.h - swctl status (swctl_status.c). Only swctl.c calls it;
 * struct filt is in swctl_int.h.
 */
#ifndef SW_SWCTL_STATUS_H
#define SW_SWCTL_STATUS_H

struct filt;

/* Print whether the correlator and PostgreSQL are up and collectors
 * report; returns the exit code: SW_OK (ok), SW_FAIL (degraded) or
 * SW_USAGE (down). */
int swctl_status(const struct filt *f);

#endif /* SW_SWCTL_STATUS_H */
