#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "core/error.h"
#include "tap.h"

static int64_t T(const char *s)
{
  int64_t t = 0;
  int rc = gw_time_parse(s, &t);
  CHECK_MSG(rc == GW_OK, "gw_time_parse(\"%s\") failed: %s", s, gw_err_msg());
  return t;
}

static const char *fmt(int64_t t)
{
  static char buf[64];
  return gw_time_format(t, buf, sizeof buf);
}

static void test_days(void)
{
  CHECK_INT(gw_days_from_civil(1970, 1, 1), 0);
  CHECK_INT(gw_days_from_civil(2000, 2, 29), 11016);
  CHECK_INT(gw_days_from_civil(1, 1, 1), -719162);
  CHECK_INT(gw_days_from_civil(9999, 12, 31), 2932896);
  CHECK_INT(gw_days_from_civil(1969, 12, 31), -1);
  /* month 13 and day 0 normalise like mktime */
  CHECK_INT(gw_days_from_civil(2024, 13, 1), gw_days_from_civil(2025, 1, 1));
  CHECK_INT(gw_days_from_civil(2024, 3, 0), gw_days_from_civil(2024, 2, 29));

  /* leap years: 2000 yes (div by 400), 1900 no (div by 100), 2024 yes */
  CHECK_INT(gw_days_from_civil(2000, 3, 1) - gw_days_from_civil(2000, 2, 28), 2);
  CHECK_INT(gw_days_from_civil(1900, 3, 1) - gw_days_from_civil(1900, 2, 28), 1);
  CHECK_INT(gw_days_from_civil(2024, 3, 1) - gw_days_from_civil(2024, 2, 28), 2);
  CHECK_INT(gw_days_from_civil(2025, 3, 1) - gw_days_from_civil(2025, 2, 28), 1);
  CHECK_INT(gw_days_from_civil(2001, 1, 1) - gw_days_from_civil(2000, 1, 1), 366);
  CHECK_INT(gw_days_from_civil(1901, 1, 1) - gw_days_from_civil(1900, 1, 1), 365);

  /* Round trip over 0001-01-01 .. 9999-12-31, and every day is the one after
   * the previous day in the calendar. */
  int py = 0, pm = 0, pd = 0;
  int bad = 0;
  for (int64_t d = -719162; d <= 2932896; d++) {
    int y, m, dd;
    gw_civil_from_days(d, &y, &m, &dd);
    if (gw_days_from_civil(y, m, dd) != d)
      bad++;
    if (py) {
      int next = (dd == pd + 1 && m == pm && y == py) || (dd == 1 && m == pm + 1 && y == py) ||
                 (dd == 1 && m == 1 && pm == 12 && pd == 31 && y == py + 1);
      if (!next)
        bad++;
    }
    py = y, pm = m, pd = dd;
  }
  CHECK_INT(bad, 0);
  CHECK_INT(py, 9999);

  int y, m, d;
  gw_civil_from_days(-1, &y, &m, &d);
  CHECK(y == 1969 && m == 12 && d == 31);
  gw_civil_from_days(11016, &y, &m, &d);
  CHECK(y == 2000 && m == 2 && d == 29);
}

/* An independent oracle: libc's gmtime_r on the instant shifted by +8 h. */
static void test_against_gmtime(void)
{
  int bad = 0;
  for (int64_t t = -2208988800LL; t < 4102444800LL; t += 7919 * 13 + 1) {
    struct gw_civil c;
    gw_civil_from_time(t, &c);
    time_t s = (time_t)(t + GW_TZ_OFFSET);
    struct tm tm;
    gmtime_r(&s, &tm);
    if (c.year != tm.tm_year + 1900 || c.month != tm.tm_mon + 1 || c.day != tm.tm_mday || c.hour != tm.tm_hour ||
        c.min != tm.tm_min || c.sec != tm.tm_sec || gw_weekday(t) != (tm.tm_wday == 0 ? 7 : tm.tm_wday))
      bad++;
    if (gw_time_from_civil(&c) != t)
      bad++;
  }
  CHECK_INT(bad, 0);
}

