/* maphex-parse.c: the parsers the find bar, the dialogs and the tests share.
 *
 * Both return MAPHEX_DOCUMENT_ERROR_INVALID for text that does not parse and
 * MAPHEX_DOCUMENT_ERROR_RANGE for an offset that parses but lies outside the
 * file, with a message meant to be shown as it is, inline: a sentence, with
 * a capital first letter. Callers that compose it write "Label: Message", as
 * GLib's own messages compose ("Cannot save “x”: No space left on device"),
 * and never change its case (a translation may need it as it is).
 */
#include "maphex-document.h"

#include <glib/gi18n-lib.h>
#include <string.h>

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The whole (possibly multibyte) character at `p`, for a message that must
 * stay valid UTF-8: an invalid byte comes back escaped ("\xff"). Only this
 * character is checked; what follows it may be anything. */
static char *
dup_char_at (const char *p)
{
  gunichar c = g_utf8_get_char_validated (p, -1);

  if (c == (gunichar) -1 || c == (gunichar) -2)
    return g_strdup_printf ("\\x%02x", (guchar) *p);
  return g_strndup (p, (gsize) (g_utf8_next_char (p) - p));
}

GBytes *
maphex_parse_hex_bytes (const char *text,
                        GError    **error)
{
  g_autoptr(GByteArray) bytes = NULL;
  guint n_digits = 0;
  int high = -1;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_byte_array_sized_new ((guint) (strlen (text) / 2));

  for (const char *p = text; *p != '\0'; p++)
    {
      int v;

      if (is_space (*p))
        continue;

      /* "0x" at the start of a group is a prefix, not digits. */
      if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
          (p == text || is_space (p[-1])) &&
          g_ascii_isxdigit (p[2]) && high < 0)
        {
          p++;
          continue;
        }

      v = g_ascii_xdigit_value (*p);
      if (v < 0)
        {
          g_autofree char *c = dup_char_at (p);
          g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                       _("“%s” is not a hex digit"), c);
          return NULL;
        }

      n_digits++;
      if (high < 0)
        high = v;
      else
        {
          guint8 b = (guint8) (high << 4 | v);
          g_byte_array_append (bytes, &b, 1);
          high = -1;
        }
    }

  if (n_digits == 0)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("No hex digits"));
      return NULL;
    }
  if (high >= 0)
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                   _("Odd number of hex digits (%u)"), n_digits);
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/* Where `p` is in `text`, for messages, from 1. Everything before the
 * first bad character is ASCII, so bytes count characters. */
static glong
char_position (const char *text,
               const char *p)
{
  return (glong) (p - text) + 1;
}

static void
set_half_byte (GError    **error,
               const char *text,
               const char *half)
{
  g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
               _("Half a byte at position %ld: write each byte as two hex digits or “?”, as in 4D, 4? or ??"),
               char_position (text, half));
}

static void
set_too_long (GError **error)
{
  g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
               _("The pattern is longer than %d bytes"), MAPHEX_SEARCH_MAX_PATTERN);
}

/* "{N}" at `brace`: N >= 1 repeats of the byte before it. On success *end
 * is the closing brace. */
static gboolean
parse_count (const char  *text,
             const char  *brace,
             guint       *count,
             const char **end,
             GError     **error)
{
  const char *q = brace + 1;
  guint n = 0;

  for (; g_ascii_isdigit (*q); q++)
    n = MIN ((guint) MAPHEX_SEARCH_MAX_PATTERN + 1, n * 10 + (guint) g_ascii_digit_value (*q));

  if (q == brace + 1 || *q != '}')
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                   _("“{” at position %ld needs a count and a closing “}”, as in ??{4}"),
                   char_position (text, brace));
      return FALSE;
    }
  if (n == 0)
    {
      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                   _("The count at position %ld must be at least 1"),
                   char_position (text, brace + 1));
      return FALSE;
    }
  *count = n;
  *end = q;
  return TRUE;
}

