/* Calls we never use: each has a bounded or thread-safe replacement (git's banned.h). */
#ifndef FQ_BANNED_H
#define FQ_BANNED_H

#define FQ_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) FQ_BANNED(strcpy)
#undef strcat
#define strcat(x, y) FQ_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) FQ_BANNED(strncpy)
#undef sprintf
#define sprintf(...) FQ_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) FQ_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) FQ_BANNED(strtok)
#undef atoi
#define atoi(x) FQ_BANNED(atoi)
#undef atol
#define atol(x) FQ_BANNED(atol)
#undef gmtime
#define gmtime(t) FQ_BANNED(gmtime)
#undef localtime
#define localtime(t) FQ_BANNED(localtime)
/* its text comes from jansson's allocator: fq_json_dumps (core/json_write.h) */
#undef json_dumps
#define json_dumps(v, f) FQ_BANNED(json_dumps)
#undef gets
#define gets(x) FQ_BANNED(gets)

#endif
