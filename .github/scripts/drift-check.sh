#!/usr/bin/env bash
# The nightly drift check of one tenant's stack (tenant-stacks.yml, operation drift): a preview-only refresh that
# compares what runs with the stack's state and changes neither (docs/RUNBOOK.md, "Drift"). Its output goes to the
# job's log; its verdict is written as the tenant's entry of the drift result file `fleet status --drift` reads
# (docs/FLEET.md, "Fleet status"): clean, drifted, or failed (the check did not run to its end), with a short detail.
# Exits 0 only when clean, so the job fails visibly on drift.
#
# Usage: drift-check.sh <stack> <entry file>   (the entry file: { "<stack>": { "result": ..., "checkedAt": ... } })
set -uo pipefail

stack=$1
entry=$2
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# PROJECT_DIR: where the stack's project is (the tenants' by default; tenant-stacks.yml sets the platform's or the foundation's).
pulumi refresh --non-interactive --cwd "${PROJECT_DIR:-.}" --stack "$stack" --preview-only --expect-no-changes --diff 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
checked_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# Pulumi colours its output in CI; the detail is plain text.
plain=$(sed 's/\x1b\[[0-9;]*m//g' "$log")

# Pulumi 3.226.1 and later exit 7 when the expectation of no changes is not met; earlier ones exit 255 with this message.
if [ "$status" -eq 0 ]; then
    result=clean detail=
elif [ "$status" -eq 7 ] || grep -q 'no changes were expected but changes' <<<"$plain"; then
    result=drifted
    # The summary's change lines ("~ 2 to update", "- 1 to delete"), without their symbols.
    detail=$(grep -E '^ +[-+~]+ *[0-9]+ to [a-z]+' <<<"$plain" | sed -E 's/^ +[-+~]+ *//' | paste -sd ',' - | sed 's/,/, /g')
else
    result=failed
    detail=$(grep -E '^ *error: ' <<<"$plain" | tail -n 1 | sed -E 's/^ *error: //')
    detail=${detail:-pulumi refresh exited with $status}
fi

mkdir -p "$(dirname "$entry")"
jq -n --arg stack "$stack" --arg result "$result" --arg checkedAt "$checked_at" --arg detail "${detail:0:300}" \
    '{($stack): ({result: $result, checkedAt: $checkedAt} + (if $detail == "" then {} else {detail: $detail} end))}' >"$entry" ||
    { echo "::error::The drift verdict of $stack ($result) could not be written to $entry."; exit 1; }

case $result in
    clean) echo "No drift in $stack." ;;
    drifted) echo "::error::$stack has drifted from its state${detail:+ ($detail)}: see the diff above and docs/RUNBOOK.md, \"Drift\"." ;;
    failed) echo "::error::The drift check of $stack did not run to its end: $detail" ;;
esac
[ "$result" = clean ]
