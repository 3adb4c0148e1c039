/* Administrative division codes (GB/T 2260): provinces and checks of a code. */
#include "domain/division.h"

#include <string.h>

#include "core/banned.h"

static const struct {
	char code[3];
	const char *name;
} provinces[] = {
	{"11", "北京市"},
	{"12", "天津市"},
	{"13", "河北省"},
	{"14", "山西省"},
	{"15", "内蒙古自治区"},
	{"21", "辽宁省"},
	{"22", "吉林省"},
	{"23", "黑龙江省"},
	{"31", "上海市"},
	{"32", "江苏省"},
	{"33", "浙江省"},
	{"34", "安徽省"},
	{"35", "福建省"},
	{"36", "江西省"},
	{"37", "山东省"},
	{"41", "河南省"},
	{"42", "湖北省"},
	{"43", "湖南省"},
	{"44", "广东省"},
	{"45", "广西壮族自治区"},
	{"46", "海南省"},
	{"50", "重庆市"},
	{"51", "四川省"},
	{"52", "贵州省"},
	{"53", "云南省"},
	{"54", "西藏自治区"},
	{"61", "陕西省"},
	{"62", "甘肃省"},
	{"63", "青海省"},
	{"64", "宁夏回族自治区"},
	{"65", "新疆维吾尔自治区"},
	{"71", "台湾省"},
	{"81", "香港特别行政区"},
	{"82", "澳门特别行政区"},
};

/* A few real codes, for demos and tests; not a register. */
static const struct {
	char code[7];
	const char *name;
} known[] = {
	{"110101", "东城区"},
	{"110102", "西城区"},
	{"110105", "朝阳区"},
	{"110108", "海淀区"},
	{"310101", "黄浦区"},
	{"310115", "浦东新区"},
	{"330100", "杭州市"},
	{"330106", "西湖区"},
	{"330600", "绍兴市"},
	{"330681", "诸暨市"},
	{"429004", "仙桃市"},
	{"440100", "广州市"},
	{"440106", "天河区"},
	{"440300", "深圳市"},
	{"440305", "南山区"},
	{"500101", "万州区"},
	{"500103", "渝中区"},
	{"500105", "江北区"},
	{"500106", "沙坪坝区"},
	{"500107", "九龙坡区"},
	{"500108", "南岸区"},
	{"500112", "渝北区"},
	{"510100", "成都市"},
	{"510107", "武侯区"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool six_digits(const char *s)
{
	for (int i = 0; i < 6; i++)
		if (!is_digit(s[i]))
			return false;
	return s[6] == '\0';
}

const char *fq_division_province_name(const char *s)
{
	if (!s || !is_digit(s[0]) || !is_digit(s[1]))
		return NULL;
	for (size_t i = 0; i < COUNT(provinces); i++)
		if (provinces[i].code[0] == s[0] && provinces[i].code[1] == s[1])
			return provinces[i].name;
	return NULL;
}

bool fq_division_province_valid(const char *s)
{
	return fq_division_province_name(s) != NULL;
}

const char *fq_division_name(const char *code)
{
	if (!code || !six_digits(code))
		return NULL;
	for (size_t i = 0; i < COUNT(known); i++)
		if (!memcmp(known[i].code, code, 6))
			return known[i].name;
	return fq_division_province_name(code);
}

enum fq_err fq_division_check(const char *code, bool county_level, struct fq_error *e)
{
	const char *field = "division_code";
	int pref, county;
	bool sar;

	if (!code || !*code)
		return fq_fail(e, FQ_ERR_INVALID, NULL, field,
			       "a division code is required (6 digits, e.g. 500112)");
	if (strnlen(code, 7) != 6 || !six_digits(code))
		return fq_fail(e, FQ_ERR_INVALID, NULL, field,
			       "not a valid division code: it must be exactly 6 digits, e.g. 500112");
	if (!fq_division_province_valid(code))
		return fq_fail(e, FQ_ERR_INVALID, NULL, field,
			       "not a valid division code: %.2s is not a province code", code);
	pref = (code[2] - '0') * 10 + (code[3] - '0');
	county = (code[4] - '0') * 10 + (code[5] - '0');
	if (pref > 70 && pref != 90)
		return fq_fail(e, FQ_ERR_INVALID, NULL, field,
			       "not a valid division code: the prefecture part %.2s of %s must be 01-70 or 90",
			       code + 2, code);
	/* Hong Kong's districts (8100xx) and Macau's parishes (8200xx) hang
	 * directly under the region, with no prefecture part. */
	sar = code[0] == '8';
	if (pref == 0 && county != 0 && !sar)
		return fq_fail(e, FQ_ERR_INVALID, NULL, field,
			       "not a valid division code: %s has a county part but no prefecture part",
			       code);
	if (county_level && pref == 0 && county == 0)
		return fq_fail(e, FQ_ERR_INVALID, NULL, field,
			       "not a county code: %s names a whole province; give the 6-digit code of a district or county",
			       code);
	if (county_level && county == 0)
		return fq_fail(e, FQ_ERR_INVALID, NULL, field,
			       "not a county code: %s names a prefecture (it ends in 00); give the 6-digit code of a district or county",
			       code);
	return FQ_OK;
}
