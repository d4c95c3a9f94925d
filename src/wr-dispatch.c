/* SPDX-License-Identifier: MIT */
/* wr-dispatch: start one autonomous WorkRail session and print its record.
 *
 * A record on stdout means a session exists: on every error stdout stays empty. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
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

static void usage(void)
{
	printf("Usage: %s -w WORKFLOW -g GOAL -W WORKSPACE [--pr N] [OPTION]...\n", cli_program());
	fputs("Start an autonomous WorkRail session and print its record\n"
	      "{\"session\",\"workflowId\",\"pr\"}. Nothing is printed unless a session exists.\n\n"
	      "  -w, --workflow ID        the workflow to run\n"
	      "  -g, --goal TEXT          the session's goal\n"
	      "  -W, --workspace DIR      the repository it works in: an absolute path to an\n"
	      "                           existing directory\n"
	      "      --pr N               add \"pr\": N to the record\n"
	      "      --title TEXT         add \"title\": TEXT (the pull request's title)\n"
	      "      --head SHA           add \"head\": SHA (the commit the review is asked to\n"
	      "                           review; the merge is bound to it)\n"
	      "      --pass-count N       add \"passCount\": N (fix passes already run, for\n"
	      "                           wr-route when this session's review is routed)\n"
	      "      --timeout DUR        give up the request after DUR (default 30s)\n",
	      stdout);
	wrc_print_common_help();
	fputs("\nExit status: 0 dispatched, 1 the daemon refused or could not be reached, or\n"
	      "returned no session handle, 2 bad usage (nothing sent).\n",
	      stdout);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"workflow", required_argument, NULL, 'w'},
		{"goal", required_argument, NULL, 'g'},
		{"workspace", required_argument, NULL, 'W'},
		{"pr", required_argument, NULL, OPT_PR},
		{"title", required_argument, NULL, OPT_TITLE},
		{"pass-count", required_argument, NULL, OPT_PASS_COUNT},
		{"head", required_argument, NULL, OPT_HEAD},
		{"timeout", required_argument, NULL, WRC_OPT_TIMEOUT},
		WRC_LONG_OPTIONS,
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}};
	wrc_options opts;
	const char *goal = NULL, *workspace = NULL;
	record_fields fields = {.pr = -1, .pass_count = -1};
	int c;

	cli_set_program(argv[0]);
	wrc_options_init(&opts);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":w:g:W:p:hV", longopts, NULL)) != -1) {
		int h = wrc_handle_option(&opts, c, optarg);
		if (h < 0)
			return EXIT_USAGE;
		if (h > 0)
			continue;
		switch (c) {
		case 'w':
			fields.workflow = optarg;
			break;
		case 'g':
			goal = optarg;
			break;
		case 'W':
			workspace = optarg;
			break;
		case OPT_PR:
			if (wr_parse_count(optarg, &fields.pr) < 0 || fields.pr < 1 || fields.pr > INT32_MAX)
				return cli_usage_error("invalid --pr '%s': expected a pull request number",
				                       optarg);
			break;
		case OPT_TITLE:
			if (wr_utf8_check(optarg, strlen(optarg)) != strlen(optarg))
				return cli_usage_error("invalid --title: not UTF-8");
			fields.title = optarg;
			break;
		case OPT_HEAD:
			if (!valid_sha(optarg))
				return cli_usage_error("invalid --head '%s': expected a commit SHA (7 to 64 "
				                       "hexadecimal digits)", optarg);
			fields.head = optarg;
			break;
		case OPT_PASS_COUNT:
			if (wr_parse_count(optarg, &fields.pass_count) < 0 || fields.pass_count > INT32_MAX)
				return cli_usage_error("invalid --pass-count '%s': expected a count", optarg);
			break;
		case 'h':
			usage();
			return EXIT_OK;
		case 'V':
			cli_print_version();
			return EXIT_OK;
		default:
			return cli_bad_option(argv, c);
		}
	}
	if (optind < argc)
		return cli_usage_error("unexpected argument '%s'", argv[optind]);
	int rc = check_arguments(fields.workflow, goal, workspace);
	if (rc != 0)
		return rc;
	return dispatch(&opts, &fields, goal, workspace);
}
