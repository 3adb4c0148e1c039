/* Attachments (domain/attachment.h): what a file is, from its bytes; its
 * name; image sizes read before decoding; thumbnails; and who may see,
 * add or delete an attachment, which is who may see or change its record. */
#include "domain/attachment.h"

#include <gd.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth/permission.h"
#include "auth/principal.h"
#include "config/config.h"
#include "core/arena.h"
#include "core/banned.h"
#include "core/log.h"
#include "core/str.h"
#include "core/time.h"
#include "domain/ctx.h"
#include "store/attachment_store.h"

/* ---- what the bytes are ---- */

/* The types an attachment may be (attachment_types names them), then the
 * ones only recognised, to say what a refused file was. */
static const struct fq_filetype types[] = {
	{"jpeg", "a JPEG image", "image/jpeg", ".jpg"},
	{"png", "a PNG image", "image/png", ".png"},
	{"pdf", "a PDF document", "application/pdf", ".pdf"},
	{"gif", "a GIF image", "image/gif", ".gif"},
	{"webp", "a WebP image", "image/webp", ".webp"},
};
#define NACCEPTABLE ((int)(sizeof(types) / sizeof(types[0])))

static bool starts(const unsigned char *p, size_t len, const void *magic, size_t n)
{
	return len >= n && !memcmp(p, magic, n);
}

static bool starts_ci(const unsigned char *p, size_t len, const char *word)
{
	size_t n = strlen(word);

	if (len < n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = p[i];

		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch - 'A' + 'a');
		if (ch != (unsigned char)word[i])
			return false;
	}
	return true;
}

void fq_attachment_sniff(const void *data, size_t len, struct fq_filetype *out)
{
	const unsigned char *p = data, *t = p;
	size_t tl = len, probe;

	if (!len) {
		*out = (struct fq_filetype){"empty", "empty", NULL, ""};
		return;
	}
	if (starts(p, len, "\xff\xd8\xff", 3)) {
		*out = types[0];
		return;
	}
	if (starts(p, len, "\x89PNG\r\n\x1a\n", 8)) {
		*out = types[1];
		return;
	}
	if (starts(p, len, "%PDF-", 5)) {
		*out = types[2];
		return;
	}
	if (starts(p, len, "GIF87a", 6) || starts(p, len, "GIF89a", 6)) {
		*out = types[3];
		return;
	}
	if (len >= 12 && starts(p, len, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4)) {
		*out = types[4];
		return;
	}
	if (len >= 12 && !memcmp(p + 4, "ftyp", 4)) {
		if (!memcmp(p + 8, "hei", 3) || !memcmp(p + 8, "mif1", 4) || !memcmp(p + 8, "msf1", 4))
			*out = (struct fq_filetype){"heic", "a HEIC photo (iPhone: set the camera "
							    "to \"Most Compatible\")", NULL, ".heic"};
		else
			*out = (struct fq_filetype){"video", "a video", NULL, ".mp4"};
		return;
	}
	if (starts(p, len, "II*\0", 4) || starts(p, len, "MM\0*", 4)) {
		*out = (struct fq_filetype){"tiff", "a TIFF image", NULL, ".tif"};
		return;
	}
	if (starts(p, len, "BM", 2) && len > 14) {
		*out = (struct fq_filetype){"bmp", "a BMP image", NULL, ".bmp"};
		return;
	}
	if (starts(p, len, "PK\x03\x04", 4)) {
		*out = (struct fq_filetype){"zip", "a ZIP archive (or a Word or Excel file)", NULL,
					    ".zip"};
		return;
	}
	if (starts(p, len, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8)) {
		*out = (struct fq_filetype){"office", "an old Word or Excel file", NULL, ".doc"};
		return;
	}
	if (starts(p, len, "\x7f" "ELF", 4) || starts(p, len, "MZ", 2)) {
		*out = (struct fq_filetype){"program", "a program", NULL, ".exe"};
		return;
	}
	/* Text: skip a byte-order mark and white space, then look for markup. */
	if (starts(t, tl, "\xef\xbb\xbf", 3)) {
		t += 3;
		tl -= 3;
	}
	while (tl && (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n')) {
		t++;
		tl--;
	}
	if (starts_ci(t, tl, "<!doctype html") || starts_ci(t, tl, "<html") ||
	    starts_ci(t, tl, "<head") || starts_ci(t, tl, "<body") || starts_ci(t, tl, "<script") ||
	    starts_ci(t, tl, "<iframe") || starts_ci(t, tl, "<!--")) {
		*out = (struct fq_filetype){"html", "HTML text", NULL, ".html"};
		return;
	}
	if (starts_ci(t, tl, "<?xml") || starts_ci(t, tl, "<svg")) {
		*out = (struct fq_filetype){"xml", "XML or SVG text", NULL, ".xml"};
		return;
	}
	probe = len < 512 ? len : 512;
	for (size_t i = 0; i < probe; i++)
		if (p[i] < 0x09 || (p[i] > 0x0d && p[i] < 0x20)) {
			*out = (struct fq_filetype){"unknown", "of a kind this server does not know",
						    NULL, ""};
			return;
		}
	*out = (struct fq_filetype){"text", "plain text", NULL, ".txt"};
}

/* Whether the type name is in the space-separated list. */
static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *s = list; *s;) {
		size_t w;

		while (*s == ' ')
			s++;
		w = strcspn(s, " ");
		if (w == n && !strncmp(s, name, n))
			return true;
		s += w;
	}
	return false;
}

