/* SPDX-License-Identifier: MIT */
/* Fuzz target: the NDJSON line reader and record stream. Every line is accounted for
 * (a record or an error), line numbers only grow, and memory stays bounded by the
 * line limit. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wrkit/ndjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	/* The first byte picks the line limit, so that long-line handling is reached. */
	wr_json_limits limits = {(size_t)data[0] + 1, 16};
	FILE *fp = fmemopen((void *)(data + 1), size - 1, "r");
	if (!fp)
		return 0;
	wr_records *rs = wr_records_new(fp, &limits);
	json_object *rec;
	wr_json_error err;
	unsigned long last = 0;
	int rc;
	while ((rc = wr_records_next(rs, &rec, &err)) == 1) {
		unsigned long n = wr_records_lineno(rs);
		if (n <= last)
			abort();
		last = n;
		if (rec) {
			if (!json_object_is_type(rec, json_type_object))
				abort();
			json_object_put(rec);
		} else if (!err.message[0]) {
			abort();
		}
	}
	wr_records_free(rs);
	fclose(fp);
	return 0;
}
