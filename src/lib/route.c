/* SPDX-License-Identifier: MIT */
/* The routing policy. Every path that is not clearly clean or clearly a minor fix
 * within limits escalates: a false merge ships a bad change, a false escalation only
 * asks a human. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wrkit/record.h"
#include "wrkit/route.h"

wr_route_policy wr_route_default_policy(void)
{
	wr_route_policy p = {.max_passes = WR_ROUTE_DEFAULT_MAX_PASSES,
	                     .max_runtime_ms = WR_ROUTE_DEFAULT_MAX_RUNTIME_MS};
	return p;
}

const char *wr_action_name(wr_action action)
{
	switch (action) {
	case WR_ACTION_MERGE: return "merge";
	case WR_ACTION_FIX: return "fix";
	case WR_ACTION_ESCALATE: return "escalate";
	}
	return "escalate";
}

static void escalate(wr_route_decision *out, const char *prefix, const char *what)
{
	out->action = WR_ACTION_ESCALATE;
	snprintf(out->reason, sizeof out->reason, "%s%s", prefix, what);
}

/* A field's value as text for a reason: strings as they are, others as JSON. */
static const char *as_text(json_object *v)
{
	if (json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
}

/* passCount: absent is 0; anything but a non-negative integer is -1. */
static long long read_pass_count(json_object *rec)
{
	json_object *v;
	if (!json_object_object_get_ex(rec, "passCount", &v))
		return 0;
	if (json_object_is_type(v, json_type_int)) {
		int64_t n = json_object_get_int64(v);
		return n >= 0 ? n : -1;
	}
	if (json_object_is_type(v, json_type_double)) {
		double d = json_object_get_double(v);
		if (d >= 0 && d < 1e15 && d == floor(d))
			return (long long)d;
	}
	return -1;
}

/* Copies s into out (at most max bytes, whole UTF-8 characters), turning control
 * characters into spaces so that a goal stays one line. Returns bytes written. */
static size_t append_clean(char *out, size_t max, const char *s)
{
	size_t n = strlen(s);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--; /* s[n] continues a character: cut before that character */
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		out[i] = c < 0x20 || c == 0x7F ? ' ' : (char)c;
	}
	out[n] = '\0';
	return n;
}

static void fix_goal(json_object *rec, char *goal, size_t size)
{
	json_object *pr, *findings;
	size_t n;

	if (json_object_object_get_ex(rec, "pr", &pr) && json_object_is_type(pr, json_type_int))
		n = (size_t)snprintf(goal, size, "Fix review findings in PR #%lld",
		                     (long long)json_object_get_int64(pr));
	else
		n = (size_t)snprintf(goal, size, "Fix review findings");
	if (!json_object_object_get_ex(rec, "findings", &findings) ||
	    !json_object_is_type(findings, json_type_array))
		return;
	int used = 0;
	for (size_t i = 0; i < json_object_array_length(findings) && used < 3; i++) {
		json_object *f = json_object_array_get_idx(findings, i);
		if (!json_object_is_type(f, json_type_string) || json_object_get_string_len(f) == 0)
			continue;
		const char *sep = used == 0 ? ": " : "; ";
		if (n + strlen(sep) + 2 >= size)
			break;
		memcpy(goal + n, sep, strlen(sep) + 1);
		n += strlen(sep);
		n += append_clean(goal + n, size - n - 1, json_object_get_string(f));
		used++;
	}
}

static void format_duration(long long ms, char *buf, size_t size)
{
	if (ms % 60000 == 0)
		snprintf(buf, size, "%lld minute%s", ms / 60000, ms == 60000 ? "" : "s");
	else
		snprintf(buf, size, "%lld second%s", ms / 1000, ms == 1000 ? "" : "s");
}

