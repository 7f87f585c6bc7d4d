/* Serious wording errors (严重错误 / 错别字) in page text.
 *
 * A dictionary-first engine: exact lists that an office edits (dict/wording/
 * *.txt: leader names and titles, institution, meeting and law names,
 * administrative divisions, fixed expressions, misused words, sensitive
 * words, fallen officials, the allow list), near misses generated from the
 * correct forms in those lists (one character replaced by a same-pinyin or
 * same-shape character, two characters swapped, a title that does not go
 * with a leader's name), and a statistical detector over a Chinese word-
 * frequency dictionary (jieba's dict.txt from the Debian package
 * python3-jieba) for what no list names. Precision comes first: a false
 * finding would embarrass a government unit in an official circular, so
 * every detector errs on the side of silence. The user guide is
 * docs/wording.md; the measured accuracy is bench/wording/README.md. */
#ifndef GW_TEXT_WORDING_H
#define GW_TEXT_WORDING_H

#include <stdbool.h>
#include <stddef.h>

/* The categories users expect in an inspection report, in report order. */
enum gw_wording_cat {
  GW_WCAT_LEADER,      /* 国家领导人姓名职务 */
  GW_WCAT_INSTITUTION, /* 机构名称 */
  GW_WCAT_MEETING,     /* 会议名称 */
  GW_WCAT_LAW,         /* 法律法规政策名称 */
  GW_WCAT_DIVISION,    /* 行政区划 */
  GW_WCAT_FIXED,       /* 固定提法 */
  GW_WCAT_TYPO,        /* 一般错别字 */
  GW_WCAT_SENSITIVE,   /* 敏感词 */
  GW_WCAT_FALLEN,      /* 落马官员 */
  GW_WCAT_COUNT_       /* number of categories, keep last */
};

/* The Chinese label of a category as users read it ("国家领导人姓名职务"),
 * or "" for a value out of range. */
const char *gw_wording_cat_label(enum gw_wording_cat cat);
/* The English id of a category, also the stem of its dictionary files
 * ("leaders", "institutions", "meetings", "laws", "divisions", "fixed",
 * "misused", "sensitive", "fallen"), or "" for a value out of range. */
const char *gw_wording_cat_id(enum gw_wording_cat cat);

/* One suspect span with its evidence. Every pointer is borrowed and valid
 * only during the callback; offsets are bytes into the scanned text. */
struct gw_wording_hit {
  enum gw_wording_cat cat;
  size_t start, len;           /* the suspect span */
  size_t sent_start, sent_len; /* the sentence that holds it */
  const char *suspect;         /* the span's text (NUL-terminated copy) */
  const char *suggestion;      /* the correction; "" when the list has none
                                  (敏感词, 落马官员: a person must judge) */
  const char *rule;            /* where it came from: "misused.txt:12",
                                  "leaders.txt:3", "custom_confusion:57",
                                  "statistical" */
  const char *note;            /* short Chinese explanation for the report
                                  ("疑似错别字", "职务与姓名不符", ...) */
  double confidence;           /* 0..1: lists 0.7-0.95, statistical 0.5-0.9 */
};

/* Called once per hit, in text order. Return 0 to go on, anything else to
 * stop the scan (gw_wording_scan then returns that value). */
typedef int (*gw_wording_fn)(const struct gw_wording_hit *hit, void *arg);

/* Knobs of the statistical detector, tuned on the development set
 * (ECSpell odw.train) and never on the sets the benchmark reports. The
 * defaults are what bench/wording/README.md measured. */
struct gw_wording_tuning {
  bool stat_enabled;      /* run the statistical detector at all */
  double stat_min_gain;   /* natural-log likelihood gain a replacement
                             must bring to the sentence's best segmentation */
  double stat_min_word_lp;/* log-probability floor of the word the
                             replacement creates (rare words never count) */
  double stat_max_orig_lp;/* a character that already sits in a dictionary
                             word more probable than this is left alone */
  int stat_max_per_sentence; /* more statistical suspects than this in one
                                sentence means the text is unusual (names,
                                lists, foreign words): report none */
};

