/* maphex-inspect-number.c: the data inspector's numbers beyond the plain
 * integers: float16/32/64 (on the bit patterns, printed shortest in the C
 * locale), the byte in binary, and ULEB128/SLEB128, each decoded and
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
/* Floats                                                              */

typedef struct {
  gsize   size;
  guint   mant_bits;
  guint   exp_bits;
  const char *largest;   /* the largest finite value, as the row shows it */
} FloatFormat;

static const FloatFormat float16_format = { 2, 10, 5, "65504" };
static const FloatFormat float32_format = { 4, 23, 8, "3.4028235e+38" };
static const FloatFormat float64_format = { 8, 52, 11, "1.7976931348623157e+308" };

static const FloatFormat *
float_format (MaphexInspectField field)
{
  switch (field)
    {
    case MAPHEX_INSPECT_FLOAT16:
      return &float16_format;
    case MAPHEX_INSPECT_FLOAT32:
      return &float32_format;
    default:
      return &float64_format;
    }
}

static locale_t
c_locale (void)
{
  static gsize once = 0;
  static locale_t locale = (locale_t) 0;

  if (g_once_init_enter (&once))
    {
      locale = newlocale (LC_ALL_MASK, "C", (locale_t) 0);
      g_once_init_leave (&once, 1);
    }
  return locale;
}

/* The exact value of a float16 bit pattern that is not inf or NaN. */
static double
half_to_double (guint16 h)
{
  guint64 sign = (guint64) (h >> 15) << 63;
  guint exp = (h >> 10) & 0x1f;
  guint mant = h & 0x3ff;
  guint64 bits;
  double d;

  if (exp == 0)
    {
      /* Subnormal: mant × 2^-24, exact in a double. */
      d = (double) mant / 16777216.0;
      return sign ? -d : d;
    }
  bits = sign | (guint64) (exp - 15 + 1023) << 52 | (guint64) mant << 42;
  memcpy (&d, &bits, sizeof d);
  return d;
}

/* Rounds a finite double to the nearest float16, ties to even. Returns
 * FALSE with *overflow when it rounds past 65504, or with *underflow when a
 * value that is not zero rounds to zero. */
static gboolean
double_to_half (double    d,
                guint16  *out,
                gboolean *overflow,
                gboolean *underflow)
{
  guint64 bits;
  guint16 sign;
  gint exp;
  guint64 m, r, rem, halfway;
  guint shift;
  gboolean normal;

  memcpy (&bits, &d, sizeof bits);
  sign = (guint16) ((bits >> 63) << 15);
  exp = (gint) ((bits >> 52) & 0x7ff);
  m = bits & ((G_GUINT64_CONSTANT (1) << 52) - 1);
  *overflow = *underflow = FALSE;

  if (exp == 0 && m == 0)
    {
      *out = sign;
      return TRUE;
    }
  if (exp == 0)
    {
      /* A double subnormal is far below the smallest float16. */
      *underflow = TRUE;
      return FALSE;
    }
  m |= G_GUINT64_CONSTANT (1) << 52;   /* value = m × 2^(exp - 1023 - 52) */
  exp -= 1023;

  normal = exp >= -14;
  /* Normal: keep 11 significant bits. Subnormal: count in units of 2^-24. */
  shift = normal ? 42 : (guint) (28 - exp);
  if (shift > 60)
    {
      *underflow = TRUE;
      return FALSE;
    }
  r = m >> shift;
  rem = m & ((G_GUINT64_CONSTANT (1) << shift) - 1);
  halfway = G_GUINT64_CONSTANT (1) << (shift - 1);
  if (rem > halfway || (rem == halfway && (r & 1)))
    r++;

  if (!normal)
    {
      if (r == 0)
        {
          *underflow = TRUE;
          return FALSE;
        }
      /* r == 0x400 is the smallest normal number: the same bits. */
      *out = sign | (guint16) r;
      return TRUE;
    }
  if (r == 0x800)
    {
      r = 0x400;
      exp++;
    }
  if (exp + 15 >= 31)
    {
      *overflow = TRUE;
      return FALSE;
    }
  *out = sign | (guint16) ((guint) (exp + 15) << 10) | (guint16) (r & 0x3ff);
  return TRUE;
}

