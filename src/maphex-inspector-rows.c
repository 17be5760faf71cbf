/* maphex-inspector-rows.c: see maphex-inspector-rows.h. Owns the rows'
 * geometry, texts, focus, pointer and keys, and the editor's place; not
 * what a row means or what editing it writes (maphex-inspector.c), nor
 * how the rows are drawn (maphex-inspector-rows-draw.c). */
#include "maphex-inspector-rows-private.h"

#include <glib/gi18n.h>
#include <string.h>

G_DEFINE_FINAL_TYPE (MaphexInspectorRows, maphex_inspector_rows, GTK_TYPE_WIDGET)

enum {
  SIGNAL_EDIT_ROW,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------ */
/* Geometry                                                            */

static void
set_font (PangoLayout *layout,
          const char  *family,
          double       scale)
{
  const PangoFontDescription *base = pango_context_get_font_description (pango_layout_get_context (layout));
  g_autoptr(PangoFontDescription) desc = base != NULL ? pango_font_description_copy (base)
                                                      : pango_font_description_new ();

  if (family != NULL)
    pango_font_description_set_family (desc, family);
  if (scale != 1.0 && pango_font_description_get_size (desc) > 0)
    pango_font_description_set_size (desc, (int) (pango_font_description_get_size (desc) * scale));
  pango_layout_set_font_description (layout, desc);
}

/* Layouts for every row (made again when the fonts change), and the rows'
 * heights from the fonts' line heights. */
void
_maphex_inspector_rows_ensure_geometry (MaphexInspectorRows *self)
{
  g_autoptr(PangoLayout) probe = NULL;
  int y = 0;

  if (self->geometry_valid)
    return;
  self->geometry_valid = TRUE;
  self->layout_width = -1;
  _maphex_inspector_rows_forget_nodes (self);

  self->name_w = 0;
  for (int r = 0; r < self->n_rows; r++)
    {
      Row *row = &self->rows[r];
      g_autofree char *name = g_strdup (row->name != NULL ? pango_layout_get_text (row->name) : "");
      int w;

      g_clear_object (&row->name);
      g_clear_object (&row->value);
      g_clear_object (&row->detail);
      row->name = gtk_widget_create_pango_layout (GTK_WIDGET (self), name);
      row->value = gtk_widget_create_pango_layout (GTK_WIDGET (self), row->value_text);
      set_font (row->value, "Monospace", 1.0);
      pango_layout_set_ellipsize (row->value, PANGO_ELLIPSIZE_END);
      maphex_glyph_text_make_plain (row->value);
      row->detail = gtk_widget_create_pango_layout (GTK_WIDGET (self), row->detail_text);
      set_font (row->detail, NULL, 0.83);
      pango_layout_set_ellipsize (row->detail, PANGO_ELLIPSIZE_END);
      maphex_glyph_text_make_plain (row->detail);
      if (r != self->wide_row)
        {
          pango_layout_get_pixel_size (row->name, &w, NULL);
          self->name_w = MAX (self->name_w, w);
        }
    }

  probe = gtk_widget_create_pango_layout (GTK_WIDGET (self), "0");
  set_font (probe, "Monospace", 1.0);
  maphex_glyph_text_make_plain (probe);
  g_clear_pointer (&self->value_glyphs, maphex_glyph_text_free);
  self->value_glyphs = maphex_glyph_text_new (probe);
  pango_layout_set_text (probe, "0", -1);
  pango_layout_get_pixel_size (probe, &self->char_w, &self->line_h);
  self->value_h = self->line_h + 12;
  set_font (probe, NULL, 0.83);
  g_clear_pointer (&self->detail_glyphs, maphex_glyph_text_free);
  self->detail_glyphs = maphex_glyph_text_new (probe);
  pango_layout_set_text (probe, "Ag", -1);
  pango_layout_get_pixel_size (probe, NULL, &self->detail_h);
  self->detail_h += 4;

  for (int r = 0; r < self->n_rows; r++)
    {
      self->rows[r].top = y;
      y += self->value_h + self->detail_h;
      if (r == self->wide_row)
        y += self->line_h + 4;
    }
  self->height = y;
}

static int
row_at (MaphexInspectorRows *self,
        double               y)
{
  _maphex_inspector_rows_ensure_geometry (self);
  for (int r = 0; r < self->n_rows; r++)
    if (y >= self->rows[r].top && y < self->rows[r].top + row_height (self, r))
      return r;
  return -1;
}

static void
maphex_inspector_rows_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  MaphexInspectorRows *self = MAPHEX_INSPECTOR_ROWS (widget);

