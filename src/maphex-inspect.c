/* maphex-inspect.c: see maphex-inspect.h. Owns the rows, loading and
 * storing integers in a byte order, the integer fields and the table that
 * sends each field to its decoder and encoder (the others are in
 * maphex-inspect-number.c and maphex-inspect-text.c).
 *
 * Everything is integer arithmetic on the bytes, the floats included (the
 * float16 conversions work on the bit patterns), so the results are the
 * same on every machine. Numbers are printed and parsed in the C locale
 * (uselocale), so that a row's text always parses back.
 */
#define _GNU_SOURCE
#include "maphex-inspect-private.h"

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
void
_maphex_inspect_set_row (MaphexInspectRow   *row,
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

void
_maphex_inspect_set_short (MaphexInspectRow         *row,
                           const MaphexInspectBytes *at,
                           gsize                     need)
{
  _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_SHORT, need, needs_text (need, at->n_available), NULL);
}

void
_maphex_inspect_set_fault (MaphexInspectRow *row,
                           gsize             need)
{
  /* The hex view shows these bytes as "??" too. */
  _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_FAULT, need, g_strdup ("??"),
                           g_strdup (_("Cannot be read: the file shrank under the document")));
}

/* Whether the `need` bytes at the cursor are there; sets the row when not. */
gboolean
_maphex_inspect_have_bytes (const MaphexInspectBytes *at,
                            gsize                     need,
                            MaphexInspectRow         *row)
{
  if (at->n_readable < MIN (need, at->n_available))
    {
      _maphex_inspect_set_fault (row, need);
      return FALSE;
    }
  if (at->n_available < need)
    {
      _maphex_inspect_set_short (row, at, need);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Integers                                                            */

guint64
_maphex_inspect_load_uint (const guint8   *p,
                           gsize           size,
                           MaphexByteOrder order)
{
  guint64 v = 0;

  for (gsize i = 0; i < size; i++)
    v = v << 8 | p[order == MAPHEX_BYTE_ORDER_LITTLE ? size - 1 - i : i];
  return v;
}

void
_maphex_inspect_store_uint (guint8         *p,
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

gint64
_maphex_inspect_sign_extend (guint64 v,
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

  if (!_maphex_inspect_have_bytes (at, size, row))
    return;
  v = _maphex_inspect_load_uint (at->data, size, order);
  if (int_is_signed (field))
    text = g_strdup_printf ("%" G_GINT64_FORMAT, _maphex_inspect_sign_extend (v, size));
  else
    text = g_strdup_printf ("%" G_GUINT64_FORMAT, v);
  _maphex_inspect_set_row (row, MAPHEX_INSPECT_STATUS_OK, size, text, NULL);
}

/* "  -0x1F ": an optional sign, then decimal digits or 0x and hex digits,
 * with blanks around. FALSE when it is not that; *overflow when the
 * magnitude does not fit in 64 bits. */
gboolean
_maphex_inspect_scan_integer (const char *text,
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
gboolean
_maphex_inspect_parse_integer (const char *text,
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

  if (!_maphex_inspect_scan_integer (text, &negative, &magnitude, &overflow))
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
  if (!_maphex_inspect_parse_integer (text, min, max, maphex_inspect_field_name (field), &v, error))
    return FALSE;
  _maphex_inspect_store_uint (out, size, v, order);
  *len = size;
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
  [MAPHEX_INSPECT_FLOAT16]      = { _maphex_inspect_decode_float, _maphex_inspect_encode_float },
  [MAPHEX_INSPECT_FLOAT32]      = { _maphex_inspect_decode_float, _maphex_inspect_encode_float },
  [MAPHEX_INSPECT_FLOAT64]      = { _maphex_inspect_decode_float, _maphex_inspect_encode_float },
  [MAPHEX_INSPECT_BINARY]       = { _maphex_inspect_decode_binary, _maphex_inspect_encode_binary },
  [MAPHEX_INSPECT_ULEB128]      = { _maphex_inspect_decode_leb, _maphex_inspect_encode_leb },
  [MAPHEX_INSPECT_SLEB128]      = { _maphex_inspect_decode_leb, _maphex_inspect_encode_leb },
  [MAPHEX_INSPECT_UNIX32]       = { _maphex_inspect_decode_unix, _maphex_inspect_encode_unix },
  [MAPHEX_INSPECT_UNIX64]       = { _maphex_inspect_decode_unix, _maphex_inspect_encode_unix },
  [MAPHEX_INSPECT_DOS_DATETIME] = { _maphex_inspect_decode_dos, _maphex_inspect_encode_dos },
  [MAPHEX_INSPECT_GUID]         = { _maphex_inspect_decode_guid, _maphex_inspect_encode_guid },
  [MAPHEX_INSPECT_UTF8]         = { _maphex_inspect_decode_utf8, _maphex_inspect_encode_char },
  [MAPHEX_INSPECT_UTF16]        = { _maphex_inspect_decode_utf16, _maphex_inspect_encode_char },
  [MAPHEX_INSPECT_LATIN1]       = { _maphex_inspect_decode_latin1, _maphex_inspect_encode_char },
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
