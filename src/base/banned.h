#ifndef DISTARCH_BANNED_H
#define DISTARCH_BANNED_H
/*
 * Functions that overflow buffers or keep hidden state are compile errors
 * (after git's banned.h). Use strbuf_addf, xstrdup, xsnprintf instead.
 */
#define BANNED(func) sorry_##func##_is_a_banned_function
#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gets
#define gets(x) BANNED(gets)
#endif
