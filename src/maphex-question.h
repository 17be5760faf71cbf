/* maphex-question.h: the one way Maphex makes its questions and error
 * messages (AdwMessageDialog). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A message dialog on `parent` (NULL: none), which goes when its parent
 * goes, titled `title` for the window manager (NULL: untitled), with
 * `heading` and `body` (either may be NULL), and the responses given as
 * pairs of id and label, ended by NULL. The first is the close response
 * (Escape, the window's close button): the choice that changes nothing. The
 * default response (Enter) and the responses' appearance are the caller's,
 * as are "response" and presenting it. */
GtkWidget *maphex_question_new (GtkWindow  *parent,
                                const char *title,
                                const char *heading,
                                const char *body,
                                const char *first_response,
                                const char *first_label,
                                ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
