/* test-inspect.c: the data inspector's decoders and encoders.
 *
 * Expected values are computed here independently of maphex-inspect.c: the
 * bytes from C values (memcpy, GUINT32_TO_BE, ...), dates with GDateTime,
 * and the float texts from Python's struct module (tables below). */
#include "maphex-inspect.h"

#include <glib.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LE MAPHEX_BYTE_ORDER_LITTLE
#define BE MAPHEX_BYTE_ORDER_BIG

static MaphexInspectBytes
bytes_of (const void *data,
          gsize       n)
{
  MaphexInspectBytes at = { { 0 }, 0, 0 };

  g_assert_cmpuint (n, <=, MAPHEX_INSPECT_MAX_BYTES);
  memcpy (at.data, data, n);
  at.n_available = at.n_readable = n;
  return at;
}

/* `n` bytes, the rest of the 16 being 0xEE: a value in the middle of a file. */
static MaphexInspectBytes
bytes_in_file (const void *data,
               gsize       n)
{
  MaphexInspectBytes at = { { 0 }, MAPHEX_INSPECT_MAX_BYTES, MAPHEX_INSPECT_MAX_BYTES };

  memset (at.data, 0xee, sizeof at.data);
  memcpy (at.data, data, n);
  return at;
}

static void
assert_row (MaphexInspectField        field,
            MaphexByteOrder           order,
            const MaphexInspectBytes *at,
            MaphexInspectStatus       status,
            guint                     n_bytes,
            const char               *text,
            const char               *detail)
{
  MaphexInspectRow row = { 0 };

  maphex_inspect_decode (field, order, at, &row);
  if (g_strcmp0 (row.text, text) != 0 || row.status != status)
    g_test_message ("%s: got “%s” (status %d), expected “%s” (status %d)",
                    maphex_inspect_field_name (field), row.text, row.status, text, status);
  g_assert_cmpstr (row.text, ==, text);
  g_assert_cmpint (row.status, ==, status);
  g_assert_cmpuint (row.n_bytes, ==, n_bytes);
  if (detail != NULL)
    g_assert_cmpstr (row.detail, ==, detail);
  maphex_inspect_row_clear (&row);
  g_assert_null (row.text);
}

static void
assert_ok (MaphexInspectField        field,
           MaphexByteOrder           order,
           const MaphexInspectBytes *at,
           guint                     n_bytes,
           const char               *text)
{
  assert_row (field, order, at, MAPHEX_INSPECT_STATUS_OK, n_bytes, text, NULL);
}

/* Encodes `text` with `at` (nullable) and asserts exactly `expected`. */
static void
assert_encodes (MaphexInspectField        field,
                MaphexByteOrder           order,
                const MaphexInspectBytes *at,
                const char               *text,
                const void               *expected,
                gsize                     n)
{
  g_autoptr(GError) error = NULL;
  guint8 out[MAPHEX_INSPECT_MAX_BYTES + 4];
  gsize len = 12345;

  memset (out, 0xaa, sizeof out);
  if (!maphex_inspect_encode (field, order, at, text, out, &len, &error))
    g_test_message ("%s “%s”: %s", maphex_inspect_field_name (field), text, error->message);
  g_assert_no_error (error);
  g_assert_cmpmem (out, len, expected, n);
  /* Nothing past its bytes. */
  for (gsize i = len; i < sizeof out; i++)
    g_assert_cmphex (out[i], ==, 0xaa);
}

static void
assert_refused (MaphexInspectField        field,
                const MaphexInspectBytes *at,
                const char               *text,
                int                       code,
                const char               *message)
{
  g_autoptr(GError) error = NULL;
  guint8 out[MAPHEX_INSPECT_MAX_BYTES];
  gsize len = 12345;

  memset (out, 0xaa, sizeof out);
  g_assert_false (maphex_inspect_encode (field, LE, at, text, out, &len, &error));
  g_assert_error (error, MAPHEX_INSPECT_ERROR, code);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
  /* A sentence: a capital first letter (or a quoted input). */
  g_assert_true (g_unichar_isupper (g_utf8_get_char (error->message)) ||
                 g_ascii_isdigit (error->message[0]) ||
                 g_str_has_prefix (error->message, "“"));
  g_assert_cmpuint (len, ==, 12345);
  for (gsize i = 0; i < sizeof out; i++)
    g_assert_cmphex (out[i], ==, 0xaa);
}

/* ---- integers ---- */

/* The low `size` bytes of `v` in both orders (GLib's byte swaps), read as
 * the signed and the unsigned field (C's conversions give the texts). */
static void
check_int_size (MaphexInspectField signed_field,
                MaphexInspectField unsigned_field,
                gsize              size,
                guint64            v)
{
  guint8 le[8], be[8];
  gint64 as_signed;
  guint64 as_unsigned;
  g_autofree char *t_signed = NULL, *t_unsigned = NULL;

  switch (size)
    {
    case 1:
      le[0] = be[0] = (guint8) v;
      as_signed = (gint8) v;
      as_unsigned = (guint8) v;
      break;
    case 2:
      {
        guint16 l = GUINT16_TO_LE ((guint16) v), b = GUINT16_TO_BE ((guint16) v);

        memcpy (le, &l, 2);
        memcpy (be, &b, 2);
        as_signed = (gint16) v;
        as_unsigned = (guint16) v;
      }
      break;
    case 4:
      {
        guint32 l = GUINT32_TO_LE ((guint32) v), b = GUINT32_TO_BE ((guint32) v);

        memcpy (le, &l, 4);
        memcpy (be, &b, 4);
        as_signed = (gint32) v;
        as_unsigned = (guint32) v;
      }
      break;
    default:
      {
        guint64 l = GUINT64_TO_LE (v), b = GUINT64_TO_BE (v);

        memcpy (le, &l, 8);
        memcpy (be, &b, 8);
        as_signed = (gint64) v;
        as_unsigned = v;
      }
    }
  t_signed = g_strdup_printf ("%" G_GINT64_FORMAT, as_signed);
  t_unsigned = g_strdup_printf ("%" G_GUINT64_FORMAT, as_unsigned);

  for (int order = LE; order <= BE; order++)
    {
      MaphexInspectBytes at = bytes_in_file (order == LE ? le : be, size);

      assert_ok (signed_field, order, &at, (guint) size, t_signed);
      assert_ok (unsigned_field, order, &at, (guint) size, t_unsigned);
      assert_encodes (signed_field, order, &at, t_signed, at.data, size);
      assert_encodes (unsigned_field, order, &at, t_unsigned, at.data, size);
    }
}

static void
check_ints (guint64 v)
{
  check_int_size (MAPHEX_INSPECT_INT8, MAPHEX_INSPECT_UINT8, 1, v);
  check_int_size (MAPHEX_INSPECT_INT16, MAPHEX_INSPECT_UINT16, 2, v);
  check_int_size (MAPHEX_INSPECT_INT32, MAPHEX_INSPECT_UINT32, 4, v);
  check_int_size (MAPHEX_INSPECT_INT64, MAPHEX_INSPECT_UINT64, 8, v);
}

