/* maphex-inspect-text.c: the data inspector's dates and times (Unix 32/64,
 * DOS), GUIDs and characters (UTF-8, UTF-16, Latin-1), each decoded and
 * encoded. Rows and byte loading are maphex-inspect.c's.
 */
#define _GNU_SOURCE
#include "maphex-inspect-private.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Dates and times                                                     */

typedef struct {
  gint64 year;
  guint  month, day, hour, minute, second;
} Civil;

#define SECONDS_PER_DAY 86400
/* 0001-01-01 00:00:00 and 9999-12-31 23:59:59 UTC. */
#define UNIX_MIN G_GINT64_CONSTANT (-62135596800)
#define UNIX_MAX G_GINT64_CONSTANT (253402300799)

static gboolean
is_leap (gint64 year)
{
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static guint
days_in_month (gint64 year,
               guint  month)
{
  static const guint days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  return month == 2 && is_leap (year) ? 29 : days[month - 1];
}

/* Days since 1970-01-01 of a date in the proleptic Gregorian calendar. */
static gint64
days_from_civil (gint64 y,
                 guint  m,
                 guint  d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void
civil_from_unix (gint64 t,
                 Civil *c)
{
  gint64 days = t / SECONDS_PER_DAY;
  gint64 secs = t % SECONDS_PER_DAY;
  gint64 era, doe, yoe, doy, mp;

  if (secs < 0)
    {
      secs += SECONDS_PER_DAY;
      days--;
    }
  c->hour = (guint) (secs / 3600);
  c->minute = (guint) (secs / 60 % 60);
  c->second = (guint) (secs % 60);

  days += 719468;
  era = (days >= 0 ? days : days - 146096) / 146097;
  doe = days - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  c->day = (guint) (doy - (153 * mp + 2) / 5 + 1);
  c->month = (guint) (mp < 10 ? mp + 3 : mp - 9);
  c->year = yoe + era * 400 + (c->month <= 2);
}

static char *
format_civil (const Civil *c,
              gboolean     utc)
{
  return g_strdup_printf ("%04" G_GINT64_FORMAT "-%02u-%02u %02u:%02u:%02u%s",
                          c->year, c->month, c->day, c->hour, c->minute, c->second,
                          utc ? " UTC" : "");
}

/* The fields of a date and time that are out of their ranges, as a message. */
static gboolean
check_civil (const Civil *c,
             GError     **error)
{
  if (c->month < 1 || c->month > 12)
    g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_RANGE,
                 _("There is no month %u"), c->month);
  else if (c->day < 1 || c->day > days_in_month (c->year, c->month))
    g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_RANGE,
                 _("%04d-%02u has no day %u"), (int) c->year, c->month, c->day);
  else if (c->hour > 23)
    g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_RANGE,
                 _("There is no hour %u (0 to 23)"), c->hour);
  else if (c->minute > 59)
    g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_RANGE,
                 _("There is no minute %u (0 to 59)"), c->minute);
  else if (c->second > 59)
    g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_RANGE,
                 _("There is no second %u (0 to 59)"), c->second);
  else
    return TRUE;
  return FALSE;
}

/* Reads 1 to `max` digits at *p. */
static gboolean
scan_digits (const char **p,
             guint        min,
             guint        max,
             guint       *value)
{
  guint n = 0;

  *value = 0;
  while (n < max && g_ascii_isdigit (**p))
    {
      *value = *value * 10 + (guint) (**p - '0');
      (*p)++;
      n++;
    }
  return n >= min && !g_ascii_isdigit (**p);
}