  _maphex_inspector_rows_ensure_geometry (self);
  if (orientation == GTK_ORIENTATION_VERTICAL)
    {
      *minimum = *natural = self->height;
      return;
    }
  *minimum = PAD + self->name_w + NAME_GAP + 12 * self->char_w + PAD;
  *natural = PAD + self->name_w + NAME_GAP + 24 * self->char_w + PAD;
  if (self->wide_row >= 0)
    *natural = MAX (*natural, PAD + 38 * self->char_w + PAD);
}

static void
maphex_inspector_rows_size_allocate (GtkWidget *widget,
                                     int        width,
                                     int        height,
                                     int        baseline)
{
  MaphexInspectorRows *self = MAPHEX_INSPECTOR_ROWS (widget);

  _maphex_inspector_rows_ensure_geometry (self);
  if (self->layout_width != width)
    {
      self->layout_width = width;
      _maphex_inspector_rows_forget_nodes (self);
      for (int r = 0; r < self->n_rows; r++)
        {
          int w = MAX (1, width - value_x (self, r) - PAD) * PANGO_SCALE;

          pango_layout_set_width (self->rows[r].value, w);
          pango_layout_set_width (self->rows[r].detail, w);
        }
    }

  if (self->editing >= 0 && gtk_widget_get_visible (self->editor))
    {
      int x = value_x (self, self->editing);
      int min_h, w = MAX (1, width - x - PAD);

      gtk_widget_measure (self->editor, GTK_ORIENTATION_VERTICAL, w, &min_h, NULL, NULL, NULL);
      gtk_widget_measure (self->editor, GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL, NULL, NULL);
      gtk_widget_size_allocate (self->editor,
                                &(GtkAllocation) { x, value_y (self, self->editing) + (self->value_h - min_h) / 2,
                                                   w, min_h },
                                -1);
    }
}

/* ------------------------------------------------------------------ */
/* Setting rows                                                        */

/* What assistive technologies read: the focused row. Set only while the
 * widget has the focus (and on focus-in), so that cursor moves with the
 * focus elsewhere cost nothing. */
