/* maphex-inspect.h: the data inspector's decoders and encoders.
 *
 * Pure functions over the (at most 16) bytes at the cursor: no document, no
 * GTK. The inspector widget reads the bytes, decodes one row per field, and
 * writes what an edited row encodes to.
 *
 * Byte order. The chosen order applies to every multi-byte number (the
 * integers, the floats, the Unix times, the DOS date/time read as one 32-bit
 * word), to UTF-16 code units and to the GUID: little-endian reads a GUID
 * the way Windows writes it (the first three fields little-endian, the last
 * eight bytes as they are), big-endian reads it in RFC 4122 order (all
 * fields big-endian). ULEB128, SLEB128, UTF-8, int8, uint8, the binary digits
 * and Latin-1 are the same in both orders.
 *
 * Text. A row that decodes (MAPHEX_INSPECT_STATUS_OK) has a text that
 * maphex_inspect_encode() takes back to the same bytes (numbers use '.' as
 * the decimal point in every locale). Input rules per field:
 *  - integers: decimal or 0x hex, with an optional sign, within the type's
 *    range ("-1" for uint8 and "128" for int8 are refused);
 *  - floats: a decimal or hex float, "inf", "-inf", "nan" (the quiet NaN
 *    with no payload), "-nan", or "nan(0xM)" (M: the exact mantissa bits,
 *    which lets every NaN, signalling ones included, round-trip). A finite
 *    number too large for the type is refused rather than turned into
 *    infinity, and one so small it would round to zero is refused rather
 *    than turned into 0 (type 0 for zero); others round to nearest, ties to
 *    even (float16: from the nearest double, which can differ from a direct
 *    rounding only for inputs of 17 or more significant digits);
 *  - binary: one to eight digits 0 and 1, optionally after "0b";
 *  - ULEB128 / SLEB128: an integer as above (64 bits); written in as few
 *    bytes as it needs, or padded (with continuation bytes) to the length
 *    of the LEB128 already at the cursor when that is longer, so that the
 *    bytes after it stay where they are;
 *  - Unix times (signed seconds since 1970-01-01 00:00:00 UTC):
 *    "YYYY-MM-DD[ HH:MM[:SS]]" with ' ' or 'T' between, an optional " UTC"
 *    or "Z", or a whole number of seconds; 32-bit ones from
 *    1901-12-13 20:45:52 to 2038-01-19 03:14:07 UTC; dates from year 1 to
 *    9999;
 *  - DOS date/time (local time, no zone; the 32-bit word holds the date in
 *    its high 16 bits and the time in its low 16, as FAT and ZIP store it,
 *    time first, in little-endian order): "YYYY-MM-DD[ HH:MM[:SS]]", years
 *    1980 to 2107, an even number of seconds (the format counts in steps of
 *    two);
 *  - GUID: 32 hex digits, 8-4-4-4-12 with hyphens or without, in braces or
 *    not, any case; shown as {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX} in
 *    upper case;
 *  - UTF-8, UTF-16, Latin-1: one character, its name when it is a control
 *    character or a space ("NUL", "LF", "DEL", "NEL", "SP", "NBSP", "SHY":
 *    how they are shown), or "U+XXXX" (how other characters that draw
 *    nothing are shown). Latin-1 takes U+0000..U+00FF only.
 *
 * Errors are MAPHEX_INSPECT_ERROR with a message meant to be shown as it is:
 * a sentence with a capital first letter.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define MAPHEX_INSPECT_MAX_BYTES 16

typedef enum {
  MAPHEX_BYTE_ORDER_LITTLE,
  MAPHEX_BYTE_ORDER_BIG,
} MaphexByteOrder;

GType maphex_byte_order_get_type (void) G_GNUC_CONST;
#define MAPHEX_TYPE_BYTE_ORDER (maphex_byte_order_get_type ())

/* The rows, in the order the inspector shows them. */
typedef enum {
  MAPHEX_INSPECT_INT8,
  MAPHEX_INSPECT_UINT8,
  MAPHEX_INSPECT_INT16,
  MAPHEX_INSPECT_UINT16,
  MAPHEX_INSPECT_INT32,
  MAPHEX_INSPECT_UINT32,
  MAPHEX_INSPECT_INT64,
  MAPHEX_INSPECT_UINT64,
  MAPHEX_INSPECT_FLOAT16,
  MAPHEX_INSPECT_FLOAT32,
  MAPHEX_INSPECT_FLOAT64,
  MAPHEX_INSPECT_BINARY,
  MAPHEX_INSPECT_ULEB128,
  MAPHEX_INSPECT_SLEB128,
  MAPHEX_INSPECT_UNIX32,
  MAPHEX_INSPECT_UNIX64,
  MAPHEX_INSPECT_DOS_DATETIME,
  MAPHEX_INSPECT_GUID,
  MAPHEX_INSPECT_UTF8,
  MAPHEX_INSPECT_UTF16,
  MAPHEX_INSPECT_LATIN1,
  MAPHEX_INSPECT_N_FIELDS
} MaphexInspectField;

