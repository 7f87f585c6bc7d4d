/* Working days from the State Council's holiday notices (workday.h). */
#include "core/workday.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/date.h"
#include "core/dict.h"
#include "core/error.h"
#include "core/str.h"

#define LINE_MAX_BYTES 512
#define FILE_MAX_LINES 1000

struct special {
  int64_t day;   /* days since 1970-01-01, Shanghai civil */
  bool work;     /* true: 调休 working day on a weekend; false: holiday */
  char *name;
};

struct gw_workday_cal {
  struct special *v;
  size_t n, cap;
  int years[GW_WORKDAY_MAX_YEARS];
  size_t n_years;
};

const char *gw_workday_default_dir(void)
{
  static char buf[4096];
  snprintf(buf, sizeof buf, "%s/calendar", gw_dict_dir());
  return buf;
}

struct gw_workday_cal *gw_workday_cal_empty(void)
{
  return gw_calloc(1, sizeof(struct gw_workday_cal));
}

void gw_workday_cal_free(struct gw_workday_cal **c)
{
  if (!c || !*c)
    return;
  for (size_t i = 0; i < (*c)->n; i++)
    free((*c)->v[i].name);
  free((*c)->v);
  free(*c);
  *c = NULL;
}

static int64_t day_of(int64_t t)
{
  int64_t s = t + GW_TZ_OFFSET;
  return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

/* 1 = Monday .. 7 = Sunday; 1970-01-01 was a Thursday. */
static int weekday_of_day(int64_t day)
{
  int64_t r = (day + 3) % 7;
  if (r < 0)
    r += 7;
  return (int)r + 1;
}

static int year_of_day(int64_t day)
{
  int y, m, d;
  gw_civil_from_days(day, &y, &m, &d);
  return y;
}

bool gw_workday_cal_covers(const struct gw_workday_cal *c, int year)
{
  for (size_t i = 0; c && i < c->n_years; i++)
    if (c->years[i] == year)
      return true;
  return false;
}

void gw_workday_cal_range(const struct gw_workday_cal *c, int *first, int *last)
{
  int lo = 0, hi = 0;
  for (size_t i = 0; c && i < c->n_years; i++) {
    if (!lo || c->years[i] < lo)
      lo = c->years[i];
    if (c->years[i] > hi)
      hi = c->years[i];
  }
  if (first)
    *first = lo;
  if (last)
    *last = hi;
}

static const struct special *find_special(const struct gw_workday_cal *c, int64_t day)
{
  size_t lo = 0, hi = c->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->v[mid].day == day)
      return &c->v[mid];
    if (c->v[mid].day < day)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

static bool is_day(const struct gw_workday_cal *c, int64_t day, bool *fallback, const char **name)
{
  if (name)
    *name = NULL;
  bool weekday = weekday_of_day(day) <= 5;
  if (!gw_workday_cal_covers(c, year_of_day(day))) {
    if (fallback)
      *fallback = true;
    return weekday;
  }
  const struct special *s = find_special(c, day);
  if (s) {
    if (name)
      *name = s->name;
    return s->work;
  }
  return weekday;
}

bool gw_workday_is(const struct gw_workday_cal *c, int64_t t, bool *fallback, const char **name)
{
  return is_day(c, day_of(t), fallback, name);
}

int64_t gw_workday_count(const struct gw_workday_cal *c, int64_t from, int64_t to, bool *fallback)
{
  int64_t a = day_of(from), b = day_of(to), n = 0;
  for (int64_t d = a + 1; d <= b; d++)
    if (is_day(c, d, fallback, NULL))
      n++;
  return n;
}

int64_t gw_workday_add(const struct gw_workday_cal *c, int64_t t, int n, bool *fallback)
{
  int64_t d = day_of(t), start = d;
  while (n > 0) {
    d++;
    if (is_day(c, d, fallback, NULL))
      n--;
  }
  return t + (d - start) * 86400;
}

/* ---- loading ---- */

static void add_special(struct gw_workday_cal *c, int64_t day, bool work, const char *name)
{
  if (c->n == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 64;
    c->v = gw_reallocarray(c->v, c->cap, sizeof *c->v);
  }
  c->v[c->n].day = day;
  c->v[c->n].work = work;
  c->v[c->n].name = gw_strdup(name);
  c->n++;
}

static int cmp_special(const void *a, const void *b)
{
  const struct special *x = a, *y = b;
  return x->day < y->day ? -1 : x->day > y->day;
}

/* "YYYY-MM-DD" strictly, into days. */
static bool parse_day(const char *s, int64_t *day)
{
  int64_t t;
  if (strlen(s) != 10 || gw_time_parse(s, &t) != GW_OK)
    return false;
  *day = day_of(t);
  return true;
}

/* Split the next white-space separated word of *p; NULL at the end. */
static char *word(char **p)
{
  char *s = *p;
  while (*s == ' ' || *s == '\t')
    s++;
  if (!*s)
    return NULL;
  char *e = s;
  while (*e && *e != ' ' && *e != '\t')
    e++;
  if (*e)
    *e++ = '\0';
  *p = e;
  return s;
}

static int load_file(struct gw_workday_cal *c, const char *path, int name_year)
{
  int rc = GW_OK;
  FILE *f = fopen(path, "r");
  if (!f)
    return gw_err_set(GW_EIO, "calendar %s: cannot open: %s", path, strerror(errno));
  char line[LINE_MAX_BYTES];
  long ln = 0;
  int year = 0;
  size_t first = c->n;
  while (fgets(line, sizeof line, f)) {
    ln++;
    size_t len = strlen(line);
    if (len == sizeof line - 1 && line[len - 1] != '\n') {
      rc = gw_err_set(GW_EPARSE, "calendar %s:%ld: line longer than %d bytes", path, ln, LINE_MAX_BYTES - 2);
      goto out;
    }
    if (ln > FILE_MAX_LINES) {
      rc = gw_err_set(GW_EPARSE, "calendar %s:%ld: more than %d lines", path, ln, FILE_MAX_LINES);
      goto out;
    }
    char *p = gw_str_trim(line);
    if (!*p || *p == '#')
      continue;
    char *kw = word(&p);
    if (strcmp(kw, "source") == 0)
      continue;
    if (strcmp(kw, "year") == 0) {
      char *y = word(&p);
      int64_t v;
      if (!y || gw_parse_i64(y, &v) != GW_OK || v != name_year || word(&p)) {
        rc = gw_err_set(GW_EPARSE, "calendar %s:%ld: 'year' must be %d, the year of the file name", path, ln,
                        name_year);
        goto out;
      }
      year = (int)v;
      continue;
    }
    bool work = strcmp(kw, "workday") == 0;
    if (!work && strcmp(kw, "holiday") != 0) {
      rc = gw_err_set(GW_EPARSE, "calendar %s:%ld: unknown keyword '%s' (known: year, source, holiday, workday)",
                      path, ln, kw);
      goto out;
    }
    if (!year) {
      rc = gw_err_set(GW_EPARSE, "calendar %s:%ld: '%s' before the 'year' line", path, ln, kw);
      goto out;
    }
    char *a = word(&p);
    int64_t d0, d1;
    if (!a || !parse_day(a, &d0)) {
      rc = gw_err_set(GW_EPARSE, "calendar %s:%ld: '%s' needs a date YYYY-MM-DD, got '%s'", path, ln, kw,
                      a ? a : "");
      goto out;
    }
    d1 = d0;
    char *rest = p;
    char *b = word(&p);
    if (b && b[0] >= '0' && b[0] <= '9') {
      if (work || !parse_day(b, &d1) || d1 < d0) {
        rc = gw_err_set(GW_EPARSE, "calendar %s:%ld: bad end date '%s' (%s)", path, ln, b,
                        work ? "a workday line names one day" : "YYYY-MM-DD, not before the start");
        goto out;
      }
      rest = p;
    } else if (b) {
      rest = b;
      if (*p)
        p[-1] = ' '; /* the name may hold spaces: rejoin it */
    }
    const char *name = rest ? gw_str_trim(rest) : "";
    if (!*name) {
      rc = gw_err_set(GW_EPARSE, "calendar %s:%ld: '%s %s' has no name", path, ln, kw, a);
      goto out;
    }
    for (int64_t d = d0; d <= d1; d++) {
      if (year_of_day(d) != year) {
        rc = gw_err_set(GW_EPARSE, "calendar %s:%ld: date outside the year %d", path, ln, year);
        goto out;
      }
      bool weekend = weekday_of_day(d) >= 6;
      if (work && !weekend) {
        rc = gw_err_set(GW_EPARSE, "calendar %s:%ld: workday %s is a weekday (调休上班 days are weekends)", path,
                        ln, a);
        goto out;
      }
      /* a holiday span may cover its weekend; only weekdays need a record */
      if (!work && weekend)
        continue;
      add_special(c, d, work, name);
    }
  }
  if (ferror(f)) {
    rc = gw_err_set(GW_EIO, "calendar %s: read error", path);
    goto out;
  }
  if (!year) {
    rc = gw_err_set(GW_EPARSE, "calendar %s: no 'year' line", path);
    goto out;
  }
  if (c->n_years == GW_WORKDAY_MAX_YEARS) {
    rc = gw_err_set(GW_ELIMIT, "calendar %s: more than %d years", path, GW_WORKDAY_MAX_YEARS);
    goto out;
  }
  c->years[c->n_years++] = year;
out:
  if (rc != GW_OK) {
    for (size_t i = first; i < c->n; i++)
      free(c->v[i].name);
    c->n = first;
  }
  fclose(f);
  return rc;
}

int gw_workday_cal_load(struct gw_workday_cal **out, const char *dir)
{
  int rc = GW_OK;
  if (!dir)
    dir = gw_workday_default_dir();
  struct gw_workday_cal *c = gw_workday_cal_empty();
  DIR *dh = opendir(dir);
  if (!dh) {
    rc = gw_err_set(errno == ENOENT ? GW_ENOTFOUND : GW_EIO, "calendar directory %s: %s", dir, strerror(errno));
    goto out;
  }
  struct dirent *e;
  while ((e = readdir(dh)) != NULL) {
    const char *nm = e->d_name;
    if (strlen(nm) != 8 || strcmp(nm + 4, ".txt") != 0)
      continue;
    int y = 0;
    bool digits = true;
    for (int i = 0; i < 4; i++) {
      if (nm[i] < '0' || nm[i] > '9')
        digits = false;
      else
        y = y * 10 + (nm[i] - '0');
    }
    if (!digits)
      continue;
    if (gw_workday_cal_covers(c, y))
      continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, nm);
    rc = load_file(c, path, y);
    if (rc != GW_OK)
      break;
  }
  closedir(dh);
  if (rc != GW_OK)
    goto out;
  if (c->n)
    qsort(c->v, c->n, sizeof *c->v, cmp_special);
  for (size_t i = 1; i < c->n; i++)
    if (c->v[i].day == c->v[i - 1].day) {
      int y, m, d;
      gw_civil_from_days(c->v[i].day, &y, &m, &d);
      rc = gw_err_set(GW_EPARSE, "calendar %s: %04d-%02d-%02d is listed twice", dir, y, m, d);
      goto out;
    }
  *out = c;
  c = NULL;
out:
  gw_workday_cal_free(&c);
  return rc;
}
