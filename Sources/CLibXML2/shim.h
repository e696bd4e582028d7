#include <libxml/xmlversion.h>
/* The ICU converters libxml2 may be built with are not used here; their headers would clash with Foundation's ICU. */
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
