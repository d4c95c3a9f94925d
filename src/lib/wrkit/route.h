/* SPDX-License-Identifier: MIT */
/* wrkit/route.h: the routing policy of SPEC section 6, as a pure function.
 *
 * A classified record goes to merge, to a fix agent, or to a human (escalate). The
 * first matching rule wins: a session that did not succeed, then an error, then the
 * severity (blocking, unknown or missing escalate; clean merges when a verdict artifact
 * decided it, or from the notes alone only with trust_notes), then, for minor, the
 * pass limit (checked before a fix is granted), the wall-clock rule, and the fix.
 */
#ifndef WRKIT_ROUTE_H
#define WRKIT_ROUTE_H

#include <stdbool.h>
#include <json-c/json.h>

#define WR_ROUTE_DEFAULT_MAX_PASSES 3
#define WR_ROUTE_DEFAULT_MAX_RUNTIME_MS (90LL * 60 * 1000)
#define WR_ROUTE_CUTOFF_MS (20LL * 60 * 1000) /* no fix starts this close to the end */

typedef struct wr_route_policy {
	long long max_passes;
	bool has_started_at;   /* the wall-clock rule applies only with a start time */
	long long started_at_ms; /* epoch milliseconds */
	long long max_runtime_ms;
	long long now_ms;        /* epoch milliseconds; the caller's clock, for testability */
	bool trust_notes;        /* clean from the notes alone (no verdict artifact) may merge */
} wr_route_policy;

typedef enum wr_action { WR_ACTION_MERGE, WR_ACTION_FIX, WR_ACTION_ESCALATE } wr_action;

typedef struct wr_route_decision {
	wr_action action;
	char reason[512];
	long long pass_count; /* what the record says after routing */
	char goal[1024];      /* the fix agent's goal; empty unless action is fix */
} wr_route_decision;

/* The policy's defaults: 3 passes, 90 minutes, no start time. */
wr_route_policy wr_route_default_policy(void);

/* Decides what happens to rec. Never fails: whatever rec holds, a decision is made,
 * and every doubt escalates. */
void wr_route_decide(json_object *rec, const wr_route_policy *policy, wr_route_decision *out);

/* Writes the decision into rec: action, reason, passCount, and goal (removed unless
 * the action is fix). Returns 0, or -1 when out of memory. */
int wr_route_apply(json_object *rec, const wr_route_decision *decision);

/* "merge", "fix" or "escalate". */
const char *wr_action_name(wr_action action);

#endif
