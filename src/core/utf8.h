/* UTF-8 helpers.
 *
 * Everything inside GovWatch is UTF-8; input in other charsets is converted
 * at the edge. Display width counts East Asian wide and full-width
 * characters as 2 columns so Chinese tables line up in a terminal. */
#ifndef GW_CORE_UTF8_H
#define GW_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True if s[0..len) is well-formed UTF-8 (no overlongs, surrogates, > U+10FFFF). */
bool gw_utf8_valid(const char *s, size_t len);
/* Decode one code point at s (at most len bytes); returns its byte length, or
 * 0 for an invalid sequence (then *cp = U+FFFD). */
size_t gw_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Byte length of the well-formed sequence at s (at most len bytes, len >=
 * 1), or 0 when it is invalid: gw_utf8_decode without the code point,
 * with the two- and three-byte sequences of Chinese text checked inline
 * (validation of whole pages calls it for every character). */
static inline size_t gw_utf8_seq_len(const char *s, size_t len)
{
  const unsigned char *p = (const unsigned char *)s;
  unsigned c = p[0];
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    return len >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
  /* E1..EC and EE..EF take any continuation bytes; E0 (overlongs) and ED
   * (surrogates) do not */
  if (c >= 0xE1 && c <= 0xEF && c != 0xED)
    return len >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 ? 3 : 0;
  uint32_t cp;
  return gw_utf8_decode(s, len, &cp);
}
/* Encode cp into out (>= 4 bytes); returns the byte count (0 if invalid). */
size_t gw_utf8_encode(uint32_t cp, char *out);
/* Number of code points. */
size_t gw_utf8_len(const char *s);
/* Terminal columns of one code point / of a string. */
int gw_utf8_cp_width(uint32_t cp);
size_t gw_utf8_width(const char *s);
/* Byte length of the longest prefix of s that fits in `cols` columns. */
size_t gw_utf8_prefix_for_width(const char *s, size_t cols);

#endif