/* Whether `text` parses back to `bits` (in the C locale). */
static gboolean
parses_back (const FloatFormat *format,
             const char        *text,
             guint64            bits)
{
  if (format == &float16_format)
    {
      guint16 h;
      gboolean overflow, underflow;

      return double_to_half (strtod (text, NULL), &h, &overflow, &underflow) && h == bits;
    }
  if (format == &float32_format)
    {
      float f = strtof (text, NULL);
      guint32 b32;

      memcpy (&b32, &f, sizeof b32);
      return b32 == bits;
    }
  else
    {
      double d = strtod (text, NULL);
      guint64 b64;

      memcpy (&b64, &d, sizeof b64);
      return b64 == bits;
    }
}

/* The power of ten of the first significant digit of what %g wrote: its
 * exponent, or where its digits start ("0.00123": -3, "412.5": 2). */
static int
decimal_exponent (const char *text)
{
  const char *e = strchr (text, 'e'), *p = text;
  int n = 0;

  if (e != NULL)
    return atoi (e + 1);
  if (*p == '-')
    p++;
  if (p[0] == '0' && p[1] == '.')
    {
      for (p += 2; *p == '0'; p++)
        n++;
      return *p == '\0' ? 0 : -n - 1;
    }
  while (g_ascii_isdigit (p[n]))
    n++;
  return n - 1;
}

/* The fewest significant digits that parse back to the same bits (a finite
 * value), without an exponent from 1e-4 up to 1e16, as Python's repr. */
static char *
format_shortest (const FloatFormat *format,
                 guint64            bits)
{
  /* At most 17 digits, a sign, a point and an exponent; sized for what the
   * compiler assumes of a %.*g whose precision it cannot bound. */
  char buf[320] = "", best[320] = "";
  locale_t old = uselocale (c_locale ());
  double value;
  int prec, exponent;

  if (format == &float16_format)
    value = half_to_double ((guint16) bits);
  else if (format == &float32_format)
    {
      guint32 b32 = (guint32) bits;
      float f;

      memcpy (&f, &b32, sizeof f);
      value = f;
    }
  else
    memcpy (&value, &bits, sizeof value);

  /* The fewest digits that parse back. More digits only come closer to
   * the value, so they parse back too when the values that read as this
   * one lie as far below it as above: then they are found by halving (17
   * digits always do, 9 for float32, 5 for float16); most values of
   * random bits need one or two digits fewer than that at most, so the
   * first guess is two fewer. A power of two has half as much room below,
   * and is searched one digit count at a time. */
  {
    int low = 1, high = format == &float16_format ? 5 : format == &float32_format ? 9 : 17;
    gboolean power_of_two = (bits & ((G_GUINT64_CONSTANT (1) << format->mant_bits) - 1)) == 0;
    gboolean first = TRUE;

    while (low < high)
      {
        int mid = power_of_two ? low : first ? high - 2 : (low + high) / 2;

        first = FALSE;

        snprintf (buf, sizeof buf, "%.*g", mid, value);
        if (parses_back (format, buf, bits))
          {
            high = mid;
            g_strlcpy (best, buf, sizeof best);   /* high's text, as high only falls */
          }
        else
          low = mid + 1;
      }
    prec = low;
  }
  if (best[0] == '\0')   /* nothing shorter than the most digits was tried */
    snprintf (best, sizeof best, "%.*g", prec, value);
  /* %g writes an exponent from 10^prec on; more digits of the same value
   * still parse back, and are written out up to 10^16. */
  exponent = decimal_exponent (best);
  if (exponent >= prec && exponent < 16)
    snprintf (best, sizeof best, "%.*g", exponent + 1, value);
  uselocale (old);
  return g_strdup (best);
}

