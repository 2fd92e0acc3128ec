/* wire.h - limits of the collector -> correlator protocol both ends build
 * on (the messages themselves are proto/sidewatch.proto).
 */
#ifndef SW_WIRE_H
#define SW_WIRE_H

/* Events in one Batch a collector sends (the correlator accepts more, up
 * to INGEST_MAX_EVENTS, and counts what it cannot observe). */
#define WIRE_MAX_BATCH 128

#endif /* SW_WIRE_H */
