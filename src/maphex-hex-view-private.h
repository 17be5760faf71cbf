/* maphex-hex-view-private.h: internals of MaphexHexView, shared by the files
 * that implement it (maphex-hex-view*.c, one concern each) and with its tests
 * and benchmarks. Nothing outside those includes it.
 *
 * The key controller and the pointer gestures call the functions in "for
 * tests" below, so a test that calls them exercises the same path as a user. */
#pragma once

#include "maphex-hex-view.h"

G_BEGIN_DECLS

/* ---- the instance, shared by the files that implement the view -------- */

/* Bytes in a row now (self->row_length): needs `self` in scope. */
#define BPR (self->row_length)
#define MAX_BPR MAPHEX_HEX_VIEW_MAX_BYTES_PER_ROW
#define PAD_X 6
/* Blank cells between the hex column's last digit and the text column. */
#define GAP_CELLS 2

struct _MaphexHexView
{
  GtkWidget parent_instance;

  MaphexDocument *document;
  MaphexExport   *export_;
  gint64          length;

  GtkWidget      *scrollbar;
  GtkAdjustment  *vadj;
  /* The adjustment changed since size_allocate() last placed the scrollbar:
   * its slider waits for the next layout, and snapshotting it before that
   * makes GTK warn (GtkGizmo without a current allocation). */
  gboolean        scrollbar_stale;
  gboolean        allocating;
  GtkWidget      *context_menu;   /* GtkPopoverMenu: right click, Menu, Shift+F10 */
  gint64          top_row;
  int             visible_rows;   /* rows that fit entirely */
  double          scroll_accum;

  gint64          cursor;
  gint64          anchor;         /* selection = [min(anchor, cursor), max(...)) */
  guint           nibble;
  MaphexHexViewColumn column;
  gboolean        typing_run;     /* the next set_byte may merge with the last */
  gboolean        editing;        /* inside our own edit call: its bytes-changed is ours */
  gint64          first_change;   /* first offset changed during that call, or -1 */

  gint64          drag_byte;      /* byte under the press that started a drag */
  gboolean        dragging;
  double          drag_x, drag_y; /* the pointer, during a drag */
  guint           autoscroll_id;  /* tick callback while the pointer is past an edge */
  gint64          autoscroll_time;
  double          autoscroll_accum;

  /* What is shown (properties). */
  guint           bytes_per_row;  /* 0: as many groups as fit the width */
  guint           row_length;     /* bytes in a row now: bytes_per_row, or what fits */
  guint           group_size;
  MaphexOffsetFormat offset_format;
  const char     *hex_digits;     /* _maphex_hex_view_hex_upper or _lower */
  gboolean        show_text;
  MaphexCharset encoding;
  char           *font_name;      /* NULL: the system's monospace font */
  /* The cell of each byte of a row in the hex column, from hex_x;
   * hex_cell[row_length] is where the column's blank tail ends. */
  guint           hex_cell[MAX_BPR + 1];

  /* Font and glyph table. */
  PangoFontDescription *font_desc;
  PangoContext   *font_context;   /* unowned: only compared */
  guint           font_serial;    /* the context's serial when the table was built */
  PangoFont      *font;
  PangoGlyph      glyphs[128];    /* ASCII 0x20..0x7e; others = placeholder */
  PangoGlyph      placeholder;
  int             glyph_width[128];
  /* The text column: each byte's glyph in a single-byte encoding; in UTF-8
   * the ASCII ones, the rest shaped once per character into utf8_glyphs. */
  PangoGlyph      text_glyphs[256];
  int             text_glyph_width[256];
  MaphexCharset text_glyphs_encoding;
  GHashTable     *utf8_glyphs;    /* gunichar -> glyph << 32 | width (Pango units) */
  PangoLayout    *shape_layout;   /* in the view's font, for shaping those */
  int             placeholder_width;
  int             cell;           /* cell width, Pango units (whole pixels) */
  int             row_height;     /* pixels */
  int             ascent;         /* pixels */
  guint           offset_digits;

