/* Citizen ID numbers (GB 11643-1999), phone numbers, and masking of both for
 * lists and exports. */
#ifndef FQ_IDCARD_H
#define FQ_IDCARD_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct fq_idcard {
	char number[19];     /* normalised: a lower-case 'x' check character upper-cased */
	char division[7];    /* the first six digits: the division code at registration */
	char birth_date[11]; /* YYYY-MM-DD */
	char sex;            /* 'M' or 'F', from the parity of the 17th digit (odd: M) */
};

/* Checks an 18-character ID number: 17 digits and a check character (a digit
 * or X, lower-case x accepted), a real province in the first two digits, a
 * real birth date (characters 7–14, YYYYMMDD) from 1900 on and not after the
 * date of today_ms in China (UTC+8), and the ISO 7064 MOD 11-2 check
 * character. Only the province of the division code is checked (see
 * division.h). On success fills *out (may be NULL); on failure leaves *out
 * alone and fills *e with field "id_number" and a message saying what is
 * wrong. s may be NULL (an error). */
enum fq_err fq_idcard_check(const char *s, int64_t today_ms, struct fq_idcard *out,
			    struct fq_error *e);

/* The check character of the first 17 digits of s ('0'–'9' or 'X'); 0 when
 * they are not 17 digits. */
char fq_idcard_check_char(const char *s);

/* "110105********002X": the first six and last four characters of an
 * 18-character number. Any other string is masked with
 * fq_mask_middle(number, 6, 4, out, 19). */
void fq_idcard_mask(const char *number, char out[19]);

/* Copies s into out (size bytes, always terminated when size > 0) with all
 * but the first keep_start and last keep_end characters replaced by one '*'
 * each. When s is too short to keep both ends, everything but the last
 * character is masked ("AB" → "*B"), and a single character is masked
 * completely. Meant for ASCII document numbers; a UTF-8 character counts as
 * one character and is never split. When out is too small the result is cut
 * short, never showing more than the masked form would. */
void fq_mask_middle(const char *s, size_t keep_start, size_t keep_end, char *out,
		    size_t size);

/* An 11-digit mobile number → "138****5678"; anything else →
 * fq_mask_middle(phone, 3, 2). */
void fq_phone_mask(const char *phone, char *out, size_t size);

/* Accepts a mainland mobile number (1[3-9] and 9 more digits) or a landline:
 * a local number of 7 or 8 digits not starting with 0 or 1, optionally after
 * an area code of 3 or 4 digits starting with 0, with or without one '-'
 * ("023-67812345", "02367812345", "67812345"). No spaces, no "+86". Fills *e
 * (field "phone") on failure. */
enum fq_err fq_phone_check(const char *s, struct fq_error *e);

#endif
