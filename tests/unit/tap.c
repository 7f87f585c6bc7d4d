#include "tap.h"

#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int gw_test_pass, gw_test_fail;
static char g_tmpdir[512];

void gw_test_report(bool ok, const char *file, int line, const char *fmt, ...)
{
  if (ok) {
    gw_test_pass++;
    return;
  }
  gw_test_fail++;
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "FAIL %s:%d: ", file, line);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static void rm_tmpdir(void)
{
  if (!g_tmpdir[0] || getenv("GW_TEST_KEEP"))
    return;
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_tmpdir);
  if (system(cmd) != 0)
    fprintf(stderr, "warning: could not remove %s\n", g_tmpdir);
}

const char *gw_test_tmpdir(void)
{
  if (!g_tmpdir[0]) {
    const char *t = getenv("TMPDIR");
    snprintf(g_tmpdir, sizeof g_tmpdir, "%s/gwtest.XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(g_tmpdir)) {
      perror("mkdtemp");
      exit(2);
    }
    atexit(rm_tmpdir);
  }
  return g_tmpdir;
}

int gw_test_run(const char *cmd, char **out)
{
  char full[8192];
  snprintf(full, sizeof full, "(%s) 2>&1", cmd);
  FILE *p = popen(full, "r");
  if (!p)
    return -1;
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  size_t n;
  while (buf && (n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
    len += n;
    if (cap - len < 2) {
      cap *= 2;
      buf = realloc(buf, cap);
    }
  }
  if (buf)
    buf[len] = '\0';
  int st = pclose(p);
  if (out)
    *out = buf;
  else
    free(buf);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

char *gw_test_slurp(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  if (buf) {
    buf[n] = '\0';
    if (len)
      *len = (size_t)n;
  }
  return buf;
}

int gw_test_done(void)
{
  printf("%d passed, %d failed\n", gw_test_pass, gw_test_fail);
  return gw_test_fail ? 1 : 0;
}