  /* Per-frame cache. */
  PangoGlyphString *gs;
  guint8         *frame;          /* frame_rows rows of row_length bytes */
  gboolean       *frame_ok;
  gsize           frame_rows;
  gsize           frame_size;     /* bytes allocated in frame */
};

/* Owned by maphex-hex-view.c (class_init fills them). */
enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_CURSOR,
  PROP_COLUMN,
  PROP_TOP_ROW,
  PROP_SELECTION_START,
  PROP_SELECTION_END,
  PROP_BYTES_PER_ROW,
  PROP_GROUP_SIZE,
  PROP_OFFSET_FORMAT,
  PROP_UPPERCASE,
  PROP_SHOW_TEXT,
  PROP_ENCODING,
  PROP_FONT,
  N_PROPS
};
extern GParamSpec *_maphex_hex_view_properties[N_PROPS];

enum {
  SELECTION_CHANGED,
  EDIT_FAILED,
  N_SIGNALS
};
extern guint _maphex_hex_view_signals[N_SIGNALS];

/* ---- shared between the view's files --------------------------------- */

/* The GObject, the document and the actions (maphex-hex-view.c). */
/* Enables the view.* actions for the document, selection and history. */
void      _maphex_hex_view_update_actions    (MaphexHexView *self);
void      _maphex_hex_view_emit_edit_failed  (MaphexHexView *self, const GError *error);
/* From the export the view holds, else from the document. */
gboolean  _maphex_hex_view_read_bytes        (MaphexHexView *self, gint64 offset, guint8 *dst,
                                              gsize n, GError **error);

/* Layout (maphex-hex-view-layout.c). Geometry, in widget pixels. */
double    _maphex_hex_view_cell_px           (MaphexHexView *self);
/* x of the hex column's first cell, and of the text column's. */
double    _maphex_hex_view_hex_x             (MaphexHexView *self);
double    _maphex_hex_view_text_x            (MaphexHexView *self);
/* The cell of byte i of a row in the hex column, counted from hex_x. */
guint     _maphex_hex_view_hex_cell_of_byte  (MaphexHexView *self, guint i);
/* After bytes per row, group size, text column or offsets changed: the cell
 * table, the row length (fit: from `width`, or the widget's when -1), the
 * top row kept on the same bytes, and a resize. */
void      _maphex_hex_view_relayout          (MaphexHexView *self, int width);
/* Rows, with one past the last full one so the cursor at `length` has a row. */
gint64    _maphex_hex_view_n_rows            (MaphexHexView *self);
/* The width left of the scrollbar. */
int       _maphex_hex_view_content_width     (MaphexHexView *self);
/* Builds the glyph table and the metrics again when the font has changed. */
void      _maphex_hex_view_ensure_font       (MaphexHexView *self);
void      _maphex_hex_view_invalidate_font   (MaphexHexView *self);
/* The glyph of character `c` in the view's font (shaped on first use), or
 * the placeholder's when the font has none. */
void      _maphex_hex_view_char_glyph        (MaphexHexView *self, gunichar c,
                                              PangoGlyph *glyph, int *width);
/* Digits of the offset column for a file of `length` bytes (at least 8). */
guint     _maphex_hex_view_digits_for_length (gint64 length, MaphexOffsetFormat format);
gint64    _maphex_hex_view_clamp64           (gint64 v, gint64 lo, gint64 hi);

/* The scrollbar and its adjustment (from init). */
void      _maphex_hex_view_init_scrollbar    (MaphexHexView *self);
void      _maphex_hex_view_update_adjustment (MaphexHexView *self);
/* Scrolls to `row` (clamped), notifying top-row. */
void      _maphex_hex_view_set_top_row       (MaphexHexView *self, gint64 row);
void      _maphex_hex_view_scroll_row_into_view (MaphexHexView *self, gint64 row);
/* Shows rows [first, last] in the middle of the view unless all are on screen. */
void      _maphex_hex_view_centre_rows_in_view  (MaphexHexView *self, gint64 first, gint64 last);
/* The byte at (x, y), the column it is in and the nibble (hex column). */
gint64    _maphex_hex_view_hit_test          (MaphexHexView *self, double x, double y,
                                              MaphexHexViewColumn *column, guint *nibble);