/* "YYYY-MM-DD[( |T)HH:MM[:SS]][ ][UTC|Z]" (the zone only when `utc`). */
static gboolean
parse_civil (const char *text,
             gboolean    utc,
             Civil      *c,
             GError    **error)
{
  g_autofree char *shown = g_strstrip (g_strdup (text));
  const char *p = shown;
  guint year;
  gboolean ok;

  memset (c, 0, sizeof *c);
  ok = scan_digits (&p, 4, 4, &year) && *p++ == '-' &&
       scan_digits (&p, 1, 2, &c->month) && *p++ == '-' &&
       scan_digits (&p, 1, 2, &c->day);
  c->year = year;
  if (ok)
    {
      const char *q = p;

      while (*q == ' ')
        q++;
      if (q == p && (*q == 'T' || *q == 't'))
        q++;
      if (g_ascii_isdigit (*q))
        p = q;
    }
  if (ok && g_ascii_isdigit (*p))
    {
      ok = scan_digits (&p, 1, 2, &c->hour) && *p++ == ':' &&
           scan_digits (&p, 1, 2, &c->minute);
      if (ok && *p == ':')
        {
          p++;
          ok = scan_digits (&p, 1, 2, &c->second);
        }
    }
  if (ok && utc)
    {
      while (*p == ' ')
        p++;
      if (g_ascii_strcasecmp (p, "UTC") == 0 || g_ascii_strcasecmp (p, "Z") == 0)
        p += strlen (p);
    }
  if (!ok || *p != '\0')
    {
      g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_INVALID,
                   _("“%s” is not a date: type YYYY-MM-DD HH:MM:SS"), shown);
      return FALSE;
    }
  return check_civil (c, error);
}

void
_maphex_inspect_decode_unix (MaphexInspectField        field,
                             MaphexByteOrder           order,
                             const MaphexInspectBytes *at,
                             MaphexInspectRow         *row)
{
  gsize size = field == MAPHEX_INSPECT_UNIX32 ? 4 : 8;
  gint64 t;
  Civil c;

  if (!_maphex_inspect_have_bytes (at, size, row))
    return;
  t = _maphex_inspect_sign_extend (_maphex_inspect_load_uint (at->data, size, order), size);
  if (t < UNIX_MIN || t > UNIX_MAX)
    {
      g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, t);

      _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_INVALID, size,
                               g_strdup (_("Out of range (years 1 to 9999)")),
                               g_strdup_printf (_("%s seconds"), seconds));
      return;
    }
  civil_from_unix (t, &c);
  _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_OK, size, format_civil (&c, TRUE), NULL);
}

gboolean
_maphex_inspect_encode_unix (MaphexInspectField        field,
                             MaphexByteOrder           order,
                             const MaphexInspectBytes *at,
                             const char               *text,
                             guint8                   *out,
                             gsize                    *len,
                             GError                  **error)
{
  gsize size = field == MAPHEX_INSPECT_UNIX32 ? 4 : 8;
  gboolean negative, overflow;
  guint64 magnitude;
  gint64 t;

  if (_maphex_inspect_scan_integer (text, &negative, &magnitude, &overflow))
    {
      /* Seconds. */
      guint64 bits;

      if (!_maphex_inspect_parse_integer (text, G_MININT64, G_MAXINT64, maphex_inspect_field_name (field),
                                          &bits, error))
        return FALSE;
      t = (gint64) bits;
    }
  else
    {
      Civil c;

      if (!parse_civil (text, TRUE, &c, error))
        return FALSE;
      if (c.year < 1)
        {
          g_set_error_literal (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_RANGE,
                               _("Years run from 1 to 9999"));
          return FALSE;
        }
      t = days_from_civil (c.year, c.month, c.day) * SECONDS_PER_DAY +
          c.hour * 3600 + c.minute * 60 + c.second;
    }

  if (size == 4 && (t < G_MININT32 || t > G_MAXINT32))
    {
      g_autofree char *shown = g_strstrip (g_strdup (text));

      g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_RANGE,
                   _("“%s” is out of range for a 32-bit Unix time "
                     "(1901-12-13 20:45:52 UTC to 2038-01-19 03:14:07 UTC)"), shown);
      return FALSE;
    }
  _maphex_inspect_store_uint (out, size, (guint64) t, order);
  *len = size;
  return TRUE;
}

/* FAT and ZIP: time in the low 16 bits (hours 5 bits, minutes 6, seconds/2
 * 5), date in the high 16 (years since 1980 7 bits, month 4, day 5). */
void
_maphex_inspect_decode_dos (MaphexInspectField        field,
                            MaphexByteOrder           order,
                            const MaphexInspectBytes *at,
                            MaphexInspectRow         *row)
{
  g_autoptr(GError) error = NULL;
  guint32 v;
  Civil c;

  if (!_maphex_inspect_have_bytes (at, 4, row))
    return;
  v = (guint32) _maphex_inspect_load_uint (at->data, 4, order);
  c.year = 1980 + (v >> 25);
  c.month = (v >> 21) & 0xf;
  c.day = (v >> 16) & 0x1f;
  c.hour = (v >> 11) & 0x1f;
  c.minute = (v >> 5) & 0x3f;
  c.second = (v & 0x1f) * 2;
  if (!check_civil (&c, &error))
    _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_INVALID, 4, g_strdup (error->message), NULL);
  else
    _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_OK, 4, format_civil (&c, FALSE), NULL);
}