gboolean
maphex_parse_wildcard (const char *text,
                       GBytes    **values,
                       GBytes    **masks,
                       GError    **error)
{
  g_autoptr(GByteArray) v = NULL;
  g_autoptr(GByteArray) m = NULL;
  const char *half = NULL;        /* the first nibble of a byte not yet whole */
  gboolean after_byte = FALSE;    /* a "{N}" may come here */
  guint8 value = 0, mask = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (values != NULL && masks != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  v = g_byte_array_new ();
  m = g_byte_array_new ();

  for (const char *p = text; *p != '\0'; p++)
    {
      int d;

      if (is_space (*p))
        continue;

      if (*p == '{')
        {
          guint count;

          if (half != NULL)
            {
              set_half_byte (error, text, half);
              return FALSE;
            }
          if (!after_byte)
            {
              g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("“{” at position %ld must follow a byte, as in ??{4}"),
                           char_position (text, p));
              return FALSE;
            }
          if (!parse_count (text, p, &count, &p, error))
            return FALSE;
          if (count - 1 > (guint) MAPHEX_SEARCH_MAX_PATTERN - v->len)
            {
              set_too_long (error);
              return FALSE;
            }
          value = v->data[v->len - 1];
          mask = m->data[m->len - 1];
          for (guint i = 1; i < count; i++)
            {
              g_byte_array_append (v, &value, 1);
              g_byte_array_append (m, &mask, 1);
            }
          after_byte = FALSE;
          continue;
        }

      if (*p == '?')
        d = -1;
      else if ((d = g_ascii_xdigit_value (*p)) < 0)
        {
          g_autofree char *c = dup_char_at (p);

          g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                       _("“%s” at position %ld is not a hex digit or “?”"),
                       c, char_position (text, p));
          return FALSE;
        }

      after_byte = FALSE;
      if (half == NULL)
        {
          half = p;
          value = d < 0 ? 0 : (guint8) (d << 4);
          mask = d < 0 ? 0 : 0xf0;
          continue;
        }
      value |= d < 0 ? 0 : (guint8) d;
      mask |= d < 0 ? 0 : 0x0f;
      if (v->len == MAPHEX_SEARCH_MAX_PATTERN)
        {
          set_too_long (error);
          return FALSE;
        }
      g_byte_array_append (v, &value, 1);
      g_byte_array_append (m, &mask, 1);
      half = NULL;
      after_byte = TRUE;
    }

  if (half != NULL)
    {
      set_half_byte (error, text, half);
      return FALSE;
    }
  if (v->len == 0)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("Enter a pattern of hex bytes, as in 4D 5A ?? ?? 50 45"));
      return FALSE;
    }

  *values = g_byte_array_free_to_bytes (g_steal_pointer (&v));
  *masks = g_byte_array_free_to_bytes (g_steal_pointer (&m));
  return TRUE;
}

/* Parses an unsigned decimal or 0x-hex number that fills [p, end). */
static gboolean
parse_unsigned (const char *p,
                const char *end,
                guint64    *out,
                gboolean   *overflow)
{
  guint base = 10;
  guint64 v = 0;

  *overflow = FALSE;
  if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
    {
      base = 16;
      p += 2;
    }
  if (p == end)
    return FALSE;

  for (; p < end; p++)
    {
      int d = base == 16 ? g_ascii_xdigit_value (*p) : g_ascii_digit_value (*p);

      if (d < 0)
        return FALSE;
      if (v > (G_MAXUINT64 - (guint64) d) / base)
        *overflow = TRUE;
      else
        v = v * base + (guint64) d;
    }

  *out = v;
  return TRUE;
}

