/* maphex-glyph-text.c: see maphex-glyph-text.h. Owns the table and the
 * glyph strings made from it; not where or when a text is drawn. */
#include "maphex-glyph-text.h"

#include <string.h>

#define FIRST 0x20
#define LAST  0x7e

struct _MaphexGlyphText
{
  PangoFont  *font;                       /* every glyph's */
  PangoGlyph  glyph[LAST - FIRST + 1];    /* 0: none (another font, or unknown) */
  int         width[LAST - FIRST + 1];    /* advance, Pango units */
  int         baseline;                   /* Pango units from the line's top */
  PangoGlyphString *gs;                   /* reused for each node */
};

MaphexGlyphText *
maphex_glyph_text_new (PangoLayout *layout)
{
  MaphexGlyphText *table = g_new0 (MaphexGlyphText, 1);

  g_return_val_if_fail (PANGO_IS_LAYOUT (layout), NULL);

  table->gs = pango_glyph_string_new ();
  for (int c = FIRST; c <= LAST; c++)
    {
      char s[2] = { (char) c, '\0' };
      PangoLayoutLine *line;
      PangoGlyphItem *run;
      PangoFont *font;

      pango_layout_set_text (layout, s, 1);
      line = pango_layout_get_line_readonly (layout, 0);
      if (line == NULL || line->runs == NULL || line->runs->next != NULL)
        continue;
      run = line->runs->data;
      font = run->item->analysis.font;
      if (run->glyphs->num_glyphs != 1 ||
          (run->glyphs->glyphs[0].glyph & PANGO_GLYPH_UNKNOWN_FLAG) ||
          run->glyphs->glyphs[0].glyph == PANGO_GLYPH_EMPTY ||
          run->glyphs->glyphs[0].geometry.x_offset != 0 ||
          run->glyphs->glyphs[0].geometry.y_offset != 0)
        continue;
      if (table->font == NULL)
        table->font = g_object_ref (font);
      else if (font != table->font)
        continue;   /* a fallback font: laid out by the caller */
      table->glyph[c - FIRST] = run->glyphs->glyphs[0].glyph;
      table->width[c - FIRST] = run->glyphs->glyphs[0].geometry.width;
    }
  pango_layout_set_text (layout, "0", 1);
  table->baseline = pango_layout_get_baseline (layout);
  return table;
}

void
maphex_glyph_text_free (MaphexGlyphText *table)
{
  if (table == NULL)
    return;
  g_clear_object (&table->font);
  pango_glyph_string_free (table->gs);
  g_free (table);
}

GskRenderNode *
maphex_glyph_text_node (MaphexGlyphText *table,
                        const char      *text,
                        int              x,
                        int              y,
                        int              max_width,
                        const GdkRGBA   *color)
{
  int n = (int) strlen (text);
  int width = 0;
  GskRenderNode *node;

  g_return_val_if_fail (table != NULL, NULL);

  if (n == 0)
    return gsk_container_node_new (NULL, 0);
  if (table->font == NULL)
    return NULL;
  pango_glyph_string_set_size (table->gs, n);
  for (int i = 0; i < n; i++)
    {
      guchar c = (guchar) text[i];
      PangoGlyphInfo *info = &table->gs->glyphs[i];

      if (c < FIRST || c > LAST || table->glyph[c - FIRST] == 0)
        return NULL;
      info->glyph = table->glyph[c - FIRST];
      info->geometry.width = table->width[c - FIRST];
      info->geometry.x_offset = 0;
      info->geometry.y_offset = 0;
      info->attr.is_cluster_start = 1;
      info->attr.is_color = 0;
      table->gs->log_clusters[i] = i;
      width += info->geometry.width;
    }
  if (width > max_width * PANGO_SCALE)
    return NULL;
  node = gsk_text_node_new (table->font, table->gs, color,
                            &GRAPHENE_POINT_INIT (x, y + (float) table->baseline / PANGO_SCALE));
  /* Only blanks (spaces) draw nothing. */
  return node != NULL ? node : gsk_container_node_new (NULL, 0);
}
