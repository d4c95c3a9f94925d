# SPDX-License-Identifier: MIT
# Writes N review verdicts, one per line, one in five invalid in one of four ways.
#   awk -v n=200000 -f gen-verdicts.awk
BEGIN {
	srand(42)
	split("clean minor blocking", verdicts, " ")
	split("high medium low", confidences, " ")
	split("critical major minor nit", severities, " ")
	for (i = 0; i < n; i++) {
		k = int(rand() * 5)
		findings = ""
		for (j = 0; j < k; j++)
			findings = findings (j ? "," : "") "{\"severity\":\"" severities[1 + int(rand() * 4)] \
				"\",\"summary\":\"Finding " j " about the cache invalidation path in module " i "\"}"
		verdict = verdicts[1 + int(rand() * 3)]
		summary = ",\"summary\":\"Review of change " i ": " k " findings\""
		extra = ""
		if (i % 5 == 0) {
			bad = int(rand() * 4)
			if (bad == 0) verdict = "maybe"
			else if (bad == 1) summary = ""
			else if (bad == 2) extra = ",\"extra\":1"
			else findings = findings (k ? "," : "") "{\"severity\":\"minor\",\"summary\":\"\"}"
		}
		printf "{\"kind\":\"wr.review_verdict\",\"verdict\":\"%s\",\"confidence\":\"%s\",\"findings\":[%s]%s%s}\n",
			verdict, confidences[1 + int(rand() * 3)], findings, summary, extra
	}
}
