/* Dates in Chinese page text: every format, labels, year inference,
 * rejection of impossible dates and of numbers that only look like dates. */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/error.h"
#include "html/dates.h"
#include "tap.h"

static int64_t at(const char *s)
{
  int64_t t = 0;
  if (gw_time_parse(s, &t) != GW_OK)
    fprintf(stderr, "bad test time %s\n", s);
  return t;
}

/* Extract from text and compare with "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS". */
static void expect(const char *text, int64_t as_of, const char *want, int line)
{
  struct gw_date_hit h;
  int rc = gw_date_extract(text, as_of, &h);
  char buf[32] = "";
  if (rc == GW_OK) {
    if (h.has_time)
      gw_time_format(h.time, buf, sizeof buf);
    else
      gw_date_format(h.time, buf, sizeof buf);
  }
  gw_test_report(rc == GW_OK && strcmp(buf, want) == 0, __FILE__, line,
                 "date of \"%s\": want %s, got %s (rc %d)", text, want, rc == GW_OK ? buf : "none", rc);
}

static void none(const char *text, int64_t as_of, int line)
{
  struct gw_date_hit h;
  int rc = gw_date_extract(text, as_of, &h);
  char buf[32] = "";
  if (rc == GW_OK)
    gw_time_format(h.time, buf, sizeof buf);
  gw_test_report(rc == GW_ENOTFOUND, __FILE__, line, "no date in \"%s\" (got %s)", text, buf);
}

#define EXPECT(text, want) expect((text), as_of, (want), __LINE__)
#define NONE(text) none((text), as_of, __LINE__)

static void test_formats(void)
{
  int64_t as_of = at("2025-03-31 12:00:00");
  EXPECT("2024-05-12", "2024-05-12");
  EXPECT("2024-5-12", "2024-05-12");
  EXPECT("2024/05/12", "2024-05-12");
  EXPECT("2024.05.12", "2024-05-12");
  EXPECT("2024年5月12日", "2024-05-12");
  EXPECT("2024年05月12日", "2024-05-12");
  EXPECT("2024 年 5 月 12 日", "2024-05-12");
  EXPECT("2024年05月12日 10:20", "2024-05-12 10:20:00");
  EXPECT("2024年5月12日10:20", "2024-05-12 10:20:00");
  EXPECT("2024-05-12 10:20:33", "2024-05-12 10:20:33");
  EXPECT("2024-05-12T10:20", "2024-05-12 10:20:00");
  EXPECT("2024-05-12　10：20", "2024-05-12 10:20:00"); /* ideographic space, full-width colon */
  EXPECT("２０２４年５月１２日", "2024-05-12");        /* full-width digits */
  EXPECT("２０２４－０５－１２", "2024-05-12");
  EXPECT("二〇二四年五月十二日", "2024-05-12");
  EXPECT("二〇二三年十二月三十一日", "2023-12-31");
  EXPECT("二○二四年十月一日", "2024-10-01");         /* ○ (circle) for zero */
  EXPECT("二〇二五年一月二十日印发", "2025-01-20");
  EXPECT("二〇二四年二月二十九日", "2024-02-29");
  EXPECT("2024年5月12号", "2024-05-12");
  /* inside text, with punctuation around */
  EXPECT("本通知自2024年6月1日起施行。", "2024-06-01");
  EXPECT("（2024-05-12）", "2024-05-12");
  EXPECT("标题标题[2024-05-12]", "2024-05-12");
  /* an invalid time is not part of the date */
  EXPECT("2024-05-12 25:00", "2024-05-12");
  EXPECT("2024-05-12 10:61", "2024-05-12");
}

static void test_labels(void)
{
  int64_t as_of = at("2025-03-31 12:00:00");
  const char *text = "首页 > 通知公告\n发布时间：2024-05-12 10:20:33 来源：县政府办";
  struct gw_date_hit h;
  CHECK_INT(gw_date_extract(text, as_of, &h), GW_OK);
  CHECK_STR(h.label, "发布时间");
  CHECK(h.has_time);
  CHECK(!h.year_inferred);
  CHECK_INT(h.offset, strstr(text, "2024") - text);
  CHECK_INT(h.length, strlen("2024-05-12 10:20:33"));
  CHECK_INT(h.label_offset, strstr(text, "发布时间") - text);
  CHECK_INT(h.civil.year, 2024);
  CHECK_INT(h.civil.sec, 33);

  const char *labels[] = {"发布日期:", "日期：", "时间：", "更新时间 ", "成文日期：", "印发日期",
                          "来信时间：", "回复时间：", "答复时间："};
  const char *names[] = {"发布日期", "日期", "时间", "更新时间", "成文日期", "印发日期",
                         "来信时间", "回复时间", "答复时间"};
  for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
    char buf[128];
    snprintf(buf, sizeof buf, "某某 %s2024年5月12日", labels[i]);
    CHECK_INT(gw_date_extract(buf, as_of, &h), GW_OK);
    CHECK_STR(h.label, names[i]);
  }
  /* the labelled date wins over an earlier unlabelled one */
  CHECK_INT(gw_date_extract("2023-01-01 的会议纪要 发布日期：2024-05-12", as_of, &h), GW_OK);
  CHECK_STR(h.label, "发布日期");
  CHECK_INT(h.civil.year, 2024);
  /* a written year wins over an inferred one */
  CHECK_INT(gw_date_extract("[05-12] 2024-05-10", as_of, &h), GW_OK);
  CHECK_INT(h.civil.day, 10);
  CHECK(!h.year_inferred);
  /* no label */
  CHECK_INT(gw_date_extract("会议于2024-05-12召开", as_of, &h), GW_OK);
  CHECK_STR(h.label, "");
  CHECK_INT(h.label_offset, h.offset);
}

