/* maphex-search-query.c: what a search looks for, compiled once.
 *
 * Every kind of query comes down to one of four engines (see
 * maphex-search-query-private.h): exact bytes, ASCII-folded bytes, bytes
 * with masks (wildcards), or a GRegex over raw bytes. A wildcard pattern
 * without wildcards is exact bytes; text is exact bytes in its encoding
 * unless case is ignored, when an ASCII-only UTF-8 needle is folded bytes
 * and anything else is a regex made of the bytes of every spelling of each
 * character (G_REGEX_RAW: PCRE2 never decodes the data, which need not be
 * valid text, and a match is always the bytes of one spelling).
 *
 * The wildcard matchers on copied bytes are here too: they scan for the
 * starts where two "probe" bytes of the pattern fit, 16 starts at a time
 * (memchr when there is only one, whole), and check the whole pattern
 * there.
 */
#define _GNU_SOURCE
#include "maphex-search-query-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_BOXED_TYPE (MaphexSearchQuery, maphex_search_query,
                     maphex_search_query_ref, maphex_search_query_unref)

static void
query_clear (gpointer data)
{
  MaphexSearchQuery *q = data;

  g_free (q->bytes);
  g_free (q->masks);
  g_clear_pointer (&q->regex, g_regex_unref);
  g_clear_pointer (&q->interpreted, g_regex_unref);
}

MaphexSearchQuery *
maphex_search_query_ref (MaphexSearchQuery *query)
{
  g_return_val_if_fail (query != NULL, NULL);
  return g_atomic_rc_box_acquire (query);
}

void
maphex_search_query_unref (MaphexSearchQuery *query)
{
  g_return_if_fail (query != NULL);
  g_atomic_rc_box_release_full (query, query_clear);
}

MaphexSearchKind
maphex_search_query_get_kind (MaphexSearchQuery *query)
{
  g_return_val_if_fail (query != NULL, MAPHEX_SEARCH_BYTES);
  return query->kind;
}

gint64
maphex_search_query_get_max_match_length (MaphexSearchQuery *query)
{
  g_return_val_if_fail (query != NULL, 0);
  return (gint64) (query->engine == MAPHEX_ENGINE_REGEX ? query->max_len : query->n);
}

static MaphexSearchQuery *
query_new (MaphexSearchKind   kind,
           MaphexSearchEngine engine)
{
  MaphexSearchQuery *q = g_atomic_rc_box_new0 (MaphexSearchQuery);

  q->kind = kind;
  q->engine = engine;
  q->overlapping = TRUE;
  return q;
}

static inline guint8
ascii_fold (guint8 c)
{
  return (c >= 'A' && c <= 'Z') ? (guint8) (c + ('a' - 'A')) : c;
}

/* Exact bytes, or ASCII-folded ones when ignore_case and there is a letter. */
static MaphexSearchQuery *
query_new_exact (MaphexSearchKind kind,
                 const guint8    *bytes,
                 gsize            n,
                 gboolean         ignore_case)
{
  gboolean fold = FALSE;
  MaphexSearchQuery *q;

  for (gsize i = 0; ignore_case && i < n && !fold; i++)
    fold = g_ascii_isalpha (bytes[i]);

  q = query_new (kind, fold ? MAPHEX_ENGINE_FOLDED : MAPHEX_ENGINE_EXACT);
  q->n = n;
  q->bytes = g_memdup2 (bytes, n);
  for (gsize i = 0; fold && i < n; i++)
    q->bytes[i] = ascii_fold (q->bytes[i]);
  return q;
}

MaphexSearchQuery *
maphex_search_query_new_bytes (GBytes   *bytes,
                               gboolean  ignore_case,
                               GError  **error)
{
  const guint8 *data;
  gsize n;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &n);
  if (n == 0)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("Nothing to search for"));
      return NULL;
    }
  return query_new_exact (MAPHEX_SEARCH_BYTES, data, n, ignore_case);
}

/* ---- wildcards ---- */

/* How often a byte value turns up in typical files: zeros and 0xff fill
 * padding, printable ASCII fills text. Lower is rarer. */
