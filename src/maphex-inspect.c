/* maphex-inspect.c: see maphex-inspect.h.
 *
 * Everything is integer arithmetic on the bytes, the floats included (the
 * float16 conversions work on the bit patterns), so the results are the
 * same on every machine. Numbers are printed and parsed in the C locale
 * (uselocale), so that a row's text always parses back.
 */
#define _GNU_SOURCE
#include "maphex-inspect.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (maphex-inspect-error-quark, maphex_inspect_error)

GType
maphex_byte_order_get_type (void)
{
  static gsize id = 0;
  static const GEnumValue values[] = {
    { MAPHEX_BYTE_ORDER_LITTLE, "MAPHEX_BYTE_ORDER_LITTLE", "little" },
    { MAPHEX_BYTE_ORDER_BIG, "MAPHEX_BYTE_ORDER_BIG", "big" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&id))
    g_once_init_leave (&id, g_enum_register_static ("MaphexByteOrder", values));
  return id;
}

typedef struct {
  const char *name;
  const char *hint;
} FieldInfo;

static const FieldInfo field_info[MAPHEX_INSPECT_N_FIELDS] = {
  [MAPHEX_INSPECT_INT8]         = { N_("int8"),    N_("Decimal or 0x hex, −128 to 127") },
  [MAPHEX_INSPECT_UINT8]        = { N_("uint8"),   N_("Decimal or 0x hex, 0 to 255") },
  [MAPHEX_INSPECT_INT16]        = { N_("int16"),   N_("Decimal or 0x hex, −32768 to 32767") },
  [MAPHEX_INSPECT_UINT16]       = { N_("uint16"),  N_("Decimal or 0x hex, 0 to 65535") },
  [MAPHEX_INSPECT_INT32]        = { N_("int32"),   N_("Decimal or 0x hex, 32 bits, signed") },
  [MAPHEX_INSPECT_UINT32]       = { N_("uint32"),  N_("Decimal or 0x hex, 32 bits") },
  [MAPHEX_INSPECT_INT64]        = { N_("int64"),   N_("Decimal or 0x hex, 64 bits, signed") },
  [MAPHEX_INSPECT_UINT64]       = { N_("uint64"),  N_("Decimal or 0x hex, 64 bits") },
  [MAPHEX_INSPECT_FLOAT16]      = { N_("float16"), N_("A number, inf, -inf, nan or nan(0xMANTISSA)") },
  [MAPHEX_INSPECT_FLOAT32]      = { N_("float32"), N_("A number, inf, -inf, nan or nan(0xMANTISSA)") },
  [MAPHEX_INSPECT_FLOAT64]      = { N_("float64"), N_("A number, inf, -inf, nan or nan(0xMANTISSA)") },
  [MAPHEX_INSPECT_BINARY]       = { N_("Binary"),  N_("Up to 8 digits 0 and 1") },
  [MAPHEX_INSPECT_ULEB128]      = { N_("ULEB128"), N_("Decimal or 0x hex; padded to the length already there") },
  [MAPHEX_INSPECT_SLEB128]      = { N_("SLEB128"), N_("Decimal or 0x hex; padded to the length already there") },
  [MAPHEX_INSPECT_UNIX32]       = { N_("Unix time 32"), N_("YYYY-MM-DD HH:MM:SS (UTC) or seconds") },
  [MAPHEX_INSPECT_UNIX64]       = { N_("Unix time 64"), N_("YYYY-MM-DD HH:MM:SS (UTC) or seconds") },
  [MAPHEX_INSPECT_DOS_DATETIME] = { N_("DOS date/time"), N_("YYYY-MM-DD HH:MM:SS, 1980 to 2107, even seconds") },
  [MAPHEX_INSPECT_GUID]         = { N_("GUID"),    N_("{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}") },
  [MAPHEX_INSPECT_UTF8]         = { N_("UTF-8"),   N_("A character, a name such as LF, or U+XXXX") },
  [MAPHEX_INSPECT_UTF16]        = { N_("UTF-16"),  N_("A character, a name such as LF, or U+XXXX") },
  [MAPHEX_INSPECT_LATIN1]       = { N_("Latin-1"), N_("A character, a name such as LF, or U+00XX") },
};

