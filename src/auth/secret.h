/* Secrets: the key file, encryption of sensitive fields, keyed hashes for
 * exact look-up, random tokens and password hashing (libsodium). */
#ifndef FQ_SECRET_H
#define FQ_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct fq_keys;
struct fq_buf;

/* Must run once before any other function here. */
enum fq_err fq_secret_init(struct fq_error *e);

/* Creates a new key file (mode 0600); fails if it exists. */
enum fq_err fq_keys_create(const char *path, struct fq_error *e);
/* Loads a key file; refuses one readable by group or others. */
enum fq_err fq_keys_load(const char *path, struct fq_keys **out, struct fq_error *e);
void fq_keys_free(struct fq_keys *keys);

/* Encrypts plain (len bytes) into out (allocated, nonce + ciphertext), *out_len. */
enum fq_err fq_seal(const struct fq_keys *keys, const char *plain, size_t len,
		    unsigned char **out, size_t *out_len);
/* Decrypts into a new NUL-terminated string (to free()); FQ_ERR_INTERNAL when
 * the data was tampered with or the key is wrong. */
enum fq_err fq_unseal(const struct fq_keys *keys, const void *sealed, size_t len, char **out);

/* The key of the audit chain's MACs (derived from the key file). */
const unsigned char *fq_keys_audit_key(const struct fq_keys *keys, size_t *len);

/* Hex keyed hash of s, for finding a record by an encrypted value. out: 65 bytes. */
void fq_keyed_hash(const struct fq_keys *keys, const char *s, char out[65]);
/* Hex hash of a token (sessions, API tokens). out: 65 bytes. */
void fq_token_hash(const char *token, char out[65]);
/* A random URL-safe token of nbytes of randomness, with an optional prefix. */
void fq_random_token(const char *prefix, size_t nbytes, char *out, size_t size);
/* A random password that meets the policy; out must hold 17 bytes. */
void fq_random_password(char out[17]);

/* argon2id hash of a password; out must hold 128 bytes. */
enum fq_err fq_password_hash(const char *password, char out[128]);
bool fq_password_verify(const char *hash, const char *password);
/* Checks the policy: ≥ 8 characters from ≥ 3 classes (lower, upper, digit,
 * other), at most 128 bytes. Fills *e with the reason. */
enum fq_err fq_password_policy(const char *password, const char *field, struct fq_error *e);

#endif
