/* maphex-glyph-text.h: short texts drawn without shaping (issue 10: the
 * inspector's values and details on every cursor move).
 *
 * A table holds the glyph and advance of every printable ASCII character
 * in one font, shaped once; a text is then a GskTextNode filled by table
 * lookup, as the hex view draws its rows. It draws what Pango would for
 * ASCII in a layout made plain (maphex_glyph_text_make_plain: no kerning,
 * no ligatures, so that a text's glyphs are its characters' glyphs side by
 * side); a text too wide for its place loses its last characters to an
 * ellipsis, as with PANGO_ELLIPSIZE_END (where the cut falls may differ
 * from Pango's by a character: its ellipsis is sized to the line). A text
 * of one other character (the inspector's
 * UTF-8, UTF-16 and Latin-1 rows) is drawn with the glyph of the font Pango
 * takes for it, on the table's baseline, or as the box Pango draws when no
 * font has it (whatever its script: which fonts have what is asked once
 * per table). Anything else (several characters beyond ASCII, marks,
 * scripts whose letters change shape, colour glyphs) is the caller's to
 * lay out. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _MaphexGlyphText MaphexGlyphText;

/* Turns kerning and ligatures off in `layout`: what a table draws. */
void             maphex_glyph_text_make_plain (PangoLayout *layout);

/* The table for `layout`'s font (its text is changed). */
MaphexGlyphText *maphex_glyph_text_new  (PangoLayout     *layout);
void             maphex_glyph_text_free (MaphexGlyphText *table);

/* `text` as a node with its top-left at (x, y), cut to `max_width`
 * pixels, or NULL when the table cannot draw it (a character it has no
 * glyph for, no room for even one character and the ellipsis). An empty
 * text is an empty node. */
GskRenderNode   *maphex_glyph_text_node (MaphexGlyphText *table,
                                         const char      *text,
                                         int              x,
                                         int              y,
                                         int              max_width,
                                         const GdkRGBA   *color);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MaphexGlyphText, maphex_glyph_text_free)

G_END_DECLS