void
_maphex_inspect_decode_float (MaphexInspectField        field,
                              MaphexByteOrder           order,
                              const MaphexInspectBytes *at,
                              MaphexInspectRow         *row)
{
  const FloatFormat *format = float_format (field);
  guint64 bits, mant, exp, exp_max, quiet;
  gboolean negative;

  if (!_maphex_inspect_have_bytes (at, format->size, row))
    return;
  bits = _maphex_inspect_load_uint (at->data, format->size, order);
  negative = (bits >> (format->size * 8 - 1)) & 1;
  mant = bits & ((G_GUINT64_CONSTANT (1) << format->mant_bits) - 1);
  exp_max = (G_GUINT64_CONSTANT (1) << format->exp_bits) - 1;
  exp = (bits >> format->mant_bits) & exp_max;
  quiet = G_GUINT64_CONSTANT (1) << (format->mant_bits - 1);

  if (exp != exp_max)
    _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_OK, format->size, format_shortest (format, bits),
                             exp == 0 && mant != 0 ? g_strdup (_("Subnormal")) : NULL);
  else if (mant == 0)
    _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_OK, format->size,
                             g_strdup (negative ? "-inf" : "inf"), NULL);
  else if (mant == quiet)
    _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_OK, format->size,
                             g_strdup (negative ? "-nan" : "nan"), g_strdup (_("Quiet NaN")));
  else
    _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_OK, format->size,
                             g_strdup_printf ("%snan(0x%" G_GINT64_MODIFIER "x)", negative ? "-" : "", mant),
                             g_strdup ((mant & quiet) ? _("Quiet NaN with a payload") : _("Signalling NaN")));
}

/* "nan", "nan(0x1f)" (after the sign): the mantissa bits, or 0 when `p`
 * is not a NaN at all. Sets an error for a payload that does not fit. */
static gboolean
scan_nan (const char        *p,
          const char        *shown,
          const FloatFormat *format,
          guint64           *mant,
          GError           **error)
{
  guint64 max = (G_GUINT64_CONSTANT (1) << format->mant_bits) - 1;
  gboolean negative, overflow;
  g_autofree char *inner = NULL;
  gsize len = strlen (p);

  if (g_ascii_strcasecmp (p, "nan") == 0)
    {
      *mant = G_GUINT64_CONSTANT (1) << (format->mant_bits - 1);
      return TRUE;
    }
  if (len < 6 || g_ascii_strncasecmp (p, "nan(", 4) != 0 || p[len - 1] != ')')
    {
      *mant = 0;
      return TRUE;
    }
  inner = g_strndup (p + 4, len - 5);
  if (!_maphex_inspect_scan_integer (inner, &negative, mant, &overflow) || negative ||
                      g_ascii_strncasecmp (g_strstrip (inner), "0x", 2) != 0)
    {
      g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_INVALID,
                   _("“%s” is not a NaN: type nan, or nan(0x…) with the mantissa in hex"), shown);
      return FALSE;
    }
  if (overflow || *mant == 0 || *mant > max)
    {
      g_autofree char *largest = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", max);

      g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_RANGE,
                   _("“%s”: the mantissa of a NaN is 0x1 to %s here"), shown, largest);
      return FALSE;
    }
  return TRUE;
}

