#!/bin/sh
# SPDX-License-Identifier: MIT
# The bash completions (completions/wrkit.bash): options from each program's --help,
# contract names from wr-validate --list-contracts, values of a few options, files.
. "$WR_SRCDIR/tests/lib.sh"

if ! command -v bash >/dev/null 2>&1; then
	test_skip 'bash completions' 'no bash'
	test_done
fi

# complete WORD...: the completions bash offers for the last WORD, one per line.
cat >complete <<EOF_COMPLETE
#!/bin/bash
. "$WR_SRCDIR/completions/wrkit.bash" || exit 3
COMP_WORDS=("\$@")
COMP_CWORD=\$((\$# - 1))
_wrkit || exit 4
[ \${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "\${COMPREPLY[@]}" | sort
EOF_COMPLETE
chmod +x complete

test_expect_success 'the completion is registered for every program' '
	bash -c ". \"$WR_SRCDIR/completions/wrkit.bash\" && complete -p" >out &&
	for p in wr-validate wr-classify wr-route wr-fetch-notes wr-dispatch wr-await wr-pr-review; do
		test_must_contain "^complete .*-F _wrkit $p$" out || exit 1
	done
'

test_expect_success 'an option completes from the program'"'"'s --help' '
	./complete wr-validate --list-con >out &&
	echo --list-contracts >expect && test_cmp expect out &&
	./complete wr-route --ga >out &&
	echo --gate >expect && test_cmp expect out &&
	./complete wr-await --mo >out &&
	echo --mode >expect && test_cmp expect out
'

test_expect_success 'all the options of a program, and nothing from its prose' '
	./complete wr-pr-review -- >out &&
	printf "%s\n" --dry-run --fix-workflow --gh-timeout --help --max-runtime --port --pr \
		--review-workflow --status --trust-notes --version --workrail --workspace >expect &&
	test_cmp expect out
'

test_expect_success 'a contract name completes after -c and --contract' '
	./complete wr-validate -c wr.contracts.review >out &&
	echo wr.contracts.review_verdict >expect && test_cmp expect out &&
	./complete wr-validate --contract "" >out &&
	wr-validate --list-contracts | awk "{ print \$1 }" | sort >expect &&
	test_cmp expect out &&
	test_line_count -ge 4 out
'

test_expect_success 'contract names are the first field of any --list-contracts line' '
	mkdir bin &&
	printf "#!/bin/sh\nprintf \"a.one\\\\tkind\\\\tfile.json\\\\nb.two  x\\\\n\\\\n\"\n" >bin/wr-validate &&
	chmod +x bin/wr-validate &&
	PATH="$TRASH/bin:$PATH" ./complete wr-validate -c "" >out &&
	printf "a.one\nb.two\n" >expect && test_cmp expect out
'

test_expect_success 'values of --format and --mode; files after other words' '
	./complete wr-validate -f g >out &&
	echo github >expect && test_cmp expect out &&
	./complete wr-await --mode a >out &&
	printf "all\nany\n" >expect && test_cmp expect out &&
	mkdir -p art && : >art/verdict.json &&
	./complete wr-validate art/ver >out &&
	echo art/verdict.json >expect && test_cmp expect out
'

test_expect_success 'nothing is offered for a number' '
	./complete wr-route --max-passes "" >out &&
	test_line_count = 0 out
'

test_done
