/* Resident ID numbers (GB 11643) and phone numbers: checks, check characters
 * and masks. */
#include "domain/idcard.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/time.h"
#include "domain/division.h"

#include "core/banned.h"

#define ID_LEN 18
#define MS_PER_DAY 86400000LL
/* Birth dates are Chinese calendar dates: "today" is today in China. */
#define CHINA_UTC_OFFSET_MS (8 * 3600 * 1000LL)

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int digits_value(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

char fq_idcard_check_char(const char *s)
{
	static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char check[] = "10X98765432";
	int sum = 0;

	if (!s)
		return 0;
	for (int i = 0; i < 17; i++) {
		if (!is_digit(s[i]))
			return 0;
		sum += (s[i] - '0') * weights[i];
	}
	return check[sum % 11];
}

/* A character of user input, quoted for a message when it is printable ASCII. */
static void quote_char(char c, char *out, size_t size)
{
	if (c > 0x20 && c < 0x7F)
		snprintf(out, size, " ('%c')", c);
	else
		out[0] = '\0';
}

enum fq_err fq_idcard_check(const char *s, int64_t today_ms, struct fq_idcard *out,
			    struct fq_error *e)
{
	const char *field = "id_number";
	char last, want, q[8];
	size_t len;
	int y, m, d;
	int64_t today;

	if (!s || !*s)
		return fq_fail(e, FQ_ERR_INVALID, NULL, field, "an ID number is required");
	len = strnlen(s, 64);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return fq_fail(e, FQ_ERR_INVALID, NULL, field,
				       "not a valid ID number: use the digits 0-9 and X only (it contains full-width or other non-ASCII characters)");
	if (len == 64)
		return fq_fail(e, FQ_ERR_INVALID, NULL, field,
			       "not a valid ID number: it must be 18 characters (17 digits and a check character)");
	if (len != ID_LEN)
		return fq_fail(e, FQ_ERR_INVALID, NULL, field,
			       "not a valid ID number: it must be 18 characters (17 digits and a check character), not %zu",
			       len);
	for (int i = 0; i < 17; i++) {
		if (!is_digit(s[i])) {
			quote_char(s[i], q, sizeof(q));
			return fq_fail(e, FQ_ERR_INVALID, NULL, field,
				       "not a valid ID number: character %d%s is not a digit; the first 17 characters must be digits",
				       i + 1, q);
		}
	}
	last = s[17] == 'x' ? 'X' : s[17];
	if (!is_digit(last) && last != 'X') {
		quote_char(s[17], q, sizeof(q));
		return fq_fail(e, FQ_ERR_INVALID, NULL, field,
			       "not a valid ID number: the last character%s must be a digit or X", q);
	}
	if (!fq_division_province_valid(s))
		return fq_fail(e, FQ_ERR_INVALID, NULL, field,
			       "not a valid ID number: it starts with %.2s, which is not a province code",
			       s);
	y = digits_value(s + 6, 4);
	m = digits_value(s + 10, 2);
	d = digits_value(s + 12, 2);
	if (!fq_date_valid(y, m, d))
		return fq_fail(e, FQ_ERR_INVALID, NULL, field,
			       "not a valid ID number: the birth date %.4s-%.2s-%.2s (characters 7-14) is not a real date",
			       s + 6, s + 10, s + 12);
	if (y < 1900)
		return fq_fail(e, FQ_ERR_INVALID, NULL, field,
			       "not a valid ID number: the birth date %04d-%02d-%02d is before 1900", y,
			       m, d);
	if (today_ms > INT64_MAX - CHINA_UTC_OFFSET_MS)
		today_ms = INT64_MAX - CHINA_UTC_OFFSET_MS;
	today = floor_div(today_ms + CHINA_UTC_OFFSET_MS, MS_PER_DAY);
	if (fq_days_from_civil(y, m, d) > today)
		return fq_fail(e, FQ_ERR_INVALID, NULL, field,
			       "not a valid ID number: the birth date %04d-%02d-%02d is in the future",
			       y, m, d);
	want = fq_idcard_check_char(s);
	if (last != want)
		return fq_fail(e, FQ_ERR_INVALID, NULL, field,
			       "not a valid ID number: the check character should be %c, not %c; please check every digit",
			       want, last);
	if (out) {
		memcpy(out->number, s, 17);
		out->number[17] = last;
		out->number[18] = '\0';
		memcpy(out->division, s, 6);
		out->division[6] = '\0';
		memcpy(out->birth_date, s + 6, 4);
		out->birth_date[4] = '-';
		memcpy(out->birth_date + 5, s + 10, 2);
		out->birth_date[7] = '-';
		memcpy(out->birth_date + 8, s + 12, 2);
		out->birth_date[10] = '\0';
		out->sex = (s[16] - '0') % 2 ? 'M' : 'F';
	}
	return FQ_OK;
}

/* Length in bytes of the UTF-8 character that starts at s (1 for a stray byte). */
static size_t char_len(const unsigned char *s)
{
	size_t n = 1;

	if (*s >= 0xC0)
		while (n < 4 && (s[n] & 0xC0) == 0x80)
			n++;
	return n;
}

void fq_mask_middle(const char *s, size_t keep_start, size_t keep_end, char *out,
		    size_t size)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t chars = 0, i = 0, o = 0;

	if (!size)
		return;
	for (size_t k = 0; p[k]; k += char_len(p + k))
		chars++;
	if (chars <= keep_start + keep_end || keep_start + keep_end < keep_start) {
		keep_start = 0;
		keep_end = chars > 1 ? 1 : 0;
	}
	for (size_t c = 0; c < chars; c++) {
		size_t n = char_len(p + i);
		bool keep = c < keep_start || c >= chars - keep_end;
		size_t w = keep ? n : 1;

		if (o + w > size - 1)
			break;
		if (keep)
			memcpy(out + o, p + i, n);
		else
			out[o] = '*';
		o += w;
		i += n;
	}
	out[o] = '\0';
}