/* GtkWidget::measure and ::size_allocate. */
void      _maphex_hex_view_measure           (GtkWidget *widget, GtkOrientation orientation,
                                              int for_size, int *minimum, int *natural,
                                              int *minimum_baseline, int *natural_baseline);
void      _maphex_hex_view_size_allocate     (GtkWidget *widget, int width, int height,
                                              int baseline);

/* Cursor, selection, clipboard (maphex-hex-view-selection.c). */
/* After the cursor or the anchor moved: notify, emit selection-changed, redraw. */
/* Tells assistive technologies the cursor's offset, byte and selection. */
void      _maphex_hex_view_update_accessible (MaphexHexView *self);
void      _maphex_hex_view_selection_moved   (MaphexHexView *self, gint64 old_cursor,
                                              gint64 old_anchor);
/* Moves the cursor without ending a typing run (typing advances with this). */
void      _maphex_hex_view_move_cursor_internal (MaphexHexView *self, gint64 offset,
                                                 gboolean extend, gboolean scroll);
/* The actions view.copy-hex, view.copy-raw, view.paste and view.select-all. */
void      _maphex_hex_view_copy_hex_action   (GtkWidget *widget, const char *name, GVariant *param);
void      _maphex_hex_view_copy_raw_action   (GtkWidget *widget, const char *name, GVariant *param);
void      _maphex_hex_view_paste_action      (GtkWidget *widget, const char *name, GVariant *param);
void      _maphex_hex_view_select_all_action (GtkWidget *widget, const char *name, GVariant *param);

/* Input (maphex-hex-view-input.c). */
/* The event controllers and the context menu (from init). */
void      _maphex_hex_view_init_input        (MaphexHexView *self);
void      _maphex_hex_view_stop_autoscroll   (MaphexHexView *self);
/* The action view.context-menu (Menu, Shift+F10). */
void      _maphex_hex_view_context_menu_action (GtkWidget *widget, const char *name,
                                                GVariant *param);

/* Drawing (maphex-hex-view-draw.c). */
extern const char _maphex_hex_view_hex_upper[];   /* "0123456789ABCDEF" */
extern const char _maphex_hex_view_hex_lower[];   /* "0123456789abcdef" */

/* Text encodings (maphex-hex-view-encoding.c). */
/* The character byte `b` shows in a single-byte encoding (ASCII, Latin-1,
 * EBCDIC; UTF-8 as ASCII), or 0 when it shows the placeholder (controls,
 * bytes outside the encoding). */
gunichar  _maphex_hex_view_encoding_char     (MaphexCharset encoding, guint8 b);
/* The bytes character `c` is in `encoding` (UTF-8 beyond ASCII in ASCII);
 * 0 when the encoding has no byte for it. */
int       _maphex_hex_view_encoding_bytes    (MaphexCharset encoding, gunichar c, guint8 out[6]);
const char *_maphex_hex_view_encoding_name   (MaphexCharset encoding);
/* GtkWidget::snapshot. */
void      _maphex_hex_view_snapshot          (GtkWidget *widget, GtkSnapshot *snapshot);

/* Bookmarks (maphex-hex-view-marks.c). */
void      _maphex_hex_view_init_marks        (MaphexHexView *self);
/* Follows the new document's marks (`old`: the one shown before, nullable). */
void      _maphex_hex_view_marks_document_changed (MaphexHexView *self, MaphexDocument *old);
/* Tints the marked bytes among the `n` of the row at `row_start`. */
void      _maphex_hex_view_draw_marks        (MaphexHexView *self, GtkSnapshot *snapshot,
                                              gint64 row_start, guint n, double y);
/* The tooltip over (x, y): the mark's name and note, or NULL. For tests too. */
char     *_maphex_hex_view_mark_tooltip      (MaphexHexView *self, double x, double y);

/* ---- for tests (and used inside the view) ---------------------------- */

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
