#include "core/str.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

size_t gw_strlcpy(char *dst, const char *src, size_t size)
{
  size_t len = strlen(src);
  if (size) {
    size_t n = len < size - 1 ? len : size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
  }
  return len;
}

bool gw_str_eq(const char *a, const char *b)
{
  if (!a || !b)
    return a == b;
  return strcmp(a, b) == 0;
}

bool gw_str_empty(const char *s)
{
  return !s || !*s;
}

bool gw_str_starts(const char *s, const char *prefix)
{
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool gw_str_ends(const char *s, const char *suffix)
{
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

bool gw_str_ieq(const char *a, const char *b)
{
  if (!a || !b)
    return a == b;
  for (; *a && *b; a++, b++)
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
      return false;
  return *a == *b;
}

/* U+3000 IDEOGRAPHIC SPACE is E3 80 80 in UTF-8; spreadsheets from Chinese
 * offices often pad cells with it. */
static size_t space_len(const char *p)
{
  if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\v' || *p == '\f')
    return 1;
  if ((unsigned char)p[0] == 0xE3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x80)
    return 3;
  if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0) /* NBSP */
    return 2;
  return 0;
}

char *gw_str_trim(char *s)
{
  char *p = s;
  size_t k;
  while (*p && (k = space_len(p)) > 0)
    p += k;
  size_t len = strlen(p);
  memmove(s, p, len + 1);
  for (;;) {
    if (len >= 1 && space_len(s + len - 1) == 1) {
      s[--len] = '\0';
    } else if (len >= 2 && space_len(s + len - 2) == 2) {
      len -= 2;
      s[len] = '\0';
    } else if (len >= 3 && space_len(s + len - 3) == 3) {
      len -= 3;
      s[len] = '\0';
    } else {
      break;
    }
  }
  return s;
}

char *gw_str_lower(char *s)
{
  for (char *p = s; *p; p++)
    *p = (char)tolower((unsigned char)*p);
  return s;
}

int gw_parse_i64(const char *s, int64_t *out)
{
  if (!s || !*s || isspace((unsigned char)*s))
    return gw_err_set(GW_EINVAL, "'%s' is not a whole number", s ? s : "");
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno == ERANGE)
    return gw_err_set(GW_EINVAL, "'%s' is out of range", s);
  if (*end)
    return gw_err_set(GW_EINVAL, "'%s' is not a whole number", s);
  *out = (int64_t)v;
  return GW_OK;
}

void gw_strv_push_owned(struct gw_strv *sv, char *s)
{
  if (sv->n == sv->cap) {
    sv->cap = sv->cap ? sv->cap * 2 : 8;
    sv->v = gw_reallocarray(sv->v, sv->cap, sizeof *sv->v);
  }
  sv->v[sv->n++] = s;
}

void gw_strv_push(struct gw_strv *sv, const char *s)
{
  gw_strv_push_owned(sv, gw_strdup(s));
}

void gw_strv_free(struct gw_strv *sv)
{
  for (size_t i = 0; i < sv->n; i++)
    free(sv->v[i]);
  free(sv->v);
  sv->v = NULL;
  sv->n = sv->cap = 0;
}