gboolean
_maphex_inspect_encode_float (MaphexInspectField        field,
                              MaphexByteOrder           order,
                              const MaphexInspectBytes *at,
                              const char               *text,
                              guint8                   *out,
                              gsize                    *len,
                              GError                  **error)
{
  const FloatFormat *format = float_format (field);
  const char *what = maphex_inspect_field_name (field);
  g_autofree char *shown = g_strstrip (g_strdup (text));
  const char *p = shown;
  guint64 sign_bit = G_GUINT64_CONSTANT (1) << (format->size * 8 - 1);
  guint64 exp_all = ((G_GUINT64_CONSTANT (1) << format->exp_bits) - 1) << format->mant_bits;
  guint64 bits, mant = 0;
  gboolean negative = FALSE, overflow = FALSE, underflow = FALSE;
  char *end = NULL;
  int saved_errno;
  locale_t old;

  if (*p == '+' || *p == '-')
    negative = *p++ == '-';

  if (g_ascii_strcasecmp (p, "inf") == 0 || g_ascii_strcasecmp (p, "infinity") == 0)
    bits = (negative ? sign_bit : 0) | exp_all;
  else if (!scan_nan (p, shown, format, &mant, error))
    return FALSE;
  else if (mant != 0)
    bits = (negative ? sign_bit : 0) | exp_all | mant;
  else
    {
      /* Only what a decimal or hex float is made of: strtod would also
       * take "infinity" or "nan(...)" spelled in ways handled above. */
      gboolean ok = shown[0] != '\0';

      for (const char *c = shown; *c != '\0'; c++)
        if (!g_ascii_isxdigit (*c) && strchr ("+-.xXpP", *c) == NULL)
          ok = FALSE;
      if (!ok)
        {
          if (shown[0] == '\0')
            g_set_error_literal (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_INVALID,
                                 _("Type a number, inf or nan"));
          else
            g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_INVALID,
                         _("“%s” is not a number"), shown);
          return FALSE;
        }

      old = uselocale (c_locale ());
      errno = 0;
      if (format == &float32_format)
        {
          float f = strtof (shown, &end);
          guint32 b32;

          saved_errno = errno;
          memcpy (&b32, &f, sizeof b32);
          bits = b32;
          overflow = saved_errno == ERANGE && (b32 & 0x7fffffffu) == 0x7f800000u;
          underflow = saved_errno == ERANGE && (b32 & 0x7fffffffu) == 0;
        }
      else
        {
          double d = strtod (shown, &end);
          guint64 b64;

          saved_errno = errno;
          memcpy (&b64, &d, sizeof b64);
          bits = b64;
          overflow = saved_errno == ERANGE &&
                     (b64 & ~(G_GUINT64_CONSTANT (1) << 63)) == G_GUINT64_CONSTANT (0x7ff) << 52;
          underflow = saved_errno == ERANGE && (b64 << 1) == 0;
          if (format == &float16_format && !overflow && !underflow && end != shown && *end == '\0')
            {
              guint16 h = 0;

              double_to_half (d, &h, &overflow, &underflow);
              bits = h;
            }
        }
      uselocale (old);

      if (end == shown || *end != '\0')
        {
          g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_INVALID,
                       _("“%s” is not a number"), shown);
          return FALSE;
        }
      if (overflow)
        {
          g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_RANGE,
                       _("“%s” is out of range for %s (largest: %s; type inf for infinity)"),
                       shown, what, format->largest);
          return FALSE;
        }
      if (underflow)
        {
          g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_RANGE,
                       _("“%s” is too close to zero for %s: it would round to 0"),
                       shown, what);
          return FALSE;
        }
    }

  _maphex_inspect_store_uint (out, format->size, bits, order);
  *len = format->size;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Binary                                                              */

void
_maphex_inspect_decode_binary (MaphexInspectField        field,
                               MaphexByteOrder           order,
                               const MaphexInspectBytes *at,
                               MaphexInspectRow         *row)
{
  char digits[9];

  if (!_maphex_inspect_have_bytes (at, 1, row))
    return;
  for (int i = 0; i < 8; i++)
    digits[i] = (at->data[0] >> (7 - i)) & 1 ? '1' : '0';
  digits[8] = '\0';
  _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_OK, 1, g_strdup (digits),
                           g_strdup_printf ("0x%02X", at->data[0]));
}

gboolean
_maphex_inspect_encode_binary (MaphexInspectField        field,
                               MaphexByteOrder           order,
                               const MaphexInspectBytes *at,
                               const char               *text,
                               guint8                   *out,
                               gsize                    *len,
                               GError                  **error)
{
  g_autofree char *shown = g_strstrip (g_strdup (text));
  const char *p = shown;
  guint v = 0;
  gsize n = 0;

  if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
    p += 2;
  for (; *p == '0' || *p == '1'; p++, n++)
    v = v << 1 | (guint) (*p - '0');
  if (*p != '\0' || n == 0 || n > 8)
    {
      g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_INVALID,
                   _("“%s” is not a byte in binary: type up to 8 digits 0 and 1"), shown);
      return FALSE;
    }
  out[0] = (guint8) v;
  *len = 1;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* LEB128                                                              */

char *
_maphex_inspect_n_bytes_text (gsize n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u byte", "%u bytes", n), (guint) n);
}

