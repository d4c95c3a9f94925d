/* SPDX-License-Identifier: MIT */
/* JSON values as the schema engine compares them: numbers across json-c's int and
 * double, and deep equality. Below both the compiler and the validator. */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "json_value.h"
#include "wrkit/schema.h"

bool wr_schema_number(json_object *v, number *out)
{
	switch (json_object_get_type(v)) {
	case json_type_int:
		out->i = json_object_get_int64(v);
		out->d = json_object_get_double(v);
		out->is_int = !(out->i == INT64_MAX && json_object_get_uint64(v) > (uint64_t)INT64_MAX);
		return true;
	case json_type_double:
		out->is_int = false;
		out->d = json_object_get_double(v);
		return true;
	default:
		return false;
	}
}

int wr_compare_numbers(number a, number b)
{
	if (a.is_int && b.is_int)
		return a.i < b.i ? -1 : a.i > b.i;
	return a.d < b.d ? -1 : a.d > b.d;
}

static bool is_number_type(enum json_type t)
{
	return t == json_type_int || t == json_type_double;
}

bool wr_json_equal(json_object *a, json_object *b)
{
	enum json_type t = json_object_get_type(a), tb = json_object_get_type(b);
	if (is_number_type(t) && is_number_type(tb)) {
		number x, y;
		wr_schema_number(a, &x);
		wr_schema_number(b, &y);
		return wr_compare_numbers(x, y) == 0;
	}
	if (t != tb)
		return false;
	switch (t) {
	case json_type_null:
		return true;
	case json_type_boolean:
		return json_object_get_boolean(a) == json_object_get_boolean(b);
	case json_type_string:
		return json_object_get_string_len(a) == json_object_get_string_len(b) &&
		       memcmp(json_object_get_string(a), json_object_get_string(b),
		              (size_t)json_object_get_string_len(a)) == 0;
	case json_type_array: {
		size_t n = json_object_array_length(a);
		if (n != json_object_array_length(b))
			return false;
		for (size_t i = 0; i < n; i++)
			if (!wr_json_equal(json_object_array_get_idx(a, i), json_object_array_get_idx(b, i)))
				return false;
		return true;
	}
	case json_type_object: {
		if (json_object_object_length(a) != json_object_object_length(b))
			return false;
		json_object_object_foreach(a, key, va) {
			json_object *vb;
			if (!json_object_object_get_ex(b, key, &vb) || !wr_json_equal(va, vb))
				return false;
		}
		return true;
	}
	default:
		return false;
	}
}
