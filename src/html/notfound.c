/* Not-found phrases (notfound.h). */
#include "html/notfound.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

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

/* The first occurrence of needle in s[from..len) (s has a NUL at s[len];
 * NUL bytes inside are skipped over: strstr searches each run between
 * them), or NULL. */
static const char *find(const char *s, size_t len, size_t from, const char *needle)
{
  while (from < len) {
    const char *hit = strstr(s + from, needle);
    if (hit)
      return hit;
    from += strlen(s + from) + 1;
  }
  return NULL;
}

uint64_t gw_notfound_phrases(const char *s, size_t len)
{
  uint64_t mask = 0;
  if (!s || !len)
    return 0;
  char *low = gw_malloc(len + 1);
  for (size_t i = 0; i < len; i++)
    low[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
  low[len] = '\0';
  for (size_t k = 0; k < N_PHRASES; k++) {
    const char *ph = g_phrases[k];
    size_t pl = strlen(ph);
    bool digits = is_digit(ph[0]);
    const char *end = low + len, *hit;
    size_t from = 0;
    while ((hit = find(low, len, from, ph)) != NULL) {
      /* "404" inside a longer number (a phone number, an id) is not one */
      if (!digits || ((hit == low || !is_digit(hit[-1])) && (hit + pl == end || !is_digit(hit[pl])))) {
        mask |= (uint64_t)1 << k;
        break;
      }
      from = (size_t)(hit - low) + 1;
    }
  }
  free(low);
  return mask;
}

uint64_t gw_notfound_page(const char *title, const char *text, size_t text_len)
{
  uint64_t m = gw_notfound_phrases(text, text_len);
  if (title)
    m |= gw_notfound_phrases(title, strlen(title));
  return m;
}
