/* SPDX-License-Identifier: MIT */
/* Fuzz target: the strict JSON parser. Whatever the bytes, parsing either fails with a
 * status and a message, or gives a value that survives a round trip through json-c's
 * printer unchanged. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wrkit/json_input.h"
#include "wrkit/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wr_json_limits limits = {1 << 20, 64};
	wr_json_error err;
	json_object *doc;

	if (wr_json_parse((const char *)data, size, &limits, &doc, &err) < 0) {
		if (err.status == WR_JSON_OK || !err.message[0])
			abort(); /* a failure always says what failed */
		return 0;
	}
	const char *text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN);
	json_object *again;
	wr_json_limits wide = {4 << 20, 64};
	if (wr_json_parse(text, strlen(text), &wide, &again, &err) < 0)
		abort(); /* json-c printed something the parser refuses */
	if (!wr_json_equal(doc, again))
		abort();
	json_object_put(again);
	json_object_put(doc);
	return 0;
}
