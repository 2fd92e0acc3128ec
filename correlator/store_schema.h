/* store_schema.h - the schema side of a store (store.h): migrations and
 * the daily partitions of `events`. store_connect() runs both; the writers
 * (writer.c) run the partition upkeep again every few minutes.
 */
#ifndef SW_STORE_SCHEMA_H
#define SW_STORE_SCHEMA_H

#include <stddef.h>

struct store;

/* Apply every sql/NNN_*.sql not yet in schema_version, in name order, one
 * transaction each; exported so tools and tests can migrate without a
 * running correlator. 0, or a negative errno with one sentence in err. */
int store_schema_migrate(struct store *st, char *err, size_t errlen);

/* Partition upkeep: a table per day from the retention's first day to
 * two days ahead, older ones dropped, old `batches` rows deleted; sets the
 * ts range store_ts_range() reports. Call now and then (the caller decides
 * how often). */
int store_schema_maintain(struct store *st, char *err, size_t errlen);

#endif /* SW_STORE_SCHEMA_H */
