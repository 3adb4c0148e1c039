/* Time-based one-time passwords (RFC 6238): HMAC-SHA1, 6 digits, 30-second
 * steps from the Unix epoch — what authenticator apps expect by default.
 * Built on liboath; secrets are exchanged as base32 without padding. */
#ifndef FQ_TOTP_H
#define FQ_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define FQ_TOTP_STEP 30
#define FQ_TOTP_DIGITS 6
#define FQ_TOTP_SECRET_BYTES 20
/* Base32 of 20 bytes is 32 characters, plus the terminator. */
#define FQ_TOTP_SECRET_MAX 33
/* Room for any otpauth URI fq_totp_uri makes from an issuer and an account of
 * up to 128 bytes each (every byte may become %XX). */
#define FQ_TOTP_URI_MAX 1024

/* Initialises liboath (and libsodium, for the random secrets). Call once at
 * start-up before any other function here; safe to call again and from
 * several threads (later calls return the first call's result). */
enum fq_err fq_totp_global_init(void);

/* Writes a new secret — 20 random bytes as base32 without padding, 32
 * characters — into base32_out. FQ_ERR_INTERNAL when size < FQ_TOTP_SECRET_MAX
 * (base32_out is then empty) or encoding fails. */
enum fq_err fq_totp_new_secret(char *base32_out, size_t size);

/* True when code is exactly 6 ASCII digits and equals the code of a step
 * within window_steps (clamped to 0–10) steps either side of the step of
 * now_s, and that step is later than last_used_step (pass -1 when the secret
 * has never been used). A step at or before last_used_step is refused, so a
 * code cannot be replayed, nor an older code used after a newer one. On
 * success stores the matched step in *matched_step (may be NULL): store it as
 * the new last_used_step. False also for an unreadable secret. */
bool fq_totp_verify(const char *base32_secret, const char *code, int64_t now_s,
		    int window_steps, int64_t last_used_step, int64_t *matched_step);

/* The code for now_s (for tests and demos). FQ_ERR_INVALID for an unreadable
 * secret or a negative time, FQ_ERR_INTERNAL when liboath fails. */
enum fq_err fq_totp_code(const char *base32_secret, int64_t now_s, char out[7]);

/* otpauth://totp/Issuer:account?secret=…&issuer=Issuer&algorithm=SHA1&digits=6&period=30
 * with issuer and account percent-encoded (UTF-8 bytes; only A–Z a–z 0–9 - . _ ~
 * are left as they are). With an empty or NULL issuer the label is the account
 * alone and there is no issuer parameter. When the URI does not fit in size
 * bytes, out is empty (use FQ_TOTP_URI_MAX). */
void fq_totp_uri(const char *issuer, const char *account, const char *secret, char *out,
		 size_t size);

#endif
