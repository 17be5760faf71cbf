/* main.c: starts Maphex. */
#include <glib/gi18n.h>
#include <locale.h>

#include "maphex-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MaphexApplication) app = NULL;
  const char *localedir;
  int status;

  /* The first-frame benchmark measures from here. */
  maphex_application_mark_start (g_get_monotonic_time ());

  setlocale (LC_ALL, "");
  /* MAPHEX_LOCALEDIR points an uninstalled build at compiled catalogues
   * (po/check-translations.sh); installed, LOCALEDIR is where they are. */
  localedir = g_getenv ("MAPHEX_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = maphex_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  return status != 0 ? status : maphex_application_get_exit_status (app);
}
