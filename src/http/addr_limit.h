/* Connections per client address: how many each address holds at once, for
 * the server's per-address limit (max_connections_per_address). Thread-safe.
 * No libmicrohttpd here: server.c calls it from its connection callbacks. */
#ifndef FQ_ADDR_LIMIT_H
#define FQ_ADDR_LIMIT_H

#include <stdbool.h>

struct sockaddr;
struct fq_addr_limit;
struct fq_addr_slot;

/* A counter allowing max connections per address (max > 0). NULL when out
 * of memory. */
struct fq_addr_limit *fq_addr_limit_new(unsigned max);
/* Frees l; every slot must have been released. */
void fq_addr_limit_free(struct fq_addr_limit *l);

/* Whether sa already holds max connections: a cheap check before a
 * connection is accepted. Addresses other than IPv4 and IPv6 are never full. */
bool fq_addr_limit_full(struct fq_addr_limit *l, const struct sockaddr *sa);

/* Counts one more connection from sa and returns its slot, to be given back
 * to fq_addr_limit_release when the connection closes; *over is true when
 * it is beyond max (then close it: it stays counted until released). NULL
 * (and *over false) for an address that is not IPv4 or IPv6, or out of
 * memory: such a connection is not counted. */
struct fq_addr_slot *fq_addr_limit_take(struct fq_addr_limit *l, const struct sockaddr *sa,
					bool *over);
/* Gives back a slot from fq_addr_limit_take; NULL does nothing. */
void fq_addr_limit_release(struct fq_addr_limit *l, struct fq_addr_slot *slot);

/* Connections counted for sa now (for tests). */
unsigned fq_addr_limit_count(struct fq_addr_limit *l, const struct sockaddr *sa);

#endif
