/* SPDX-License-Identifier: MIT */
/* The floor of the validate benchmark: json-c parsing each line and nothing else. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long parsed = 0;
	json_tokener *tok = json_tokener_new();

	while ((n = getline(&line, &cap, stdin)) > 0) {
		json_tokener_reset(tok);
		json_object *o = json_tokener_parse_ex(tok, line, (int)n);
		if (o)
			parsed++;
		json_object_put(o);
	}
	json_tokener_free(tok);
	free(line);
	printf("%ld\n", parsed);
	return 0;
}