enum fq_err fq_attachment_types_check(const char *list, struct fq_error *e)
{
	for (const char *s = list; *s;) {
		size_t w;
		int k;

		while (*s == ' ')
			s++;
		w = strcspn(s, " ");
		if (!w)
			break;
		for (k = 0; k < NACCEPTABLE; k++)
			if (strlen(types[k].name) == w && !strncmp(s, types[k].name, w))
				break;
		if (k == NACCEPTABLE)
			return fq_fail(e, FQ_ERR_INVALID, NULL, "attachment_types",
				       "attachment_types: '%.*s' is not a type this server knows "
				       "(jpeg png pdf gif webp)",
				       (int)(w > 20 ? 20 : w), s);
		s += w;
	}
	return FQ_OK;
}

/* "JPEG, PNG, PDF" for a message. */
static const char *accepted_words(struct fq_ctx *c, const char *list)
{
	char out[128] = "";
	size_t n = 0;

	for (int k = 0; k < NACCEPTABLE; k++)
		if (listed(list, types[k].name)) {
			int w = snprintf(out + n, sizeof(out) - n, "%s%s", n ? ", " : "",
					 types[k].name);

			if (w > 0 && (size_t)w < sizeof(out) - n)
				n += (size_t)w;
		}
	for (size_t i = 0; i < n; i++)
		if (out[i] >= 'a' && out[i] <= 'z')
			out[i] = (char)(out[i] - 'a' + 'A');
	return fq_arena_strdup(c->arena, n ? out : "none");
}

/* ---- image sizes, read from the headers before decoding ---- */

static uint32_t be16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool png_size(const unsigned char *p, size_t len, int64_t *w, int64_t *h)
{
	if (len < 24 || memcmp(p + 12, "IHDR", 4))
		return false;
	*w = be32(p + 16);
	*h = be32(p + 20);
	return true;
}

/* Walks the JPEG segments to the frame header (SOFn); the EXIF orientation
 * (APP1, tag 0x0112) on the way, 1 when there is none. */
static bool jpeg_size(const unsigned char *p, size_t len, int64_t *w, int64_t *h,
		      int *orientation);

