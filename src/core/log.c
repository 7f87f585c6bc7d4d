#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/error.h"

static enum gw_log_level g_level = GW_LOG_WARN;

static const char *const g_names[] = {"debug", "info", "warn", "error", "off"};

void gw_log_set_level(enum gw_log_level level)
{
  g_level = level;
}

enum gw_log_level gw_log_get_level(void)
{
  return g_level;
}

int gw_log_parse_level(const char *s, enum gw_log_level *out)
{
  for (int i = 0; i <= GW_LOG_OFF; i++) {
    if (strcmp(s, g_names[i]) == 0) {
      *out = (enum gw_log_level)i;
      return GW_OK;
    }
  }
  return gw_err_set(GW_EINVAL, "unknown log level '%s' (expected debug, info, warn, error or off)", s);
}

void gw_log(enum gw_log_level level, const char *fmt, ...)
{
  if (level < g_level || level >= GW_LOG_OFF)
    return;
  char line[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  /* One fprintf per message keeps lines from interleaving across threads. */
  fprintf(stderr, "govwatch: %s: %s\n", g_names[level], line);
}
