/* Covers src/search/bigram.c (the tokenizer) and src/search/query.c (queries,
 * ranking, terms and highlighting). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/json_write.h"
#include "search/bigram.h"
#include "search/query.h"
#include "test.h"

struct collect {
	char out[4096];
	size_t len;
	char offsets[4096];
	size_t olen;
	size_t stop_after; /* 0 = never */
	size_t seen;
};

static int collect_token(void *arg, const struct fq_bigram_token *tok)
{
	struct collect *c = arg;

	if (tok->index != c->seen)
		return 99;
	c->seen++;
	if (c->len + tok->len + 2 < sizeof(c->out))
		c->len += (size_t)snprintf(c->out + c->len, sizeof(c->out) - c->len, "%s%.*s",
					   c->len ? " " : "", (int)tok->len, tok->text);
	if (c->olen + 48 < sizeof(c->offsets))
		c->olen += (size_t)snprintf(c->offsets + c->olen, sizeof(c->offsets) - c->olen,
					    "%s%zu-%zu", c->olen ? " " : "", tok->start, tok->end);
	if (c->stop_after && c->seen == c->stop_after)
		return 7;
	return 0;
}

/* The tokens of text (len bytes, or strlen) joined by spaces. */
static const char *toks_n(const char *text, size_t len, enum fq_bigram_mode mode)
{
	static struct collect c;

	memset(&c, 0, sizeof(c));
	if (fq_bigram_tokenize(text, len, mode, 0, collect_token, &c))
		return "(error)";
	return c.out;
}

static const char *toks(const char *text, enum fq_bigram_mode mode)
{
	return toks_n(text, strlen(text), mode);
}

#define DOC(s) toks((s), FQ_BIGRAM_DOCUMENT)
#define QUERY(s) toks((s), FQ_BIGRAM_QUERY)
#define TERMS(s) toks((s), FQ_BIGRAM_TERMS)

TEST(cjk_run_document)
{
	CHECK_STR(DOC("邻里纠纷"), "邻 邻里 里 里纠 纠 纠纷 纷");
	CHECK_STR(DOC("借条"), "借 借条 条");
	CHECK_STR(DOC("噪"), "噪");
	CHECK_STR(DOC("噪音，借条"), "噪 噪音 音 借 借条 条"); /* full-width comma separates */
	CHECK_STR(DOC("噪音 借条"), "噪 噪音 音 借 借条 条");
}

TEST(cjk_run_query)
{
	CHECK_STR(QUERY("邻里纠纷"), "邻里 里纠 纠纷");
	CHECK_STR(QUERY("借条"), "借条");
	CHECK_STR(QUERY("噪"), "噪");
	CHECK_STR(QUERY("噪 音"), "噪 音");
	CHECK_STR(QUERY("彩礼 纠纷"), "彩礼 纠纷");
}

TEST(terms)
{
	CHECK_STR(TERMS("邻里纠纷，渝A12345 号"), "邻里纠纷 渝 a12345 号");
	CHECK_STR(TERMS(""), "");
}

TEST(offsets)
{
	static struct collect c;

	memset(&c, 0, sizeof(c));
	fq_bigram_tokenize("a借条", strlen("a借条"), FQ_BIGRAM_DOCUMENT, 0, collect_token, &c);
	CHECK_STR(c.out, "a 借 借条 条");
	CHECK_STR(c.offsets, "0-1 1-4 1-7 4-7");
}

TEST(latin_and_digits)
{
	/* A word whole, and past 3 letters each of its parts of 3 (trigrams). */
	CHECK_STR(DOC("渝A12345"), "渝 a12345 a12 123 234 345");
	CHECK_STR(DOC("Hello, World-2026!"), "hello hel ell llo world wor orl rld 2026 202 026");
	CHECK_STR(DOC("3号楼"), "3 号 号楼 楼");
	CHECK_STR(DOC("abc"), "abc");
	CHECK_STR(DOC("电话13800138000"),
		  "电 电话 话 13800138000 138 380 800 001 013 138 380 800 000");
	/* A query asks for the parts of a longer word (so a part finds it), a
	 * word of 3 letters or fewer whole. */
	CHECK_STR(QUERY("渝A12345"), "渝 a12 123 234 345");
	CHECK_STR(QUERY("12345"), "123 234 345");
	CHECK_STR(QUERY("000014"), "000 000 001 014");
	CHECK_STR(QUERY("3号楼"), "3 号楼");
	CHECK_STR(QUERY("ab"), "ab");
	CHECK_STR(QUERY("abc"), "abc");
	/* Terms (ranking, highlighting) stay whole. */
	CHECK_STR(TERMS("渝A12345 ab"), "渝 a12345 ab");
}

