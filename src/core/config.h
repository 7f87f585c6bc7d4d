/* The configuration file (YAML) with defaults.
 *
 * gw_config_load reads the file when a path is given, else the first of
 * $GOVWATCH_CONFIG and ./govwatch.yaml that exists, else defaults only.
 * Unknown keys and wrong types are errors naming the file, line and key, so
 * a typo never silently falls back to a default. */
#ifndef GW_CORE_CONFIG_H
#define GW_CORE_CONFIG_H

#include "core/log.h"
#include "core/str.h"

struct gw_config {
  char *path;              /* the file read, or NULL for defaults only */
  char *db;                /* store URI; default "govwatch.db" */
  enum gw_log_level log_level; /* default warn */
  /* Host mappings in curl's --connect-to form "HOST:PORT:CONNECT_HOST:CONNECT_PORT"
   * (empty HOST or PORT = any), used to point site host names at the sample
   * sites on loopback or at a test host. Key: network.connect_to (a list). */
  struct gw_strv connect_to;
  char *user_agent;        /* network.user_agent */
  long timeout_s;          /* network.timeout, seconds; default 15 */
};

int gw_config_load(const char *path, struct gw_config *out);
/* Defaults only (no file). */
void gw_config_defaults(struct gw_config *out);
void gw_config_clear(struct gw_config *c);

#endif
