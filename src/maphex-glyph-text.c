/* maphex-glyph-text.c: see maphex-glyph-text.h. Owns the table and the
 * glyph strings made from it; not where or when a text is drawn. */
#include "maphex-glyph-text.h"

#include <hb-ot.h>
#include <pango/pangofc-font.h>
#include <string.h>

#define FIRST 0x20
#define LAST  0x7e
#define MAX_CACHED 4096   /* single characters beyond ASCII kept */
/* What a table draws without: kerning and ligatures, in the layouts
 * (Pango's font features) and in a character shaped alone (HarfBuzz's,
 * parsed from the same text as Pango parses it). */
#define PLAIN_FEATURES "kern 0, liga 0, clig 0, calt 0"
#define N_PLAIN_FEATURES 4

typedef struct {
  PangoFont  *font;     /* NULL: not drawn by the table */
  PangoGlyph  glyph;
  int         width;    /* Pango units */
} Glyph;

/* What Pango takes characters beyond ASCII from, in one language: that
 * of the context, or for a script it does not write, the script's own
 * (Pango's itemizer derives it so: Han in an English context is drawn
 * and shaped as Chinese). */
typedef struct {
  PangoLanguage *language;
  hb_language_t  hb_language;
  PangoFontset  *fontset;
  gboolean       covered_asked;
  FcCharSet     *covered;    /* what some font of it has, or NULL: it cannot tell */
  PangoFont     *box_font;   /* where Pango draws the others' boxes, or NULL */
} Langset;

static void
langset_clear (gpointer data)
{
  Langset *set = data;

  g_clear_object (&set->fontset);
  g_clear_pointer (&set->covered, FcCharSetDestroy);
  g_clear_object (&set->box_font);
}

struct _MaphexGlyphText
{
  PangoFont  *font;                       /* every ASCII glyph's */
  PangoGlyph  glyph[LAST - FIRST + 1];    /* 0: none (another font, or unknown) */
  int         width[LAST - FIRST + 1];    /* advance, Pango units */
  PangoGlyph  ellipsis;                   /* "…" in `font`, or 0 */
  int         ellipsis_width;
  int         baseline;                   /* Pango units from the line's top */
  PangoContext *context;                  /* where Pango finds other characters: */
  PangoFontDescription *desc;             /* the fontsets of this font */
  GArray     *langsets;                   /* of Langset, one per language asked */
  gboolean    round;                      /* advances in whole pixels, as Pango's */
  hb_buffer_t *buffer;                    /* reused to shape a character alone */
  hb_feature_t features[N_PLAIN_FEATURES];
  GHashTable *others;                     /* code point -> Glyph */
  PangoGlyphString *gs;                   /* reused for each node */
};

void
maphex_glyph_text_make_plain (PangoLayout *layout)
{
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_font_features_new (PLAIN_FEATURES));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
}

/* The one glyph `s` is laid out as in `layout`, if it is one glyph of
 * `font` (or of any font while *font is NULL, which it then becomes). */
static gboolean
shape_one (PangoLayout *layout,
           const char  *s,
           PangoFont  **font,
           PangoGlyph  *glyph,
           int         *width)
{
  PangoLayoutLine *line;
  PangoGlyphItem *run;
  PangoGlyphInfo *info;

  pango_layout_set_text (layout, s, -1);
  line = pango_layout_get_line_readonly (layout, 0);
  if (line == NULL || line->runs == NULL || line->runs->next != NULL)
    return FALSE;
  run = line->runs->data;
  info = &run->glyphs->glyphs[0];
  if (run->glyphs->num_glyphs != 1 ||
      (info->glyph & PANGO_GLYPH_UNKNOWN_FLAG) ||
      info->glyph == PANGO_GLYPH_EMPTY ||
      info->geometry.x_offset != 0 ||
      info->geometry.y_offset != 0)
    return FALSE;
  if (*font == NULL)
    *font = g_object_ref (run->item->analysis.font);
  else if (run->item->analysis.font != *font)
    return FALSE;   /* a fallback font: laid out by the caller */
  *glyph = info->glyph;
  *width = info->geometry.width;
  return TRUE;
}

