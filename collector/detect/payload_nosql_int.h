/* payload_nosql_int.h - payload_nosql.c's judgement of an operator's field,
 * for payload_data.c (query values) and its JSON body shape scan */
#ifndef SW_PAYLOAD_NOSQL_INT_H
#define SW_PAYLOAD_NOSQL_INT_H

#include <stddef.h>

/* o[0..l) (lower-case, after the '$') compares or matches one field */
int payload_nosql_compare_op(const char *op, size_t l);
/* lo[0..n) (any case): the operator whose key starts at b (bracket: the
 * '[' of "[$op]"; else its quote or '$' in an object) applies to a named
 * field that is no credential */
int payload_nosql_data_field(const char *lo, size_t n, size_t b, int bracket);
/* $or, $and, $nor: their clauses are judged each on its own, unless one
 * is "{}" (lo[p..): after the key), which matches every document */
int payload_nosql_logical_op(const char *op, size_t l);
int payload_nosql_empty_clause(const char *lo, size_t n, size_t p);
int payload_nosql_or_tautology(const char *lo, size_t n, const char *op, size_t l);
/* lo[0..n) is one object of ordering comparisons on a number or a date
 * and nothing else ({"$gt": 5, "$lt": 10}): a range filter with no field */
int payload_nosql_range_object(const char *lo, size_t n);
/* payload_data_js.c: past JavaScript's blanks and comments at p */
size_t payload_data_js_blank(const char *lo, size_t n, size_t p);
int payload_data_js_stmt_end(const char *lo, size_t n, size_t p);
/* a constant returned at p that ends the statement: true, 1, !0,
 * (true), (1==1) */
int payload_data_js_returned(const char *lo, size_t n, size_t p);
/* payload_data.c: the length of the MongoDB operator name at lo[i]
 * (after its '$'), 0 if none */
size_t payload_data_mongo_op(const char *lo, size_t n, size_t i);
/* payload_data_nosql.c: NoSQL operator injection in a value */
struct payload_val;
struct payload_acc;
void payload_data_nosql(const struct payload_val *v, struct payload_acc *a);
/* payload_data_proto.c: {"\\u005f_proto__": {..}} in a JSON body */
int payload_data_proto_escaped(const char *body, size_t len);

#endif