static void test_shanghai_boundary(void)
{
  /* 2024-12-31 20:00 UTC is 2025-01-01 04:00 in Shanghai */
  struct gw_civil c;
  gw_civil_from_time(1735675200, &c);
  CHECK(c.year == 2025 && c.month == 1 && c.day == 1 && c.hour == 4 && c.min == 0 && c.sec == 0);
  CHECK_INT(T("2024-12-31T20:00:00Z"), 1735675200);
  CHECK_STR(fmt(1735675200), "2025-01-01 04:00:00");
  /* one second before Shanghai midnight is still 2024 */
  char buf[32];
  CHECK_STR(gw_date_format(1735660800 - 1, buf, sizeof buf), "2024-12-31");
  CHECK_STR(gw_date_format(1735660800, buf, sizeof buf), "2025-01-01");
  CHECK_INT(T("2025-01-01"), 1735660800);
  CHECK_STR(gw_time_format_iso(1735675200, buf, sizeof buf), "2025-01-01T04:00:00+08:00");
  /* before 1970 */
  gw_civil_from_time(-1, &c);
  CHECK(c.year == 1970 && c.month == 1 && c.day == 1 && c.hour == 7 && c.min == 59 && c.sec == 59);
  gw_civil_from_time(-8 * 3600 - 1, &c);
  CHECK(c.year == 1969 && c.month == 12 && c.day == 31 && c.hour == 23 && c.min == 59 && c.sec == 59);
  struct gw_civil in = {1970, 1, 1, 0, 0, 0};
  CHECK_INT(gw_time_from_civil(&in), -8 * 3600);
}

static void test_parse_ok(void)
{
  int64_t base = 1743384600; /* 2025-03-31 09:30:00 +08:00 */
  CHECK_INT(T("2025-03-31 09:30"), base);
  CHECK_INT(T("2025-03-31 09:30:00"), base);
  CHECK_INT(T("2025-03-31T09:30"), base);
  CHECK_INT(T("2025-03-31T09:30:00"), base);
  CHECK_INT(T("2025-03-31T09:30:00+08:00"), base);
  CHECK_INT(T("2025-03-31T01:30:00Z"), base);
  CHECK_INT(T("2025-03-31t01:30:00z"), base);
  CHECK_INT(T("2025-03-31T01:30:00.123456Z"), base);
  CHECK_INT(T("2025-03-30T20:30:00-05:00"), base);
  CHECK_INT(T("2025-03-31T07:00:00+05:30"), base);
  CHECK_INT(T("2025-03-31 09:30:07") - base, 7);
  CHECK_INT(T("2025-03-31"), base - 9 * 3600 - 30 * 60);
  /* Feb 29 only in leap years */
  CHECK_STR(fmt(T("2024-02-29")), "2024-02-29 00:00:00");
  CHECK_STR(fmt(T("2000-02-29 23:59:59")), "2000-02-29 23:59:59");
  CHECK_STR(fmt(T("2025-12-31 23:59:59")), "2025-12-31 23:59:59");
  CHECK_STR(fmt(T("0001-01-01")), "0001-01-01 00:00:00");
}

static void parse_err(const char *s, const char *want)
{
  int64_t t = 12345;
  int rc = gw_time_parse(s, &t);
  CHECK_MSG(rc == GW_EINVAL, "gw_time_parse(\"%s\") = %d, want GW_EINVAL", s, rc);
  CHECK_INT(t, 12345); /* untouched */
  char quoted[256];
  snprintf(quoted, sizeof quoted, "'%s'", s);
  CHECK_CONTAINS(gw_err_msg(), quoted);
  CHECK_CONTAINS(gw_err_msg(), want);
}

static void test_parse_err(void)
{
  parse_err("", "is not a date or time");
  parse_err("garbage", "is not a date or time");
  parse_err("2025", "is not a date or time");
  parse_err("2025-1-01", "is not a date or time");
  parse_err("2025-01-1", "is not a date or time");
  parse_err("25-01-01", "is not a date or time");
  parse_err("2025/01/01", "is not a date or time");
  parse_err("20250-01-01", "is not a date or time");
  parse_err("2025-001-01", "is not a date or time");
  parse_err("2025-02-30", "day 30 does not exist in 2025-02 (which has 28 days)");
  parse_err("2025-02-29", "day 29 does not exist in 2025-02");
  parse_err("1900-02-29", "day 29 does not exist in 1900-02");
  parse_err("2025-04-31", "day 31 does not exist in 2025-04 (which has 30 days)");
  parse_err("2025-01-00", "day 00 does not exist");
  parse_err("2025-13-01", "month 13 is out of range");
  parse_err("2025-00-10", "month 00 is out of range");
  parse_err("2025-01-01x", "unexpected trailing text 'x'");
  parse_err("2025-01-01 ", "is not a date or time");
  parse_err("2025-01-01 12:00 UTC", "unexpected trailing text ' UTC'");
  parse_err("2025-01-01T12:00:00+0800", "is not a date or time");
  parse_err("2025-01-01T12:00:00+08:00 ", "unexpected trailing text ' '");
  parse_err("2025-01-01T12", "is not a date or time");
  parse_err("2025-01-01T12:", "is not a date or time");
  parse_err("2025-01-01T12:00:", "is not a date or time");
  parse_err("2025-01-01T12:00:00.", "is not a date or time");
  parse_err("2025-01-01T24:00", "time of day 24:00:00 is out of range");
  parse_err("2025-01-01T23:60", "time of day 23:60:00 is out of range");
  parse_err("2025-01-01T23:59:60", "time of day 23:59:60 is out of range");
  parse_err("2025-01-01T12:00:00+24:00", "UTC offset 24:00 is out of range");
  parse_err("２０２５-01-01", "is not a date or time"); /* full-width digits */

  int64_t t = 0;
  CHECK_INT(gw_time_parse(NULL, &t), GW_EINVAL);
  /* a long argument is quoted, cut at a UTF-8 boundary */
  char longs[400] = "2025-01-01T";
  size_t at = strlen(longs);
  for (int i = 0; i < 60; i++, at += 3)
    memcpy(longs + at, "政", 3);
  longs[at] = '\0';
  CHECK_INT(gw_time_parse(longs, &t), GW_EINVAL);
  CHECK_CONTAINS(gw_err_msg(), "'2025-01-01T政政");
  const char *m = gw_err_msg();
  CHECK(strlen(m) < 400);
}

