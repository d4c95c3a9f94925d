# SPDX-License-Identifier: MIT
# Bash completion for the wrkit programs: wr-validate, wr-classify, wr-route,
# wr-fetch-notes, wr-dispatch, wr-await and wr-pr-review. Options come from each
# program's --help (so new options complete without touching this file), contract
# names from `wr-validate --list-contracts` (the first field of each line), and the
# values of a few options from their documented sets; anything else completes as files.
# Installed once per program name under bash-completion's completions directory.

# _wrkit_options PROGRAM: the options PROGRAM's --help lists (the lines that start
# with an option, up to the description), one per line.
_wrkit_options()
{
	"$1" --help 2>/dev/null | sed -n 's/^[[:space:]]*\(-[^ ].*\)/\1/p' |
		sed 's/   *.*//' | grep -oE -- '(^|[[:space:],])--?[A-Za-z][-A-Za-z0-9]*' |
		sed 's/^[[:space:],]*//' | sort -u
}

# _wrkit_takes_value PROGRAM OPTION: whether --help shows OPTION with a value
# ("--contract REF", "--format FORMAT", "--mode all|any", "--ref-dir URI=DIR").
_wrkit_takes_value()
{
	"$1" --help 2>/dev/null | grep -qE -- "(^|[[:space:],])$2[ =][A-Za-z]"
}

_wrkit_contracts()
{
	local prog=wr-validate
	# wr-validate next to the program being completed, if it is called by a path.
	case $1 in */*) [ -x "${1%/*}/wr-validate" ] && prog=${1%/*}/wr-validate ;; esac
	"$prog" --list-contracts 2>/dev/null | awk 'NF { print $1 }'
}

_wrkit()
{
	local cur prev prog
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}
	prog=${COMP_WORDS[0]}

	case $prev in
	-c|--contract)
		COMPREPLY=($(compgen -W "$(_wrkit_contracts "$prog")" -- "$cur"))
		return 0 ;;
	-f|--format)
		COMPREPLY=($(compgen -W "text json github" -- "$cur"))
		return 0 ;;
	--mode)
		COMPREPLY=($(compgen -W "all any" -- "$cur"))
		return 0 ;;
	-W|--workspace|--schema-dir)
		COMPREPLY=($(compgen -d -- "$cur"))
		return 0 ;;
	-s|--schema|--workrail)
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0 ;;
	-*)
		if _wrkit_takes_value "$prog" "$prev"; then
			return 0    # a number, a duration, a text: nothing to offer
		fi ;;
	esac

	case $cur in
	-*)
		COMPREPLY=($(compgen -W "$(_wrkit_options "$prog")" -- "$cur"))
		return 0 ;;
	esac
	COMPREPLY=($(compgen -f -- "$cur"))
	return 0
}

complete -o filenames -F _wrkit wr-validate wr-classify wr-route wr-fetch-notes \
	wr-dispatch wr-await wr-pr-review