static void
test_integers_both_orders (void)
{
  static const guint64 values[] = {
    0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x12345678,
    0x7fffffff, 0x80000000, 0xffffffff, G_GUINT64_CONSTANT (0x0123456789abcdef),
    G_MAXINT64, (guint64) G_MININT64, G_MAXUINT64, (guint64) -2,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    check_ints (values[i]);
  for (int i = 0; i < 2000; i++)
    check_ints ((guint64) g_test_rand_int () << 32 | (guint32) g_test_rand_int ());
}

static void
test_integers_parse_hex_signs_and_spaces (void)
{
  static const guint8 ff4[] = { 0xff, 0xff, 0xff, 0xff };
  static const guint8 one_le[] = { 0x1f, 0x00 }, one_be[] = { 0x00, 0x1f };
  static const guint8 min64[] = { 0, 0, 0, 0, 0, 0, 0, 0x80 };

  assert_encodes (MAPHEX_INSPECT_INT32, LE, NULL, "-1", ff4, 4);
  assert_encodes (MAPHEX_INSPECT_UINT32, LE, NULL, "0xFFFFFFFF", ff4, 4);
  assert_encodes (MAPHEX_INSPECT_UINT32, LE, NULL, "0Xffffffff", ff4, 4);
  assert_encodes (MAPHEX_INSPECT_INT32, LE, NULL, "-0x1", ff4, 4);
  assert_encodes (MAPHEX_INSPECT_UINT16, LE, NULL, " +31 ", one_le, 2);
  assert_encodes (MAPHEX_INSPECT_UINT16, BE, NULL, "0x1f", one_be, 2);
  assert_encodes (MAPHEX_INSPECT_INT64, LE, NULL, "-0x8000000000000000", min64, 8);
  assert_encodes (MAPHEX_INSPECT_INT64, LE, NULL, "-9223372036854775808", min64, 8);
  assert_encodes (MAPHEX_INSPECT_UINT8, LE, NULL, "-0", "\0", 1);
}

static void
test_integers_refuse_bad_input_and_out_of_range (void)
{
  assert_refused (MAPHEX_INSPECT_INT32, NULL, "12x", MAPHEX_INSPECT_ERROR_INVALID,
                  "“12x” is not a number: type decimal or 0x hex");
  assert_refused (MAPHEX_INSPECT_INT32, NULL, "", MAPHEX_INSPECT_ERROR_INVALID,
                  "Type a number: decimal or 0x hex");
  assert_refused (MAPHEX_INSPECT_INT32, NULL, "   ", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_INT32, NULL, "0x", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_INT32, NULL, "-", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_INT32, NULL, "1 2", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_INT32, NULL, "1.5", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_INT32, NULL, "0x1g", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_INT32, NULL, "--1", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_UINT8, NULL, "256", MAPHEX_INSPECT_ERROR_RANGE,
                  "“256” is out of range for uint8 (0 to 255)");
  assert_refused (MAPHEX_INSPECT_UINT8, NULL, "-1", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_UINT8, NULL, "0x100", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_INT8, NULL, "128", MAPHEX_INSPECT_ERROR_RANGE,
                  "“128” is out of range for int8 (-128 to 127)");
  assert_refused (MAPHEX_INSPECT_INT8, NULL, "-129", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_INT16, NULL, "32768", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_UINT16, NULL, "65536", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_INT32, NULL, "2147483648", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_INT32, NULL, "-2147483649", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_UINT32, NULL, "4294967296", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_INT64, NULL, "9223372036854775808", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_INT64, NULL, "-9223372036854775809", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_UINT64, NULL, "18446744073709551616", MAPHEX_INSPECT_ERROR_RANGE,
                  "“18446744073709551616” is out of range for uint64 (0 to 18446744073709551615)");
  assert_refused (MAPHEX_INSPECT_UINT64, NULL, "0x10000000000000000", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_UINT64, NULL, "99999999999999999999999", MAPHEX_INSPECT_ERROR_RANGE, NULL);
}

/* ---- floats ---- */

/* From Python's struct module ('e', 'f', 'd'): the fewest %g digits that
 * pack back to the same bits, without an exponent from 1e-4 to 1e16. */
static const struct { guint16 bits; const char *text; } half_table[] = {
  { 0x0000, "0" },
  { 0x8000, "-0" },
  { 0x0001, "6e-08" },
  { 0x0002, "1e-07" },
  { 0x03ff, "6.1e-05" },
  { 0x0400, "6.104e-05" },
  { 0x3555, "0.3333" },
  { 0x3bff, "0.9995" },
  { 0x3c00, "1" },
  { 0x3c01, "1.001" },
  { 0x3e00, "1.5" },
  { 0x4000, "2" },
  { 0x4248, "3.14" },
  { 0x57d0, "125" },
  { 0x7bff, "65504" },
  { 0xc000, "-2" },
  { 0xfbff, "-65504" },
  { 0x8001, "-6e-08" },
  { 0x1234, "0.000757" },
  { 0x6543, "1347" },
};

static const struct { guint32 bits; const char *text; } single_table[] = {
  { 0x00000000, "0" },
  { 0x80000000, "-0" },
  { 0x00000001, "1e-45" },
  { 0x007fffff, "1.1754942e-38" },
  { 0x00800000, "1.1754944e-38" },
  { 0x3dcccccd, "0.1" },
  { 0x3f800000, "1" },
  { 0x3fc00000, "1.5" },
  { 0x40490fdb, "3.1415927" },
  { 0x7f7fffff, "3.4028235e+38" },
  { 0xc2f6e979, "-123.456" },
  { 0x4b189680, "10000000" },
  { 0x501502f9, "10000000000" },
};

static const struct { guint64 bits; const char *text; } double_table[] = {
  { G_GUINT64_CONSTANT (0x0000000000000000), "0" },
  { G_GUINT64_CONSTANT (0x8000000000000000), "-0" },
  { G_GUINT64_CONSTANT (0x0000000000000001), "5e-324" },
  { G_GUINT64_CONSTANT (0x0010000000000000), "2.2250738585072014e-308" },
  { G_GUINT64_CONSTANT (0x3fb999999999999a), "0.1" },
  { G_GUINT64_CONSTANT (0x3ff0000000000000), "1" },
  { G_GUINT64_CONSTANT (0x400921fb54442d18), "3.141592653589793" },
  { G_GUINT64_CONSTANT (0x7fefffffffffffff), "1.7976931348623157e+308" },
  { G_GUINT64_CONSTANT (0xc00c000000000000), "-3.5" },
  { G_GUINT64_CONSTANT (0x4341c37937e08000), "1e+16" },
  { G_GUINT64_CONSTANT (0x3fd5555555555555), "0.3333333333333333" },
  { G_GUINT64_CONSTANT (0x7e37e43c8800759c), "1e+300" },
};

static void
check_float_both_orders (MaphexInspectField field,
                         guint64            bits,
                         gsize              size,
                         const char        *text)
{
  guint8 le[8], be[8];
  MaphexInspectBytes at;

  for (gsize i = 0; i < size; i++)
    {
      le[i] = (guint8) (bits >> (8 * i));
      be[size - 1 - i] = le[i];
    }
  at = bytes_in_file (le, size);
  assert_ok (field, LE, &at, (guint) size, text);
  assert_encodes (field, LE, &at, text, le, size);
  at = bytes_in_file (be, size);
  assert_ok (field, BE, &at, (guint) size, text);
  assert_encodes (field, BE, &at, text, be, size);
}

static void
test_floats_decode_shortest_text_both_orders (void)
{
  float f = 0.1f;
  double d = 0.1;
  guint32 f_bits;
  guint64 d_bits;

  for (gsize i = 0; i < G_N_ELEMENTS (half_table); i++)
    check_float_both_orders (MAPHEX_INSPECT_FLOAT16, half_table[i].bits, 2, half_table[i].text);
  for (gsize i = 0; i < G_N_ELEMENTS (single_table); i++)
    check_float_both_orders (MAPHEX_INSPECT_FLOAT32, single_table[i].bits, 4, single_table[i].text);
  for (gsize i = 0; i < G_N_ELEMENTS (double_table); i++)
    check_float_both_orders (MAPHEX_INSPECT_FLOAT64, double_table[i].bits, 8, double_table[i].text);

  /* The tables' bit patterns are the machine's own floats. */
  memcpy (&f_bits, &f, 4);
  memcpy (&d_bits, &d, 8);
  g_assert_cmphex (f_bits, ==, 0x3dcccccd);
  g_assert_cmphex (d_bits, ==, G_GUINT64_CONSTANT (0x3fb999999999999a));
}

/* Whether `text` is taken back to exactly the float of `size` bytes (LE)
 * in `bits`. */
static gboolean
encodes_to (MaphexInspectField field,
            const char        *text,
            guint64            bits,
            gsize              size)
{
  guint8 out[MAPHEX_INSPECT_MAX_BYTES];
  gsize len = 0;

  if (!maphex_inspect_encode (field, LE, NULL, text, out, &len, NULL) || len != size)
    return FALSE;
  for (gsize i = 0; i < size; i++)
    if (out[i] != (guint8) (bits >> (8 * i)))
      return FALSE;
  return TRUE;
}

/* The decoded text of a finite float is the one of the fewest significant
 * digits that parse back, found here one count at a time (printed as the
 * row prints it: positional up to 1e16, so "4112" for the float16 that
 * "4.11e+03" already reads as). Over every float16, every power of two of
 * float32 and float64 (where the values that read as it lie closer below
 * it than above), and random ones. */
static void
check_shortest (MaphexInspectField field,
                guint64            bits,
                gsize              size)
{
  MaphexInspectBytes at = { { 0 }, 0, 0 };
  MaphexInspectRow row = { 0 };
  g_autofree char *expected = NULL;
  double value;
  int prec, exponent;

  for (gsize i = 0; i < size; i++)
    at.data[i] = (guint8) (bits >> (8 * i));
  at.n_available = at.n_readable = size;
  maphex_inspect_decode (field, LE, &at, &row);
  g_assert_cmpint (row.status, ==, MAPHEX_INSPECT_STATUS_OK);
  if (strstr (row.text, "inf") != NULL || strstr (row.text, "nan") != NULL)
    {
      maphex_inspect_row_clear (&row);
      return;
    }
  value = g_ascii_strtod (row.text, NULL);
  for (prec = 1; prec < 17; prec++)
    {
      g_autofree char *text = g_strdup_printf ("%.*g", prec, value);

      if (encodes_to (field, text, bits, size))
        break;
    }
  {
    g_autofree char *sci = g_strdup_printf ("%.*e", prec - 1, value);

    exponent = atoi (strchr (sci, 'e') + 1);
  }
  expected = g_strdup_printf ("%.*g", exponent >= prec && exponent < 16 ? exponent + 1 : prec, value);
  if (strcmp (row.text, expected) != 0 || !encodes_to (field, row.text, bits, size))
    g_error ("%s %" G_GINT64_MODIFIER "x: “%s”, not “%s”", maphex_inspect_field_name (field), bits,
             row.text, expected);
  maphex_inspect_row_clear (&row);
}

static void
test_floats_shortest_everywhere (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (10);

  for (guint64 h = 0; h < 0x10000; h++)
    check_shortest (MAPHEX_INSPECT_FLOAT16, h, 2);
  for (guint64 e = 0; e < 0xff; e++)
    {
      check_shortest (MAPHEX_INSPECT_FLOAT32, e << 23, 4);
      check_shortest (MAPHEX_INSPECT_FLOAT32, (e << 23) | 1, 4);
    }
  for (guint64 e = 0; e < 0x7ff; e++)
    {
      check_shortest (MAPHEX_INSPECT_FLOAT64, e << 52, 8);
      check_shortest (MAPHEX_INSPECT_FLOAT64, (e << 52) | 1, 8);
    }
  for (int i = 0; i < 20000; i++)
    {
      guint64 r = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);

      check_shortest (MAPHEX_INSPECT_FLOAT32, r & 0xffffffff, 4);
      check_shortest (MAPHEX_INSPECT_FLOAT64, r, 8);
    }
}

