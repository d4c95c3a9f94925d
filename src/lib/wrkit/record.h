/* SPDX-License-Identifier: MIT */
/* wrkit/record.h: the one error rule of the pipeline's records (SPEC section 3).
 *
 * A record carrying an "error" key, whatever its value (null, a number, an object
 * included), is degraded, and every stage after it stays fail-closed. A stage never
 * drops or overwrites an earlier error: it appends its own, "A; B". Every stage uses
 * these functions and no other code reads or writes a record's "error".
 */
#ifndef WRKIT_RECORD_H
#define WRKIT_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

/* True when rec has an "error" key, whatever its value. */
bool wr_record_degraded(json_object *rec);

/* Adds why to rec's error: sets it when there is none, else appends "; why" to the
 * earlier error (a non-string earlier error is kept as its JSON text: null becomes
 * "null; why"). Returns 0, or -1 when out of memory (rec unchanged). */
int wr_record_add_error(json_object *rec, const char *why);

/* The error as one line of text for a reason or a message: a string as it is, any
 * other value as "error: " and its JSON text ("error: null"). Cut to size - 1 bytes;
 * returns buf, or NULL when rec is not degraded. */
const char *wr_record_error_text(json_object *rec, char *buf, size_t size);

#endif