gboolean
_maphex_inspect_encode_dos (MaphexInspectField        field,
                            MaphexByteOrder           order,
                            const MaphexInspectBytes *at,
                            const char               *text,
                            guint8                   *out,
                            gsize                    *len,
                            GError                  **error)
{
  Civil c;
  guint32 v;

  if (!parse_civil (text, FALSE, &c, error))
    return FALSE;
  if (c.year < 1980 || c.year > 1980 + 127)
    {
      g_set_error_literal (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_RANGE,
                           _("DOS dates run from 1980 to 2107"));
      return FALSE;
    }
  if (c.second % 2 != 0)
    {
      g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_RANGE,
                   _("DOS times count seconds in steps of 2: %u is odd"), c.second);
      return FALSE;
    }
  v = (guint32) (c.year - 1980) << 25 | c.month << 21 | c.day << 16 |
      c.hour << 11 | c.minute << 5 | c.second / 2;
  _maphex_inspect_store_uint (out, 4, v, order);
  *len = 4;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* GUID                                                                */

/* Little-endian: Data1, Data2 and Data3 are stored byte-reversed. The
 * permutation from text order to storage order (its own inverse). */
static gsize
guid_index (MaphexByteOrder order,
            gsize           i)
{
  static const guint8 windows[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };

  return order == MAPHEX_BYTE_ORDER_LITTLE ? windows[i] : i;
}

void
_maphex_inspect_decode_guid (MaphexInspectField        field,
                             MaphexByteOrder           order,
                             const MaphexInspectBytes *at,
                             MaphexInspectRow         *row)
{
  GString *s;

  if (!_maphex_inspect_have_bytes (at, 16, row))
    return;
  s = g_string_new ("{");
  for (gsize i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        g_string_append_c (s, '-');
      g_string_append_printf (s, "%02X", at->data[guid_index (order, i)]);
    }
  g_string_append_c (s, '}');
  _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_OK, 16, g_string_free (s, FALSE), NULL);
}

gboolean
_maphex_inspect_encode_guid (MaphexInspectField        field,
                             MaphexByteOrder           order,
                             const MaphexInspectBytes *at,
                             const char               *text,
                             guint8                   *out,
                             gsize                    *len,
                             GError                  **error)
{
  g_autofree char *shown = g_strstrip (g_strdup (text));
  const char *p = shown;
  gsize n = strlen (p);
  guint8 bytes[16];
  gsize n_digits = 0;
  gboolean hyphens;

  if (n >= 2 && p[0] == '{' && p[n - 1] == '}')
    {
      p++;
      n -= 2;
    }
  hyphens = n == 36;
  if (n != 32 && n != 36)
    goto bad;
  for (gsize i = 0; i < n; i++)
    {
      int d;

      if (hyphens && (i == 8 || i == 13 || i == 18 || i == 23))
        {
          if (p[i] != '-')
            goto bad;
          continue;
        }
      d = g_ascii_xdigit_value (p[i]);
      if (d < 0)
        goto bad;
      if (n_digits % 2 == 0)
        bytes[n_digits / 2] = (guint8) (d << 4);
      else
        bytes[n_digits / 2] |= (guint8) d;
      n_digits++;
    }

  for (gsize i = 0; i < 16; i++)
    out[guid_index (order, i)] = bytes[i];
  *len = 16;
  return TRUE;

bad:
  g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_INVALID,
               _("“%s” is not a GUID: type {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}"), shown);
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Characters                                                          */

static const char *const c0_names[33] = {
  "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT",
  "FF", "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB",
  "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US", "SP",
};
static const char *const c1_names[32] = {
  "PAD", "HOP", "BPH", "NBH", "IND", "NEL", "SSA", "ESA", "HTS", "HTJ", "VTS",
  "PLD", "PLU", "RI", "SS2", "SS3", "DCS", "PU1", "PU2", "STS", "CCH", "MW",
  "SPA", "EPA", "SOS", "SGC", "SCI", "CSI", "ST", "OSC", "PM", "APC",
};

