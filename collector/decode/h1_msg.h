/* h1_msg.h - the llhttp half of the HTTP/1 decoder (h1_msg.c): parser
 * setup with its callbacks, and finishing a message. Only h1.c calls it.
 */
#ifndef SW_H1_MSG_H
#define SW_H1_MSG_H

#include "collector/decode/h1.h"

/* Set up the llhttp parser of one direction of c. */
void h1_msg_parser_init(struct h1_conn *c, enum sess_dir dir);

/* The parser of that direction completed a message: finish its exchange
 * (request judged now; response paired, upgrade noted, FIFO flushed). */
void h1_msg_req_done(struct h1_conn *c);
void h1_msg_resp_done(struct h1_conn *c);

/* The value of header name (lower case) in the 101 answer kept for the
 * upgrade (h1_upgrade_resp_hdr), or NULL; *len (if given) gets its size. */
const char *h1_msg_upgrade_hdr(const struct h1_conn *c, const char *name,
			       size_t *len);

#endif /* SW_H1_MSG_H */
