/* SPDX-License-Identifier: MIT */
/* wr-dispatch: start one autonomous WorkRail session and print its record.
 *
 * A record on stdout means a session exists: on every error stdout stays empty. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "workrail_cli.h"
#include "wrkit/ndjson.h"
#include "wrkit/parse.h"
#include "wrkit/workrail.h"

enum { OPT_PR = 0x2000, OPT_TITLE, OPT_PASS_COUNT, OPT_HEAD };

/* What the printed record says besides the session: the coordinator's fields travel in
 * it through wr-await, wr-fetch-notes and wr-classify to wr-route. */
typedef struct record_fields {
	const char *workflow;
	long long pr;         /* -1: absent */
	const char *title;    /* NULL: absent */
	const char *head;     /* NULL: absent; the commit SHA the review is asked to review */
	long long pass_count; /* -1: absent */
} record_fields;

struct reply {
	bool done;
	wr_http_result result;
	long status;
	char *body;
	size_t len;
	char error[512];
};

static void on_reply(wr_client *c, void *ctx, const wr_http_response *resp)
{
	struct reply *r = ctx;

	(void)c;
	r->done = true;
	r->result = resp->result;
	r->status = resp->status;
	if (resp->result != WR_HTTP_OK) {
		wrc_transport_error(resp, "--timeout", r->error, sizeof r->error);
		return;
	}
	r->body = malloc(resp->len + 1);
	if (!r->body) {
		r->result = WR_HTTP_FAILED;
		snprintf(r->error, sizeof r->error, "out of memory");
		return;
	}
	memcpy(r->body, resp->body, resp->len + 1);
	r->len = resp->len;
}