static void
scan_leb (gboolean                  is_signed,
          const MaphexInspectBytes *at,
          MaphexInspectRow         *row)
{
  guint64 v = 0;
  gboolean overflow = FALSE;

  for (gsize i = 0; i < MAPHEX_INSPECT_MAX_BYTES; i++)
    {
      guint8 b;

      if (i >= at->n_readable)
        {
          if (i < at->n_available)
            _maphex_inspect_set_fault (row, i + 1);
          else if (i == 0)
            _maphex_inspect_set_short (row, at, 1);
          else
            _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_SHORT, i,
                                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                   "Unterminated: the file ends after %u byte",
                                                                   "Unterminated: the file ends after %u bytes", i),
                                                      (guint) i),
                                     NULL);
          return;
        }

      b = at->data[i];
      for (guint bit = 0; bit < 7; bit++)
        {
          guint pos = (guint) i * 7 + bit;
          guint64 one = (b >> bit) & 1;

          if (pos < 64)
            v |= one << pos;
          else if (one != (is_signed ? v >> 63 : 0))
            overflow = TRUE;   /* a bit past the 64th that is not the sign's */
        }

      if ((b & 0x80) == 0)
        {
          gsize len = i + 1;

          if (is_signed && len * 7 < 64 && (b & 0x40))
            v |= ~G_GUINT64_CONSTANT (0) << (len * 7);
          if (overflow)
            _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_INVALID, len,
                                     g_strdup (_("Overflows 64 bits")), _maphex_inspect_n_bytes_text (len));
          else if (is_signed)
            _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_OK, len,
                                     g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) v), _maphex_inspect_n_bytes_text (len));
          else
            _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_OK, len,
                                     g_strdup_printf ("%" G_GUINT64_FORMAT, v), _maphex_inspect_n_bytes_text (len));
          return;
        }
    }
  _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_INVALID, MAPHEX_INSPECT_MAX_BYTES,
                           g_strdup_printf (_("Unterminated within %u bytes"), MAPHEX_INSPECT_MAX_BYTES), NULL);
}

void
_maphex_inspect_decode_leb (MaphexInspectField        field,
                            MaphexByteOrder           order,
                            const MaphexInspectBytes *at,
                            MaphexInspectRow         *row)
{
  scan_leb (field == MAPHEX_INSPECT_SLEB128, at, row);
}

gboolean
_maphex_inspect_encode_leb (MaphexInspectField        field,
                            MaphexByteOrder           order,
                            const MaphexInspectBytes *at,
                            const char               *text,
                            guint8                   *out,
                            gsize                    *len,
                            GError                  **error)
{
  gboolean is_signed = field == MAPHEX_INSPECT_SLEB128;
  guint64 v, fill;
  gboolean negative;
  gsize n = 0;

  if (!_maphex_inspect_parse_integer (text, is_signed ? G_MININT64 : 0, is_signed ? G_MAXINT64 : G_MAXUINT64,
                                      maphex_inspect_field_name (field), &v, error))
    return FALSE;
  negative = is_signed && (v >> 63);
  fill = negative ? ~G_GUINT64_CONSTANT (0) : 0;

  for (;;)
    {
      guint8 b = v & 0x7f;

      /* Shift in the sign (or zeros), whatever >> does to negative numbers. */
      v = v >> 7 | (fill & ~(~G_GUINT64_CONSTANT (0) >> 7));
      out[n++] = b;
      if (is_signed ? (v == fill && (b & 0x40) == (fill & 0x40)) : v == 0)
        break;
      out[n - 1] |= 0x80;
    }

  /* A longer LEB128 already at the cursor keeps its length. */
  if (at != NULL)
    {
      MaphexInspectRow current = { 0 };

      scan_leb (is_signed, at, &current);
      if (current.status == MAPHEX_INSPECT_STATUS_OK && current.n_bytes > n)
        {
          guint8 pad = negative ? 0x7f : 0x00;

          out[n - 1] |= 0x80;
          while (n < current.n_bytes - 1)
            out[n++] = 0x80 | pad;
          out[n++] = pad;
        }
      maphex_inspect_row_clear (&current);
    }
  *len = n;
  return TRUE;
}