static void
update_accessible (MaphexInspectorRows *self)
{
  Row *row;
  g_autofree char *text = NULL;

  if (self->focus_row < 0 || !gtk_widget_has_focus (GTK_WIDGET (self)))
    return;
  row = &self->rows[self->focus_row];
  if (row->detail_text[0] != '\0')
    /* TRANSLATORS: an inspector row read aloud: its name, value, detail. */
    text = g_strdup_printf (_("%s: %s, %s"), pango_layout_get_text (row->name),
                            row->value_text, row->detail_text);
  else
    /* TRANSLATORS: an inspector row read aloud: its name and value. */
    text = g_strdup_printf (_("%s: %s"), pango_layout_get_text (row->name), row->value_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

static gboolean
set_text (char       **field,
          const char  *text)
{
  if (strcmp (*field, text) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (text);
  return TRUE;
}

void
maphex_inspector_rows_set (MaphexInspectorRows *self,
                           int                  r,
                           const char          *value,
                           gboolean             is_reason,
                           const char          *detail)
{
  Row *row;
  gboolean changed = FALSE;

  g_return_if_fail (MAPHEX_IS_INSPECTOR_ROWS (self));
  g_return_if_fail (r >= 0 && r < self->n_rows);

  row = &self->rows[r];
  if (set_text (&row->value_text, value != NULL ? value : ""))
    {
      _maphex_inspector_rows_forget_value_node (row);
      changed = TRUE;
    }
  if (set_text (&row->detail_text, detail != NULL ? detail : ""))
    {
      g_clear_pointer (&row->detail_node, gsk_render_node_unref);
      changed = TRUE;
    }
  changed |= row->is_reason != is_reason;
  row->is_reason = is_reason;
  if (!changed)
    return;
  if (r == self->focus_row)
    update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
maphex_inspector_rows_set_error (MaphexInspectorRows *self,
                                 int                  r)
{
  g_return_if_fail (MAPHEX_IS_INSPECTOR_ROWS (self));
  g_return_if_fail (r >= -1 && r < self->n_rows);

  if (self->error_row == r)
    return;
  self->error_row = r;
  if (r >= 0 && r == self->editing)
    gtk_widget_add_css_class (self->editor, "error");
  else
    gtk_widget_remove_css_class (self->editor, "error");
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
maphex_inspector_rows_set_editing (MaphexInspectorRows *self,
                                   int                  r)
{
  g_return_if_fail (MAPHEX_IS_INSPECTOR_ROWS (self));
  g_return_if_fail (r >= -1 && r < self->n_rows);

  if (r >= 0)
    {
      self->focus_row = r;
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->editor),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, pango_layout_get_text (self->rows[r].name),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->rows[r].detail_text,
                                      -1);
    }
  if (r >= 0 && r == self->error_row)
    gtk_widget_add_css_class (self->editor, "error");
  else
    gtk_widget_remove_css_class (self->editor, "error");
  if (self->editing == r)
    return;
  /* The focus comes back to the rows, not to the next widget in the window. */
  if (r < 0 && gtk_widget_get_focus_child (GTK_WIDGET (self)) != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self));
  self->editing = r;
  gtk_widget_set_visible (self->editor, r >= 0);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
maphex_inspector_rows_get_editing (MaphexInspectorRows *self)
{
  g_return_val_if_fail (MAPHEX_IS_INSPECTOR_ROWS (self), -1);
  return self->editing;
}

GtkEntry *
maphex_inspector_rows_get_editor (MaphexInspectorRows *self)
{
  g_return_val_if_fail (MAPHEX_IS_INSPECTOR_ROWS (self), NULL);
  return GTK_ENTRY (self->editor);
}

/* ------------------------------------------------------------------ */
/* Focus, pointer and keys                                             */

static void
set_focus_row (MaphexInspectorRows *self,
               int                  r)
{
  self->focus_row = CLAMP (r, 0, self->n_rows - 1);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_pressed (GtkGestureClick     *gesture,
            int                  n_press,
            double               x,
            double               y,
            MaphexInspectorRows *self)
{
  int r = row_at (self, y);

  if (r < 0 || r == self->editing)
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self));
  set_focus_row (self, r);
  if (n_press == 2)
    g_signal_emit (self, signals[SIGNAL_EDIT_ROW], 0, r, NULL);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                MaphexInspectorRows   *self)
{
  gunichar c;
  char utf8[8];

  /* Keys the editor left alone are its own business, not the rows'. */
  if (gtk_widget_get_focus_child (GTK_WIDGET (self)) != NULL)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      set_focus_row (self, self->focus_row - 1);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      set_focus_row (self, self->focus_row + 1);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_F2:
      g_signal_emit (self, signals[SIGNAL_EDIT_ROW], 0, self->focus_row, NULL);
      return TRUE;
    default:
      break;
    }
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0)
    return FALSE;
  c = gdk_keyval_to_unicode (keyval);
  if (c == 0 || !g_unichar_isprint (c))
    return FALSE;
  utf8[g_unichar_to_utf8 (c, utf8)] = '\0';
  g_signal_emit (self, signals[SIGNAL_EDIT_ROW], 0, self->focus_row, utf8);
  return TRUE;
}