static int exif_orientation(const unsigned char *p, size_t len)
{
	bool le;
	uint32_t ifd, n;

	/* "Exif\0\0" then a TIFF header: byte order, 42, offset of IFD0. */
	if (len < 14 || memcmp(p, "Exif\0\0", 6))
		return 1;
	p += 6;
	len -= 6;
	if (!memcmp(p, "II*\0", 4))
		le = true;
	else if (!memcmp(p, "MM\0*", 4))
		le = false;
	else
		return 1;
#define U16(q) (le ? (uint32_t)(q)[0] | (uint32_t)(q)[1] << 8 : be16(q))
#define U32(q) (le ? (uint32_t)(q)[0] | (uint32_t)(q)[1] << 8 | (uint32_t)(q)[2] << 16 | (uint32_t)(q)[3] << 24 : be32(q))
	ifd = U32(p + 4);
	if (ifd > len || len - ifd < 2)
		return 1;
	n = U16(p + ifd);
	for (uint32_t i = 0; i < n; i++) {
		size_t at = (size_t)ifd + 2 + (size_t)i * 12;

		if (at + 12 > len)
			break;
		if (U16(p + at) == 0x0112) {
			uint32_t v = U16(p + at + 8);

			return v >= 1 && v <= 8 ? (int)v : 1;
		}
	}
#undef U16
#undef U32
	return 1;
}

static bool jpeg_size(const unsigned char *p, size_t len, int64_t *w, int64_t *h,
		      int *orientation)
{
	size_t at = 2;

	*orientation = 1;
	while (at + 4 <= len) {
		unsigned char m;
		size_t seg;

		if (p[at] != 0xff)
			return false;
		m = p[at + 1];
		if (m == 0xff) { /* fill byte */
			at++;
			continue;
		}
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd7)) {
			at += 2;
			continue;
		}
		seg = be16(p + at + 2);
		if (seg < 2 || at + 2 + seg > len)
			return false;
		if (m == 0xe1)
			*orientation = exif_orientation(p + at + 4, seg - 2);
		if ((m >= 0xc0 && m <= 0xcf) && m != 0xc4 && m != 0xc8 && m != 0xcc) {
			if (seg < 7)
				return false;
			*h = be16(p + at + 5);
			*w = be16(p + at + 7);
			return true;
		}
		if (m == 0xda || m == 0xd9) /* scan data or end before a frame */
			return false;
		at += 2 + seg;
	}
	return false;
}

/* ---- thumbnails ---- */

static void gd_quiet(int priority, const char *fmt, va_list ap)
{
	char line[256];

	(void)priority;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	fq_str_sanitize(line);
	fq_log_debug("libgd: %s", line);
}

static pthread_once_t gd_once = PTHREAD_ONCE_INIT;

static void gd_setup(void)
{
	gdSetErrorMethod(gd_quiet);
}

/* The thumbnail turned as EXIF orientation o says (2..8), or NULL. */
static gdImagePtr orient(gdImagePtr im, int o)
{
	int w = gdImageSX(im), h = gdImageSY(im);
	bool swap = o >= 5;
	gdImagePtr out = gdImageCreateTrueColor(swap ? h : w, swap ? w : h);

	if (!out)
		return NULL;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			int px = gdImageGetTrueColorPixel(im, x, y), nx = x, ny = y;

			switch (o) {
			case 2: nx = w - 1 - x; break;
			case 3: nx = w - 1 - x; ny = h - 1 - y; break;
			case 4: ny = h - 1 - y; break;
			case 5: nx = y; ny = x; break;
			case 6: nx = h - 1 - y; ny = x; break;
			case 7: nx = h - 1 - y; ny = w - 1 - x; break;
			case 8: nx = y; ny = w - 1 - x; break;
			default: break;
			}
			gdImageSetPixel(out, nx, ny, px);
		}
	return out;
}

/* Decodes a JPEG or PNG whose size was checked and makes a JPEG thumbnail
 * in the arena. FQ_ERR_INVALID when the image cannot be decoded. */