static int
commonness (guint8 c)
{
  if (c == 0x00 || c == 0xff)
    return 2;
  return (c >= 0x20 && c < 0x7f) ? 1 : 0;
}

/* How much a byte of the pattern says: a whole byte more than any masked
 * one, a rare looking one more than a common one; 0 for a wildcard. */
static int
probe_score (const MaphexSearchQuery *q,
             gsize                    i)
{
  if (q->masks[i] == 0xff)
    return 100 - commonness (q->bytes[i]);
  return __builtin_popcount (q->masks[i]);
}

static void
choose_anchor_and_probes (MaphexSearchQuery *q)
{
  int best_cost = G_MAXINT;

  /* The longest run of whole bytes (the rarest looking, of equal ones). */
  for (gsize i = 0; i < q->n; )
    {
      gsize j = i;
      int cost = 0;

      if (q->masks[i] != 0xff)
        {
          i++;
          continue;
        }
      for (; j < q->n && q->masks[j] == 0xff; j++)
        cost += commonness (q->bytes[j]);
      if (j - i > q->anchor_len || (j - i == q->anchor_len && cost < best_cost))
        {
          q->anchor = i;
          q->anchor_len = j - i;
          best_cost = cost;
        }
      i = j;
    }

  for (guint k = 0; k < G_N_ELEMENTS (q->probes); k++)
    {
      int best = 0;

      for (gsize i = 0; i < q->n; i++)
        if (probe_score (q, i) > best && (k == 0 || i != q->probes[0].at))
          {
            best = probe_score (q, i);
            q->probes[k].at = i;
          }
      if (best == 0)
        break;
      q->probes[k].value = q->bytes[q->probes[k].at];
      q->probes[k].mask = q->masks[q->probes[k].at];
      q->n_probes = k + 1;
    }
}

MaphexSearchQuery *
maphex_search_query_new_wildcard (const char *pattern,
                                  GError    **error)
{
  g_autoptr(GBytes) values = NULL;
  g_autoptr(GBytes) masks = NULL;
  const guint8 *v, *m;
  MaphexSearchQuery *q;
  gboolean whole = TRUE;
  gsize n;

  g_return_val_if_fail (pattern != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!maphex_parse_wildcard (pattern, &values, &masks, error))
    return NULL;

  v = g_bytes_get_data (values, &n);
  m = g_bytes_get_data (masks, NULL);
  for (gsize i = 0; i < n && whole; i++)
    whole = m[i] == 0xff;
  if (whole)
    return query_new_exact (MAPHEX_SEARCH_WILDCARD, v, n, FALSE);

  q = query_new (MAPHEX_SEARCH_WILDCARD, MAPHEX_ENGINE_WILDCARD);
  q->n = n;
  q->bytes = g_memdup2 (v, n);
  q->masks = g_memdup2 (m, n);
  choose_anchor_and_probes (q);
  return q;
}

static inline gboolean
matches_at (const MaphexSearchQuery *q,
            const guint8            *p)
{
  if (q->anchor_len > 0 && memcmp (p + q->anchor, q->bytes + q->anchor, q->anchor_len) != 0)
    return FALSE;
  for (gsize i = 0; i < q->anchor; i++)
    if ((p[i] & q->masks[i]) != q->bytes[i])
      return FALSE;
  for (gsize i = q->anchor + q->anchor_len; i < q->n; i++)
    if ((p[i] & q->masks[i]) != q->bytes[i])
      return FALSE;
  return TRUE;
}

/* 16 starts at a time, in portable vector C (SSE2 or NEON code): for each
 * start s in a block, whether the bytes at every probe fit. `base` is the
 * block's first start. */
typedef guint8 ByteVec __attribute__ ((vector_size (16)));

typedef struct {
  const guint8 *at[2];     /* the buffer, offset by each probe's position */
  ByteVec       value[2];
  ByteVec       mask[2];
  guint         n;
} ProbeScan;