void wr_route_decide(json_object *rec, const wr_route_policy *policy, wr_route_decision *out)
{
	json_object *v;

	memset(out, 0, sizeof *out);
	out->pass_count = read_pass_count(rec);
	if (out->pass_count < 0) {
		out->pass_count = 0;
		escalate(out, "invalid passCount: ",
		         json_object_object_get_ex(rec, "passCount", &v) ? as_text(v) : "");
		return;
	}
	if (json_object_object_get_ex(rec, "outcome", &v) &&
	    !(json_object_is_type(v, json_type_string) && strcmp(json_object_get_string(v), "success") == 0)) {
		escalate(out, "session ", as_text(v));
		return;
	}
	char why[sizeof out->reason];
	if (wr_record_error_text(rec, why, sizeof why)) {
		escalate(out, "", why);
		return;
	}
	const char *severity = "unknown";
	if (json_object_object_get_ex(rec, "severity", &v) && json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		if (strcmp(s, "clean") == 0 || strcmp(s, "minor") == 0 || strcmp(s, "blocking") == 0)
			severity = s;
	}
	if (strcmp(severity, "clean") == 0) {
		const char *source = json_object_object_get_ex(rec, "source", &v) &&
		                             json_object_is_type(v, json_type_string)
		                         ? json_object_get_string(v)
		                         : "";
		if (strcmp(source, "artifact") != 0 && !policy->trust_notes) {
			escalate(out, "", "clean by notes only: no verdict artifact "
			                  "(--trust-notes merges these)");
			return;
		}
		out->action = WR_ACTION_MERGE;
		snprintf(out->reason, sizeof out->reason, "clean");
		return;
	}
	if (strcmp(severity, "minor") != 0) {
		escalate(out, "severity: ", severity);
		return;
	}
	if (out->pass_count >= policy->max_passes) {
		out->action = WR_ACTION_ESCALATE;
		snprintf(out->reason, sizeof out->reason, "%lld fix passes exhausted", out->pass_count);
		return;
	}
	if (policy->has_started_at) {
		long long cutoff = policy->max_runtime_ms - WR_ROUTE_CUTOFF_MS;
		long long elapsed = policy->now_ms - policy->started_at_ms;
		if (cutoff < 0)
			cutoff = 0;
		if (elapsed > cutoff) {
			char limit[64], real[64];
			format_duration(cutoff, limit, sizeof limit);
			format_duration(elapsed - elapsed % (elapsed >= 60000 ? 60000 : 1000), real, sizeof real);
			out->action = WR_ACTION_ESCALATE;
			snprintf(out->reason, sizeof out->reason, "coordinator elapsed > %s (%s)", limit, real);
			return;
		}
	}
	out->action = WR_ACTION_FIX;
	out->pass_count++;
	snprintf(out->reason, sizeof out->reason, "minor: fix pass %lld of %lld", out->pass_count,
	         policy->max_passes);
	fix_goal(rec, out->goal, sizeof out->goal);
}

int wr_route_apply(json_object *rec, const wr_route_decision *d)
{
	json_object *action = json_object_new_string(wr_action_name(d->action));
	json_object *reason = json_object_new_string(d->reason);
	json_object *passes = json_object_new_int64(d->pass_count);
	if (!action || !reason || !passes || json_object_object_add(rec, "action", action) != 0) {
		json_object_put(action);
		json_object_put(reason);
		json_object_put(passes);
		return -1;
	}
	if (json_object_object_add(rec, "reason", reason) != 0) {
		json_object_put(reason);
		json_object_put(passes);
		return -1;
	}
	if (json_object_object_add(rec, "passCount", passes) != 0) {
		json_object_put(passes);
		return -1;
	}
	if (d->action != WR_ACTION_FIX) {
		json_object_object_del(rec, "goal");
		return 0;
	}
	json_object *goal = json_object_new_string(d->goal);
	if (!goal || json_object_object_add(rec, "goal", goal) != 0) {
		json_object_put(goal);
		return -1;
	}
	return 0;
}