static enum fq_err make_thumbnail(struct fq_ctx *c, const struct fq_filetype *ft,
				  const void *data, size_t len, int orientation,
				  const void **thumb, size_t *thumb_len)
{
	gdImagePtr src, dst = NULL, turned, mid;
	int sw, sh, tw, th, size = 0;
	void *jpeg = NULL;
	enum fq_err err = FQ_OK;

	pthread_once(&gd_once, gd_setup);
	if (len > (size_t)INT32_MAX)
		return FQ_ERR_INVALID;
	src = !strcmp(ft->name, "jpeg") ? gdImageCreateFromJpegPtrEx((int)len, (void *)data, 1)
					: gdImageCreateFromPngPtr((int)len, (void *)data);
	if (!src)
		return FQ_ERR_INVALID;
	sw = gdImageSX(src);
	sh = gdImageSY(src);
	if (sw >= sh) {
		tw = sw < FQ_ATTACH_THUMB_SIDE ? sw : FQ_ATTACH_THUMB_SIDE;
		th = (int)((int64_t)sh * tw / sw);
	} else {
		th = sh < FQ_ATTACH_THUMB_SIDE ? sh : FQ_ATTACH_THUMB_SIDE;
		tw = (int)((int64_t)sw * th / sh);
	}
	if (tw < 1)
		tw = 1;
	if (th < 1)
		th = 1;
	dst = gdImageCreateTrueColor(tw, th);
	if (!dst) {
		err = FQ_ERR_NOMEM;
		goto out;
	}
	/* A large photo is first sampled down to 4 times the thumbnail (nearest
	 * pixel, cheap), then averaged: 0.06 s instead of 0.4 s for 12
	 * megapixels, and 16 samples a thumbnail pixel still smooth the noise. */
	if (sw > 4 * tw && sh > 4 * th && (mid = gdImageCreateTrueColor(4 * tw, 4 * th))) {
		gdImageAlphaBlending(mid, 0); /* keep transparency for the step below */
		gdImageCopyResized(mid, src, 0, 0, 0, 0, 4 * tw, 4 * th, sw, sh);
		gdImageDestroy(src);
		src = mid;
		sw = 4 * tw;
		sh = 4 * th;
	}
	/* Transparent parts (a drawn signature) on white, not black. */
	gdImageFilledRectangle(dst, 0, 0, tw - 1, th - 1, gdTrueColor(255, 255, 255));
	gdImageAlphaBlending(dst, 1);
	gdImageCopyResampled(dst, src, 0, 0, 0, 0, tw, th, sw, sh);
	if (orientation > 1 && (turned = orient(dst, orientation))) {
		gdImageDestroy(dst);
		dst = turned;
	}
	jpeg = gdImageJpegPtr(dst, &size, 80);
	if (!jpeg || size <= 0) {
		err = FQ_ERR_INTERNAL;
		goto out;
	}
	*thumb = fq_arena_alloc(c->arena, (size_t)size);
	if (!*thumb) {
		err = FQ_ERR_NOMEM;
		goto out;
	}
	memcpy((void *)*thumb, jpeg, (size_t)size);
	*thumb_len = (size_t)size;
out:
	if (jpeg)
		gdFree(jpeg);
	if (dst)
		gdImageDestroy(dst);
	gdImageDestroy(src);
	return err;
}

/* ---- names ---- */

static const struct {
	const char *ext;
	const char *type;
} known_ext[] = {
	{"jpg", "jpeg"}, {"jpeg", "jpeg"}, {"jpe", "jpeg"}, {"jfif", "jpeg"}, {"png", "png"},
	{"pdf", "pdf"},  {"gif", "gif"},   {"webp", "webp"}, {"heic", "heic"}, {"heif", "heic"},
	{"tif", "tiff"}, {"tiff", "tiff"}, {"bmp", "bmp"},  {"htm", "html"},  {"html", "html"},
	{"xhtml", "html"}, {"svg", "xml"}, {"xml", "xml"},  {"txt", "text"},  {"zip", "zip"},
	{"docx", "zip"}, {"xlsx", "zip"},  {"doc", "office"}, {"xls", "office"},
	{"exe", "program"}, {"js", "text"}, {"mp4", "video"}, {"mov", "video"},
};

/* The name as kept: the part after the last / or \, without control
 * characters and surrounding spaces, "attachment" when nothing is left; the
 * type's extension added when the name has none a type is known by. An
 * extension naming another type is refused. */