static void
on_focus_changed (MaphexInspectorRows *self)
{
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
maphex_inspector_rows_set_tooltip_func (MaphexInspectorRows           *self,
                                        MaphexInspectorRowsTooltipFunc func,
                                        gpointer                       data)
{
  g_return_if_fail (MAPHEX_IS_INSPECTOR_ROWS (self));
  self->tooltip_func = func;
  self->tooltip_data = data;
}

char *
maphex_inspector_rows_dup_tooltip (MaphexInspectorRows *self,
                                   int                  r)
{
  g_return_val_if_fail (MAPHEX_IS_INSPECTOR_ROWS (self), NULL);
  g_return_val_if_fail (r >= 0 && r < self->n_rows, NULL);
  return self->tooltip_func != NULL ? self->tooltip_func (r, self->tooltip_data) : NULL;
}

/* Tooltips are made here, when one is to show, not on every refresh. */
static gboolean
on_query_tooltip (GtkWidget           *widget,
                  int                  x,
                  int                  y,
                  gboolean             keyboard,
                  GtkTooltip          *tooltip,
                  MaphexInspectorRows *self)
{
  int r = keyboard ? self->focus_row : row_at (self, y);
  g_autofree char *text = NULL;

  if (r < 0 || (text = maphex_inspector_rows_dup_tooltip (self, r)) == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { 0, self->rows[r].top,
                                                       gtk_widget_get_width (widget),
                                                       row_height (self, r) });
  return TRUE;
}

/* The editor's tooltip is its row's. */
static gboolean
on_editor_query_tooltip (GtkWidget *editor, int x, int y, gboolean keyboard,
                         GtkTooltip *tooltip, MaphexInspectorRows *self)
{
  g_autofree char *text = NULL;

  if (self->editing < 0 || (text = maphex_inspector_rows_dup_tooltip (self, self->editing)) == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
maphex_inspector_rows_system_setting_changed (GtkWidget        *widget,
                                              GtkSystemSetting  setting)
{
  MaphexInspectorRows *self = MAPHEX_INSPECTOR_ROWS (widget);

  GTK_WIDGET_CLASS (maphex_inspector_rows_parent_class)->system_setting_changed (widget, setting);
  self->geometry_valid = FALSE;
  gtk_widget_queue_resize (widget);
}

static void
maphex_inspector_rows_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (maphex_inspector_rows_parent_class)->root (widget);
  /* The fonts are the window's now. */
  MAPHEX_INSPECTOR_ROWS (widget)->geometry_valid = FALSE;
  gtk_widget_queue_resize (widget);
}

/* ------------------------------------------------------------------ */
/* Construction                                                        */

static void
maphex_inspector_rows_init (MaphexInspectorRows *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  self->focus_row = 0;
  self->error_row = -1;
  self->editing = -1;
  self->wide_row = -1;
  self->layout_width = -1;

  self->editor = gtk_entry_new ();
  gtk_widget_add_css_class (self->editor, "monospace");
  gtk_widget_set_visible (self->editor, FALSE);
  gtk_widget_set_has_tooltip (self->editor, TRUE);
  g_signal_connect (self->editor, "query-tooltip", G_CALLBACK (on_editor_query_tooltip), self);
  gtk_widget_set_parent (self->editor, GTK_WIDGET (self));

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), self);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  g_signal_connect_swapped (focus, "enter", G_CALLBACK (on_focus_changed), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (on_focus_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Values at the cursor"),
                                  -1);
}

static void
maphex_inspector_rows_dispose (GObject *object)
{
  MaphexInspectorRows *self = MAPHEX_INSPECTOR_ROWS (object);

  _maphex_inspector_rows_forget_nodes (self);
  _maphex_inspector_rows_stop_watching (self);
  g_clear_pointer (&self->value_glyphs, maphex_glyph_text_free);
  g_clear_pointer (&self->detail_glyphs, maphex_glyph_text_free);
  g_clear_pointer (&self->editor, gtk_widget_unparent);
  G_OBJECT_CLASS (maphex_inspector_rows_parent_class)->dispose (object);
}

static void
maphex_inspector_rows_finalize (GObject *object)
{
  MaphexInspectorRows *self = MAPHEX_INSPECTOR_ROWS (object);

  for (int r = 0; r < self->n_rows; r++)
    {
      Row *row = &self->rows[r];

      g_clear_object (&row->name);
      g_clear_object (&row->value);
      g_clear_object (&row->detail);
      g_free (row->value_text);
      g_free (row->detail_text);
    }
  g_free (self->rows);
  G_OBJECT_CLASS (maphex_inspector_rows_parent_class)->finalize (object);
}

static void
maphex_inspector_rows_class_init (MaphexInspectorRowsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = maphex_inspector_rows_dispose;
  object_class->finalize = maphex_inspector_rows_finalize;
  widget_class->measure = maphex_inspector_rows_measure;
  widget_class->size_allocate = maphex_inspector_rows_size_allocate;
  widget_class->snapshot = _maphex_inspector_rows_snapshot;
  widget_class->system_setting_changed = maphex_inspector_rows_system_setting_changed;
  widget_class->root = maphex_inspector_rows_root;

  /* ::edit-row (row, text): open the editor on `row`; `text` (nullable)
   * is what was typed to open it, to become the editor's text. */
  signals[SIGNAL_EDIT_ROW] =
    g_signal_new ("edit-row", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "inspectorrows");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

GtkWidget *
maphex_inspector_rows_new (const char * const *names,
                           int                 n_rows,
                           int                 wide_row)
{
  MaphexInspectorRows *self = g_object_new (MAPHEX_TYPE_INSPECTOR_ROWS, NULL);

  g_return_val_if_fail (n_rows > 0, NULL);

  self->n_rows = n_rows;
  self->wide_row = wide_row;
  self->rows = g_new0 (Row, n_rows);
  for (int r = 0; r < n_rows; r++)
    {
      self->rows[r].name = gtk_widget_create_pango_layout (GTK_WIDGET (self), names[r]);
      self->rows[r].value_text = g_strdup ("");
      self->rows[r].detail_text = g_strdup ("");
    }
  return GTK_WIDGET (self);
}
