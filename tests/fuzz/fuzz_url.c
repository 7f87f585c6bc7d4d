/* Fuzz URL normalisation (src/fetch/url.h) and the heuristics that read
 * normalised URLs. Input: "BASE\nREF" (no newline: REF alone, no base).
 * Invariants checked: a result is an absolute http(s) URL with no fragment,
 * no raw byte a URL may not hold, no longer than GW_URL_MAX, that
 * gw_url_view can split; normalising it again gives it back (a fixed
 * point); a failure leaves the out-parameter alone. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/utf8.h"
#include "fetch/url.h"
#include "fuzz.h"

static void check_result(const char *u)
{
  if (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0)
    abort();
  if (strlen(u) > GW_URL_MAX || strchr(u, '#'))
    abort();
  struct gw_url_view v;
  if (!gw_url_view(u, &v) || v.host_len == 0 || v.path_len == 0 || v.path[0] != '/')
    abort();
  /* only the host may hold non-ASCII (an internationalised name, UTF-8) */
  if (!gw_utf8_valid(v.host, v.host_len))
    abort();
  for (const unsigned char *p = (const unsigned char *)u; *p; p++)
    if ((const char *)p >= v.host && (const char *)p < v.host + v.host_len && *p >= 0x80)
      continue;
    else if (*p <= 0x20 || *p >= 0x7F || *p == '"' || *p == '<' || *p == '>' || *p == '\\' || *p == '^' ||
        *p == '`' || *p == '{' || *p == '|' || *p == '}')
      abort();
  char *again = (char *)"sentinel";
  if (gw_url_normalize(NULL, u, &again) != GW_OK || strcmp(again, u) != 0)
    abort();
  free(again);
  char why[256];
  gw_url_trap_path(u, why, sizeof why);
  free(gw_url_query_key(u));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *s = malloc(size + 1);
  if (!s)
    return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  if (strlen(s) != size) { /* NUL inside: not a C string */
    free(s);
    return 0;
  }
  char *nl = strchr(s, '\n');
  const char *base = NULL, *ref = s;
  if (nl) {
    *nl = '\0';
    base = s;
    ref = nl + 1;
  }
  char *out = (char *)"sentinel";
  int rc = gw_url_normalize(base, ref, &out);
  if (rc != GW_OK) {
    if (strcmp(out, "sentinel") != 0)
      abort();
  } else {
    check_result(out);
    char *base_norm = NULL;
    if (base && gw_url_normalize(NULL, base, &base_norm) == GW_OK) {
      /* calendar steps and scope on two real URLs must not crash */
      gw_url_calendar_step(base_norm, out);
      struct gw_scope sc;
      if (gw_scope_init(&sc, base_norm, NULL, 0) == GW_OK) {
        gw_scope_of(&sc, out);
        gw_scope_free(&sc);
      }
      free(base_norm);
    }
    struct gw_traps t;
    gw_traps_init(&t, 2, 2);
    unsigned d = 0;
    char why[256];
    if (gw_traps_check(&t, base, 0, out, &d, why, sizeof why))
      gw_traps_note(&t, out);
    gw_traps_free(&t);
    free(out);
  }
  free(s);
  return 0;
}
