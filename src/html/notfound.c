/* Not-found phrases (notfound.h). */
#include "html/notfound.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ASCII in lower case. Longer phrases that contain a shorter one are
 * listed too: the evidence names the most telling one. */
static const char *const g_phrases[] = {
  "页面不存在", "您访问的页面不存在", "网页不存在", "页面未找到", "找不到", "无法找到", "已删除", "已被删除",
  "不存在或已", "页面已失效", "链接已失效", "信息不存在", "文章不存在", "内容不存在", "页面走丢",
  "出错了", "404", "not found", "page not found", "does not exist",
};
#define N_PHRASES (sizeof g_phrases / sizeof g_phrases[0])

_Static_assert(N_PHRASES <= 64, "a phrase set is a 64-bit mask");

size_t gw_notfound_phrase_count(void)
{
  return N_PHRASES;
}

const char *gw_notfound_phrase(size_t i)
{
  return i < N_PHRASES ? g_phrases[i] : NULL;
}

static bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

static char lower(char c)
{
  return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Does phrase ph (lower case) start at s[i] (ASCII letters compared
 * case-blind)? */
static bool at(const char *s, size_t len, size_t i, const char *ph, size_t pl)
{
  if (len - i < pl)
    return false;
  for (size_t k = 0; k < pl; k++)
    if (lower(s[i + k]) != ph[k])
      return false;
  return true;
}

/* The phrases by their first byte (both cases of an ASCII letter). */
static size_t g_plen[N_PHRASES];
static unsigned char g_by_first[256][N_PHRASES];
static unsigned char g_n_first[256];
/* bit (b0 << 8 | b1) set when a phrase (every one has two bytes or more)
 * begins with bytes b0 b1 (either case): one look-up rejects almost every
 * position of a text */
static uint64_t g_pair[65536 / 64];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void pair_set(unsigned char a, unsigned char b)
{
  unsigned v = (unsigned)a << 8 | b;
  g_pair[v / 64] |= (uint64_t)1 << (v % 64);
}

static bool pair_has(unsigned char a, unsigned char b)
{
  unsigned v = (unsigned)a << 8 | b;
  return (g_pair[v / 64] >> (v % 64)) & 1;
}

static unsigned char upper(unsigned char c)
{
  return (c >= 'a' && c <= 'z') ? (unsigned char)(c - 'a' + 'A') : c;
}

static void tables_init(void)
{
  for (size_t k = 0; k < N_PHRASES; k++) {
    g_plen[k] = strlen(g_phrases[k]);
    unsigned char f = (unsigned char)g_phrases[k][0], f2 = (unsigned char)g_phrases[k][1];
    pair_set(f, f2);
    pair_set(upper(f), f2);
    pair_set(f, upper(f2));
    pair_set(upper(f), upper(f2));
    g_by_first[f][g_n_first[f]++] = (unsigned char)k;
    if (f >= 'a' && f <= 'z') {
      f = (unsigned char)(f - 'a' + 'A');
      g_by_first[f][g_n_first[f]++] = (unsigned char)k;
    }
  }
}

/* One pass over the text: at each byte, only the phrases that begin with
 * it are compared (a page is scanned once, not once per phrase; most
 * pages hold none). */
uint64_t gw_notfound_phrases(const char *s, size_t len)
{
  pthread_once(&g_once, tables_init);
  uint64_t mask = 0;
  if (!s || !len)
    return 0;
  for (size_t i = 0; i + 1 < len; i++) {
    unsigned char f = (unsigned char)s[i];
    if (!pair_has(f, (unsigned char)s[i + 1]))
      continue;
    for (unsigned j = 0; j < g_n_first[f]; j++) {
      size_t k = g_by_first[f][j];
      const char *ph = g_phrases[k];
      if ((mask & ((uint64_t)1 << k)) || !at(s, len, i, ph, g_plen[k]))
        continue;
      /* "404" inside a longer number (a phone number, an id) is not one */
      if (is_digit(ph[0]) && ((i > 0 && is_digit(s[i - 1])) || (i + g_plen[k] < len && is_digit(s[i + g_plen[k]]))))
        continue;
      mask |= (uint64_t)1 << k;
    }
  }
  return mask;
}

uint64_t gw_notfound_page(const char *title, const char *text, size_t text_len)
{
  uint64_t m = gw_notfound_phrases(text, text_len);
  if (title)
    m |= gw_notfound_phrases(title, strlen(title));
  return m;
}