TEST(word_part_offsets)
{
	static struct collect c;

	/* Each part's byte range in the input, full-width letters 3 bytes each. */
	memset(&c, 0, sizeof(c));
	fq_bigram_tokenize("x ＡＢ１２", strlen("x ＡＢ１２"), FQ_BIGRAM_DOCUMENT, 0, collect_token, &c);
	CHECK_STR(c.out, "x ab12 ab1 b12");
	CHECK_STR(c.offsets, "0-1 2-14 2-11 5-14");
}

TEST(full_width_forms)
{
	/* Ａ１２ (full-width) → a12; ＡＢ-ｃ → ab c. */
	CHECK_STR(DOC("\xef\xbc\xa1\xef\xbc\x91\xef\xbc\x92"), "a12");
	CHECK_STR(DOC("渝Ａ１２３４５"), "渝 a12345 a12 123 234 345");
	CHECK_STR(DOC("ＡＢ－ｃ"), "ab c");
	CHECK_STR(QUERY("ｐｌａｔｅ"), "pla lat ate");
}

TEST(long_word_cut)
{
	char word[200];

	memset(word, 'x', sizeof(word) - 1);
	word[sizeof(word) - 1] = '\0';
	/* The word cut at 64 letters, and its 62 parts of 3 (each "xxx" and a space). */
	CHECK_INT(strlen(DOC(word)), FQ_BIGRAM_MAX_WORD + (FQ_BIGRAM_MAX_WORD - 2) * 4);
}

TEST(kana_hangul_ext_b)
{
	CHECK_STR(DOC("カナ"), "カ カナ ナ");
	CHECK_STR(QUERY("한국"), "한국");
	CHECK_STR(DOC("\xf0\xa0\x80\x80好"), "\xf0\xa0\x80\x80 \xf0\xa0\x80\x80好 好"); /* U+20000 */
	CHECK_STR(DOC("二〇二六年"), "二 二〇 〇 〇二 二 二六 六 六年 年");
}

TEST(separators)
{
	CHECK_STR(DOC("!!! ... ？？ —— 😀"), "");
	CHECK_STR(DOC("été"), "t"); /* letters outside ASCII separate */
	CHECK_STR(DOC("a_b"), "a b");
}

TEST(invalid_utf8)
{
	/* Invalid bytes separate: a lone continuation byte, a cut sequence, an
	 * overlong '/', a surrogate, a byte past U+10FFFF. */
	CHECK_STR(toks_n("借\x80条", 7, FQ_BIGRAM_DOCUMENT), "借 条");
	CHECK_STR(toks_n("借\xe6\x9d", 5, FQ_BIGRAM_DOCUMENT), "借");
	CHECK_STR(toks_n("a\xc0\xaf" "b", 4, FQ_BIGRAM_DOCUMENT), "a b");
	CHECK_STR(toks_n("借\xed\xa0\x80条", 9, FQ_BIGRAM_DOCUMENT), "借 条");
	CHECK_STR(toks_n("x\xf5\x80\x80\x80y", 6, FQ_BIGRAM_DOCUMENT), "x y");
	CHECK_STR(toks_n("a\0b", 3, FQ_BIGRAM_DOCUMENT), "a b");
	CHECK_STR(toks_n("借条", 4, FQ_BIGRAM_DOCUMENT), "借"); /* cut inside 条 */
}

TEST(token_cap_and_stop)
{
	struct collect c;
	int rc;

	memset(&c, 0, sizeof(c));
	rc = fq_bigram_tokenize("一二三四", strlen("一二三四"), FQ_BIGRAM_DOCUMENT, 3,
				collect_token, &c);
	CHECK_INT(rc, 0);
	CHECK_STR(c.out, "一 一二 二");
	memset(&c, 0, sizeof(c));
	c.stop_after = 2;
	rc = fq_bigram_tokenize("a b c", 5, FQ_BIGRAM_DOCUMENT, 0, collect_token, &c);
	CHECK_INT(rc, 7);
	CHECK_STR(c.out, "a b");
}

TEST(big_text_is_capped)
{
	size_t n = 40000, len = n * 3;
	char *text = malloc(len);
	struct collect c;

	for (size_t i = 0; i < n; i++)
		memcpy(text + 3 * i, i % 2 ? "条" : "借", 3);
	memset(&c, 0, sizeof(c));
	c.stop_after = 0;
	/* Count only: collect_token's buffer fills up but stays terminated. */
	fq_bigram_tokenize(text, len, FQ_BIGRAM_DOCUMENT, 0, collect_token, &c);
	CHECK_INT(c.seen, FQ_BIGRAM_MAX_TOKENS);
	free(text);
}

