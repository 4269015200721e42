using System.Security.Cryptography;
using System.Text.RegularExpressions;
using OS2BorgerPC.Deploy.Cli.Processes;
using OS2BorgerPC.Deploy.Testing;

namespace OS2BorgerPC.Deploy.Cli.Tests;

/// <summary>
/// kubectl (and pg_restore) as a tenant's cluster answers them, recording every call. Uploads are
/// remembered by checksum, so the CLI's check that a file arrived whole sees what really went in.
/// </summary>
internal sealed partial class FakeCluster : IProcessRunner
{
    public const string ImportLog = """
        import into database os2borgerpc on postgres:5432 as os2borgerpc, /media at /media (replace: no)
        database restored
        report: table auth_user 2
        report: table system_pc 40
        report: table system_batch absent
        report: media-files 3
        imported
        """;

    private readonly Dictionary<string, string> _uploaded = [];

    public List<ProcessCall> Calls { get; } = [];

    /// <summary>What <c>get job/...</c> answers, per job name prefix, one answer per poll (the last one repeats); <see cref="Unreachable"/> is kubectl failing to ask.</summary>
    public Dictionary<string, Queue<string>> JobConditions { get; } = new()
    {
        ["backup-before-import-"] = new(["Complete"]),
        ["import-"] = new(["SuccessCriteriaMet Complete"]),
    };

    /// <summary>A poll kubectl could not answer, as when the API server is briefly unreachable.</summary>
    public const string Unreachable = "!unreachable";

    public string JobLog { get; set; } = ImportLog;

    public const string DataStorageClass = "os2bpc-data";

    public const string StagingVolume = "pvc-5ta9e";

    /// <summary>What df in the database's primary pod says is free on its data volume, in KiB (1 TiB unless set).</summary>
    public long DatabaseFreeKiB { get; set; } = 1L << 30;

    /// <summary>Answers that replace the usual one for calls whose description starts with the key (the longest such key).</summary>
    public Dictionary<string, ProcessResult> Answers { get; } = [];

    /// <summary>What <c>logs job/... -c &lt;container&gt;</c> answers, by container; when set, a container not in it logged nothing.</summary>
    public Dictionary<string, ProcessResult> ContainerLogs { get; } = [];

    /// <summary>What pg_restore prints of a custom archive's django_migrations.</summary>
    public ProcessResult PgRestore { get; set; } = new(0, ImportInputs.PlainDump(ImportInputs.Os2History), "");

    /// <summary>The kubectl calls, each as "verb target" (uploads as "upload &lt;path&gt;", applies with the kinds they carry).</summary>
    public List<string> Steps => [.. Calls.Where(c => c.Program == Kubectl.Program).Select(Describe)];

    /// <summary>Every manifest applied, in order.</summary>
    public List<string> Applied => [.. Calls.Where(c => c.Arguments.Contains("apply")).Select(c => c.StandardInputText!)];

    public ProcessResult Run(ProcessCall call)
    {
        Calls.Add(call);
        if (call.Program == "pg_restore")
        {
            return PgRestore;
        }
        var step = Describe(call);
        if (Answers.Where(a => step.StartsWith(a.Key, StringComparison.Ordinal)).OrderByDescending(a => a.Key.Length).FirstOrDefault() is { Value: { } answer })
        {
            return answer;
        }
        if (ContainerLogs.Count > 0 && step.StartsWith("logs job/", StringComparison.Ordinal))
        {
            return ContainerLogs.GetValueOrDefault(call.Arguments.SkipWhile(a => a != "-c").ElementAt(1), Ok(""));
        }
        if (step.StartsWith("upload ", StringComparison.Ordinal))
        {
            _uploaded[step["upload ".Length..]] = Sha256(File.ReadAllBytes(call.StandardInputFile!));
        }
        return step switch
        {
            _ when step.StartsWith("sha256sum ", StringComparison.Ordinal) => Ok($"{_uploaded.GetValueOrDefault(step["sha256sum ".Length..], "none")}  {step}\n"),
            _ when step.StartsWith("get job/", StringComparison.Ordinal) => Conditions(step["get job/".Length..]) is var conditions && conditions == Unreachable
                ? new ProcessResult(1, "", "Unable to connect to the server: net/http: TLS handshake timeout")
                : Ok(conditions),
            _ when step.StartsWith("logs job/", StringComparison.Ordinal) => Ok(JobLog),
            _ when step.StartsWith("get pods cnpg.io/cluster=database,cnpg.io/instanceRole=primary", StringComparison.Ordinal) => Ok("pod/database-1\n"),
            // The database's volumes' storage class, and a staging claim's bound volume.
            _ when step == "get pvc cnpg.io/cluster=database" => Ok(DataStorageClass),
            _ when step.StartsWith("get pvc/import-staging-", StringComparison.Ordinal) => Ok(StagingVolume),
            _ when step.StartsWith("df ", StringComparison.Ordinal) => Ok($"Filesystem     1024-blocks    Used Available Capacity Mounted on\n/dev/sdb  {DatabaseFreeKiB * 2} {DatabaseFreeKiB} {DatabaseFreeKiB} 50% /var/lib/postgresql/data\n"),
            _ => Ok(""),
        };
    }

    private string Conditions(string job)
    {
        var answers = JobConditions.Where(c => job.StartsWith(c.Key, StringComparison.Ordinal)).MaxBy(c => c.Key.Length).Value;
        return answers.Count > 1 ? answers.Dequeue() : answers.Peek();
    }

    private static string Describe(ProcessCall call)
    {
        var words = new List<string>();
        var arguments = call.Arguments;
        for (var i = 0; i < arguments.Count && arguments[i] != "--"; i++)
        {
            if (arguments[i] == "-o" && i + 1 < arguments.Count && arguments[i + 1] == "json")
            {
                // A whole object, as against one field (jsonpath) of the same object.
                words.Add(arguments[++i]);
            }
            else if (arguments[i] is "-o" or "-c" or "-f" or "--namespace" or "--context")
            {
                i++;
            }
            else if (!arguments[i].StartsWith('-'))
            {
                words.Add(arguments[i]);
            }
        }
        return words[0] switch
        {
            // An upload, or the program run in the pod and its last argument (sha256sum <file>, df <path>, psql <sql>).
            "exec" => call.StandardInputFile is not null ? $"upload {arguments[^1]}" : $"{arguments[arguments.ToList().IndexOf("--") + 1]} {arguments[^1]}",
            "apply" => $"apply {string.Join(',', Kind().Matches(call.StandardInputText!).Select(m => m.Groups["kind"].Value))}",
            _ => string.Join(' ', words),
        };
    }

    private static ProcessResult Ok(string output) => new(0, output, "");

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    // A YAML stream's top-level kinds, or a JSON manifest's.
    [GeneratedRegex("(?m)^kind: (?<kind>\\w+)|^\\{\"apiVersion\":\"[^\"]+\",\"kind\":\"(?<kind>\\w+)\"")]
    private static partial Regex Kind();
}

/// <summary>A clock that stands still.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
