/* Content codings a request accepts (RFC 9110 12.5.3, Accept-Encoding), for
 * the browser app's pre-compressed files. No libmicrohttpd here: the header's
 * value in, a quality out. */
#ifndef FQ_ENCODING_H
#define FQ_ENCODING_H

/* The quality, 0 to 1000, that the Accept-Encoding value accept gives the
 * content coding coding ("br", "gzip", "identity"; case-insensitive; x-gzip
 * counts as gzip): its own entry, else "*"'s, else 1000 for identity and 0
 * for any other. NULL (no header) or "" accept only identity. An entry with
 * a malformed quality is ignored. */
int fq_http_coding_q(const char *accept, const char *coding);

#endif
