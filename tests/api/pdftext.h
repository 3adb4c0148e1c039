/* Reading a PDF back in a test, with the Debian tools tools/install-deps.sh
 * --test installs: its text (poppler's pdftotext), its images (pdfimages)
 * and the QR code on its first page (pdftoppm, then zbar's zbarimg). Each
 * answer is malloc'd (free()), NULL when the tool could not run. */
#ifndef FQ_TEST_PDFTEXT_H
#define FQ_TEST_PDFTEXT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Writes the PDF to a temporary file, runs cmd (each %s is the file's path,
 * at most three) and hands back what it printed. */
static char *pdf_run(const void *pdf, size_t len, const char *cmd)
{
	char path[] = "/tmp/fq-pdf-XXXXXX", line[768], chunk[4096];
	char *out = NULL;
	size_t used = 0, n;
	int fd = mkstemp(path);
	FILE *f;

	if (fd < 0)
		return NULL;
	if (write(fd, pdf, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		return NULL;
	}
	close(fd);
	snprintf(line, sizeof(line), cmd, path, path, path);
	f = popen(line, "r");
	while (f && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		char *more = realloc(out, used + n + 1);

		if (!more)
			break;
		out = more;
		memcpy(out + used, chunk, n);
		used += n;
	}
	if (f)
		pclose(f);
	snprintf(line, sizeof(line), "rm -f %s %s-*.png", path, path);
	if (system(line) != 0)
		fprintf(stderr, "# could not remove %s\n", path);
	if (!out)
		out = calloc(1, 1);
	else
		out[used] = '\0';
	return out;
}

/* The text of the pages ("" for all, "-f 2 -l 2" for the second) without
 * spaces: pdftotext does not say where pango left the gap of a space
 * between Chinese characters. */
static char *pdf_text(const void *pdf, size_t len, const char *pages)
{
	char cmd[128], *t, *w;

	snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 %s %%s - 2>/dev/null", pages);
	t = pdf_run(pdf, len, cmd);
	for (char *r = w = t; t && *r; r++)
		if (*r != ' ')
			*w++ = *r;
	if (t)
		*w = '\0';
	return t;
}

/* The first QR code of the first page, decoded (its first line). */
static char *pdf_qr(const void *pdf, size_t len)
{
	char *t = pdf_run(pdf, len,
			  "pdftoppm -r 150 -png -f 1 -l 1 %s %s && zbarimg --raw -q %s-1.png "
			  "2>/dev/null");
	char *nl = t ? strchr(t, '\n') : NULL;

	if (nl)
		*nl = '\0';
	return t;
}

/* How many pictures the PDF holds (pdfimages lists each as "image", and
 * its transparency, if any, as "smask"). */
static long pdf_images(const void *pdf, size_t len)
{
	char *t = pdf_run(pdf, len,
			  "pdfimages -list %s 2>/dev/null | tail -n +3 | awk '$3 == \"image\"' | wc -l");
	long n = t ? strtol(t, NULL, 10) : -1;

	free(t);
	return n;
}

#endif
