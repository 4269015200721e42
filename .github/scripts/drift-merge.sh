#!/usr/bin/env bash
# The drift result file of one nightly run (drift.yml), on standard output: the entries the tenants' drift checks
# wrote (drift-check.sh), merged into the format `fleet status --drift` reads (docs/FLEET.md, "Fleet status"). Every tenant
# the run was to check gets an entry: one whose job ended before its check wrote one (a missing stack, a failed
# sign-in, a cancelled job), or wrote one that cannot be read, is reported failed, never left out.
#
# Usage: drift-merge.sh <tenants as a JSON array> <folder of entry files>
set -euo pipefail

tenants=$1
folder=$2
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)

entries='{}'
if [ -d "$folder" ]; then
    while IFS= read -r -d '' file; do
        if entry=$(jq -ce 'objects' "$file" 2>/dev/null); then
            entries=$(jq -c --argjson entry "$entry" '. + $entry' <<<"$entries")
        else
            echo "::warning::$file is not a drift check's entry; its tenant is reported as failed." >&2
        fi
    done < <(find "$folder" -type f -name '*.json' -print0)
fi

jq -n --argjson tenants "$tenants" --argjson entries "$entries" --arg now "$now" '
    def verdict: type == "object" and (.result | IN("clean", "drifted", "failed")) and (.checkedAt | type == "string")
        and ((.detail // "") | type == "string") and (keys - ["result", "checkedAt", "detail"] == []);
    {tenants: (reduce $tenants[] as $tenant ({};
        .[$tenant] = ($entries[$tenant] as $entry
            | if $entry == null then
                {result: "failed", checkedAt: $now, detail: "no verdict: its drift job ended before the check (see the job in this run)"}
              elif ($entry | verdict) then $entry
              else {result: "failed", checkedAt: $now, detail: "its drift check wrote an entry that cannot be read"}
              end)))}'
