#!/usr/bin/env bash
# The kit's test command (README, "Set up"): builds and runs every test project.
#
# Where every package restores, the whole solution is tested. Where the only packages that cannot be
# restored are the Pulumi SDKs (a registry that does not serve them), every Pulumi-free test project
# still runs, and one line says which projects were skipped and why. Any other failure fails.
#
# The real-program tests drive real programs (nginx, PostgreSQL, ...; .ci/install-test-programs is the one list
# of them): the RealPrograms test project, and tests elsewhere marked [Trait("Category", "RealPrograms")].
# When one is missing and this runs as root with apt-get, it installs them first (set
# OS2BPC_INSTALL_TEST_PROGRAMS=no to forbid that); otherwise those tests are skipped with one loud line naming
# the missing programs and the command that installs them. A missing tool is never a red test.
set -euo pipefail
cd "$(dirname "$0")/.."

install_programs=.ci/install-test-programs
missing_programs() { bash "$install_programs" --check | paste -sd ';' - | sed 's/;/; /g' || true; }
missing=$(missing_programs)
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ "${OS2BPC_INSTALL_TEST_PROGRAMS:-yes}" != no ]; then
    echo "tests/run.sh: the real-program tests need $missing; installing with 'bash $install_programs'."
    bash "$install_programs" || echo "tests/run.sh: $install_programs failed; see above." >&2
    missing=$(missing_programs)
fi
test_filter=()
if [ -n "$missing" ]; then
    test_filter=(--filter "FullyQualifiedName!~OS2BorgerPC.Deploy.RealPrograms.Tests&Category!=RealPrograms")
fi

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
touch "$logs/test.log"

# True when every NuGet error in the log is a Pulumi package (or one of their own dependencies) not found.
only_pulumi_missing() {
    local errors
    errors=$(grep -oE 'error NU[0-9]+: .*' "$1" | sort -u || true)
    [ -n "$errors" ] || return 1
    ! grep -vqE '^error NU110[123]: Unable to find package (Pulumi(\.[A-Za-z]+)*|Glob|Ben\.Demystifier)\.? ' <<<"$errors"
}

test_projects=()
skipped=()
if dotnet restore OS2BorgerPC.Deploy.sln >"$logs/restore.log" 2>&1; then
    test_projects=(OS2BorgerPC.Deploy.sln)
elif only_pulumi_missing "$logs/restore.log"; then
    for project in tests/*/*.csproj; do
        name=$(basename "$project" .csproj)
        if dotnet restore "$project" >"$logs/$name.log" 2>&1; then
            test_projects+=("$project")
        elif only_pulumi_missing "$logs/$name.log"; then
            skipped+=("$name")
        else
            cat "$logs/$name.log"
            echo "tests/run.sh: restoring $project failed for a reason other than the Pulumi packages." >&2
            exit 1
        fi
    done
else
    cat "$logs/restore.log"
    echo "tests/run.sh: restore failed for a reason other than the Pulumi packages." >&2
    exit 1
fi

status=0
for target in "${test_projects[@]}"; do
    # dotnet test builds test projects only: build everything (the benchmarks too, never run here), then test.
    if ! dotnet build "$target" --no-restore -nologo -v quiet; then
        status=1
        continue
    fi
    dotnet test "$target" --no-build "${test_filter[@]}" 2>&1 | tee -a "$logs/test.log" || status=1
done

# One closing line over all test assemblies: 'N passed, N failed, N skipped'.
read -r passed failed skipped_tests < <(awk '
    /(Passed|Failed)! +- +Failed:/ {
        for (i = 1; i <= NF; i++) {
            if ($i == "Failed:") f += $(i + 1) + 0
            if ($i == "Passed:") p += $(i + 1) + 0
            if ($i == "Skipped:") s += $(i + 1) + 0
        }
    }
    END { print p + 0, f + 0, s + 0 }' "$logs/test.log")

if [ ${#skipped[@]} -gt 0 ]; then
    echo "SKIPPED ${skipped[*]}: the Pulumi packages (Pulumi, Pulumi.Kubernetes, Pulumi.Random, ...) cannot be restored from this machine's NuGet registry; every Pulumi-free test project ran."
fi
if [ -n "$missing" ]; then
    echo "SKIPPED the real-program tests (OS2BorgerPC.Deploy.RealPrograms.Tests and those marked Category=RealPrograms): $missing not installed. Install with 'sudo bash $install_programs' (Debian/Ubuntu) and run again."
fi
echo "tests: $passed passed, $failed failed, $skipped_tests skipped"
if [ "$passed" -eq 0 ]; then
    echo "tests/run.sh: no test ran." >&2
    exit 1
fi
exit $status