static void
glyph_free (gpointer data)
{
  Glyph *g = data;

  g_clear_object (&g->font);
  g_free (g);
}

MaphexGlyphText *
maphex_glyph_text_new (PangoLayout *layout)
{
  MaphexGlyphText *table;
  PangoContext *context;

  g_return_val_if_fail (PANGO_IS_LAYOUT (layout), NULL);

  table = g_new0 (MaphexGlyphText, 1);
  table->gs = pango_glyph_string_new ();
  table->others = g_hash_table_new_full (NULL, NULL, NULL, glyph_free);
  for (int c = FIRST; c <= LAST; c++)
    {
      char s[2] = { (char) c, '\0' };

      if (!shape_one (layout, s, &table->font, &table->glyph[c - FIRST], &table->width[c - FIRST]))
        table->glyph[c - FIRST] = 0;
    }
  if (table->font == NULL || !shape_one (layout, "\xe2\x80\xa6", &table->font, &table->ellipsis, &table->ellipsis_width))
    table->ellipsis = 0;

  context = pango_layout_get_context (layout);
  table->context = g_object_ref (context);
  table->desc = pango_font_description_copy (pango_context_get_font_description (context));
  if (pango_layout_get_font_description (layout) != NULL)
    pango_font_description_merge (table->desc, pango_layout_get_font_description (layout), TRUE);
  table->langsets = g_array_new (FALSE, TRUE, sizeof (Langset));
  g_array_set_clear_func (table->langsets, langset_clear);
  table->round = pango_context_get_round_glyph_positions (context);
  table->buffer = hb_buffer_create ();
  {
    g_auto(GStrv) features = g_strsplit (PLAIN_FEATURES, ",", -1);

    g_assert (g_strv_length (features) == N_PLAIN_FEATURES);
    for (int i = 0; i < N_PLAIN_FEATURES; i++)
      if (!hb_feature_from_string (features[i], -1, &table->features[i]))
        g_assert_not_reached ();
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
  g_array_unref (table->langsets);
  pango_font_description_free (table->desc);
  g_clear_object (&table->context);
  hb_buffer_destroy (table->buffer);
  g_hash_table_unref (table->others);
  pango_glyph_string_free (table->gs);
  g_free (table);
}

/* Scripts whose letters HarfBuzz draws alone as their font's plain glyph
 * (no contextual forms to pick, no marks to place). */
static gboolean
plain_script (GUnicodeScript script)
{
  switch (script)
    {
    case G_UNICODE_SCRIPT_COMMON:
    case G_UNICODE_SCRIPT_LATIN:
    case G_UNICODE_SCRIPT_GREEK:
    case G_UNICODE_SCRIPT_CYRILLIC:
    case G_UNICODE_SCRIPT_ARMENIAN:
    case G_UNICODE_SCRIPT_GEORGIAN:
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
    case G_UNICODE_SCRIPT_BOPOMOFO:
    case G_UNICODE_SCRIPT_HANGUL:
    case G_UNICODE_SCRIPT_YI:
    case G_UNICODE_SCRIPT_CHEROKEE:
    case G_UNICODE_SCRIPT_CANADIAN_ABORIGINAL:
    case G_UNICODE_SCRIPT_ETHIOPIC:
      return TRUE;
    default:
      return FALSE;
    }
}

/* The one glyph HarfBuzz shapes `wc` alone into in `hb`, as Pango asks it
 * (the character's script and direction, the language Pango derives for
 * it, kerning and ligatures off), and its advance; FALSE when it is not
 * one glyph in place (a font may split a letter into a base and a mark). */
static gboolean
shape_alone (MaphexGlyphText *table,
             const Langset   *set,
             hb_font_t       *hb,
             gunichar         wc,
             hb_codepoint_t  *glyph,
             int             *width)
{
  hb_buffer_t *buffer = table->buffer;
  hb_glyph_info_t *info;
  hb_glyph_position_t *pos;
  unsigned int n;

  hb_buffer_reset (buffer);
  hb_buffer_add_utf32 (buffer, &wc, 1, 0, 1);
  hb_buffer_set_script (buffer, hb_script_from_iso15924_tag (g_unicode_script_to_iso15924 (g_unichar_get_script (wc))));
  hb_buffer_set_direction (buffer, HB_DIRECTION_LTR);
  hb_buffer_set_language (buffer, set->hb_language);
  hb_buffer_set_flags (buffer, HB_BUFFER_FLAG_BOT | HB_BUFFER_FLAG_EOT);
  hb_shape (hb, buffer, table->features, N_PLAIN_FEATURES);
  info = hb_buffer_get_glyph_infos (buffer, &n);
  pos = hb_buffer_get_glyph_positions (buffer, NULL);
  if (n != 1 || info[0].codepoint == 0 || pos[0].x_offset != 0 || pos[0].y_offset != 0)
    return FALSE;
  *glyph = info[0].codepoint;
  *width = pos[0].x_advance;
  return TRUE;
}

/* Characters Pango draws otherwise than as one glyph of the font it takes
 * for them, even alone: code points it leaves invisible (unassigned but
 * default-ignorable), ones HarfBuzz's shapers split (Thai and Lao AM,
 * U+2027), and the blocks where emoji are, which it may draw in another
 * font (an emoji font first). */
static gboolean
pango_draws_otherwise (gunichar wc)
{
  return wc == 0x2065 || (wc >= 0xfff0 && wc <= 0xfff8) ||
         wc == 0x0e33 || wc == 0x0eb3 || wc == 0x2027 ||
         (wc >= 0x2300 && wc <= 0x23ff) || (wc >= 0x25a0 && wc <= 0x27bf) || (wc >= 0x2b00 && wc <= 0x2bff);
}

/* Whether `font` has `wc`, or the pieces it decomposes into, one step at
 * a time (a Hangul LVT syllable into its LV syllable and T jamo, and so
 * on): for a character the font lacks, whether HarfBuzz draws it as those
 * pieces. */
static gboolean
has_or_pieces (PangoFont *font,
               gunichar   wc)
{
  gunichar a, b;

  if (pango_font_has_char (font, wc))
    return TRUE;
  return g_unichar_decompose (wc, &a, &b) && has_or_pieces (font, a) &&
         (b == 0 || pango_font_has_char (font, b));
}

static gboolean
add_charset (PangoFontset *fontset,
             PangoFont    *font,
             gpointer      data)
{
  FcCharSet **covered = data;
  FcPattern *pattern = PANGO_IS_FC_FONT (font) ? pango_fc_font_get_pattern (PANGO_FC_FONT (font)) : NULL;
  FcCharSet *charset;

  if (pattern == NULL || FcPatternGetCharSet (pattern, FC_CHARSET, 0, &charset) != FcResultMatch)
    {
      /* A font whose characters are unknown: every character is asked of
       * the fontset. */
      g_clear_pointer (covered, FcCharSetDestroy);
      return TRUE;
    }
  FcCharSetMerge (*covered, charset, NULL);
  return FALSE;
}

/* Whether some font of the fontset may have `wc` (what Pango asks of each
 * font in turn, in pango_fontset_get_font), from the union of their
 * character sets made once: a character no font has then costs no walk
 * through them. */
static gboolean
maybe_covered (Langset  *set,
               gunichar  wc)
{
  if (!set->covered_asked)
    {
      set->covered_asked = TRUE;
      set->covered = FcCharSetCreate ();
      pango_fontset_foreach (set->fontset, add_charset, &set->covered);
    }
  return set->covered == NULL || FcCharSetHasChar (set->covered, wc);
}

/* The fonts and language Pango takes `wc` from alone: the context's
 * language when it writes the character's script (any language writes
 * the common characters), else the script's sample language, else "xx",
 * a tag no font claims. Loaded the first time. */
static Langset *
langset_for (MaphexGlyphText *table,
             gunichar         wc)
{
  PangoLanguage *language = pango_context_get_language (table->context);
  PangoScript script = (PangoScript) g_unichar_get_script (wc);
  Langset *set;

  if (language == NULL || !pango_language_includes_script (language, script))
    {
      language = pango_script_get_sample_language (script);
      if (language == NULL)
        language = pango_language_from_string ("xx");
    }
  for (guint i = 0; i < table->langsets->len; i++)
    {
      set = &g_array_index (table->langsets, Langset, i);
      if (set->language == language)
        return set->fontset != NULL ? set : NULL;
    }
  g_array_set_size (table->langsets, table->langsets->len + 1);
  set = &g_array_index (table->langsets, Langset, table->langsets->len - 1);
  set->language = language;
  set->hb_language = hb_language_from_string (pango_language_to_string (language), -1);
  set->fontset = pango_context_load_fontset (table->context, table->desc, language);
  return set->fontset != NULL ? set : NULL;
}

/* The glyph Pango would draw `wc` with alone, looked up once: in the first
 * font of its language's fontset that has it (as Pango's itemizer takes),
 * shaped alone, or its box in the font Pango draws boxes with. */
static const Glyph *
other_glyph (MaphexGlyphText *table,
             gunichar         wc)
{
  Glyph *g = g_hash_table_lookup (table->others, GUINT_TO_POINTER (wc));
  hb_codepoint_t glyph = 0;
  hb_font_t *hb;
  hb_face_t *face;
  PangoRectangle logical;
  GUnicodeType type;
  gboolean unassigned, covered;
  Langset *set;

  if (g != NULL)
    return g->font != NULL ? g : NULL;
  if (g_hash_table_size (table->others) >= MAX_CACHED)
    g_hash_table_remove_all (table->others);
  g = g_new0 (Glyph, 1);
  g_hash_table_insert (table->others, GUINT_TO_POINTER (wc), g);

  type = g_unichar_type (wc);
  unassigned = type == G_UNICODE_UNASSIGNED || type == G_UNICODE_PRIVATE_USE;
  if (wc > 0xffff || pango_draws_otherwise (wc) ||
      (!unassigned && (!g_unichar_isgraph (wc) || g_unichar_ismark (wc) || g_unichar_iszerowidth (wc) ||
                       (wc >= 0xfe00 && wc <= 0xfe0f))) ||
      (set = langset_for (table, wc)) == NULL)
    return NULL;
  /* A character some font has is drawn here when its script draws a
   * letter alone as its plain glyph; one no font has is a box whatever
   * its script (nothing to shape), unless it falls apart into pieces the
   * box's font has. */
  covered = maybe_covered (set, wc);
  if (covered && !unassigned && !plain_script (g_unichar_get_script (wc)))
    return NULL;
  if (!covered)
    {
      /* No font has it: Pango draws its code in a box, in the font it
       * falls back to for such characters (the fontset's first, the same
       * for every one that does not decompose). */
      gunichar a, b;

      if (g_unichar_decompose (wc, &a, &b))
        /* One that decomposes (a Hangul syllable) may be taken from a
         * font that has its pieces: asked of the fontset as Pango does. */
        g->font = pango_fontset_get_font (set->fontset, wc);
      else
        {
          if (set->box_font == NULL)
            set->box_font = pango_fontset_get_font (set->fontset, wc);
          g->font = set->box_font != NULL ? g_object_ref (set->box_font) : NULL;
        }
      if (g->font == NULL || has_or_pieces (g->font, wc))   /* it lacks wc: its pieces */
        {
          g_clear_object (&g->font);
          return NULL;
        }
      glyph = PANGO_GET_UNKNOWN_GLYPH (wc);
    }
  else
    {
      g->font = pango_fontset_get_font (set->fontset, wc);
      if (g->font == NULL)
        return NULL;
      hb = pango_font_get_hb_font (g->font);
      face = hb_font_get_face (hb);
      if (!pango_font_has_char (g->font, wc))
        glyph = PANGO_GET_UNKNOWN_GLYPH (wc);
      else if (unassigned ||
               hb_ot_color_has_layers (face) || hb_ot_color_has_png (face) || hb_ot_color_has_svg (face) ||
               !shape_alone (table, set, hb, wc, &glyph, &g->width))
        {
          /* A colour glyph, a font's own private one, or more than one
           * glyph: Pango's. */
          g_clear_object (&g->font);
          return NULL;
        }
    }
  if (glyph & PANGO_GLYPH_UNKNOWN_FLAG)
    {
      pango_font_get_glyph_extents (g->font, glyph, NULL, &logical);
      g->width = logical.width;
    }
  g->glyph = glyph;
  if (table->round)
    g->width = PANGO_UNITS_ROUND (g->width);
  return g;
}

static void
put (PangoGlyphString *gs,
     int               i,
     PangoGlyph        glyph,
     int               width)
{
  PangoGlyphInfo *info = &gs->glyphs[i];

  info->glyph = glyph;
  info->geometry.width = width;
  info->geometry.x_offset = 0;
  info->geometry.y_offset = 0;
  info->attr.is_cluster_start = 1;
  info->attr.is_color = 0;
  gs->log_clusters[i] = i;
}

static GskRenderNode *
node_of (MaphexGlyphText *table,
         PangoFont       *font,
         int              x,
         int              y,
         const GdkRGBA   *color)
{
  GskRenderNode *node = gsk_text_node_new (font, table->gs, color,
                                           &GRAPHENE_POINT_INIT (x, y + (float) table->baseline / PANGO_SCALE));

  /* Only blanks (spaces) draw nothing. */
  return node != NULL ? node : gsk_container_node_new (NULL, 0);
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
  int width = 0, fits = 0;

  g_return_val_if_fail (table != NULL, NULL);

  if (n == 0)
    return gsk_container_node_new (NULL, 0);

  if ((guchar) text[0] >= 0x80)
    {
      gunichar wc = g_utf8_get_char_validated (text, n);
      const Glyph *g;

      if (wc >= 0x110000 || (gsize) n != (gsize) g_unichar_to_utf8 (wc, NULL) ||
          (g = other_glyph (table, wc)) == NULL || g->width > max_width * PANGO_SCALE)
        return NULL;
      pango_glyph_string_set_size (table->gs, 1);
      put (table->gs, 0, g->glyph, g->width);
      return node_of (table, g->font, x, y, color);
    }

  if (table->font == NULL)
    return NULL;
  pango_glyph_string_set_size (table->gs, n + 1);
  for (int i = 0; i < n; i++)
    {
      guchar c = (guchar) text[i];

      if (c < FIRST || c > LAST || table->glyph[c - FIRST] == 0)
        return NULL;
      put (table->gs, i, table->glyph[c - FIRST], table->width[c - FIRST]);
      width += table->width[c - FIRST];
      /* The most characters that leave room for an ellipsis. */
      if (width + table->ellipsis_width <= max_width * PANGO_SCALE)
        fits = i + 1;
    }
  if (width <= max_width * PANGO_SCALE)
    pango_glyph_string_set_size (table->gs, n);
  else if (table->ellipsis != 0 && fits > 0)
    {
      /* Cut at the end, as a layout that ellipsizes does. */
      put (table->gs, fits, table->ellipsis, table->ellipsis_width);
      pango_glyph_string_set_size (table->gs, fits + 1);
    }
  else
    return NULL;
  return node_of (table, table->font, x, y, color);
}
