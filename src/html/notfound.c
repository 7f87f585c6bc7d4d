/* Not-found phrases (notfound.h). */
#include "html/notfound.h"

#include <string.h>

#include "html/phrases.h"

/* ASCII in lower case. Longer phrases that contain a shorter one are
 * listed too: the evidence names the most telling one. */
static const char *const g_phrases[] = {
  "页面不存在", "您访问的页面不存在", "网页不存在", "页面未找到", "找不到", "无法找到", "已删除", "已被删除",
  "不存在或已", "页面已失效", "链接已失效", "信息不存在", "文章不存在", "内容不存在", "页面走丢",
  "出错了", "404", "not found", "page not found", "does not exist", NULL,
};
#define N_PHRASES (sizeof g_phrases / sizeof g_phrases[0] - 1)

_Static_assert(N_PHRASES <= 64, "a phrase set is a 64-bit mask");

/* "404" inside a longer number (a phone number, an id) is not one */
static struct gw_phrases g_set = GW_PHRASES_INIT(g_phrases, GW_PHRASES_FOLD | GW_PHRASES_DIGITS);

size_t gw_notfound_phrase_count(void)
{
  return N_PHRASES;
}

const char *gw_notfound_phrase(size_t i)
{
  return i < N_PHRASES ? g_phrases[i] : NULL;
}

uint64_t gw_notfound_phrases(const char *s, size_t len)
{
  return gw_phrases_find(&g_set, s, len);
}

uint64_t gw_notfound_page(const char *title, const char *text, size_t text_len)
{
  uint64_t m = gw_notfound_phrases(text, text_len);
  if (title)
    m |= gw_notfound_phrases(title, strlen(title));
  return m;
}
