/* Working-day arithmetic (core/workday.h) on the shipped calendar data and
 * on hand-made files: holidays, 调休 weekends, the fallback outside the
 * data, and every loading error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/date.h"
#include "core/error.h"
#include "core/workday.h"
#include "tap.h"

static int64_t T(const char *s)
{
  int64_t t = 0;
  if (gw_time_parse(s, &t) != GW_OK) {
    fprintf(stderr, "bad time %s\n", s);
    exit(1);
  }
  return t;
}

static char g_tmp[256];

static void write_file(const char *name, const char *text)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", g_tmp, name);
  FILE *f = fopen(path, "w");
  if (!f)
    exit(1);
  fputs(text, f);
  fclose(f);
}

static void clear_tmp(void)
{
  char path[512];
  for (int y = 2000; y <= 2030; y++) {
    snprintf(path, sizeof path, "%s/%d.txt", g_tmp, y);
    unlink(path);
  }
}

static void test_shipped(const char *dir)
{
  struct gw_workday_cal *c = NULL;
  CHECK_INT(gw_workday_cal_load(&c, dir), GW_OK);
  if (!c)
    return;
  int first, last;
  gw_workday_cal_range(c, &first, &last);
  CHECK_INT(first, 2023);
  CHECK_INT(last, 2026);
  bool fb = false;
  const char *name = NULL;
  /* 2025 春节: Jan 28 - Feb 4 off, Sunday Jan 26 and Saturday Feb 8 worked */
  CHECK(!gw_workday_is(c, T("2025-01-28 10:00"), &fb, &name));
  CHECK_STR(name, "春节");
  CHECK(gw_workday_is(c, T("2025-01-26 10:00"), &fb, &name));
  CHECK_STR(name, "春节调休上班");
  CHECK(gw_workday_is(c, T("2025-02-08 00:00"), &fb, NULL));
  CHECK(!gw_workday_is(c, T("2025-02-09 23:59"), &fb, NULL)); /* an ordinary Sunday */
  CHECK(gw_workday_is(c, T("2025-02-05 09:00"), &fb, &name));
  CHECK(name == NULL);
  CHECK(!fb);
  /* a letter on Friday Jan 24, 2025 answered on Friday Feb 7: Jan 26 (Sun,
   * worked), Jan 27 (Mon), Feb 5, 6, 7 = 5 working days */
  CHECK_INT(gw_workday_count(c, T("2025-01-24 16:00"), T("2025-02-07 09:00"), &fb), 5);
  /* across the whole 2026 春节 with both 调休 Saturdays: Feb 13 (Fri) to
   * Feb 28 (Sat): Feb 14 (Sat, worked), 24, 25, 26, 27, 28 (Sat, worked) */
  CHECK_INT(gw_workday_count(c, T("2026-02-13 10:00"), T("2026-02-28 10:00"), &fb), 6);
  /* the same day, and backwards */
  CHECK_INT(gw_workday_count(c, T("2025-03-03 09:00"), T("2025-03-03 18:00"), &fb), 0);
  CHECK_INT(gw_workday_count(c, T("2025-03-04 09:00"), T("2025-03-03 18:00"), &fb), 0);
  /* a reply on a holiday counts no day for the holiday itself */
  CHECK_INT(gw_workday_count(c, T("2025-09-30 10:00"), T("2025-10-03 10:00"), &fb), 0);
  CHECK_INT(gw_workday_count(c, T("2025-09-26 10:00"), T("2025-10-03 10:00"), &fb), 3); /* Sep 28 (Sun), 29, 30 */
  CHECK(!fb);
  /* adding: 1 working day after Friday Sep 26, 2025 is Sunday Sep 28 (调休) */
  char buf[32];
  CHECK_STR(gw_time_format(gw_workday_add(c, T("2025-09-26 15:30"), 1, &fb), buf, sizeof buf),
            "2025-09-28 15:30:00");
  CHECK_STR(gw_time_format(gw_workday_add(c, T("2025-09-30 15:30"), 1, &fb), buf, sizeof buf),
            "2025-10-09 15:30:00");
  CHECK_STR(gw_time_format(gw_workday_add(c, T("2025-09-30 15:30"), 0, &fb), buf, sizeof buf),
            "2025-09-30 15:30:00");
  /* 2023 元旦 falls on Sunday and Monday Jan 2 */
  CHECK(!gw_workday_is(c, T("2023-01-02 12:00"), &fb, NULL));
  CHECK(!fb);
  /* outside the data: Monday-Friday, and the flag says so */
  CHECK(gw_workday_is(c, T("2022-10-03 12:00"), &fb, NULL)); /* a holiday in fact, but no data for 2022 */
  CHECK(fb);
  fb = false;
  CHECK_INT(gw_workday_count(c, T("2026-12-30 10:00"), T("2027-01-04 10:00"), &fb), 3); /* Dec 31, Jan 1, Jan 4 */
  CHECK(fb);
  gw_workday_cal_free(&c);
  CHECK(c == NULL);
  gw_workday_cal_free(&c);
}