static void
test_floats_inf_and_nan (void)
{
  /* Infinities. */
  check_float_both_orders (MAPHEX_INSPECT_FLOAT16, 0x7c00, 2, "inf");
  check_float_both_orders (MAPHEX_INSPECT_FLOAT16, 0xfc00, 2, "-inf");
  check_float_both_orders (MAPHEX_INSPECT_FLOAT32, 0x7f800000, 4, "inf");
  check_float_both_orders (MAPHEX_INSPECT_FLOAT32, 0xff800000, 4, "-inf");
  check_float_both_orders (MAPHEX_INSPECT_FLOAT64, G_GUINT64_CONSTANT (0x7ff0000000000000), 8, "inf");
  check_float_both_orders (MAPHEX_INSPECT_FLOAT64, G_GUINT64_CONSTANT (0xfff0000000000000), 8, "-inf");
  /* The quiet NaN with no payload. */
  check_float_both_orders (MAPHEX_INSPECT_FLOAT16, 0x7e00, 2, "nan");
  check_float_both_orders (MAPHEX_INSPECT_FLOAT16, 0xfe00, 2, "-nan");
  check_float_both_orders (MAPHEX_INSPECT_FLOAT32, 0x7fc00000, 4, "nan");
  check_float_both_orders (MAPHEX_INSPECT_FLOAT32, 0xffc00000, 4, "-nan");
  check_float_both_orders (MAPHEX_INSPECT_FLOAT64, G_GUINT64_CONSTANT (0x7ff8000000000000), 8, "nan");
  /* Others show their mantissa bits, signalling ones too. */
  check_float_both_orders (MAPHEX_INSPECT_FLOAT16, 0x7c01, 2, "nan(0x1)");
  check_float_both_orders (MAPHEX_INSPECT_FLOAT32, 0x7f800001, 4, "nan(0x1)");
  check_float_both_orders (MAPHEX_INSPECT_FLOAT32, 0xffc00123, 4, "-nan(0x400123)");
  check_float_both_orders (MAPHEX_INSPECT_FLOAT64, G_GUINT64_CONSTANT (0x7fffffffffffffff), 8,
                           "nan(0xfffffffffffff)");

  {
    static const guint8 snan[] = { 0x01, 0x00, 0x80, 0x7f };
    static const guint8 qnan[] = { 0x00, 0x00, 0xc0, 0x7f };
    static const guint8 inf[] = { 0x00, 0x00, 0x80, 0x7f };
    MaphexInspectBytes at = bytes_of (snan, 4);

    assert_row (MAPHEX_INSPECT_FLOAT32, LE, &at, MAPHEX_INSPECT_STATUS_OK, 4, "nan(0x1)",
                "Signalling NaN");
    at = bytes_of (qnan, 4);
    assert_row (MAPHEX_INSPECT_FLOAT32, LE, &at, MAPHEX_INSPECT_STATUS_OK, 4, "nan", "Quiet NaN");
    assert_encodes (MAPHEX_INSPECT_FLOAT32, LE, NULL, "NaN", qnan, 4);
    assert_encodes (MAPHEX_INSPECT_FLOAT32, LE, NULL, "+nan", qnan, 4);
    assert_encodes (MAPHEX_INSPECT_FLOAT32, LE, NULL, "Infinity", inf, 4);
    assert_encodes (MAPHEX_INSPECT_FLOAT32, LE, NULL, " INF ", inf, 4);
    assert_encodes (MAPHEX_INSPECT_FLOAT32, LE, NULL, "nan(0X1)", snan, 4);
  }
}

static void
test_float16_rounds_to_nearest_even (void)
{
  /* Expected bits from Python: struct.pack('<e', float(text)). */
  static const struct { const char *text; guint16 bits; } cases[] = {
    { "1", 0x3c00 },
    { "1.00048828125", 0x3c00 },     /* halfway between 0x3c00 and 0x3c01: to even */
    { "1.0009765625", 0x3c01 },
    { "1.00146484375", 0x3c02 },     /* halfway between 0x3c01 and 0x3c02: to even */
    { "65504", 0x7bff },
    { "65519", 0x7bff },             /* just below halfway to 65536 */
    { "3e-8", 0x0001 },              /* just above half the smallest subnormal */
    { "6.103515625e-05", 0x0400 },   /* the smallest normal */
    { "6.1e-05", 0x03ff },
    { "0.1", 0x2e66 },
    { "-0.1", 0xae66 },
    { "1e-5", 0x00a8 },
    { "0x1p-24", 0x0001 },
    { "-0", 0x8000 },
    { "2047.4", 0x67ff },            /* steps of 1 from 1024 to 2048 */
    { "2046.5", 0x67fe },            /* halfway: to even */
    { "2047.5", 0x6800 },            /* halfway: to even, in the next binade */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint8 le[2] = { (guint8) cases[i].bits, (guint8) (cases[i].bits >> 8) };
      guint8 be[2] = { le[1], le[0] };

      assert_encodes (MAPHEX_INSPECT_FLOAT16, LE, NULL, cases[i].text, le, 2);
      assert_encodes (MAPHEX_INSPECT_FLOAT16, BE, NULL, cases[i].text, be, 2);
    }
}

static void
test_floats_refuse_bad_input_and_out_of_range (void)
{
  assert_refused (MAPHEX_INSPECT_FLOAT32, NULL, "12x", MAPHEX_INSPECT_ERROR_INVALID,
                  "“12x” is not a number");
  assert_refused (MAPHEX_INSPECT_FLOAT32, NULL, "", MAPHEX_INSPECT_ERROR_INVALID,
                  "Type a number, inf or nan");
  assert_refused (MAPHEX_INSPECT_FLOAT32, NULL, "1.5.2", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_FLOAT32, NULL, "1,5", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_FLOAT32, NULL, "abc", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_FLOAT64, NULL, "infinit", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_FLOAT64, NULL, "nan()", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_FLOAT64, NULL, "nan(12)", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_FLOAT64, NULL, "nan(0xzz)", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_FLOAT16, NULL, "65520", MAPHEX_INSPECT_ERROR_RANGE,
                  "“65520” is out of range for float16 (largest: 65504; type inf for infinity)");
  assert_refused (MAPHEX_INSPECT_FLOAT16, NULL, "-1e6", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_FLOAT32, NULL, "1e39", MAPHEX_INSPECT_ERROR_RANGE,
                  "“1e39” is out of range for float32 (largest: 3.4028235e+38; type inf for infinity)");
  assert_refused (MAPHEX_INSPECT_FLOAT64, NULL, "1e309", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_FLOAT16, NULL, "1e-8", MAPHEX_INSPECT_ERROR_RANGE,
                  "“1e-8” is too close to zero for float16: it would round to 0");
  /* Exactly half the smallest subnormal: ties to even, which is 0. */
  assert_refused (MAPHEX_INSPECT_FLOAT16, NULL, "2.98023223876953125e-8", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_FLOAT32, NULL, "1e-50", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_FLOAT64, NULL, "-1e-400", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_FLOAT16, NULL, "nan(0x400)", MAPHEX_INSPECT_ERROR_RANGE,
                  "“nan(0x400)”: the mantissa of a NaN is 0x1 to 0x3ff here");
  assert_refused (MAPHEX_INSPECT_FLOAT32, NULL, "nan(0x0)", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_FLOAT32, NULL, "nan(0x800000)", MAPHEX_INSPECT_ERROR_RANGE, NULL);
}

/* Every float16 pattern, and many float32 and float64 ones, decode to a
 * text that encodes back to the same bits. */
static void
test_floats_round_trip (void)
{
  for (guint bits = 0; bits <= 0xffff; bits++)
    {
      guint8 le[2] = { (guint8) bits, (guint8) (bits >> 8) };
      MaphexInspectBytes at = bytes_of (le, 2);
      MaphexInspectRow row = { 0 };

      maphex_inspect_decode (MAPHEX_INSPECT_FLOAT16, LE, &at, &row);
      g_assert_cmpint (row.status, ==, MAPHEX_INSPECT_STATUS_OK);
      assert_encodes (MAPHEX_INSPECT_FLOAT16, LE, &at, row.text, le, 2);
      maphex_inspect_row_clear (&row);
    }
  for (int i = 0; i < 20000; i++)
    {
      guint32 b32 = (guint32) g_test_rand_int ();
      guint64 b64 = (guint64) g_test_rand_int () << 32 | (guint32) g_test_rand_int ();
      MaphexInspectBytes at = bytes_of (&b32, 4);
      MaphexInspectRow row = { 0 };

      maphex_inspect_decode (MAPHEX_INSPECT_FLOAT32, LE, &at, &row);
      assert_encodes (MAPHEX_INSPECT_FLOAT32, LE, &at, row.text, at.data, 4);
      b64 = GUINT64_TO_BE (b64);
      at = bytes_of (&b64, 8);
      maphex_inspect_decode (MAPHEX_INSPECT_FLOAT64, BE, &at, &row);
      assert_encodes (MAPHEX_INSPECT_FLOAT64, BE, &at, row.text, at.data, 8);
      maphex_inspect_row_clear (&row);
    }
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_dir_close (dir);
      g_assert_cmpint (rmdir (path), ==, 0);
    }
  else
    g_assert_cmpint (unlink (path), ==, 0);
}

/* A locale whose decimal separator is a comma: the system's, or one built
 * with localedef into `dir` (LOCPATH). NULL when there is none. */
static const char *
set_comma_locale (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "de_DE.UTF-8", NULL);
  const char *argv[] = { "localedef", "-i", "de_DE", "-f", "UTF-8", path, NULL };
  int status = -1;

  if (setlocale (LC_ALL, "de_DE.UTF-8") != NULL)
    return "de_DE.UTF-8";
  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    return NULL;
  g_setenv ("LOCPATH", dir, TRUE);
  return setlocale (LC_ALL, "de_DE.UTF-8");
}

