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
