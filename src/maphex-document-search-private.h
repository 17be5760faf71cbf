/* maphex-document-search-private.h: knobs of the search tasks, for tests. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How many match starts one step of a search covers, for exact searches
 * (through the core's find) and for case-folded ones (through a copy).
 * 0 restores the defaults. Tests make them small to put matches across
 * chunk borders in small files. */
void _maphex_document_search_set_chunk_sizes (gsize exact, gsize folded);

G_END_DECLS