static void
probe_scan_init (ProbeScan               *scan,
                 const MaphexSearchQuery *q,
                 const guint8            *buf)
{
  scan->n = q->n_probes;
  for (guint k = 0; k < q->n_probes; k++)
    {
      scan->at[k] = buf + q->probes[k].at;
      scan->value[k] = (ByteVec) { 0 } + q->probes[k].value;
      scan->mask[k] = (ByteVec) { 0 } + q->probes[k].mask;
    }
}

static inline gboolean
probes_fit_somewhere (const ProbeScan *scan,
                      gsize            base)
{
  ByteVec fit = (ByteVec) { 0 } + 0xff, x;
  guint64 w[2];

  for (guint k = 0; k < scan->n; k++)
    {
      memcpy (&x, scan->at[k] + base, sizeof x);
      fit &= (ByteVec) ((x & scan->mask[k]) == scan->value[k]);
    }
  memcpy (w, &fit, sizeof w);
  return (w[0] | w[1]) != 0;
}

static inline gboolean
probes_fit (const ProbeScan *scan,
            gsize            s)
{
  for (guint k = 0; k < scan->n; k++)
    if ((scan->at[k][s] & scan->mask[k][0]) != scan->value[k][0])
      return FALSE;
  return TRUE;
}

gint64
_maphex_wildcard_find (const MaphexSearchQuery *q,
                       const guint8            *buf,
                       gsize                    first,
                       gsize                    stop)
{
  ProbeScan scan;
  gsize s = first;

  if (q->n_probes == 0)
    return first < stop ? (gint64) first : -1;

  probe_scan_init (&scan, q, buf);
  while (s < stop)
    {
      if (q->n_probes == 1 && q->probes[0].mask == 0xff)
        {
          const guint8 *hit = memchr (scan.at[0] + s, q->probes[0].value, stop - s);

          if (hit == NULL)
            return -1;
          s = (gsize) (hit - scan.at[0]);
        }
      else
        {
          while (s + 16 <= stop && !probes_fit_somewhere (&scan, s))
            s += 16;
          while (s < stop && !probes_fit (&scan, s))
            s++;
          if (s == stop)
            return -1;
        }
      if (matches_at (q, buf + s))
        return (gint64) s;
      s++;
    }
  return -1;
}

gint64
_maphex_wildcard_rfind (const MaphexSearchQuery *q,
                        const guint8            *buf,
                        gsize                    first,
                        gsize                    stop)
{
  ProbeScan scan;
  gsize s = stop;   /* the starts left are [first, s) */

  if (q->n_probes == 0)
    return first < stop ? (gint64) stop - 1 : -1;

  probe_scan_init (&scan, q, buf);
  while (s > first)
    {
      if (q->n_probes == 1 && q->probes[0].mask == 0xff)
        {
          const guint8 *hit = memrchr (scan.at[0] + first, q->probes[0].value, s - first);

          if (hit == NULL)
            return -1;
          s = (gsize) (hit - scan.at[0]);
        }
      else
        {
          while (s >= first + 16 && !probes_fit_somewhere (&scan, s - 16))
            s -= 16;
          while (s > first && !probes_fit (&scan, s - 1))
            s--;
          if (s == first)
            return -1;
          s--;
        }
      if (matches_at (q, buf + s))
        return (gint64) s;
    }
  return -1;
}

/* ---- regular expressions ---- */

/* A regex over raw bytes. The messages of GRegex name the problem and where
 * it is ("missing closing parenthesis at char 1"). */
static MaphexSearchQuery *
query_new_regex (MaphexSearchKind   kind,
                 const char        *pattern,
                 GRegexCompileFlags flags,
                 gsize              max_len,
                 gboolean           overlapping,
                 GError           **error)
{
  g_autoptr(GError) regex_error = NULL;
  MaphexSearchQuery *q;
  GRegex *regex;

  regex = g_regex_new (pattern, flags | G_REGEX_RAW | G_REGEX_OPTIMIZE, 0, &regex_error);
  if (regex == NULL)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           regex_error->message);
      return NULL;
    }

  q = query_new (kind, MAPHEX_ENGINE_REGEX);
  q->regex = regex;
  /* It compiled once: it compiles again. */
  q->interpreted = g_regex_new (pattern, flags | G_REGEX_RAW, 0, NULL);
  g_assert (q->interpreted != NULL);
  q->max_len = max_len;
  q->overlapping = overlapping;
  return q;
}