/* "12", "12.5": a percentage as num / den, den a power of ten. */
static gboolean
parse_percent (const char *p,
               const char *end,
               guint64    *num,
               guint64    *den)
{
  gboolean seen_digit = FALSE, seen_point = FALSE;

  *num = 0;
  *den = 1;
  for (; p < end; p++)
    {
      if (*p == '.' && !seen_point)
        {
          seen_point = TRUE;
          continue;
        }
      if (!g_ascii_isdigit (*p))
        return FALSE;
      if (*num > G_MAXUINT64 / 100 || *den > G_MAXUINT64 / 100)
        return FALSE;   /* absurdly long: refuse rather than round */
      *num = *num * 10 + (guint64) g_ascii_digit_value (*p);
      if (seen_point)
        *den *= 10;
      seen_digit = TRUE;
    }
  return seen_digit;
}

/* "0x1f", "-0x10": how messages write offsets. */
static char *
hex_text (gint64 v)
{
  if (v < 0)
    return g_strdup_printf ("-0x%" G_GINT64_MODIFIER "x", -v);
  return g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", v);
}

static void
set_malformed (GError    **error,
               const char *text)
{
  g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
               _("“%s” is not an offset: use 1234, 0x4d2, +16, -0x10 or 50%%"), text);
}

gboolean
maphex_parse_offset (const char *text,
                     gint64      current,
                     gint64      length,
                     gint64     *result,
                     GError    **error)
{
  g_autofree char *trimmed = NULL;
  const char *p, *end;
  int sign = 0;
  gint64 magnitude;
  gint64 value;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (length >= 0, FALSE);
  g_return_val_if_fail (current >= 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text));
  p = trimmed;
  end = p + strlen (p);

  if (p == end)
    {
      g_set_error_literal (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_INVALID,
                           _("Enter an offset"));
      return FALSE;
    }

  if (*p == '+' || *p == '-')
    {
      sign = *p == '+' ? 1 : -1;
      p++;
      while (p < end && is_space (*p))
        p++;
    }

  if (p < end && end[-1] == '%')
    {
      guint64 num, den;

      if (!parse_percent (p, end - 1, &num, &den))
        {
          set_malformed (error, trimmed);
          return FALSE;
        }
      if (num > 100 * den)
        {
          g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE,
                       _("%s is more than 100%%"), trimmed);
          return FALSE;
        }
      /* The fraction is at most 1; long double keeps a 64-bit mantissa. */
      if (num == 100 * den)
        magnitude = length;
      else
        {
          magnitude = (gint64) ((long double) length * (long double) num / ((long double) den * 100.0L));
          magnitude = CLAMP (magnitude, 0, length);
        }
    }
  else
    {
      guint64 u;
      gboolean overflow;

      if (!parse_unsigned (p, end, &u, &overflow))
        {
          set_malformed (error, trimmed);
          return FALSE;
        }
      if (overflow || u > (guint64) G_MAXINT64)
        {
          g_autofree char *end_text = hex_text (length);

          g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE,
                       _("Offset %s is past the end of the file (%s)"), trimmed, end_text);
          return FALSE;
        }
      magnitude = (gint64) u;
    }

  if (sign == 0)
    value = magnitude;
  else if (sign > 0)
    {
      if (current > G_MAXINT64 - magnitude)
        {
          g_autofree char *current_text = hex_text (current);
          g_autofree char *end_text = hex_text (length);

          g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE,
                       _("Offset %s from %s is past the end of the file (%s)"),
                       trimmed, current_text, end_text);
          return FALSE;
        }
      value = current + magnitude;
    }
  else
    value = current - magnitude;   /* current >= 0, magnitude >= 0: no overflow */

  if (value < 0)
    {
      g_autofree char *value_text = hex_text (value);

      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE,
                   _("Offset %s is before the start of the file"), value_text);
      return FALSE;
    }
  if (value > length)
    {
      g_autofree char *value_text = hex_text (value);
      g_autofree char *end_text = hex_text (length);

      g_set_error (error, MAPHEX_DOCUMENT_ERROR, MAPHEX_DOCUMENT_ERROR_RANGE,
                   _("Offset %s is past the end of the file (%s)"), value_text, end_text);
      return FALSE;
    }

  *result = value;
  return TRUE;
}
