#include "core/date.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/str.h"

#define DAY_SECONDS 86400

/* Floor division and the matching non-negative remainder: C's `/` truncates
 * toward zero, which would put instants before 1970 on the wrong day. */
static int64_t floor_div(int64_t a, int64_t b)
{
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    q--;
  return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
  int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0)))
    r += b;
  return r;
}

static bool is_leap(int64_t y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
  static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

/* Howard Hinnant's days_from_civil: eras of 400 years (146097 days) starting
 * on March 1 so the leap day is the last day of the shifted year. A month
 * outside 1..12 is carried into the year first, so callers may normalise
 * "month 13" the way mktime does; the day is linear and needs no carry. */
int64_t gw_days_from_civil(int y, int m, int d)
{
  int64_t yy = (int64_t)y + floor_div((int64_t)m - 1, 12);
  int64_t mm = floor_mod((int64_t)m - 1, 12) + 1;
  yy -= mm <= 2;
  int64_t era = floor_div(yy, 400);
  int64_t yoe = yy - era * 400;                                  /* [0, 399] */
  int64_t doy = (153 * (mm > 2 ? mm - 3 : mm + 9) + 2) / 5 + d - 1; /* [0, 365] */
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
  return era * 146097 + doe - 719468;
}

/* The inverse (Hinnant's civil_from_days). Years beyond the range of int
 * cannot be represented; they only arise from nonsensical instants and are
 * truncated rather than overflowing. */
void gw_civil_from_days(int64_t days, int *y, int *m, int *d)
{
  int64_t z = days + 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;                                      /* [0, 146096] */
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
  int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
  int64_t dd = doy - (153 * mp + 2) / 5 + 1;                           /* [1, 31] */
  int64_t mm = mp < 10 ? mp + 3 : mp - 9;                              /* [1, 12] */
  int64_t yy = yoe + era * 400 + (mm <= 2);
  *y = (int)yy;
  *m = (int)mm;
  *d = (int)dd;
}

int64_t gw_time_from_civil(const struct gw_civil *c)
{
  int64_t days = gw_days_from_civil(c->year, c->month, c->day);
  return days * DAY_SECONDS + (int64_t)c->hour * 3600 + (int64_t)c->min * 60 + c->sec - GW_TZ_OFFSET;
}

/* Split an instant into the Shanghai day number and the second of that day
 * without computing t + offset or days * 86400, which could overflow at the
 * ends of int64. */
static void split_local(int64_t t, int64_t *days, int64_t *secs)
{
  int64_t dd = floor_div(t, DAY_SECONDS);
  int64_t ss = floor_mod(t, DAY_SECONDS) + GW_TZ_OFFSET;
  if (ss >= DAY_SECONDS) {
    dd++;
    ss -= DAY_SECONDS;
  }
  *days = dd;
  *secs = ss;
}

void gw_civil_from_time(int64_t t, struct gw_civil *out)
{
  int64_t days, secs;
  split_local(t, &days, &secs);
  gw_civil_from_days(days, &out->year, &out->month, &out->day);
  out->hour = (int)(secs / 3600);
  out->min = (int)(secs / 60 % 60);
  out->sec = (int)(secs % 60);
}

/* ---- parsing ---------------------------------------------------------- */

/* Error messages quote the input; a bound keeps a huge argument from
 * swallowing the rest of the message. */
#define QUOTE_MAX 80

static bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

/* Exactly n decimal digits at *p; advances past them. */
static bool take_digits(const char **p, int n, int *out)
{
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (!is_digit((*p)[i]))
      return false;
    v = v * 10 + ((*p)[i] - '0');
  }
  if (is_digit((*p)[n]))
    return false; /* "2025-001-01": too many digits is not a shorter number */
  *p += n;
  *out = v;
  return true;
}

/* The next character is c; advances past it. Never steps over the NUL. */
static bool take_char(const char **p, char c)
{
  if (**p != c)
    return false;
  (*p)++;
  return true;
}

/* How many bytes of s to quote: at most QUOTE_MAX, cut back to a UTF-8
 * character boundary so the message stays valid UTF-8. */
static int quote_len(const char *s)
{
  size_t n = strnlen(s, QUOTE_MAX + 1);
  if (n <= QUOTE_MAX)
    return (int)n;
  n = QUOTE_MAX;
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
    n--;
  return (int)n;
}

#define Q(s) quote_len(s), (s)

static int syntax_err(const char *s)
{
  return gw_err_set(GW_EINVAL,
                    "'%.*s' is not a date or time (expected YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS], "
                    "YYYY-MM-DDTHH:MM[:SS] or RFC 3339 such as 2025-03-31T09:30:00+08:00)",
                    Q(s));
}

/* Accepted, all with a four-digit year:
 *   YYYY-MM-DD                       midnight, Shanghai time
 *   YYYY-MM-DD[ T]HH:MM[:SS]         Shanghai time
 *   ...:SS[.fraction]                fraction of a second dropped
 *   any time above + Z or +HH:MM/-HH:MM   explicit offset (RFC 3339)
 * RFC 3339 allows lower-case t and z, so they are accepted too. Leap seconds
 * (:60) are rejected: nothing GovWatch reads uses them, and a 60 is more
 * likely a typo than a leap second. */