const char *
maphex_inspect_field_name (MaphexInspectField field)
{
  g_return_val_if_fail (field < MAPHEX_INSPECT_N_FIELDS, NULL);
  return _(field_info[field].name);
}

const char *
maphex_inspect_field_hint (MaphexInspectField field)
{
  g_return_val_if_fail (field < MAPHEX_INSPECT_N_FIELDS, NULL);
  return _(field_info[field].hint);
}

/* ------------------------------------------------------------------ */
/* Rows                                                                */

void
maphex_inspect_row_clear (MaphexInspectRow *row)
{
  g_return_if_fail (row != NULL);

  g_clear_pointer (&row->text, g_free);
  g_clear_pointer (&row->detail, g_free);
  row->status = MAPHEX_INSPECT_STATUS_OK;
  row->n_bytes = 0;
}

/* Takes `text` and `detail`. */
static void
set_row (MaphexInspectRow   *row,
         MaphexInspectStatus status,
         gsize               n_bytes,
         char               *text,
         char               *detail)
{
  g_free (row->text);
  g_free (row->detail);
  row->status = status;
  row->n_bytes = (guint) n_bytes;
  row->text = text;
  row->detail = detail;
}

static char *
needs_text (gsize need,
            gsize left)
{
  if (left == 0)
    return g_strdup (_("End of file"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Needs %u byte, %u left",
                                       "Needs %u bytes, %u left", need),
                          (guint) need, (guint) left);
}

static void
set_short (MaphexInspectRow         *row,
           const MaphexInspectBytes *at,
           gsize                     need)
{
  set_row (row, MAPHEX_INSPECT_STATUS_SHORT, need, needs_text (need, at->n_available), NULL);
}

static void
set_fault (MaphexInspectRow *row,
           gsize             need)
{
  /* The hex view shows these bytes as "??" too. */
  set_row (row, MAPHEX_INSPECT_STATUS_FAULT, need, g_strdup ("??"),
           g_strdup (_("Cannot be read: the file shrank under the document")));
}