static void test_quarters(void)
{
  int y = 0, q = 0;
  CHECK_INT(gw_quarter_parse("2025Q1", &y, &q), GW_OK);
  CHECK(y == 2025 && q == 1);
  CHECK_INT(gw_quarter_parse("2024q4", &y, &q), GW_OK);
  CHECK(y == 2024 && q == 4);
  CHECK_INT(gw_quarter_parse("2026-Q2", &y, &q), GW_OK);
  CHECK(y == 2026 && q == 2);
  CHECK_INT(gw_quarter_parse("2026-q3", &y, &q), GW_OK);
  CHECK(y == 2026 && q == 3);

  const char *bad[] = {"", "2025", "2025Q", "2025Q5", "2025Q0", "2025Q12", "2025Q1 ", "25Q1", "2025-1",
                       "2025_Q1", "Q1 2025", "2025QQ1", "2025--Q1"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    y = q = -1;
    CHECK_INT(gw_quarter_parse(bad[i], &y, &q), GW_EINVAL);
    CHECK(y == -1 && q == -1);
    char quoted[64];
    snprintf(quoted, sizeof quoted, "'%s'", bad[i]);
    CHECK_CONTAINS(gw_err_msg(), quoted);
  }
  gw_quarter_parse("2025Q5", &y, &q);
  CHECK_CONTAINS(gw_err_msg(), "quarter 5 is out of range (1 to 4)");
  gw_quarter_parse("2025-1", &y, &q);
  CHECK_CONTAINS(gw_err_msg(), "is not a quarter");

  int64_t s, e;
  gw_quarter_bounds(2025, 1, &s, &e);
  CHECK_STR(fmt(s), "2025-01-01 00:00:00");
  CHECK_STR(fmt(e), "2025-04-01 00:00:00");
  CHECK_INT(s, 1735660800);
  gw_quarter_bounds(2025, 2, &s, &e);
  CHECK_STR(fmt(s), "2025-04-01 00:00:00");
  CHECK_STR(fmt(e), "2025-07-01 00:00:00");
  gw_quarter_bounds(2025, 3, &s, &e);
  CHECK_STR(fmt(s), "2025-07-01 00:00:00");
  CHECK_STR(fmt(e), "2025-10-01 00:00:00");
  gw_quarter_bounds(2024, 4, &s, &e);
  CHECK_STR(fmt(s), "2024-10-01 00:00:00");
  CHECK_STR(fmt(e), "2025-01-01 00:00:00");
  CHECK_INT(e, 1735660800);
  /* 2024Q1 contains Feb 29: 31 + 29 + 31 days */
  gw_quarter_bounds(2024, 1, &s, &e);
  CHECK_INT(e - s, 91 * 86400);
}