TEST(query_parse)
{
	struct fq_search_query q;
	struct fq_error e = {0};

	CHECK_INT(fq_search_query_parse("哈哈哈 HA ha", &q), FQ_OK);
	CHECK_INT(q.ntokens, 2); /* 哈哈 once, ha once */
	CHECK_STR(q.tokens[0], "哈哈");
	CHECK_STR(q.tokens[1], "ha");
	CHECK_INT(q.nterms, 2);
	CHECK_STR(q.terms[0], "哈哈哈");
	fq_search_query_release(&q);
	CHECK_INT(fq_search_query_parse("  ，。！ ", &q), FQ_ERR_INVALID);
	fq_search_query_release(&q);
	CHECK_INT(fq_search_query_parse(NULL, &q), FQ_ERR_INVALID);
	fq_search_query_release(&q);
	CHECK_INT(fq_search_check("？？", &e), FQ_ERR_INVALID);
	CHECK_STR(e.field, "q");
	CHECK_STR(e.message, FQ_SEARCH_NO_TOKENS);
	CHECK_INT(fq_search_check("借条", &e), FQ_OK);
}

TEST(query_caps)
{
	struct fq_search_query q;
	char text[1024] = "";

	for (int i = 0; i < 40; i++) /* 40 distinct words */
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "w%d ", i);
	CHECK_INT(fq_search_query_parse(text, &q), FQ_OK);
	CHECK_INT(q.ntokens, FQ_SEARCH_MAX_TOKENS);
	CHECK_INT(q.nterms, FQ_SEARCH_MAX_TERMS);
	fq_search_query_release(&q);
}

TEST(score)
{
	struct fq_search_query q;

	CHECK_INT(fq_search_query_parse("借条", &q), FQ_OK);
	CHECK_INT(fq_search_score(&q, "没有", NULL), 0);
	CHECK_INT(fq_search_score(&q, "借条", NULL), FQ_SEARCH_NARRATIVE_POINTS);
	CHECK_INT(fq_search_score(&q, "借条借条，借条；借条", "x"), 3 * FQ_SEARCH_NARRATIVE_POINTS);
	CHECK_INT(fq_search_score(&q, "借条", "借条路1号"),
		  FQ_SEARCH_NARRATIVE_POINTS + FQ_SEARCH_ADDRESS_POINTS);
	fq_search_query_release(&q);
	/* Bigrams apart match the index but score nothing. */
	CHECK_INT(fq_search_query_parse("邻里纠纷", &q), FQ_OK);
	CHECK_INT(fq_search_score(&q, "邻里之间里纠的纠纷", NULL), 0);
	CHECK_INT(fq_search_score(&q, "一起邻里纠纷", NULL), FQ_SEARCH_NARRATIVE_POINTS);
	fq_search_query_release(&q);
	/* Words count inside words too, any case and width. */
	CHECK_INT(fq_search_query_parse("a12345", &q), FQ_OK);
	CHECK_INT(fq_search_score(&q, "车牌渝Ａ12345", NULL), FQ_SEARCH_NARRATIVE_POINTS);
	CHECK_INT(fq_search_score(&q, "车牌渝A123456", NULL), FQ_SEARCH_NARRATIVE_POINTS);
	CHECK_INT(fq_search_score(&q, "车牌渝A1234", NULL), 0);
	fq_search_query_release(&q);
	CHECK_INT(fq_search_query_parse("000014", &q), FQ_OK);
	CHECK_INT(fq_search_score(&q, NULL, "LL-2026-000014 张三"), FQ_SEARCH_ADDRESS_POINTS);
	CHECK_INT(fq_search_score(&q, NULL, "LL-2026-000140"), 0);
	fq_search_query_release(&q);
}

TEST(snippet)
{
	const char *texts[] = {NULL, "", "楼上<b>装修</b>噪音 & 扰民，噪音持续到深夜", "噪音"};
	const char *long_text[] = {"一二三四五六七八九十一二三四五六七八九十噪音一二三四五六七八九十"};
	char *s;

	/* The first text holding a term, escaped, the terms marked. */
	s = fq_search_snippet("噪音", texts, 4, 60);
	CHECK_STR(s, "楼上&lt;b&gt;装修&lt;/b&gt;<mark>噪音</mark> &amp; 扰民，<mark>噪音</mark>持续到深夜");
	free(s);
	/* None holds one: the first text that is not empty. */
	s = fq_search_snippet("彩礼", texts, 4, 4);
	CHECK_STR(s, "楼上&lt;b…");
	free(s);
	/* Cut around the first match, a third of the way in. */
	s = fq_search_snippet("噪音", long_text, 1, 9);
	CHECK_STR(s, "…八九十<mark>噪音</mark>一二三四…");
	free(s);
	s = fq_search_snippet("a12345", (const char *[]){"车牌渝A12345"}, 1, 60);
	CHECK_STR(s, "车牌渝<mark>A12345</mark>");
	free(s);
	s = fq_search_snippet("x", NULL, 0, 60);
	CHECK_STR(s, "");
	free(s);
}

