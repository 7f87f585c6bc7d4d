/* Fuzz the configuration parser (YAML from memory, as a file's content). */
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/error.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct gw_config c, before;
  memset(&c, 0xA5, sizeof c);
  before = c;
  int rc = gw_config_parse("fuzz.yaml", (const char *)data, size, &c);
  if (rc != GW_OK) {
    /* the out-param is untouched and the message names the input */
    if (memcmp(&c, &before, sizeof c) != 0 || strncmp(gw_err_msg(), "fuzz.yaml", 9) != 0)
      abort();
    return 0;
  }
  if (c.path || !c.db || !*c.db || !c.user_agent || !*c.user_agent || c.timeout_s < 1 || c.timeout_s > 3600 ||
      c.log_level > GW_LOG_OFF)
    abort();
  for (size_t i = 0; i < c.connect_to.n; i++) {
    int colons = 0;
    for (const char *p = c.connect_to.v[i]; *p; p++)
      colons += *p == ':';
    if (colons < 3)
      abort();
  }
  gw_config_clear(&c);
  return 0;
}
