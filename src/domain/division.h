/* Administrative division codes (GB/T 2260): six digits, two each for the
 * province, the prefecture and the county ("500112" = 重庆市 渝北区).
 *
 * The validation here is structural, against the real table of the 34
 * province-level codes: the shape of the prefecture and county parts is
 * checked, but not that a given prefecture or county code exists (the full list
 * has ~3,000 entries and changes every year as counties merge and split), nor
 * whether a code has since been retired. fq_division_name knows the names of a
 * handful of real codes only, for demos and tests. */
#ifndef FQ_DIVISION_H
#define FQ_DIVISION_H

#include <stdbool.h>

#include "core/err.h"

/* True when the first two characters of s are one of the 34 province-level
 * codes (11 北京市 … 82 澳门特别行政区). s may be longer than two characters
 * (an ID number or a full division code); NULL or shorter is false. */
bool fq_division_province_valid(const char *s);

/* The name of the province whose code is the first two characters of s
 * ("50" or "500112" → "重庆市"), UTF-8, static; NULL when unknown. */
const char *fq_division_province_name(const char *s);

/* Checks that code is six ASCII digits with a real province, a prefecture
 * part of 00, 01–70 or 90 (90: county-level units directly under the
 * province) and a county part of 00–99, where a prefecture of 00 needs a
 * county of 00 (except in Hong Kong and Macau, whose districts are 8100xx and
 * 8200xx). With county_level, the code must name a county: neither the
 * prefecture nor the county part may be 00 ("500000" and "500100" fail,
 * "500112" passes; "820001" passes too). Fills *e (field "division_code") on
 * failure. */
enum fq_err fq_division_check(const char *code, bool county_level, struct fq_error *e);

/* The name of a known code: the county (or prefecture) name when it is in the
 * small built-in table ("500112" → "渝北区"), else the province name, else NULL
 * (also NULL when code is not six digits). UTF-8, static. */
const char *fq_division_name(const char *code);

#endif
