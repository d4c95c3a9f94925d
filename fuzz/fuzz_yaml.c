/* SPDX-License-Identifier: MIT */
/* Fuzz target: YAML into the JSON data model. Whatever the bytes, reading either fails
 * with a status and a message, or gives a value json-c prints and the strict JSON parser
 * reads back (aliases expanded within the bound). */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wrkit/json_input.h"
#include "wrkit/yaml_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wr_json_limits limits = {1 << 16, 64};
	wr_json_error err;
	json_object *doc;

	if (wr_yaml_parse((const char *)data, size, &limits, &doc, &err) < 0) {
		if (err.status == WR_JSON_OK || !err.message[0])
			abort(); /* a failure always says what failed */
		return 0;
	}
	const char *text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN);
	json_object *again;
	wr_json_limits wide = {64 << 20, 128};
	if (wr_json_parse(text, strlen(text), &wide, &again, &err) < 0)
		abort(); /* the data model holds something JSON cannot */
	json_object_put(again);
	json_object_put(doc);
	return 0;
}
