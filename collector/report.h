/* report.h - the collector's own counters (report.c): one JSON line on
 * stderr, and the same numbers as Prometheus families on /metrics. Only
 * main.c calls it; struct app is in app.h.
 */
#ifndef SW_REPORT_H
#define SW_REPORT_H

struct app;
struct metrics;

/* Counters as one JSON line on stderr: the kernel's, the table's, HTTP/1's.
 * why says what asked for it ("interval", "exit"). */
void report_counters(struct app *a, const char *why);
/* Register the families report_metrics_update fills. */
void report_metrics_setup(struct metrics *m);
/* Copy the counters into the families (once a second). */
void report_metrics_update(struct app *a);
/* Copy the operator's counters (kernel drops and gaps, events emitted)
 * into the uplink's heartbeat (once a second; nothing without an uplink). */
void report_uplink_update(struct app *a);

#endif /* SW_REPORT_H */
