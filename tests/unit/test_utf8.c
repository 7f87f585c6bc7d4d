#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "tap.h"

/* Valid iff the bits decode to a code point that needs exactly n bytes and
 * is a Unicode scalar value: the definition in RFC 3629, written
 * independently of the table-driven decoder under test. */
static bool ref_valid(const unsigned char *b, size_t n)
{
  static const unsigned char lead_mask[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  static const unsigned char lead_bits[5] = {0, 0x00, 0xC0, 0xE0, 0xF0};
  static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
  if ((b[0] & ~lead_mask[n] & 0xFF) != lead_bits[n])
    return false;
  uint32_t cp = b[0] & lead_mask[n];
  for (size_t i = 1; i < n; i++) {
    if ((b[i] & 0xC0) != 0x80)
      return false;
    cp = (cp << 6) | (b[i] & 0x3F);
  }
  return cp >= min_cp[n] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
}

static void test_chinese(void)
{
  const char *s = "中华人民共和国";
  CHECK(gw_utf8_valid(s, strlen(s)));
  CHECK_INT(strlen(s), 21);
  CHECK_INT(gw_utf8_len(s), 7);
  CHECK_INT(gw_utf8_width(s), 14);
  uint32_t cp = 0;
  CHECK_INT(gw_utf8_decode(s, strlen(s), &cp), 3);
  CHECK_INT(cp, 0x4E2D);

  const char *site = "青溪县人民政府门户网站（试运行）";
  CHECK(gw_utf8_valid(site, strlen(site)));
  CHECK_INT(gw_utf8_len(site), 16);
  CHECK_INT(gw_utf8_width(site), 32); /* full-width parentheses are wide too */

  const char *mixed = "GovWatch 监测：2025年第1季度，合格率95%。";
  CHECK_INT(gw_utf8_len(mixed), 29);
  /* narrow "GovWatch ", "2025", "1", "95%" = 17 columns; wide
   * 监测：年第季度，合格率。 = 12 characters = 24 columns */
  CHECK_INT(gw_utf8_width(mixed), 41);

  CHECK_INT(gw_utf8_width("ひらがな カタカナ"), 17);
  CHECK_INT(gw_utf8_width("한국어"), 6);
  CHECK_INT(gw_utf8_width("ＡＢＣ１２３"), 12);
  CHECK_INT(gw_utf8_width("ｱｲｳ"), 3); /* half-width katakana stay narrow */
  CHECK_INT(gw_utf8_width("《政府网站与政务新媒体检查指标》"), 32);
  CHECK_INT(gw_utf8_width("国办秘函〔2019〕19号"), 2 * 7 + 6); /* 〔〕 are wide */
  CHECK_INT(gw_utf8_width("\xE3\x80\x80"), 2); /* U+3000 ideographic space */
  CHECK_INT(gw_utf8_width(""), 0);
  CHECK_INT(gw_utf8_len(""), 0);
}

static void test_widths(void)
{
  CHECK_INT(gw_utf8_cp_width('a'), 1);
  CHECK_INT(gw_utf8_cp_width(' '), 1);
  CHECK_INT(gw_utf8_cp_width('\t'), 0);
  CHECK_INT(gw_utf8_cp_width('\n'), 0);
  CHECK_INT(gw_utf8_cp_width(0), 0);
  CHECK_INT(gw_utf8_cp_width(0x7F), 0);
  CHECK_INT(gw_utf8_cp_width(0x85), 0);  /* C1 NEL */
  CHECK_INT(gw_utf8_cp_width(0xA0), 1);  /* NBSP */
  CHECK_INT(gw_utf8_cp_width(0xAD), 1);  /* soft hyphen is drawn */
  CHECK_INT(gw_utf8_cp_width(0xE9), 1);
  CHECK_INT(gw_utf8_cp_width(0x0301), 0); /* combining acute */
  CHECK_INT(gw_utf8_cp_width(0x20DD), 0); /* enclosing circle (Me) */
  CHECK_INT(gw_utf8_cp_width(0x200B), 0); /* zero width space */
  CHECK_INT(gw_utf8_cp_width(0xFEFF), 0); /* BOM */
  CHECK_INT(gw_utf8_cp_width(0x1100), 2); /* Hangul choseong */
  CHECK_INT(gw_utf8_cp_width(0x1160), 0); /* Hangul jungseong */
  CHECK_INT(gw_utf8_cp_width(0x3000), 2);
  CHECK_INT(gw_utf8_cp_width(0x3001), 2); /* 、 */
  CHECK_INT(gw_utf8_cp_width(0x3002), 2); /* 。 */
  CHECK_INT(gw_utf8_cp_width(0x302A), 0); /* ideographic tone mark (Mn) */
  CHECK_INT(gw_utf8_cp_width(0x303E), 2);
  CHECK_INT(gw_utf8_cp_width(0x303F), 1);
  CHECK_INT(gw_utf8_cp_width(0x3041), 2); /* ぁ */
  CHECK_INT(gw_utf8_cp_width(0x3099), 0); /* combining voiced mark */
  CHECK_INT(gw_utf8_cp_width(0x30A2), 2); /* ア */
  CHECK_INT(gw_utf8_cp_width(0x3400), 2); /* Ext A */
  CHECK_INT(gw_utf8_cp_width(0x4DBF), 2);
  CHECK_INT(gw_utf8_cp_width(0x4DC0), 1); /* hexagram, narrow in Unicode 14 */
  CHECK_INT(gw_utf8_cp_width(0x4E00), 2);
  CHECK_INT(gw_utf8_cp_width(0x9FFF), 2);
  CHECK_INT(gw_utf8_cp_width(0xAC00), 2); /* 가 */
  CHECK_INT(gw_utf8_cp_width(0xD7A3), 2);
  CHECK_INT(gw_utf8_cp_width(0xF900), 2); /* CJK compatibility ideograph */
  CHECK_INT(gw_utf8_cp_width(0xFE31), 2); /* CJK compatibility form */
  CHECK_INT(gw_utf8_cp_width(0xFF01), 2);
  CHECK_INT(gw_utf8_cp_width(0xFF60), 2);
  CHECK_INT(gw_utf8_cp_width(0xFF61), 1); /* half-width forms */
  CHECK_INT(gw_utf8_cp_width(0xFFE0), 2);
  CHECK_INT(gw_utf8_cp_width(0xFFE6), 2);
  CHECK_INT(gw_utf8_cp_width(0xFFE8), 1);
  CHECK_INT(gw_utf8_cp_width(0x1F600), 2); /* emoji */
  CHECK_INT(gw_utf8_cp_width(0x20000), 2); /* Ext B */
  CHECK_INT(gw_utf8_cp_width(0x2FFFD), 2);
  CHECK_INT(gw_utf8_cp_width(0xE0001), 0); /* language tag (Cf) */
  CHECK_INT(gw_utf8_cp_width(0x10FFFF), 1);
  CHECK_INT(gw_utf8_cp_width(0xFFFD), 1);

  /* a base letter with a combining mark is one column */
  CHECK_INT(gw_utf8_width("e\xCC\x81"), 1);
  CHECK_INT(gw_utf8_len("e\xCC\x81"), 2);
  CHECK_INT(gw_utf8_width("a\tb\r\n"), 2);
}

static void test_prefix(void)
{
  const char *s = "中华人民共和国";
  CHECK_INT(gw_utf8_prefix_for_width(s, 0), 0);
  CHECK_INT(gw_utf8_prefix_for_width(s, 1), 0); /* never half a wide character */
  CHECK_INT(gw_utf8_prefix_for_width(s, 2), 3);
  CHECK_INT(gw_utf8_prefix_for_width(s, 5), 6);
  CHECK_INT(gw_utf8_prefix_for_width(s, 14), 21);
  CHECK_INT(gw_utf8_prefix_for_width(s, 100), 21);
  CHECK_INT(gw_utf8_prefix_for_width("ab中文", 3), 2);
  CHECK_INT(gw_utf8_prefix_for_width("ab中文", 4), 5);
  /* trailing combining marks stay with their base character */
  CHECK_INT(gw_utf8_prefix_for_width("e\xCC\x81x", 1), 3);
  CHECK_INT(gw_utf8_prefix_for_width("", 5), 0);
  /* never cut inside a malformed sequence either */
  CHECK_INT(gw_utf8_prefix_for_width("a\xE4\xB8", 1), 1);
  CHECK_INT(gw_utf8_prefix_for_width("a\xE4\xB8", 2), 3);
}

struct bad_case {
  const char *bytes;
  size_t len;
  const char *why;
};

static void test_malformed(void)
{
  static const struct bad_case bad[] = {
    {"\x80", 1, "lone continuation byte"},
    {"\xBF", 1, "lone continuation byte"},
    {"\xC0\xAF", 2, "overlong '/' (2 bytes)"},
    {"\xC1\xBF", 2, "overlong U+007F"},
    {"\xE0\x80\xAF", 3, "overlong '/' (3 bytes)"},
    {"\xE0\x9F\xBF", 3, "overlong U+07FF"},
    {"\xF0\x80\x80\xAF", 4, "overlong '/' (4 bytes)"},
    {"\xF0\x8F\xBF\xBF", 4, "overlong U+FFFF"},
    {"\xED\xA0\x80", 3, "surrogate U+D800"},
    {"\xED\xBF\xBF", 3, "surrogate U+DFFF"},
    {"\xED\xA0\xBD\xED\xB8\x80", 6, "CESU-8 surrogate pair"},
    {"\xF4\x90\x80\x80", 4, "U+110000"},
    {"\xF5\x80\x80\x80", 4, "F5 lead byte"},
    {"\xF7\xBF\xBF\xBF", 4, "U+1FFFFF"},
    {"\xF8\x88\x80\x80\x80", 5, "5-byte form"},
    {"\xFC\x84\x80\x80\x80\x80", 6, "6-byte form"},
    {"\xFE", 1, "FE"},
    {"\xFF", 1, "FF"},
    {"\xE4\xB8", 2, "truncated 中"},
    {"\xE4", 1, "truncated 中 (lead only)"},
    {"\xF0\x9F\x98", 3, "truncated emoji"},
    {"\xC3", 1, "truncated é"},
    {"\xE4\x41\xAD", 3, "ASCII inside a sequence"},
    {"\xB8\xAD", 2, "中 without its lead byte"},
    {"\xD6\xD0\xB9\xFA", 4, "中国 in GBK"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    CHECK_MSG(!gw_utf8_valid(bad[i].bytes, bad[i].len), "%s accepted", bad[i].why);
    uint32_t cp = 0;
    CHECK_MSG(gw_utf8_decode(bad[i].bytes, bad[i].len, &cp) == 0 && cp == 0xFFFD, "%s decoded", bad[i].why);
    /* inside valid text, too */
    char buf[32];
    int n = snprintf(buf, sizeof buf, "政务%.*s网站", (int)bad[i].len, bad[i].bytes);
    CHECK_MSG(!gw_utf8_valid(buf, (size_t)n), "%s accepted inside text", bad[i].why);
  }
  /* a valid sequence cut short by the length is truncated */
  CHECK(!gw_utf8_valid("中", 2));
  CHECK(gw_utf8_valid("中", 3));
  CHECK(gw_utf8_valid("", 0));
  CHECK(gw_utf8_valid("a\0b", 3)); /* U+0000 is well-formed */
  uint32_t cp = 0;
  CHECK_INT(gw_utf8_decode("中", 0, &cp), 0);

  /* Each maximal ill-formed subpart counts as one U+FFFD (one column). */
  CHECK_INT(gw_utf8_len("a\xE4\xB8z"), 3);
  CHECK_INT(gw_utf8_width("a\xE4\xB8z"), 3);
  CHECK_INT(gw_utf8_len("\xF0\x9F\x98x"), 2);
  CHECK_INT(gw_utf8_len("\xC0\xAF"), 2);
  CHECK_INT(gw_utf8_len("\xED\xA0\x80"), 3);
  /* GBK 中国: D6 is a bad lead, D0 B9 happens to be U+0439, FA is bad */
  CHECK_INT(gw_utf8_len("\xD6\xD0\xB9\xFA"), 3);
  CHECK_INT(gw_utf8_len("\xF4\x90\x80\x80"), 4);
  CHECK_INT(gw_utf8_len("中\xE5"), 2); /* truncated at the terminator */
}

static void test_boundaries(void)
{
  static const struct {
    const char *b;
    uint32_t cp;
  } ok[] = {
    {"\x7F", 0x7F},
    {"\xC2\x80", 0x80},
    {"\xDF\xBF", 0x7FF},
    {"\xE0\xA0\x80", 0x800},
    {"\xED\x9F\xBF", 0xD7FF},
    {"\xEE\x80\x80", 0xE000},
    {"\xEF\xBF\xBD", 0xFFFD},
    {"\xEF\xBF\xBF", 0xFFFF},
    {"\xF0\x90\x80\x80", 0x10000},
    {"\xF0\xA0\x80\x80", 0x20000},
    {"\xF4\x8F\xBF\xBF", 0x10FFFF},
  };
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    uint32_t cp = 0;
    size_t len = strlen(ok[i].b);
    CHECK_INT(gw_utf8_decode(ok[i].b, len, &cp), len);
    CHECK_INT(cp, ok[i].cp);
    CHECK(gw_utf8_valid(ok[i].b, len));
    char out[4];
    CHECK_INT(gw_utf8_encode(ok[i].cp, out), len);
    CHECK(memcmp(out, ok[i].b, len) == 0);
  }
  char out[4];
  CHECK_INT(gw_utf8_encode(0xD800, out), 0);
  CHECK_INT(gw_utf8_encode(0xDFFF, out), 0);
  CHECK_INT(gw_utf8_encode(0x110000, out), 0);
  CHECK_INT(gw_utf8_encode(0xFFFFFFFF, out), 0);
}

static void test_exhaustive(void)
{
  /* every scalar value round-trips through encode and decode */
  int bad = 0;
  for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
    char buf[4];
    size_t n = gw_utf8_encode(cp, buf);
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      bad += n != 0;
      continue;
    }
    uint32_t got = 0;
    size_t expect = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (n != expect || gw_utf8_decode(buf, n, &got) != n || got != cp || !gw_utf8_valid(buf, n))
      bad++;
    int w = gw_utf8_cp_width(cp);
    if (w < 0 || w > 2)
      bad++;
  }
  CHECK_INT(bad, 0);

  /* every 1-, 2- and 3-byte string agrees with the reference definition */
  unsigned char b[4];
  int mismatches = 0;
  for (unsigned x = 0; x < 256; x++) {
    b[0] = (unsigned char)x;
    bool ref = ref_valid(b, 1);
    mismatches += gw_utf8_valid((char *)b, 1) != ref;
    for (unsigned y = 0; y < 256; y++) {
      b[1] = (unsigned char)y;
      bool ref2 = ref_valid(b, 2) || (ref_valid(b, 1) && ref_valid(b + 1, 1));
      mismatches += gw_utf8_valid((char *)b, 2) != ref2;
      if (x < 0xE0 || x > 0xEF)
        continue;
      for (unsigned z = 0; z < 256; z++) {
        b[2] = (unsigned char)z;
        uint32_t cp;
        bool ref3 = ref_valid(b, 3);
        mismatches += (gw_utf8_decode((char *)b, 3, &cp) == 3) != ref3;
      }
    }
  }
  /* 4-byte leads with every second byte and a sample of the rest */
  for (unsigned x = 0xF0; x < 0x100; x++) {
    for (unsigned y = 0; y < 256; y++) {
      for (unsigned z = 0x70; z < 0xD0; z += 0x0F) {
        b[0] = (unsigned char)x, b[1] = (unsigned char)y, b[2] = (unsigned char)z, b[3] = 0xA5;
        uint32_t cp;
        mismatches += (gw_utf8_decode((char *)b, 4, &cp) == 4) != ref_valid(b, 4);
      }
    }
  }
  CHECK_INT(mismatches, 0);

  /* the inline sequence length agrees with the decoder on every 1-, 2- and
   * 3-byte string, and on 4-byte leads, at every length it may be given */
  int seq_mismatches = 0;
  for (unsigned x = 0; x < 256; x++)
    for (unsigned y = 0; y < 256; y++)
      for (unsigned z = 0; z < 256; z += (x >= 0xE0 ? 1 : 0x11)) {
        b[0] = (unsigned char)x, b[1] = (unsigned char)y, b[2] = (unsigned char)z, b[3] = 0x9A;
        for (size_t n = 1; n <= 4; n++) {
          uint32_t cp;
          seq_mismatches += gw_utf8_seq_len((char *)b, n) != gw_utf8_decode((char *)b, n, &cp);
        }
      }
  CHECK_INT(seq_mismatches, 0);
}

int main(void)
{
  test_chinese();
  test_widths();
  test_prefix();
  test_malformed();
  test_boundaries();
  test_exhaustive();
  return gw_test_done();
}
