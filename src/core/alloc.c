#include "core/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
  fprintf(stderr, "govwatch: out of memory (allocating %zu bytes)\n", n);
  abort();
}

void *gw_malloc(size_t n)
{
  void *p = malloc(n ? n : 1);
  if (!p)
    oom(n);
  return p;
}

void *gw_calloc(size_t count, size_t size)
{
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (!p)
    oom(count * size);
  return p;
}

void *gw_realloc(void *p, size_t n)
{
  void *q = realloc(p, n ? n : 1);
  if (!q)
    oom(n);
  return q;
}

void *gw_reallocarray(void *p, size_t count, size_t size)
{
  if (size && count > SIZE_MAX / size)
    oom(SIZE_MAX);
  return gw_realloc(p, count * size);
}

char *gw_strdup(const char *s)
{
  if (!s)
    return NULL;
  return gw_strndup(s, strlen(s));
}

char *gw_strndup(const char *s, size_t n)
{
  if (!s)
    return NULL;
  size_t len = strnlen(s, n);
  char *d = gw_malloc(len + 1);
  memcpy(d, s, len);
  d[len] = '\0';
  return d;
}
