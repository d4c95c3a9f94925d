/* SPDX-License-Identifier: MIT */
/* The records' error rule (SPEC section 3), written once. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wrkit/record.h"

bool wr_record_degraded(json_object *rec)
{
	return json_object_is_type(rec, json_type_object) &&
	       json_object_object_get_ex(rec, "error", NULL);
}

/* The earlier error's text: a string as it is, anything else as its JSON. */
static const char *old_text(json_object *v)
{
	if (json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	if (!v)
		return "null";
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
	                                             JSON_C_TO_STRING_NOSLASHESCAPE);
}

int wr_record_add_error(json_object *rec, const char *why)
{
	json_object *v, *s;
	if (!why || !*why)
		why = "unspecified error";
	if (!json_object_object_get_ex(rec, "error", &v)) {
		s = json_object_new_string(why);
	} else {
		const char *old = old_text(v);
		if (!old)
			return -1;
		size_t n = strlen(old) + strlen(why) + 3;
		char *both = malloc(n);
		if (!both)
			return -1;
		snprintf(both, n, "%s; %s", old, why);
		s = json_object_new_string(both);
		free(both);
	}
	if (!s || json_object_object_add(rec, "error", s) != 0) {
		json_object_put(s);
		return -1;
	}
	return 0;
}

const char *wr_record_error_text(json_object *rec, char *buf, size_t size)
{
	json_object *v;
	if (!json_object_is_type(rec, json_type_object) ||
	    !json_object_object_get_ex(rec, "error", &v))
		return NULL;
	if (size == 0)
		return buf;
	if (json_object_is_type(v, json_type_string) && json_object_get_string_len(v) > 0)
		snprintf(buf, size, "%s", json_object_get_string(v));
	else {
		const char *t = v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
		                                                          JSON_C_TO_STRING_NOSLASHESCAPE)
		                  : "null";
		snprintf(buf, size, "error: %s", t ? t : "(unprintable)");
	}
	/* one line: a reason or a message never spans lines */
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = ' ';
	return buf;
}