static enum fq_err clean_name(struct fq_ctx *c, const char *name, const struct fq_filetype *ft,
			      const char **out)
{
	const char *base = name ? name : "", *dot;
	char *s, *d;
	long chars;

	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	chars = fq_utf8_len(base, strlen(base));
	if (chars < 0)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "name", "the file name is not valid UTF-8");
	if (chars > FQ_ATTACH_MAX_NAME)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "name",
			       "the file name is longer than %d characters", FQ_ATTACH_MAX_NAME);
	s = fq_arena_strdup(c->arena, base);
	if (!s)
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	for (d = s, base = s; *base; base++)
		if ((unsigned char)*base >= 0x20 && *base != 0x7f && *base != '"')
			*d++ = *base;
	*d = '\0';
	while (*s == ' ' || *s == '.')
		s++;
	for (d = s + strlen(s); d > s && d[-1] == ' ';)
		*--d = '\0';
	if (!*s)
		s = fq_arena_strdup(c->arena, "attachment");
	if (!s)
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	dot = strrchr(s, '.');
	if (dot) {
		for (size_t k = 0; k < sizeof(known_ext) / sizeof(known_ext[0]); k++) {
			if (strcasecmp(dot + 1, known_ext[k].ext))
				continue;
			if (strcmp(known_ext[k].type, ft->name))
				return fq_fail(c->e, FQ_ERR_INVALID, "file_type", "name",
					       "the file is %s, but its name ends in %s", ft->label,
					       dot);
			*out = s;
			return FQ_OK;
		}
	}
	*out = fq_arena_printf(c->arena, "%s%s", s, ft->ext);
	return *out ? FQ_OK : fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
}

/* ---- access ---- */

static enum fq_err may(struct fq_ctx *c, const struct fq_attach_owner *owner, int64_t record_id,
		       bool write)
{
	const char *perm = write ? owner->write_permission : owner->read_permission;

	if (!fq_principal_may(c->who, perm))
		return fq_fail(c->e, FQ_ERR_FORBIDDEN, NULL, NULL,
			       "your role may not %s %s records", write ? "change" : "see",
			       owner->type);
	return owner->check(c, record_id, write);
}

static const struct fq_attach_owner *owner_of(const struct fq_attach_owner *const *owners,
					      const char *type)
{
	for (int i = 0; type && owners[i]; i++)
		if (!strcmp(owners[i]->type, type))
			return owners[i];
	return NULL;
}

static enum fq_err not_found(struct fq_ctx *c)
{
	return fq_fail(c->e, FQ_ERR_NOT_FOUND, NULL, NULL, "no such attachment");
}

/* ---- the calls ---- */