MaphexSearchQuery *
_maphex_search_query_new_regex_cut (const char *pattern,
                                    gsize       max_len,
                                    GError    **error)
{
  g_return_val_if_fail (pattern != NULL, NULL);
  g_return_val_if_fail (max_len > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (*pattern == '\0')
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("Enter a regular expression"));
      return NULL;
    }
  return query_new_regex (MAPHEX_SEARCH_REGEX, pattern, G_REGEX_DOTALL, max_len, FALSE, error);
}

MaphexSearchQuery *
maphex_search_query_new_regex (const char *pattern,
                               GError    **error)
{
  return _maphex_search_query_new_regex_cut (pattern, MAPHEX_SEARCH_REGEX_MAX_MATCH, error);
}

/* ---- text ---- */

/* The bytes of one character in an encoding; returns their number. */
static gsize
encode_char (gunichar           c,
             MaphexTextEncoding encoding,
             guint8            *out)
{
  guint16 units[2];
  gsize n_units;

  if (encoding == MAPHEX_TEXT_UTF8)
    return (gsize) g_unichar_to_utf8 (c, (char *) out);

  if (c >= 0x10000)
    {
      units[0] = (guint16) (0xd800 + ((c - 0x10000) >> 10));
      units[1] = (guint16) (0xdc00 + ((c - 0x10000) & 0x3ff));
      n_units = 2;
    }
  else
    {
      units[0] = (guint16) c;
      n_units = 1;
    }
  for (gsize i = 0; i < n_units; i++)
    {
      guint8 hi = (guint8) (units[i] >> 8), lo = (guint8) units[i];

      out[2 * i] = encoding == MAPHEX_TEXT_UTF16LE ? lo : hi;
      out[2 * i + 1] = encoding == MAPHEX_TEXT_UTF16LE ? hi : lo;
    }
  return 2 * n_units;
}

static char *
casefold_char (gunichar c)
{
  char buf[8];
  int len = g_unichar_to_utf8 (c, buf);

  return g_utf8_casefold (buf, len);
}

static void
add_to_class (GHashTable *classes,
              const char *key,
              gunichar    c)
{
  GArray *members = g_hash_table_lookup (classes, key);

  if (members == NULL)
    {
      members = g_array_new (FALSE, FALSE, sizeof (gunichar));
      g_hash_table_insert (classes, g_strdup (key), members);
    }
  for (guint i = 0; i < members->len; i++)
    if (g_array_index (members, gunichar, i) == c)
      return;
  g_array_append_val (members, c);
}

/* Case folding (as a string) -> every character with a case mapping that
 * folds to it, and the characters those map to that fold to it too (ß has
 * no mapping of its own, but ẞ lower-cases to it). Made once, about 3 ms.
 * No character past plane 1 has a case mapping (test-search checks it
 * against GLib's tables). */
#define LAST_CASED_PLANE_END 0x1ffff

static gpointer
build_fold_classes (gpointer unused)
{
  GHashTable *classes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_array_unref);

  for (gunichar c = 0; c <= LAST_CASED_PLANE_END; c++)
    {
      gunichar mapped[3];
      g_autofree char *key = NULL;

      if (c >= 0xd800 && c <= 0xdfff)
        continue;   /* surrogates are not characters */
      mapped[0] = g_unichar_tolower (c);
      mapped[1] = g_unichar_toupper (c);
      mapped[2] = g_unichar_totitle (c);
      if (mapped[0] == c && mapped[1] == c && mapped[2] == c)
        continue;
      key = casefold_char (c);
      add_to_class (classes, key, c);
      for (guint i = 0; i < G_N_ELEMENTS (mapped); i++)
        {
          g_autofree char *other = casefold_char (mapped[i]);

          if (mapped[i] != c && strcmp (other, key) == 0)
            add_to_class (classes, key, mapped[i]);
        }
    }
  return classes;
}

