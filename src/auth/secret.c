/* The key file, sealing and unsealing of encrypted fields, keyed hashes and
 * password hashing (libsodium). */
#include "auth/secret.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/banned.h"
#include "core/str.h"

#define KEY_MAGIC "FQKEY1"

struct fq_keys {
	unsigned char seal[crypto_secretbox_KEYBYTES];
	unsigned char hash[crypto_generichash_KEYBYTES];
	unsigned char audit[crypto_generichash_KEYBYTES]; /* derived from hash */
};

enum fq_err fq_secret_init(struct fq_error *e)
{
	if (sodium_init() < 0)
		return fq_fail(e, FQ_ERR_INTERNAL, NULL, NULL, "cannot initialise libsodium");
	return FQ_OK;
}

enum fq_err fq_keys_create(const char *path, struct fq_error *e)
{
	unsigned char buf[6 + crypto_secretbox_KEYBYTES + crypto_generichash_KEYBYTES];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ssize_t n;

	if (fd < 0)
		return fq_fail(e, errno == EEXIST ? FQ_ERR_CONFLICT : FQ_ERR_IO, NULL, "key_file",
			       "cannot create key file '%s': %s", path, strerror(errno));
	memcpy(buf, KEY_MAGIC, 6);
	randombytes_buf(buf + 6, sizeof(buf) - 6);
	n = write(fd, buf, sizeof(buf));
	sodium_memzero(buf, sizeof(buf));
	if (n != (ssize_t)sizeof(buf) || fsync(fd) || close(fd)) {
		unlink(path);
		return fq_fail(e, FQ_ERR_IO, NULL, "key_file", "cannot write key file '%s'", path);
	}
	return FQ_OK;
}

enum fq_err fq_keys_load(const char *path, struct fq_keys **out, struct fq_error *e)
{
	unsigned char buf[6 + crypto_secretbox_KEYBYTES + crypto_generichash_KEYBYTES + 1];
	struct fq_keys *k;
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return fq_fail(e, FQ_ERR_IO, NULL, "key_file",
			       "cannot open key file '%s': %s (run 'fengqiao init' first)", path,
			       strerror(errno));
	if (fstat(fd, &st) || (st.st_mode & 077)) {
		close(fd);
		return fq_fail(e, FQ_ERR_FORBIDDEN, NULL, "key_file",
			       "key file '%s' is readable by others: chmod 600 it", path);
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n != (ssize_t)sizeof(buf) - 1 || memcmp(buf, KEY_MAGIC, 6))
		return fq_fail(e, FQ_ERR_INVALID, NULL, "key_file",
			       "key file '%s' is damaged", path);
	k = sodium_malloc(sizeof(*k));
	if (!k)
		return fq_fail(e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	memcpy(k->seal, buf + 6, sizeof(k->seal));
	memcpy(k->hash, buf + 6 + sizeof(k->seal), sizeof(k->hash));
	sodium_memzero(buf, sizeof(buf));
	crypto_generichash(k->audit, sizeof(k->audit), (const unsigned char *)"fengqiao audit chain v1",
			   23, k->hash, sizeof(k->hash));
	*out = k;
	return FQ_OK;
}

void fq_keys_free(struct fq_keys *k)
{
	if (k)
		sodium_free(k);
}

enum fq_err fq_seal(const struct fq_keys *k, const char *plain, size_t len,
		    unsigned char **out, size_t *out_len)
{
	size_t total = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
	unsigned char *p = malloc(total);

	if (!p)
		return FQ_ERR_NOMEM;
	randombytes_buf(p, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(p + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, len,
			      p, k->seal);
	*out = p;
	*out_len = total;
	return FQ_OK;
}

enum fq_err fq_unseal(const struct fq_keys *k, const void *sealed, size_t len, char **out)
{
	const unsigned char *s = sealed;
	size_t plain_len;
	char *p;

	if (len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return FQ_ERR_INTERNAL;
	plain_len = len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	p = malloc(plain_len + 1);
	if (!p)
		return FQ_ERR_NOMEM;
	if (crypto_secretbox_open_easy((unsigned char *)p, s + crypto_secretbox_NONCEBYTES,
				       len - crypto_secretbox_NONCEBYTES, s, k->seal)) {
		free(p);
		return FQ_ERR_INTERNAL;
	}
	p[plain_len] = '\0';
	*out = p;
	return FQ_OK;
}

void fq_keyed_hash(const struct fq_keys *k, const char *s, char out[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)s, strlen(s), k->hash,
			   sizeof(k->hash));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

void fq_token_hash(const char *token, char out[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

void fq_random_token(const char *prefix, size_t nbytes, char *out, size_t size)
{
	unsigned char raw[64];
	size_t plen = prefix ? strlen(prefix) : 0;

	if (nbytes > sizeof(raw))
		nbytes = sizeof(raw);
	randombytes_buf(raw, nbytes);
	if (plen >= size) {
		out[0] = '\0';
		return;
	}
	memcpy(out, prefix ? prefix : "", plen);
	sodium_bin2base64(out + plen, size - plen, raw, nbytes,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void fq_random_password(char out[17])
{
	static const char *const classes[] = {
		"abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "!#%+-=?@",
	};
	static const char all[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	/* One of each class first, then letters and digits, then shuffle. */
	for (int i = 0; i < 4; i++)
		out[i] = classes[i][randombytes_uniform((uint32_t)strlen(classes[i]))];
	for (int i = 4; i < 16; i++)
		out[i] = all[randombytes_uniform(sizeof(all) - 1)];
	for (int i = 15; i > 0; i--) {
		int j = (int)randombytes_uniform((uint32_t)i + 1);
		char t = out[i];
		out[i] = out[j];
		out[j] = t;
	}
	out[16] = '\0';
}

enum fq_err fq_password_hash(const char *password, char out[128])
{
	if (crypto_pwhash_str(out, password, strlen(password),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE))
		return FQ_ERR_NOMEM;
	return FQ_OK;
}

bool fq_password_verify(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

enum fq_err fq_password_policy(const char *pw, const char *field, struct fq_error *e)
{
	int lower = 0, upper = 0, digit = 0, other = 0;
	long chars = fq_utf8_len(pw, strlen(pw));

	if (strlen(pw) > 128)
		return fq_fail(e, FQ_ERR_INVALID, "too_long", field,
			       "the password is longer than 128 bytes");
	if (chars < 8)
		return fq_fail(e, FQ_ERR_INVALID, "weak_password", field,
			       "the password needs at least 8 characters");
	for (const char *p = pw; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 'a' && c <= 'z')
			lower = 1;
		else if (c >= 'A' && c <= 'Z')
			upper = 1;
		else if (c >= '0' && c <= '9')
			digit = 1;
		else
			other = 1;
	}
	if (lower + upper + digit + other < 3)
		return fq_fail(e, FQ_ERR_INVALID, "weak_password", field,
			       "the password needs 3 of: lower-case, upper-case, digits, symbols");
	return FQ_OK;
}

const unsigned char *fq_keys_audit_key(const struct fq_keys *k, size_t *len)
{
	*len = sizeof(k->audit);
	return k->audit;
}
