#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char g_msg[2048];

static const char *const g_names[GW_ECOUNT_] = {
  [GW_OK] = "success",
  [GW_ENOMEM] = "out of memory",
  [GW_EINVAL] = "invalid input",
  [GW_EUSAGE] = "wrong usage",
  [GW_EIO] = "input/output error",
  [GW_ENOTFOUND] = "not found",
  [GW_EEXIST] = "already exists",
  [GW_EPARSE] = "malformed input",
  [GW_ELIMIT] = "size limit reached",
  [GW_EDB] = "database error",
  [GW_ESCHEMA] = "database schema mismatch",
  [GW_ENET] = "network error",
  [GW_EINUSE] = "still in use",
};

const char *gw_strerror(int code)
{
  if (code < 0 || code >= GW_ECOUNT_ || !g_names[code])
    return "unknown error";
  return g_names[code];
}

int gw_err_set(int code, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(g_msg, sizeof g_msg, fmt, ap);
  va_end(ap);
  return code;
}

int gw_err_prefix(int code, const char *fmt, ...)
{
  char prefix[512];
  char old[sizeof g_msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(prefix, sizeof prefix, fmt, ap);
  va_end(ap);
  memcpy(old, g_msg, sizeof old);
  snprintf(g_msg, sizeof g_msg, "%s: %s", prefix, old[0] ? old : gw_strerror(code));
  return code;
}

const char *gw_err_msg(void)
{
  return g_msg[0] ? g_msg : "unknown error";
}

void gw_err_clear(void)
{
  g_msg[0] = '\0';
}

int gw_err_exit_status(int code)
{
  switch (code) {
  case GW_OK: return 0;
  case GW_EUSAGE: return 2;
  case GW_EINVAL: case GW_EPARSE: case GW_EEXIST: case GW_ELIMIT: case GW_EINUSE: return 3;
  case GW_ENOTFOUND: return 4;
  case GW_EDB: case GW_ESCHEMA: return 5;
  case GW_ENET: return 6;
  default: return 1;
  }
}
