/* Small string helpers that replace the banned libc calls.
 *
 * Nothing here allocates unless its name says so (dup, strv). */
#ifndef GW_CORE_STR_H
#define GW_CORE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copy at most size-1 bytes and terminate; returns strlen(src) (truncated if >= size). */
size_t gw_strlcpy(char *dst, const char *src, size_t size);
bool gw_str_eq(const char *a, const char *b);        /* NULL-safe */
bool gw_str_empty(const char *s);                    /* NULL or "" */
bool gw_str_starts(const char *s, const char *prefix);
bool gw_str_ends(const char *s, const char *suffix);
/* ASCII case-insensitive equality. */
bool gw_str_ieq(const char *a, const char *b);
/* Trim ASCII white space and U+3000 (ideographic space) in place; returns s. */
char *gw_str_trim(char *s);
/* Lower-case ASCII letters in place; returns s. */
char *gw_str_lower(char *s);
/* Strict decimal integer parse: whole string, optional sign, no overflow. */
int gw_parse_i64(const char *s, int64_t *out);

/* A growable vector of owned strings. */
struct gw_strv {
  char **v;
  size_t n, cap;
};
void gw_strv_push(struct gw_strv *sv, const char *s);      /* copies s */
void gw_strv_push_owned(struct gw_strv *sv, char *s);      /* takes s */
void gw_strv_free(struct gw_strv *sv);

#endif
