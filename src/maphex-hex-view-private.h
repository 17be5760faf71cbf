/* maphex-hex-view-private.h: internals of MaphexHexView shared with its tests
 * and benchmarks. The key controller and the pointer gestures call these
 * functions, so a test that calls them exercises the same path as a user. */
#pragma once

#include "maphex-hex-view.h"

G_BEGIN_DECLS

/* What a key press does (the key controller's handler). TRUE if handled. */
gboolean  _maphex_hex_view_handle_key        (MaphexHexView   *self,
                                              guint            keyval,
                                              GdkModifierType  state);

/* Pointer: a primary-button press at (x, y) in widget coordinates (extend:
 * Shift held), then the pointer dragged to (x, y). */
void      _maphex_hex_view_press             (MaphexHexView *self, double x, double y,
                                              gboolean extend);
void      _maphex_hex_view_drag_to           (MaphexHexView *self, double x, double y);

/* The cell of byte `offset` in `column` (widget coordinates); FALSE if the
 * byte's row is not on screen. */
gboolean  _maphex_hex_view_get_cell_rect     (MaphexHexView       *self,
                                              gint64               offset,
                                              MaphexHexViewColumn  column,
                                              graphene_rect_t     *rect);

/* The selection as "DE AD BE EF" (NULL with an error if it is empty or too large). */
char     *_maphex_hex_view_dup_selection_hex (MaphexHexView *self, GError **error);
/* Pastes over the selection (same length) or over the bytes at the cursor. */
gboolean  _maphex_hex_view_paste_bytes       (MaphexHexView *self, const guint8 *data,
                                              gsize len, GError **error);
/* Hex text if it parses as hex, else the text's own bytes. */
gboolean  _maphex_hex_view_paste_text        (MaphexHexView *self, const char *text,
                                              GError **error);

guint     _maphex_hex_view_get_offset_digits (MaphexHexView *self);
/* Rows that fit entirely in the view (at least 1). */
int       _maphex_hex_view_get_visible_rows  (MaphexHexView *self);
/* The nibble the hex cursor is on: 0 high, 1 low. */
guint     _maphex_hex_view_get_nibble        (MaphexHexView *self);
/* One full frame of the view, as GTK's snapshot() builds it. */
void      _maphex_hex_view_snapshot_frame    (MaphexHexView *self, GtkSnapshot *snapshot);

/* Largest selection the copy actions accept. */
#define MAPHEX_HEX_VIEW_MAX_COPY (16 * 1024 * 1024)

G_END_DECLS
