/* SPDX-License-Identifier: MIT */
/* embedded.h (internal): files built into libwrkit by mk/embed-json.sh. */
#ifndef WRKIT_EMBEDDED_H
#define WRKIT_EMBEDDED_H

#include <stddef.h>

typedef struct wr_embedded_file {
	const char *name; /* path relative to the directory it was embedded from */
	const char *text; /* NUL-terminated */
	size_t length;
} wr_embedded_file;

/* The draft 2020-12 meta-schemas (src/lib/metaschemas/). */
extern const wr_embedded_file wr_builtin_metaschemas[];
extern const size_t wr_builtin_metaschemas_count;

/* The contracts (schemas/<release>/), named "<release>/<file>". */
extern const wr_embedded_file wr_builtin_contracts[];
extern const size_t wr_builtin_contracts_count;

/* The releases: the folders of schemas/, oldest first (mk/embed-releases.sh). */
extern const char *const wr_builtin_releases[];
extern const size_t wr_builtin_releases_count;

#endif
