/* maphex-glyph-text.h: short ASCII texts drawn without shaping (issue 10:
 * the inspector's values on every cursor move).
 *
 * A table holds the glyph and advance of every printable ASCII character
 * in one font, shaped once; a text is then a GskTextNode filled by table
 * lookup, as the hex view draws its rows. Only for texts a table can draw
 * as Pango would: ASCII in a font without kerning between those characters
 * (a monospace font); anything else is the caller's to lay out. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _MaphexGlyphText MaphexGlyphText;

/* The table for `layout`'s font (its text is changed). */
MaphexGlyphText *maphex_glyph_text_new  (PangoLayout     *layout);
void             maphex_glyph_text_free (MaphexGlyphText *table);

/* `text` as a node with its top-left at (x, y), or NULL when the table
 * cannot draw it: a character it has no glyph for, or wider than
 * `max_width` pixels (the caller's layout would ellipsize it). An empty
 * text is an empty node. */
GskRenderNode   *maphex_glyph_text_node (MaphexGlyphText *table,
                                         const char      *text,
                                         int              x,
                                         int              y,
                                         int              max_width,
                                         const GdkRGBA   *color);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MaphexGlyphText, maphex_glyph_text_free)

G_END_DECLS