/* The abbreviation a character is shown by when it draws nothing of its
 * own (control characters, the spaces of ASCII and Latin-1), or NULL. */
static const char *
char_name (gunichar c)
{
  if (c <= 0x20)
    return c0_names[c];
  if (c == 0x7f)
    return "DEL";
  if (c >= 0x80 && c <= 0x9f)
    return c1_names[c - 0x80];
  if (c == 0xa0)
    return "NBSP";
  if (c == 0xad)
    return "SHY";
  return NULL;
}

static char *
char_text (gunichar c)
{
  const char *name = char_name (c);
  char buf[8] = "";

  if (name != NULL)
    return g_strdup (name);
  if (!g_unichar_isgraph (c))
    return g_strdup_printf ("U+%04X", c);
  g_unichar_to_utf8 (c, buf);
  return g_strdup (buf);
}

static gboolean
parse_char (const char *text,
            gunichar   *out,
            GError    **error)
{
  gsize n = strlen (text);

  if (g_utf8_validate (text, -1, NULL) && n > 0 && g_utf8_next_char (text) == text + n)
    {
      *out = g_utf8_get_char (text);
      return TRUE;
    }
  if (n >= 3 && n <= 8 && (text[0] == 'U' || text[0] == 'u') && text[1] == '+')
    {
      guint64 v = 0;
      gsize i;

      for (i = 2; i < n && g_ascii_isxdigit (text[i]); i++)
        v = v << 4 | (guint) g_ascii_xdigit_value (text[i]);
      if (i == n)
        {
          if (v > 0x10ffff)
            {
              g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_RANGE,
                           _("“%s” is beyond U+10FFFF, the last character"), text);
              return FALSE;
            }
          *out = (gunichar) v;
          return TRUE;
        }
    }
  for (gunichar c = 0; c <= 0xad; c++)
    {
      const char *name = char_name (c);

      if (name != NULL && g_ascii_strcasecmp (text, name) == 0)
        {
          *out = c;
          return TRUE;
        }
    }
  if (n == 0)
    g_set_error_literal (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_INVALID,
                         _("Type a character, a name such as LF, or U+XXXX"));
  else
    g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_INVALID,
                 _("“%s” is not one character: type a character, a name such as LF, or U+XXXX"),
                 g_utf8_validate (text, -1, NULL) ? text : "?");
  return FALSE;
}

static gboolean
is_surrogate (gunichar c)
{
  return c >= 0xd800 && c <= 0xdfff;
}

static void
set_char_row (MaphexInspectRow *row,
              gsize             n_bytes,
              gunichar          c,
              char             *detail)
{
  _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_OK, n_bytes, char_text (c), detail);
}

void
_maphex_inspect_decode_utf8 (MaphexInspectField        field,
                             MaphexByteOrder           order,
                             const MaphexInspectBytes *at,
                             MaphexInspectRow         *row)
{
  guint8 b0;
  gsize len;
  gunichar c;
  g_autofree char *code = NULL;

  if (!_maphex_inspect_have_bytes (at, 1, row))
    return;
  b0 = at->data[0];
  if (b0 < 0x80)
    len = 1, c = b0;
  else if (b0 < 0xc0)
    {
      _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_INVALID, 1, g_strdup (_("Invalid UTF-8")),
                               g_strdup_printf (_("0x%02X continues a character, it cannot start one"), b0));
      return;
    }
  else if (b0 >= 0xc2 && b0 < 0xe0)
    len = 2, c = b0 & 0x1f;
  else if (b0 >= 0xe0 && b0 < 0xf0)
    len = 3, c = b0 & 0x0f;
  else if (b0 >= 0xf0 && b0 < 0xf5)
    len = 4, c = b0 & 0x07;
  else
    {
      _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_INVALID, 1, g_strdup (_("Invalid UTF-8")),
                               g_strdup_printf (_("0x%02X never occurs in UTF-8"), b0));
      return;
    }

  for (gsize i = 1; i < len; i++)
    {
      guint8 b;

      if (i >= at->n_readable || i >= at->n_available)
        {
          _maphex_inspect_have_bytes (at, len, row);
          return;
        }
      b = at->data[i];
      if ((b & 0xc0) != 0x80)
        {
          _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_INVALID, i, g_strdup (_("Invalid UTF-8")),
                                   g_strdup_printf (_("Byte %u (0x%02X) should continue the character"),
                                                    (guint) i + 1, b));
          return;
        }
      c = c << 6 | (b & 0x3f);
    }

  code = g_strdup_printf ("U+%04X", c);
  if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000))
    _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_INVALID, len, g_strdup (_("Invalid UTF-8")),
                             g_strdup_printf (_("An overlong encoding of %s"), code));
  else if (is_surrogate (c))
    _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_INVALID, len, g_strdup (_("Invalid UTF-8")),
                             g_strdup_printf (_("%s is a surrogate, which UTF-8 cannot hold"), code));
  else if (c > 0x10ffff)
    _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_INVALID, len, g_strdup (_("Invalid UTF-8")),
                             g_strdup_printf (_("%s is beyond U+10FFFF, the last character"), code));
  else
    {
      g_autofree char *count = _maphex_inspect_n_bytes_text (len);

      /* TRANSLATORS: "U+00E9, 2 bytes" */
      set_char_row (row, len, c, g_strdup_printf (_("%s, %s"), code, count));
    }
}

