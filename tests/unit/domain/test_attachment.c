/* Covers src/domain/attachment.c: what a file is, found from its first bytes
 * (never from its name), and the check of the attachment_types setting. */
#include <string.h>

#include "core/err.h"
#include "domain/attachment.h"
#include "test.h"

static const char *sniffed(const void *p, size_t len)
{
	static struct fq_filetype ft;

	fq_attachment_sniff(p, len, &ft);
	return ft.name;
}

#define SNIFF(lit) sniffed(lit, sizeof(lit) - 1)

TEST(types_come_from_the_bytes)
{
	CHECK_STR(SNIFF("\xff\xd8\xff\xe0\0\x10JFIF"), "jpeg");
	CHECK_STR(SNIFF("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), "png");
	CHECK_STR(SNIFF("%PDF-1.7\n"), "pdf");
	CHECK_STR(SNIFF("GIF89a\1\0\1\0"), "gif");
	CHECK_STR(SNIFF("RIFF\0\0\0\0WEBPVP8 "), "webp");
	CHECK_STR(SNIFF("\0\0\0\x18" "ftypheic\0\0\0\0"), "heic");
	CHECK_STR(SNIFF("PK\3\4\x14\0"), "zip");
	CHECK_STR(SNIFF("MZ\x90\0"), "program");
	CHECK_STR(SNIFF("\x7f" "ELF\2\1"), "program");
	CHECK_STR(SNIFF(""), "empty");
	CHECK_STR(SNIFF("hello, 你好\n"), "text");
	CHECK_STR(SNIFF("\0\1\2\3garbage"), "unknown");
}

TEST(markup_is_found_behind_a_bom_and_white_space)
{
	CHECK_STR(SNIFF("\xef\xbb\xbf \r\n<!DOCTYPE HTML><p>"), "html");
	CHECK_STR(SNIFF("<Script>alert(1)</script>"), "html");
	CHECK_STR(SNIFF("  <svg xmlns=\"http://www.w3.org/2000/svg\">"), "xml");
	CHECK_STR(SNIFF("<?xml version=\"1.0\"?>"), "xml");
}

TEST(only_accepted_types_have_a_content_type)
{
	struct fq_filetype ft;

	fq_attachment_sniff("\xff\xd8\xff", 3, &ft);
	CHECK_STR(ft.content_type, "image/jpeg");
	fq_attachment_sniff("<html>", 6, &ft);
	CHECK(ft.content_type == NULL);
	CHECK_STR(ft.label, "HTML text");
}

TEST(the_types_setting_names_known_types)
{
	struct fq_error e = {0};

	CHECK_INT(fq_attachment_types_check("jpeg png pdf", &e), FQ_OK);
	CHECK_INT(fq_attachment_types_check("  png  webp ", &e), FQ_OK);
	CHECK_INT(fq_attachment_types_check("", &e), FQ_OK);
	CHECK_INT(fq_attachment_types_check("jpeg html", &e), FQ_ERR_INVALID);
	CHECK_STR(e.field, "attachment_types");
	CHECK(strstr(e.message, "'html'") != NULL);
}

static const struct fq_test tests[] = {
    TEST_ENTRY(types_come_from_the_bytes),
    TEST_ENTRY(markup_is_found_behind_a_bom_and_white_space),
    TEST_ENTRY(only_accepted_types_have_a_content_type),
    TEST_ENTRY(the_types_setting_names_known_types),
};

int main(int argc, char **argv)
{
	return fq_test_main("domain/attachment", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
