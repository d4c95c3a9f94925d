/* SPDX-License-Identifier: MIT */
/* json_value.h: JSON values as the schema engine compares them (json_value.c). Internal
 * to the library; wr_json_equal is public in wrkit/schema.h. */
#ifndef WRKIT_JSON_VALUE_H
#define WRKIT_JSON_VALUE_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

typedef struct number {
	bool is_int;
	int64_t i;
	double d;            /* always set */
	json_object *source; /* its JSON, for messages (schemas only) */
} number;

/* A JSON number as the engine compares it: false when v is not a number. Integers
 * beyond int64 are compared as doubles. */
bool wr_schema_number(json_object *v, number *out);

/* -1, 0, 1 as a <, =, > b. */
int wr_compare_numbers(number a, number b);

#endif
