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