typedef enum {
  MAPHEX_INSPECT_ERROR_INVALID,   /* the text does not parse */
  MAPHEX_INSPECT_ERROR_RANGE,     /* it parses, but the field cannot hold it */
  MAPHEX_INSPECT_ERROR_NO_ROOM,   /* the encoding runs past the end of the document */
} MaphexInspectError;

#define MAPHEX_INSPECT_ERROR (maphex_inspect_error_quark ())
GQuark maphex_inspect_error_quark (void);

/* The bytes at the cursor. data[0 .. n_readable) hold what could be read;
 * n_readable < n_available when reading faulted (another program shrank the
 * file: what lies past its new end cannot be read, and a fault always cuts
 * the bytes at some point, never leaves a hole). */
typedef struct {
  guint8 data[MAPHEX_INSPECT_MAX_BYTES];
  gsize  n_available;   /* bytes before the end of the document, at most 16 */
  gsize  n_readable;    /* how many of them were read, <= n_available */
} MaphexInspectBytes;

typedef enum {
  MAPHEX_INSPECT_STATUS_OK,       /* text is the value (encode takes it back) */
  MAPHEX_INSPECT_STATUS_INVALID,  /* the bytes hold no value of this kind; text says why */
  MAPHEX_INSPECT_STATUS_SHORT,    /* the document ends first: "Needs 8 bytes, 3 left" */
  MAPHEX_INSPECT_STATUS_FAULT,    /* the bytes could not be read: text is "??" */
} MaphexInspectStatus;

typedef struct {
  MaphexInspectStatus status;
  guint               n_bytes;  /* bytes the value spans (OK, INVALID) or needs (SHORT, FAULT) */
  char               *text;     /* never NULL after decoding */
  char               *detail;   /* more about it ("U+00E9, 2 bytes", why FAULT), or NULL */
} MaphexInspectRow;

/* The row's name ("int32", "UTF-8", ...), translated. */
const char *maphex_inspect_field_name (MaphexInspectField field);
/* What the row takes as input, for a tooltip, translated. */
const char *maphex_inspect_field_hint (MaphexInspectField field);

/* Decodes `field` from `at` into `row` (whose strings the caller frees with
 * maphex_inspect_row_clear()). */
void     maphex_inspect_decode    (MaphexInspectField        field,
                                   MaphexByteOrder           order,
                                   const MaphexInspectBytes *at,
                                   MaphexInspectRow         *row);
void     maphex_inspect_row_clear (MaphexInspectRow *row);

/* Encodes `text` for `field` into out[0 .. *out_len). `at` (nullable) is
 * what lies at the cursor now: the encoding must fit in its n_available
 * bytes (NO_ROOM otherwise), and a LEB128 there sets the length to pad to.
 * On error nothing is written to `out` or `out_len`. */
gboolean maphex_inspect_encode    (MaphexInspectField        field,
                                   MaphexByteOrder           order,
                                   const MaphexInspectBytes *at,
                                   const char               *text,
                                   guint8                    out[MAPHEX_INSPECT_MAX_BYTES],
                                   gsize                    *out_len,
                                   GError                  **error);

G_END_DECLS