/* Whether the `need` bytes at the cursor are there; sets the row when not. */
static gboolean
have_bytes (const MaphexInspectBytes *at,
            gsize                     need,
            MaphexInspectRow         *row)
{
  if (at->n_readable < MIN (need, at->n_available))
    {
      set_fault (row, need);
      return FALSE;
    }
  if (at->n_available < need)
    {
      set_short (row, at, need);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Integers                                                            */

static guint64
load_uint (const guint8   *p,
           gsize           size,
           MaphexByteOrder order)
{
  guint64 v = 0;

  for (gsize i = 0; i < size; i++)
    v = v << 8 | p[order == MAPHEX_BYTE_ORDER_LITTLE ? size - 1 - i : i];
  return v;
}

static void
store_uint (guint8         *p,
            gsize           size,
            guint64         v,
            MaphexByteOrder order)
{
  for (gsize i = 0; i < size; i++)
    {
      p[order == MAPHEX_BYTE_ORDER_LITTLE ? i : size - 1 - i] = (guint8) (v & 0xff);
      v >>= 8;
    }
}

static gint64
sign_extend (guint64 v,
             gsize   size)
{
  if (size < 8 && (v >> (size * 8 - 1)) & 1)
    v |= ~G_GUINT64_CONSTANT (0) << (size * 8);
  return (gint64) v;
}

static gsize
int_size (MaphexInspectField field)
{
  switch (field)
    {
    case MAPHEX_INSPECT_INT8:
    case MAPHEX_INSPECT_UINT8:
      return 1;
    case MAPHEX_INSPECT_INT16:
    case MAPHEX_INSPECT_UINT16:
      return 2;
    case MAPHEX_INSPECT_INT32:
    case MAPHEX_INSPECT_UINT32:
      return 4;
    default:
      return 8;
    }
}

static gboolean
int_is_signed (MaphexInspectField field)
{
  return field == MAPHEX_INSPECT_INT8 || field == MAPHEX_INSPECT_INT16 ||
         field == MAPHEX_INSPECT_INT32 || field == MAPHEX_INSPECT_INT64;
}

static void
decode_int (MaphexInspectField        field,
            MaphexByteOrder           order,
            const MaphexInspectBytes *at,
            MaphexInspectRow         *row)
{
  gsize size = int_size (field);
  guint64 v;
  char *text;

  if (!have_bytes (at, size, row))
    return;
  v = load_uint (at->data, size, order);
  if (int_is_signed (field))
    text = g_strdup_printf ("%" G_GINT64_FORMAT, sign_extend (v, size));
  else
    text = g_strdup_printf ("%" G_GUINT64_FORMAT, v);
  set_row (row, MAPHEX_INSPECT_STATUS_OK, size, text, NULL);
}

/* "  -0x1F ": an optional sign, then decimal digits or 0x and hex digits,
 * with blanks around. FALSE when it is not that; *overflow when the
 * magnitude does not fit in 64 bits. */
static gboolean
scan_integer (const char *text,
              gboolean   *negative,
              guint64    *magnitude,
              gboolean   *overflow)
{
  const char *p = text;
  guint base = 10;
  guint n_digits = 0;

  *negative = FALSE;
  *magnitude = 0;
  *overflow = FALSE;

  while (g_ascii_isspace (*p))
    p++;
  if (*p == '+' || *p == '-')
    *negative = *p++ == '-';
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
    {
      base = 16;
      p += 2;
    }
  for (; *p != '\0' && !g_ascii_isspace (*p); p++, n_digits++)
    {
      int d = base == 16 ? g_ascii_xdigit_value (*p) : g_ascii_digit_value (*p);

      if (d < 0)
        return FALSE;
      if (*magnitude > (G_MAXUINT64 - (guint) d) / base)
        *overflow = TRUE;
      else
        *magnitude = *magnitude * base + (guint) d;
    }
  while (g_ascii_isspace (*p))
    p++;
  return n_digits > 0 && *p == '\0';
}

/* Parses an integer within [min, max] (min <= 0) into its 64-bit two's
 * complement bits. `what` names the field in the message. */
static gboolean
parse_integer (const char *text,
               gint64      min,
               guint64     max,
               const char *what,
               guint64    *bits,
               GError    **error)
{
  g_autofree char *shown = g_strstrip (g_strdup (text));
  guint64 below_zero = min == 0 ? 0 : (guint64) -(min + 1) + 1;
  gboolean negative, overflow;
  guint64 magnitude;

  if (!scan_integer (text, &negative, &magnitude, &overflow))
    {
      if (shown[0] == '\0')
        g_set_error_literal (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_INVALID,
                             _("Type a number: decimal or 0x hex"));
      else
        g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_INVALID,
                     _("“%s” is not a number: type decimal or 0x hex"), shown);
      return FALSE;
    }
  if (overflow || magnitude > (negative ? below_zero : max))
    {
      g_autofree char *lo = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_autofree char *hi = g_strdup_printf ("%" G_GUINT64_FORMAT, max);

      g_set_error (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_RANGE,
                   _("“%s” is out of range for %s (%s to %s)"), shown, what, lo, hi);
      return FALSE;
    }
  *bits = negative ? 0 - magnitude : magnitude;
  return TRUE;
}

static gboolean
encode_int (MaphexInspectField        field,
            MaphexByteOrder           order,
            const MaphexInspectBytes *at,
            const char               *text,
            guint8                   *out,
            gsize                    *len,
            GError                  **error)
{
  gsize size = int_size (field);
  guint bits = (guint) size * 8;
  gint64 min = 0;
  guint64 max = size == 8 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << bits) - 1;
  guint64 v;

  if (int_is_signed (field))
    {
      max >>= 1;
      min = -(gint64) max - 1;
    }
  if (!parse_integer (text, min, max, maphex_inspect_field_name (field), &v, error))
    return FALSE;
  store_uint (out, size, v, order);
  *len = size;
  return TRUE;
}

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

/* The fewest significant digits that parse back to the same bits (a finite
 * value), without an exponent from 1e-4 up to 1e16, as Python's repr. */
