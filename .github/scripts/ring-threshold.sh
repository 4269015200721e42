#!/usr/bin/env bash
# Before a stack's `pulumi up` in a rollout ring (tenant-stacks.yml, operation up): has the ring crossed its failure
# threshold in this run? The ring's stacks run as one matrix, several at a time, each job to its end; this is how
# the ones that have not started yet stop. Crossed, as RolloutThreshold.IsCrossed decides for `fleet up`: at least one
# failure, and failures * 100 > percent * stacks (0: the first failure stops the ring; 100: nothing does).
# The failures are this run's failed jobs of the ring's stacks (the GitHub API; the job needs `actions: read`), whose
# logs say why. Exits 1, naming them, when crossed; 0 otherwise.
#
# Usage: ring-threshold.sh <the ring's stacks as a JSON array> <max failures in percent, 0-100>
set -euo pipefail

ring=$1
percent=$2
if ! [[ "$percent" =~ ^[0-9]+$ ]] || [ "$percent" -gt 100 ]; then
    echo "::error::max-failures '$percent' is outside 0-100: set rolloutMaxFailuresPercent in Pulumi.yaml (fleet defaults) to a whole number from 0 to 100."
    exit 1
fi
stacks=$(jq length <<<"$ring")
# A called workflow's matrix jobs are named '<calling job> / up <stack>'.
failed=$(gh api --paginate "repos/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID/attempts/$GITHUB_RUN_ATTEMPT/jobs" \
        --jq '.jobs[] | select(.conclusion == "failure") | .name' |
    jq -R -s -c --argjson ring "$ring" '[split("\n")[] | select(contains(" / up ")) | (split(" / up ") | last) | select(. as $stack | $ring | index($stack))] | unique')
count=$(jq length <<<"$failed")
if [ "$count" -gt 0 ] && [ $((count * 100)) -gt $((percent * stacks)) ]; then
    echo "::error::Not started: $count of the ring's $stacks stacks failed in this run ($(jq -r 'join(", ")' <<<"$failed"); their jobs' logs say why), more than the $percent% allowed (rolloutMaxFailuresPercent in Pulumi.yaml). The rollout stops here; no later ring runs."
    exit 1
fi
echo "The ring's failures so far: $count of $stacks (at most $percent% allowed)."