/* The texts do not depend on the locale's decimal separator. */
static void
test_floats_ignore_the_locale (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
  g_autofree char *dir = g_dir_make_tmp ("maphex-locale-XXXXXX", NULL);
  g_autofree char *comma = NULL;
  float f = 1.5f;
  double d = -0.25;
  MaphexInspectBytes at = bytes_of (&f, 4);

  g_assert_nonnull (dir);
  if (set_comma_locale (dir) == NULL)
    {
      g_test_skip ("no locale with a decimal comma (localedef failed)");
      remove_tree (dir);
      return;
    }
  comma = g_strdup_printf ("%g", 1.5);
  g_assert_cmpstr (comma, ==, "1,5");   /* the locale is in force */

  assert_ok (MAPHEX_INSPECT_FLOAT32, LE, &at, 4, "1.5");
  assert_encodes (MAPHEX_INSPECT_FLOAT32, LE, NULL, "1.5", &f, 4);
  at = bytes_of (&d, 8);
  assert_ok (MAPHEX_INSPECT_FLOAT64, LE, &at, 8, "-0.25");
  assert_encodes (MAPHEX_INSPECT_FLOAT64, LE, NULL, "-0.25", &d, 8);
  assert_encodes (MAPHEX_INSPECT_FLOAT16, LE, NULL, "1.5", "\x00\x3e", 2);
  assert_refused (MAPHEX_INSPECT_FLOAT32, NULL, "1,5", MAPHEX_INSPECT_ERROR_INVALID, NULL);

  setlocale (LC_ALL, saved);
  g_unsetenv ("LOCPATH");
  remove_tree (dir);
}

/* ---- binary ---- */

static void
test_binary (void)
{
  for (guint b = 0; b < 256; b++)
    {
      guint8 byte = (guint8) b;
      MaphexInspectBytes at = bytes_of (&byte, 1);
      char digits[9];
      g_autofree char *hex = g_strdup_printf ("0x%02X", b);

      for (int bit = 0; bit < 8; bit++)
        digits[bit] = (b & (0x80u >> bit)) ? '1' : '0';
      digits[8] = '\0';
      assert_row (MAPHEX_INSPECT_BINARY, LE, &at, MAPHEX_INSPECT_STATUS_OK, 1, digits, hex);
      assert_row (MAPHEX_INSPECT_BINARY, BE, &at, MAPHEX_INSPECT_STATUS_OK, 1, digits, hex);
      assert_encodes (MAPHEX_INSPECT_BINARY, LE, &at, digits, &byte, 1);
    }
  assert_encodes (MAPHEX_INSPECT_BINARY, LE, NULL, "101", "\x05", 1);
  assert_encodes (MAPHEX_INSPECT_BINARY, LE, NULL, "0b1", "\x01", 1);
  assert_refused (MAPHEX_INSPECT_BINARY, NULL, "012", MAPHEX_INSPECT_ERROR_INVALID,
                  "“012” is not a byte in binary: type up to 8 digits 0 and 1");
  assert_refused (MAPHEX_INSPECT_BINARY, NULL, "100000000", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_BINARY, NULL, "", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_BINARY, NULL, "0b", MAPHEX_INSPECT_ERROR_INVALID, NULL);
}

/* ---- LEB128 ---- */

typedef struct {
  const char *text;
  guint8      bytes[11];
  gsize       n;
} LebCase;

static void
test_leb128_vectors (void)
{
  /* The DWARF standard's examples, and the ends of the 64-bit range. */
  static const LebCase uleb[] = {
    { "0", { 0x00 }, 1 },
    { "2", { 0x02 }, 1 },
    { "127", { 0x7f }, 1 },
    { "128", { 0x80, 0x01 }, 2 },
    { "129", { 0x81, 0x01 }, 2 },
    { "130", { 0x82, 0x01 }, 2 },
    { "12857", { 0xb9, 0x64 }, 2 },
    { "624485", { 0xe5, 0x8e, 0x26 }, 3 },
    { "18446744073709551615", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 }, 10 },
  };
  static const LebCase sleb[] = {
    { "2", { 0x02 }, 1 },
    { "-2", { 0x7e }, 1 },
    { "127", { 0xff, 0x00 }, 2 },
    { "-127", { 0x81, 0x7f }, 2 },
    { "128", { 0x80, 0x01 }, 2 },
    { "-128", { 0x80, 0x7f }, 2 },
    { "129", { 0x81, 0x01 }, 2 },
    { "-129", { 0xff, 0x7e }, 2 },
    { "-123456", { 0xc0, 0xbb, 0x78 }, 3 },
    { "63", { 0x3f }, 1 },
    { "64", { 0xc0, 0x00 }, 2 },
    { "-64", { 0x40 }, 1 },
    { "-65", { 0xbf, 0x7f }, 2 },
    { "9223372036854775807", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00 }, 10 },
    { "-9223372036854775808", { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f }, 10 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (uleb); i++)
    {
      MaphexInspectBytes at = bytes_in_file (uleb[i].bytes, uleb[i].n);
      g_autofree char *detail = g_strdup_printf (uleb[i].n == 1 ? "%zu byte" : "%zu bytes", uleb[i].n);

      assert_row (MAPHEX_INSPECT_ULEB128, LE, &at, MAPHEX_INSPECT_STATUS_OK, (guint) uleb[i].n,
                  uleb[i].text, detail);
      assert_ok (MAPHEX_INSPECT_ULEB128, BE, &at, (guint) uleb[i].n, uleb[i].text);
      assert_encodes (MAPHEX_INSPECT_ULEB128, LE, NULL, uleb[i].text, uleb[i].bytes, uleb[i].n);
      assert_encodes (MAPHEX_INSPECT_ULEB128, BE, &at, uleb[i].text, uleb[i].bytes, uleb[i].n);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (sleb); i++)
    {
      MaphexInspectBytes at = bytes_in_file (sleb[i].bytes, sleb[i].n);

      assert_ok (MAPHEX_INSPECT_SLEB128, LE, &at, (guint) sleb[i].n, sleb[i].text);
      assert_encodes (MAPHEX_INSPECT_SLEB128, LE, NULL, sleb[i].text, sleb[i].bytes, sleb[i].n);
      assert_encodes (MAPHEX_INSPECT_SLEB128, LE, &at, sleb[i].text, sleb[i].bytes, sleb[i].n);
    }
}

static void
test_leb128_overflow_unterminated_and_padding (void)
{
  static const guint8 u_over[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02 };
  static const guint8 s_over[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 };
  /* Zeros past the 64th bit (and the sign for SLEB128) are only padding. */
  static const guint8 padded_zero[] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 };
  static const guint8 padded_minus1[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f };
  static const guint8 cont2[] = { 0x80, 0x80 };
  guint8 cont16[16];
  MaphexInspectBytes at;

  at = bytes_in_file (u_over, sizeof u_over);
  assert_row (MAPHEX_INSPECT_ULEB128, LE, &at, MAPHEX_INSPECT_STATUS_INVALID, 10,
              "Overflows 64 bits", "10 bytes");
  at = bytes_in_file (s_over, sizeof s_over);
  assert_row (MAPHEX_INSPECT_SLEB128, LE, &at, MAPHEX_INSPECT_STATUS_INVALID, 10,
              "Overflows 64 bits", NULL);
  at = bytes_in_file (padded_zero, sizeof padded_zero);
  assert_ok (MAPHEX_INSPECT_ULEB128, LE, &at, 11, "0");
  assert_ok (MAPHEX_INSPECT_SLEB128, LE, &at, 11, "0");
  at = bytes_in_file (padded_minus1, sizeof padded_minus1);
  assert_ok (MAPHEX_INSPECT_SLEB128, LE, &at, 11, "-1");
  assert_row (MAPHEX_INSPECT_ULEB128, LE, &at, MAPHEX_INSPECT_STATUS_INVALID, 11,
              "Overflows 64 bits", NULL);

  /* The file ends inside it; the 16 bytes end inside it; a fault cuts it. */
  at = bytes_of (cont2, 2);
  assert_row (MAPHEX_INSPECT_ULEB128, LE, &at, MAPHEX_INSPECT_STATUS_SHORT, 2,
              "Unterminated: the file ends after 2 bytes", NULL);
  assert_row (MAPHEX_INSPECT_SLEB128, LE, &at, MAPHEX_INSPECT_STATUS_SHORT, 2,
              "Unterminated: the file ends after 2 bytes", NULL);
  memset (cont16, 0x80, sizeof cont16);
  at = bytes_of (cont16, 16);
  assert_row (MAPHEX_INSPECT_ULEB128, LE, &at, MAPHEX_INSPECT_STATUS_INVALID, 16,
              "Unterminated within 16 bytes", NULL);
  at = bytes_in_file (cont2, 2);
  at.n_readable = 2;
  assert_row (MAPHEX_INSPECT_ULEB128, LE, &at, MAPHEX_INSPECT_STATUS_FAULT, 3, "??", NULL);

  /* Written over a longer LEB128, the value keeps its length. */
  {
    static const guint8 three_zero[] = { 0x80, 0x80, 0x00 };
    static const guint8 five_in_3[] = { 0x85, 0x80, 0x00 };
    static const guint8 big_in_3[] = { 0xac, 0x82, 0x00 };
    static const guint8 minus1_in_3[] = { 0xff, 0xff, 0x7f };
    static const guint8 minus2_in_3[] = { 0xfe, 0xff, 0x7f };
    static const guint8 longer[] = { 0x80, 0x80, 0x80, 0x01 };  /* 2^21 */
    static const guint8 one[] = { 0x01 };

    at = bytes_in_file (three_zero, 3);
    assert_encodes (MAPHEX_INSPECT_ULEB128, LE, &at, "5", five_in_3, 3);
    assert_encodes (MAPHEX_INSPECT_ULEB128, LE, &at, "300", big_in_3, 3);
    assert_encodes (MAPHEX_INSPECT_SLEB128, LE, &at, "5", five_in_3, 3);
    assert_encodes (MAPHEX_INSPECT_SLEB128, LE, &at, "-1", minus1_in_3, 3);
    assert_encodes (MAPHEX_INSPECT_ULEB128, LE, &at, "2097152", longer, 4);
    at = bytes_in_file (minus1_in_3, 3);
    assert_ok (MAPHEX_INSPECT_SLEB128, LE, &at, 3, "-1");
    assert_encodes (MAPHEX_INSPECT_SLEB128, LE, &at, "-2", minus2_in_3, 3);
    /* Over a shorter one, it takes the bytes it needs. */
    at = bytes_in_file (one, 1);
    assert_encodes (MAPHEX_INSPECT_ULEB128, LE, &at, "300", "\xac\x02", 2);
    /* Over bytes that are no LEB128 (unterminated), the shortest form. */
    at = bytes_of (cont16, 16);
    assert_encodes (MAPHEX_INSPECT_ULEB128, LE, &at, "1", one, 1);
  }

  assert_refused (MAPHEX_INSPECT_ULEB128, NULL, "-1", MAPHEX_INSPECT_ERROR_RANGE,
                  "“-1” is out of range for ULEB128 (0 to 18446744073709551615)");
  assert_refused (MAPHEX_INSPECT_SLEB128, NULL, "9223372036854775808", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_SLEB128, NULL, "twelve", MAPHEX_INSPECT_ERROR_INVALID, NULL);
}