static void test_year_inference(void)
{
  int64_t as_of = at("2025-01-03 09:00:00");
  struct gw_date_hit h;
  CHECK_INT(gw_date_extract("通知标题 [12-30]", as_of, &h), GW_OK);
  CHECK(h.year_inferred);
  EXPECT("[12-30]", "2024-12-30");
  EXPECT("[01-02]", "2025-01-02");
  EXPECT("01-04", "2025-01-04"); /* as_of + 1 day is still this year */
  EXPECT("01-05", "2024-01-05"); /* later: last year */
  EXPECT("12月30日", "2024-12-30");
  EXPECT("1月3日", "2025-01-03");
  EXPECT("[12-30] 10:20", "2024-12-30 10:20:00");
  as_of = at("2025-03-31 12:00:00");
  EXPECT("02-29", "2024-02-29"); /* the latest Feb 29 not after as_of */
  EXPECT("5月12日", "2024-05-12");
  EXPECT("03-31", "2025-03-31");
  NONE("02-30");
  NONE("13-01");
  /* a failed full date does not leave a yearless tail */
  NONE("2023年2月29日");
  NONE("2023-02-29");
}

static void test_rejections(void)
{
  int64_t as_of = at("2025-03-31 12:00:00");
  NONE("");
  NONE("没有日期的文字");
  NONE("2024-02-30");
  NONE("2023-02-29");
  NONE("2024-13-01");
  NONE("2024-00-10");
  NONE("2024-04-31");
  NONE("2024年4月31日");
  NONE("2024年5月");                 /* a month, not a date */
  NONE("二〇二四年二月三十日");
  NONE("浙政办发〔2024〕12号");       /* 文号 */
  NONE("青政发[2024]5号");
  NONE("版本 1.2.3");
  NONE("v1.2.3.4");
  NONE("版本 2024.05.12.1");         /* version with a fourth part */
  NONE("V2024.05.12");
  NONE("电话：0571-87654321");
  NONE("电话：0571-8765-4321");
  NONE("手机 13812345678");
  NONE("编号 123-45-678");
  NONE("第5-12条");                  /* single-digit ranges are not dates */
  NONE("5/12");
  NONE("12:30-13:00");
  NONE("2024-5-12-3");
  NONE("IP 10.2024.05.12");
  NONE("1899-12-31");                /* outside the plausible years */
  NONE("3024-05-12");
  NONE("20240512");                  /* compact digits are not read */
  struct gw_date_hit h;
  CHECK_INT(gw_date_extract(NULL, as_of, &h), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "no date");
}

static void test_iterator(void)
{
  int64_t as_of = at("2025-03-31 12:00:00");
  const char *text = "一、2024-01-01 工作部署\n二、2024年2月2日会议 电话0571-87654321\n三、[03-03] 通知";
  struct gw_date_iter it;
  struct gw_date_hit h;
  gw_date_extract_iter(&it, text, strlen(text), as_of);
  const char *want[] = {"2024-01-01", "2024-02-02", "2025-03-03"};
  size_t n = 0;
  size_t last = 0;
  while (gw_date_extract_next(&it, &h)) {
    char buf[32];
    gw_date_format(h.time, buf, sizeof buf);
    if (n < 3)
      CHECK_STR(buf, want[n]);
    CHECK(h.offset >= last);
    last = h.offset + h.length;
    n++;
  }
  CHECK_INT(n, 3);
  CHECK(!gw_date_extract_next(&it, &h)); /* stays at the end */
  /* a text that is not NUL-terminated at len */
  gw_date_extract_iter(&it, "2024-05-12xxxx2024-06-01", 10, as_of);
  CHECK(gw_date_extract_next(&it, &h));
  CHECK(!gw_date_extract_next(&it, &h));
  gw_date_extract_iter(&it, NULL, 5, as_of);
  CHECK(!gw_date_extract_next(&it, &h));
}

static void test_value(void)
{
  int64_t as_of = at("2025-03-31 12:00:00");
  struct gw_date_hit a, b;
  CHECK_INT(gw_date_extract_value("2024-05-12T10:20:00+08:00", as_of, &a), GW_OK);
  CHECK_INT(gw_date_extract_value(" 2024-05-12T02:20:00Z ", as_of, &b), GW_OK);
  CHECK_INT(a.time, b.time);
  CHECK_INT(a.time, at("2024-05-12 10:20:00"));
  CHECK_INT(gw_date_extract_value("2024年05月12日 10:20", as_of, &a), GW_OK);
  CHECK_INT(a.time, at("2024-05-12 10:20:00"));
  CHECK_INT(gw_date_extract_value("not a date", as_of, &a), GW_ENOTFOUND);
  CHECK_INT(gw_date_extract_value(NULL, as_of, &a), GW_ENOTFOUND);
}

int main(void)
{
  test_formats();
  test_labels();
  test_year_inference();
  test_rejections();
  test_iterator();
  test_value();
  return gw_test_done();
}