static void test_empty_and_env(const char *src)
{
  struct gw_workday_cal *c = gw_workday_cal_empty();
  bool fb = false;
  CHECK_INT(gw_workday_count(c, T("2025-01-24 16:00"), T("2025-02-07 09:00"), &fb), 10);
  CHECK(fb);
  CHECK(!gw_workday_cal_covers(c, 2025));
  gw_workday_cal_free(&c);
  char d[4096];
  snprintf(d, sizeof d, "%s/dict", src);
  setenv("GW_DICT_DIR", d, 1);
  snprintf(d, sizeof d, "%s/dict/calendar", src);
  CHECK_STR(gw_workday_default_dir(), d);
  CHECK_INT(gw_workday_cal_load(&c, NULL), GW_OK);
  CHECK(gw_workday_cal_covers(c, 2024));
  gw_workday_cal_free(&c);
  unsetenv("GW_DICT_DIR");
  CHECK(strstr(gw_workday_default_dir(), "/calendar") != NULL); /* ./dict or the source tree's */
}

static void expect_load_error(const char *file, const char *text, int code, const char *msg)
{
  clear_tmp();
  write_file(file, text);
  struct gw_workday_cal *c = NULL;
  CHECK_INT(gw_workday_cal_load(&c, g_tmp), code);
  CHECK(c == NULL);
  CHECK_CONTAINS(gw_err_msg(), msg);
}

static void test_errors(void)
{
  struct gw_workday_cal *c = NULL;
  CHECK_INT(gw_workday_cal_load(&c, "/nonexistent/calendar"), GW_ENOTFOUND);
  CHECK_CONTAINS(gw_err_msg(), "/nonexistent/calendar");
  clear_tmp();
  CHECK_INT(gw_workday_cal_load(&c, g_tmp), GW_OK); /* no files: empty */
  CHECK(!gw_workday_cal_covers(c, 2025));
  gw_workday_cal_free(&c);
  expect_load_error("2025.txt", "holiday 2025-01-01 元旦\n", GW_EPARSE, "2025.txt:1: 'holiday' before the 'year' line");
  expect_load_error("2025.txt", "year 2024\n", GW_EPARSE, "2025.txt:1: 'year' must be 2025");
  expect_load_error("2025.txt", "# nothing\n", GW_EPARSE, "2025.txt: no 'year' line");
  expect_load_error("2025.txt", "year 2025\nholliday 2025-01-01 元旦\n", GW_EPARSE,
                    "2025.txt:2: unknown keyword 'holliday'");
  expect_load_error("2025.txt", "year 2025\nholiday 2025-02-30 x\n", GW_EPARSE,
                    "2025.txt:2: 'holiday' needs a date YYYY-MM-DD, got '2025-02-30'");
  expect_load_error("2025.txt", "year 2025\nholiday 2025-01-01\n", GW_EPARSE, "2025.txt:2: 'holiday 2025-01-01' has no name");
  expect_load_error("2025.txt", "year 2025\nholiday 2025-01-05 2025-01-02 x\n", GW_EPARSE, "2025.txt:2: bad end date");
  expect_load_error("2025.txt", "year 2025\nholiday 2024-12-31 x\n", GW_EPARSE, "2025.txt:2: date outside the year 2025");
  expect_load_error("2025.txt", "year 2025\nworkday 2025-01-27 x\n", GW_EPARSE, "2025.txt:2: workday 2025-01-27 is a weekday");
  expect_load_error("2025.txt", "year 2025\nholiday 2025-01-01 元旦\nholiday 2025-01-01 又一个\n", GW_EPARSE,
                    "2025-01-01 is listed twice");
  /* a name with spaces, spans over a weekend, and files that are not calendars are ignored */
  clear_tmp();
  write_file("2025.txt", "year 2025\nsource test\nholiday 2025-01-28 2025-02-04 Spring Festival\n");
  write_file("notes.txt", "not a calendar\n");
  CHECK_INT(gw_workday_cal_load(&c, g_tmp), GW_OK);
  const char *name = NULL;
  bool fb = false;
  CHECK(!gw_workday_is(c, T("2025-02-03 10:00"), &fb, &name));
  CHECK_STR(name, "Spring Festival");
  CHECK(!gw_workday_is(c, T("2025-01-26 10:00"), &fb, NULL)); /* no 调休 in this file */
  CHECK(!fb);
  gw_workday_cal_free(&c);
  char notes[512];
  snprintf(notes, sizeof notes, "%s/notes.txt", g_tmp);
  unlink(notes);
  clear_tmp();
}

int main(void)
{
  const char *src = getenv("GW_SRC");
  if (!src || !*src)
    src = ".";
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/dict/calendar", src);
  snprintf(g_tmp, sizeof g_tmp, "/tmp/gw-workday-%ld", (long)getpid());
  mkdir(g_tmp, 0700);
  test_shipped(dir);
  test_empty_and_env(src);
  test_errors();
  rmdir(g_tmp);
  return gw_test_done();
}