static void test_add_months(void)
{
  CHECK_STR(fmt(gw_time_add_months(T("2024-08-31 10:11:12"), 6)), "2025-02-28 10:11:12");
  CHECK_STR(fmt(gw_time_add_months(T("2023-08-31 10:11:12"), 6)), "2024-02-29 10:11:12");
  CHECK_STR(fmt(gw_time_add_months(T("2025-01-31"), 1)), "2025-02-28 00:00:00");
  CHECK_STR(fmt(gw_time_add_months(T("2024-01-31"), 1)), "2024-02-29 00:00:00");
  CHECK_STR(fmt(gw_time_add_months(T("2025-03-31"), 1)), "2025-04-30 00:00:00");
  CHECK_STR(fmt(gw_time_add_months(T("2025-01-15 08:00"), 0)), "2025-01-15 08:00:00");
  CHECK_STR(fmt(gw_time_add_months(T("2025-11-30"), 2)), "2026-01-30 00:00:00");
  CHECK_STR(fmt(gw_time_add_months(T("2025-12-31 23:59:59"), 12)), "2026-12-31 23:59:59");
  CHECK_STR(fmt(gw_time_add_months(T("2025-03-31"), -1)), "2025-02-28 00:00:00");
  CHECK_STR(fmt(gw_time_add_months(T("2025-03-31"), -6)), "2024-09-30 00:00:00");
  CHECK_STR(fmt(gw_time_add_months(T("2025-01-10"), -13)), "2023-12-10 00:00:00");
  CHECK_STR(fmt(gw_time_add_months(T("2024-02-29"), 12)), "2025-02-28 00:00:00");
  CHECK_STR(fmt(gw_time_add_months(T("2024-02-29"), 48)), "2028-02-29 00:00:00");
  /* the Shanghai date is used, not the UTC one: 2025-01-31 04:00 +08 is Jan 30 in UTC */
  CHECK_STR(fmt(gw_time_add_months(T("2025-01-31T04:00:00+08:00"), 1)), "2025-02-28 04:00:00");
}

static void test_weekday(void)
{
  CHECK_INT(gw_weekday(T("2025-01-01")), 3);
  CHECK_INT(gw_weekday(T("2024-02-29 12:00")), 4);
  CHECK_INT(gw_weekday(T("2000-01-01")), 6);
  CHECK_INT(gw_weekday(T("1949-10-01")), 6);
  CHECK_INT(gw_weekday(T("2023-01-01 23:59:59")), 7);
  CHECK_INT(gw_weekday(T("2023-01-02")), 1);
  CHECK_INT(gw_weekday(0), 4); /* 1970-01-01 08:00 Shanghai, Thursday */
  /* Sunday 2024-12-29 17:00 UTC is already Monday 2024-12-30 01:00 in Shanghai */
  CHECK_INT(gw_weekday(T("2024-12-29T17:00:00Z")), 1);
}

static void test_now(void)
{
  setenv("GW_NOW", "1700000000", 1);
  CHECK_INT(gw_now(), 1700000000);
  setenv("GW_NOW", "-5", 1);
  CHECK_INT(gw_now(), -5);
  setenv("GW_NOW", "2025-04-01", 1);
  CHECK_INT(gw_now(), T("2025-04-01"));
  setenv("GW_NOW", "2025-04-01T10:00:00Z", 1);
  CHECK_INT(gw_now(), T("2025-04-01 18:00"));

  /* an unparsable GW_NOW is fatal, naming the variable and the text */
  setenv("GW_NOW", "2025-02-30", 1);
  int fds[2];
  CHECK(pipe(fds) == 0);
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 2);
    close(fds[0]);
    (void)gw_now();
    _exit(0);
  }
  close(fds[1]);
  char msg[512] = {0};
  size_t got = 0;
  ssize_t n;
  while (got < sizeof msg - 1 && (n = read(fds[0], msg + got, sizeof msg - 1 - got)) > 0)
    got += (size_t)n;
  close(fds[0]);
  int st = 0;
  waitpid(pid, &st, 0);
  CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2);
  CHECK_CONTAINS(msg, "GW_NOW");
  CHECK_CONTAINS(msg, "'2025-02-30'");

  unsetenv("GW_NOW");
  int64_t before = (int64_t)time(NULL);
  int64_t now = gw_now();
  int64_t after = (int64_t)time(NULL);
  CHECK(now >= before && now <= after);
  setenv("GW_NOW", "", 1);
  now = gw_now();
  CHECK(now >= before && now <= (int64_t)time(NULL));
  unsetenv("GW_NOW");
}

static void test_extremes(void)
{
  /* nonsensical instants must not overflow (UBSan would abort) */
  struct gw_civil c;
  gw_civil_from_time(INT64_MAX, &c);
  gw_civil_from_time(INT64_MIN, &c);
  CHECK(gw_weekday(INT64_MAX) >= 1 && gw_weekday(INT64_MAX) <= 7);
  CHECK(gw_weekday(INT64_MIN) >= 1 && gw_weekday(INT64_MIN) <= 7);
  char buf[8];
  /* formatting into a short buffer truncates */
  CHECK_STR(gw_date_format(0, buf, sizeof buf), "1970-01");
}

int main(void)
{
  test_days();
  test_against_gmtime();
  test_shanghai_boundary();
  test_parse_ok();
  test_parse_err();
  test_quarters();
  test_add_months();
  test_weekday();
  test_now();
  test_extremes();
  return gw_test_done();
}
