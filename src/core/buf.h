/* Capped growable byte buffers.
 *
 * A gw_buf grows on demand up to `max` bytes (0 = no cap, for data we make
 * ourselves; buffers holding network or file input must set a cap). The
 * content is always NUL-terminated so it can be used as a C string. A buffer
 * that reached its cap keeps what it had; the failing append returns
 * GW_ELIMIT and changes nothing. */
#ifndef GW_CORE_BUF_H
#define GW_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct gw_buf {
  char *data;  /* NUL-terminated; NULL until the first append */
  size_t len;  /* bytes used, excluding the terminator */
  size_t cap;  /* bytes allocated */
  size_t max;  /* cap on len, 0 = unlimited */
};

#define GW_BUF_INIT {NULL, 0, 0, 0}

void gw_buf_init(struct gw_buf *b, size_t max);
int gw_buf_append(struct gw_buf *b, const void *p, size_t n);
int gw_buf_puts(struct gw_buf *b, const char *s);
int gw_buf_putc(struct gw_buf *b, char c);
int gw_buf_printf(struct gw_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int gw_buf_vprintf(struct gw_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* The content as a C string ("" for an empty buffer); borrowed. */
const char *gw_buf_cstr(const struct gw_buf *b);
/* Drop the content, keep the allocation. */
void gw_buf_reset(struct gw_buf *b);
/* Hand the content to the caller (malloc'd, NUL-terminated) and reset. */
char *gw_buf_steal(struct gw_buf *b);
void gw_buf_free(struct gw_buf *b);

#endif
