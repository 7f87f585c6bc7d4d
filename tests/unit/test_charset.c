/* Charset decision and conversion: labels (header, meta), BOMs, wrong
 * labels, detection without a label, invalid bytes, caps, and the real
 * pages in $GW_TEST_SHARED/data/html/gerapy. */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/utf8.h"
#include "html/charset.h"
#include "tap.h"

/* UTF-8 -> charset with iconv (test data), malloc'd; *len set. */
static char *encode(const char *utf8, const char *charset, size_t *len)
{
  iconv_t cd = iconv_open(charset, "UTF-8");
  if (cd == (iconv_t)-1)
    return NULL;
  size_t inl = strlen(utf8), outl = inl * 4 + 16;
  char *out = malloc(outl), *op = out;
  char *ip = (char *)utf8;
  size_t r = iconv(cd, &ip, &inl, &op, &outl);
  iconv_close(cd);
  if (r == (size_t)-1) {
    free(out);
    return NULL;
  }
  *len = (size_t)(op - out);
  return out;
}

struct conv {
  char *out;
  size_t len;
  struct gw_charset_info info;
  int rc;
};

static struct conv run(const char *data, size_t len, const char *ct, size_t max)
{
  struct conv c;
  memset(&c, 0, sizeof c);
  c.rc = gw_charset_to_utf8(data, len, ct, max, &c.out, &c.len, &c.info);
  return c;
}

/* A Chinese paragraph long enough for detection, with GBK-only characters
 * (镕 喆 堃 are in GBK but not in GB2312). */
static const char *const PARA =
    "青溪县人民政府关于印发《青溪县政府网站与政务新媒体管理办法》的通知。各乡镇人民政府，县政府各部门："
    "现将《青溪县政府网站与政务新媒体管理办法》印发给你们，请认真贯彻执行。朱镕基同志、王喆、李堃参加会议。"
    "为进一步加强政府网站和政务新媒体建设管理，提升政务公开和政务服务水平，根据国务院办公厅有关文件精神，结合本县实际，制定本办法。";

