#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

void gw_buf_init(struct gw_buf *b, size_t max)
{
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  b->max = max;
}

static int reserve(struct gw_buf *b, size_t extra)
{
  if (b->max && (extra > b->max || b->len > b->max - extra))
    return gw_err_set(GW_ELIMIT, "buffer limit of %zu bytes reached", b->max);
  size_t need = b->len + extra + 1;
  if (need <= b->cap)
    return GW_OK;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need)
    cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
  b->data = gw_realloc(b->data, cap);
  b->cap = cap;
  return GW_OK;
}

int gw_buf_append(struct gw_buf *b, const void *p, size_t n)
{
  int rc = reserve(b, n);
  if (rc)
    return rc;
  if (n)
    memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return GW_OK;
}

int gw_buf_puts(struct gw_buf *b, const char *s)
{
  return gw_buf_append(b, s, strlen(s));
}

int gw_buf_putc(struct gw_buf *b, char c)
{
  return gw_buf_append(b, &c, 1);
}

int gw_buf_vprintf(struct gw_buf *b, const char *fmt, va_list ap)
{
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0)
    return gw_err_set(GW_EINVAL, "bad format string");
  int rc = reserve(b, (size_t)n);
  if (rc)
    return rc;
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return GW_OK;
}

int gw_buf_printf(struct gw_buf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int rc = gw_buf_vprintf(b, fmt, ap);
  va_end(ap);
  return rc;
}

const char *gw_buf_cstr(const struct gw_buf *b)
{
  return b->data ? b->data : "";
}

void gw_buf_reset(struct gw_buf *b)
{
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

char *gw_buf_steal(struct gw_buf *b)
{
  char *p = b->data ? b->data : gw_strdup("");
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}

void gw_buf_free(struct gw_buf *b)
{
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