static char *dumps(json_t *v)
{
	char *s = v ? fq_json_dumps(v, JSON_COMPACT) : NULL;

	json_decref(v);
	return s;
}

TEST(terms_json)
{
	char *s = dumps(fq_search_terms("邻里纠纷 渝Ａ12345"));

	CHECK_STR(s, "[\"邻里纠纷\",\"渝\",\"a12345\"]");
	free(s);
	s = dumps(fq_search_terms("？"));
	CHECK_STR(s, "[]");
	free(s);
}

TEST(highlight)
{
	char *s;

	/* UTF-16 units: 借 is one unit, U+20000 two. */
	s = dumps(fq_search_highlight("借条", "写了借条，又写借条"));
	CHECK_STR(s, "[[2,4],[7,9]]");
	free(s);
	s = dumps(fq_search_highlight("借条", "\xf0\xa0\x80\x80借条"));
	CHECK_STR(s, "[[2,4]]");
	free(s);
	/* Overlapping and touching terms merge; words any case, and inside words. */
	s = dumps(fq_search_highlight("邻里纠纷 纠纷 ABC", "x邻里纠纷abc abcd ABC"));
	CHECK_STR(s, "[[1,8],[9,12],[14,17]]");
	s = (free(s), dumps(fq_search_highlight("12345", "渝Ａ１２３４５车")));
	CHECK_STR(s, "[[2,7]]");
	s = (free(s), dumps(fq_search_highlight("纠纷", "纠纷 纠纷")));
	CHECK_STR(s, "[[0,2],[3,5]]");
	free(s);
	s = dumps(fq_search_highlight("借条", NULL));
	CHECK_STR(s, "[]");
	free(s);
	s = dumps(fq_search_highlight("", "借条"));
	CHECK_STR(s, "[]");
	free(s);
}

TEST(scope_keys)
{
	static struct collect c;

	memset(&c, 0, sizeof(c));
	CHECK_INT(fq_search_scope_keys("/1/22/333/", 10, collect_token, &c), 0);
	CHECK_STR(c.out, "/1/ /1/22/ /1/22/333/");
	memset(&c, 0, sizeof(c));
	fq_search_scope_keys("", 0, collect_token, &c);
	fq_search_scope_keys("x/1/", 4, collect_token, &c);
	CHECK_INT(c.seen, 0);
	CHECK_STR(fq_search_scope_key("/1/2/", "/1/20"), "/1/2/");
	CHECK(!fq_search_scope_key("/", "0"));          /* the whole tree */
	CHECK(!fq_search_scope_key("/1/2/", "/1/3"));   /* not one unit's range */
	CHECK(!fq_search_scope_key("/1/2", "/10"));
	CHECK(!fq_search_scope_key(NULL, "/1/20"));
	CHECK(!fq_search_scope_key("/1/2/", NULL));
}

static const struct fq_test tests[] = {
	TEST_ENTRY(cjk_run_document), TEST_ENTRY(cjk_run_query),   TEST_ENTRY(terms),
	TEST_ENTRY(offsets),          TEST_ENTRY(latin_and_digits), TEST_ENTRY(full_width_forms),
	TEST_ENTRY(long_word_cut),    TEST_ENTRY(kana_hangul_ext_b), TEST_ENTRY(separators),
	TEST_ENTRY(invalid_utf8),     TEST_ENTRY(token_cap_and_stop), TEST_ENTRY(big_text_is_capped),
	TEST_ENTRY(query_parse),      TEST_ENTRY(query_caps),       TEST_ENTRY(score),
	TEST_ENTRY(terms_json),       TEST_ENTRY(highlight),        TEST_ENTRY(scope_keys),
	TEST_ENTRY(word_part_offsets), TEST_ENTRY(snippet),
};

int main(int argc, char **argv)
{
	return fq_test_main("bigram", tests, (int)(sizeof(tests) / sizeof(tests[0])), argc, argv);
}
