/* maphex-inspect-private.h: what the data inspector's files share
 * (maphex-inspect.c, maphex-inspect-number.c, maphex-inspect-text.c). */
#pragma once

#include "maphex-inspect.h"

G_BEGIN_DECLS

/* maphex-inspect.c */
void _maphex_inspect_set_row (MaphexInspectRow *row, MaphexInspectStatus status,
                              gsize n_bytes, char *text, char *detail);
void _maphex_inspect_set_short (MaphexInspectRow *row, const MaphexInspectBytes *at,
                                gsize need);
void _maphex_inspect_set_fault (MaphexInspectRow *row, gsize need);
gboolean _maphex_inspect_have_bytes (const MaphexInspectBytes *at, gsize need,
                                     MaphexInspectRow *row);
guint64 _maphex_inspect_load_uint (const guint8 *p, gsize size, MaphexByteOrder order);
void _maphex_inspect_store_uint (guint8 *p, gsize size, guint64 v, MaphexByteOrder order);
gint64 _maphex_inspect_sign_extend (guint64 v, gsize size);
gboolean _maphex_inspect_scan_integer (const char *text, gboolean *negative,
                                       guint64 *magnitude, gboolean *overflow);
gboolean _maphex_inspect_parse_integer (const char *text, gint64 min, guint64 max,
                                        const char *what, guint64 *bits, GError **error);

/* maphex-inspect-number.c */
void _maphex_inspect_decode_float (MaphexInspectField field, MaphexByteOrder order,
                                   const MaphexInspectBytes *at, MaphexInspectRow *row);
gboolean _maphex_inspect_encode_float (MaphexInspectField field, MaphexByteOrder order,
                                       const MaphexInspectBytes *at, const char *text,
                                       guint8 *out, gsize *len, GError **error);
void _maphex_inspect_decode_binary (MaphexInspectField field, MaphexByteOrder order,
                                    const MaphexInspectBytes *at, MaphexInspectRow *row);
gboolean _maphex_inspect_encode_binary (MaphexInspectField field, MaphexByteOrder order,
                                        const MaphexInspectBytes *at, const char *text,
                                        guint8 *out, gsize *len, GError **error);
char *_maphex_inspect_n_bytes_text (gsize n);
void _maphex_inspect_decode_leb (MaphexInspectField field, MaphexByteOrder order,
                                 const MaphexInspectBytes *at, MaphexInspectRow *row);
gboolean _maphex_inspect_encode_leb (MaphexInspectField field, MaphexByteOrder order,
                                     const MaphexInspectBytes *at, const char *text,
                                     guint8 *out, gsize *len, GError **error);

/* maphex-inspect-text.c */
void _maphex_inspect_decode_unix (MaphexInspectField field, MaphexByteOrder order,
                                  const MaphexInspectBytes *at, MaphexInspectRow *row);
gboolean _maphex_inspect_encode_unix (MaphexInspectField field, MaphexByteOrder order,
                                      const MaphexInspectBytes *at, const char *text,
                                      guint8 *out, gsize *len, GError **error);
void _maphex_inspect_decode_dos (MaphexInspectField field, MaphexByteOrder order,
                                 const MaphexInspectBytes *at, MaphexInspectRow *row);
gboolean _maphex_inspect_encode_dos (MaphexInspectField field, MaphexByteOrder order,
                                     const MaphexInspectBytes *at, const char *text,
                                     guint8 *out, gsize *len, GError **error);
void _maphex_inspect_decode_guid (MaphexInspectField field, MaphexByteOrder order,
                                  const MaphexInspectBytes *at, MaphexInspectRow *row);
gboolean _maphex_inspect_encode_guid (MaphexInspectField field, MaphexByteOrder order,
                                      const MaphexInspectBytes *at, const char *text,
                                      guint8 *out, gsize *len, GError **error);
void _maphex_inspect_decode_utf8 (MaphexInspectField field, MaphexByteOrder order,
                                  const MaphexInspectBytes *at, MaphexInspectRow *row);
void _maphex_inspect_decode_utf16 (MaphexInspectField field, MaphexByteOrder order,
                                   const MaphexInspectBytes *at, MaphexInspectRow *row);
void _maphex_inspect_decode_latin1 (MaphexInspectField field, MaphexByteOrder order,
                                    const MaphexInspectBytes *at, MaphexInspectRow *row);
gboolean _maphex_inspect_encode_char (MaphexInspectField field, MaphexByteOrder order,
                                      const MaphexInspectBytes *at, const char *text,
                                      guint8 *out, gsize *len, GError **error);

G_END_DECLS
