/* TOTP (RFC 6238) secrets, codes and their verification, and the otpauth:// URI. */
#include "auth/totp.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/str.h"

#include "core/banned.h"

/* Longest base32 secret we read: 128 characters is 80 bytes of key, four
 * times what we issue. */
#define SECRET_TEXT_MAX 128
#define WINDOW_MAX 10

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static enum fq_err init_result = FQ_ERR_INTERNAL;

static void totp_init_once(void)
{
	if (sodium_init() < 0 || oath_init() != OATH_OK)
		init_result = FQ_ERR_INTERNAL;
	else
		init_result = FQ_OK;
}

enum fq_err fq_totp_global_init(void)
{
	pthread_once(&init_once, totp_init_once);
	return init_result;
}

enum fq_err fq_totp_new_secret(char *base32_out, size_t size)
{
	char raw[FQ_TOTP_SECRET_BYTES];
	char *enc = NULL;
	size_t enc_len = 0, n;
	enum fq_err err = FQ_ERR_INTERNAL;

	if (size)
		base32_out[0] = '\0';
	if (size < FQ_TOTP_SECRET_MAX)
		return FQ_ERR_INTERNAL;
	randombytes_buf(raw, sizeof(raw));
	if (oath_base32_encode(raw, sizeof(raw), &enc, &enc_len) != OATH_OK)
		goto out;
	n = strcspn(enc, "=");
	if (n >= size)
		goto out;
	memcpy(base32_out, enc, n);
	base32_out[n] = '\0';
	err = FQ_OK;
out:
	sodium_memzero(raw, sizeof(raw));
	if (enc) {
		sodium_memzero(enc, enc_len);
		free(enc);
	}
	return err;
}

/* Decodes a base32 secret, forgiving what people type or paste: lower case,
 * spaces and missing or present padding. *key is malloc'd (free with
 * free_key). */
static bool decode_secret(const char *text, char **key, size_t *key_len)
{
	char norm[SECRET_TEXT_MAX + 8];
	size_t n = 0;
	int rc;

	*key = NULL;
	*key_len = 0;
	if (!text)
		return false;
	for (const char *p = text; *p; p++) {
		char c = *p;

		if (c == ' ' || c == '=')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7')) || n >= SECRET_TEXT_MAX)
			goto fail;
		norm[n++] = c;
	}
	if (n == 0)
		goto fail;
	while (n % 8)
		norm[n++] = '=';
	rc = oath_base32_decode(norm, n, key, key_len);
	sodium_memzero(norm, sizeof(norm));
	if (rc != OATH_OK || !*key || !*key_len) {
		free(*key);
		*key = NULL;
		return false;
	}
	return true;
fail:
	sodium_memzero(norm, sizeof(norm));
	return false;
}

static void free_key(char *key, size_t len)
{
	if (key) {
		sodium_memzero(key, len);
		free(key);
	}
}

static bool code_at_step(const char *key, size_t key_len, int64_t step, char out[7])
{
	return oath_totp_generate(key, key_len, (time_t)(step * FQ_TOTP_STEP), FQ_TOTP_STEP, 0,
				  FQ_TOTP_DIGITS, out) == OATH_OK;
}

enum fq_err fq_totp_code(const char *base32_secret, int64_t now_s, char out[7])
{
	char *key;
	size_t key_len;
	enum fq_err err = FQ_OK;

	out[0] = '\0';
	if (now_s < 0 || !decode_secret(base32_secret, &key, &key_len))
		return FQ_ERR_INVALID;
	if (!code_at_step(key, key_len, now_s / FQ_TOTP_STEP, out)) {
		out[0] = '\0';
		err = FQ_ERR_INTERNAL;
	}
	free_key(key, key_len);
	return err;
}

bool fq_totp_verify(const char *base32_secret, const char *code, int64_t now_s,
		    int window_steps, int64_t last_used_step, int64_t *matched_step)
{
	char *key, want[FQ_TOTP_DIGITS + 1];
	size_t key_len;
	int64_t now_step, lo, hi;
	bool ok = false;

	if (!code || strlen(code) != FQ_TOTP_DIGITS)
		return false;
	for (int i = 0; i < FQ_TOTP_DIGITS; i++)
		if (code[i] < '0' || code[i] > '9')
			return false;
	/* The bound on now_s keeps step * FQ_TOTP_STEP inside time_t. */
	if (now_s < 0 || now_s > INT64_MAX / 2)
		return false;
	if (window_steps < 0)
		window_steps = 0;
	if (window_steps > WINDOW_MAX)
		window_steps = WINDOW_MAX;
	now_step = now_s / FQ_TOTP_STEP;
	hi = now_step + window_steps;
	lo = now_step - window_steps;
	if (last_used_step >= hi)
		return false;
	if (lo <= last_used_step)
		lo = last_used_step + 1;
	if (lo < 0)
		lo = 0;
	if (!decode_secret(base32_secret, &key, &key_len))
		return false;
	for (int64_t step = lo; step <= hi && !ok; step++) {
		if (!code_at_step(key, key_len, step, want))
			break;
		if (fq_ct_equal(want, code, FQ_TOTP_DIGITS)) {
			ok = true;
			if (matched_step)
				*matched_step = step;
		}
	}
	sodium_memzero(want, sizeof(want));
	free_key(key, key_len);
	return ok;
}

/* Appends the percent-encoding of s at *o; false when it does not fit. */
static bool put_encoded(char *out, size_t size, size_t *o, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			     (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
			     c == '~';

		if (*o + (plain ? 1 : 3) >= size)
			return false;
		if (plain) {
			out[(*o)++] = (char)c;
		} else {
			out[(*o)++] = '%';
			out[(*o)++] = hex[c >> 4];
			out[(*o)++] = hex[c & 15];
		}
	}
	return true;
}

static bool put_plain(char *out, size_t size, size_t *o, const char *s)
{
	size_t n = strlen(s);

	if (*o + n >= size)
		return false;
	memcpy(out + *o, s, n);
	*o += n;
	return true;
}

void fq_totp_uri(const char *issuer, const char *account, const char *secret, char *out,
		 size_t size)
{
	size_t o = 0;
	bool ok;

	if (!size)
		return;
	issuer = issuer ? issuer : "";
	account = account ? account : "";
	secret = secret ? secret : "";
	/* Without an issuer the label is the account alone (Key Uri Format). */
	ok = put_plain(out, size, &o, "otpauth://totp/");
	if (ok && *issuer)
		ok = put_encoded(out, size, &o, issuer) && put_plain(out, size, &o, ":");
	ok = ok && put_encoded(out, size, &o, account) && put_plain(out, size, &o, "?secret=") &&
	     put_encoded(out, size, &o, secret);
	if (ok && *issuer)
		ok = put_plain(out, size, &o, "&issuer=") && put_encoded(out, size, &o, issuer);
	ok = ok && put_plain(out, size, &o, "&algorithm=SHA1&digits=6&period=30");
	out[ok ? o : 0] = '\0';
}