/* ---- dates ---- */

static char *
gdatetime_text (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);
  int y, m, d;

  g_assert_nonnull (dt);
  g_date_time_get_ymd (dt, &y, &m, &d);
  return g_strdup_printf ("%04d-%02d-%02d %02d:%02d:%02d UTC", y, m, d,
                          g_date_time_get_hour (dt), g_date_time_get_minute (dt),
                          g_date_time_get_second (dt));
}

static void
check_unix (MaphexInspectField field,
            gint64             t,
            const char        *text)
{
  gsize size = field == MAPHEX_INSPECT_UNIX32 ? 4 : 8;
  guint32 le32 = GUINT32_TO_LE ((guint32) t), be32 = GUINT32_TO_BE ((guint32) t);
  guint64 le64 = GUINT64_TO_LE ((guint64) t), be64 = GUINT64_TO_BE ((guint64) t);
  MaphexInspectBytes le = size == 4 ? bytes_in_file (&le32, 4) : bytes_in_file (&le64, 8);
  MaphexInspectBytes be = size == 4 ? bytes_in_file (&be32, 4) : bytes_in_file (&be64, 8);
  g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, t);

  assert_ok (field, LE, &le, (guint) size, text);
  assert_ok (field, BE, &be, (guint) size, text);
  assert_encodes (field, LE, &le, text, le.data, size);
  assert_encodes (field, BE, &be, text, be.data, size);
  assert_encodes (field, LE, NULL, seconds, le.data, size);
}

static void
test_unix_times (void)
{
  /* 0001-01-01 00:00:00 and 9999-12-31 23:59:59 UTC. */
  const gint64 first = G_GINT64_CONSTANT (-62135596800), last = G_GINT64_CONSTANT (253402300799);
  g_autoptr(GDateTime) march = g_date_time_new_utc (2024, 3, 1, 12, 34, 56);
  gint64 t_march = g_date_time_to_unix (march);
  MaphexInspectBytes at;
  gint64 v;

  check_unix (MAPHEX_INSPECT_UNIX32, 0, "1970-01-01 00:00:00 UTC");
  check_unix (MAPHEX_INSPECT_UNIX32, -1, "1969-12-31 23:59:59 UTC");
  check_unix (MAPHEX_INSPECT_UNIX32, t_march, "2024-03-01 12:34:56 UTC");
  check_unix (MAPHEX_INSPECT_UNIX32, G_MAXINT32, "2038-01-19 03:14:07 UTC");
  check_unix (MAPHEX_INSPECT_UNIX32, G_MININT32, "1901-12-13 20:45:52 UTC");
  check_unix (MAPHEX_INSPECT_UNIX64, t_march, "2024-03-01 12:34:56 UTC");
  check_unix (MAPHEX_INSPECT_UNIX64, first, "0001-01-01 00:00:00 UTC");
  check_unix (MAPHEX_INSPECT_UNIX64, last, "9999-12-31 23:59:59 UTC");
  check_unix (MAPHEX_INSPECT_UNIX64, G_GINT64_CONSTANT (951782400), "2000-02-29 00:00:00 UTC");
  check_unix (MAPHEX_INSPECT_UNIX64, G_GINT64_CONSTANT (-2203891200), "1900-03-01 00:00:00 UTC");

  /* Against GDateTime over the whole range. */
  for (int i = 0; i < 5000; i++)
    {
      gint64 t = (gint64) g_test_rand_double_range ((double) first, (double) last);
      g_autofree char *expected = gdatetime_text (t);

      check_unix (MAPHEX_INSPECT_UNIX64, t, expected);
      if (t >= G_MININT32 && t <= G_MAXINT32)
        check_unix (MAPHEX_INSPECT_UNIX32, t, expected);
    }

  v = GINT64_TO_LE (last + 1);
  at = bytes_of (&v, 8);
  assert_row (MAPHEX_INSPECT_UNIX64, LE, &at, MAPHEX_INSPECT_STATUS_INVALID, 8,
              "Out of range (years 1 to 9999)", "253402300800 seconds");
  v = GINT64_TO_BE (first - 1);
  at = bytes_of (&v, 8);
  assert_row (MAPHEX_INSPECT_UNIX64, BE, &at, MAPHEX_INSPECT_STATUS_INVALID, 8,
              "Out of range (years 1 to 9999)", NULL);
  v = G_MININT64;
  at = bytes_of (&v, 8);
  assert_row (MAPHEX_INSPECT_UNIX64, LE, &at, MAPHEX_INSPECT_STATUS_INVALID, 8,
              "Out of range (years 1 to 9999)", NULL);
}

static void
test_unix_time_input_forms (void)
{
  g_autoptr(GDateTime) march = g_date_time_new_utc (2024, 3, 1, 12, 34, 56);
  g_autoptr(GDateTime) midnight = g_date_time_new_utc (2024, 3, 1, 0, 0, 0);
  g_autoptr(GDateTime) minute = g_date_time_new_utc (2024, 3, 1, 12, 34, 0);
  guint32 t = GUINT32_TO_LE ((guint32) g_date_time_to_unix (march));
  guint32 t0 = GUINT32_TO_LE ((guint32) g_date_time_to_unix (midnight));
  guint32 t1 = GUINT32_TO_LE ((guint32) g_date_time_to_unix (minute));

  assert_encodes (MAPHEX_INSPECT_UNIX32, LE, NULL, "2024-03-01 12:34:56 UTC", &t, 4);
  assert_encodes (MAPHEX_INSPECT_UNIX32, LE, NULL, "2024-03-01T12:34:56Z", &t, 4);
  assert_encodes (MAPHEX_INSPECT_UNIX32, LE, NULL, "2024-03-01 12:34:56", &t, 4);
  assert_encodes (MAPHEX_INSPECT_UNIX32, LE, NULL, " 2024-3-1   12:34:56 utc ", &t, 4);
  assert_encodes (MAPHEX_INSPECT_UNIX32, LE, NULL, "2024-03-01", &t0, 4);
  assert_encodes (MAPHEX_INSPECT_UNIX32, LE, NULL, "2024-03-01 UTC", &t0, 4);
  assert_encodes (MAPHEX_INSPECT_UNIX32, LE, NULL, "2024-03-01 12:34", &t1, 4);

  assert_refused (MAPHEX_INSPECT_UNIX32, NULL, "2038-01-19 03:14:08", MAPHEX_INSPECT_ERROR_RANGE,
                  "“2038-01-19 03:14:08” is out of range for a 32-bit Unix time "
                  "(1901-12-13 20:45:52 UTC to 2038-01-19 03:14:07 UTC)");
  assert_refused (MAPHEX_INSPECT_UNIX32, NULL, "2147483648", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_UNIX32, NULL, "1901-12-13 20:45:51", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_UNIX64, NULL, "2023-02-29", MAPHEX_INSPECT_ERROR_RANGE,
                  "2023-02 has no day 29");
  assert_refused (MAPHEX_INSPECT_UNIX64, NULL, "2024-13-01", MAPHEX_INSPECT_ERROR_RANGE,
                  "There is no month 13");
  assert_refused (MAPHEX_INSPECT_UNIX64, NULL, "2024-00-01", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_UNIX64, NULL, "2024-01-00", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_UNIX64, NULL, "2024-01-01 24:00", MAPHEX_INSPECT_ERROR_RANGE,
                  "There is no hour 24 (0 to 23)");
  assert_refused (MAPHEX_INSPECT_UNIX64, NULL, "2024-01-01 23:60", MAPHEX_INSPECT_ERROR_RANGE,
                  "There is no minute 60 (0 to 59)");
  assert_refused (MAPHEX_INSPECT_UNIX64, NULL, "2024-01-01 23:59:60", MAPHEX_INSPECT_ERROR_RANGE,
                  "There is no second 60 (0 to 59)");
  assert_refused (MAPHEX_INSPECT_UNIX64, NULL, "0000-01-01", MAPHEX_INSPECT_ERROR_RANGE,
                  "Years run from 1 to 9999");
  assert_refused (MAPHEX_INSPECT_UNIX64, NULL, "2024-03-01 12:34:56 CET", MAPHEX_INSPECT_ERROR_INVALID,
                  "“2024-03-01 12:34:56 CET” is not a date: type YYYY-MM-DD HH:MM:SS");
  assert_refused (MAPHEX_INSPECT_UNIX64, NULL, "24-03-01", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_UNIX64, NULL, "2024-03-01T", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_UNIX64, NULL, "2024-03-01 12", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_UNIX64, NULL, "yesterday", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_UNIX64, NULL, "", MAPHEX_INSPECT_ERROR_INVALID, NULL);
}

