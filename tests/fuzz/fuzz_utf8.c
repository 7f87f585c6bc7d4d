/* Fuzz UTF-8 validation, decoding and display width against each other. */
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *p = (const char *)data;
  /* valid <=> decoding one code point at a time consumes everything, and
   * every decoded code point encodes back to the same bytes */
  bool all = true;
  for (size_t i = 0; i < size;) {
    uint32_t cp = 0;
    size_t n = gw_utf8_decode(p + i, size - i, &cp);
    if (n == 0) {
      if (cp != 0xFFFD)
        abort();
      all = false;
      break;
    }
    char enc[4];
    if (gw_utf8_encode(cp, enc) != n || memcmp(enc, p + i, n) != 0)
      abort();
    i += n;
  }
  if (gw_utf8_valid(p, size) != all)
    abort();

  char *s = malloc(size + 1);
  if (!s)
    return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  size_t len = strlen(s);
  size_t cps = gw_utf8_len(s);
  size_t width = gw_utf8_width(s);
  if (cps > len || width > 2 * cps)
    abort();
  for (size_t cols = 0; cols <= width + 1; cols += 1 + cols / 3) {
    size_t pre = gw_utf8_prefix_for_width(s, cols);
    if (pre > len)
      abort();
    char save = s[pre];
    s[pre] = '\0';
    size_t w = gw_utf8_width(s);
    s[pre] = save;
    if (w > cols)
      abort();
    if (cols >= width && pre != len)
      abort();
  }
  free(s);
  return 0;
}
