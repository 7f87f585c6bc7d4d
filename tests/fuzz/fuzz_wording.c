/* Fuzz the wording scan: any bytes, valid UTF-8 or not.
 *
 * The engine is loaded once from the repository's dict/wording (found from
 * this file's path), jieba's dictionary (python3-jieba, or
 * $GW_WORDING_FREQ_DICT) and the shared confusion sets beside the repository
 * when they are there. Invariants checked on every hit: spans inside the
 * input and inside their sentence, hits in text order and not overlapping,
 * the suspect equal to the bytes of its span, a known category, a
 * confidence in (0, 1], a rule and a note. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "fuzz.h"
#include "text/wording.h"

struct ctx {
  const char *text;
  size_t len, last_end;
};

static int check_hit(const struct gw_wording_hit *h, void *arg)
{
  struct ctx *c = arg;
  if (h->len == 0 || h->start + h->len > c->len || h->start < c->last_end)
    abort();
  if (h->sent_start > h->start || h->start + h->len > h->sent_start + h->sent_len ||
      h->sent_start + h->sent_len > c->len)
    abort();
  if (strlen(h->suspect) != h->len || memcmp(h->suspect, c->text + h->start, h->len) != 0)
    abort();
  if ((unsigned)h->cat >= GW_WCAT_COUNT_ || !h->suggestion || !h->rule || !*h->rule || !h->note ||
      !*h->note || !(h->confidence > 0 && h->confidence <= 1))
    abort();
  c->last_end = h->start + h->len;
  return 0;
}

static struct gw_wording *engine(void)
{
  static struct gw_wording *e;
  static int tried;
  if (tried)
    return e;
  tried = 1;
  char root[4096], dict[4200], conf[4200];
  snprintf(root, sizeof root, "%s", __FILE__);
  char *cut = strstr(root, "/tests/fuzz/");
  if (cut)
    *cut = '\0';
  else
    snprintf(root, sizeof root, ".");
  snprintf(dict, sizeof dict, "%s/dict/wording", root);
  snprintf(conf, sizeof conf, "%s/../shared/data/confusion", root);
  struct stat st;
  const char *cd = stat(conf, &st) == 0 ? conf : NULL;
  if (gw_wording_new(&e, dict, NULL, cd)) {
    fprintf(stderr, "fuzz_wording: cannot load the engine: %s\n", gw_err_msg());
    abort();
  }
  return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct gw_wording *e = engine();
  struct ctx c = {(const char *)data, size, 0};
  if (gw_wording_scan(e, (const char *)data, size, check_hit, &c) != 0)
    abort();
  return 0;
}