/* FAT directory entries and ZIP headers store the time (2 bytes), then
 * the date (2 bytes), each little-endian. */
static void
check_dos (guint year, guint month, guint day, guint hour, guint minute, guint second,
           const char *text)
{
  guint16 date = (guint16) ((year - 1980) << 9 | month << 5 | day);
  guint16 time = (guint16) (hour << 11 | minute << 5 | second / 2);
  guint8 fat[4] = { (guint8) time, (guint8) (time >> 8), (guint8) date, (guint8) (date >> 8) };
  guint32 be_word = GUINT32_TO_BE ((guint32) date << 16 | time);
  MaphexInspectBytes at = bytes_in_file (fat, 4);

  assert_ok (MAPHEX_INSPECT_DOS_DATETIME, LE, &at, 4, text);
  assert_encodes (MAPHEX_INSPECT_DOS_DATETIME, LE, &at, text, fat, 4);
  at = bytes_in_file (&be_word, 4);
  assert_ok (MAPHEX_INSPECT_DOS_DATETIME, BE, &at, 4, text);
  assert_encodes (MAPHEX_INSPECT_DOS_DATETIME, BE, &at, text, &be_word, 4);
}

static void
test_dos_date_time (void)
{
  static const guint8 zeros[4] = { 0 };
  static const guint8 feb30[4] = { 0x00, 0x00, 0x5e, 0x58 };    /* 2024-02-30 */
  static const guint8 month13[4] = { 0x00, 0x00, 0xa1, 0x59 };  /* 2024-13-01 */
  static const guint8 second60[4] = { 0x1e, 0x00, 0x21, 0x00 }; /* 1980-01-01 00:00:60 */
  static const guint8 hour24[4] = { 0x00, 0xc0, 0x21, 0x00 };   /* 1980-01-01 24:00:00 */
  static const guint8 fat_sample[4] = { 0x5c, 0x64, 0x61, 0x58 };
  MaphexInspectBytes at;

  check_dos (1980, 1, 1, 0, 0, 0, "1980-01-01 00:00:00");
  check_dos (2024, 3, 1, 12, 34, 56, "2024-03-01 12:34:56");
  check_dos (2107, 12, 31, 23, 59, 58, "2107-12-31 23:59:58");
  check_dos (2000, 2, 29, 1, 2, 4, "2000-02-29 01:02:04");

  /* 0x5861 = 2024-03-01, 0x645c = 12:34:56, as a FAT entry holds them. */
  at = bytes_of (fat_sample, 4);
  assert_ok (MAPHEX_INSPECT_DOS_DATETIME, LE, &at, 4, "2024-03-01 12:34:56");

  at = bytes_of (zeros, 4);
  assert_row (MAPHEX_INSPECT_DOS_DATETIME, LE, &at, MAPHEX_INSPECT_STATUS_INVALID, 4,
              "There is no month 0", NULL);
  at = bytes_of (feb30, 4);
  assert_row (MAPHEX_INSPECT_DOS_DATETIME, LE, &at, MAPHEX_INSPECT_STATUS_INVALID, 4,
              "2024-02 has no day 30", NULL);
  at = bytes_of (month13, 4);
  assert_row (MAPHEX_INSPECT_DOS_DATETIME, LE, &at, MAPHEX_INSPECT_STATUS_INVALID, 4,
              "There is no month 13", NULL);
  at = bytes_of (second60, 4);
  assert_row (MAPHEX_INSPECT_DOS_DATETIME, LE, &at, MAPHEX_INSPECT_STATUS_INVALID, 4,
              "There is no second 60 (0 to 59)", NULL);
  at = bytes_of (hour24, 4);
  assert_row (MAPHEX_INSPECT_DOS_DATETIME, LE, &at, MAPHEX_INSPECT_STATUS_INVALID, 4,
              "There is no hour 24 (0 to 23)", NULL);

  assert_encodes (MAPHEX_INSPECT_DOS_DATETIME, LE, NULL, "1980-01-01", "\x00\x00\x21\x00", 4);
  assert_refused (MAPHEX_INSPECT_DOS_DATETIME, NULL, "1979-12-31 23:59:58", MAPHEX_INSPECT_ERROR_RANGE,
                  "DOS dates run from 1980 to 2107");
  assert_refused (MAPHEX_INSPECT_DOS_DATETIME, NULL, "2108-01-01", MAPHEX_INSPECT_ERROR_RANGE, NULL);
  assert_refused (MAPHEX_INSPECT_DOS_DATETIME, NULL, "2024-01-01 00:00:01", MAPHEX_INSPECT_ERROR_RANGE,
                  "DOS times count seconds in steps of 2: 1 is odd");
  assert_refused (MAPHEX_INSPECT_DOS_DATETIME, NULL, "2024-01-01 00:00:00 UTC",
                  MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_DOS_DATETIME, NULL, "2024-04-31", MAPHEX_INSPECT_ERROR_RANGE,
                  "2024-04 has no day 31");
}

/* ---- GUID ---- */

