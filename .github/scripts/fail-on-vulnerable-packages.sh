#!/usr/bin/env bash
# Reads the output of `dotnet list <solution> package --vulnerable` on stdin, echoes it, and fails when it
# lists a vulnerable package, or when it gives no verdict at all (the listing itself always exits 0).
set -euo pipefail

report=$(cat)
printf '%s\n' "$report"

if grep -q 'has the following vulnerable packages' <<<"$report"; then
    echo "::error::Packages with known vulnerabilities are listed above. Raise their versions in Directory.Packages.props (a transitive one: pin a fixed version there)."
    exit 1
fi
if ! grep -q 'has no vulnerable packages' <<<"$report"; then
    echo "::error::The vulnerability listing above gives no verdict for any project, so nothing was checked."
    exit 1
fi
echo "No package with a known vulnerability."