void
_maphex_inspect_decode_utf16 (MaphexInspectField        field,
                              MaphexByteOrder           order,
                              const MaphexInspectBytes *at,
                              MaphexInspectRow         *row)
{
  guint u0, u1;
  gunichar c;

  if (!_maphex_inspect_have_bytes (at, 2, row))
    return;
  u0 = (guint) _maphex_inspect_load_uint (at->data, 2, order);
  if (u0 >= 0xdc00 && u0 <= 0xdfff)
    {
      _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_INVALID, 2, g_strdup (_("Unpaired low surrogate")),
                               g_strdup_printf ("%04X", u0));
      return;
    }
  if (u0 < 0xd800 || u0 > 0xdbff)
    {
      set_char_row (row, 2, u0, g_strdup_printf ("U+%04X", u0));
      return;
    }
  if (!_maphex_inspect_have_bytes (at, 4, row))
    return;
  u1 = (guint) _maphex_inspect_load_uint (at->data + 2, 2, order);
  if (u1 < 0xdc00 || u1 > 0xdfff)
    {
      _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_INVALID, 2, g_strdup (_("Unpaired high surrogate")),
                               g_strdup_printf (_("%04X, then %04X"), u0, u1));
      return;
    }
  c = 0x10000 + ((u0 - 0xd800) << 10) + (u1 - 0xdc00);
  set_char_row (row, 4, c, g_strdup_printf (_("U+%04X, surrogate pair %04X %04X"), c, u0, u1));
}

void
_maphex_inspect_decode_latin1 (MaphexInspectField        field,
                               MaphexByteOrder           order,
                               const MaphexInspectBytes *at,
                               MaphexInspectRow         *row)
{
  if (!_maphex_inspect_have_bytes (at, 1, row))
    return;
  set_char_row (row, 1, at->data[0], g_strdup_printf ("U+%04X", at->data[0]));
}

gboolean
_maphex_inspect_encode_char (MaphexInspectField        field,
                             MaphexByteOrder           order,
                             const MaphexInspectBytes *at,
                             const char               *text,
                             guint8                   *out,
                             gsize                    *len,
                             GError                  **error)
{
  gunichar c;

  if (!parse_char (text, &c, error))
    return FALSE;

  if (field == MAPHEX_INSPECT_LATIN1)
    {
      if (c > 0xff)
        {
          g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_RANGE,
                       _("U+%04X is not in Latin-1 (U+0000 to U+00FF)"), c);
          return FALSE;
        }
      out[0] = (guint8) c;
      *len = 1;
      return TRUE;
    }

  if (is_surrogate (c))
    {
      g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_RANGE,
                   _("U+%04X is a surrogate: it is not a character on its own"), c);
      return FALSE;
    }
  if (field == MAPHEX_INSPECT_UTF8)
    {
      *len = (gsize) g_unichar_to_utf8 (c, (char *) out);
      return TRUE;
    }
  if (c < 0x10000)
    {
      _maphex_inspect_store_uint (out, 2, c, order);
      *len = 2;
      return TRUE;
    }
  _maphex_inspect_store_uint (out, 2, 0xd800 + ((c - 0x10000) >> 10), order);
  _maphex_inspect_store_uint (out + 2, 2, 0xdc00 + ((c - 0x10000) & 0x3ff), order);
  *len = 4;
  return TRUE;
}