static char *
format_shortest (const FloatFormat *format,
                 guint64            bits)
{
  char buf[64] = "";
  const char *e;
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

  for (prec = 1; prec < 17; prec++)
    {
      snprintf (buf, sizeof buf, "%.*g", prec, value);
      if (parses_back (format, buf, bits))
        break;
    }
  snprintf (buf, sizeof buf, "%.*e", prec - 1, value);
  e = strchr (buf, 'e');
  exponent = e != NULL ? atoi (e + 1) : 0;
  /* %g writes an exponent from 10^prec on; more digits of the same value
   * still parse back. */
  snprintf (buf, sizeof buf, "%.*g", exponent >= prec && exponent < 16 ? exponent + 1 : prec, value);
  uselocale (old);
  return g_strdup (buf);
}

static void
decode_float (MaphexInspectField        field,
              MaphexByteOrder           order,
              const MaphexInspectBytes *at,
              MaphexInspectRow         *row)
{
  const FloatFormat *format = float_format (field);
  guint64 bits, mant, exp, exp_max, quiet;
  gboolean negative;

  if (!have_bytes (at, format->size, row))
    return;
  bits = load_uint (at->data, format->size, order);
  negative = (bits >> (format->size * 8 - 1)) & 1;
  mant = bits & ((G_GUINT64_CONSTANT (1) << format->mant_bits) - 1);
  exp_max = (G_GUINT64_CONSTANT (1) << format->exp_bits) - 1;
  exp = (bits >> format->mant_bits) & exp_max;
  quiet = G_GUINT64_CONSTANT (1) << (format->mant_bits - 1);

  if (exp != exp_max)
    set_row (row, MAPHEX_INSPECT_STATUS_OK, format->size, format_shortest (format, bits),
             exp == 0 && mant != 0 ? g_strdup (_("Subnormal")) : NULL);
  else if (mant == 0)
    set_row (row, MAPHEX_INSPECT_STATUS_OK, format->size,
             g_strdup (negative ? "-inf" : "inf"), NULL);
  else if (mant == quiet)
    set_row (row, MAPHEX_INSPECT_STATUS_OK, format->size,
             g_strdup (negative ? "-nan" : "nan"), g_strdup (_("Quiet NaN")));
  else
    set_row (row, MAPHEX_INSPECT_STATUS_OK, format->size,
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
  if (!scan_integer (inner, &negative, mant, &overflow) || negative ||
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

static gboolean
encode_float (MaphexInspectField        field,
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

  store_uint (out, format->size, bits, order);
  *len = format->size;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Binary                                                              */

static void
decode_binary (MaphexInspectField        field,
               MaphexByteOrder           order,
               const MaphexInspectBytes *at,
               MaphexInspectRow         *row)
{
  char digits[9];

  if (!have_bytes (at, 1, row))
    return;
  for (int i = 0; i < 8; i++)
    digits[i] = (at->data[0] >> (7 - i)) & 1 ? '1' : '0';
  digits[8] = '\0';
  set_row (row, MAPHEX_INSPECT_STATUS_OK, 1, g_strdup (digits),
           g_strdup_printf ("0x%02X", at->data[0]));
}

static gboolean
encode_binary (MaphexInspectField        field,
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

static char *
n_bytes_text (gsize n)
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
            set_fault (row, i + 1);
          else if (i == 0)
            set_short (row, at, 1);
          else
            set_row (row, MAPHEX_INSPECT_STATUS_SHORT, i,
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
            set_row (row, MAPHEX_INSPECT_STATUS_INVALID, len,
                     g_strdup (_("Overflows 64 bits")), n_bytes_text (len));
          else if (is_signed)
            set_row (row, MAPHEX_INSPECT_STATUS_OK, len,
                     g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) v), n_bytes_text (len));
          else
            set_row (row, MAPHEX_INSPECT_STATUS_OK, len,
                     g_strdup_printf ("%" G_GUINT64_FORMAT, v), n_bytes_text (len));
          return;
        }
    }
  set_row (row, MAPHEX_INSPECT_STATUS_INVALID, MAPHEX_INSPECT_MAX_BYTES,
           g_strdup_printf (_("Unterminated within %u bytes"), MAPHEX_INSPECT_MAX_BYTES), NULL);
}

static void
decode_leb (MaphexInspectField        field,
            MaphexByteOrder           order,
            const MaphexInspectBytes *at,
            MaphexInspectRow         *row)
{
  scan_leb (field == MAPHEX_INSPECT_SLEB128, at, row);
}

static gboolean
encode_leb (MaphexInspectField        field,
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

  if (!parse_integer (text, is_signed ? G_MININT64 : 0, is_signed ? G_MAXINT64 : G_MAXUINT64,
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

static void
decode_unix (MaphexInspectField        field,
             MaphexByteOrder           order,
             const MaphexInspectBytes *at,
             MaphexInspectRow         *row)
{
  gsize size = field == MAPHEX_INSPECT_UNIX32 ? 4 : 8;
  gint64 t;
  Civil c;

  if (!have_bytes (at, size, row))
    return;
  t = sign_extend (load_uint (at->data, size, order), size);
  if (t < UNIX_MIN || t > UNIX_MAX)
    {
      g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, t);

      set_row (row, MAPHEX_INSPECT_STATUS_INVALID, size,
               g_strdup (_("Out of range (years 1 to 9999)")),
               g_strdup_printf (_("%s seconds"), seconds));
      return;
    }
  civil_from_unix (t, &c);
  set_row (row, MAPHEX_INSPECT_STATUS_OK, size, format_civil (&c, TRUE), NULL);
}

static gboolean
encode_unix (MaphexInspectField        field,
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

  if (scan_integer (text, &negative, &magnitude, &overflow))
    {
      /* Seconds. */
      guint64 bits;

      if (!parse_integer (text, G_MININT64, G_MAXINT64, maphex_inspect_field_name (field),
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
  store_uint (out, size, (guint64) t, order);
  *len = size;
  return TRUE;
}

/* FAT and ZIP: time in the low 16 bits (hours 5 bits, minutes 6, seconds/2
 * 5), date in the high 16 (years since 1980 7 bits, month 4, day 5). */
static void
decode_dos (MaphexInspectField        field,
            MaphexByteOrder           order,
            const MaphexInspectBytes *at,
            MaphexInspectRow         *row)
{
  g_autoptr(GError) error = NULL;
  guint32 v;
  Civil c;

  if (!have_bytes (at, 4, row))
    return;
  v = (guint32) load_uint (at->data, 4, order);
  c.year = 1980 + (v >> 25);
  c.month = (v >> 21) & 0xf;
  c.day = (v >> 16) & 0x1f;
  c.hour = (v >> 11) & 0x1f;
  c.minute = (v >> 5) & 0x3f;
  c.second = (v & 0x1f) * 2;
  if (!check_civil (&c, &error))
    set_row (row, MAPHEX_INSPECT_STATUS_INVALID, 4, g_strdup (error->message), NULL);
  else
    set_row (row, MAPHEX_INSPECT_STATUS_OK, 4, format_civil (&c, FALSE), NULL);
}

static gboolean
encode_dos (MaphexInspectField        field,
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
  store_uint (out, 4, v, order);
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

static void
decode_guid (MaphexInspectField        field,
             MaphexByteOrder           order,
             const MaphexInspectBytes *at,
             MaphexInspectRow         *row)
{
  GString *s;

  if (!have_bytes (at, 16, row))
    return;
  s = g_string_new ("{");
  for (gsize i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        g_string_append_c (s, '-');
      g_string_append_printf (s, "%02X", at->data[guid_index (order, i)]);
    }
  g_string_append_c (s, '}');
  set_row (row, MAPHEX_INSPECT_STATUS_OK, 16, g_string_free (s, FALSE), NULL);
}

static gboolean
encode_guid (MaphexInspectField        field,
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
  set_row (row, MAPHEX_INSPECT_STATUS_OK, n_bytes, char_text (c), detail);
}

static void
decode_utf8 (MaphexInspectField        field,
             MaphexByteOrder           order,
             const MaphexInspectBytes *at,
             MaphexInspectRow         *row)
{
  guint8 b0;
  gsize len;
  gunichar c;
  g_autofree char *code = NULL;

  if (!have_bytes (at, 1, row))
    return;
  b0 = at->data[0];
  if (b0 < 0x80)
    len = 1, c = b0;
  else if (b0 < 0xc0)
    {
      set_row (row, MAPHEX_INSPECT_STATUS_INVALID, 1, g_strdup (_("Invalid UTF-8")),
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
      set_row (row, MAPHEX_INSPECT_STATUS_INVALID, 1, g_strdup (_("Invalid UTF-8")),
               g_strdup_printf (_("0x%02X never occurs in UTF-8"), b0));
      return;
    }

  for (gsize i = 1; i < len; i++)
    {
      guint8 b;

      if (i >= at->n_readable || i >= at->n_available)
        {
          have_bytes (at, len, row);
          return;
        }
      b = at->data[i];
      if ((b & 0xc0) != 0x80)
        {
          set_row (row, MAPHEX_INSPECT_STATUS_INVALID, i, g_strdup (_("Invalid UTF-8")),
                   g_strdup_printf (_("Byte %u (0x%02X) should continue the character"),
                                    (guint) i + 1, b));
          return;
        }
      c = c << 6 | (b & 0x3f);
    }

  code = g_strdup_printf ("U+%04X", c);
  if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000))
    set_row (row, MAPHEX_INSPECT_STATUS_INVALID, len, g_strdup (_("Invalid UTF-8")),
             g_strdup_printf (_("An overlong encoding of %s"), code));
  else if (is_surrogate (c))
    set_row (row, MAPHEX_INSPECT_STATUS_INVALID, len, g_strdup (_("Invalid UTF-8")),
             g_strdup_printf (_("%s is a surrogate, which UTF-8 cannot hold"), code));
  else if (c > 0x10ffff)
    set_row (row, MAPHEX_INSPECT_STATUS_INVALID, len, g_strdup (_("Invalid UTF-8")),
             g_strdup_printf (_("%s is beyond U+10FFFF, the last character"), code));
  else
    {
      g_autofree char *count = n_bytes_text (len);

      /* TRANSLATORS: "U+00E9, 2 bytes" */
      set_char_row (row, len, c, g_strdup_printf (_("%s, %s"), code, count));
    }
}

static void
decode_utf16 (MaphexInspectField        field,
              MaphexByteOrder           order,
              const MaphexInspectBytes *at,
              MaphexInspectRow         *row)
{
  guint u0, u1;
  gunichar c;

  if (!have_bytes (at, 2, row))
    return;
  u0 = (guint) load_uint (at->data, 2, order);
  if (u0 >= 0xdc00 && u0 <= 0xdfff)
    {
      set_row (row, MAPHEX_INSPECT_STATUS_INVALID, 2, g_strdup (_("Unpaired low surrogate")),
               g_strdup_printf ("%04X", u0));
      return;
    }
  if (u0 < 0xd800 || u0 > 0xdbff)
    {
      set_char_row (row, 2, u0, g_strdup_printf ("U+%04X", u0));
      return;
    }
  if (!have_bytes (at, 4, row))
    return;
  u1 = (guint) load_uint (at->data + 2, 2, order);
  if (u1 < 0xdc00 || u1 > 0xdfff)
    {
      set_row (row, MAPHEX_INSPECT_STATUS_INVALID, 2, g_strdup (_("Unpaired high surrogate")),
               g_strdup_printf (_("%04X, then %04X"), u0, u1));
      return;
    }
  c = 0x10000 + ((u0 - 0xd800) << 10) + (u1 - 0xdc00);
  set_char_row (row, 4, c, g_strdup_printf (_("U+%04X, surrogate pair %04X %04X"), c, u0, u1));
}

static void
decode_latin1 (MaphexInspectField        field,
               MaphexByteOrder           order,
               const MaphexInspectBytes *at,
               MaphexInspectRow         *row)
{
  if (!have_bytes (at, 1, row))
    return;
  set_char_row (row, 1, at->data[0], g_strdup_printf ("U+%04X", at->data[0]));
}

static gboolean
encode_char (MaphexInspectField        field,
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
      store_uint (out, 2, c, order);
      *len = 2;
      return TRUE;
    }
  store_uint (out, 2, 0xd800 + ((c - 0x10000) >> 10), order);
  store_uint (out + 2, 2, 0xdc00 + ((c - 0x10000) & 0x3ff), order);
  *len = 4;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */

typedef void (*DecodeFunc) (MaphexInspectField field, MaphexByteOrder order,
                            const MaphexInspectBytes *at, MaphexInspectRow *row);
typedef gboolean (*EncodeFunc) (MaphexInspectField field, MaphexByteOrder order,
                                const MaphexInspectBytes *at, const char *text,
                                guint8 *out, gsize *len, GError **error);

static const struct {
  DecodeFunc decode;
  EncodeFunc encode;
} field_ops[MAPHEX_INSPECT_N_FIELDS] = {
  [MAPHEX_INSPECT_INT8]         = { decode_int, encode_int },
  [MAPHEX_INSPECT_UINT8]        = { decode_int, encode_int },
  [MAPHEX_INSPECT_INT16]        = { decode_int, encode_int },
  [MAPHEX_INSPECT_UINT16]       = { decode_int, encode_int },
  [MAPHEX_INSPECT_INT32]        = { decode_int, encode_int },
  [MAPHEX_INSPECT_UINT32]       = { decode_int, encode_int },
  [MAPHEX_INSPECT_INT64]        = { decode_int, encode_int },
  [MAPHEX_INSPECT_UINT64]       = { decode_int, encode_int },
  [MAPHEX_INSPECT_FLOAT16]      = { decode_float, encode_float },
  [MAPHEX_INSPECT_FLOAT32]      = { decode_float, encode_float },
  [MAPHEX_INSPECT_FLOAT64]      = { decode_float, encode_float },
  [MAPHEX_INSPECT_BINARY]       = { decode_binary, encode_binary },
  [MAPHEX_INSPECT_ULEB128]      = { decode_leb, encode_leb },
  [MAPHEX_INSPECT_SLEB128]      = { decode_leb, encode_leb },
  [MAPHEX_INSPECT_UNIX32]       = { decode_unix, encode_unix },
  [MAPHEX_INSPECT_UNIX64]       = { decode_unix, encode_unix },
  [MAPHEX_INSPECT_DOS_DATETIME] = { decode_dos, encode_dos },
  [MAPHEX_INSPECT_GUID]         = { decode_guid, encode_guid },
  [MAPHEX_INSPECT_UTF8]         = { decode_utf8, encode_char },
  [MAPHEX_INSPECT_UTF16]        = { decode_utf16, encode_char },
  [MAPHEX_INSPECT_LATIN1]       = { decode_latin1, encode_char },
};

void
maphex_inspect_decode (MaphexInspectField        field,
                       MaphexByteOrder           order,
                       const MaphexInspectBytes *at,
                       MaphexInspectRow         *row)
{
  g_return_if_fail (field < MAPHEX_INSPECT_N_FIELDS);
  g_return_if_fail (at != NULL && row != NULL);
  g_return_if_fail (at->n_available <= MAPHEX_INSPECT_MAX_BYTES);
  g_return_if_fail (at->n_readable <= at->n_available);

  field_ops[field].decode (field, order, at, row);
}

gboolean
maphex_inspect_encode (MaphexInspectField        field,
                       MaphexByteOrder           order,
                       const MaphexInspectBytes *at,
                       const char               *text,
                       guint8                    out[MAPHEX_INSPECT_MAX_BYTES],
                       gsize                    *out_len,
                       GError                  **error)
{
  guint8 buf[MAPHEX_INSPECT_MAX_BYTES];
  gsize len = 0;

  g_return_val_if_fail (field < MAPHEX_INSPECT_N_FIELDS, FALSE);
  g_return_val_if_fail (text != NULL && out != NULL && out_len != NULL, FALSE);
  g_return_val_if_fail (at == NULL || at->n_available <= MAPHEX_INSPECT_MAX_BYTES, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!field_ops[field].encode (field, order, at, text, buf, &len, error))
    return FALSE;

  if (at != NULL && len > at->n_available)
    {
      if (at->n_available == 0)
        g_set_error_literal (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_NO_ROOM,
                             _("The cursor is at the end of the file: there is nothing to write over"));
      else
        {
          g_autofree char *message = needs_text (len, at->n_available);

          g_set_error_literal (error, MAPHEX_INSPECT_ERROR, MAPHEX_INSPECT_ERROR_NO_ROOM, message);
        }
      return FALSE;
    }
  memcpy (out, buf, len);
  *out_len = len;
  return TRUE;
}