/* A commit SHA: 7 to 64 hexadecimal digits (SHA-1 or SHA-256, abbreviated or not). */
static bool valid_sha(const char *s)
{
	size_t n = strlen(s);
	if (n < 7 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* Option values must be UTF-8 to travel in JSON; the workspace must be an absolute
 * path to a directory, checked before anything is sent. Returns 0, or EXIT_USAGE after
 * printing why. */
static int check_arguments(const char *workflow, const char *goal, const char *workspace)
{
	struct stat st;
	const char *names[] = {"--workflow", "--goal", "--workspace"};
	const char *values[] = {workflow, goal, workspace};

	for (int i = 0; i < 3; i++) {
		if (!values[i])
			return cli_usage_error("missing %s", names[i]);
		size_t len = strlen(values[i]);
		if (len == 0)
			return cli_usage_error("empty %s", names[i]);
		if (wr_utf8_check(values[i], len) != len)
			return cli_usage_error("%s is not UTF-8", names[i]);
	}
	if (workspace[0] != '/') {
		cli_error("workspace '%s' is not an absolute path", workspace);
		return EXIT_USAGE;
	}
	if (stat(workspace, &st) < 0) {
		cli_error("workspace '%s': %s", workspace, strerror(errno));
		return EXIT_USAGE;
	}
	if (!S_ISDIR(st.st_mode)) {
		cli_error("workspace '%s' is not a directory", workspace);
		return EXIT_USAGE;
	}
	return 0;
}

/* Prints {"session","workflowId","pr","title","head","passCount"} (the last four when
 * given).
 * Returns 0, or -1 on a write error. */
static int print_record(const char *handle, const record_fields *f)
{
	json_object *rec = json_object_new_object();
	int rc = -1;
	if (rec && wrc_set_string(rec, "session", handle) == 0 &&
	    wrc_set_string(rec, "workflowId", f->workflow) == 0 &&
	    (f->pr < 0 || wrc_set(rec, "pr", json_object_new_int64(f->pr)) == 0) &&
	    (!f->title || wrc_set_string(rec, "title", f->title) == 0) &&
	    (!f->head || wrc_set_string(rec, "head", f->head) == 0) &&
	    (f->pass_count < 0 || wrc_set(rec, "passCount", json_object_new_int64(f->pass_count)) == 0))
		rc = wr_record_write(stdout, rec);
	json_object_put(rec);
	if (rc == 0 && fflush(stdout) == EOF)
		rc = -1;
	return rc;
}

static int dispatch(const wrc_options *opts, const record_fields *fields, const char *goal,
                    const char *workspace)
{
	struct reply reply;
	wr_error err;
	char *handle = NULL;
	int status = EXIT_NEGATIVE;

	memset(&reply, 0, sizeof reply);
	char *body = wr_dispatch_request_body(fields->workflow, goal, workspace);
	if (!body) {
		cli_error("out of memory");
		return EXIT_USAGE;
	}
	wr_client *c = wrc_client_new(opts);
	if (!c) {
		free(body);
		return EXIT_USAGE;
	}
	if (wr_client_post_json(c, WR_WORKRAIL_DISPATCH_PATH, body, on_reply, &reply) < 0 ||
	    wr_client_run(c, 1, &err) < 0 || !reply.done) {
		cli_error("Dispatch failed: %s", reply.done ? reply.error : "could not send the request");
	} else if (reply.result == WR_HTTP_REFUSED) {
		cli_error("%s", reply.error);
	} else if (reply.result != WR_HTTP_OK) {
		cli_error("Dispatch failed: %s", reply.error);
	} else if (wr_dispatch_reply_parse(reply.body, reply.len, reply.status, &opts->limits,
	                                   &handle, &err) != WR_DISPATCH_OK) {
		cli_error("%s", err.message);
	} else if (print_record(handle, fields) < 0) {
		cli_error("write error on standard output (session %s was dispatched)", handle);
		status = EXIT_USAGE;
	} else {
		status = EXIT_OK;
	}
	free(handle);
	free(reply.body);
	free(body);
	wr_client_free(c);
	return status;
}

static const cli_option option_table[] = {
	{"workflow", 'w', "ID", "the workflow to run", 'w'},
	{"goal", 'g', "TEXT", "the session's goal", 'g'},
	{"workspace", 'W', "DIR", "the repository it works in: an absolute path to an existing "
	 "directory", 'W'},
	{"pr", 0, "N", "add \"pr\": N to the record", OPT_PR},
	{"title", 0, "TEXT", "add \"title\": TEXT (the pull request's title)", OPT_TITLE},
	{"head", 0, "SHA", "add \"head\": SHA (the commit the review is asked to review; the "
	 "merge is bound to it)", OPT_HEAD},
	{"pass-count", 0, "N", "add \"passCount\": N (fix passes already run, for wr-route when "
	 "this session's review is routed)", OPT_PASS_COUNT},
	{"timeout", 0, "DUR", "give up the request after DUR (default 30s)", WRC_OPT_TIMEOUT},
	{"request-timeout", 0, "DUR", "the same as --timeout", WRC_OPT_REQUEST_TIMEOUT},
	WRC_OPTIONS,
};

/* What the options set. */
typedef struct parse_ctx {
	wrc_options opts;
	record_fields fields;
	const char *goal, *workspace;
} parse_ctx;

static int handle_option(void *ctx, int id, const char *arg)
{
	parse_ctx *pc = ctx;
	record_fields *f = &pc->fields;
	int h = wrc_handle_option(&pc->opts, id, arg);
	if (h != 0)
		return h < 0 ? -1 : 0;
	switch (id) {
	case 'w':
		f->workflow = arg;
		break;
	case 'g':
		pc->goal = arg;
		break;
	case 'W':
		pc->workspace = arg;
		break;
	case OPT_PR:
		if (wr_parse_count(arg, &f->pr) < 0 || f->pr < 1 || f->pr > INT32_MAX)
			return cli_usage_error("invalid --pr '%s': expected a pull request number", arg);
		break;
	case OPT_TITLE:
		if (wr_utf8_check(arg, strlen(arg)) != strlen(arg))
			return cli_usage_error("invalid --title: not UTF-8");
		f->title = arg;
		break;
	case OPT_HEAD:
		if (!valid_sha(arg))
			return cli_usage_error("invalid --head '%s': expected a commit SHA (7 to 64 "
			                       "hexadecimal digits)", arg);
		f->head = arg;
		break;
	case OPT_PASS_COUNT:
		if (wr_parse_count(arg, &f->pass_count) < 0 || f->pass_count > INT32_MAX)
			return cli_usage_error("invalid --pass-count '%s': expected a count", arg);
		break;
	}
	return 0;
}

static const cli_spec program = {
	.synopsis = "-w WORKFLOW -g GOAL -W WORKSPACE [--pr N] [OPTION]...",
	.description =
		"Start an autonomous WorkRail session and print its record\n"
		"{\"session\",\"workflowId\",\"pr\"}. Nothing is printed unless a session exists.\n",
	.options = option_table,
	.option_count = sizeof option_table / sizeof *option_table,
	.epilogue =
		"Exit status: 0 dispatched, 1 the daemon refused or could not be reached, or\n"
		"returned no session handle, 2 bad usage (nothing sent).\n",
	.handle = handle_option,
};

int main(int argc, char **argv)
{
	parse_ctx pc = {.fields = {.pr = -1, .pass_count = -1}};
	int first;

	cli_set_program(argv[0]);
	wrc_options_init(&pc.opts);
	int status = cli_parse(&program, &pc, &pc.opts.limits, argc, argv, &first);
	if (status != CLI_RUN)
		return status;
	if (first < argc)
		return cli_usage_error("unexpected argument '%s'", argv[first]);
	int rc = check_arguments(pc.fields.workflow, pc.goal, pc.workspace);
	if (rc != 0)
		return rc;
	return dispatch(&pc.opts, &pc.fields, pc.goal, pc.workspace);
}