int gw_time_parse(const char *s, int64_t *out)
{
  if (!s)
    return gw_err_set(GW_EINVAL, "no date or time given");
  const char *p = s;
  struct gw_civil c = {0};
  if (!take_digits(&p, 4, &c.year) || !take_char(&p, '-') || !take_digits(&p, 2, &c.month) ||
      !take_char(&p, '-') || !take_digits(&p, 2, &c.day))
    return syntax_err(s);
  if (c.month < 1 || c.month > 12)
    return gw_err_set(GW_EINVAL, "'%.*s': month %02d is out of range (01 to 12)", Q(s), c.month);
  if (c.day < 1 || c.day > days_in_month(c.year, c.month))
    return gw_err_set(GW_EINVAL, "'%.*s': day %02d does not exist in %04d-%02d (which has %d days)",
                      Q(s), c.day, c.year, c.month, days_in_month(c.year, c.month));

  int64_t offset = GW_TZ_OFFSET;
  if (*p == ' ' || *p == 'T' || *p == 't') {
    p++;
    if (!take_digits(&p, 2, &c.hour) || !take_char(&p, ':') || !take_digits(&p, 2, &c.min))
      return syntax_err(s);
    if (*p == ':') {
      p++;
      if (!take_digits(&p, 2, &c.sec))
        return syntax_err(s);
      if (*p == '.' || *p == ',') {
        p++;
        if (!is_digit(*p))
          return syntax_err(s);
        while (is_digit(*p))
          p++;
      }
    }
    if (c.hour > 23 || c.min > 59 || c.sec > 59)
      return gw_err_set(GW_EINVAL, "'%.*s': time of day %02d:%02d:%02d is out of range (00:00:00 to 23:59:59)",
                        Q(s), c.hour, c.min, c.sec);
    if (*p == 'Z' || *p == 'z') {
      p++;
      offset = 0;
    } else if (*p == '+' || *p == '-') {
      int sign = *p++ == '-' ? -1 : 1;
      int oh = 0, om = 0;
      if (!take_digits(&p, 2, &oh) || !take_char(&p, ':') || !take_digits(&p, 2, &om))
        return syntax_err(s);
      if (oh > 23 || om > 59)
        return gw_err_set(GW_EINVAL, "'%.*s': UTC offset %02d:%02d is out of range", Q(s), oh, om);
      offset = sign * ((int64_t)oh * 3600 + (int64_t)om * 60);
    }
  }
  if (*p)
    return gw_err_set(GW_EINVAL, "'%.*s': unexpected trailing text '%.*s'", Q(s), Q(p));
  *out = gw_time_from_civil(&c) + GW_TZ_OFFSET - offset;
  return GW_OK;
}

/* ---- formatting ------------------------------------------------------- */

char *gw_date_format(int64_t t, char *buf, size_t size)
{
  struct gw_civil c;
  gw_civil_from_time(t, &c);
  snprintf(buf, size, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

char *gw_time_format(int64_t t, char *buf, size_t size)
{
  struct gw_civil c;
  gw_civil_from_time(t, &c);
  snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour, c.min, c.sec);
  return buf;
}

char *gw_time_format_iso(int64_t t, char *buf, size_t size)
{
  struct gw_civil c;
  gw_civil_from_time(t, &c);
  snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", c.year, c.month, c.day, c.hour, c.min, c.sec);
  return buf;
}

/* ---- quarters, months, weekdays ----------------------------------------- */

int gw_quarter_parse(const char *s, int *year, int *q)
{
  if (!s)
    return gw_err_set(GW_EINVAL, "no quarter given");
  const char *p = s;
  int y = 0;
  if (!take_digits(&p, 4, &y))
    goto bad;
  if (*p == '-')
    p++;
  if (*p != 'Q' && *p != 'q')
    goto bad;
  p++;
  if (*p < '1' || *p > '4' || p[1] != '\0') {
    if (is_digit(*p) && p[1] == '\0')
      return gw_err_set(GW_EINVAL, "'%.*s': quarter %c is out of range (1 to 4)", Q(s), *p);
    goto bad;
  }
  *year = y;
  *q = *p - '0';
  return GW_OK;
bad:
  return gw_err_set(GW_EINVAL, "'%.*s' is not a quarter (expected YYYYQn such as 2025Q1, or 2025-Q1)",
                    Q(s));
}

void gw_quarter_bounds(int year, int q, int64_t *start, int64_t *end)
{
  struct gw_civil a = {year, 3 * (q - 1) + 1, 1, 0, 0, 0};
  /* Month 13 is carried into January of the next year by gw_days_from_civil. */
  struct gw_civil b = {year, 3 * q + 1, 1, 0, 0, 0};
  *start = gw_time_from_civil(&a);
  *end = gw_time_from_civil(&b);
}

int64_t gw_time_add_months(int64_t t, int months)
{
  int64_t days, secs;
  split_local(t, &days, &secs);
  int y, m, d;
  gw_civil_from_days(days, &y, &m, &d);
  int64_t total = (int64_t)y * 12 + (m - 1) + months;
  int64_t ny = floor_div(total, 12);
  int nm = (int)floor_mod(total, 12) + 1;
  int dim = days_in_month(ny, nm);
  if (d > dim)
    d = dim;
  return gw_days_from_civil((int)ny, nm, d) * DAY_SECONDS + secs - GW_TZ_OFFSET;
}

int gw_weekday(int64_t t)
{
  int64_t days, secs;
  split_local(t, &days, &secs);
  /* 1970-01-01 was a Thursday (4). */
  return (int)floor_mod(days + 3, 7) + 1;
}

/* ---- the clock -------------------------------------------------------- */

/* GW_NOW pins the clock for tests and for re-running an inspection "as of"
 * a past moment. A value that does not parse is fatal: silently falling
 * back to the wall clock would give results for the wrong as-of time. */
int64_t gw_now(void)
{
  const char *env = getenv("GW_NOW");
  if (env && *env) {
    int64_t t;
    if (gw_parse_i64(env, &t) == GW_OK || gw_time_parse(env, &t) == GW_OK)
      return t;
    fprintf(stderr, "govwatch: environment variable GW_NOW: %s\n", gw_err_msg());
    exit(2);
  }
  return (int64_t)time(NULL);
}