enum fq_err fq_attachment_create(struct fq_ctx *c, const struct fq_attach_owner *owner,
				 int64_t record_id, const char *kind, const char *name,
				 const void *data, size_t len, json_t **out)
{
	struct fq_attachment_new a = {.record_type = owner->type, .record_id = record_id,
				      .kind = kind, .content = data, .size = len};
	struct fq_filetype ft;
	const char *allowed = c->cfg->attachment_types;
	bool signature = !strcmp(kind, "signature");
	int64_t count = 0, id = 0;
	int orientation = 1;
	unsigned char digest[crypto_hash_sha256_BYTES];
	char *hex;
	enum fq_err err;

	*out = NULL;
	if (strcmp(kind, "file") && !signature)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "kind", "kind must be file or signature");
	if ((err = may(c, owner, record_id, true)))
		return err;
	if (!len)
		return fq_fail(c->e, FQ_ERR_INVALID, "empty_file", "file", "the file is empty");
	if (signature && len > FQ_ATTACH_MAX_SIGNATURE)
		return fq_fail(c->e, FQ_ERR_TOO_LARGE, "file_too_large", "file",
			       "a signature is at most %d KB", FQ_ATTACH_MAX_SIGNATURE / 1024);
	if ((int64_t)len > c->cfg->max_attachment)
		return fq_fail(c->e, FQ_ERR_TOO_LARGE, "file_too_large", "file",
			       "the file is larger than %lld bytes, the most this server accepts",
			       (long long)c->cfg->max_attachment);
	fq_attachment_sniff(data, len, &ft);
	if (signature ? strcmp(ft.name, "png") : !ft.content_type || !listed(allowed, ft.name))
		return fq_fail(c->e, FQ_ERR_INVALID, "file_type", "file",
			       "the file is %s; accepted are %s", ft.label,
			       signature ? "PNG" : accepted_words(c, allowed));
	if ((err = clean_name(c, name, &ft, &a.name)))
		return err;
	a.content_type = ft.content_type;
	if (!strcmp(ft.name, "jpeg") || !strcmp(ft.name, "png")) {
		bool ok = !strcmp(ft.name, "png")
				  ? png_size(data, len, &a.width, &a.height)
				  : jpeg_size(data, len, &a.width, &a.height, &orientation);

		if (!ok || a.width < 1 || a.height < 1)
			return fq_fail(c->e, FQ_ERR_INVALID, "bad_image", "file",
				       "the file starts as %s but its size cannot be read: it may "
				       "be damaged", ft.label);
		if (a.width > FQ_ATTACH_MAX_SIDE || a.height > FQ_ATTACH_MAX_SIDE ||
		    a.width * a.height > FQ_ATTACH_MAX_PIXELS)
			return fq_fail(c->e, FQ_ERR_INVALID, "image_too_large", "file",
				       "the image is %lld × %lld pixels; at most %lld million "
				       "pixels and %d a side are accepted",
				       (long long)a.width, (long long)a.height,
				       FQ_ATTACH_MAX_PIXELS / 1000000, FQ_ATTACH_MAX_SIDE);
		err = make_thumbnail(c, &ft, data, len, orientation, &a.thumbnail,
				     &a.thumbnail_len);
		if (err == FQ_ERR_INVALID)
			return fq_fail(c->e, err, "bad_image", "file",
				       "the file starts as %s but cannot be read: it may be damaged",
				       ft.label);
		if (err)
			return fq_fail(c->e, err, NULL, NULL, "cannot make the thumbnail");
		if (orientation >= 5) { /* shown turned: width and height as seen */
			int64_t t = a.width;

			a.width = a.height;
			a.height = t;
		}
	}
	err = fq_store_attachments_count(c->db, owner->type, record_id, &count);
	if (!err && count >= FQ_ATTACH_MAX_PER_RECORD)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "too_many", "file",
			       "this record has %d attachments already, the most it may have",
			       FQ_ATTACH_MAX_PER_RECORD);
	hex = fq_arena_alloc(c->arena, 65);
	if (!err && !hex)
		err = FQ_ERR_NOMEM;
	if (err)
		return fq_fail(c->e, err, NULL, NULL, NULL);
	crypto_hash_sha256(digest, data, len);
	sodium_bin2hex(hex, 65, digest, sizeof(digest));
	a.sha256 = hex;
	a.by = c->who->user_id;
	a.at = fq_time_now_ms();
	err = fq_store_attachment_insert(c->db, &a, &id);
	if (!err)
		*out = fq_store_attachment_json(c->db, id, &err);
	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}

json_t *fq_attachment_list(struct fq_ctx *c, const struct fq_attach_owner *owner,
			   int64_t record_id, const char *kind)
{
	enum fq_err err;
	json_t *items;

	if (may(c, owner, record_id, false))
		return NULL;
	items = fq_store_attachments_of(c->db, owner->type, record_id, kind,
					FQ_ATTACH_MAX_PER_RECORD, &err);
	if (!items) {
		fq_fail(c->e, err, NULL, NULL, NULL);
		return NULL;
	}
	return json_pack("{s:o}", "items", items);
}

json_t *fq_attachment_get(struct fq_ctx *c, const struct fq_attach_owner *const *owners,
			  int64_t id, const struct fq_attach_owner **owner)
{
	enum fq_err err;
	json_t *a = fq_store_attachment_json(c->db, id, &err);
	const struct fq_attach_owner *o;

	if (!a) {
		if (err == FQ_ERR_NOT_FOUND)
			not_found(c);
		else
			fq_fail(c->e, err, NULL, NULL, NULL);
		return NULL;
	}
	o = owner_of(owners, json_string_value(json_object_get(a, "record_type")));
	if (!o || !json_is_null(json_object_get(a, "deleted_at"))) {
		json_decref(a);
		not_found(c);
		return NULL;
	}
	if ((err = may(c, o, json_integer_value(json_object_get(a, "record_id")), false))) {
		json_decref(a);
		/* Out of scope or not permitted: the same answer as for none. */
		if (err == FQ_ERR_NOT_FOUND)
			not_found(c);
		return NULL;
	}
	if (owner)
		*owner = o;
	return a;
}

