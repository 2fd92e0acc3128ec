/* blocksub_list.h - the list-state half of the block-list subscriber
 * (blocksub_list.c). Its message and expiry entry points and readers are
 * the public blocksub_on_delta/on_snapshot/expire/version/... of
 * blocksub.h; this header has the address helpers blocksub.c shares with
 * it. The structs are in blocksub_int.h.
 */
#ifndef SW_BLOCKSUB_LIST_H
#define SW_BLOCKSUB_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "blocksub.h"

/* Address bytes of a family: 4, 16, or 0 (identity only). */
size_t bsl_addr_len(uint8_t family);
/* Zero the address bits past e->prefix_len. */
void bsl_clear_host_bits(struct blocksub_entry *e);

#endif /* SW_BLOCKSUB_LIST_H */