/* The spellings of `c` that ignoring case accepts, `c` first. */
static GArray *
case_variants (gunichar c)
{
  static GOnce once = G_ONCE_INIT;
  GArray *variants = g_array_new (FALSE, FALSE, sizeof (gunichar));
  GHashTable *classes;
  g_autofree char *key = NULL;
  GArray *members;

  g_array_append_val (variants, c);
  if (c < 0x80)
    {
      gunichar other = g_ascii_isupper (c) ? (gunichar) g_ascii_tolower (c)
                                           : (gunichar) g_ascii_toupper (c);

      if (other != c)
        g_array_append_val (variants, other);
      return variants;
    }

  classes = g_once (&once, build_fold_classes, NULL);
  key = casefold_char (c);
  members = g_hash_table_lookup (classes, key);
  for (guint i = 0; members != NULL && i < members->len; i++)
    if (g_array_index (members, gunichar, i) != c)
      g_array_append_val (variants, g_array_index (members, gunichar, i));
  return variants;
}

static void
append_escaped (GString      *pattern,
                const guint8 *bytes,
                gsize         n)
{
  for (gsize i = 0; i < n; i++)
    g_string_append_printf (pattern, "\\x%02x", bytes[i]);
}

/* A regex that matches the bytes of any spelling of `text`: per character,
 * one byte, a class of single bytes, or an alternation of sequences (the
 * encodings are prefix-free, so at most one alternative fits). Its longest
 * match goes to *max_len. */
static char *
caseless_pattern (const char         *text,
                  MaphexTextEncoding  encoding,
                  gsize              *max_len)
{
  GString *pattern = g_string_new (NULL);

  *max_len = 0;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      g_autoptr(GArray) variants = case_variants (g_utf8_get_char (p));
      guint n = variants->len;
      g_autofree guint8 (*enc)[4] = g_malloc_n (n, sizeof *enc);
      g_autofree gsize *len = g_new (gsize, n);
      gsize longest = 0;

      for (guint i = 0; i < n; i++)
        {
          len[i] = encode_char (g_array_index (variants, gunichar, i), encoding, enc[i]);
          longest = MAX (longest, len[i]);
        }
      *max_len += longest;

      if (n == 1)
        append_escaped (pattern, enc[0], len[0]);
      else if (longest == 1)
        {
          g_string_append_c (pattern, '[');
          for (guint i = 0; i < n; i++)
            append_escaped (pattern, enc[i], 1);
          g_string_append_c (pattern, ']');
        }
      else
        {
          g_string_append (pattern, "(?:");
          for (guint i = 0; i < n; i++)
            {
              if (i > 0)
                g_string_append_c (pattern, '|');
              append_escaped (pattern, enc[i], len[i]);
            }
          g_string_append_c (pattern, ')');
        }
    }
  return g_string_free (pattern, FALSE);
}

MaphexSearchQuery *
maphex_search_query_new_text (const char         *text,
                              MaphexTextEncoding  encoding,
                              gboolean            ignore_case,
                              GError            **error)
{
  g_autofree char *pattern = NULL;
  gboolean ascii = TRUE;
  gsize max_len;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (encoding <= MAPHEX_TEXT_UTF16BE, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("The text is not valid UTF-8"));
      return NULL;
    }
  if (*text == '\0')
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("Enter text to search for"));
      return NULL;
    }
  for (const char *p = text; *p != '\0' && ascii; p++)
    ascii = (guchar) *p < 0x80;

  if (encoding == MAPHEX_TEXT_UTF8 && (!ignore_case || ascii))
    return query_new_exact (MAPHEX_SEARCH_TEXT, (const guint8 *) text, strlen (text), ignore_case);

  if (!ignore_case)
    {
      g_autoptr(GByteArray) bytes = g_byte_array_new ();

      for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
        {
          guint8 enc[4];
          gsize n = encode_char (g_utf8_get_char (p), encoding, enc);

          g_byte_array_append (bytes, enc, (guint) n);
        }
      return query_new_exact (MAPHEX_SEARCH_TEXT, bytes->data, bytes->len, FALSE);
    }

  pattern = caseless_pattern (text, encoding, &max_len);
  return query_new_regex (MAPHEX_SEARCH_TEXT, pattern, 0, max_len, TRUE, error);
}