static bool is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

void fq_idcard_mask(const char *number, char out[19])
{
	if (number && strlen(number) == ID_LEN && is_ascii(number)) {
		memcpy(out, number, 6);
		memset(out + 6, '*', 8);
		memcpy(out + 14, number + 14, 4);
		out[18] = '\0';
		return;
	}
	fq_mask_middle(number, 6, 4, out, 19);
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

static bool is_mobile(const char *s, size_t len)
{
	return len == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && all_digits(s, 11);
}

static bool is_local(const char *s, size_t len)
{
	return (len == 7 || len == 8) && s[0] >= '2' && s[0] <= '9' && all_digits(s, len);
}

static bool is_area(const char *s, size_t len)
{
	return (len == 3 || len == 4) && s[0] == '0' && all_digits(s, len);
}

static bool is_landline(const char *s, size_t len)
{
	const char *dash = memchr(s, '-', len);

	if (dash) {
		size_t a = (size_t)(dash - s);
		return is_area(s, a) && is_local(dash + 1, len - a - 1);
	}
	if (is_local(s, len))
		return true;
	for (size_t a = 3; a <= 4 && a < len; a++)
		if (is_area(s, a) && is_local(s + a, len - a))
			return true;
	return false;
}

enum fq_err fq_phone_check(const char *s, struct fq_error *e)
{
	size_t len;

	if (!s || !*s)
		return fq_fail(e, FQ_ERR_INVALID, NULL, "phone", "a phone number is required");
	len = strnlen(s, 21);
	if (len < 7 || len > 20)
		return fq_fail(e, FQ_ERR_INVALID, NULL, "phone",
			       "not a valid phone number: it must be 7 to 20 characters");
	if (is_mobile(s, len) || is_landline(s, len))
		return FQ_OK;
	if (s[0] == '1' && all_digits(s, len))
		return fq_fail(e, FQ_ERR_INVALID, NULL, "phone",
			       "not a valid mobile number: it must be 11 digits starting with 13 to 19");
	return fq_fail(e, FQ_ERR_INVALID, NULL, "phone",
		       "not a valid phone number: give an 11-digit mobile number (13812345678) or a landline such as 023-67812345, digits only, no spaces");
}

void fq_phone_mask(const char *phone, char *out, size_t size)
{
	if (phone && size >= 12 && strlen(phone) == 11 && all_digits(phone, 11)) {
		memcpy(out, phone, 3);
		memset(out + 3, '*', 4);
		memcpy(out + 7, phone + 7, 4);
		out[11] = '\0';
		return;
	}
	fq_mask_middle(phone, 3, 2, out, size);
}