enum fq_err fq_attachment_read(struct fq_ctx *c, const struct fq_attach_owner *const *owners,
			       int64_t id, bool thumbnail, struct fq_attachment_bytes *out)
{
	json_t *a = fq_attachment_get(c, owners, id, &out->owner);
	enum fq_err err;

	if (!a)
		return c->e->err;
	out->content_type = thumbnail ? "image/jpeg"
				      : fq_arena_strdup(c->arena, json_string_value(json_object_get(
									  a, "content_type")));
	out->name = fq_arena_strdup(c->arena, json_string_value(json_object_get(a, "name")));
	out->record_type = out->owner->type;
	out->record_id = json_integer_value(json_object_get(a, "record_id"));
	json_decref(a);
	if (!out->content_type || !out->name)
		return fq_fail(c->e, FQ_ERR_NOMEM, NULL, NULL, NULL);
	err = fq_store_attachment_bytes(c->db, id, thumbnail, c->arena, &out->data, &out->len);
	if (err == FQ_ERR_NOT_FOUND)
		return fq_fail(c->e, err, NULL, NULL,
			       thumbnail ? "this attachment has no thumbnail" : "no such attachment");
	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}

enum fq_err fq_attachment_delete(struct fq_ctx *c, const struct fq_attach_owner *const *owners,
				 int64_t id, const char **record_type, int64_t *record_id)
{
	const struct fq_attach_owner *o;
	json_t *a = fq_attachment_get(c, owners, id, &o);
	int64_t by;
	int used = 0;
	enum fq_err err;

	if (!a)
		return c->e->err;
	by = json_integer_value(json_object_get(a, "uploaded_by"));
	*record_id = json_integer_value(json_object_get(a, "record_id"));
	*record_type = o->type;
	json_decref(a);
	if ((err = may(c, o, *record_id, true)))
		return err;
	if (by != c->who->user_id && strcmp(c->who->role, "chief"))
		return fq_fail(c->e, FQ_ERR_FORBIDDEN, NULL, NULL,
			       "only who attached the file or the station chief may delete it");
	err = fq_store_attachment_in_use(c->db, id, &used);
	if (!err && used)
		return fq_fail(c->e, FQ_ERR_CONFLICT, "in_use", NULL,
			       "this signature belongs to a sealed on-site record: it cannot be "
			       "deleted");
	if (!err)
		err = fq_store_attachment_delete(c->db, id, c->who->user_id, fq_time_now_ms());
	if (err == FQ_ERR_NOT_FOUND)
		return not_found(c);
	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}

enum fq_err fq_attachment_signature(struct fq_ctx *c, const char *record_type,
				    int64_t record_id, int64_t id, int k, const void **png,
				    size_t *len)
{
	enum fq_err err;
	json_t *a = fq_store_attachment_json(c->db, id, &err);
	bool ok;
	int used = 0;

	if (!a)
		return err == FQ_ERR_NOT_FOUND
			       ? fq_fail(c->e, FQ_ERR_INVALID, NULL, "signatures",
					 "signature %d: no such attachment", k + 1)
			       : fq_fail(c->e, err, NULL, NULL, NULL);
	ok = !strcmp(json_string_value(json_object_get(a, "record_type")), record_type) &&
	     json_integer_value(json_object_get(a, "record_id")) == record_id &&
	     !strcmp(json_string_value(json_object_get(a, "kind")), "signature") &&
	     json_is_null(json_object_get(a, "deleted_at"));
	json_decref(a);
	if (!ok)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "signatures",
			       "signature %d: attachment %lld is not a signature of this record",
			       k + 1, (long long)id);
	err = fq_store_attachment_in_use(c->db, id, &used);
	if (!err && used)
		return fq_fail(c->e, FQ_ERR_INVALID, NULL, "signatures",
			       "signature %d: attachment %lld is used by a record already", k + 1,
			       (long long)id);
	if (!err)
		err = fq_store_attachment_bytes(c->db, id, 0, c->arena, png, len);
	return err ? fq_fail(c->e, err, NULL, NULL, NULL) : FQ_OK;
}
