using System.Collections.Concurrent;
using System.Diagnostics;
using OS2BorgerPC.Deploy.RealPrograms.Tests.Support;

namespace OS2BorgerPC.Deploy.RealPrograms.Tests;

/// <summary>
/// backup.sh waits for a lock another run holds, within RESTIC_LOCK_WAIT (restic's --retry-lock): restic v0.17.3
/// internal/repository/lock.go retries taking the lock, the sleep doubling, until the duration has passed, and prints
/// "repo already locked, waiting up to &lt;duration&gt; for the lock" once; then one last try. The image runs restic 0.17.3;
/// a restic without the flag (Debian bookworm's 0.14) is given it by a stand-in that does the same over it: it retries
/// the whole command while restic says the repository is already locked (a lock refused is refused before anything is
/// written, so a retry of the command is a retry of the lock). Either way a stand-in records the arguments each restic
/// call had.
/// </summary>
public sealed partial class OffSiteBackupTests
{
    private const string LockWait = "2m";

    /// <summary>
    /// A lock held when the removal of expired backups starts (another run reading the repository) is waited for, and
    /// released within the bound: the night's backup is stored, the removal runs once the lock is gone, and the run ends
    /// well. Every restic call that locks got the bound.
    /// </summary>
    [Fact]
    public void A_lock_released_within_the_bound_is_waited_for_and_the_expired_backups_are_removed_after_the_backup()
    {
        ExpiredBackupAndTonightsDump();
        var (path, calls) = ResticThatRecords();

        var lines = new ConcurrentQueue<string>();
        using var holder = HoldLock();
        using var upload = StartUpload(FixedNow, new Dictionary<string, string?> { ["RESTIC_LOCK_WAIT"] = LockWait, ["PATH"] = path },
            (_, line) => lines.Enqueue(line.Data ?? ""));
        // The backup goes by the holder's lock (both non-exclusive); the removal needs the repository to itself.
        WaitFor(() => lines.Any(l => l.Contains("repo already locked, waiting up to", StringComparison.Ordinal)), upload, () => $"the removal never met the held lock:\n{string.Join('\n', lines)}");
        lines.ShouldContain(l => l.StartsWith($"backup: nightly-{Stamp(FixedNow)} stored at", StringComparison.Ordinal));
        Release(holder);
        upload.WaitForExit(TimeSpan.FromMinutes(3)).ShouldBeTrue("backup.sh did not end after the lock was released");
        upload.WaitForExit();

        upload.ExitCode.ShouldBe(0, string.Join('\n', lines));
        lines.ShouldContain(l => l.StartsWith("backup: removed 1 expired snapshot(s)", StringComparison.Ordinal));
        Snapshots().ShouldBe([$"nightly-{Stamp(FixedNow)}"]);
        var recorded = File.ReadAllLines(calls);
        foreach (var locking in new[] { "backup", "snapshots", "forget" })
        {
            recorded.ShouldContain(call => call.StartsWith($"--retry-lock={LockWait} {locking} ", StringComparison.Ordinal), $"restic {locking} without the bound: {string.Join('\n', recorded)}");
        }
    }

    /// <summary>
    /// A folder to put first on PATH whose restic records each call's arguments, then runs the real restic with them,
    /// or, where the real one has no --retry-lock, does what the flag does over it; and the file of recorded calls.
    /// </summary>
    private (string Path, string Calls) ResticThatRecords()
    {
        var real = RealProgram.Find("restic", "restic").Path;
        var hasFlag = RealProgram.Find("restic", "restic").Run(["backup", "--help"]).Output.Contains("--retry-lock", StringComparison.Ordinal);
        log.WriteLine(hasFlag ? $"{real} has --retry-lock: the real flag is tested." : $"{real} has no --retry-lock (restic before 0.16): a stand-in retries over it.");
        var bin = folder.CreateSubdirectory("restic-bin");
        var calls = Path.Combine(folder.FullName, "restic-calls");
        var stand = Path.Combine(bin.FullName, "restic");
        File.WriteAllText(stand, $$"""
            #!/bin/sh
            printf '%s\n' "$*" >> '{{calls}}'
            real='{{real}}'
            {{(hasFlag ? "exec \"$real\" \"$@\"" : "")}}
            wait=
            n=$#
            while [ "$n" -gt 0 ]; do
                a=$1; shift; n=$((n - 1))
                case $a in --retry-lock=*) wait=${a#--retry-lock=} ;; *) set -- "$@" "$a" ;; esac
            done
            [ -n "$wait" ] || exec "$real" "$@"
            case $wait in *h) seconds=$((${wait%h} * 3600)) ;; *m) seconds=$((${wait%m} * 60)) ;; *s) seconds=${wait%s} ;; esac
            deadline=$(($(date +%s) + seconds))
            err=$(mktemp)
            told=
            while :; do
                "$real" "$@" 2>"$err" && { cat "$err" >&2; rm -f "$err"; exit 0; }
                code=$?
                if grep -q 'already locked' "$err" && [ "$(date +%s)" -lt "$deadline" ]; then
                    [ -n "$told" ] || { echo "repo already locked, waiting up to $wait for the lock" >&2; told=yes; }
                    sleep 1
                    continue
                fi
                cat "$err" >&2
                rm -f "$err"
                exit "$code"
            done
            """.Replace("\r", ""));
        File.SetUnixFileMode(stand, (UnixFileMode)0b111_101_101);
        return ($"{bin.FullName}:{Environment.GetEnvironmentVariable("PATH")}", calls);
    }

    /// <summary>
    /// Ends the lock holder as an operator's Ctrl+C would: restic removes its lock when it ends on SIGINT. A restic reading
    /// standard input (0.18) notices only once the read returns, so its input is closed too; cancelled, it stores nothing.
    /// </summary>
    private static void Release(Process holder)
    {
        RealProgram.Find("kill", "procps").Run(["-INT", holder.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ShouldSucceed();
        if (!holder.WaitForExit(TimeSpan.FromSeconds(5)))
        {
            holder.StandardInput.Close();
        }
        holder.WaitForExit(TimeSpan.FromSeconds(60)).ShouldBeTrue("the lock holder did not end on SIGINT");
    }

    private static void WaitFor(Func<bool> condition, Process process, Func<string> otherwise)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!condition() && !process.HasExited && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
        }
        condition().ShouldBeTrue(otherwise());
    }
}
