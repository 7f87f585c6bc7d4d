/* Fuzz charset decision and conversion: whatever the bytes and labels, the
 * output is valid UTF-8 without NUL bytes, within the cap, and a decision
 * names a charset; converting valid UTF-8 as UTF-8 replaces nothing. */
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "fuzz.h"
#include "html/charset.h"

static void check(const char *out, size_t len, size_t cap)
{
  if (!out || strlen(out) != len || !gw_utf8_valid(out, len) || (cap && len > cap))
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char *const types[] = {NULL, "text/html", "text/html; charset=utf-8",
                                      "text/html; charset=gb2312", "text/html; charset=big5",
                                      "text/html; charset=\"utf-16\"", "text/html; charset=latin1",
                                      "text/html; charset=x-unknown"};
  unsigned sel = size ? data[0] : 0;
  const char *d = (const char *)data;
  size_t cap = (sel & 0x08) ? 64 : 0;
  char *out = NULL;
  size_t len = 0;
  struct gw_charset_info info;
  if (gw_charset_to_utf8(d, size, types[sel % 8], cap, &out, &len, &info) == 0) {
    check(out, len, cap);
    if (!info.charset[0] || info.bom_len > size)
      abort();
    if (info.truncated && !cap)
      abort();
    free(out);
  }
  static const char *const sets[] = {"UTF-8", "GB18030", "BIG5", "UTF-16LE", "WINDOWS-1252"};
  size_t repl = 0;
  bool trunc = false;
  const char *cs = sets[(sel >> 4) % 5];
  if (gw_charset_convert(d, size, cs, cap, &out, &len, &repl, &trunc) != 0)
    abort();
  check(out, len, cap);
  if (strcmp(cs, "UTF-8") == 0 && !trunc) {
    bool clean = gw_utf8_valid(d, size) && memchr(d, 0, size) == NULL;
    if (clean != (repl == 0))
      abort();
    if (clean && (len != size || memcmp(out, d, size) != 0))
      abort();
  }
  free(out);
  char label[64];
  gw_charset_from_meta(d, size, label, sizeof label);
  char canon[32];
  gw_charset_canonical(d, size < 40 ? size : 40, canon, sizeof canon);
  return 0;
}