static void
test_guid_windows_and_rfc_order (void)
{
  /* {00112233-4455-6677-8899-AABBCCDDEEFF} as Windows stores it... */
  static const guint8 windows[16] = { 0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66,
                                      0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
  /* ...and in RFC 4122 (network) order. */
  static const guint8 rfc[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                  0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
  /* IID_IUnknown in a COM type library. */
  static const guint8 iunknown[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46 };
  const char *text = "{00112233-4455-6677-8899-AABBCCDDEEFF}";
  MaphexInspectBytes at;

  at = bytes_of (windows, 16);
  assert_ok (MAPHEX_INSPECT_GUID, LE, &at, 16, text);
  assert_encodes (MAPHEX_INSPECT_GUID, LE, &at, text, windows, 16);
  at = bytes_of (rfc, 16);
  assert_ok (MAPHEX_INSPECT_GUID, BE, &at, 16, text);
  assert_encodes (MAPHEX_INSPECT_GUID, BE, &at, text, rfc, 16);
  at = bytes_of (iunknown, 16);
  assert_ok (MAPHEX_INSPECT_GUID, LE, &at, 16, "{00000000-0000-0000-C000-000000000046}");

  assert_encodes (MAPHEX_INSPECT_GUID, LE, NULL, "00112233-4455-6677-8899-aabbccddeeff", windows, 16);
  assert_encodes (MAPHEX_INSPECT_GUID, LE, NULL, " 00112233445566778899AABBCCDDEEFF ", windows, 16);
  assert_encodes (MAPHEX_INSPECT_GUID, BE, NULL, "{00112233445566778899aabbccddeeff}", rfc, 16);

  assert_refused (MAPHEX_INSPECT_GUID, NULL, "{0011}", MAPHEX_INSPECT_ERROR_INVALID,
                  "“{0011}” is not a GUID: type {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}");
  assert_refused (MAPHEX_INSPECT_GUID, NULL, "{00112233-4455-6677-8899-AABBCCDDEEFF",
                  MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_GUID, NULL, "0011223-34455-6677-8899-AABBCCDDEEFF",
                  MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_GUID, NULL, "{00112233-4455-6677-8899-AABBCCDDEEFG}",
                  MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_GUID, NULL, "", MAPHEX_INSPECT_ERROR_INVALID, NULL);
}

/* ---- characters ---- */

static void
test_utf8 (void)
{
  static const struct { const char *bytes; guint n; const char *text; const char *detail; } ok[] = {
    { "A", 1, "A", "U+0041, 1 byte" },
    { "\xc3\xa9", 2, "é", "U+00E9, 2 bytes" },
    { "\xe2\x82\xac", 3, "€", "U+20AC, 3 bytes" },
    { "\xf0\x9f\x98\x80", 4, "😀", "U+1F600, 4 bytes" },
    { "\xf4\x8f\xbf\xbf", 4, "U+10FFFF", "U+10FFFF, 4 bytes" },  /* a noncharacter */
    { "\n", 1, "LF", NULL },
    { "\0", 1, "NUL", NULL },
    { " ", 1, "SP", NULL },
    { "\x7f", 1, "DEL", NULL },
    { "\xc2\x85", 2, "NEL", "U+0085, 2 bytes" },
    { "\xc2\xa0", 2, "NBSP", NULL },
    { "\xe2\x80\x8b", 3, "U+200B", NULL },   /* zero width space draws nothing */
  };
  static const struct { const char *bytes; gsize n; guint n_bytes; const char *detail; } bad[] = {
    { "\x80", 1, 1, "0x80 continues a character, it cannot start one" },
    { "\xff", 1, 1, "0xFF never occurs in UTF-8" },
    { "\xc0\x80", 2, 1, "0xC0 never occurs in UTF-8" },
    { "\xc3\x41", 2, 1, "Byte 2 (0x41) should continue the character" },
    { "\xe2\x82\x41", 3, 2, "Byte 3 (0x41) should continue the character" },
    { "\xe0\x80\x80", 3, 3, "An overlong encoding of U+0000" },
    { "\xf0\x8f\xbf\xbf", 4, 4, "An overlong encoding of U+FFFF" },
    { "\xed\xa0\x80", 3, 3, "U+D800 is a surrogate, which UTF-8 cannot hold" },
    { "\xf4\x90\x80\x80", 4, 4, "U+110000 is beyond U+10FFFF, the last character" },
  };
  MaphexInspectBytes at;

  for (gsize i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      at = bytes_in_file (ok[i].bytes, ok[i].n);
      assert_row (MAPHEX_INSPECT_UTF8, LE, &at, MAPHEX_INSPECT_STATUS_OK, ok[i].n, ok[i].text, ok[i].detail);
      assert_row (MAPHEX_INSPECT_UTF8, BE, &at, MAPHEX_INSPECT_STATUS_OK, ok[i].n, ok[i].text, ok[i].detail);
      assert_encodes (MAPHEX_INSPECT_UTF8, LE, &at, ok[i].text, ok[i].bytes, ok[i].n);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      at = bytes_in_file (bad[i].bytes, bad[i].n);
      assert_row (MAPHEX_INSPECT_UTF8, LE, &at, MAPHEX_INSPECT_STATUS_INVALID, bad[i].n_bytes,
                  "Invalid UTF-8", bad[i].detail);
    }

  /* Cut by the end of the file, and by a fault. */
  at = bytes_of ("\xe2\x82", 2);
  assert_row (MAPHEX_INSPECT_UTF8, LE, &at, MAPHEX_INSPECT_STATUS_SHORT, 3, "Needs 3 bytes, 2 left", NULL);
  at = bytes_in_file ("\xe2\x82", 2);
  at.n_readable = 2;
  assert_row (MAPHEX_INSPECT_UTF8, LE, &at, MAPHEX_INSPECT_STATUS_FAULT, 3, "??", NULL);

  /* Every code point, through GLib's own encoder. */
  for (gunichar c = 0; c <= 0x10ffff; c += (c < 0x3000 ? 1 : 97))
    {
      char buf[6];
      gint n;
      MaphexInspectRow row = { 0 };

      if (c >= 0xd800 && c <= 0xdfff)
        continue;
      n = g_unichar_to_utf8 (c, buf);
      at = bytes_of (buf, (gsize) n);
      maphex_inspect_decode (MAPHEX_INSPECT_UTF8, LE, &at, &row);
      g_assert_cmpint (row.status, ==, MAPHEX_INSPECT_STATUS_OK);
      g_assert_cmpuint (row.n_bytes, ==, (guint) n);
      assert_encodes (MAPHEX_INSPECT_UTF8, LE, &at, row.text, buf, (gsize) n);
      maphex_inspect_row_clear (&row);
    }

  assert_encodes (MAPHEX_INSPECT_UTF8, LE, NULL, "U+20AC", "\xe2\x82\xac", 3);
  assert_encodes (MAPHEX_INSPECT_UTF8, LE, NULL, "u+e9", "\xc3\xa9", 2);
  assert_encodes (MAPHEX_INSPECT_UTF8, LE, NULL, "lf", "\n", 1);
  assert_encodes (MAPHEX_INSPECT_UTF8, LE, NULL, " ", " ", 1);
  assert_refused (MAPHEX_INSPECT_UTF8, NULL, "AB", MAPHEX_INSPECT_ERROR_INVALID,
                  "“AB” is not one character: type a character, a name such as LF, or U+XXXX");
  assert_refused (MAPHEX_INSPECT_UTF8, NULL, "", MAPHEX_INSPECT_ERROR_INVALID,
                  "Type a character, a name such as LF, or U+XXXX");
  assert_refused (MAPHEX_INSPECT_UTF8, NULL, "U+110000", MAPHEX_INSPECT_ERROR_RANGE,
                  "“U+110000” is beyond U+10FFFF, the last character");
  assert_refused (MAPHEX_INSPECT_UTF8, NULL, "U+D800", MAPHEX_INSPECT_ERROR_RANGE,
                  "U+D800 is a surrogate: it is not a character on its own");
  assert_refused (MAPHEX_INSPECT_UTF8, NULL, "U+", MAPHEX_INSPECT_ERROR_INVALID, NULL);
  assert_refused (MAPHEX_INSPECT_UTF8, NULL, "U+12G", MAPHEX_INSPECT_ERROR_INVALID, NULL);
}

static void
test_utf16 (void)
{
  static const guint8 a_le[] = { 0x41, 0x00 }, a_be[] = { 0x00, 0x41 };
  static const guint8 smile_le[] = { 0x3d, 0xd8, 0x00, 0xde }, smile_be[] = { 0xd8, 0x3d, 0xde, 0x00 };
  static const guint8 high_then_a[] = { 0x00, 0xd8, 0x41, 0x00 };
  static const guint8 low[] = { 0x00, 0xdc };
  static const guint8 high[] = { 0x00, 0xd8, 0x00 };
  static const guint8 nul[] = { 0x00, 0x00 };
  MaphexInspectBytes at;

  at = bytes_in_file (a_le, 2);
  assert_row (MAPHEX_INSPECT_UTF16, LE, &at, MAPHEX_INSPECT_STATUS_OK, 2, "A", "U+0041");
  assert_encodes (MAPHEX_INSPECT_UTF16, LE, &at, "A", a_le, 2);
  at = bytes_in_file (a_be, 2);
  assert_ok (MAPHEX_INSPECT_UTF16, BE, &at, 2, "A");
  assert_encodes (MAPHEX_INSPECT_UTF16, BE, &at, "A", a_be, 2);
  at = bytes_in_file (smile_le, 4);
  assert_row (MAPHEX_INSPECT_UTF16, LE, &at, MAPHEX_INSPECT_STATUS_OK, 4, "😀",
              "U+1F600, surrogate pair D83D DE00");
  assert_encodes (MAPHEX_INSPECT_UTF16, LE, &at, "😀", smile_le, 4);
  at = bytes_in_file (smile_be, 4);
  assert_ok (MAPHEX_INSPECT_UTF16, BE, &at, 4, "😀");
  assert_encodes (MAPHEX_INSPECT_UTF16, BE, &at, "U+1F600", smile_be, 4);
  at = bytes_in_file (nul, 2);
  assert_ok (MAPHEX_INSPECT_UTF16, BE, &at, 2, "NUL");

  at = bytes_in_file (high_then_a, 4);
  assert_row (MAPHEX_INSPECT_UTF16, LE, &at, MAPHEX_INSPECT_STATUS_INVALID, 2,
              "Unpaired high surrogate", "D800, then 0041");
  at = bytes_in_file (low, 2);
  assert_row (MAPHEX_INSPECT_UTF16, LE, &at, MAPHEX_INSPECT_STATUS_INVALID, 2,
              "Unpaired low surrogate", "DC00");
  at = bytes_of (high, 3);
  assert_row (MAPHEX_INSPECT_UTF16, LE, &at, MAPHEX_INSPECT_STATUS_SHORT, 4, "Needs 4 bytes, 3 left", NULL);

  /* Every code unit outside the surrogates round-trips. */
  for (guint u = 0; u <= 0xffff; u++)
    {
      guint16 be = GUINT16_TO_BE ((guint16) u);
      MaphexInspectRow row = { 0 };

      if (u >= 0xd800 && u <= 0xdfff)
        continue;
      at = bytes_of (&be, 2);
      maphex_inspect_decode (MAPHEX_INSPECT_UTF16, BE, &at, &row);
      g_assert_cmpint (row.status, ==, MAPHEX_INSPECT_STATUS_OK);
      assert_encodes (MAPHEX_INSPECT_UTF16, BE, &at, row.text, &be, 2);
      maphex_inspect_row_clear (&row);
    }
  assert_refused (MAPHEX_INSPECT_UTF16, NULL, "U+DFFF", MAPHEX_INSPECT_ERROR_RANGE, NULL);
}

static void
test_latin1 (void)
{
  static const struct { guint8 byte; const char *text; } cases[] = {
    { 0x41, "A" }, { 0xe9, "é" }, { 0xff, "ÿ" }, { 0x0a, "LF" }, { 0x00, "NUL" },
    { 0x1b, "ESC" }, { 0x20, "SP" }, { 0x7f, "DEL" }, { 0x85, "NEL" }, { 0x9f, "APC" },
    { 0xa0, "NBSP" }, { 0xad, "SHY" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      MaphexInspectBytes at = bytes_in_file (&cases[i].byte, 1);
      g_autofree char *detail = g_strdup_printf ("U+%04X", cases[i].byte);

      assert_row (MAPHEX_INSPECT_LATIN1, LE, &at, MAPHEX_INSPECT_STATUS_OK, 1, cases[i].text, detail);
    }
  /* No byte is shown raw when it draws nothing, and each round-trips. */
  for (guint b = 0; b < 256; b++)
    {
      guint8 byte = (guint8) b;
      MaphexInspectBytes at = bytes_of (&byte, 1);
      MaphexInspectRow row = { 0 };

      maphex_inspect_decode (MAPHEX_INSPECT_LATIN1, LE, &at, &row);
      g_assert_true (g_unichar_isgraph (g_utf8_get_char (row.text)));
      assert_encodes (MAPHEX_INSPECT_LATIN1, LE, &at, row.text, &byte, 1);
      maphex_inspect_row_clear (&row);
    }
  assert_encodes (MAPHEX_INSPECT_LATIN1, LE, NULL, "U+00E9", "\xe9", 1);
  assert_encodes (MAPHEX_INSPECT_LATIN1, LE, NULL, "nul", "\0", 1);
  assert_refused (MAPHEX_INSPECT_LATIN1, NULL, "€", MAPHEX_INSPECT_ERROR_RANGE,
                  "U+20AC is not in Latin-1 (U+0000 to U+00FF)");
  assert_refused (MAPHEX_INSPECT_LATIN1, NULL, "LFX", MAPHEX_INSPECT_ERROR_INVALID, NULL);
}

/* ---- the end of the file and faults ---- */

static const guint needs[MAPHEX_INSPECT_N_FIELDS] = {
  [MAPHEX_INSPECT_INT8] = 1, [MAPHEX_INSPECT_UINT8] = 1, [MAPHEX_INSPECT_INT16] = 2,
  [MAPHEX_INSPECT_UINT16] = 2, [MAPHEX_INSPECT_INT32] = 4, [MAPHEX_INSPECT_UINT32] = 4,
  [MAPHEX_INSPECT_INT64] = 8, [MAPHEX_INSPECT_UINT64] = 8, [MAPHEX_INSPECT_FLOAT16] = 2,
  [MAPHEX_INSPECT_FLOAT32] = 4, [MAPHEX_INSPECT_FLOAT64] = 8, [MAPHEX_INSPECT_BINARY] = 1,
  [MAPHEX_INSPECT_ULEB128] = 1, [MAPHEX_INSPECT_SLEB128] = 1, [MAPHEX_INSPECT_UNIX32] = 4,
  [MAPHEX_INSPECT_UNIX64] = 8, [MAPHEX_INSPECT_DOS_DATETIME] = 4, [MAPHEX_INSPECT_GUID] = 16,
  [MAPHEX_INSPECT_UTF8] = 1, [MAPHEX_INSPECT_UTF16] = 2, [MAPHEX_INSPECT_LATIN1] = 1,
};

static void
test_rows_at_the_end_of_the_file (void)
{
  /* "ABC" are the last three bytes. */
  MaphexInspectBytes at = bytes_of ("ABC", 3);

  for (int f = 0; f < MAPHEX_INSPECT_N_FIELDS; f++)
    for (int order = LE; order <= BE; order++)
      {
        MaphexInspectRow row = { 0 };

        maphex_inspect_decode (f, order, &at, &row);
        if (needs[f] <= 3)
          g_assert_cmpint (row.status, ==, MAPHEX_INSPECT_STATUS_OK);
        else
          {
            g_autofree char *expected = g_strdup_printf ("Needs %u bytes, 3 left", needs[f]);

            g_assert_cmpint (row.status, ==, MAPHEX_INSPECT_STATUS_SHORT);
            g_assert_cmpstr (row.text, ==, expected);
            g_assert_cmpuint (row.n_bytes, ==, needs[f]);
          }
        maphex_inspect_row_clear (&row);
      }
  assert_ok (MAPHEX_INSPECT_UINT16, BE, &at, 2, "16706");
  /* The LEB128 ends within it ('A' < 0x80). */
  assert_ok (MAPHEX_INSPECT_ULEB128, LE, &at, 1, "65");

  at = bytes_of ("A", 1);
  assert_row (MAPHEX_INSPECT_INT16, LE, &at, MAPHEX_INSPECT_STATUS_SHORT, 2, "Needs 2 bytes, 1 left", NULL);

  /* The cursor at the end itself. */
  at = bytes_of ("", 0);
  for (int f = 0; f < MAPHEX_INSPECT_N_FIELDS; f++)
    assert_row (f, LE, &at, MAPHEX_INSPECT_STATUS_SHORT, needs[f], "End of file", NULL);
}

static void
test_rows_over_a_fault (void)
{
  /* 16 bytes in the document, only the first 3 readable. */
  MaphexInspectBytes at = bytes_in_file ("ABC", 3);

  at.n_readable = 3;
  for (int f = 0; f < MAPHEX_INSPECT_N_FIELDS; f++)
    {
      MaphexInspectRow row = { 0 };

      maphex_inspect_decode (f, BE, &at, &row);
      if (needs[f] <= 3)
        g_assert_cmpint (row.status, ==, MAPHEX_INSPECT_STATUS_OK);
      else
        {
          g_assert_cmpint (row.status, ==, MAPHEX_INSPECT_STATUS_FAULT);
          g_assert_cmpstr (row.text, ==, "??");
          g_assert_cmpstr (row.detail, ==, "Cannot be read: the file shrank under the document");
          g_assert_cmpuint (row.n_bytes, ==, needs[f]);
        }
      maphex_inspect_row_clear (&row);
    }

  /* Nothing readable: every row. A fault also beats the end of the file. */
  at.n_readable = 0;
  for (int f = 0; f < MAPHEX_INSPECT_N_FIELDS; f++)
    assert_row (f, LE, &at, MAPHEX_INSPECT_STATUS_FAULT, needs[f], "??", NULL);
  at.n_available = 2;
  assert_row (MAPHEX_INSPECT_INT32, LE, &at, MAPHEX_INSPECT_STATUS_FAULT, 4, "??", NULL);
}

static void
test_encode_refuses_what_runs_past_the_end (void)
{
  MaphexInspectBytes at = bytes_of ("ABC", 3);

  assert_refused (MAPHEX_INSPECT_INT32, &at, "-1", MAPHEX_INSPECT_ERROR_NO_ROOM,
                  "Needs 4 bytes, 3 left");
  assert_refused (MAPHEX_INSPECT_GUID, &at, "{00112233-4455-6677-8899-AABBCCDDEEFF}",
                  MAPHEX_INSPECT_ERROR_NO_ROOM, "Needs 16 bytes, 3 left");
  assert_encodes (MAPHEX_INSPECT_INT16, LE, &at, "-1", "\xff\xff", 2);
  at = bytes_of ("A", 1);
  assert_refused (MAPHEX_INSPECT_UTF8, &at, "é", MAPHEX_INSPECT_ERROR_NO_ROOM, "Needs 2 bytes, 1 left");
  assert_refused (MAPHEX_INSPECT_ULEB128, &at, "300", MAPHEX_INSPECT_ERROR_NO_ROOM, NULL);
  assert_encodes (MAPHEX_INSPECT_UTF8, LE, &at, "e", "e", 1);
  at = bytes_of ("", 0);
  assert_refused (MAPHEX_INSPECT_UINT8, &at, "1", MAPHEX_INSPECT_ERROR_NO_ROOM,
                  "The cursor is at the end of the file: there is nothing to write over");
  /* Bad text is named first, whatever the room. */
  assert_refused (MAPHEX_INSPECT_UINT8, &at, "x", MAPHEX_INSPECT_ERROR_INVALID, NULL);
}

/* Random bytes: every row that decodes encodes back to exactly its bytes,
 * in both orders. */
static void
test_every_row_round_trips (void)
{
  for (int i = 0; i < 3000; i++)
    {
      MaphexInspectBytes at = { { 0 }, MAPHEX_INSPECT_MAX_BYTES, MAPHEX_INSPECT_MAX_BYTES };

      for (gsize b = 0; b < sizeof at.data; b++)
        at.data[b] = (guint8) g_test_rand_int_range (0, 256);
      /* Some ASCII, so that the character rows decode too. */
      if (i % 3 == 0)
        at.data[0] &= 0x7f;
      /* Short LEB128 values now and then. */
      if (i % 5 == 0)
        at.data[g_test_rand_int_range (0, 4)] &= 0x7f;

      for (int f = 0; f < MAPHEX_INSPECT_N_FIELDS; f++)
        for (int order = LE; order <= BE; order++)
          {
            MaphexInspectRow row = { 0 };

            maphex_inspect_decode (f, order, &at, &row);
            g_assert_nonnull (row.text);
            if (row.status == MAPHEX_INSPECT_STATUS_OK)
              assert_encodes (f, order, &at, row.text, at.data, row.n_bytes);
            else
              g_assert_cmpint (row.status, ==, MAPHEX_INSPECT_STATUS_INVALID);
            maphex_inspect_row_clear (&row);
          }
    }
}

static void
test_field_names_and_hints (void)
{
  g_assert_cmpstr (maphex_inspect_field_name (MAPHEX_INSPECT_INT32), ==, "int32");
  g_assert_cmpstr (maphex_inspect_field_name (MAPHEX_INSPECT_GUID), ==, "GUID");
  for (int f = 0; f < MAPHEX_INSPECT_N_FIELDS; f++)
    {
      g_assert_cmpstr (maphex_inspect_field_name (f), !=, "");
      g_assert_cmpstr (maphex_inspect_field_hint (f), !=, "");
    }
  g_assert_true (G_TYPE_IS_ENUM (MAPHEX_TYPE_BYTE_ORDER));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/inspect/integers/both-orders", test_integers_both_orders);
  g_test_add_func ("/inspect/integers/hex-signs-spaces", test_integers_parse_hex_signs_and_spaces);
  g_test_add_func ("/inspect/integers/bad-input", test_integers_refuse_bad_input_and_out_of_range);
  g_test_add_func ("/inspect/floats/shortest-text", test_floats_decode_shortest_text_both_orders);
  g_test_add_func ("/inspect/floats/shortest-everywhere", test_floats_shortest_everywhere);
  g_test_add_func ("/inspect/floats/inf-nan", test_floats_inf_and_nan);
  g_test_add_func ("/inspect/floats/float16-rounding", test_float16_rounds_to_nearest_even);
  g_test_add_func ("/inspect/floats/bad-input", test_floats_refuse_bad_input_and_out_of_range);
  g_test_add_func ("/inspect/floats/round-trip", test_floats_round_trip);
  g_test_add_func ("/inspect/floats/locale", test_floats_ignore_the_locale);
  g_test_add_func ("/inspect/binary", test_binary);
  g_test_add_func ("/inspect/leb128/vectors", test_leb128_vectors);
  g_test_add_func ("/inspect/leb128/overflow-unterminated-padding", test_leb128_overflow_unterminated_and_padding);
  g_test_add_func ("/inspect/time/unix", test_unix_times);
  g_test_add_func ("/inspect/time/unix-input", test_unix_time_input_forms);
  g_test_add_func ("/inspect/time/dos", test_dos_date_time);
  g_test_add_func ("/inspect/guid", test_guid_windows_and_rfc_order);
  g_test_add_func ("/inspect/chars/utf8", test_utf8);
  g_test_add_func ("/inspect/chars/utf16", test_utf16);
  g_test_add_func ("/inspect/chars/latin1", test_latin1);
  g_test_add_func ("/inspect/end-of-file", test_rows_at_the_end_of_the_file);
  g_test_add_func ("/inspect/fault", test_rows_over_a_fault);
  g_test_add_func ("/inspect/encode/no-room", test_encode_refuses_what_runs_past_the_end);
  g_test_add_func ("/inspect/round-trip", test_every_row_round_trips);
  g_test_add_func ("/inspect/names", test_field_names_and_hints);

  return g_test_run ();
}
