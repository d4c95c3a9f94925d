/* SPDX-License-Identifier: MIT */
/* Fuzz target: schema compilation and validation. The input is a schema, a NUL byte,
 * and an instance. A schema either compiles or is refused with a reason; a compiled
 * schema gives the same answer with and without issues, and an invalid instance has
 * at least one issue. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wrkit/json_input.h"
#include "wrkit/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = memchr(text, '\0', size);
	size_t schema_len = nul ? (size_t)(nul - text) : size;
	wr_json_limits limits = {1 << 16, 32};
	json_object *schema_doc, *instance = NULL;
	wr_json_error jerr;

	if (wr_json_parse(text, schema_len, &limits, &schema_doc, &jerr) < 0)
		return 0;
	if (nul && wr_json_parse(nul + 1, size - schema_len - 1, &limits, &instance, &jerr) < 0) {
		json_object_put(schema_doc);
		return 0;
	}
	wr_registry *reg = wr_registry_new(&limits);
	wr_error err = {{0}};
	const wr_schema *schema = wr_registry_compile(reg, schema_doc, NULL, &err);
	if (!schema) {
		if (!err.message[0])
			abort(); /* a refusal always says why */
	} else {
		wr_issues issues;
		wr_issues_init(&issues);
		bool full = wr_schema_validate(schema, instance, &issues);
		bool fast = wr_schema_validate(schema, instance, NULL);
		if (full != fast || (!full && issues.count == 0) || (full && issues.count != 0))
			abort();
		wr_issues_clear(&issues);
	}
	wr_registry_free(reg);
	json_object_put(schema_doc);
	json_object_put(instance);
	return 0;
}