struct gw_wording;

/* The dictionary path used when none is given: $GW_WORDING_FREQ_DICT when
 * set and non-empty, else jieba's dict.txt where Debian's python3-jieba
 * installs it (/usr/lib/python3/dist-packages/jieba/dict.txt). Never NULL;
 * the file may still be missing (gw_wording_new says so). */
const char *gw_wording_default_freq_path(void);

/* Load an engine. `dict_dir` holds the office-editable lists (format in
 * docs/wording.md): files named <id>.txt or <id>-<anything>.txt for each
 * category id of gw_wording_cat_id(), plus allow.txt / allow-*.txt (the
 * allow list) and vocab.txt / vocab-*.txt (words added to the frequency
 * dictionary); a missing file is an empty list, a missing directory is
 * GW_ENOTFOUND.
 * `freq_path` is the word-frequency dictionary in jieba's format ("word
 * freq [tag]" per line), NULL for gw_wording_default_freq_path(); missing is
 * GW_ENOTFOUND with a message that names the path and the Debian package.
 * `confusion_dir` holds pycorrector_same_pinyin.txt and
 * pycorrector_same_stroke.txt (required in it) and optionally
 * pycorrector_custom_confusion_words.txt (filtered on load, see
 * docs/wording.md); NULL disables the near misses that need confusion sets
 * and the statistical detector, keeping exact lists, swapped names and
 * wrong titles. Malformed lines are GW_EPARSE naming file:line and the
 * problem; a list line that is not valid UTF-8 is GW_EPARSE too. On success
 * *out owns everything (free with gw_wording_free); on failure *out is
 * untouched. */
int gw_wording_new(struct gw_wording **out, const char *dict_dir, const char *freq_path,
                   const char *confusion_dir);
/* Free an engine and set *e to NULL; safe on NULL and on *e == NULL. */
void gw_wording_free(struct gw_wording **e);

/* Scan text[0..len) (UTF-8; invalid bytes are skipped as separators, never
 * read past len) sentence by sentence (split on 。！？；!?; and line ends,
 * long sentences cut at 512 characters) and call fn for each hit in text
 * order. At most one hit covers a character: lists win over near misses,
 * near misses over the statistical detector. Spans covered by the allow list
 * or by any correct form in the lists are never reported by near-miss or
 * statistical detectors. Returns 0, or the first non-zero value fn returned.
 * The engine is not changed, so several threads may scan with one engine as
 * long as none calls gw_wording_allow_add at the same time. */
int gw_wording_scan(const struct gw_wording *e, const char *text, size_t len, gw_wording_fn fn,
                    void *arg);

/* Add a phrase to the allow list in memory (the review stage calls this for
 * each dismissed hit, with the suspect text or a longer phrase around it):
 * afterwards no hit whose span lies inside an occurrence of the phrase is
 * reported. GW_EINVAL for an empty phrase, one that is not valid UTF-8 or
 * longer than 64 characters. Adding a phrase twice is fine. */
int gw_wording_allow_add(struct gw_wording *e, const char *phrase);

/* The current tuning, and a replacement for it (values checked: gains and
 * log-probabilities must be finite, the per-sentence cap >= 1; GW_EINVAL
 * naming the field otherwise). */
void gw_wording_tuning_get(const struct gw_wording *e, struct gw_wording_tuning *out);
int gw_wording_tuning_set(struct gw_wording *e, const struct gw_wording_tuning *t);

/* Counts of what was loaded, for logs and the benchmark. */
struct gw_wording_stats {
  size_t words;          /* frequency-dictionary entries */
  size_t confusion_chars;/* characters with a confusion set */
  size_t rules;          /* exact rules (pairs, flagged words) */
  size_t near_misses;    /* generated near-miss variants */
  size_t custom_kept, custom_dropped; /* pycorrector pairs kept / filtered out */
  size_t allow;          /* allow-list phrases */
};
void gw_wording_get_stats(const struct gw_wording *e, struct gw_wording_stats *out);

#endif