static void test_labels(void)
{
  /* UTF-8 labelled by the header */
  const char *u = "<html><head><title>测试页面</title></head><body>青溪县人民政府</body></html>";
  struct conv c = run(u, strlen(u), "text/html; charset=utf-8", 0);
  CHECK_INT(c.rc, GW_OK);
  CHECK_STR(c.info.charset, "UTF-8");
  CHECK_INT(c.info.source, GW_CHARSET_SRC_HEADER);
  CHECK_STR(c.info.label, "utf-8");
  CHECK(!c.info.label_wrong);
  CHECK_INT(c.info.replacements, 0);
  CHECK_STR(c.out, u);
  CHECK_INT(c.len, strlen(u));
  free(c.out);

  /* GB2312-labelled page with GBK-only characters, <meta charset> */
  char html[4096];
  snprintf(html, sizeof html, "<html><head><meta charset=\"gb2312\"></head><body>%s</body></html>", PARA);
  size_t len;
  char *gbk = encode(html, "GBK", &len);
  CHECK(gbk != NULL);
  c = run(gbk, len, NULL, 0);
  CHECK_INT(c.rc, GW_OK);
  CHECK_STR(c.info.charset, "GB18030");
  CHECK_INT(c.info.source, GW_CHARSET_SRC_META);
  CHECK_STR(c.info.label, "gb2312");
  CHECK(!c.info.label_wrong);
  CHECK_INT(c.info.replacements, 0);
  CHECK_CONTAINS(c.out, "朱镕基同志、王喆、李堃");
  CHECK_STR(c.out, html);
  free(c.out);
  free(gbk);

  /* <meta http-equiv="Content-Type" content="...; charset=GBK"> */
  snprintf(html, sizeof html,
           "<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=GBK\">"
           "</head><body>%s</body></html>", PARA);
  gbk = encode(html, "GBK", &len);
  c = run(gbk, len, "text/html", 0);
  CHECK_STR(c.info.charset, "GB18030");
  CHECK_INT(c.info.source, GW_CHARSET_SRC_META);
  CHECK_STR(c.info.label, "gbk");
  CHECK_STR(c.out, html);
  free(c.out);

  /* the header wins over the meta */
  c = run(gbk, len, "text/html;charset=\"GB2312\"", 0);
  CHECK_STR(c.info.charset, "GB18030");
  CHECK_INT(c.info.source, GW_CHARSET_SRC_HEADER);
  CHECK_STR(c.info.label, "gb2312");
  free(c.out);

  /* labelled UTF-8 by the header, but the bytes are GBK: detected, label wrong */
  c = run(gbk, len, "text/html; charset=UTF-8", 0);
  CHECK_STR(c.info.charset, "GB18030");
  CHECK_INT(c.info.source, GW_CHARSET_SRC_DETECTED);
  CHECK(c.info.label_wrong);
  CHECK_INT(c.info.replacements, 0);
  CHECK_CONTAINS(c.out, "朱镕基同志");
  free(c.out);
  free(gbk);

  /* labelled gb2312 in the meta, but the bytes are UTF-8 (a template kept
   * its old declaration) */
  snprintf(html, sizeof html, "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">%s", PARA);
  c = run(html, strlen(html), NULL, 0);
  CHECK_STR(c.info.charset, "UTF-8");
  CHECK_INT(c.info.source, GW_CHARSET_SRC_DETECTED);
  CHECK(c.info.label_wrong);
  CHECK_STR(c.info.label, "gb2312");
  CHECK_STR(c.out, html);
  free(c.out);

  /* a meta inside a comment does not count; the next one does */
  const char *cm = "<!-- <meta charset=\"big5\"> --><meta charset='utf-8'>青溪";
  c = run(cm, strlen(cm), NULL, 0);
  CHECK_STR(c.info.label, "utf-8");
  CHECK_INT(c.info.source, GW_CHARSET_SRC_META);
  free(c.out);

  /* an unknown label is ignored (falls through to detection) */
  const char *unk = "<meta charset=\"x-no-such-charset\">plain";
  c = run(unk, strlen(unk), "text/html; charset=bogus-cs", 0);
  CHECK_STR(c.info.label, "");
  CHECK_STR(c.info.charset, "UTF-8");
  CHECK_INT(c.info.source, GW_CHARSET_SRC_DETECTED);
  free(c.out);

  /* a page cannot declare UTF-16 in a meta: read as UTF-8 */
  const char *u16 = "<meta charset=\"utf-16\">青溪县";
  c = run(u16, strlen(u16), NULL, 0);
  CHECK_STR(c.info.charset, "UTF-8");
  CHECK_STR(c.out, u16);
  free(c.out);
}

static void test_bom(void)
{
  const char *body = "\xEF\xBB\xBF<p>青溪县</p>";
  struct conv c = run(body, strlen(body), "text/html; charset=gbk", 0);
  CHECK_STR(c.info.charset, "UTF-8");
  CHECK_INT(c.info.source, GW_CHARSET_SRC_BOM);
  CHECK_INT(c.info.bom_len, 3);
  CHECK(c.info.label_wrong);
  CHECK_STR(c.out, "<p>青溪县</p>");
  free(c.out);

  size_t len;
  char *le = encode("\xEF\xBB\xBF<p>青溪县人民政府</p>", "UTF-16LE", &len);
  CHECK(le && (unsigned char)le[0] == 0xFF && (unsigned char)le[1] == 0xFE);
  c = run(le, len, NULL, 0);
  CHECK_STR(c.info.charset, "UTF-16LE");
  CHECK_INT(c.info.source, GW_CHARSET_SRC_BOM);
  CHECK_STR(c.out, "<p>青溪县人民政府</p>");
  CHECK_INT(c.info.replacements, 0);
  free(c.out);
  free(le);

  char *be = encode("\xEF\xBB\xBF<p>政务公开</p>", "UTF-16BE", &len);
  c = run(be, len, NULL, 0);
  CHECK_STR(c.info.charset, "UTF-16BE");
  CHECK_STR(c.out, "<p>政务公开</p>");
  free(c.out);
  free(be);

  /* GB18030's own BOM (U+FEFF encoded) */
  char *gb = encode("\xEF\xBB\xBF<p>政务公开</p>", "GB18030", &len);
  CHECK(gb && len > 4 && memcmp(gb, "\x84\x31\x95\x33", 4) == 0);
  c = run(gb, len, NULL, 0);
  CHECK_STR(c.info.charset, "GB18030");
  CHECK_INT(c.info.source, GW_CHARSET_SRC_BOM);
  CHECK_STR(c.out, "<p>政务公开</p>");
  free(c.out);
  free(gb);
}

static void test_detection(void)
{
  /* no label, UTF-8 bytes */
  struct conv c = run(PARA, strlen(PARA), NULL, 0);
  CHECK_STR(c.info.charset, "UTF-8");
  CHECK_INT(c.info.source, GW_CHARSET_SRC_DETECTED);
  CHECK_STR(c.info.label, "");
  free(c.out);

  /* no label, GBK bytes: uchardet */
  size_t len;
  char *gbk = encode(PARA, "GBK", &len);
  c = run(gbk, len, "text/html", 0);
  CHECK_STR(c.info.charset, "GB18030");
  CHECK_INT(c.info.source, GW_CHARSET_SRC_DETECTED);
  CHECK_STR(c.out, PARA);
  CHECK_INT(c.info.replacements, 0);
  free(c.out);
  free(gbk);

  /* no label, Big5 bytes */
  const char *trad = "臺灣省政府公報：各機關應依本辦法辦理資訊公開，並於網站公告相關資訊，以利民眾查詢與監督。"
                     "本辦法自發布日施行，各機關應確實遵守並定期檢討執行情形。";
  char *big5 = encode(trad, "BIG5", &len);
  CHECK(big5 != NULL);
  c = run(big5, len, NULL, 0);
  CHECK_STR(c.info.charset, "BIG5");
  CHECK_STR(c.out, trad);
  free(c.out);
  free(big5);

  /* a meta past the first 4 KiB is not looked at */
  char *late = malloc(5000 + 64);
  memset(late, ' ', 5000);
  memcpy(late + 5000, "<meta charset=\"big5\">abc", 25);
  c = run(late, 5024, NULL, 0);
  CHECK_STR(c.info.label, "");
  CHECK_STR(c.info.charset, "UTF-8");
  free(c.out);
  free(late);

  /* nothing: empty input */
  c = run("", 0, NULL, 0);
  CHECK_INT(c.rc, GW_OK);
  CHECK_STR(c.out, "");
  CHECK_INT(c.len, 0);
  free(c.out);
  c = run(NULL, 10, NULL, 0);
  CHECK_INT(c.rc, GW_OK);
  CHECK_STR(c.out, "");
  free(c.out);
}

static void test_invalid(void)
{
  /* invalid in UTF-8 and in GB18030 (0xFF is no lead byte): stays UTF-8 */
  const char *bad = "<meta charset=utf-8>abc\xFF\xFE def";
  struct conv c = run(bad, strlen(bad), NULL, 0);
  CHECK_STR(c.info.charset, "UTF-8");
  CHECK(!c.info.label_wrong);
  CHECK_INT(c.info.replacements, 2);
  CHECK_STR(c.out, "<meta charset=utf-8>abc\xEF\xBF\xBD\xEF\xBF\xBD def");
  CHECK(gw_utf8_valid(c.out, c.len));
  free(c.out);

  /* GBK with a stray lead byte before a space (\x81 + a letter would be a
   * valid pair) and a lead byte cut off at the end */
  size_t len;
  char *gbk = encode("<meta charset=gbk>政务", "GBK", &len);
  char *buf = malloc(len + 8);
  memcpy(buf, gbk, len);
  memcpy(buf + len, "\x81" " b\xD5", 4);
  c = run(buf, len + 4, NULL, 0);
  CHECK_STR(c.info.charset, "GB18030");
  CHECK_INT(c.info.replacements, 2);
  CHECK_STR(c.out, "<meta charset=gbk>政务\xEF\xBF\xBD" " b\xEF\xBF\xBD");
  free(c.out);
  free(buf);
  free(gbk);

  /* NUL bytes are replaced and counted, in UTF-8 and through iconv */
  const char nul[] = "a\0b\0c";
  c = run(nul, 5, "text/html; charset=utf-8", 0);
  CHECK_INT(c.info.replacements, 2);
  CHECK_INT(c.len, strlen(c.out));
  CHECK_STR(c.out, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
  free(c.out);
  c = run(nul, 5, "text/html; charset=gbk", 0);
  CHECK_INT(c.info.replacements, 2);
  CHECK_STR(c.out, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
  free(c.out);

  /* an overlong and a surrogate are invalid UTF-8 */
  const char *ov = "x\xC0\xAFy\xED\xA0\x80z";
  char *out;
  size_t olen, repl;
  bool trunc;
  CHECK_INT(gw_charset_convert(ov, strlen(ov), "UTF-8", 0, &out, &olen, &repl, &trunc), GW_OK);
  CHECK(gw_utf8_valid(out, olen));
  CHECK_INT(repl, 5);
  free(out);

  CHECK_INT(gw_charset_convert("abc", 3, "NO-SUCH-CHARSET-X", 0, &out, &olen, &repl, &trunc), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "NO-SUCH-CHARSET-X");
  CHECK_INT(gw_charset_convert("abc", 3, "", 0, &out, &olen, &repl, &trunc), GW_EINVAL);
}

/* A UTF-8 body cut inside a character (a crawler's size cap) or with a
 * stray byte is still UTF-8, though UTF-8 Chinese is often valid GB18030. */
static void test_cut_utf8(void)
{
  char html[4096];
  snprintf(html, sizeof html, "<meta charset=\"utf-8\">%s", PARA);
  size_t cut = strlen(html) - 1; /* inside the last character */
  struct conv c = run(html, cut, NULL, 0);
  CHECK_STR(c.info.charset, "UTF-8");
  CHECK(!c.info.label_wrong);
  CHECK_INT(c.info.replacements, 1);
  CHECK(strncmp(c.out, html, cut - 2) == 0);
  free(c.out);
  c = run(PARA, strlen(PARA) - 1, NULL, 0);
  CHECK_STR(c.info.charset, "UTF-8");
  CHECK_INT(c.info.source, GW_CHARSET_SRC_DETECTED);
  free(c.out);
  snprintf(html, sizeof html, "<meta charset=\"gb2312\">%s", PARA);
  c = run(html, strlen(html) - 2, NULL, 0);
  CHECK_STR(c.info.charset, "UTF-8");
  CHECK(c.info.label_wrong);
  free(c.out);
  snprintf(html, sizeof html, "<meta charset=\"utf-8\">%s\xFF%s", PARA, PARA);
  c = run(html, strlen(html), "text/html; charset=utf-8", 0);
  CHECK_STR(c.info.charset, "UTF-8");
  CHECK_INT(c.info.replacements, 1);
  free(c.out);
}

static void test_cap(void)
{
  /* the cap cuts on a character boundary and says so */
  struct conv c = run(PARA, strlen(PARA), "text/html; charset=utf-8", 100);
  CHECK_INT(c.rc, GW_OK);
  CHECK(c.info.truncated);
  CHECK(c.len <= 100 && c.len >= 97);
  CHECK(gw_utf8_valid(c.out, c.len));
  CHECK(strncmp(c.out, PARA, c.len) == 0);
  free(c.out);
  size_t len;
  char *gbk = encode(PARA, "GBK", &len);
  c = run(gbk, len, "text/html; charset=gbk", 50);
  CHECK(c.info.truncated);
  CHECK(c.len <= 50);
  CHECK(gw_utf8_valid(c.out, c.len));
  CHECK(strncmp(c.out, PARA, c.len) == 0);
  free(c.out);
  c = run(gbk, len, "text/html; charset=gbk", 0);
  CHECK(!c.info.truncated);
  free(c.out);
  free(gbk);
}

static void test_helpers(void)
{
  char out[32];
  CHECK(gw_charset_canonical("GB2312", 6, out, sizeof out));
  CHECK_STR(out, "GB18030");
  CHECK(gw_charset_canonical(" 'utf8' ", 8, out, sizeof out));
  CHECK_STR(out, "UTF-8");
  CHECK(gw_charset_canonical("latin1", 6, out, sizeof out));
  CHECK_STR(out, "WINDOWS-1252");
  CHECK(gw_charset_canonical("Big5", 4, out, sizeof out));
  CHECK_STR(out, "BIG5");
  CHECK(gw_charset_canonical("shift_jis", 9, out, sizeof out));
  CHECK_STR(out, "SHIFT_JIS");
  CHECK(!gw_charset_canonical("x-unknown-cs", 12, out, sizeof out));
  CHECK_STR(out, "");
  CHECK(!gw_charset_canonical("", 0, out, sizeof out));
  CHECK(!gw_charset_canonical("gb 2312", 7, out, sizeof out));
  char ct[64];
  CHECK(gw_charset_from_content_type("text/html;charset=\"GBK\"", ct, sizeof ct));
  CHECK_STR(ct, "gbk");
  CHECK(gw_charset_from_content_type("text/html; Charset = utf-8 ; x=y", ct, sizeof ct));
  CHECK_STR(ct, "utf-8");
  CHECK(!gw_charset_from_content_type("text/html", ct, sizeof ct));
  CHECK(!gw_charset_from_content_type(NULL, ct, sizeof ct));
  CHECK(gw_charset_from_meta("<meta content='text/html;charset=gb2312' http-equiv='content-type'>", 66, ct, sizeof ct));
  CHECK_STR(ct, "gb2312");
  CHECK(!gw_charset_from_meta("<meta name=x content='charset=gbk'>", 35, ct, sizeof ct));
  CHECK_STR(gw_charset_source_name(GW_CHARSET_SRC_META), "meta");
  CHECK_STR(gw_charset_source_name(GW_CHARSET_SRC_DEFAULT), "default");
}

/* Every real page decodes to text with Chinese known to be in it (checked
 * once with iconv/grep when this test was written). */
static void test_real_pages(void)
{
  const char *shared = getenv("GW_TEST_SHARED");
  if (!shared) {
    CHECK_MSG(0, "GW_TEST_SHARED is not set (run under ctest)");
    return;
  }
  static const struct {
    const char *file, *want, *label;
    bool wrong;
  } pages[] = {
    {"list/dfa66_announcement.html", "东方阿尔法基金管理有限公司", "utf-8", false},
    {"list/hrfund_announcement.html", "华融基金管理有限公司", "utf-8", false},
    {"list/hsqhfunds_announcement.html", "恒生前海基金管理有限公司", "utf-8", false},
    {"list/netease_rolling_news.html", "最新滚动新闻_网易新闻中心", "gb2312", true},
    {"list/rtfund_xxpl.html", "融通基金管理有限公司", "gb2312", true},
    {"list/tencent_important_news.html", "新闻中心-腾讯网", "utf-8", false},
    {"detail/china_news1.html", "坚定实施扩大内需战略", "utf-8", false},
  };
  for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/data/html/gerapy/%s", shared, pages[i].file);
    size_t len;
    char *data = gw_test_slurp(path, &len);
    CHECK_MSG(data != NULL, "read %s", path);
    if (!data)
      continue;
    struct conv c = run(data, len, "text/html", 0);
    CHECK_MSG(c.rc == GW_OK && strcmp(c.info.charset, "UTF-8") == 0, "%s: charset %s", pages[i].file,
              c.info.charset);
    CHECK_MSG(strcmp(c.info.label, pages[i].label) == 0 && c.info.label_wrong == pages[i].wrong,
              "%s: label %s wrong %d", pages[i].file, c.info.label, c.info.label_wrong);
    CHECK_MSG(c.info.replacements == 0, "%s: %zu replacements", pages[i].file, c.info.replacements);
    CHECK_MSG(c.out && strstr(c.out, pages[i].want), "%s contains %s", pages[i].file, pages[i].want);
    CHECK(gw_utf8_valid(c.out, c.len));
    free(c.out);
    free(data);
  }
}

int main(void)
{
  test_labels();
  test_bom();
  test_detection();
  test_invalid();
  test_cut_utf8();
  test_cap();
  test_helpers();
  test_real_pages();
  return gw_test_done();
}
